package io.relata.store;

import io.relata.api.model.ChoiceOption;
import io.relata.api.model.EntityDefinition;
import io.relata.api.model.FieldDefinition;
import io.relata.api.model.FieldType;
import io.relata.api.model.LocalizedText;
import io.relata.api.model.MetadataModel;
import io.relata.api.model.ReverseList;
import io.relata.api.model.SourceLocation;
import io.relata.api.rules.RuleDefinition;
import io.relata.api.rules.RuleKind;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Builds metadata models in test code: {@code new ModelBuilder().entity("account", "name").field("name",
 * TEXT).required()...build()}. Each call on a field applies to the field added last.
 */
final class ModelBuilder {

    private final Map<String, EntityBuilder> entities = new LinkedHashMap<>();

    EntityBuilder entity(String name, String titleField) {
        EntityBuilder entity = new EntityBuilder(name, titleField);
        entities.put(name, entity);
        return entity;
    }

    /** The builder of an entity added before, to add fields to it. */
    EntityBuilder edit(String name) {
        return entities.get(name);
    }

    /** Removes a field added before. */
    ModelBuilder withoutField(String entityName, String fieldName) {
        entities.get(entityName).fields.removeIf(f -> f.name.equals(fieldName));
        return this;
    }

    /** Removes an entity added before. */
    ModelBuilder withoutEntity(String entityName) {
        entities.remove(entityName);
        return this;
    }

    /** Replaces the definition of a field added before: the new field is configured and moved to the end. */
    FieldBuilder redefine(String entityName, String fieldName, FieldType type) {
        withoutField(entityName, fieldName);
        return entities.get(entityName).field(fieldName, type);
    }

    MetadataModel build() {
        Map<String, EntityDefinition> built = new LinkedHashMap<>();
        entities.forEach((name, entity) -> built.put(name, entity.definition()));
        return new MetadataModel(built, "test-" + built.hashCode(), Instant.EPOCH);
    }

    final class EntityBuilder {
        private final String name;
        private final String titleField;
        private io.relata.api.model.TitleTemplate title;
        private final List<FieldBuilder> fields = new ArrayList<>();
        private final List<RuleDefinition> rules = new ArrayList<>();
        private String readAccessFrom;
        private final List<io.relata.api.model.IndexDefinition> indexes = new ArrayList<>();

        private EntityBuilder(String name, String titleField) {
            this.name = name;
            this.titleField = titleField;
        }

        FieldBuilder field(String fieldName, FieldType type) {
            FieldBuilder field = new FieldBuilder(this, fieldName, type);
            fields.add(field);
            return field;
        }

        EntityBuilder entity(String entityName, String title) {
            return ModelBuilder.this.entity(entityName, title);
        }

        /**
         * Adds a rule about {@code field} (null for validations). Its source is its name: {@link FakeRules}
         * looks the Java function up by it.
         */
        EntityBuilder rule(String ruleName, RuleKind kind, String field) {
            return rule(ruleName, kind, field, null);
        }

        /** Adds a rule with a reasons field (scores). */
        EntityBuilder rule(String ruleName, RuleKind kind, String field, String reasonsField) {
            rules.add(new RuleDefinition(ruleName, kind, field, reasonsField, ruleName,
                    "metadata/entities/" + name + ".yaml", SourceLocation.UNKNOWN));
            return this;
        }

        /** Whoever may read the record {@code field} links to may read this entity's record (readAccessFrom). */
        EntityBuilder readAccessFrom(String field) {
            readAccessFrom = field;
            return this;
        }

        /** The last rule's value depends on these paths of other records ({@code dependsOn}). */
        EntityBuilder dependsOn(String... paths) {
            RuleDefinition last = rules.remove(rules.size() - 1);
            rules.add(new RuleDefinition(last.name(), last.kind(), last.field(), last.reasonsField(), last.source(),
                    last.sourceName(), last.start(), List.of(paths)));
            return this;
        }

        /** Records are named by a template, e.g. {@code "{first_name} {last_name}"}. */
        EntityBuilder title(String template) {
            title = new io.relata.api.model.TitleTemplate(template);
            return this;
        }

