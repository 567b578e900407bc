package io.relata.process.dialog;

import io.relata.process.TestDb;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.relata.api.model.MetadataModel;
import io.relata.api.record.AccessDeniedException;
import io.relata.api.record.FieldError;
import io.relata.api.record.Record;
import io.relata.api.record.RecordNotFoundException;
import io.relata.api.record.RecordQuery;
import io.relata.api.security.Actor;
import io.relata.rules.RuleEngine;
import io.relata.store.AuditSink;
import io.relata.store.JdbcRecordStore;
import io.relata.store.JdbcTransactions;
import io.relata.store.RecordWriteHook;
import io.relata.store.SchemaMigrator;
import io.relata.store.SecuredRecordStore;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/** The lead qualification dialog ({@link LeadQualification}) run by users, on H2 and on PostgreSQL. */
@ParameterizedClass(name = "{0}")
@EnumSource(TestDb.Kind.class)
class DialogRunnerTest {

    private static final MetadataModel MODEL = LeadQualification.model();
    private static final String DIALOG = LeadQualification.DIALOG;
    private static final Actor ADA = Actor.user(10, "ada", Set.of("sales"), List.of(1L));
    private static final Actor BEN = Actor.user(11, "ben", Set.of("sales"), List.of(1L));
    private static final Actor VERA = Actor.user(12, "vera", Set.of("viewer"), List.of(1L));
    private static final Actor IDA = Actor.user(13, "ida", Set.of("intern"), List.of(1L));
    private static final Actor OLE = Actor.user(14, "ole", Set.of("outsider"), List.of(1L));

    private static RuleEngine engine;

    @Parameter
    TestDb.Kind kind;

    private TestDb db;
    private JdbcTransactions transactions;
    private JdbcRecordStore system;
    private PhaseGuard guard;
    private Actor current;
    private MetadataModel model = MODEL;
    private DialogRunner runner;

    @BeforeAll
    static void startRules() {
        engine = new RuleEngine();
    }

    @AfterAll
    static void stopRules() {
        engine.close();
    }

    @BeforeEach
    void openDatabase() {
        db = TestDb.open(kind);
        new SchemaMigrator().migrate(MODEL, db.dataSource());
        transactions = new JdbcTransactions(db.dataSource());
        guard = new PhaseGuard();
        system = new JdbcRecordStore(transactions, () -> MODEL, Clock.systemUTC()).withHook(guard);
        current = ADA;
        runner = newRunner();
    }

    @AfterEach
    void closeDatabase() {
        if (db != null) {
            db.close();
        }
    }

    /** A runner as the web module builds one: on the store of the current user. */
    private DialogRunner newRunner() {
        SecuredRecordStore records = new SecuredRecordStore(system, () -> model, () -> current, AuditSink.NONE);
        return new DialogRunner(records, transactions, () -> model, new TestRules(engine), Clock.systemUTC());
    }

    // ---- starting ----

    @Test
    void aNewSessionStartsAtTheFirstStepWithTheRecordsCurrentValues() {
        long lead = lead("Jane Roe", "Acme", "12000.50");

        DialogSession session = runner.start(DIALOG, "lead", lead, ADA);

        assertThat(session.step()).isEqualTo("contact");
        assertThat(session.path()).containsExactly("contact");
        assertThat(session.state()).isEqualTo(DialogState.OPEN);
        assertThat(session.answers()).containsEntry("company", "Acme").containsEntry("has_budget", null)
                .containsEntry("notes", null).containsEntry("topic", null);
        assertThat((BigDecimal) session.answer("budget")).isEqualByComparingTo("12000.50");
        assertThat(session.canGoBack()).isFalse();
    }

