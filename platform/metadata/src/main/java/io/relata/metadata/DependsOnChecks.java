package io.relata.metadata;

import static io.relata.metadata.Problems.q;

import com.fasterxml.jackson.databind.JsonNode;
import io.relata.api.model.EntityDefinition;
import io.relata.api.model.FieldDefinition;
import io.relata.api.model.FieldType;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The {@code dependsOn} paths of computed and score rules (docs/metadata.md, "Values that depend on other
 * records"): each is {@code reference.field} — a reference field of this entity and a field of the entity it
 * points to — or {@code entity.reference} — an entity with a reference to this one. Checked once every entity is
 * known; a path that is neither is {@link ProblemCode#DEPENDS_ON_INVALID} at the path, with what would fit.
 * {@code dependsOn} only belongs next to {@code computed} or {@code score}.
 */
final class DependsOnChecks {

    private DependsOnChecks() {
    }

    /** How a path is read: forward through this record's reference, or back from the records pointing here. */
    enum Direction { FORWARD, BACK }

    /** A resolved path: {@code FORWARD}: reference of this entity, field there; {@code BACK}: entity, its reference. */
    record Path(Direction direction, String first, String second) {
    }

    /** What a path means in {@code entity}, or empty if it means nothing there. */
    static Optional<Path> resolve(String path, EntityDefinition entity, Map<String, EntityDefinition> entities) {
        int dot = path.indexOf('.');
        if (dot < 0) {
            return Optional.empty();
        }
        String first = path.substring(0, dot);
        String second = path.substring(dot + 1);
        Optional<FieldDefinition> reference = entity.field(first).filter(f -> f.type() == FieldType.REFERENCE);
        if (reference.isPresent()) {
            EntityDefinition target = entities.get(reference.get().referenceEntity());
            if (target != null && target.field(second).isPresent()) {
                return Optional.of(new Path(Direction.FORWARD, first, second));
            }
        }
        EntityDefinition other = entities.get(first);
        if (other != null && other.field(second).filter(f -> f.type() == FieldType.REFERENCE
                && entity.name().equals(f.referenceEntity())).isPresent()) {
            return Optional.of(new Path(Direction.BACK, first, second));
        }
        return Optional.empty();
    }

    static void check(List<ModelResolver.ParsedEntity> parsed, Map<String, EntityDefinition> entities,
                      Set<String> brokenEntities, Problems problems) {
        for (ModelResolver.ParsedEntity one : parsed) {
            EntityDefinition entity = one.definition();
            if (entities.get(entity.name()) != entity) {
                continue;
            }
            YamlDocument document = one.document();
            document.root().path("fields").fields().forEachRemaining(field -> check(document, entity, entities,
                    brokenEntities, field.getValue(), YamlDocument.pointer("fields", field.getKey()), "computed",
                    problems));
            JsonNode rules = document.root().path("rules");
            for (int i = 0; i < rules.size(); i++) {
                check(document, entity, entities, brokenEntities, rules.get(i), YamlDocument.pointer("rules", i), "score",
                        problems);
            }
        }
    }

    private static void check(YamlDocument document, EntityDefinition entity, Map<String, EntityDefinition> entities,
                              Set<String> brokenEntities, JsonNode owner, String pointer, String kind, Problems problems) {
        JsonNode paths = owner.path("dependsOn");
        if (!paths.isArray()) {
            return;
        }
        if (!owner.has(kind)) {
            problems.add(document.fileName(), document.at(pointer + "/dependsOn").entry(), ProblemCode.DEPENDS_ON_INVALID,
                    "'dependsOn' belongs to a value computed by a rule, but there is no '" + kind + "' next to it.",
                    "remove 'dependsOn', or add the '" + kind + "' rule whose value depends on other records.");
            return;
        }
        for (int i = 0; i < paths.size(); i++) {
            String path = paths.get(i).asText();
            if (resolve(path, entity, entities).isPresent() || mentionsBroken(path, entity, brokenEntities)) {
                continue;
            }
            problems.add(document.fileName(), document.at(pointer + "/dependsOn/" + i).value(),
                    ProblemCode.DEPENDS_ON_INVALID,
                    "The path " + q(path) + " names neither a field of a record that entity " + q(entity.name())
                            + " references, nor an entity whose reference points to " + q(entity.name()) + ".",
                    "write reference.field (" + examples(entity, entities, true) + ") or entity.reference ("
                            + examples(entity, entities, false) + ").");
        }
    }

    /** A path through an entity whose file has problems is not reported again. */
    private static boolean mentionsBroken(String path, EntityDefinition entity, Set<String> brokenEntities) {
        String first = path.contains(".") ? path.substring(0, path.indexOf('.')) : path;
        return brokenEntities.contains(first) || entity.field(first)
                .map(FieldDefinition::referenceEntity).filter(brokenEntities::contains).isPresent();
    }

    private static String examples(EntityDefinition entity, Map<String, EntityDefinition> entities, boolean forward) {
        List<String> fitting;
        if (forward) {
            fitting = entity.fields().stream().filter(f -> f.type() == FieldType.REFERENCE && entities.containsKey(f.referenceEntity()))
                    .flatMap(f -> entities.get(f.referenceEntity()).fields().stream().limit(3).map(g -> f.name() + "." + g.name()))
                    .limit(6).toList();
        } else {
            fitting = entities.values().stream().flatMap(e -> e.fields().stream()
                    .filter(f -> f.type() == FieldType.REFERENCE && entity.name().equals(f.referenceEntity()))
                    .map(f -> e.name() + "." + f.name())).limit(6).toList();
        }
        return fitting.isEmpty() ? "none fits here" : "e.g. " + String.join(", ", fitting);
    }
}