        /** Declares a composite index: field names, {@code -name} descending (as in YAML). */
        EntityBuilder index(String... keys) {
            indexes.add(new io.relata.api.model.IndexDefinition(java.util.Arrays.stream(keys)
                    .map(k -> new io.relata.api.model.IndexDefinition.Key(k.replaceFirst("^-", ""), k.startsWith("-")))
                    .toList(), SourceLocation.UNKNOWN));
            return this;
        }

        MetadataModel build() {
            return ModelBuilder.this.build();
        }

        private EntityDefinition definition() {
            return new EntityDefinition(name, text(name), text(name + "s"), null, titleField,
                    fields.stream().map(FieldBuilder::definition).toList(), rules, List.of(), SourceLocation.UNKNOWN,
                    readAccessFrom, title, indexes);
        }
    }

    final class FieldBuilder {
        private final EntityBuilder entity;
        private final String name;
        private final FieldType type;
        private boolean required;
        private boolean unique;
        private boolean indexed;
        private boolean searchable;
        private Integer maxLength;
        private Integer precision;
        private Integer scale;
        private List<String> options = List.of();
        private List<String> retired = List.of();
        private String reference;
        private Object min;
        private Object max;
        private String pattern;
        private LocalizedText patternMessage;

        private io.relata.api.model.AutoNumber autoNumber;

        private FieldBuilder(EntityBuilder entity, String name, FieldType type) {
            this.entity = entity;
            this.name = name;
            this.type = type;
        }

        FieldBuilder required() {
            required = true;
            return this;
        }

        FieldBuilder unique() {
            unique = true;
            return this;
        }

        FieldBuilder indexed() {
            indexed = true;
            return this;
        }

        FieldBuilder searchable() {
            searchable = true;
            return this;
        }

        FieldBuilder maxLength(int length) {
            maxLength = length;
            return this;
        }

        FieldBuilder digits(int totalDigits, int digitsAfterPoint) {
            precision = totalDigits;
            scale = digitsAfterPoint;
            return this;
        }

        /** {@code min} and {@code max} of the field's Java type (Long, BigDecimal, LocalDate); null: none. */
        FieldBuilder limits(Object smallest, Object largest) {
            min = smallest;
            max = largest;
            return this;
        }

        FieldBuilder pattern(String regex, String english) {
            pattern = regex;
            patternMessage = english == null ? null : text(english);
            return this;
        }

        FieldBuilder autoNumber(String prefix, int digits) {
            autoNumber = new io.relata.api.model.AutoNumber(prefix, digits);
            return this;
        }

        FieldBuilder gaplessNumber(String prefix, int digits) {
            autoNumber = new io.relata.api.model.AutoNumber(prefix, digits, true);
            return this;
        }

        FieldBuilder options(String... values) {
            options = Arrays.asList(values);
            return this;
        }

        /** Marks options given before as retired ({@code active: false}). */
        FieldBuilder retired(String... values) {
            retired = Arrays.asList(values);
            return this;
        }

        FieldBuilder references(String entityName) {
            reference = entityName;
            return this;
        }

        FieldBuilder field(String fieldName, FieldType fieldType) {
            return entity.field(fieldName, fieldType);
        }

        EntityBuilder rule(String ruleName, RuleKind kind, String field) {
            return entity.rule(ruleName, kind, field);
        }

        EntityBuilder rule(String ruleName, RuleKind kind, String field, String reasonsField) {
            return entity.rule(ruleName, kind, field, reasonsField);
        }

        EntityBuilder entity(String entityName, String title) {
            return ModelBuilder.this.entity(entityName, title);
        }

        EntityBuilder readAccessFrom(String field) {
            return entity.readAccessFrom(field);
        }

        MetadataModel build() {
            return ModelBuilder.this.build();
        }

        private FieldDefinition definition() {
            boolean linked = reference != null || type == FieldType.RECORD_LINK;
            return new FieldDefinition(name, text(name), type, required, unique, indexed, searchable, true,
                    maxLength, precision, scale,
                    options.stream().map(o -> new ChoiceOption(o, text(o), !retired.contains(o))).toList(),
                    reference, linked ? new ReverseList(entity.name + "s", text(entity.name + "s")) : null,
                    null, min, max, pattern, patternMessage, SourceLocation.UNKNOWN, null, autoNumber);
        }
    }

    private static LocalizedText text(String english) {
        return new LocalizedText(Map.of("en", english));
    }
}