    @Test
    void aDialogForSomeRolesRefusesOthersNamingTheRoleInTheirLanguage() {
        long lead = lead("Jane Roe", "Acme", null);
        model = LeadQualification.withRoles(MODEL, "intern");

        assertThatThrownBy(() -> newRunner().start(DIALOG, "lead", lead, ADA.inLanguage("de")))
                .isInstanceOfSatisfying(DialogException.class, e -> {
                    assertThat(e.problem()).isEqualTo(DialogException.Problem.NOT_ALLOWED);
                    assertThat(e.message("de")).contains("mit der Rolle intern");
                    assertThat(e.message("en")).contains("is for users with the role intern");
                });
        current = IDA;
        assertThat(newRunner().start(DIALOG, "lead", lead, IDA).step()).as("the role it is for").isEqualTo("contact");
        model = MODEL;
        current = ADA;
        assertThat(newRunner().start(DIALOG, "lead", lead, ADA).step()).as("open to all by default").isEqualTo("contact");
    }

    @Test
    void aUserWhoCannotUpdateTheRecordCannotStartTheDialog() {
        long lead = lead("Jane Roe", "Acme", null);

        current = VERA;
        assertThatThrownBy(() -> newRunner().start(DIALOG, "lead", lead, VERA))
                .isInstanceOf(AccessDeniedException.class)
                .hasMessage("You may not update lead " + lead + "; your roles only let you see it");

        current = OLE;
        assertThatThrownBy(() -> newRunner().start(DIALOG, "lead", lead, OLE))
                .isInstanceOf(DialogException.class)
                .hasMessageContaining("asks for company of lead, which your roles do not let you see")
                .extracting(e -> ((DialogException) e).problem()).isEqualTo(DialogException.Problem.NOT_ALLOWED);

        current = ADA;
        assertThatThrownBy(() -> runner.start(DIALOG, "lead", 999_999, ADA))
                .isInstanceOf(RecordNotFoundException.class);
        assertThatThrownBy(() -> runner.start("no_such_dialog", "lead", lead, ADA))
                .hasMessage("No dialog named 'no_such_dialog' in the current metadata");
        assertThatThrownBy(() -> runner.start(DIALOG, "opportunity", lead, ADA))
                .hasMessage("The dialog 'lead_qualification' runs on lead records, not on opportunity records");
        assertThat(runner.openSessions(ADA)).isEmpty();
    }

    @Test
    void checkingTheStartAndLookingForASessionToResumeChangeNothing() {
        long lead = lead("Jane Roe", "Acme", null);

        runner.checkStart(DIALOG, "lead", lead, ADA);
        assertThat(runner.resumable(DIALOG, "lead", lead, ADA)).isEmpty();
        assertThat(runner.openSessions(ADA)).as("no session started").isEmpty();
        current = VERA;
        assertThatThrownBy(() -> newRunner().checkStart(DIALOG, "lead", lead, VERA))
                .isInstanceOf(AccessDeniedException.class);
        current = ADA;
        assertThatThrownBy(() -> runner.checkStart("no_such_dialog", "lead", lead, ADA))
                .hasMessage("No dialog named 'no_such_dialog' in the current metadata");

        DialogSession started = runner.start(DIALOG, "lead", lead, ADA);
        runner.submitStep(started.id(), "contact", Map.of("has_budget", "true"), ADA);
        assertThat(runner.resumable(DIALOG, "lead", lead, ADA)).get()
                .extracting(DialogSession::id, DialogSession::step).containsExactly(started.id(), "budget");

        model = LeadQualification.withStepRenamed(MODEL, "budget", "funding");
        assertThat(runner.resumable(DIALOG, "lead", lead, ADA)).as("no longer fits").isEmpty();
        assertThat(runner.session(started.id(), ADA).state()).as("but is not abandoned by looking")
                .isEqualTo(DialogState.OPEN);
    }

    // ---- steps ----

