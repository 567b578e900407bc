package io.relata.bench;

import io.relata.api.model.EntityDefinition;
import io.relata.api.model.FieldDefinition;
import io.relata.api.model.FieldType;
import io.relata.api.model.LocalizedText;
import io.relata.api.model.SourceLocation;
import io.relata.api.rules.RuleDefinition;
import io.relata.api.rules.RuleKind;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;

/** The two rules as JavaScript text (one text for the engine and Nashorn) and the entities that carry them. */
public final class BenchRules {

    /** The day all variants take as {@code today}, so that results do not depend on when the benchmark runs. */
    public static final LocalDate TODAY = LocalDate.of(2025, 3, 14);
    public static final Clock CLOCK = Clock.fixed(Instant.parse("2025-03-14T10:00:00Z"), ZoneOffset.UTC);

    public static final String LEAD_SCORE_FILE = "io/relata/bench/lead-score.js";
    public static final String OPPORTUNITY_VALIDATION_FILE = "io/relata/bench/opportunity-validation.js";
    public static final String LEAD_SCORE_JS = load(LEAD_SCORE_FILE);
    public static final String OPPORTUNITY_VALIDATION_JS = load(OPPORTUNITY_VALIDATION_FILE);

    private BenchRules() {
    }

    /** A lead with the score rule (field {@code score}, reasons into {@code score_reasons}) and no other rule. */
    public static EntityDefinition lead() {
        RuleDefinition score = new RuleDefinition("lead-score", RuleKind.SCORE, "score", "score_reasons",
                LEAD_SCORE_JS, LEAD_SCORE_FILE, new SourceLocation(LEAD_SCORE_FILE, 1, 1));
        return entity("lead", List.of(
                field("company", FieldType.TEXT),
                field("email", FieldType.EMAIL),
                field("phone", FieldType.PHONE),
                field("source", FieldType.CHOICE),
                field("description", FieldType.LONG_TEXT),
                field("status", FieldType.CHOICE),
                field("score", FieldType.INTEGER),
                field("score_reasons", FieldType.LONG_TEXT)), score);
    }

    /** An opportunity with the validation rule and no other rule. */
    public static EntityDefinition opportunity() {
        RuleDefinition validation = new RuleDefinition("opportunity-checks", RuleKind.VALIDATION, null, null,
                OPPORTUNITY_VALIDATION_JS, OPPORTUNITY_VALIDATION_FILE,
                new SourceLocation(OPPORTUNITY_VALIDATION_FILE, 1, 1));
        return entity("opportunity", List.of(
                field("name", FieldType.TEXT),
                field("amount", FieldType.MONEY),
                field("probability", FieldType.INTEGER),
                field("close_date", FieldType.DATE),
                field("stage", FieldType.CHOICE),
                field("loss_reason", FieldType.TEXT)), validation);
    }

    private static EntityDefinition entity(String name, List<FieldDefinition> fields, RuleDefinition rule) {
        SourceLocation at = new SourceLocation("bench/" + name + ".yaml", 1, 1);
        return new EntityDefinition(name, LocalizedText.of(name, name), LocalizedText.of(name, name), "pi pi-star",
                fields.get(0).name(), fields, List.of(rule), List.of(), at);
    }

    private static FieldDefinition field(String name, FieldType type) {
        return new FieldDefinition(name, LocalizedText.of(name, name), type, false, false, false, false, true, null,
                null, null, List.of(), null, null, null, SourceLocation.UNKNOWN);
    }

    private static String load(String resource) {
        try (InputStream in = BenchRules.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException(resource + " is missing from the class path");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
