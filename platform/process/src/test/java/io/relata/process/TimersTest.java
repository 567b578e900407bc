package io.relata.process;

import static io.relata.process.Models.choice;
import static io.relata.process.Models.entity;
import static io.relata.process.Models.field;
import static io.relata.process.Models.move;
import static io.relata.process.Models.phase;
import static io.relata.process.Models.process;
import static io.relata.process.Models.required;
import static io.relata.process.Models.set;
import static io.relata.process.Models.todo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import io.relata.api.model.FieldType;
import io.relata.api.model.MetadataModel;
import io.relata.api.process.PhaseOutcome;
import io.relata.api.process.ProcessAction;
import io.relata.api.record.Record;
import io.relata.api.record.RecordQuery;
import io.relata.api.record.Sort;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Durable timers: due only, cancelled on leaving, exactly once across restarts and racing nodes. */
class TimersTest {

    private static final RecordQuery IN_CREATION_ORDER = new RecordQuery(List.of(), List.of(Sort.asc("id")), null,
            RecordQuery.DEFAULT_LIMIT, null);

    private Kit kit;

    @AfterEach
    void close() {
        if (kit != null) {
            kit.close();
        }
    }

    /**
     * new: follow up after 2 days (to-do for the owner), escalate after 5 (priority high, to-do for a manager);
     * contacted: give up after 7 days (a to-do, then a move that needs a reason: fails), close after 30 (with a
     * reason: works).
     */
    static MetadataModel leads() {
        return Models.model(
                List.of(entity("lead", "name", required("name", FieldType.TEXT), choice("priority", "normal", "high"),
                                field("disqualify_reason", FieldType.TEXT),
                                choice("status", "new", "contacted", "qualified", "disqualified")),
                        Models.activity("lead")),
                List.of(process("leads", "lead", "status")
                        .phases(phase("new")
                                        .timer("follow_up", Duration.ofDays(2),
                                                todo("Follow up {{record.name}}", new ProcessAction.RecordOwner(),
                                                        Duration.ofDays(1)))
                                        .timer("escalate", Duration.ofDays(5), set("priority", "high"),
                                                todo("Escalated: {{record.name}} ({{record.priority}})",
                                                        new ProcessAction.Role("sales_manager"), null)),
                                phase("contacted")
                                        .timer("give_up", Duration.ofDays(7), todo("Giving up on {{record.name}}",
                                                new ProcessAction.RecordOwner(), null), move("disqualified"))
                                        .timer("auto_close", Duration.ofDays(30), set("disqualify_reason", "No answer"),
                                                move("disqualified")),
                                phase("qualified").success(),
                                phase("disqualified").failure("disqualify_reason"))
                        .moves("new", "contacted", "qualified")
                        .moves("contacted", "qualified", "disqualified")
                        .build()),
                List.of());
    }

    private Record lead(String name) {
        return kit.node.as(Kit.ANNA).create("lead", Map.of("name", name));
    }

    private List<String> todoSubjects() {
        return kit.node.store.query("activity", IN_CREATION_ORDER).records().stream()
                .map(r -> (String) r.get("subject")).toList();
    }

    private List<List<Object>> timers() {
        return kit.db.rows("SELECT timer, state, fired_by FROM crm_process_timer ORDER BY id");
    }