    @Test
    void requiredFieldsUnconvertibleValuesAndUnknownFieldsAreReportedPerFieldAndChangeNothing() {
        long lead = lead("Jane Roe", null, null);
        DialogSession session = runner.start(DIALOG, "lead", lead, ADA);

        StepResult empty = runner.submitStep(session.id(), "contact", Map.of(), ADA);
        StepResult wrong = runner.submitStep(session.id(), "contact",
                Map.of("company", "  ", "has_budget", "maybe", "budget", "5"), ADA);

        assertThat(empty.accepted()).isFalse();
        assertThat(codes(empty.errors())).containsExactlyInAnyOrder("company:required", "has_budget:required");
        assertThat(empty.errors()).extracting(FieldError::message)
                .contains("Enter a value for Budget available?; it is required");
        assertThat(codes(wrong.errors()))
                .containsExactlyInAnyOrder("budget:unknown_field", "company:required", "has_budget:not_a_boolean");
        DialogSession stored = runner.session(session.id(), ADA);
        assertThat(stored.step()).isEqualTo("contact");
        assertThat(stored.version()).isEqualTo(session.version());
        assertThat(stored.answers()).isEqualTo(session.answers());
    }

    @Test
    void theStepsValidationRuleSeesTheAnswersAndRefusesPerField() {
        long lead = lead("Jane Roe", null, null);
        DialogSession session = runner.start(DIALOG, "lead", lead, ADA);

        StepResult tooShort = runner.submitStep(session.id(), "contact", Map.of("company", "A", "has_budget", "true"), ADA);
        assertThat(tooShort.errors()).containsExactly(new FieldError("company", "rule", "Enter at least two characters"));
        assertThat(runner.session(session.id(), ADA).step()).isEqualTo("contact");

        StepResult accepted = runner.submitStep(session.id(), "contact", Map.of("company", "Acme", "has_budget", true), ADA);
        assertThat(accepted.accepted()).isTrue();
        StepResult tooSmall = runner.submitStep(session.id(), "budget", Map.of("budget", 50), ADA);
        assertThat(tooSmall.errors())
                .containsExactly(new FieldError("budget", "rule", "A budget below 100 is not worth a deal"));
        assertThat(tooSmall.session().step()).isEqualTo("budget");
    }

    @Test
    void theEntitysOwnValidationRefusesAnAskedFieldAtItsStepNotAtTheFinish() {
        io.relata.api.model.EntityDefinition lead = MODEL.entity("lead").orElseThrow();
        io.relata.api.model.EntityDefinition capped = lead.withRules(List.of(new io.relata.api.rules.RuleDefinition(
                "budget_cap", io.relata.api.rules.RuleKind.VALIDATION, null, null,
                "record.budget == null || record.budget <= 1000000 || {budget: 'Above one million ask the board'}",
                "metadata/entities/lead.yaml", new io.relata.api.model.SourceLocation("metadata/entities/lead.yaml", 9, 5)),
                new io.relata.api.rules.RuleDefinition("notes_rule", io.relata.api.rules.RuleKind.VALIDATION, null, null,
                        "{notes: 'never asked here'}", "metadata/entities/lead.yaml",
                        new io.relata.api.model.SourceLocation("metadata/entities/lead.yaml", 12, 5))));
        Map<String, io.relata.api.model.EntityDefinition> entities = new java.util.LinkedHashMap<>(MODEL.entities());
        entities.put("lead", capped);
        model = new MetadataModel(entities, MODEL.roles(), MODEL.processes(), MODEL.dialogs(), MODEL.templates(),
                MODEL.revision() + "+cap", MODEL.loadedAt());
        runner = newRunner();
        long id = lead("Jane Roe", null, null);
        DialogSession session = runner.start(DIALOG, "lead", id, ADA);
        runner.submitStep(session.id(), "contact", Map.of("company", "Acme", "has_budget", true), ADA);

        StepResult tooLarge = runner.submitStep(session.id(), "budget", Map.of("budget", 2_000_000), ADA);

        assertThat(tooLarge.errors()).as("only errors about the fields this step asks")
                .containsExactly(new FieldError("budget", "rule", "Above one million ask the board"));
        assertThat(tooLarge.session().step()).isEqualTo("budget");
        assertThat(runner.submitStep(session.id(), "budget", Map.of("budget", 900_000), ADA).accepted()).isTrue();
    }

