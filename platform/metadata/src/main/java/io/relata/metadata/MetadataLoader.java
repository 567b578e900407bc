package io.relata.metadata;

import com.fasterxml.jackson.databind.JsonNode;
import io.relata.api.model.CustomerView;
import io.relata.api.model.EntityDefinition;
import io.relata.api.model.MetadataModel;
import io.relata.api.model.SourceLocation;
import io.relata.api.process.DialogDefinition;
import io.relata.api.process.MailTemplate;
import io.relata.api.process.ProcessDefinition;
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
import java.util.TreeSet;

/**
 * Turns metadata files into a valid {@link MetadataModel}, or reports everything wrong with them at once.
 *
 * <p>Pass 1 parses each file on its own and validates it against the JSON Schema of its kind: an entity file
 * also against the type rules and the structure of its rules and examples ({@link EntityRuleChecks}; the
 * scripts it refers to are the {@code .js} files among the given files) and is built into its
 * {@link EntityDefinition}; a role file against the scope rules ({@link RoleChecks}); a mail template against
 * its placeholder syntax ({@link TemplateChecks}); a process against its phases, transitions, actions and
 * timers ({@link ProcessChecks}, built by {@link ProcessBuilder}, which expands {@code from}/{@code to} lists
 * and {@code '*'}); a dialog against its steps and branches ({@link DialogChecks}). Pass 2 resolves across
 * files: duplicate entities, reference targets and reverse list names ({@link ModelResolver}); duplicate roles
 * and the entities and fields roles grant on ({@link RoleResolver}); duplicate templates; processes against
 * their entity's fields, the roles and templates they name ({@link ProcessResolver}); templates against the
 * entities whose processes send them; dialogs against their entity and its processes ({@link DialogResolver},
 * which also builds them); customer views ({@link ViewChecks}) and dashboards ({@link DashboardChecks}) against the
 * entities, processes and roles they name — against the files of all directories of the same load; last, the fields each role
 * cannot see because they are computed from fields it cannot see ({@link RoleDerivations}). Problems of both
 * passes and all files are collected; if there are any, one {@link MetadataException} is thrown with all of them.
 * Warnings do not stop a load; {@link #loadWithWarnings} returns them with the model.
 * Files in folders other than {@link #KNOWN_KINDS} and files not ending in .yaml/.yml are ignored, except for
 * rule scripts (.js) next to entities, processes and dialogs. Whether scripts compile and examples hold needs
 * the rules engine: given a {@link RuleVerifier}, the loader asks it about every entity, process and dialog that
 * was built, whatever problems other files have, and runs an entity's examples once its rules compile; where
 * examples cannot run (their file has problems, or rules of the entity do not compile) it says so
 * ({@link ProblemCode#EXAMPLES_NOT_RUN}), so the admin knows more may follow. Without a verifier only the
 * structure of scripts and examples is checked. Stateless and thread-safe; the compiled schemas are shared.
 */
public final class MetadataLoader {

    /** The folder names (kinds of metadata) this loader reads, in the order they are read within a root. */
    public static final List<String> KIND_ORDER = List.of("entities", "extensions", "roles", "role-extensions", "templates", "processes",
            "dialogs", "forms", "views", "dashboards");

    /** The folder names (kinds of metadata) this loader reads; others are ignored. */
    public static final Set<String> KNOWN_KINDS = Set.copyOf(KIND_ORDER);

    /** The folders whose YAML files may refer to rule scripts ({@code {file: x.js}}) next to them. */
    public static final Set<String> SCRIPT_KINDS = Set.of("entities", "extensions", "processes", "dialogs");

    /**
     * A loaded model and what the admin should know about it although it is valid, each as a
     * {@link MetadataProblem} with file, line, column, code and fix: fields hidden because they derive from hidden
     * ones ({@link ProblemCode#DERIVED_FIELD_HIDDEN}), flows a role cannot complete ({@link FlowAccessChecks}).
     */
    public record Loaded(MetadataModel model, List<MetadataProblem> warnings, FieldKeyLocator fieldKeys) {
        public Loaded {
            warnings = List.copyOf(warnings);
        }

