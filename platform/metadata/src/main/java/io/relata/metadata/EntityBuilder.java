package io.relata.metadata;

import com.fasterxml.jackson.databind.JsonNode;
import io.relata.api.model.AutoNumber;
import io.relata.api.model.ChoiceOption;
import io.relata.api.model.EntityDefinition;
import io.relata.api.model.FieldDefinition;
import io.relata.api.model.FieldType;
import io.relata.api.model.IndexDefinition;
import io.relata.api.model.LocalizedText;
import io.relata.api.model.NarrowBy;
import io.relata.api.model.ReverseList;
import io.relata.api.model.SourceLocation;
import io.relata.api.model.TitleTemplate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.snakeyaml.engine.v2.nodes.Node;

/**
 * Builds the {@link EntityDefinition} of a file that passed the schema, {@link EntityChecks} and
 * {@link EntityRuleChecks}, filling in the defaults: the title field and the reverse list of every
 * reference and record-link. Rules and examples are built by {@link EntityRuleBuilder}.
 */
final class EntityBuilder {

    private final YamlDocument document;
    private final RuleScripts scripts;

    private EntityBuilder(YamlDocument document, RuleScripts scripts) {
        this.document = document;
        this.scripts = scripts;
    }

    /** The entity of a checked file; its {@code file:} rules are read from {@code scripts}. */
    static EntityDefinition build(YamlDocument document, RuleScripts scripts) {
        return new EntityBuilder(document, scripts).entity();
    }

    /**
     * What an extension ({@code extensions/*.yaml}) adds to {@code base}: its fields (reverse lists named as if
     * they were the entity's own), options by field, rules and examples, each located in the extension's file.
     */
    record Additions(List<FieldDefinition> fields, Map<String, List<ChoiceOption>> options,
                     List<io.relata.api.rules.RuleDefinition> rules,
                     List<io.relata.api.rules.RuleExample> examples) {
    }

    static Additions extension(YamlDocument document, RuleScripts scripts, EntityDefinition base) {
        EntityBuilder builder = new EntityBuilder(document, scripts);
        JsonNode root = document.root();
        List<FieldDefinition> fields = new ArrayList<>();
        root.path("fields").fields().forEachRemaining(e ->
                fields.add(builder.field(base.name(), base.pluralLabel(), e.getKey(), e.getValue())));
        Map<String, List<ChoiceOption>> options = new LinkedHashMap<>();
        root.path("options").fields().forEachRemaining(e -> {
            List<ChoiceOption> added = new ArrayList<>();
            e.getValue().forEach(o -> added.add(new ChoiceOption(o.path("value").asText(), text(o.path("label")),
                    o.path("active").asBoolean(true))));
            options.put(e.getKey(), added);
        });
        EntityRuleBuilder rules = new EntityRuleBuilder(document, scripts);
        return new Additions(fields, options, rules.rules(), rules.examples());
    }

    private EntityDefinition entity() {
        JsonNode root = document.root();
        String name = root.path("name").asText();
        LocalizedText pluralLabel = text(root.path("pluralLabel"));
        List<FieldDefinition> fields = new ArrayList<>();
        root.path("fields").fields().forEachRemaining(e -> fields.add(field(name, pluralLabel, e.getKey(), e.getValue())));
        String titleField = root.hasNonNull("titleField") ? root.path("titleField").asText() : defaultTitleField(fields);
        EntityRuleBuilder rules = new EntityRuleBuilder(document, scripts);
        return new EntityDefinition(name, text(root.path("label")), pluralLabel,
                root.hasNonNull("icon") ? root.path("icon").asText() : null,
                titleField, fields, rules.rules(), rules.examples(), location(YamlDocument.pointer("name"), false),
                root.hasNonNull("readAccessFrom") ? root.path("readAccessFrom").asText() : null,
                root.hasNonNull("title") ? new TitleTemplate(root.path("title").asText()) : null,
                indexes(root.path("indexes")));
    }

    /** {@code -received_at} is descending; each index is located at its item. */
    private List<IndexDefinition> indexes(JsonNode indexes) {
        List<IndexDefinition> result = new ArrayList<>();
        for (int i = 0; i < indexes.size(); i++) {
            List<IndexDefinition.Key> keys = new ArrayList<>();
            indexes.get(i).path("fields").forEach(f -> {
                String text = f.asText();
                keys.add(new IndexDefinition.Key(text.startsWith("-") ? text.substring(1) : text, text.startsWith("-")));
            });
            result.add(new IndexDefinition(keys, location(YamlDocument.pointer("indexes", i), false)));
        }
        return result;
    }