    @Test
    void theFirstBranchWhoseConditionHoldsDecidesTheNextStep() {
        long withBudget = lead("Jane Roe", null, null);
        long withoutBudget = lead("John Doe", null, null);
        DialogSession first = runner.start(DIALOG, "lead", withBudget, ADA);
        DialogSession second = runner.start(DIALOG, "lead", withoutBudget, ADA);

        DialogSession toBudget = runner.submitStep(first.id(), "contact",
                Map.of("company", "Acme", "has_budget", "true"), ADA).session();
        DialogSession toNeeds = runner.submitStep(second.id(), "contact",
                Map.of("company", "Globex", "has_budget", "false"), ADA).session();

        assertThat(toBudget.step()).isEqualTo("budget");
        assertThat(toBudget.path()).containsExactly("contact", "budget");
        assertThat(toNeeds.step()).isEqualTo("needs");
        assertThat(toNeeds.path()).containsExactly("contact", "needs");

        DialogSession atSummary = runner.submitStep(second.id(), "needs", Map.of("topic", "CRM rollout"), ADA).session();
        assertThat(atSummary.atSummary()).isTrue();
        assertThat(atSummary.step()).isNull();
        assertThat(atSummary.path()).containsExactly("contact", "needs");
    }

    @Test
    void backGoesToThePreviousStepOnThePathAndKeepsTheAnswers() {
        long lead = lead("Jane Roe", null, null);
        DialogSession session = runner.start(DIALOG, "lead", lead, ADA);
        runner.submitStep(session.id(), "contact", Map.of("company", "Acme", "has_budget", "true"), ADA);
        runner.submitStep(session.id(), "budget", Map.of("budget", "2500", "decision_date", "2025-03-31"), ADA);
        runner.submitStep(session.id(), "needs", Map.of("topic", "Support"), ADA);

        DialogSession fromSummary = runner.back(session.id(), ADA);
        assertThat(fromSummary.step()).isEqualTo("needs");
        assertThat(fromSummary.path()).containsExactly("contact", "budget", "needs");
        DialogSession toBudget = runner.back(session.id(), ADA);
        DialogSession toContact = runner.back(session.id(), ADA);

        assertThat(toBudget.step()).isEqualTo("budget");
        assertThat(toContact.step()).isEqualTo("contact");
        assertThat(toContact.path()).containsExactly("contact");
        assertThat(toContact.answers()).containsEntry("company", "Acme").containsEntry("has_budget", true)
                .containsEntry("decision_date", LocalDate.of(2025, 3, 31)).containsEntry("topic", "Support");
        assertThatThrownBy(() -> runner.back(session.id(), ADA)).isInstanceOf(DialogException.class)
                .hasMessage("This dialog is at its first step 'contact' (Contact); there is no step before it");

        DialogSession otherWay = runner.submitStep(session.id(), "contact", Map.of("has_budget", "false"), ADA).session();
        assertThat(otherWay.step()).isEqualTo("needs");
        assertThat(otherWay.path()).containsExactly("contact", "needs");
    }

    @Test
    void submittingAStepOtherThanTheCurrentOneIsRefusedClearly() {
        long lead = lead("Jane Roe", null, null);
        DialogSession session = runner.start(DIALOG, "lead", lead, ADA);
        runner.submitStep(session.id(), "contact", Map.of("company", "Acme", "has_budget", "false"), ADA);

        assertThatThrownBy(() -> runner.submitStep(session.id(), "contact", Map.of("company", "Other"), ADA))
                .isInstanceOf(DialogException.class)
                .hasMessage("This dialog is at step 'needs' (Needs), not at step 'contact'; reload it to continue "
                        + "where it stands")
                .extracting(e -> ((DialogException) e).problem()).isEqualTo(DialogException.Problem.WRONG_STEP);
        assertThatThrownBy(() -> runner.finish(session.id(), ADA))
                .hasMessage("This dialog is at step 'needs' (Needs); answer it and the steps after it before finishing");
        assertThat(runner.session(session.id(), ADA).answers()).containsEntry("company", "Acme");
    }

    // ---- leaving and coming back ----

