package io.relata.process;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import io.relata.api.model.EntityDefinition;
import io.relata.api.model.FieldType;
import io.relata.api.process.PhaseOutcome;
import io.relata.api.process.ProcessAction;
import io.relata.api.record.ErrorCodes;
import io.relata.api.record.FieldError;
import io.relata.api.record.Filter;
import io.relata.api.record.FilterOperator;
import io.relata.api.record.Record;
import io.relata.api.record.RecordLink;
import io.relata.api.record.RecordQuery;
import io.relata.api.record.Sort;
import io.relata.api.record.ValidationException;
import io.relata.store.SecuredRecordStore;
import java.time.Duration;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Phase moves of records through their process: choice of process, start, moves, guards, stamps, set fields, to-dos. */
class PhaseMovesTest {

    private static final RecordQuery IN_CREATION_ORDER = new RecordQuery(List.of(), List.of(Sort.asc("id")), null,
            RecordQuery.DEFAULT_LIMIT, null);

    private Kit kit;
    private SecuredRecordStore anna;

    private void open(TestDb.Kind kind) {
        open(kind, SalesModel.model());
    }

    private void open(TestDb.Kind kind, io.relata.api.model.MetadataModel model) {
        kit = Kit.open(kind, model);
        anna = kit.node.as(Kit.ANNA);
    }

    @AfterEach
    void close() {
        if (kit != null) {
            kit.close();
        }
    }

