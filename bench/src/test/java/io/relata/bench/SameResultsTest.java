package io.relata.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.relata.api.model.EntityDefinition;
import io.relata.api.record.FieldError;
import io.relata.api.rules.RuleInput;
import io.relata.api.rules.RuleOutcome;
import io.relata.rules.RuleEngine;
import io.relata.rules.RuleLimits;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The benchmark compares equal work: all three variants give the same result for every input record. */
class SameResultsTest {

    private static RuleEngine engine;
    private static NashornRules nashorn;

    @BeforeAll
    static void start() {
        engine = new RuleEngine(RuleLimits.DEFAULT, BenchRules.CLOCK);
        nashorn = new NashornRules(BenchRules.TODAY);
    }

    @AfterAll
    static void stop() {
        engine.close();
    }

    @Test
    void engineNashornAndJavaScoreEveryLeadAlike() {
        EntityDefinition lead = BenchRules.lead();
        List<Score> scores = new ArrayList<>();
        try (GraalFloor floor = new GraalFloor(BenchRules.TODAY)) {
            for (Map<String, Object> record : Records.leads()) {
                Score fromJava = JavaRules.leadScore(record);
                assertThat(floor.score(record)).as("floor, lead %s", record).isEqualTo("S" + fromJava.value() + "\0"
                        + (fromJava.reasons() == null ? "0" : "1" + fromJava.reasons()));
            }
        }
        for (Map<String, Object> record : Records.leads()) {
            RuleOutcome outcome = engine.evaluate(new RuleInput(lead, record, null, null, null));
            Score fromEngine = new Score((Long) outcome.values().get("score"),
                    (String) outcome.values().get("score_reasons"));
            Score fromJava = JavaRules.leadScore(record);
            assertThat(fromEngine).as("engine, lead %s", record).isEqualTo(fromJava);
            assertThat(nashorn.leadScore(record)).as("Nashorn, lead %s", record).isEqualTo(fromJava);
            scores.add(fromJava);
        }
        assertThat(scores.stream().map(Score::value).distinct().count())
                .as("distinct scores over the input set").isGreaterThan(15);
        assertThat(String.join("\n", scores.stream().map(Score::reasons).filter(r -> r != null).toList()))
                .contains("Free-mail address", "Business e-mail domain (stark.com)", "Source: trade_fair",
                        "Mentions budget or urgency", "-30 Marked unqualified");
    }

    @Test
    void engineNashornAndJavaFindTheSameErrorsInEveryOpportunity() {
        EntityDefinition opportunity = BenchRules.opportunity();
        Set<String> fieldsWithErrors = new HashSet<>();
        int valid = 0;
        try (GraalFloor floor = new GraalFloor(BenchRules.TODAY)) {
            for (Map<String, Object> record : Records.opportunities()) {
                List<FieldError> fromEngine = engine.evaluate(new RuleInput(opportunity, record, null, null, null)).errors();
                List<FieldError> fromJava = JavaRules.opportunityErrors(record, BenchRules.TODAY);
                assertThat(fromEngine).as("engine, opportunity %s", record).isEqualTo(fromJava);
                assertThat(nashorn.opportunityErrors(record)).as("Nashorn, opportunity %s", record).isEqualTo(fromJava);
                assertThat(floor.validation(record)).as("floor, opportunity %s", record).isEqualTo(encoded(fromJava));
                assertThat(floor.crossing(record)).isTrue();
                fromJava.forEach(e -> fieldsWithErrors.add(e.field()));
                valid += fromJava.isEmpty() ? 1 : 0;
            }
        }
        assertThat(fieldsWithErrors).containsExactlyInAnyOrder("close_date", "amount", "probability", "loss_reason");
        assertThat(valid).as("valid opportunities").isBetween(Records.COUNT / 5, Records.COUNT * 4 / 5);
    }

    /** The errors as GraalFloor's validation returns them: null, or 'F' then field NUL message NUL per error. */
    private static String encoded(List<FieldError> errors) {
        if (errors.isEmpty()) {
            return null;
        }
        StringBuilder out = new StringBuilder("F");
        errors.forEach(e -> out.append(e.field()).append('\0').append(e.message()).append('\0'));
        return out.toString();
    }
}