    @Test
    void aUserWhoLeavesResumesAtTheSameStepWithTheSameAnswers() {
        long lead = lead("Jane Roe", "Acme", null);
        DialogSession started = runner.start(DIALOG, "lead", lead, ADA);
        runner.submitStep(started.id(), "contact", Map.of("has_budget", "true"), ADA);
        runner.submitStep(started.id(), "budget", Map.of("budget", "1234.5", "decision_date", "2025-06-30"), ADA);

        DialogRunner afterRestart = newRunner();
        DialogSession resumed = afterRestart.start(DIALOG, "lead", lead, ADA);

        assertThat(resumed.id()).isEqualTo(started.id());
        assertThat(resumed.step()).isEqualTo("needs");
        assertThat(resumed.path()).containsExactly("contact", "budget", "needs");
        assertThat(resumed.answers()).containsEntry("company", "Acme").containsEntry("has_budget", Boolean.TRUE)
                .containsEntry("decision_date", LocalDate.of(2025, 6, 30)).containsEntry("topic", null);
        assertThat((BigDecimal) resumed.answer("budget")).isEqualByComparingTo("1234.50");
        assertThat(afterRestart.openSessions(ADA)).extracting(DialogSession::id).containsExactly(started.id());

        current = BEN;
        DialogSession bens = newRunner().start(DIALOG, "lead", lead, BEN);
        assertThat(bens.id()).isNotEqualTo(started.id());
        assertThat(bens.step()).isEqualTo("contact");
        assertThatThrownBy(() -> newRunner().session(started.id(), BEN)).isInstanceOf(DialogException.class)
                .hasMessage("No dialog session " + started.id() + " of ben");
    }

    @Test
    void anAbandonedSessionIsNotResumed() {
        long lead = lead("Jane Roe", "Acme", null);
        DialogSession first = runner.start(DIALOG, "lead", lead, ADA);
        runner.submitStep(first.id(), "contact", Map.of("has_budget", "false"), ADA);

        assertThat(runner.abandon(first.id(), ADA).state()).isEqualTo(DialogState.ABANDONED);
        DialogSession again = runner.start(DIALOG, "lead", lead, ADA);

        assertThat(again.id()).isNotEqualTo(first.id());
        assertThat(again.step()).isEqualTo("contact");
        assertThat(runner.openSessions(ADA)).extracting(DialogSession::id).containsExactly(again.id());
        assertThatThrownBy(() -> runner.submitStep(first.id(), "needs", Map.of("topic", "x"), ADA))
                .hasMessage("The dialog session " + first.id() + " is abandoned; start the dialog again from the record");
    }

    // ---- summary and finish ----

    @Test
    void theSummaryListsTheAnsweredFieldsInPathOrder() {
        long lead = lead("Jane Roe", null, null);
        DialogSession session = answerAll(lead, "Acme", "2500", "Support");

        List<SummaryLine> summary = runner.summary(session.id(), ADA);

        assertThat(summary).extracting(l -> l.stepTitle().in("en") + " / " + l.label().in("en") + " = " + l.value())
                .containsExactly(
                        "Contact / Company = Acme",
                        "Contact / Budget available? = true",
                        "Budget / Budget = 2500.00",
                        "Budget / Decision by = 2025-03-31",
                        "Needs / Topic = Support",
                        "Needs / Notes = Wants a demo");
    }

