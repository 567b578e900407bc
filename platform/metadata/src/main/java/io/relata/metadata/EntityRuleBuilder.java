package io.relata.metadata;

import com.fasterxml.jackson.databind.JsonNode;
import io.relata.api.model.SourceLocation;
import io.relata.api.rules.RuleDefinition;
import io.relata.api.rules.RuleExample;
import io.relata.api.rules.RuleKind;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Builds the {@link RuleDefinition}s and {@link RuleExample}s of an entity file that passed the schema,
 * {@link EntityChecks} and {@link EntityRuleChecks}. Rules come in file order: the field-level rules field by
 * field (named {@code <field>.<kind>}, e.g. {@code loss_reason.visibleWhen}), then the list under
 * {@code rules:}.
 */
final class EntityRuleBuilder {

    private final YamlDocument document;
    private final RuleScripts scripts;

    EntityRuleBuilder(YamlDocument document, RuleScripts scripts) {
        this.document = document;
        this.scripts = scripts;
    }

    List<RuleDefinition> rules() {
        List<RuleDefinition> rules = new ArrayList<>();
        document.root().path("fields").fields().forEachRemaining(field ->
                field.getValue().fieldNames().forEachRemaining(key -> RuleKind.fromYamlName(key)
                        .filter(EntityRuleChecks.FIELD_KINDS::contains)
                        .ifPresent(kind -> rules.add(rule(field.getKey() + "." + key, kind, field.getKey(), null,
                                YamlDocument.pointer("fields", field.getKey(), key),
                                kind == RuleKind.COMPUTED ? field.getValue().path("dependsOn") : null)))));
        JsonNode entityRules = document.root().path("rules");
        for (int i = 0; i < entityRules.size(); i++) {
            JsonNode rule = entityRules.get(i);
            RuleKind kind = rule.has(RuleKind.SCORE.yamlName()) ? RuleKind.SCORE : RuleKind.VALIDATION;
            rules.add(rule(rule.path("name").asText(), kind, text(rule, "field"), text(rule, "reasonsField"),
                    YamlDocument.pointer("rules", i, kind.yamlName()), rule.path("dependsOn")));
        }
        return rules;
    }

    List<RuleExample> examples() {
        List<RuleExample> examples = new ArrayList<>();
        JsonNode list = document.root().path("examples");
        for (int i = 0; i < list.size(); i++) {
            JsonNode example = list.get(i);
            List<String> roles = new ArrayList<>();
            example.path("roles").forEach(r -> roles.add(r.asText()));
            examples.add(new RuleExample(example.path("name").asText(), map(example.path("record")),
                    example.has("previous") ? map(example.path("previous")) : null, List.copyOf(roles),
                    map(example.path("expect")), location(YamlDocument.pointer("examples", i)),
                    example.hasNonNull("language") ? example.path("language").asText() : null,
                    related(example.path("related"))));
        }
        return examples;
    }

    /** An example's {@code related:} records by entity (the schema has checked the shape). */
    private static Map<String, List<Map<String, Object>>> related(JsonNode related) {
        Map<String, List<Map<String, Object>>> records = new LinkedHashMap<>();
        related.fields().forEachRemaining(e -> {
            List<Map<String, Object>> list = new ArrayList<>();
            e.getValue().forEach(item -> list.add(map(item)));
            records.put(e.getKey(), List.copyOf(list));
        });
        return records;
    }

    private RuleDefinition rule(String name, RuleKind kind, String field, String reasonsField, String pointer,
                                JsonNode dependsOn) {
        RuleScripts.Script script = scripts.at(document, pointer)
                .orElseThrow(() -> new IllegalStateException("rule " + name + " passed the checks without a script"));
        List<String> paths = new ArrayList<>();
        if (dependsOn != null) {
            dependsOn.forEach(path -> paths.add(path.asText()));
        }
        return new RuleDefinition(name, kind, field, reasonsField, script.source(), script.sourceName(), script.start(),
                paths);
    }

    private SourceLocation location(String pointer) {
        YamlDocument.Located located = document.at(pointer);
        return located.value() == null ? new SourceLocation(document.fileName(), 1, 1)
                : EntityBuilder.location(document.fileName(), located.value());
    }

    private static String text(JsonNode node, String key) {
        return node.hasNonNull(key) ? node.path(key).asText() : null;
    }

    /** A YAML mapping as plain Java values in file order; null values are kept (a field set to empty). */
    private static Map<String, Object> map(JsonNode object) {
        Map<String, Object> values = new LinkedHashMap<>();
        object.fields().forEachRemaining(e -> values.put(e.getKey(), plain(e.getValue())));
        return Collections.unmodifiableMap(values);
    }

    /**
     * Text as String, whole numbers as Long (BigInteger if too large), other numbers as BigDecimal, true/false
     * as Boolean, lists as List, mappings as Map, empty as null. Dates stay text (YAML 1.2 has no date type).
     */
    static Object plain(JsonNode node) {
        if (node == null || node.isNull() || node.isMissingNode()) {
            return null;
        }
        if (node.isObject()) {
            return map(node);
        }
        if (node.isArray()) {
            List<Object> items = new ArrayList<>();
            node.forEach(item -> items.add(plain(item)));
            return Collections.unmodifiableList(items);
        }
        if (node.isBoolean()) {
            return node.asBoolean();
        }
        if (node.isIntegralNumber()) {
            return node.canConvertToLong() ? (Object) node.asLong() : node.bigIntegerValue();
        }
        if (node.isNumber()) {
            return node.decimalValue();
        }
        return node.asText();
    }
}