        /** A load whose field keys are located at their fields (no files at hand). */
        public Loaded(MetadataModel model, List<MetadataProblem> warnings) {
            this(model, warnings, (entity, field, key) -> model.entity(entity)
                    .flatMap(e -> e.field(field).map(f -> f.location()).or(() -> Optional.ofNullable(e.location())))
                    .orElse(SourceLocation.UNKNOWN));
        }
    }

    private final RuleVerifier rules;
    private final MetadataLimits limits;

    /** A loader that checks the structure of scripts and examples, not whether they compile and hold. */
    public MetadataLoader() {
        this(null);
    }

    /** A loader that also compiles scripts and runs examples through {@code rules}, within the default limits. */
    public MetadataLoader(RuleVerifier rules) {
        this(rules, MetadataLimits.DEFAULT);
    }

    /**
     * A loader that compiles scripts and runs examples through {@code rules} (null: structure only) and refuses
     * files beyond {@code limits}.
     */
    public MetadataLoader(RuleVerifier rules, MetadataLimits limits) {
        this.rules = rules;
        this.limits = java.util.Objects.requireNonNull(limits, "limits");
    }

    /** The limits files must keep, also for reading them: {@link MetadataFiles#read(List, MetadataLimits)}. */
    public MetadataLimits limits() {
        return limits;
    }

    /** Loads the given files, in the given order (which becomes the order of entities, roles, processes, …). */
    public MetadataModel load(List<MetadataFile> files) throws MetadataException {
        return loadWithWarnings(files).model();
    }

    /** Like {@link #load}, with the warnings of a successful load (in file order). */
    public Loaded loadWithWarnings(List<MetadataFile> files) throws MetadataException {
        return loadWithWarnings(files, List.of());
    }