    @Test
    void finishWritesTheAnswersCreatesTheOpportunityAndMovesThePhase() {
        long lead = lead("Jane Roe", null, null);
        DialogSession session = answerAll(lead, "Acme & Sons", "2500", "Support");

        FinishResult result = runner.finish(session.id(), ADA);

        assertThat(result.errors()).isEmpty();
        assertThat(result.finished()).isTrue();
        assertThat(result.session().state()).isEqualTo(DialogState.FINISHED);
        Record updated = system.get("lead", lead);
        assertThat(updated.values()).containsEntry("company", "Acme & Sons").containsEntry("notes", "Wants a demo")
                .containsEntry("status", "qualified").containsEntry("phase", "qualified");
        assertThat((BigDecimal) updated.get("budget")).isEqualByComparingTo("2500");
        assertThat(guard.moves).containsExactly("lead " + lead + ": new -> qualified");

        List<Record> opportunities = system.query("opportunity", RecordQuery.all()).records();
        assertThat(opportunities).hasSize(1);
        Record opportunity = opportunities.get(0);
        assertThat(opportunity.values()).containsEntry("name", "Acme & Sons: Support").containsEntry("lead", lead);
        assertThat((BigDecimal) opportunity.get("amount")).isEqualByComparingTo("2500");
        assertThat(opportunity.ownerUser()).isEqualTo(ADA.userId());
        assertThat(result.written()).containsExactly(new FinishResult.WrittenRecord("lead", lead, false),
                new FinishResult.WrittenRecord("opportunity", opportunity.id(), true));

        assertThat(runner.openSessions(ADA)).isEmpty();
        assertThatThrownBy(() -> runner.finish(session.id(), ADA)).isInstanceOf(DialogException.class)
                .hasMessage("The dialog session " + session.id() + " is finished; start the dialog again from the record");
    }

    @Test
    void aRefusedPhaseMoveFailsTheWholeFinishAndKeepsTheSessionOpen() {
        long lead = lead("Jane Roe", null, null);
        DialogSession session = runner.start(DIALOG, "lead", lead, ADA);
        runner.submitStep(session.id(), "contact", Map.of("company", "Acme", "has_budget", "false"), ADA);
        runner.submitStep(session.id(), "needs", Map.of("topic", "Support"), ADA);

        FinishResult result = runner.finish(session.id(), ADA);

        assertThat(result.finished()).isFalse();
        assertThat(result.errors()).containsExactly(
                new FieldError("phase", "guard", "A lead can only be qualified with a budget"));
        assertThat(result.written()).isEmpty();
        Record unchanged = system.get("lead", lead);
        assertThat(unchanged.version()).isEqualTo(1);
        assertThat(unchanged.values()).containsEntry("company", null).containsEntry("status", "new")
                .containsEntry("phase", "new");
        assertThat(system.count("opportunity", RecordQuery.all())).isZero();
        assertThat(guard.moves).isEmpty();
        DialogSession still = runner.session(session.id(), ADA);
        assertThat(still.state()).isEqualTo(DialogState.OPEN);
        assertThat(still.atSummary()).isTrue();
    }

    @Test
    void aConcurrentChangeOfTheRecordRefusesTheFinishUntilTheUserHasSeenIt() {
        long lead = lead("Jane Roe", "Acme", null);
        DialogSession session = answerAll(lead, "Acme Corp", "2500", "Support");
        Record before = system.get("lead", lead);
        system.update("lead", lead, before.version(), Map.of("company", "ACME Inc.", "name", "Jane R."));

        FinishResult refused = runner.finish(session.id(), ADA);

        assertThat(refused.finished()).isFalse();
        assertThat(refused.errors()).singleElement().satisfies(error -> {
            assertThat(error.code()).isEqualTo("concurrent_update");
            assertThat(error.message()).isEqualTo("Someone else changed Company of Lead " + lead + " while you were "
                    + "in this dialog, where you entered other values. Check the summary: finishing again writes your "
                    + "values over theirs.");
        });
        Record untouched = system.get("lead", lead);
        assertThat(untouched.values()).containsEntry("company", "ACME Inc.").containsEntry("status", "new")
                .containsEntry("phase", "new");
        assertThat(system.count("opportunity", RecordQuery.all())).isZero();
        assertThat(refused.session().state()).isEqualTo(DialogState.OPEN);
        assertThat(refused.session().answers()).containsEntry("company", "Acme Corp");

        FinishResult confirmed = runner.finish(session.id(), ADA);

        assertThat(confirmed.errors()).isEmpty();
        Record written = system.get("lead", lead);
        assertThat(written.values()).containsEntry("company", "Acme Corp").containsEntry("name", "Jane R.")
                .containsEntry("phase", "qualified");
    }

