package io.relata.store;

import static io.relata.api.model.FieldType.CHOICE;
import static io.relata.api.model.FieldType.INTEGER;
import static io.relata.api.model.FieldType.MONEY;
import static io.relata.api.model.FieldType.TEXT;
import static io.relata.api.rules.RuleKind.COMPUTED;
import static io.relata.api.rules.RuleKind.VALIDATION;
import static io.relata.api.security.AccessScope.ALL;
import static io.relata.api.security.FieldAccess.HIDDEN;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.relata.api.model.MetadataModel;
import io.relata.api.record.Record;
import io.relata.api.security.Actor;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The order of a write (decision record 0003): the hook (processes) sets values after the rules judged the
 * writer's record, and the computed values, scores and validations are then those of the record as stored;
 * a form's preview runs the same steps; the writer learns what the hook set.
 */
class WritePipelineTest extends DatabaseTest {

    private static final MetadataModel MODEL = TestRoles.withRoles(new ModelBuilder()
                    .entity("deal", "name")
                    .field("name", TEXT).required()
                    .field("stage", CHOICE).options("open", "won")
                    .field("amount", MONEY)
                    .field("probability", INTEGER)
                    .field("weighted", MONEY)
                    .rule("weighted", COMPUTED, "weighted")
                    .rule("won_is_certain", VALIDATION, null)
                    .build(),
            TestRoles.role("rep").grant("deal").create().all(ALL).build(),
            TestRoles.role("service").grant("deal").create().all(ALL).field("probability", HIDDEN).build());

    private static final Actor ADA = Actor.user(10, "ada", Set.of("rep"), List.of(7L));
    private static final Actor SAM = Actor.user(11, "sam", Set.of("service"), List.of(7L));

    /** Stands in for the process engine: a pipeline that suggests a probability and fixes it once won. */
    private final class Pipeline implements RecordWriteHook {
        final List<Set<String>> changed = new ArrayList<>();
        final List<Object> derivedWeighted = new ArrayList<>();

        @Override
        public void checking(Check check) {
            changed.add(check.changed());
            if (check.isNew() && !check.changedByWriter("probability")) {
                check.set("probability", 10L, "pipeline");
            }
            if ("won".equals(check.values().get("stage"))) {
                check.set("probability", 100L, "pipeline"); // forced: whatever the writer said
            }
            Map<String, Object> tentative = new LinkedHashMap<>(check.values());
            tentative.put("probability", 20L);
            derivedWeighted.add(check.derived(tentative).get("weighted"));
        }
    }

    private Pipeline pipeline;
    private JdbcRecordStore system;

    @BeforeEach
    void migrate() {
        FakeRules rules = new FakeRules()
                .script("weighted", in -> {
                    BigDecimal amount = (BigDecimal) in.values().get("amount");
                    Long probability = (Long) in.values().get("probability");
                    return amount == null || probability == null ? null : amount.doubleValue() * probability / 100;
                })
                .script("won_is_certain", in -> "won".equals(in.values().get("stage"))
                        && !Long.valueOf(100).equals(in.values().get("probability")) ? "A won deal is certain" : null);
        pipeline = new Pipeline();
        system = migratedStore(MODEL).withRules(rules).withHook(pipeline);
    }

    private SecuredRecordStore as(Actor actor) {
        return new SecuredRecordStore(system, () -> MODEL, () -> actor, AuditSink.NONE);
    }

    private static Map<String, Object> values(Object... pairs) {
        Map<String, Object> values = new HashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            values.put((String) pairs[i], pairs[i + 1]);
        }
        return values;
    }

    @Test
    void computedValuesAreThoseOfTheRecordAfterTheHookSetItsValues() {
        Record created = system.create("deal", values("name", "Big", "amount", 50_000));

        assertThat(created.get("probability")).isEqualTo(10L);
        assertThat(created.get("weighted")).isEqualTo(new BigDecimal("5000.00"));
        Record won = system.update("deal", created.id(), 1, values("stage", "won"));
        assertThat(won.get("weighted")).isEqualTo(new BigDecimal("50000.00"));
        assertThat(system.get("deal", created.id()).get("weighted")).isEqualTo(new BigDecimal("50000.00"));
    }

    @Test
    void validationsJudgeTheRecordAsStoredNotTheOneBeforeTheHook() {
        long id = system.create("deal", values("name", "Big", "amount", 100)).id();

        Record won = system.update("deal", id, 1, values("stage", "won"));

        assertThat(won.get("probability")).as("refused before, when the validation saw probability 10").isEqualTo(100L);
    }

    @Test
    void theHookKnowsWhatTheWriterChangedAndSeesComputedValuesOfTentativeRecords() {
        long id = system.create("deal", values("name", "Big", "amount", 1000, "probability", 40)).id();
        assertThat(system.get("deal", id).get("probability")).as("the writer's value").isEqualTo(40L);

        system.update("deal", id, 1, values("name", "Big", "amount", 2000, "probability", 40));

        assertThat(pipeline.changed).containsExactly(Set.of("name", "amount", "probability"), Set.of("amount"));
        assertThat(pipeline.derivedWeighted).containsExactly(new BigDecimal("200.00"), new BigDecimal("400.00"));
    }

    @Test
    void theWriterIsToldWhatTheHookSetButNotInFieldsHiddenFromThem() {
        List<AutomaticChange> told = new ArrayList<>();
        Record created = as(ADA).reportingTo(told::add).create("deal", values("name", "Big", "amount", 500));
        assertThat(told).containsExactly(new AutomaticChange("deal", created.id(), "probability", null, 10L, "pipeline"));

        told.clear();
        as(ADA).reportingTo(told::add).update("deal", created.id(), 1, values("amount", 600));
        assertThat(told).as("the hook set 10 again: nothing changed").isEmpty();

        as(SAM).reportingTo(told::add).update("deal", created.id(), 2, values("stage", "won"));
        assertThat(told).as("probability is hidden from the service role").isEmpty();
        assertThat(system.get("deal", created.id()).get("probability")).isEqualTo(100L);
    }

    @Test
    void aFormPreviewShowsWhatASaveWouldStore() {
        WritePreview typing = as(ADA).preview("deal", values("name", "Big", "amount", "50000"), null);
        assertThat(typing.outcome().values().get("weighted")).isEqualTo(new BigDecimal("5000.00"));
        assertThat(typing.changes()).extracting(AutomaticChange::field, AutomaticChange::value, AutomaticChange::by)
                .containsExactly(tuple("probability", 10L, "pipeline"));
        assertThat(as(ADA).evaluateRules("deal", values("name", "Big", "amount", "50000"), null).values())
                .containsEntry("weighted", new BigDecimal("5000.00"));

        long id = system.create("deal", values("name", "Big", "amount", 50_000)).id();
        WritePreview winning = as(ADA).preview("deal", values("stage", "won"), id);
        assertThat(winning.outcome().values().get("weighted")).isEqualTo(new BigDecimal("50000.00"));
        assertThat(winning.outcome().errors()).isEmpty();
        assertThat(winning.changes()).extracting(AutomaticChange::field, AutomaticChange::previous, AutomaticChange::value)
                .containsExactly(tuple("probability", 10L, 100L));
        assertThat(system.get("deal", id).get("stage")).as("nothing written").isNull();
        assertThat(as(SAM).preview("deal", values("stage", "won"), id).changes()).isEmpty();
    }
}