    @ParameterizedTest
    @EnumSource(TestDb.Kind.class)
    void aTimerFiresWhenDueAndNotBeforeAndOnlyOnce(TestDb.Kind kind) {
        kit = Kit.open(kind, leads());
        Record lead = lead("Acme");
        assertThat(kit.node.cases.timers("lead", lead.id()))
                .extracting(ProcessCases.Timer::timer, ProcessCases.Timer::dueAt, ProcessCases.Timer::state)
                .containsExactly(tuple("follow_up", kit.now().plusDays(2), "pending"),
                        tuple("escalate", kit.now().plusDays(5), "pending"));

        kit.advance(Duration.ofDays(2).minusSeconds(1));
        assertThat(kit.node.timers.fireDue()).isZero();
        assertThat(todoSubjects()).isEmpty();

        kit.advance(Duration.ofSeconds(1));
        assertThat(kit.node.timers.fireDue()).isEqualTo(1);
        assertThat(kit.node.timers.fireDue()).isZero();
        assertThat(todoSubjects()).containsExactly("DE Follow up Acme");
        Record todo = kit.node.store.query("activity", IN_CREATION_ORDER).records().get(0);
        assertThat(todo.ownerUser()).isEqualTo(7L);
        assertThat(todo.get("due_at")).isEqualTo(kit.now().plusDays(1));
        assertThat(todo.get("lead")).isEqualTo(lead.id());
        assertThat(timers()).containsExactly(List.of("follow_up", "fired", "node-1"),
                java.util.Arrays.asList("escalate", "pending", null));

        kit.advance(Duration.ofDays(3));
        assertThat(kit.node.timers.fireDue()).isEqualTo(1);
        Record escalated = kit.find("lead", lead.id());
        assertThat(escalated.get("priority")).isEqualTo("high");
        assertThat(todoSubjects()).containsExactly("DE Follow up Acme", "DE Escalated: Acme (high)");
        assertThat(kit.node.store.query("activity", IN_CREATION_ORDER).records().get(1).ownerUser())
                .as("a sales manager of the lead's team").isEqualTo(9L);
    }

    @ParameterizedTest
    @EnumSource(TestDb.Kind.class)
    void leavingThePhaseCancelsItsTimers(TestDb.Kind kind) {
        kit = Kit.open(kind, leads());
        Record lead = lead("Acme");
        kit.advance(Duration.ofDays(1));
        kit.node.as(Kit.ANNA).update("lead", lead.id(), lead.version(), Map.of("status", "qualified"));

        kit.advance(Duration.ofDays(40));
        assertThat(kit.node.timers.fireDue()).isZero();

        assertThat(todoSubjects()).isEmpty();
        assertThat(kit.find("lead", lead.id()).get("priority")).isNull();
        assertThat(timers()).extracting(row -> row.get(1)).containsExactly("cancelled", "cancelled");
    }

    @ParameterizedTest
    @EnumSource(TestDb.Kind.class)
    void aTimerMovesThePhaseThroughTheStoreAndAFailingOneIsRolledBackAndMarkedFailed(TestDb.Kind kind) {
        kit = Kit.open(kind, leads());
        Record lead = lead("Acme");
        kit.node.as(Kit.ANNA).update("lead", lead.id(), lead.version(), Map.of("status", "contacted"));

        kit.advance(Duration.ofDays(7));
        assertThat(kit.node.timers.fireDue()).as("give_up cannot move without a reason").isZero();
        assertThat(todoSubjects()).as("its to-do was rolled back with it").isEmpty();
        assertThat(kit.find("lead", lead.id()).get("status")).isEqualTo("contacted");
        ProcessCases.Timer failed = kit.node.cases.timers("lead", lead.id()).stream()
                .filter(t -> t.timer().equals("give_up")).findFirst().orElseThrow();
        assertThat(failed.state()).isEqualTo("failed");
        assertThat(failed.error()).contains("disqualify_reason", "Give a reason");
        assertThat(kit.node.timers.fireDue()).as("a failed timer is not retried").isZero();

        kit.advance(Duration.ofDays(23));
        assertThat(kit.node.timers.fireDue()).isEqualTo(1);
        Record closed = kit.find("lead", lead.id());
        assertThat(closed.get("status")).isEqualTo("disqualified");
        assertThat(closed.get("disqualify_reason")).isEqualTo("No answer");
        ProcessCases.Case processCase = kit.node.cases.current("lead", lead.id()).orElseThrow();
        assertThat(processCase.outcome()).isEqualTo(PhaseOutcome.FAILURE);
        assertThat(kit.node.cases.history("lead", lead.id()))
                .extracting(ProcessCases.Stamp::fromPhase, ProcessCases.Stamp::toPhase, ProcessCases.Stamp::username,
                        ProcessCases.Stamp::reason, ProcessCases.Stamp::changedAt)
                .containsExactly(tuple(null, "new", "anna", null, Kit.START.atOffset(java.time.ZoneOffset.UTC)),
                        tuple("new", "contacted", "anna", null, Kit.START.atOffset(java.time.ZoneOffset.UTC)),
                        tuple("contacted", "disqualified", "system", "No answer", kit.now()));
    }