    @Test
    void aFieldTheUserMayOnlySeeCannotBeChangedInAStep() {
        long lead = lead("Jane Roe", "Acme", "900");
        current = IDA;
        DialogRunner interns = newRunner();
        DialogSession session = interns.start(DIALOG, "lead", lead, IDA);
        interns.submitStep(session.id(), "contact", Map.of("has_budget", "true"), IDA);

        StepResult changed = interns.submitStep(session.id(), "budget", Map.of("budget", "5000"), IDA);
        StepResult kept = interns.submitStep(session.id(), "budget", Map.of("budget", "900.00"), IDA);

        assertThat(changed.errors()).containsExactly(new FieldError("budget", "read_only_field",
                "You may not change Budget: your roles let you only see it"));
        assertThat(kept.accepted()).isTrue();
        assertThat(kept.session().step()).isEqualTo("needs");
    }

    // ---- definitions that changed or cannot run ----

    @Test
    void aSessionThatNoLongerFitsTheChangedDialogCannotGoOnAndIsReplacedOnStart() {
        long lead = lead("Jane Roe", "Acme", null);
        DialogSession old = runner.start(DIALOG, "lead", lead, ADA);
        runner.submitStep(old.id(), "contact", Map.of("has_budget", "true"), ADA);

        model = LeadQualification.withStepRenamed(MODEL, "budget", "funding");

        assertThatThrownBy(() -> runner.submitStep(old.id(), "budget", Map.of("budget", "500"), ADA))
                .isInstanceOf(DialogException.class)
                .hasMessage("The dialog 'lead_qualification' was changed since you started it and no longer has the "
                        + "steps you went through; abandon this session and start the dialog again from the record")
                .extracting(e -> ((DialogException) e).problem()).isEqualTo(DialogException.Problem.DEFINITION_CHANGED);
        DialogSession fresh = runner.start(DIALOG, "lead", lead, ADA);
        assertThat(fresh.id()).isNotEqualTo(old.id());
        assertThat(runner.session(old.id(), ADA).state()).isEqualTo(DialogState.ABANDONED);
        DialogSession toFunding = runner.submitStep(fresh.id(), "contact", Map.of("has_budget", "true"), ADA).session();
        assertThat(toFunding.step()).isEqualTo("funding");
    }

    @Test
    void aDialogWhosePlaceholdersNameNothingCannotStart() {
        long lead = lead("Jane Roe", "Acme", null);
        model = LeadQualification.withCreatedValue(MODEL, "name", "{{record.compnay}} for {{dialog.topic}} {{user.name}}");

        assertThatThrownBy(() -> runner.start(DIALOG, "lead", lead, ADA))
                .isInstanceOf(DialogException.class)
                .hasMessage("The dialog 'lead_qualification' (metadata/dialogs/lead_qualification.yaml:1:5) cannot run: "
                        + "the values of the new opportunity use {{record.compnay}}, {{user.name}}, which name neither "
                        + "a field of lead ({{record.x}}) nor a field of the dialog ({{dialog.x}}) "
                        + "(metadata/dialogs/lead_qualification.yaml:33:5). An administrator needs to correct it.");
        model = LeadQualification.withCreatedValue(MODEL, "amuont", "{{record.budget}}");
        assertThatThrownBy(() -> runner.start(DIALOG, "lead", lead, ADA))
                .hasMessageContaining("cannot run: the new opportunity gets values for amuont, which is not a field of "
                        + "opportunity (metadata/dialogs/lead_qualification.yaml:33:5)");
        assertThat(runner.openSessions(ADA)).isEmpty();
    }

    // ---- helpers ----

