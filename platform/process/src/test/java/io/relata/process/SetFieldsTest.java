package io.relata.process;

import static io.relata.process.Models.forced;
import static io.relata.process.Models.phase;
import static io.relata.process.Models.process;
import static io.relata.process.Models.set;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.relata.api.model.EntityDefinition;
import io.relata.api.model.FieldDefinition;
import io.relata.api.model.FieldType;
import io.relata.api.model.MetadataModel;
import io.relata.api.record.ErrorCodes;
import io.relata.api.record.FieldError;
import io.relata.api.record.Record;
import io.relata.api.record.ValidationException;
import io.relata.api.rules.RuleDefinition;
import io.relata.api.rules.RuleKind;
import io.relata.store.AutomaticChange;
import io.relata.store.SecuredRecordStore;
import io.relata.store.WritePreview;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * What set-field actions do to the record they run on, with the real rules: the entity's computed values follow
 * them, a value the writer gave in the same save wins over an action that is not forced, guards judge the
 * record as it would be stored, and the writer (and a form, before saving) learns what the process set.
 */
class SetFieldsTest {

    static final String WEIGHTED = "record.amount == null || record.probability == null ? null "
            + ": record.amount * record.probability / 100";
    static final String WON_GUARD = "record.weighted_amount >= 1000 || 'A won deal weighs at least 1000'";

    private Kit kit;
    private SecuredRecordStore anna;
    private final List<AutomaticChange> told = new ArrayList<>();

    /** The demo's opportunity: a weighted amount computed from the probability the phases suggest. */
    static MetadataModel model() {
        EntityDefinition plain = SalesModel.opportunity();
        List<FieldDefinition> fields = new ArrayList<>(plain.fields());
        fields.add(Models.field("weighted_amount", FieldType.MONEY));
        EntityDefinition opportunity = plain.withFields(fields).withRules(List.of(new RuleDefinition("weighted",
                RuleKind.COMPUTED, "weighted_amount", null, WEIGHTED, "metadata/entities/opportunity.yaml",
                Models.at("metadata/entities/opportunity.yaml", 20))));
        return Models.model(List.of(opportunity, Models.activity("opportunity"), SalesModel.ticket()), List.of(
                process("sales", "opportunity", "phase")
                        .phases(phase("qualification").onEnter(set("probability", 10)),
                                phase("proposal").requires("amount").onEnter(set("probability", 50)),
                                phase("won").success().onEnter(forced("probability", 100), set("close_date", "=today")),
                                phase("lost").failure(null).onEnter(forced("probability", 0)))
                        .moves("qualification", "proposal", "lost")
                        .guarded("proposal", "won", WON_GUARD)
                        .moves("proposal", "lost")
                        .build(),
                SalesModel.support()), List.of());
    }

    private void open(TestDb.Kind kind) {
        kit = Kit.open(kind, model());
        anna = kit.node.as(Kit.ANNA).reportingTo(told::add);
    }

    @AfterEach
    void close() {
        if (kit != null) {
            kit.close();
        }
    }