    /**
     * Like {@link #loadWithWarnings(List)}, with the extensions of layers taken out (a disabled or removed plugin):
     * the options they added stay on their fields, retired ({@code active: false}), so that records holding them
     * keep their values; their fields are not in the model (their columns stay, with their data). Problems in these
     * files are not reported: the layer is not in force.
     */
    public Loaded loadWithWarnings(List<MetadataFile> files, List<MetadataFile> retiredExtensions) throws MetadataException {
        Problems problems = new Problems();
        List<ModelResolver.ParsedEntity> entities = new ArrayList<>();
        List<RoleResolver.ParsedRole> roles = new ArrayList<>();
        List<TemplateChecks.ParsedTemplate> templates = new ArrayList<>();
        List<ProcessResolver.ParsedProcess> processes = new ArrayList<>();
        List<YamlDocument> dialogs = new ArrayList<>();
        List<YamlDocument> extensions = new ArrayList<>();
        List<YamlDocument> roleExtensions = new ArrayList<>();
        List<FormChecks.ParsedForm> forms = new ArrayList<>();
        List<ViewChecks.ParsedView> views = new ArrayList<>();
        List<DashboardChecks.ParsedDashboard> dashboards = new ArrayList<>();
        Set<String> brokenEntities = new HashSet<>();
        Set<String> brokenRoles = new HashSet<>();
        Set<String> brokenTemplates = new HashSet<>();
        Set<String> brokenProcessEntities = new HashSet<>();
        List<YamlDocument> brokenEntityDocuments = new ArrayList<>();
        List<ProcessChecks.MisspeltPhase> misspeltPhases = new ArrayList<>();
        RuleScripts scripts = RuleScripts.of(files);
        for (MetadataFile file : files) {
            if (!file.isYaml() || !KNOWN_KINDS.contains(file.kind())) {
                continue;
            }
            int before = problems.all().size();
            int misspeltBefore = misspeltPhases.size();
            Optional<YamlDocument> parsed = YamlDocument.parse(file, problems, MetadataSchema.of(file.kind()), limits);
            parsed.ifPresent(document -> check(document, scripts, problems, misspeltPhases));
            // a misspelt phase is a problem of the file too, only reported later
            if (parsed.isPresent() && problems.all().size() == before && misspeltPhases.size() == misspeltBefore) {
                YamlDocument document = parsed.get();
                switch (file.kind()) {
                    case "roles" -> roles.add(new RoleResolver.ParsedRole(document, RoleBuilder.build(document)));
                    case "templates" -> templates.add(new TemplateChecks.ParsedTemplate(document, TemplateChecks.build(document)));
                    case "processes" -> processes.add(new ProcessResolver.ParsedProcess(document,
                            ProcessBuilder.build(document, scripts)));
                    case "dialogs" -> dialogs.add(document);
                    case "extensions" -> extensions.add(document);
                    case "role-extensions" -> roleExtensions.add(document);
                    case "forms" -> forms.add(new FormChecks.ParsedForm(document, FormChecks.build(document)));
                    case "views" -> views.add(new ViewChecks.ParsedView(document, ViewChecks.build(document)));
                    case "dashboards" -> dashboards.add(new DashboardChecks.ParsedDashboard(document,
                            DashboardChecks.build(document)));
                    default -> entities.add(new ModelResolver.ParsedEntity(document, EntityBuilder.build(document, scripts)));
                }
                continue;
            }
            // A broken file still counts as existing, so that one typo is not reported again by every user;
            // of a broken process, its entity is remembered, whose phases it may cover. Nothing refers to dialogs.
            switch (file.kind()) {
                case "processes" -> text(parsed, "entity").ifPresent(brokenProcessEntities::add);
                case "dialogs", "extensions", "role-extensions", "forms", "views", "dashboards" -> {
                }
                default -> {
                    if (file.kind().equals("entities")) {
                        parsed.ifPresent(brokenEntityDocuments::add);
                    }
                    Set<String> broken = switch (file.kind()) {
                        case "roles" -> brokenRoles;
                        case "templates" -> brokenTemplates;
                        default -> brokenEntities;
                    };
                    broken.add(file.baseName());
                    text(parsed, "name").ifPresent(broken::add);
                }
            }
        }
        // later layers' additions to earlier layers' entities, before anything refers to the entities
        entities = EntityExtensions.apply(entities, extensions, brokenEntities, scripts, problems);
        entities = EntityExtensions.retire(entities, parseQuietly(retiredExtensions));
        Map<String, EntityDefinition> resolvedEntities = ModelResolver.resolve(entities, brokenEntities, problems);
        ProcessResolver.reportMisspeltPhases(misspeltPhases, resolvedEntities, problems);
        Map<String, RoleDefinition> resolvedRoles = RoleResolver.resolve(roles, resolvedEntities, brokenEntities, problems);
        // later layers' changes to earlier layers' roles, before anything refers to the roles
        roles = RoleResolver.extend(roles, roleExtensions, resolvedEntities, brokenEntities, brokenRoles, problems);
        resolvedRoles = RoleResolver.byName(roles, resolvedRoles);
        Map<String, MailTemplate> resolvedTemplates = TemplateChecks.resolve(templates, problems);
        ProcessResolver.Result resolvedProcesses = ProcessResolver.resolve(processes, brokenProcessEntities,
                resolvedEntities, brokenEntities, resolvedRoles, brokenRoles, resolvedTemplates, brokenTemplates, problems);
        TemplateChecks.checkUses(templates, resolvedProcesses.templateUses(), problems);
        Set<String> knownRoles = new TreeSet<>(resolvedRoles.keySet());
        knownRoles.addAll(brokenRoles);
        Map<String, DialogDefinition> resolvedDialogs = DialogResolver.resolve(dialogs, resolvedEntities, brokenEntities,
                resolvedProcesses.processes(), brokenProcessEntities, scripts, knownRoles, problems);
        Map<String, io.relata.api.model.EntityForm> resolvedForms = FormChecks.resolve(forms, resolvedEntities,
                brokenEntities, knownRoles, problems);
        Map<String, CustomerView> resolvedViews = ViewChecks.resolve(views, resolvedEntities, brokenEntities, knownRoles,
                problems);
        Map<String, io.relata.api.dashboard.DashboardDefinition> resolvedDashboards = DashboardChecks.resolve(dashboards,
                resolvedEntities, brokenEntities, resolvedProcesses.processes(), brokenProcessEntities, knownRoles, problems);
        RelatedChecks.check(resolvedEntities, brokenEntities, resolvedProcesses.processes(), problems);
        DependsOnChecks.check(entities, resolvedEntities, brokenEntities, problems);
        if (rules != null) {
            verifyRules(entities, brokenEntityDocuments, resolvedEntities, resolvedProcesses.processes(), resolvedDialogs,
                    problems);
        }
        resolvedRoles = RoleDerivations.apply(roles, resolvedRoles, resolvedEntities, resolvedProcesses.processes(),
                problems);
        if (!problems.isEmpty()) {
            throw new MetadataException(inFileOrder(problems.all(), files));
        }
        MetadataModel model = new MetadataModel(resolvedEntities, resolvedRoles, resolvedProcesses.processes(),
                resolvedDialogs, resolvedTemplates, revision(files), Instant.now(), resolvedForms,
                resolvedViews, resolvedDashboards);
        List<MetadataProblem> warnings = new ArrayList<>(problems.warnings());
        warnings.addAll(FlowAccessChecks.check(model));
        return new Loaded(model, inFileOrder(warnings, files), fieldKeys(entities, resolvedEntities));
    }

