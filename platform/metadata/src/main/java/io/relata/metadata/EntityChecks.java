package io.relata.metadata;

import static io.relata.metadata.Problems.q;

import com.fasterxml.jackson.databind.JsonNode;
import io.relata.api.model.FieldType;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.snakeyaml.engine.v2.nodes.Node;

/**
 * The rules of one entity file that the JSON Schema cannot word well: name versus file name, reserved
 * field names, keys that only some field types accept, unique option values, the title field. They run on
 * the raw tree even when the schema found problems, and never assume the schema was satisfied.
 */
final class EntityChecks {

    /** The system columns of every record table; owner_user and owner_team since access control (0.2). */
    static final Set<String> RESERVED_FIELD_NAMES =
            Set.of("id", "version", "created_at", "updated_at", "owner_user", "owner_team");

    /** Field keys that only some types accept, with those types. */
    static final Map<String, Set<FieldType>> TYPE_SPECIFIC_KEYS = Map.of(
            "maxLength", EnumSet.of(FieldType.TEXT, FieldType.LONG_TEXT, FieldType.EMAIL, FieldType.PHONE, FieldType.URL),
            "precision", EnumSet.of(FieldType.DECIMAL, FieldType.MONEY),
            "scale", EnumSet.of(FieldType.DECIMAL, FieldType.MONEY),
            "options", EnumSet.of(FieldType.CHOICE, FieldType.MULTI_CHOICE),
            "entity", EnumSet.of(FieldType.REFERENCE),
            "reverse", EnumSet.of(FieldType.REFERENCE, FieldType.RECORD_LINK),
            // a record-link lives in two columns; a unique index over both would say little
            "unique", EnumSet.complementOf(EnumSet.of(FieldType.RECORD_LINK)));

    /** The suffix of the column that holds a record-link's entity (the id is in the field's own column). */
    static final String LINK_ENTITY_SUFFIX = "_entity";

    private final YamlDocument document;
    private final Problems problems;

    private EntityChecks(YamlDocument document, Problems problems) {
        this.document = document;
        this.problems = problems;
    }

    static void check(YamlDocument document, Problems problems) {
        new EntityChecks(document, problems).run();
    }