    private static Map<String, Object> values(Object... pairs) {
        Map<String, Object> values = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            values.put((String) pairs[i], pairs[i + 1]);
        }
        return values;
    }

    private Record create(Object... pairs) {
        Map<String, Object> values = values(pairs);
        values.putIfAbsent("name", "Acme");
        return anna.create("opportunity", values);
    }

    private Record update(Record record, Object... pairs) {
        return anna.update(record.entity(), record.id(), record.version(), values(pairs));
    }

    private static BigDecimal money(String amount) {
        return new BigDecimal(amount);
    }

    @ParameterizedTest
    @EnumSource(TestDb.Kind.class)
    void computedValuesFollowTheValuesTheProcessSets(TestDb.Kind kind) {
        open(kind);
        Record created = create("amount", 50_000);

        assertThat(created.get("probability")).isEqualTo(10L);
        assertThat(created.get("weighted_amount")).as("computed after the phase set the probability")
                .isEqualTo(money("5000.00"));

        Record proposal = update(created, "phase", "proposal");
        assertThat(proposal.get("probability")).isEqualTo(50L);
        assertThat(kit.find("opportunity", created.id()).get("weighted_amount")).isEqualTo(money("25000.00"));
    }

    @ParameterizedTest
    @EnumSource(TestDb.Kind.class)
    void aValueTheWriterGaveWinsOverAnActionUnlessTheActionIsForced(TestDb.Kind kind) {
        open(kind);
        Record created = create("amount", 50_000, "probability", 20);
        assertThat(created.get("probability")).as("typed with the save that entered qualification").isEqualTo(20L);
        assertThat(created.get("weighted_amount")).isEqualTo(money("10000.00"));

        Record proposal = update(created, "phase", "proposal", "probability", 30);
        assertThat(proposal.get("probability")).isEqualTo(30L);
        Record kept = update(proposal, "probability", 30, "name", "Acme 2");
        assertThat(kept.get("probability")).as("no move, nothing set").isEqualTo(30L);

        Record won = update(kept, "phase", "won", "probability", 80, "close_date", "2026-05-01");
        assertThat(won.get("probability")).as("won forces 100").isEqualTo(100L);
        assertThat(won.get("close_date")).as("the unforced '=today' leaves the given date").hasToString("2026-05-01");
        assertThat(won.get("weighted_amount")).isEqualTo(money("50000.00"));
    }

    @ParameterizedTest
    @EnumSource(TestDb.Kind.class)
    void theWriterIsToldWhatTheProcessSet(TestDb.Kind kind) {
        open(kind);
        Record created = create("amount", 2000);
        assertThat(told).extracting(AutomaticChange::field, AutomaticChange::previous, AutomaticChange::value,
                AutomaticChange::by)
                .containsExactly(tuple("phase", null, "qualification", "sales"), tuple("probability", null, 10L, "sales"));
        assertThat(told).extracting(AutomaticChange::id).containsOnly(created.id());

        told.clear();
        Record proposal = update(created, "phase", "proposal", "probability", 35);
        assertThat(told).as("the writer's probability: nothing to tell").isEmpty();

        update(proposal, "phase", "won");
        assertThat(told).extracting(AutomaticChange::field, AutomaticChange::previous, AutomaticChange::value)
                .containsExactly(tuple("probability", 35L, 100L), tuple("close_date", null, Kit.START.atOffset(
                        java.time.ZoneOffset.UTC).toLocalDate()));

        told.clear();
        Record ticket = anna.create("ticket", Map.of("title", "Printer", "assignee_name", "boris"));
        assertThat(ticket.get("status")).isEqualTo("in_progress");
        assertThat(told).as("the start and the automatic move, as one change").extracting(AutomaticChange::field,
                AutomaticChange::value).containsExactly(tuple("status", "in_progress"));
    }

    @ParameterizedTest
    @EnumSource(TestDb.Kind.class)
    void aGuardJudgesTheComputedValuesOfTheRecordAfterTheMovesActions(TestDb.Kind kind) {
        open(kind);
        Record proposal = update(create("amount", 1500), "phase", "proposal");
        assertThat(proposal.get("weighted_amount")).isEqualTo(money("750.00"));

        Record won = update(proposal, "phase", "won");
        assertThat(won.get("weighted_amount")).as("probability 100 makes it 1500, which the guard accepts")
                .isEqualTo(money("1500.00"));

        Record small = update(create("amount", 800), "phase", "proposal");
        try {
            update(small, "phase", "won");
            throw new AssertionError("a weighted amount of 800 must be refused");
        } catch (ValidationException e) {
            assertThat(e.errors()).extracting(FieldError::code, FieldError::message)
                    .containsExactly(tuple(ErrorCodes.GUARD, "A won deal weighs at least 1000"));
        }
    }

    @ParameterizedTest
    @EnumSource(TestDb.Kind.class)
    void aFormShowsWhatASaveWouldStoreBeforeItIsSaved(TestDb.Kind kind) {
        open(kind);
        Record created = create("amount", 50_000);

        WritePreview moving = anna.preview("opportunity", values("phase", "proposal"), created.id());
        assertThat(moving.changes()).extracting(AutomaticChange::field, AutomaticChange::value)
                .containsExactly(tuple("probability", 50L));
        assertThat(moving.outcome().values().get("weighted_amount")).isEqualTo(money("25000.00"));

        WritePreview typed = anna.preview("opportunity", values("phase", "proposal", "probability", "40"), created.id());
        assertThat(typed.changes()).isEmpty();
        assertThat(typed.outcome().values().get("weighted_amount")).isEqualTo(money("20000.00"));

        WritePreview fresh = anna.preview("opportunity", values("name", "New", "amount", "1000"), null);
        assertThat(fresh.changes()).extracting(AutomaticChange::field, AutomaticChange::value)
                .containsExactly(tuple("phase", "qualification"), tuple("probability", 10L));
        assertThat(fresh.outcome().values().get("weighted_amount")).isEqualTo(money("100.00"));
        assertThat(kit.find("opportunity", created.id()).get("phase")).as("nothing written").isEqualTo("qualification");
    }
}
