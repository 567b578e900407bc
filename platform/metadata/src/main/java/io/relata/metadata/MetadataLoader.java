package io.relata.metadata;

import com.fasterxml.jackson.databind.JsonNode;
import io.relata.api.model.EntityDefinition;
import io.relata.api.model.MetadataModel;
import io.relata.api.security.RoleDefinition;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Turns metadata files into a valid {@link MetadataModel}, or reports everything wrong with them at once.
 *
 * <p>Pass 1 parses each file on its own: an entity file is validated against {@code entity.schema.json},
 * the type rules and the structure of its rules and examples ({@link EntityRuleChecks}; the scripts it refers
 * to are the {@code .js} files among the given files) and built into its {@link EntityDefinition}; a role file is validated against
 * {@code role.schema.json} and the scope rules and built into its {@link RoleDefinition}. Pass 2 resolves
 * across files: duplicate entities, reference targets and reverse list names ({@link ModelResolver}), then
 * duplicate roles and the entities and fields that roles grant on ({@link RoleResolver}) — against the
 * entities of all directories of the same load. Problems of both passes and all files are collected; if
 * there are any, one {@link MetadataException} is thrown with all of them. Files in folders other than
 * {@link #KNOWN_KINDS} and files not ending in .yaml/.yml are ignored, except for rule scripts (.js) that an
 * entity file refers to. Whether scripts compile and examples hold is not checked here (that needs the
 * rules engine), only their structure. Stateless and thread-safe; the
 * compiled schemas are shared.
 */
public final class MetadataLoader {

    /** The folder names (kinds of metadata) this loader reads; others are ignored for now. */
    public static final Set<String> KNOWN_KINDS = Set.of("entities", "roles");

    /** Loads the given files, in the given order (which becomes the order of the entities and roles). */
    public MetadataModel load(List<MetadataFile> files) throws MetadataException {
        Problems problems = new Problems();
        List<ModelResolver.ParsedEntity> entities = new ArrayList<>();
        List<RoleResolver.ParsedRole> roles = new ArrayList<>();
        Set<String> brokenEntities = new HashSet<>();
        RuleScripts scripts = RuleScripts.of(files);
        for (MetadataFile file : files) {
            if (!file.isYaml() || !KNOWN_KINDS.contains(file.kind())) {
                continue;
            }
            boolean isRole = "roles".equals(file.kind());
            int before = problems.all().size();
            Optional<YamlDocument> document = YamlDocument.parse(file, problems);
            if (document.isPresent() && isRole) {
                MetadataSchema.role().validate(document.get(), problems);
                RoleChecks.check(document.get(), problems);
            } else if (document.isPresent()) {
                MetadataSchema.entity().validate(document.get(), problems);
                EntityChecks.check(document.get(), problems);
                EntityRuleChecks.check(document.get(), scripts, problems);
            }
            boolean valid = document.isPresent() && problems.all().size() == before;
            if (valid && isRole) {
                roles.add(new RoleResolver.ParsedRole(document.get(), RoleBuilder.build(document.get())));
            } else if (valid) {
                entities.add(new ModelResolver.ParsedEntity(document.get(), EntityBuilder.build(document.get(), scripts)));
            } else if (!isRole) {
                brokenEntities.add(file.baseName());
                document.map(d -> d.root().path("name")).filter(JsonNode::isTextual)
                        .ifPresent(n -> brokenEntities.add(n.asText()));
            }
        }
        Map<String, EntityDefinition> resolvedEntities = ModelResolver.resolve(entities, brokenEntities, problems);
        Map<String, RoleDefinition> resolvedRoles = RoleResolver.resolve(roles, resolvedEntities, brokenEntities, problems);
        if (!problems.isEmpty()) {
            throw new MetadataException(inFileOrder(problems.all(), files));
        }
        return new MetadataModel(resolvedEntities, resolvedRoles, revision(files), Instant.now());
    }

    /** Reads the given metadata directories with {@link MetadataFiles#fromDirectories} and loads them. */
    public MetadataModel loadDirectories(List<Path> roots) throws MetadataException {
        return load(MetadataFiles.fromDirectories(roots));
    }

    /** First 12 hex digits of SHA-256 over all files (name and content), independent of their order. */
    static String revision(List<MetadataFile> files) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            files.stream().sorted(Comparator.comparing(MetadataFile::displayName)).forEach(file -> {
                digest.update(file.displayName().getBytes(StandardCharsets.UTF_8));
                digest.update((byte) 0);
                digest.update(file.content().getBytes(StandardCharsets.UTF_8));
                digest.update((byte) 0);
            });
            return HexFormat.of().formatHex(digest.digest()).substring(0, 12);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
        }
    }

    private static List<MetadataProblem> inFileOrder(List<MetadataProblem> problems, List<MetadataFile> files) {
        Map<String, Integer> order = new HashMap<>();
        for (int i = 0; i < files.size(); i++) {
            order.putIfAbsent(files.get(i).displayName(), i);
        }
        List<MetadataProblem> sorted = new ArrayList<>(problems);
        sorted.sort(Comparator.comparing((MetadataProblem p) -> order.getOrDefault(p.file(), -1))
                .thenComparingInt(MetadataProblem::line)
                .thenComparingInt(MetadataProblem::column));
        return sorted;
    }
}
