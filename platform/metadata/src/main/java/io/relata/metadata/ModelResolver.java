package io.relata.metadata;

import static io.relata.metadata.Problems.q;

import io.relata.api.model.EntityDefinition;
import io.relata.api.model.FieldDefinition;
import io.relata.api.model.FieldType;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.snakeyaml.engine.v2.nodes.Node;

/**
 * Pass 2: checks what only the whole set of files can tell — duplicate entities, reference targets and
 * duplicate reverse lists. Entities whose files failed pass 1 count as existing, so that a typo in
 * account.yaml does not also make every reference to account fail.
 */
final class ModelResolver {

    /** An entity built in pass 1, with the document it came from for positions. */
    record ParsedEntity(YamlDocument document, EntityDefinition definition) {
    }

    private record ReverseOwner(ParsedEntity entity, FieldDefinition field) {
        String describe() {
            return "field " + q(field.name()) + " of entity " + q(entity.definition().name()) + " (" + field.location() + ")";
        }
    }

    private ModelResolver() {
    }

    /** The entities by name in load order; problems are added for everything unresolved. */
    static Map<String, EntityDefinition> resolve(List<ParsedEntity> parsed, Set<String> brokenEntities,
                                                 Problems problems) {
        Map<String, ParsedEntity> byName = new LinkedHashMap<>();
        for (ParsedEntity entity : parsed) {
            String name = entity.definition().name();
            ParsedEntity first = byName.putIfAbsent(name, entity);
            if (first != null) {
                problems.add(entity.document().fileName(), node(entity, false, "name"), ProblemCode.DUPLICATE_ENTITY,
                        "Entity " + q(name) + " is defined twice: here and in " + first.definition().location() + ".",
                        "remove or rename one of the two definitions; an entity name must be unique across all "
                                + "metadata directories.");
            }
        }
        Set<String> known = new TreeSet<>(byName.keySet());
        known.addAll(brokenEntities);
        Map<String, ReverseOwner> reverseLists = new HashMap<>();
        for (ParsedEntity entity : byName.values()) {
            for (FieldDefinition field : entity.definition().fields()) {
                if (field.type() == FieldType.RECORD_LINK) {
                    // listed on the page of every entity's records: its name must be free on all of them
                    for (String target : byName.keySet()) {
                        if (!reverseListIsFree(reverseLists, target, entity, field, problems)) {
                            break;
                        }
                    }
                    continue;
                }
                if (field.type() != FieldType.REFERENCE) {
                    continue;
                }
                String target = field.referenceEntity();
                if (!known.contains(target)) {
                    problems.add(entity.document().fileName(), node(entity, false, "fields", field.name(), "entity"),
                            ProblemCode.UNKNOWN_REFERENCE_TARGET,
                            "Field " + q(field.name()) + " references entity " + q(target) + ", which does not exist.",
                            Suggestions.didYouMean(target, known) + "use one of: " + String.join(", ", byName.keySet()) + ".");
                    continue;
                }
                reverseListIsFree(reverseLists, target, entity, field, problems);
            }
        }
        for (ParsedEntity entity : byName.values()) {
            entity.definition().fields().stream().filter(f -> f.narrowBy() != null)
                    .forEach(field -> checkNarrowVia(entity, field, byName, problems));
        }
        Map<String, EntityDefinition> entities = new LinkedHashMap<>();
        byName.forEach((name, entity) -> entities.put(name, entity.definition()));
        return entities;
    }

    /**
     * The {@code via} field of a narrowed reference is a reference of the referenced entity to the entity that the
     * {@code narrowBy.field} references: a contact's account for an activity's account. Unresolved targets and a
     * wrong {@code field} are reported elsewhere.
     */
    private static void checkNarrowVia(ParsedEntity entity, FieldDefinition field, Map<String, ParsedEntity> byName,
                                       Problems problems) {
        FieldDefinition by = entity.definition().field(field.narrowBy().field())
                .filter(f -> f.type() == FieldType.REFERENCE).orElse(null);
        ParsedEntity target = byName.get(field.referenceEntity());
        if (by == null || target == null) {
            return;
        }
        String via = field.narrowBy().via();
        List<String> fitting = target.definition().fields().stream()
                .filter(f -> f.type() == FieldType.REFERENCE && f.referenceEntity().equals(by.referenceEntity()))
                .map(FieldDefinition::name).toList();
        String choices = fitting.isEmpty()
                ? "entity " + q(target.definition().name()) + " has no reference to " + q(by.referenceEntity())
                        + "; add one or remove 'narrowBy'."
                : "name the field of " + q(target.definition().name()) + " that references " + q(by.referenceEntity())
                        + ": 'via: " + String.join("' or 'via: ", fitting) + "'.";
        Node node = node(entity, false, "fields", field.name(), "narrowBy", "via");
        Node at = node != null ? node : node(entity, false, "fields", field.name(), "narrowBy", "field");
        FieldDefinition viaField = target.definition().field(via).orElse(null);
        if (viaField == null) {
            problems.add(entity.document().fileName(), at, ProblemCode.UNKNOWN_FIELD,
                    "Field " + q(field.name()) + " is narrowed via " + q(via) + ", which is not a field of entity "
                            + q(target.definition().name()) + ".",
                    Suggestions.didYouMean(via, fitting) + choices);
        } else if (!fitting.contains(via)) {
            problems.add(entity.document().fileName(), at, ProblemCode.FIELD_TYPE_MISMATCH,
                    "Field " + q(field.name()) + " is narrowed via " + q(via) + " of entity " + q(target.definition().name())
                            + ", which is not a reference to " + q(by.referenceEntity()) + " like " + q(by.name())
                            + "; the two could never be equal.",
                    choices);
        }
    }

    /** Claims the field's reverse list name on {@code target}; false (with a problem) if it is taken. */
    private static boolean reverseListIsFree(Map<String, ReverseOwner> reverseLists, String target, ParsedEntity entity,
                                             FieldDefinition field, Problems problems) {
        ReverseOwner first = reverseLists.putIfAbsent(target + "\n" + field.reverseList().name(),
                new ReverseOwner(entity, field));
        if (first == null) {
            return true;
        }
        problems.add(entity.document().fileName(), reverseNode(entity, field), ProblemCode.DUPLICATE_REVERSE_LIST,
                "Reverse list " + q(field.reverseList().name()) + " on entity " + q(target)
                        + " is already defined by " + first.describe() + ".",
                "give field " + q(field.name()) + " its own list name, e.g. 'reverse: {name: "
                        + EntityBuilder.defaultReverseName(entity.definition().name(), field.name()) + "}'.");
        return false;
    }

    /** The reverse list's name if written, else the reference field's key. */
    private static Node reverseNode(ParsedEntity entity, FieldDefinition field) {
        Node name = node(entity, false, "fields", field.name(), "reverse", "name");
        return name != null ? name : node(entity, true, "fields", field.name());
    }

    /** The YAML key or value node at a path, or null if the path does not exist. */
    private static Node node(ParsedEntity entity, boolean atKey, Object... path) {
        String pointer = YamlDocument.pointer(path);
        if (!entity.document().has(pointer)) {
            return null;
        }
        YamlDocument.Located located = entity.document().at(pointer);
        return atKey ? located.entry() : located.value();
    }
}