    private void run() {
        JsonNode root = document.root();
        if (!root.isObject()) {
            return;
        }
        problems.nameMatchesFile(document, "entity", ProblemCode.ENTITY_NAME_MISMATCH, null);
        JsonNode fields = root.path("fields");
        if (fields.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> it = fields.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> field = it.next();
                checkField(field.getKey(), field.getValue());
            }
        }
        checkTitleField(root.path("titleField"), fields);
        checkLinkColumns(fields);
        checkReadAccessFrom(root.path("readAccessFrom"), fields);
    }

    /** The column of a record-link's entity ({@code <field>_entity}) is not free for another field. */
    private void checkLinkColumns(JsonNode fields) {
        if (!fields.isObject()) {
            return;
        }
        fields.fields().forEachRemaining(e -> {
            if (FieldType.RECORD_LINK.yamlName().equals(e.getValue().path("type").asText(null))) {
                String column = e.getKey() + LINK_ENTITY_SUFFIX;
                if (fields.has(column)) {
                    add(YamlDocument.pointer("fields", column), true, ProblemCode.RESERVED_FIELD_NAME,
                            "Field name " + q(column) + " is taken: the record-link field " + q(e.getKey())
                                    + " keeps the entity of its linked record in a column of that name.",
                            "rename " + q(column) + " or the record-link field " + q(e.getKey()) + ".");
                }
            }
        });
    }

    /** {@code readAccessFrom} names a reference or record-link field of the entity. */
    private void checkReadAccessFrom(JsonNode readAccessFrom, JsonNode fields) {
        if (!readAccessFrom.isTextual() || !fields.isObject()) {
            return;
        }
        String name = readAccessFrom.asText();
        List<String> links = new java.util.ArrayList<>();
        fields.fields().forEachRemaining(e -> {
            String type = e.getValue().path("type").asText("");
            if (type.equals(FieldType.REFERENCE.yamlName()) || type.equals(FieldType.RECORD_LINK.yamlName())) {
                links.add(e.getKey());
            }
        });
        String choices = links.isEmpty() ? "add a field of type record-link (or reference) and name it here, or remove "
                + "'readAccessFrom'." : "use one of the reference and record-link fields: " + String.join(", ", links) + ".";
        JsonNode field = fields.path(name);
        if (field.isMissingNode()) {
            add(YamlDocument.pointer("readAccessFrom"), false, ProblemCode.UNKNOWN_FIELD,
                    "'readAccessFrom' names " + q(name) + ", which is not a field of this entity.",
                    Suggestions.didYouMean(name, links) + choices);
        } else if (!links.contains(name)) {
            add(YamlDocument.pointer("readAccessFrom"), false, ProblemCode.FIELD_TYPE_MISMATCH,
                    "'readAccessFrom' names " + q(name) + " of type " + field.path("type").asText("?")
                            + ", but only a link to another record can decide who may read a record.",
                    choices);
        }
    }

    private void checkField(String name, JsonNode field) {
        if (RESERVED_FIELD_NAMES.contains(name)) {
            add(YamlDocument.pointer("fields", name), true, ProblemCode.RESERVED_FIELD_NAME,
                    "Field name " + q(name) + " is reserved for a system column.",
                    "rename the field; the names id, version, created_at, updated_at, owner_user and owner_team "
                            + "are maintained by Relata itself and available on every record.");
        }
        Optional<FieldType> type = FieldType.fromYamlName(field.path("type").asText(null));
        if (!field.isObject() || type.isEmpty()) {
            return;
        }
        FieldType fieldType = type.get();
        TYPE_SPECIFIC_KEYS.entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(rule -> {
            if (field.has(rule.getKey()) && !rule.getValue().contains(fieldType)) {
                add(YamlDocument.pointer("fields", name, rule.getKey()), true, ProblemCode.KEY_NOT_ALLOWED_FOR_TYPE,
                        "Key " + q(rule.getKey()) + " is not allowed on field " + q(name) + " of type "
                                + fieldType.yamlName() + "; it only applies to " + yamlNames(rule.getValue()) + ".",
                        "remove " + q(rule.getKey()) + " or change the type to one of: " + yamlNames(rule.getValue()) + ".");
            }
        });
        if (TYPE_SPECIFIC_KEYS.get("options").contains(fieldType) && !field.has("options")) {
            add(YamlDocument.pointer("fields", name), true, ProblemCode.MISSING_KEY,
                    "Field " + q(name) + " of type " + fieldType.yamlName() + " is missing the required key 'options'.",
                    "add 'options:' with a list of allowed values, e.g. "
                            + "'- {value: active, label: {de: Aktiv, en: Active}}'.");
        }
        if (fieldType == FieldType.REFERENCE && !field.has("entity")) {
            add(YamlDocument.pointer("fields", name), true, ProblemCode.MISSING_KEY,
                    "Reference field " + q(name) + " is missing the required key 'entity'.",
                    "add 'entity:' with the name of the referenced entity, e.g. 'entity: account'.");
        }
        if (field.path("searchable").asBoolean(false) && !fieldType.isTextual()) {
            add(YamlDocument.pointer("fields", name, "searchable"), true, ProblemCode.NOT_SEARCHABLE_TYPE,
                    "Field " + q(name) + " of type " + fieldType.yamlName() + " cannot be searchable; the quick search "
                            + "only looks into text.",
                    "remove 'searchable: true' (use 'indexed: true' for fast filtering), or use one of the types "
                            + yamlNames(textualTypes()) + ".");
        }
        checkOptions(name, field.path("options"));
        JsonNode precision = field.path("precision");
        JsonNode scale = field.path("scale");
        int effectivePrecision = precision.canConvertToInt() ? precision.asInt() : 19;
        if (scale.canConvertToInt() && scale.asInt() > effectivePrecision) {
            add(YamlDocument.pointer("fields", name, "scale"), false, ProblemCode.INVALID_VALUE,
                    "Field " + q(name) + " has scale " + scale.asInt() + ", more than its precision "
                            + effectivePrecision + ".",
                    "make 'scale' (digits after the point) at most 'precision' (all digits).");
        }
    }

    private void checkOptions(String field, JsonNode options) {
        if (!options.isArray()) {
            return;
        }
        Map<String, Integer> seen = new HashMap<>();
        for (int i = 0; i < options.size(); i++) {
            JsonNode value = options.get(i).path("value");
            if (!value.isTextual()) {
                continue;
            }
            Integer first = seen.putIfAbsent(value.asText(), i);
            if (first != null) {
                Node firstNode = document.at(YamlDocument.pointer("fields", field, "options", first, "value")).value();
                add(YamlDocument.pointer("fields", field, "options", i, "value"), false, ProblemCode.OPTION_DUPLICATE,
                        "Option value " + q(value.asText()) + " appears twice in field " + q(field)
                                + "; it was first given at line " + Problems.line(firstNode) + ".",
                        "give every option of the field its own value, or remove the duplicate.");
            }
        }
    }

    private void checkTitleField(JsonNode titleField, JsonNode fields) {
        if (!titleField.isTextual() || !fields.isObject()) {
            return;
        }
        String title = titleField.asText();
        List<String> textual = textualFieldNames(fields);
        JsonNode field = fields.path(title);
        if (field.isMissingNode()) {
            add(YamlDocument.pointer("titleField"), false, ProblemCode.UNKNOWN_TITLE_FIELD,
                    "The title field " + q(title) + " is not a field of this entity.",
                    Suggestions.didYouMean(title, textual) + (textual.isEmpty()
                            ? "remove 'titleField' or add a text field."
                            : "use one of the textual fields: " + String.join(", ", textual) + "."));
            return;
        }
        Optional<FieldType> type = FieldType.fromYamlName(field.path("type").asText(null));
        if (type.isPresent() && !type.get().isTextual()) {
            add(YamlDocument.pointer("titleField"), false, ProblemCode.TITLE_FIELD_NOT_TEXTUAL,
                    "The title field " + q(title) + " has type " + type.get().yamlName()
                            + ", but a title must be text.",
                    textual.isEmpty() ? "remove 'titleField' or add a text field."
                            : "use one of the textual fields: " + String.join(", ", textual) + ".");
        }
    }

    private static List<String> textualFieldNames(JsonNode fields) {
        List<String> names = new java.util.ArrayList<>();
        fields.fields().forEachRemaining(e -> {
            if (FieldType.fromYamlName(e.getValue().path("type").asText(null)).filter(FieldType::isTextual).isPresent()) {
                names.add(e.getKey());
            }
        });
        return names;
    }

    static Set<FieldType> textualTypes() {
        return Arrays.stream(FieldType.values()).filter(FieldType::isTextual)
                .collect(Collectors.toCollection(() -> EnumSet.noneOf(FieldType.class)));
    }

    static String yamlNames(Set<FieldType> types) {
        return types.stream().map(FieldType::yamlName).collect(Collectors.joining(", "));
    }

    private void add(String pointer, boolean atKey, ProblemCode code, String message, String fix) {
        YamlDocument.Located located = document.at(pointer);
        problems.add(document.fileName(), atKey ? located.entry() : located.value(), code, message, fix);
    }
}