    @ParameterizedTest
    @EnumSource(TestDb.Kind.class)
    void afterARestartPendingTimersFireOnceAndFiredOnesNeverAgain(TestDb.Kind kind) {
        kit = Kit.open(kind, leads());
        lead("Acme");
        lead("Globex");
        kit.advance(Duration.ofDays(2));
        assertThat(kit.node.timers.fireDue()).isEqualTo(2);
        lead("Initech");

        // the server stops: every engine, store and timer object is gone; a new one starts on the same database
        Kit.Node restarted = kit.node("node-1-restarted");
        assertThat(restarted.timers.fireDue()).as("follow-ups fired before the restart stay fired").isZero();
        kit.advance(Duration.ofDays(3));
        assertThat(restarted.timers.fireDue()).as("escalate x2 and the new lead's follow-up").isEqualTo(3);
        assertThat(restarted.timers.fireDue()).isZero();

        assertThat(todoSubjects()).containsExactlyInAnyOrder("DE Follow up Acme", "DE Follow up Globex",
                "DE Escalated: Acme (high)", "DE Escalated: Globex (high)", "DE Follow up Initech");
        assertThat(kit.db.rows("SELECT fired_by, COUNT(*) FROM crm_process_timer WHERE state = 'fired' "
                + "GROUP BY fired_by ORDER BY fired_by"))
                .containsExactly(List.of("node-1", 2L), List.of("node-1-restarted", 3L));
    }

    @ParameterizedTest
    @EnumSource(TestDb.Kind.class)
    void twoNodesRacingFireEachTimerExactlyOnce(TestDb.Kind kind) throws Exception {
        kit = Kit.open(kind, leads());
        int leads = 24;
        for (int i = 0; i < leads; i++) {
            lead("Lead " + i);
        }
        kit.advance(Duration.ofDays(2));
        Kit.Node first = kit.node("node-a");
        Kit.Node second = kit.node("node-b");
        CyclicBarrier start = new CyclicBarrier(2);
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            List<Future<Integer>> results = new ArrayList<>();
            for (Kit.Node node : List.of(first, second)) {
                Callable<Integer> race = () -> {
                    start.await(10, TimeUnit.SECONDS);
                    return node.timers.fireDue() + node.timers.fireDue();
                };
                results.add(pool.submit(race));
            }
            int fired = results.get(0).get(60, TimeUnit.SECONDS) + results.get(1).get(60, TimeUnit.SECONDS);
            assertThat(fired).isEqualTo(leads);
        } finally {
            pool.shutdownNow();
        }