    /** The documents of {@code files} that parse, their problems dropped. */
    private List<YamlDocument> parseQuietly(List<MetadataFile> files) {
        List<YamlDocument> documents = new ArrayList<>();
        for (MetadataFile file : files) {
            YamlDocument.parse(file, new Problems(), MetadataSchema.extension(), limits).ifPresent(documents::add);
        }
        return documents;
    }

    /**
     * Pass 3: compiles the scripts of everything that was built and runs the examples of entities whose rules
     * compile; says where examples were not run and why.
     */
    private void verifyRules(List<ModelResolver.ParsedEntity> entities, List<YamlDocument> brokenEntityDocuments,
                             Map<String, EntityDefinition> resolvedEntities, Map<String, ProcessDefinition> processes,
                             Map<String, DialogDefinition> dialogs, Problems problems) {
        for (ModelResolver.ParsedEntity parsed : entities) {
            EntityDefinition entity = parsed.definition();
            if (resolvedEntities.get(entity.name()) != entity) {
                examplesNotRun(parsed.document(), "entity " + Problems.q(entity.name()) + " is defined twice", problems);
                continue;
            }
            List<MetadataProblem> found = rules.check(entity);
            found.forEach(problems::add);
            if (found.isEmpty()) {
                if (!entity.examples().isEmpty()) {
                    rules.runExamples(entity).forEach(problems::add);
                }
            } else {
                examplesNotRun(parsed.document(), "rules of the entity do not compile", problems);
            }
        }
        brokenEntityDocuments.forEach(document -> examplesNotRun(document, "this file has other problems", problems));
        processes.values().forEach(process -> Optional.ofNullable(resolvedEntities.get(process.entity()))
                .ifPresent(entity -> rules.check(entity, process).forEach(problems::add)));
        dialogs.values().forEach(dialog -> Optional.ofNullable(resolvedEntities.get(dialog.entity()))
                .ifPresent(entity -> rules.check(entity, dialog).forEach(problems::add)));
    }

    /** Says, at its 'examples' key, that an entity file's examples were not run, if it has any. */
    private static void examplesNotRun(YamlDocument document, String because, Problems problems) {
        JsonNode examples = document.root().path("examples");
        if (!examples.isArray() || examples.isEmpty()) {
            return;
        }
        int count = examples.size();
        problems.add(document.fileName(), document.at("/examples").entry(), ProblemCode.EXAMPLES_NOT_RUN,
                (count == 1 ? "The example of this file was" : "The " + count + " examples of this file were")
                        + " not run: " + because + ".",
                "fix the problems listed for " + (because.startsWith("rules") ? "its rules" : "this file")
                        + "; the examples run at the next load.");
    }