    private Record opportunity(Object... keysAndValues) {
        Map<String, Object> values = new LinkedHashMap<>();
        values.put("name", "Acme");
        for (int i = 0; i < keysAndValues.length; i += 2) {
            values.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return anna.create("opportunity", values);
    }

    private Record update(Record record, Object... keysAndValues) {
        Map<String, Object> changes = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            changes.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return anna.update(record.entity(), record.id(), record.version(), changes);
    }

    private static List<FieldError> errors(Runnable write) {
        try {
            write.run();
        } catch (ValidationException e) {
            return e.errors();
        }
        throw new AssertionError("The write was expected to be refused");
    }

    @ParameterizedTest
    @EnumSource(TestDb.Kind.class)
    void newRecordStartsInTheFirstPhaseAndIsStamped(TestDb.Kind kind) {
        open(kind);
        Record created = opportunity();

        assertThat(created.get("phase")).isEqualTo("qualification");
        ProcessCases.Case processCase = kit.node.cases.current("opportunity", created.id()).orElseThrow();
        assertThat(processCase.process()).isEqualTo("sales");
        assertThat(processCase.phase()).isEqualTo("qualification");
        assertThat(processCase.outcome()).isEqualTo(PhaseOutcome.OPEN);
        assertThat(processCase.phaseSince()).isEqualTo(kit.now());
        assertThat(processCase.startedAt()).isEqualTo(kit.now());
        assertThat(processCase.endedAt()).isNull();
        assertThat(kit.node.cases.history("opportunity", created.id()))
                .extracting(ProcessCases.Stamp::fromPhase, ProcessCases.Stamp::toPhase, ProcessCases.Stamp::username,
                        ProcessCases.Stamp::userId, ProcessCases.Stamp::changedAt)
                .containsExactly(tuple(null, "qualification", "anna", 7L, kit.now()));
    }

    @ParameterizedTest
    @EnumSource(TestDb.Kind.class)
    void newRecordMayStartInAnyPhaseOfItsProcessButNotElsewhere(TestDb.Kind kind) {
        open(kind);
        Record started = opportunity("phase", "proposal", "amount", 500, "close_date", "2026-06-30");
        assertThat(kit.node.cases.current("opportunity", started.id()).orElseThrow().phase()).isEqualTo("proposal");

        assertThat(errors(() -> opportunity("phase", "archived")))
                .extracting(FieldError::field, FieldError::code)
                .containsExactly(tuple("phase", ErrorCodes.PHASE_MOVE));
        assertThat(errors(() -> opportunity("phase", "archived")).get(0).message())
                .contains("'archived' is not a phase of the process 'sales'", "Qualification (qualification)");
        assertThat(errors(() -> opportunity("phase", "proposal")))
                .extracting(FieldError::field, FieldError::code)
                .containsExactlyInAnyOrder(tuple("amount", "required"), tuple("close_date", "required"));
    }

    @ParameterizedTest
    @EnumSource(TestDb.Kind.class)
    void aMoveThatIsNoTransitionIsRefusedNamingTheAllowedPhases(TestDb.Kind kind) {
        open(kind);
        Record created = opportunity();

        List<FieldError> errors = errors(() -> update(created, "phase", "won"));

        assertThat(errors).extracting(FieldError::field, FieldError::code)
                .containsExactly(tuple("phase", ErrorCodes.PHASE_MOVE));
        assertThat(errors.get(0).message()).isEqualTo("The process 'sales' does not allow moving from Qualification "
                + "(qualification) to Won (won). Allowed next phases: Proposal (proposal), Lost (lost), Cancelled (cancelled).");
        assertThat(kit.find("opportunity", created.id()).get("phase")).isEqualTo("qualification");
        assertThat(kit.node.cases.history("opportunity", created.id())).hasSize(1);
    }

    @ParameterizedTest
    @EnumSource(TestDb.Kind.class)
    void theTargetPhaseNeedsItsRequiredFieldsAndKeepsNeedingThem(TestDb.Kind kind) {
        open(kind);
        Record created = opportunity();

        assertThat(errors(() -> update(created, "phase", "proposal")))
                .extracting(FieldError::field, FieldError::code, FieldError::message)
                .containsExactlyInAnyOrder(
                        tuple("amount", "required", "Enter Amount to move to the phase Proposal"),
                        tuple("close_date", "required", "Enter Close date to move to the phase Proposal"));

        Record moved = update(created, "phase", "proposal", "amount", "2500.00", "close_date", "2026-06-30");
        assertThat(moved.get("phase")).isEqualTo("proposal");
        assertThat(errors(() -> update(moved, "amount", null)))
                .extracting(FieldError::field, FieldError::code, FieldError::message)
                .containsExactly(tuple("amount", "required", "Enter Amount to stay in the phase Proposal"));
    }

    @ParameterizedTest
    @EnumSource(TestDb.Kind.class)
    void aClosingPhaseNeedsItsReasonWhichIsStampedAndReopeningClearsTheEnd(TestDb.Kind kind) {
        open(kind);
        Record created = opportunity("probability", 40);

        assertThat(errors(() -> update(created, "phase", "lost")))
                .extracting(FieldError::field, FieldError::code)
                .containsExactly(tuple("loss_reason", ErrorCodes.REASON_REQUIRED));

        kit.advance(Duration.ofDays(3));
        Record lost = update(created, "phase", "lost", "loss_reason", "Too expensive");
        assertThat(lost.get("probability")).isEqualTo(0L);
        ProcessCases.Case closed = kit.node.cases.current("opportunity", created.id()).orElseThrow();
        assertThat(closed.outcome()).isEqualTo(PhaseOutcome.FAILURE);
        assertThat(closed.endedAt()).isEqualTo(kit.now());
        assertThat(kit.node.cases.history("opportunity", created.id()))
                .extracting(ProcessCases.Stamp::fromPhase, ProcessCases.Stamp::toPhase, ProcessCases.Stamp::reason,
                        ProcessCases.Stamp::changedAt)
                .containsExactly(tuple(null, "qualification", null, Kit.START.atOffset(java.time.ZoneOffset.UTC)),
                        tuple("qualification", "lost", "Too expensive", kit.now()));

        kit.advance(Duration.ofDays(1));
        update(lost, "phase", "qualification");
        ProcessCases.Case reopened = kit.node.cases.current("opportunity", created.id()).orElseThrow();
        assertThat(reopened.outcome()).isEqualTo(PhaseOutcome.OPEN);
        assertThat(reopened.endedAt()).isNull();
        assertThat(reopened.phaseSince()).isEqualTo(kit.now());
    }

    @ParameterizedTest
    @EnumSource(TestDb.Kind.class)
    void aGuardRefusesWithItsMessageAndAPassedGuardRunsTheSetFields(TestDb.Kind kind) {
        open(kind);
        Record proposal = opportunity("phase", "proposal", "amount", 500, "close_date", "2026-06-30");

        assertThat(errors(() -> update(proposal, "phase", "won")))
                .extracting(FieldError::field, FieldError::code, FieldError::message)
                .containsExactly(tuple("phase", ErrorCodes.GUARD, "A won deal needs an amount above 1000"));

        kit.advance(Duration.ofDays(10));
        Record won = update(proposal, "phase", "won", "amount", 5000);
        assertThat(won.get("probability")).isEqualTo(100L);
        assertThat(won.get("close_date")).isEqualTo(LocalDate.of(2026, 3, 12));
        assertThat(kit.node.cases.current("opportunity", won.id()).orElseThrow().outcome()).isEqualTo(PhaseOutcome.SUCCESS);
    }

    @ParameterizedTest
    @EnumSource(TestDb.Kind.class)
    void aGuardThatNamesAFieldReportsItsErrorOnThatField(TestDb.Kind kind) {
        open(kind, Models.model(List.of(SalesModel.opportunity(), Models.activity("opportunity")),
                List.of(SalesModel.sales("sales")
                        .guarded("qualification", "won", "record.amount > 1000 || {amount: 'A won deal needs an "
                                + "amount above 1000'}")
                        .build()), List.of()));
        Record created = opportunity("amount", 500);

        assertThat(errors(() -> update(created, "phase", "won")))
                .extracting(FieldError::field, FieldError::code, FieldError::message)
                .containsExactly(tuple("amount", ErrorCodes.GUARD, "A won deal needs an amount above 1000"));
    }

    @ParameterizedTest
    @EnumSource(TestDb.Kind.class)
    void theGuardSeesTheRecordAsItWouldBeAndThePreviousValues(TestDb.Kind kind) {
        open(kind, Models.model(List.of(SalesModel.opportunity(), Models.activity("opportunity")),
                List.of(SalesModel.sales("sales")
                        .guarded("qualification", "won", "previous.amount == null && record.amount == 2000 "
                                + "|| 'saw ' + previous.amount + ' -> ' + record.amount")
                        .build()), List.of()));
        Record created = opportunity("amount", 1000);

        assertThat(errors(() -> update(created, "phase", "won", "amount", 1500)))
                .extracting(FieldError::message).containsExactly("saw 1000 -> 1500");
    }

    @ParameterizedTest
    @EnumSource(TestDb.Kind.class)
    void leavingAPhaseRunsItsSetFieldsAndAStarTransitionLeadsFromEveryOpenPhase(TestDb.Kind kind) {
        open(kind);
        Record proposal = opportunity("phase", "proposal", "amount", 500, "close_date", "2026-06-30");
        Record negotiation = update(proposal, "phase", "negotiation");

        Record cancelled = update(negotiation, "phase", "cancelled");

        assertThat(cancelled.get("next_step")).isEqualTo("negotiated");
        assertThat(kit.node.cases.nextPhases("opportunity", cancelled.id())).isEmpty();
        assertThat(errors(() -> update(cancelled, "phase", "qualification")))
                .extracting(FieldError::code).containsExactly(ErrorCodes.PHASE_MOVE);
    }

    @ParameterizedTest
    @EnumSource(TestDb.Kind.class)
    void enteringAPhaseCreatesATodoForTheAssigneeWithItsDueDate(TestDb.Kind kind) {
        open(kind);
        Record created = opportunity("name", "Müller & Söhne");

        List<Record> todos = kit.node.store.query("activity", IN_CREATION_ORDER).records();
        assertThat(todos).hasSize(1);
        Record todo = todos.get(0);
        assertThat(todo.values()).containsEntry("subject", "DE First call for Müller & Söhne")
                .containsEntry("type", "todo").containsEntry("done", false)
                .containsEntry("opportunity", created.id())
                .containsEntry("due_at", kit.now().plusDays(2));
        assertThat(todo.ownerUser()).isEqualTo(7L);
        assertThat(todo.ownerTeam()).isEqualTo(3L);

        Record proposal = update(created, "phase", "proposal", "amount", "12000.50", "close_date", "2026-06-30");
        update(proposal, "phase", "negotiation");
        Record managerTodo = kit.node.store.query("activity", IN_CREATION_ORDER).records().get(1);
        assertThat(managerTodo.get("subject")).isEqualTo("DE Negotiate Müller & Söhne (12000.50)");
        assertThat(managerTodo.ownerUser()).as("the sales manager in the record's team (clara), not boris").isEqualTo(9L);
        assertThat(managerTodo.get("due_at")).isEqualTo(kit.now().plusHours(4));
    }

    @ParameterizedTest
    @EnumSource(TestDb.Kind.class)
    void toDosOfAProcessOnAnEntityAnAdminAddedRegardTheirRecordThroughTheActivitysRecordLink(TestDb.Kind kind) {
        EntityDefinition claim = Models.entity("claim", "title", Models.required("title", FieldType.TEXT),
                Models.choice("stage", "reported", "settled"));
        // the activity knows nothing of claims: only its record-link can point to one
        EntityDefinition activity = Models.activity("opportunity", Models.link("regarding"));
        activity = new EntityDefinition(activity.name(), activity.label(), activity.pluralLabel(), activity.icon(),
                activity.titleField(), activity.fields(), activity.rules(), activity.examples(), activity.location(),
                "regarding");
        open(kind, Models.model(List.of(SalesModel.opportunity(), activity, claim), List.of(
                Models.process("claims", "claim", "stage").phases(
                        Models.phase("reported").onEnter(Models.todo("Check {{record.title}}",
                                new ProcessAction.RecordOwner(), Duration.ofDays(1))),
                        Models.phase("settled")).moves("reported", "settled").build()), List.of()));

        Record created = kit.node.as(Kit.ANNA).create("claim", Map.of("title", "Water damage"));

        Record todo = kit.node.store.query("activity", IN_CREATION_ORDER).records().get(0);
        assertThat(todo.get("regarding")).isEqualTo(new RecordLink("claim", created.id()));
        assertThat(todo.get("opportunity")).isNull();
        assertThat(todo.ownerUser()).isEqualTo(Kit.ANNA.userId());
        assertThat(kit.node.store.count("activity", new RecordQuery(List.of(new Filter("regarding", FilterOperator.EQ,
                "claim:" + created.id())), List.of(), null, 10, null))).isEqualTo(1);
    }

    @ParameterizedTest
    @EnumSource(TestDb.Kind.class)
    void aCaseTakesTheHistoryItHadElsewhereKeepingItsClosingReason(TestDb.Kind kind) {
        open(kind);
        Record lost = opportunity("phase", "lost", "loss_reason", "No budget");
        OffsetDateTime now = kit.now();
        List<CaseHistoryImport.PastPhase> history = List.of(
                new CaseHistoryImport.PastPhase("qualification", now.minusDays(60)),
                new CaseHistoryImport.PastPhase("proposal", now.minusDays(30)),
                new CaseHistoryImport.PastPhase("lost", now.minusDays(10)));

        kit.node.histories.replace("opportunity", lost.id(), history, Kit.ANNA);

        assertThat(kit.node.cases.history("opportunity", lost.id()))
                .extracting(ProcessCases.Stamp::fromPhase, ProcessCases.Stamp::toPhase, ProcessCases.Stamp::changedAt,
                        ProcessCases.Stamp::reason)
                .containsExactly(tuple(null, "qualification", now.minusDays(60), null),
                        tuple("qualification", "proposal", now.minusDays(30), null),
                        tuple("proposal", "lost", now.minusDays(10), "No budget"));
        ProcessCases.Case processCase = kit.node.cases.current("opportunity", lost.id()).orElseThrow();
        assertThat(processCase.startedAt()).isEqualTo(now.minusDays(60));
        assertThat(processCase.phaseSince()).isEqualTo(now.minusDays(10));
        assertThat(processCase.endedAt()).isEqualTo(now.minusDays(10));

        Record open = opportunity("phase", "qualification");
        List<CaseHistoryImport.PastPhase> endsElsewhere = List.of(
                new CaseHistoryImport.PastPhase("qualification", now.minusDays(9)),
                new CaseHistoryImport.PastPhase("proposal", now.minusDays(5)));
        assertThatThrownBy(() -> kit.node.histories.replace("opportunity", open.id(), endsElsewhere, Kit.ANNA))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("The history of opportunity " + open.id() + " ends in 'proposal', but the record is in "
                        + "'qualification': the last phase of a history is the current one.");
        List<CaseHistoryImport.PastPhase> backwards = List.of(
                new CaseHistoryImport.PastPhase("proposal", now.minusDays(5)),
                new CaseHistoryImport.PastPhase("qualification", now.minusDays(9)));
        assertThatThrownBy(() -> kit.node.histories.replace("opportunity", open.id(), backwards, Kit.ANNA))
                .hasMessageContaining("goes back in time: 'qualification'");
        assertThatThrownBy(() -> kit.node.histories.replace("opportunity", open.id(),
                List.of(new CaseHistoryImport.PastPhase("signed", now)), Kit.ANNA))
                .hasMessageContaining("'signed' in the history of opportunity " + open.id() + " is not a phase of the "
                        + "process 'sales'");
        assertThat(kit.node.cases.history("opportunity", open.id()))
                .extracting(ProcessCases.Stamp::toPhase, ProcessCases.Stamp::changedAt)
                .containsExactly(tuple("qualification", now));
    }

    @ParameterizedTest
    @EnumSource(TestDb.Kind.class)
    void aFailingActionRollsTheWholeWriteBackWithAClearError(TestDb.Kind kind) {
        open(kind, SalesModel.model(Models.required("category", FieldType.TEXT)));

        assertThatThrownBy(() -> opportunity("name", "Acme"))
                .isInstanceOf(ProcessActionException.class)
                .hasMessageContaining("The process 'sales' could not create the to-do (a record of 'activity') on "
                        + "entering the phase 'qualification' (todo.yaml:3:5): category: Enter a value for Category; "
                        + "it is required")
                .hasMessageContaining("Nothing was saved");

        assertThat(kit.node.store.count("opportunity", RecordQuery.all())).isZero();
        assertThat(kit.db.count("SELECT COUNT(*) FROM crm_process_case")).isZero();
        assertThat(kit.db.count("SELECT COUNT(*) FROM crm_phase_stamp")).isZero();
    }

    @ParameterizedTest
    @EnumSource(TestDb.Kind.class)
    void automaticMovesHappenInTheSameWriteAndTheirGuardsApply(TestDb.Kind kind) {
        open(kind);
        Record ticket = anna.create("ticket", Map.of("title", "Printer", "assignee_name", "boris"));
        assertThat(ticket.get("status")).isEqualTo("in_progress");
        assertThat(kit.node.cases.history("ticket", ticket.id()))
                .extracting(ProcessCases.Stamp::fromPhase, ProcessCases.Stamp::toPhase)
                .containsExactly(tuple(null, "open"), tuple("open", "in_progress"));

        Record waiting = update(ticket, "question", "Which model?");
        assertThat(waiting.get("status")).isEqualTo("waiting");
        Record answered = update(waiting, "question", null);
        assertThat(answered.get("status")).as("back, but not round and round").isEqualTo("in_progress");

        Record vague = update(answered, "solution", "ok");
        assertThat(vague.get("status")).as("the guard refuses the automatic move; the write itself goes through")
                .isEqualTo("in_progress");
        Record solved = update(vague, "solution", "Replaced the toner");
        assertThat(solved.get("status")).isEqualTo("resolved");
        assertThat(kit.node.cases.current("ticket", ticket.id()).orElseThrow().outcome()).isEqualTo(PhaseOutcome.SUCCESS);
    }

    @ParameterizedTest
    @EnumSource(TestDb.Kind.class)
    void theProcessIsChosenByItsConditionAndRecordsOfOtherEntitiesAreLeftAlone(TestDb.Kind kind) {
        open(kind);
        Record insurance = opportunity("product_line", "insurance");
        anna.create("note", Map.of("text", "Hello"));

        assertThat(kit.node.cases.current("opportunity", insurance.id()).orElseThrow().process()).isEqualTo("insurance");
        assertThat(kit.db.count("SELECT COUNT(*) FROM crm_process_case WHERE entity = 'note'")).isZero();
        assertThat(kit.node.store.count("activity", RecordQuery.all()))
                .as("the insurance process has no to-do").isZero();
        assertThat(update(insurance, "phase", "won").get("phase")).isEqualTo("won");
    }

    @ParameterizedTest
    @EnumSource(TestDb.Kind.class)
    void nextPhasesTellWhichMovesAreGuarded(TestDb.Kind kind) {
        open(kind);
        Record proposal = opportunity("phase", "proposal", "amount", 500, "close_date", "2026-06-30");

        assertThat(kit.node.cases.nextPhases("opportunity", proposal.id()))
                .extracting(ProcessCases.NextPhase::phase, ProcessCases.NextPhase::guarded,
                        ProcessCases.NextPhase::outcome, ProcessCases.NextPhase::reasonField)
                .containsExactly(tuple("negotiation", false, PhaseOutcome.OPEN, null),
                        tuple("lost", false, PhaseOutcome.FAILURE, "loss_reason"),
                        tuple("won", true, PhaseOutcome.SUCCESS, null),
                        tuple("cancelled", false, PhaseOutcome.FAILURE, null));
    }

    @ParameterizedTest
    @EnumSource(TestDb.Kind.class)
    void moveHelperUpdatesThePhaseFieldWithOtherValues(TestDb.Kind kind) {
        open(kind);
        Record created = opportunity();

        Record lost = kit.node.cases.move(anna, "opportunity", created.id(), created.version(), "lost",
                Map.of("loss_reason", "No budget"));

        assertThat(lost.get("phase")).isEqualTo("lost");
        assertThat(kit.node.cases.history("opportunity", created.id()).get(1).reason()).isEqualTo("No budget");
    }

    @ParameterizedTest
    @EnumSource(TestDb.Kind.class)
    void deletingARecordDeletesItsCaseStampsAndTimers(TestDb.Kind kind) {
        open(kind, BookingModel.model());
        Record request = kit.node.as(Kit.ANNA).create("meeting_request",
                Map.of("name", "Eva", "email", "eva@example.com", "language", "en"));
        assertThat(kit.db.count("SELECT COUNT(*) FROM crm_process_timer")).isEqualTo(2);

        kit.node.as(Kit.ANNA).delete("meeting_request", request.id(), request.version());

        assertThat(kit.db.count("SELECT COUNT(*) FROM crm_process_case")).isZero();
        assertThat(kit.db.count("SELECT COUNT(*) FROM crm_phase_stamp")).isZero();
        assertThat(kit.db.count("SELECT COUNT(*) FROM crm_process_timer")).isZero();
    }

    @ParameterizedTest
    @EnumSource(TestDb.Kind.class)
    void aRecordWhoseProcessWasRemovedChoosesAgainOnItsNextWrite(TestDb.Kind kind) {
        open(kind);
        Record created = opportunity();
        Record proposal = update(created, "phase", "proposal", "amount", 800, "close_date", "2026-06-30");

        kit.reload(Models.model(List.of(SalesModel.opportunity(), Models.activity("opportunity")),
                List.of(SalesModel.sales("pipeline_2027").build()), List.of()));
        assertThat(kit.node.cases.nextPhases("opportunity", proposal.id())).isEmpty();
        kit.advance(Duration.ofHours(1));
        Record touched = update(proposal, "next_step", "Call back");

        assertThat(touched.get("phase")).isEqualTo("proposal");
        ProcessCases.Case processCase = kit.node.cases.current("opportunity", created.id()).orElseThrow();
        assertThat(processCase.process()).isEqualTo("pipeline_2027");
        assertThat(processCase.phase()).isEqualTo("proposal");
        assertThat(kit.node.cases.history("opportunity", created.id()))
                .extracting(ProcessCases.Stamp::process, ProcessCases.Stamp::fromPhase, ProcessCases.Stamp::toPhase)
                .containsExactly(tuple("sales", null, "qualification"), tuple("sales", "qualification", "proposal"),
                        tuple("pipeline_2027", null, "proposal"));
        assertThat(kit.node.store.count("activity", RecordQuery.all()))
                .as("adopted in its phase: the phase's actions do not run again").isEqualTo(1);
        assertThat(update(touched, "phase", "negotiation").get("phase")).isEqualTo("negotiation");
    }

    @ParameterizedTest
    @EnumSource(TestDb.Kind.class)
    void setFieldValuesThatDoNotFitRefuseTheMove(TestDb.Kind kind) {
        open(kind, Models.model(List.of(SalesModel.opportunity(), Models.activity("opportunity")),
                List.of(Models.process("broken", "opportunity", "phase")
                        .phases(Models.phase("qualification"),
                                Models.phase("won").success().onEnter(Models.set("probability", "very high")))
                        .moves("qualification", "won").build()), List.of()));
        Record created = opportunity();

        assertThat(errors(() -> update(created, "phase", "won")))
                .extracting(FieldError::field, FieldError::code)
                .containsExactly(tuple("probability", ErrorCodes.PROCESS_VALUE));
        assertThat(kit.find("opportunity", created.id()).get("phase")).isEqualTo("qualification");
    }

    @ParameterizedTest
    @EnumSource(TestDb.Kind.class)
    void theProcessWorkJoinsAnOuterTransactionAndRollsBackWithIt(TestDb.Kind kind) {
        open(kind);
        assertThatThrownBy(() -> kit.node.store.transactions().runInTransaction(() -> {
            opportunity("name", "First");
            throw new IllegalStateException("changed my mind");
        })).hasMessage("changed my mind");

        assertThat(kit.node.store.count("opportunity", RecordQuery.all())).isZero();
        assertThat(kit.node.store.count("activity", RecordQuery.all())).isZero();
        assertThat(kit.db.count("SELECT COUNT(*) FROM crm_phase_stamp")).isZero();

        kit.node.store.transactions().runInTransaction(() -> {
            opportunity("name", "A");
            opportunity("name", "B");
        });
        assertThat(kit.node.store.count("activity", RecordQuery.all())).isEqualTo(2);
        assertThat(kit.db.count("SELECT COUNT(*) FROM crm_process_case")).isEqualTo(2);
    }
}