    /** The first text field, else the first textual field, else none (records are then named by id). */
    static String defaultTitleField(List<FieldDefinition> fields) {
        return fields.stream().filter(f -> f.type() == FieldType.TEXT).findFirst()
                .or(() -> fields.stream().filter(f -> f.type().isTextual()).findFirst())
                .map(FieldDefinition::name)
                .orElse(null);
    }

    private FieldDefinition field(String entity, LocalizedText entityPluralLabel, String name, JsonNode field) {
        FieldType type = FieldType.fromYamlName(field.path("type").asText()).orElseThrow();
        List<ChoiceOption> options = new ArrayList<>();
        field.path("options").forEach(o -> options.add(new ChoiceOption(o.path("value").asText(), text(o.path("label")),
                o.path("active").asBoolean(true))));
        String referenceEntity = null;
        ReverseList reverse = null;
        if (type == FieldType.REFERENCE || type == FieldType.RECORD_LINK) {
            referenceEntity = type == FieldType.REFERENCE ? field.path("entity").asText() : null;
            JsonNode declared = field.path("reverse");
            reverse = new ReverseList(
                    declared.hasNonNull("name") ? declared.path("name").asText() : defaultReverseName(entity, name),
                    declared.hasNonNull("label") ? text(declared.path("label")) : entityPluralLabel);
        }
        return new FieldDefinition(name, text(field.path("label")), type,
                bool(field, "required"), bool(field, "unique"), bool(field, "indexed"),
                bool(field, "searchable"), bool(field, "listed"),
                integer(field, "maxLength"), integer(field, "precision"), integer(field, "scale"),
                options, referenceEntity, reverse,
                field.hasNonNull("help") ? text(field.path("help")) : null,
                FieldLimits.limit(type, field.path("min")).orElse(null),
                FieldLimits.limit(type, field.path("max")).orElse(null),
                FieldDefinition.takesPattern(type) && field.hasNonNull("pattern") ? field.path("pattern").asText() : null,
                field.hasNonNull("patternMessage") ? text(field.path("patternMessage")) : null,
                location(YamlDocument.pointer("fields", name), true),
                narrowBy(field.path("narrowBy")),
                autoNumber(field.path("autoNumber")));
    }

    private static AutoNumber autoNumber(JsonNode autoNumber) {
        if (!autoNumber.isObject() || !autoNumber.path("digits").canConvertToInt()) {
            return null;
        }
        return new AutoNumber(autoNumber.path("prefix").asText(""), autoNumber.path("digits").asInt(),
                autoNumber.path("gapless").asBoolean(false));
    }

    /** {@code via} defaults to the name of {@code field}: the same field on both entities. */
    private static NarrowBy narrowBy(JsonNode narrowBy) {
        if (!narrowBy.hasNonNull("field")) {
            return null;
        }
        String field = narrowBy.path("field").asText();
        return new NarrowBy(field, narrowBy.hasNonNull("via") ? narrowBy.path("via").asText() : field);
    }

    /** {@code contact_by_account}: unique per entity and field, so defaults never collide. */
    static String defaultReverseName(String entity, String field) {
        return entity + "_by_" + field;
    }

    private static boolean bool(JsonNode field, String key) {
        return field.path(key).asBoolean(false);
    }

    private static Integer integer(JsonNode field, String key) {
        return field.hasNonNull(key) ? field.path(key).asInt() : null;
    }

    static LocalizedText text(JsonNode node) {
        Map<String, String> values = new LinkedHashMap<>();
        node.fields().forEachRemaining(e -> values.put(e.getKey(), e.getValue().asText()));
        return new LocalizedText(values);
    }

    private SourceLocation location(String pointer, boolean atKey) {
        YamlDocument.Located located = document.at(pointer);
        Node node = atKey ? located.entry() : located.value();
        return node == null ? new SourceLocation(document.fileName(), 1, 1) : location(document.fileName(), node);
    }

    static SourceLocation location(String file, Node node) {
        return node.getStartMark()
                .map(m -> new SourceLocation(file, m.getLine() + 1, m.getColumn() + 1))
                .orElse(new SourceLocation(file, 1, 1));
    }
}