    /** Locates field keys in the files of the entities that made it into the model. */
    private static FieldKeyLocator fieldKeys(List<ModelResolver.ParsedEntity> entities,
                                             Map<String, EntityDefinition> resolved) {
        Map<String, YamlDocument> documents = new HashMap<>();
        for (ModelResolver.ParsedEntity parsed : entities) {
            if (resolved.get(parsed.definition().name()) == parsed.definition()) {
                documents.put(parsed.definition().name(), parsed.document());
            }
        }
        return (entity, field, key) -> {
            YamlDocument document = documents.get(entity);
            if (document == null) {
                return SourceLocation.UNKNOWN;
            }
            // an unwritten key is found at its field (the nearest written parent)
            org.snakeyaml.engine.v2.nodes.Node node = document.at(YamlDocument.pointer("fields", field, key)).entry();
            return node == null ? new SourceLocation(document.fileName(), 1, 1)
                    : EntityBuilder.location(document.fileName(), node);
        };
    }

    /** A top-level text of a parsed file, e.g. its name, if it has one. */
    private static Optional<String> text(Optional<YamlDocument> document, String key) {
        return document.map(d -> d.root().path(key)).filter(JsonNode::isTextual).map(JsonNode::asText);
    }

    /**
     * Pass 1 for one parsed file: its schema and the checks of its kind. Phase names of a process that may be
     * misspelt go to {@code misspeltPhases}, to be reported with the phase field's options in pass 2.
     */
    private static void check(YamlDocument document, RuleScripts scripts, Problems problems,
                              List<ProcessChecks.MisspeltPhase> misspeltPhases) {
        switch (document.file().kind()) {
            case "roles" -> {
                MetadataSchema.role().validate(document, problems);
                RoleChecks.check(document, problems);
            }
            case "templates" -> {
                MetadataSchema.template().validate(document, problems);
                TemplateChecks.check(document, problems);
            }
            case "processes" -> {
                MetadataSchema.process().validate(document, problems);
                misspeltPhases.addAll(ProcessChecks.check(document, scripts, problems));
            }
            case "dialogs" -> {
                MetadataSchema.dialog().validate(document, problems);
                DialogChecks.check(document, scripts, problems);
            }
            case "extensions" -> {
                MetadataSchema.extension().validate(document, problems);
                EntityChecks.checkExtension(document, problems);
            }
            case "role-extensions" -> {
                MetadataSchema.roleExtension().validate(document, problems);
                RoleChecks.checkExtension(document, problems);
            }
            case "forms" -> {
                MetadataSchema.form().validate(document, problems);
                FormChecks.check(document, problems);
            }
            case "views" -> {
                MetadataSchema.view().validate(document, problems);
                ViewChecks.check(document, problems);
            }
            case "dashboards" -> {
                MetadataSchema.dashboard().validate(document, problems);
                DashboardChecks.check(document, problems);
            }
            default -> {
                MetadataSchema.entity().validate(document, problems);
                EntityChecks.check(document, problems);
                EntityRuleChecks.check(document, scripts, problems);
            }
        }
    }

    /**
     * Like {@link #loadWithWarnings(List)} for files read from disk: the reader's warnings (folders that are not
     * read) come first. To read within this loader's limits: {@code MetadataFiles.read(roots, loader.limits())}.
     */
    public Loaded loadWithWarnings(MetadataFiles.Read read) throws MetadataException {
        return loadWithWarnings(read, List.of());
    }

    /** {@link #loadWithWarnings(MetadataFiles.Read)} with the extensions of layers taken out (see there). */
    public Loaded loadWithWarnings(MetadataFiles.Read read, List<MetadataFile> retiredExtensions) throws MetadataException {
        Loaded loaded = loadWithWarnings(read.files(), retiredExtensions);
        List<MetadataProblem> warnings = new ArrayList<>(read.warnings());
        warnings.addAll(loaded.warnings());
        return new Loaded(loaded.model(), warnings, loaded.fieldKeys());
    }

    /** Reads the given metadata directories with {@link MetadataFiles#read} within this loader's limits and loads them. */
    public MetadataModel loadDirectories(List<Path> roots) throws MetadataException {
        return load(MetadataFiles.read(roots, limits).files());
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
