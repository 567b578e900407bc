package io.relata.rules;

import io.relata.api.model.EntityDefinition;
import io.relata.api.model.FieldDefinition;
import io.relata.api.model.FieldType;
import io.relata.api.model.LocalizedText;
import io.relata.api.model.SourceLocation;
import io.relata.api.rules.RuleDefinition;
import io.relata.api.rules.RuleExample;
import io.relata.api.rules.RuleInput;
import io.relata.api.rules.RuleKind;
import io.relata.api.security.Actor;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** A "lead" entity with one field of every type, and builders for its rules, records and examples. */
final class Fixtures {

    static final String FILE = "metadata/entities/lead.yaml";
    /** Inline rules of the fixtures start at line 20, column 15 of {@link #FILE}. */
    static final SourceLocation START = new SourceLocation(FILE, 20, 15);
    static final Clock CLOCK = Clock.fixed(Instant.parse("2025-03-14T10:00:00Z"), ZoneOffset.UTC);
    static final Actor MARIA = Actor.user(7, "maria", Set.of("sales", "manager"), List.of(1L));

    private Fixtures() {
    }

    static FieldDefinition field(String name, FieldType type) {
        return new FieldDefinition(name, LocalizedText.of(name, name), type, false, false, false, false, true, null,
                null, null, List.of(), type == FieldType.REFERENCE ? "account" : null, null, null,
                new SourceLocation(FILE, 5, 5));
    }

    static List<FieldDefinition> fields() {
        return List.of(
                field("name", FieldType.TEXT),
                field("company", FieldType.TEXT),
                field("email", FieldType.EMAIL),
                field("stage", FieldType.CHOICE),
                field("loss_reason", FieldType.TEXT),
                field("employees", FieldType.INTEGER),
                field("amount", FieldType.DECIMAL),
                field("total", FieldType.MONEY),
                field("close_date", FieldType.DATE),
                field("follow_up", FieldType.DATE),
                field("contacted_at", FieldType.DATE_TIME),
                field("vip", FieldType.BOOLEAN),
                field("tags", FieldType.MULTI_CHOICE),
                field("account", FieldType.REFERENCE),
                field("region", FieldType.TEXT),
                field("score", FieldType.INTEGER),
                field("rating", FieldType.DECIMAL),
                field("score_reasons", FieldType.LONG_TEXT));
    }

    static RuleDefinition rule(String name, RuleKind kind, String field, String source) {
        return new RuleDefinition(name, kind, field, null, source, FILE, START);
    }

    static RuleDefinition validation(String name, String source) {
        return rule(name, RuleKind.VALIDATION, null, source);
    }

    static EntityDefinition lead(RuleDefinition... rules) {
        return lead(List.of(rules), List.of());
    }

    static EntityDefinition lead(List<RuleDefinition> rules, List<RuleExample> examples) {
        return new EntityDefinition("lead", LocalizedText.of("Lead", "Lead"), LocalizedText.of("Leads", "Leads"),
                "pi pi-user", "name", fields(), rules, examples, new SourceLocation(FILE, 1, 1));
    }

    /** A map that allows null values: key, value, key, value, … */
    static Map<String, Object> values(Object... keysAndValues) {
        Map<String, Object> map = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            map.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return map;
    }

    static RuleInput newRecord(EntityDefinition entity, Map<String, Object> values) {
        return new RuleInput(entity, values, null, MARIA, RuleInput.RecordLookup.NONE);
    }

    static RuleInput update(EntityDefinition entity, Map<String, Object> values, Map<String, Object> previous) {
        return new RuleInput(entity, values, previous, MARIA, RuleInput.RecordLookup.NONE);
    }

    static List<String> lines(String... lines) {
        return new ArrayList<>(List.of(lines));
    }
}