    /** Answers every step of the budget path; notes "Wants a demo", decision date 2025-03-31. */
    @Test
    void aPreviewJudgesStepsAsARunDoesAndSaysWhatTheFinishWouldWriteWithoutWritingAnything() throws Exception {
        long lead = lead("Jane Roe", null, null);
        DialogPreview preview = runner.preview(MODEL, DIALOG, lead, ADA);
        assertThat(preview.step()).isEqualTo("contact");
        assertThat(codes(preview.submit(Map.of("has_budget", "true")))).as("the same check as a run")
                .containsExactly("company:required");
        assertThat(preview.submit(Map.of("company", "Acme & Sons", "has_budget", "true"))).isEmpty();
        assertThat(preview.submit(Map.of("budget", "2500", "decision_date", "2025-03-31"))).isEmpty();
        // a page keeps path and answers as data and continues in a new preview on its next request
        DialogPreview continued = runner.preview(MODEL, DIALOG, lead, ADA)
                .restore(preview.path(), preview.answers(), preview.atSummary());
        assertThat(continued.step()).isEqualTo("needs");
        assertThat(continued.submit(Map.of("topic", "Support", "notes", "Wants a demo"))).isEmpty();
        assertThat(continued.atSummary()).isTrue();

        DialogPreview.Finish finish = continued.finish("en");
        assertThat(finish.changes()).containsEntry("company", "Acme & Sons").containsEntry("notes", "Wants a demo")
                .containsEntry("status", "qualified");
        assertThat(finish.movePhase()).isEqualTo("qualified");
        assertThat(finish.creates()).singleElement().satisfies(created -> {
            assertThat(created.entity()).isEqualTo("opportunity");
            assertThat(created.values()).containsEntry("name", "Acme & Sons: Support").containsEntry("lead", lead);
        });
        continued.back();
        assertThat(continued.step()).isEqualTo("needs");

        assertThat(system.get("lead", lead).get("company")).as("nothing written").isNull();
        assertThat(system.query("opportunity", RecordQuery.all()).records()).isEmpty();
        assertThat(runner.openSessions(ADA)).as("no session stored").isEmpty();
        assertThat(runner.preview(MODEL, DIALOG, null, ADA).record().values()).as("or on a new, empty record").isEmpty();
    }

    private DialogSession answerAll(long lead, String company, String budget, String topic) {
        DialogSession session = runner.start(DIALOG, "lead", lead, ADA);
        assertThat(runner.submitStep(session.id(), "contact", Map.of("company", company, "has_budget", "true"), ADA)
                .errors()).isEmpty();
        assertThat(runner.submitStep(session.id(), "budget", Map.of("budget", budget, "decision_date", "2025-03-31"),
                ADA).errors()).isEmpty();
        StepResult last = runner.submitStep(session.id(), "needs", Map.of("topic", topic, "notes", "Wants a demo"), ADA);
        assertThat(last.errors()).isEmpty();
        assertThat(last.session().atSummary()).isTrue();
        return last.session();
    }

    private long lead(String name, String company, String budget) {
        Map<String, Object> values = new HashMap<>();
        values.put("name", name);
        values.put("company", company);
        values.put("budget", budget);
        values.put("status", "new");
        values.put("phase", "new");
        return system.create("lead", values, ADA.userId(), ADA.primaryTeam()).id();
    }

    private static List<String> codes(List<FieldError> errors) {
        return errors.stream().map(e -> e.field() + ":" + e.code()).toList();
    }

    /** Stands in for the process engine's hook: refuses "qualified" without a budget and remembers moves. */
    static final class PhaseGuard implements RecordWriteHook {

        final List<String> moves = new CopyOnWriteArrayList<>();

        @Override
        public void checking(Check check) {
            if (!check.entity().name().equals("lead") || check.isNew()) {
                return;
            }
            Object to = check.values().get("phase");
            if ("qualified".equals(to) && !to.equals(check.current().get("phase"))
                    && check.values().get("budget") == null) {
                check.error("phase", "guard", "A lead can only be qualified with a budget");
            }
        }

        @Override
        public void written(Written written) {
            if (written.entity().name().equals("lead") && written.before() != null && written.after() != null) {
                Object from = written.before().get("phase");
                Object to = written.after().get("phase");
                if (!java.util.Objects.equals(from, to)) {
                    moves.add("lead " + written.after().id() + ": " + from + " -> " + to);
                }
            }
        }
    }
}