        assertThat(todoSubjects()).hasSize(leads).doesNotHaveDuplicates();
        assertThat(kit.db.count("SELECT COUNT(*) FROM crm_process_timer WHERE timer = 'follow_up' AND state = 'fired'"))
                .isEqualTo(leads);
        assertThat(kit.db.count("SELECT COUNT(*) FROM crm_process_timer WHERE timer = 'follow_up' "
                + "AND fired_by IN ('node-a', 'node-b')")).isEqualTo(leads);
    }

    @ParameterizedTest
    @EnumSource(TestDb.Kind.class)
    void firingInsideATransactionIsRefused(TestDb.Kind kind) {
        kit = Kit.open(kind, leads());
        assertThatThrownBy(() -> kit.node.store.transactions().runInTransaction(kit.node.timers::fireDue))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("outside a transaction");
    }

    /** active: 60 days before the end date, a renewal to-do for the owner. */
    static MetadataModel policies() {
        return Models.model(
                List.of(entity("policy", "name", required("name", FieldType.TEXT), field("end_date", FieldType.DATE),
                                choice("status", "active", "cancelled")),
                        Models.activity("policy")),
                List.of(process("policies", "policy", "status")
                        .phases(phase("active").anchoredTimer("renewal", Duration.ofDays(-60), "end_date",
                                        todo("Renew {{record.name}}", new ProcessAction.RecordOwner(), null)),
                                phase("cancelled").failure(null))
                        .moves("active", "cancelled")
                        .build()),
                List.of());
    }

    @ParameterizedTest
    @EnumSource(TestDb.Kind.class)
    void aTimerCountedFromADateWaitsForItFollowsItAndStartsAgainForANewDate(TestDb.Kind kind) {
        kit = Kit.open(kind, policies());
        java.time.LocalDate today = kit.now().toLocalDate();
        Record dated = kit.node.as(Kit.ANNA).create("policy", Map.of("name", "P-1", "end_date", today.plusDays(100)));
        Record undated = kit.node.as(Kit.ANNA).create("policy", Map.of("name", "P-2"));
        java.time.OffsetDateTime fortyDaysOn = today.plusDays(40).atStartOfDay().atOffset(java.time.ZoneOffset.UTC);
        assertThat(kit.node.cases.timers("policy", dated.id()))
                .extracting(ProcessCases.Timer::timer, ProcessCases.Timer::dueAt, ProcessCases.Timer::state)
                .containsExactly(tuple("renewal", fortyDaysOn, "pending"));
        assertThat(kit.node.cases.timers("policy", undated.id())).as("no date, nothing to count from").isEmpty();

        Record extended = kit.node.as(Kit.ANNA).update("policy", dated.id(), dated.version(),
                Map.of("end_date", today.plusDays(130)));
        assertThat(kit.node.cases.timers("policy", dated.id()))
                .extracting(ProcessCases.Timer::dueAt, ProcessCases.Timer::state)
                .containsExactlyInAnyOrder(tuple(fortyDaysOn, "cancelled"), tuple(fortyDaysOn.plusDays(30), "pending"));
        Record renamed = kit.node.as(Kit.ANNA).update("policy", extended.id(), extended.version(), Map.of("name", "P-1a"));
        assertThat(kit.node.cases.timers("policy", dated.id())).as("another field changed: the timer stays")
                .hasSize(2);

        kit.node.as(Kit.ANNA).update("policy", undated.id(), undated.version(), Map.of("end_date", today.plusDays(10)));
        assertThat(kit.node.timers.fireDue()).as("its moment has passed: fires at the next run").isEqualTo(1);
        assertThat(todoSubjects()).containsExactly("DE Renew P-2");

        kit.advance(Duration.ofDays(70));
        assertThat(kit.node.timers.fireDue()).isEqualTo(1);
        assertThat(todoSubjects()).containsExactly("DE Renew P-2", "DE Renew P-1a");

        Record renewed = kit.find("policy", renamed.id());
        kit.node.as(Kit.ANNA).update("policy", renewed.id(), renewed.version(), Map.of("end_date", today.plusDays(495)));
        assertThat(kit.node.cases.timers("policy", dated.id()))
                .extracting(ProcessCases.Timer::dueAt, ProcessCases.Timer::state)
                .as("renewed for a year: a new reminder next to the fired one")
                .contains(tuple(fortyDaysOn.plusDays(30), "fired"), tuple(fortyDaysOn.plusDays(395), "pending"));

        Record cancelled = kit.find("policy", renewed.id());
        kit.node.as(Kit.ANNA).update("policy", cancelled.id(), cancelled.version(), Map.of("status", "cancelled",
                "end_date", today.plusDays(600)));
        assertThat(kit.node.cases.timers("policy", dated.id())).extracting(ProcessCases.Timer::state)
                .as("leaving the phase cancels it, whatever the date does").doesNotContain("pending");
    }
}
