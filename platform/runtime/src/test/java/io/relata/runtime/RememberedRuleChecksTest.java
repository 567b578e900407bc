package io.relata.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import io.relata.api.model.EntityDefinition;
import io.relata.api.process.DialogDefinition;
import io.relata.api.process.ProcessDefinition;
import io.relata.metadata.MetadataFile;
import io.relata.metadata.MetadataLoader;
import io.relata.metadata.MetadataProblem;
import io.relata.metadata.RuleVerifier;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class RememberedRuleChecksTest {

    private static final Instant TODAY = Instant.parse("2026-12-05T08:00:00Z");

    private final Database database = Database.open("jdbc:h2:mem:checks-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1", "sa", "");
    private final CountingChecks checks = new CountingChecks();

    @AfterEach
    void close() {
        database.close();
    }

    @Test
    void rulesThatPassedAndDidNotChangeAreNotCheckedAgainAfterARestart() {
        EntityDefinition deal = deal("record.amount > 100 ? 2 : 1");
        RememberedRuleChecks first = remembering("engine-1", TODAY);
        assertThat(first.check(deal)).isEmpty();
        assertThat(first.runExamples(deal)).isEmpty();
        assertThat(checks.calls).containsExactly("check deal", "examples deal");
        assertThat(first.takeSummary()).isEqualTo("2 rule check(s) run, 0 unchanged and passed before");

        RememberedRuleChecks restarted = remembering("engine-1", TODAY.plusSeconds(60));
        assertThat(restarted.check(deal(("record.amount > 100 ? 2 : 1")))).isEmpty();
        assertThat(restarted.runExamples(deal("record.amount > 100 ? 2 : 1"))).isEmpty();
        assertThat(checks.calls).hasSize(2);
        assertThat(restarted.takeSummary()).isEqualTo("0 rule check(s) run, 2 unchanged and passed before");
    }

    @Test
    void aChangedRuleAnotherEngineBuildOrAnOldPassIsCheckedAgain() {
        remembering("engine-1", TODAY).check(deal("record.amount > 100 ? 2 : 1"));

        remembering("engine-1", TODAY).check(deal("record.amount > 200 ? 2 : 1"));
        remembering("engine-2", TODAY).check(deal("record.amount > 100 ? 2 : 1"));
        remembering("engine-1", TODAY.plus(RememberedRuleChecks.RECHECK_AFTER).plus(Duration.ofDays(1)))
                .check(deal("record.amount > 100 ? 2 : 1"));

        assertThat(checks.calls).hasSize(4);
    }

    @Test
    void aCheckThatFailedRunsAgainEveryTime() {
        checks.answer = List.of(new MetadataProblem("metadata/entities/deal.yaml", 7, 3, "SCRIPT_SYNTAX", "broken", "fix it"));
        EntityDefinition deal = deal("record.amount >");
        assertThat(remembering("engine-1", TODAY).check(deal)).hasSize(1);
        assertThat(remembering("engine-1", TODAY).check(deal)).hasSize(1);
        assertThat(checks.calls).hasSize(2);
    }

    @Test
    void theFingerprintIsTheSameInEveryJvmWhateverTheMapOrder() {
        Map<String, Object> ab = new LinkedHashMap<>();
        ab.put("a", 1);
        ab.put("b", List.of("x", "y"));
        Map<String, Object> ba = new LinkedHashMap<>();
        ba.put("b", List.of("x", "y"));
        ba.put("a", 1);
        assertThat(RememberedRuleChecks.canonical(ab)).isEqualTo(RememberedRuleChecks.canonical(ba));
        assertThat(RememberedRuleChecks.canonical(List.of("x", "y"))).isNotEqualTo(RememberedRuleChecks.canonical(List.of("y", "x")));
        // a quote inside a text cannot make two different values read alike
        assertThat(RememberedRuleChecks.canonical(List.of("a\";\"b"))).isNotEqualTo(RememberedRuleChecks.canonical(List.of("a", "b")));
        assertThat(RememberedRuleChecks.canonical(deal("record.amount > 100 ? 2 : 1")))
                .contains("record.amount > 100 ? 2 : 1", "big deal");
    }

    private RememberedRuleChecks remembering(String engine, Instant now) {
        DataSource dataSource = database.dataSource();
        return new RememberedRuleChecks(checks, dataSource, engine, () -> now);
    }

    private static EntityDefinition deal(String computed) {
        MetadataFile file = new MetadataFile("metadata/entities/deal.yaml", """
                name: deal
                label: {en: Deal}
                pluralLabel: {en: Deals}
                fields:
                  name: {type: text, label: {en: Name}}
                  amount: {type: money, label: {en: Amount}}
                  score: {type: integer, label: {en: Score}, computed: "%s"}
                examples:
                  - {name: big deal, record: {name: A, amount: 500}, expect: {values: {score: 2}}}
                """.formatted(computed));
        try {
            return new MetadataLoader().load(List.of(file)).entities().get("deal");
        } catch (io.relata.metadata.MetadataException e) {
            throw new IllegalStateException(e.problems().toString(), e);
        }
    }

    private static final class CountingChecks implements RuleVerifier {
        final List<String> calls = new ArrayList<>();
        List<MetadataProblem> answer = List.of();

        @Override
        public List<MetadataProblem> check(EntityDefinition entity) {
            calls.add("check " + entity.name());
            return answer;
        }

        @Override
        public List<MetadataProblem> runExamples(EntityDefinition entity) {
            calls.add("examples " + entity.name());
            return answer;
        }

        @Override
        public List<MetadataProblem> check(EntityDefinition entity, ProcessDefinition process) {
            calls.add("process " + process.name());
            return answer;
        }

        @Override
        public List<MetadataProblem> check(EntityDefinition entity, DialogDefinition dialog) {
            calls.add("dialog " + dialog.name());
            return answer;
        }
    }
}
