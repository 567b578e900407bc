package io.relata.metadata;

import static io.relata.metadata.Problems.q;

import com.fasterxml.jackson.databind.JsonNode;
import io.relata.api.model.AutoNumber;
import io.relata.api.model.FieldDefinition;
import io.relata.api.model.FieldType;
import io.relata.api.model.TitleTemplate;
import java.math.BigDecimal;
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
    static final Map<String, Set<FieldType>> TYPE_SPECIFIC_KEYS = Map.ofEntries(
            Map.entry("maxLength", EnumSet.of(FieldType.TEXT, FieldType.LONG_TEXT, FieldType.EMAIL, FieldType.PHONE, FieldType.URL)),
            Map.entry("precision", EnumSet.of(FieldType.DECIMAL, FieldType.MONEY)),
            Map.entry("scale", EnumSet.of(FieldType.DECIMAL, FieldType.MONEY)),
            Map.entry("options", EnumSet.of(FieldType.CHOICE, FieldType.MULTI_CHOICE)),
            Map.entry("entity", EnumSet.of(FieldType.REFERENCE)),
            Map.entry("reverse", EnumSet.of(FieldType.REFERENCE, FieldType.RECORD_LINK)),
            Map.entry("narrowBy", EnumSet.of(FieldType.REFERENCE)),
            Map.entry("autoNumber", EnumSet.of(FieldType.TEXT)),
            // a record-link lives in two columns; a unique index over both would say little
            Map.entry("unique", EnumSet.complementOf(EnumSet.of(FieldType.RECORD_LINK))),
            Map.entry("min", EnumSet.of(FieldType.INTEGER, FieldType.DECIMAL, FieldType.MONEY, FieldType.DATE)),
            Map.entry("max", EnumSet.of(FieldType.INTEGER, FieldType.DECIMAL, FieldType.MONEY, FieldType.DATE)),
            Map.entry("pattern", EnumSet.of(FieldType.TEXT, FieldType.LONG_TEXT, FieldType.EMAIL, FieldType.PHONE, FieldType.URL)),
            Map.entry("patternMessage", EnumSet.of(FieldType.TEXT, FieldType.LONG_TEXT, FieldType.EMAIL, FieldType.PHONE, FieldType.URL)));

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

    /**
     * The checks of an extension ({@code extensions/*.yaml}) that need no other file: {@code extends} versus the
     * file name, and each added field on its own. What depends on the extended entity (a field it has already, a
     * narrowBy or an example naming its fields) is checked when the extension is applied ({@link EntityExtensions}).
     */
    static void checkExtension(YamlDocument document, Problems problems) {
        new EntityChecks(document, problems).runExtension();
    }

    private void runExtension() {
        JsonNode root = document.root();
        if (!root.isObject()) {
            return;
        }
        JsonNode extended = root.path("extends");
        String expected = document.file().baseName();
        if (extended.isTextual() && !extended.asText().equals(expected)) {
            add(YamlDocument.pointer("extends"), false, ProblemCode.EXTENSION_NAME_MISMATCH,
                    "The file extends " + q(extended.asText()) + " but is named " + q(expected) + ".",
                    "set 'extends: " + expected + "' or rename the file to " + q(extended.asText() + ".yaml") + ".");
        }
        JsonNode fields = root.path("fields");
        if (fields.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> it = fields.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> field = it.next();
                checkField(field.getKey(), field.getValue());
            }
        }
        checkLinkColumns(fields);
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
        checkTitleTemplate(root.path("title"), fields);
        checkNarrowBy(fields);
        checkExampleValues(root.path("examples"));
        checkLinkColumns(fields);
        checkReadAccessFrom(root.path("readAccessFrom"), fields);
        checkIndexes(root.path("indexes"), fields);
    }

    /** System columns an index may name ({@code id} is added to every index by the store). */
    private static final List<String> INDEXABLE_SYSTEM_COLUMNS =
            List.of("created_at", "updated_at", "version", "owner_user", "owner_team");

    /**
     * Each declared index names fields of the entity (or system columns) that can be sorted by, each once, and no
     * two indexes are the same.
     */
    private void checkIndexes(JsonNode indexes, JsonNode fields) {
        if (!indexes.isArray() || !fields.isObject()) {
            return;
        }
        List<String> names = new java.util.ArrayList<>(INDEXABLE_SYSTEM_COLUMNS);
        fields.fieldNames().forEachRemaining(names::add);
        java.util.Set<String> declared = new java.util.HashSet<>();
        for (int i = 0; i < indexes.size(); i++) {
            JsonNode keys = indexes.get(i).path("fields");
            if (!keys.isArray()) {
                continue;
            }
            java.util.Set<String> seen = new java.util.HashSet<>();
            boolean valid = true;
            for (int j = 0; j < keys.size(); j++) {
                String text = keys.get(j).asText();
                String name = text.startsWith("-") ? text.substring(1) : text;
                String pointer = YamlDocument.pointer("indexes", i, "fields", j);
                String type = fields.path(name).path("type").asText("");
                if (!name.matches("[a-z][a-z0-9_]{0,39}")) {
                    valid = false; // the schema reports it
                } else if (name.equals("id")) {
                    valid = false;
                    add(pointer, false, ProblemCode.INDEX_INVALID, "An index names 'id', which every index already "
                            + "ends with (in the direction of the key before it).", "remove 'id' from the index.");
                } else if (!names.contains(name)) {
                    valid = false;
                    add(pointer, false, ProblemCode.UNKNOWN_FIELD, "An index names " + q(name)
                            + ", which is not a field of this entity.", Suggestions.didYouMean(name, names)
                            + "name fields of this entity or the system columns " + String.join(", ",
                            INDEXABLE_SYSTEM_COLUMNS) + ".");
                } else if (type.equals(FieldType.RECORD_LINK.yamlName()) || type.equals(FieldType.LONG_TEXT.yamlName())) {
                    valid = false;
                    add(pointer, false, ProblemCode.FIELD_TYPE_MISMATCH, "An index names " + q(name) + " of type "
                            + type + ", which " + (type.equals(FieldType.LONG_TEXT.yamlName())
                            ? "can hold texts too long for an index entry." : "links records of several entities "
                            + "and has no order."), "leave " + q(name) + " out of the index.");
                } else if (!seen.add(name)) {
                    valid = false;
                    add(pointer, false, ProblemCode.INDEX_INVALID, "An index names " + q(name) + " twice.",
                            "name each field once, with the direction the list sorts it in.");
                }
            }
            if (valid && !declared.add(keys.toString())) {
                add(YamlDocument.pointer("indexes", i), false, ProblemCode.INDEX_INVALID,
                        "This index is declared twice.", "remove one of them.");
            }
        }
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
        } else if (!scale.canConvertToInt() && precision.canConvertToInt()
                && (fieldType == FieldType.DECIMAL || fieldType == FieldType.MONEY)) {
            int defaultScale = fieldType == FieldType.MONEY ? 2 : 4;
            if (precision.asInt() <= defaultScale) {
                add(YamlDocument.pointer("fields", name, "precision"), false, ProblemCode.INVALID_VALUE,
                        "Field " + q(name) + " has precision " + precision.asInt() + " (all digits), but a "
                                + fieldType.yamlName() + " keeps " + defaultScale + " digits after the point unless "
                                + "'scale' says otherwise, which leaves no digit before it.",
                        "give 'scale' too, e.g. 'precision: " + (precision.asInt() + defaultScale) + ", scale: "
                                + defaultScale + "', or 'precision: 5, scale: 1' for values like -45.5.");
            }
        }
        checkLimits(name, field, fieldType);
        checkAutoNumber(name, field, fieldType);
    }

    /** A numbered field takes no value from rules, and its numbers must fit its length. */
    private void checkAutoNumber(String name, JsonNode field, FieldType type) {
        JsonNode autoNumber = field.path("autoNumber");
        if (!autoNumber.isObject() || type != FieldType.TEXT) {
            return;
        }
        for (String rule : List.of("computed", "default")) {
            if (field.has(rule)) {
                add(YamlDocument.pointer("fields", name, rule), true, ProblemCode.CONFLICTING_RULES,
                        "Field " + q(name) + " is numbered automatically ('autoNumber') and has a " + q(rule)
                                + " rule as well; its value can only come from one of them.",
                        "remove " + q(rule) + ", or remove 'autoNumber' if a rule should set the value.");
            }
        }
        int length = autoNumber.path("prefix").asText("").replace(AutoNumber.YEAR, "0000").length()
                + autoNumber.path("digits").asInt(0);
        JsonNode maxLength = field.path("maxLength");
        if (maxLength.canConvertToInt() && maxLength.asInt() < length) {
            add(YamlDocument.pointer("fields", name, "maxLength"), false, ProblemCode.INVALID_VALUE,
                    "Field " + q(name) + " allows " + maxLength.asInt() + " characters, but its numbers ('autoNumber')"
                            + " have " + length + " already with the first counter.",
                    "make 'maxLength' at least " + length + " (better more, for larger counters), or use fewer digits"
                            + " or a shorter prefix.");
        }
    }

    // ---- min, max, pattern ----------------------------------------------------------------------------------

    /** Limits of the field's type only (others are KEY_NOT_ALLOWED_FOR_TYPE): well-formed, ordered, compiling. */
    private void checkLimits(String name, JsonNode field, FieldType type) {
        Object min = FieldDefinition.takesRange(type) ? checkLimit(name, field, "min", type) : null;
        Object max = FieldDefinition.takesRange(type) ? checkLimit(name, field, "max", type) : null;
        if (min != null && max != null && compare(min, max) > 0) {
            add(YamlDocument.pointer("fields", name, "max"), false, ProblemCode.LIMIT_INVALID,
                    "Field " + q(name) + " has max " + field.path("max").asText() + ", below its min "
                            + field.path("min").asText() + "; no value could be stored.",
                    "make 'min' at most 'max', or swap them.");
        }
        JsonNode pattern = field.path("pattern");
        if (FieldDefinition.takesPattern(type) && pattern.isTextual()) {
            FieldLimits.patternProblem(pattern.asText()).ifPresent(problem ->
                    add(YamlDocument.pointer("fields", name, "pattern"), false, ProblemCode.LIMIT_INVALID,
                            "The pattern of field " + q(name) + " is not a valid regular expression: " + problem + ".",
                            "correct it (a Java regular expression the whole value must match, e.g. '[0-9]{5}'); write "
                                    + "it in single quotes so that backslashes stay as they are."));
        } else if (FieldDefinition.takesPattern(type) && field.has("patternMessage")) {
            add(YamlDocument.pointer("fields", name, "patternMessage"), true, ProblemCode.LIMIT_INVALID,
                    "Field " + q(name) + " has a 'patternMessage' but no 'pattern'; the message would never show.",
                    "add the 'pattern' the message describes, or remove 'patternMessage'.");
        }
        literalDefault(field.path("default")).ifPresent(value -> limitedField(name, field)
                .flatMap(f -> FieldLimits.problem(f, value))
                .ifPresent(problem -> add(YamlDocument.pointer("fields", name, "default"), false,
                        ProblemCode.VALUE_OUTSIDE_LIMITS, "The default of field " + q(name) + " " + problem + ".",
                        "give a default within the field's limits, or change the limits.")));
    }

    /** The typed min or max, null if absent; a value of the wrong kind for the type is reported. */
    private Object checkLimit(String name, JsonNode field, String key, FieldType type) {
        JsonNode node = field.path(key);
        if (node.isMissingNode() || node.isNull()) {
            return null;
        }
        Optional<Object> value = FieldLimits.limit(type, node);
        if (value.isEmpty()) {
            // other kinds, and text that is no date at all, are the schema's to report
            if (node.isNumber() || node.isTextual() && node.asText().matches("[0-9]{4}-[0-9]{2}-[0-9]{2}")) {
                add(YamlDocument.pointer("fields", name, key), false, ProblemCode.LIMIT_INVALID,
                        "The " + key + " of field " + q(name) + " of type " + type.yamlName() + " is "
                                + (node.isTextual() ? q(node.asText()) : node.asText()) + ", not "
                                + FieldLimits.howToWrite(type) + ".",
                        "write " + key + " as " + FieldLimits.howToWrite(type) + ".");
            }
            return null;
        }
        if (value.get() instanceof BigDecimal decimal) {
            JsonNode scale = field.path("scale");
            int keeps = scale.canConvertToInt() ? scale.asInt()
                    : type == FieldType.MONEY ? FieldDefinition.MONEY_SCALE : FieldDefinition.DEFAULT_DECIMAL_SCALE;
            if (Math.max(decimal.stripTrailingZeros().scale(), 0) > keeps) {
                add(YamlDocument.pointer("fields", name, key), false, ProblemCode.LIMIT_INVALID,
                        "The " + key + " of field " + q(name) + " is " + decimal.toPlainString() + ", with more digits "
                                + "after the point than the field keeps (" + keeps + ").",
                        "round " + key + " to " + keeps + " digits after the point, or raise 'scale'.");
                return null;
            }
        }
        return value.get();
    }

    @SuppressWarnings("unchecked")
    private static int compare(Object a, Object b) {
        return ((Comparable<Object>) a).compareTo(b);
    }

    /**
     * The field with its well-formed limits, to judge literal values against; empty if it has none (or its
     * type is unknown).
     */
    private Optional<FieldDefinition> limitedField(String name, JsonNode field) {
        Optional<FieldType> type = FieldType.fromYamlName(field.path("type").asText(null));
        if (type.isEmpty() || !field.isObject()) {
            return Optional.empty();
        }
        Object min = FieldDefinition.takesRange(type.get()) ? FieldLimits.limit(type.get(), field.path("min")).orElse(null) : null;
        Object max = FieldDefinition.takesRange(type.get()) ? FieldLimits.limit(type.get(), field.path("max")).orElse(null) : null;
        String pattern = FieldDefinition.takesPattern(type.get()) && field.path("pattern").isTextual()
                && FieldLimits.patternProblem(field.path("pattern").asText()).isEmpty() ? field.path("pattern").asText() : null;
        if (min == null && max == null && pattern == null) {
            return Optional.empty();
        }
        return Optional.of(new FieldDefinition(name, io.relata.api.model.LocalizedText.of(name, name), type.get(), false,
                false, false, false, false, null, null, null, List.of(), null, null, null, min, max, pattern,
                null, null));
    }

    /**
     * A default script that is a plain literal: a number ({@code default: 50}, {@code "50"}) or a quoted text
     * ({@code "'10115'"}); empty for anything computed.
     */
    private static Optional<Object> literalDefault(JsonNode rule) {
        if (rule.isNumber()) {
            return Optional.ofNullable(EntityRuleBuilder.plain(rule));
        }
        if (!rule.isTextual()) {
            return Optional.empty();
        }
        String text = rule.asText().strip();
        if (NUMBER_LITERAL.matcher(text).matches()) {
            return Optional.of(text.contains(".") ? (Object) new BigDecimal(text) : (Object) Long.parseLong(text));
        }
        if (text.length() >= 2 && (text.charAt(0) == '\'' || text.charAt(0) == '"')
                && text.charAt(text.length() - 1) == text.charAt(0)
                && text.indexOf(text.charAt(0), 1) == text.length() - 1 && text.indexOf('\\') < 0) {
            return Optional.of(text.substring(1, text.length() - 1));
        }
        return Optional.empty();
    }

    private static final java.util.regex.Pattern NUMBER_LITERAL = java.util.regex.Pattern.compile("-?[0-9]{1,18}(\\.[0-9]+)?");

    /**
     * Values of examples ({@code record}, {@code previous}, {@code expect.values}) outside their field's limits:
     * such a record could never be stored, and a rule expected to compute one would have every save refused.
     */
    private void checkExampleValues(JsonNode examples) {
        JsonNode fields = document.root().path("fields");
        if (!examples.isArray() || !fields.isObject()) {
            return;
        }
        for (int i = 0; i < examples.size(); i++) {
            JsonNode example = examples.get(i);
            String label = example.path("name").isTextual() ? example.path("name").asText() : "example " + (i + 1);
            for (String[] part : new String[][] {{"record"}, {"previous"}, {"expect", "values"}}) {
                JsonNode values = part.length == 1 ? example.path(part[0]) : example.path(part[0]).path(part[1]);
                if (!values.isObject()) {
                    continue;
                }
                int index = i;
                values.fields().forEachRemaining(e -> limitedField(e.getKey(), fields.path(e.getKey()))
                        .flatMap(f -> FieldLimits.problem(f, EntityRuleBuilder.plain(e.getValue())))
                        .ifPresent(problem -> add(part.length == 1
                                        ? YamlDocument.pointer("examples", index, part[0], e.getKey())
                                        : YamlDocument.pointer("examples", index, part[0], part[1], e.getKey()),
                                false, ProblemCode.VALUE_OUTSIDE_LIMITS,
                                "Example " + q(label) + ": " + e.getKey() + " " + problem + "; the record store would "
                                        + "refuse it.",
                                "give the example a value within the field's limits, or change the limits.")));
            }
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

    /** Every placeholder of {@code title} names a textual field of the entity. */
    private void checkTitleTemplate(JsonNode title, JsonNode fields) {
        if (!title.isTextual() || !fields.isObject()) {
            return;
        }
        List<String> textual = textualFieldNames(fields);
        for (String name : new TitleTemplate(title.asText()).fields()) {
            JsonNode field = fields.path(name);
            Optional<FieldType> type = FieldType.fromYamlName(field.path("type").asText(null));
            if (field.isMissingNode()) {
                add(YamlDocument.pointer("title"), false, ProblemCode.UNKNOWN_TITLE_FIELD,
                        "The title template names {" + name + "}, which is not a field of this entity.",
                        Suggestions.didYouMean(name, textual) + "use the textual fields: " + String.join(", ", textual)
                                + ", each written as {name}.");
            } else if (type.isPresent() && !type.get().isTextual()) {
                add(YamlDocument.pointer("title"), false, ProblemCode.TITLE_FIELD_NOT_TEXTUAL,
                        "The title template names {" + name + "} of type " + type.get().yamlName()
                                + ", but a title is made of text.",
                        "use the textual fields: " + String.join(", ", textual) + ".");
            }
        }
    }

    /**
     * {@code narrowBy.field} is another reference field of this entity; whether {@code via} fits is checked with the
     * referenced entity in {@link ModelResolver}.
     */
    private void checkNarrowBy(JsonNode fields) {
        if (!fields.isObject()) {
            return;
        }
        List<String> references = new java.util.ArrayList<>();
        fields.fields().forEachRemaining(e -> {
            if (FieldType.REFERENCE.yamlName().equals(e.getValue().path("type").asText(null))) {
                references.add(e.getKey());
            }
        });
        fields.fields().forEachRemaining(e -> {
            JsonNode by = e.getValue().path("narrowBy").path("field");
            if (!by.isTextual() || !references.contains(e.getKey())) {
                return;
            }
            String name = by.asText();
            List<String> others = references.stream().filter(r -> !r.equals(e.getKey())).toList();
            String choices = others.isEmpty() ? "add a reference field to narrow by, or remove 'narrowBy'."
                    : "use another reference field of this entity: " + String.join(", ", others) + ".";
            String pointer = YamlDocument.pointer("fields", e.getKey(), "narrowBy", "field");
            if (!fields.has(name)) {
                add(pointer, false, ProblemCode.UNKNOWN_FIELD, "Field " + q(e.getKey()) + " is narrowed by " + q(name)
                        + ", which is not a field of this entity.", Suggestions.didYouMean(name, others) + choices);
            } else if (!others.contains(name)) {
                add(pointer, false, ProblemCode.FIELD_TYPE_MISMATCH, "Field " + q(e.getKey()) + " is narrowed by "
                        + q(name) + (name.equals(e.getKey()) ? ", itself" : ", which is not a reference")
                        + "; only the record another reference points to can narrow a picker.", choices);
            }
        });
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
