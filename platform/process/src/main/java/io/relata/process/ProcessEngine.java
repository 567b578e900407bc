package io.relata.process;

import static io.relata.api.record.ErrorCodes.GUARD;
import static io.relata.api.record.ErrorCodes.PHASE_MOVE;
import static io.relata.api.record.ErrorCodes.PROCESS_VALUE;
import static io.relata.api.record.ErrorCodes.REASON_REQUIRED;
import static io.relata.api.record.ErrorCodes.REQUIRED;

import io.relata.api.model.EntityDefinition;
import io.relata.api.model.FieldDefinition;
import io.relata.api.model.LocalizedText;
import io.relata.api.model.MetadataModel;
import io.relata.api.model.SourceLocation;
import io.relata.api.process.PhaseDefinition;
import io.relata.api.process.ProcessAction;
import io.relata.api.process.ProcessDefinition;
import io.relata.api.process.TimerDefinition;
import io.relata.api.process.TransitionDefinition;
import io.relata.api.record.FieldError;
import io.relata.api.record.Record;
import io.relata.api.rules.RecordRules;
import io.relata.api.rules.RuleDefinition;
import io.relata.api.rules.RuleInput;
import io.relata.api.security.Actor;
import io.relata.store.InvalidValueException;
import io.relata.store.JdbcRecordStore;
import io.relata.store.JdbcTransactions;
import io.relata.store.RecordWriteHook;
import io.relata.store.ValueConverter;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Runs the processes of the metadata model inside every record write: install it on the record store with
 * {@link JdbcRecordStore#withHook}. Lifecycle of a record that follows a process:
 * <ol>
 *   <li><b>Create</b>: the first process of the entity whose {@code appliesWhen} holds is chosen and kept (a
 *       case row). The phase field, if empty, is set to the process's first phase; if given, it must be one of
 *       its phases. The start is stamped ({@code from_phase} NULL) and the phase is entered (below).</li>
 *   <li><b>Update that changes the phase field</b>: the move must be a transition of the process (error code
 *       {@value #PHASE_MOVE}, naming the allowed next phases); the target's required fields must have values
 *       ({@value #REQUIRED}); a closing phase with a reason field needs the reason ({@value #REASON_REQUIRED});
 *       the transition's guard runs over the record as it would be stored, with {@code previous} the stored
 *       record, and its messages refuse the move ({@value #GUARD}: on the field a message names, as in
 *       {@code {amount: 'A proposal needs an amount'}}, else on the phase field).</li>
 *   <li><b>Entering and leaving</b>: set-field actions of {@code onLeave} (old phase), then {@code onEnter}
 *       (new phase) change the record in the same write, before it is checked. A field the writer gave a new
 *       value in the same write keeps it unless the action says {@code force} (the user's word wins over a
 *       default of the process); what the actions set is reported to the writer ({@code by} the process), and
 *       the store computes the entity's computed values and scores afterwards. To-dos, mails, webhooks and
 *       extension calls run after the row is written, in the same transaction (mails, webhooks and extensions
 *       through the {@link Outbox}). Each move is stamped (who, when, from, to, the closing reason) and the
 *       case row follows (phase, since, outcome, ended_at; reopening clears ended_at). Pending timers of the
 *       case are cancelled on leaving; the timers of the phase finally entered are started.</li>
 *   <li><b>Automatic moves</b>: after every write (and so after timers), if a transition out of the record's
 *       phase has a {@code when} condition that holds, the record moves on in the same write, guard and
 *       requirements applying (a refused automatic move simply does not happen). At most
 *       {@value #MAX_AUTOMATIC_MOVES} in a row, never back to a phase the write already passed.</li>
 *   <li><b>Staying</b>: while a record is in a phase, that phase's required fields must keep their values.</li>
 *   <li><b>Delete</b>: the case goes, with its stamps and timers.</li>
 * </ol>
 * A record of an entity without processes, or to which no process applies, is left alone. A record whose
 * process was removed from metadata by a reload (or that existed before its entity had processes) chooses
 * a process again on its next write: if its phase value is a phase of the new process it is adopted there
 * (stamped, without running that phase's actions or timers), otherwise it starts like a new record. The old
 * stamps keep the old process's name, so its figures stay.
 *
 * <p>Anything an action throws rolls the whole write back ({@link ProcessActionException} says which action).
 * Thread-safe; one instance per application (per node).
 */
public final class ProcessEngine implements RecordWriteHook {

    /** Automatic moves one write may make in a row (stops cycles of conditions). */
    public static final int MAX_AUTOMATIC_MOVES = 5;

    private static final Logger LOG = Logger.getLogger(ProcessEngine.class.getName());

    private final Supplier<MetadataModel> models;
    private final RecordRules rules;
    private final Clock clock;
    private final Supplier<JdbcRecordStore> systemStore;
    private final ProcessSettings settings;
    private final ProcessActions actions;
    private final ValueConverter converter = new ValueConverter();

    /**
     * @param models      the current metadata model
     * @param rules       runs guards, conditions and set-field expressions ({@link RecordRules#validate},
     *                    {@link RecordRules#test}, {@link RecordRules#compute})
     * @param clock       for timers and the outbox (the store's clock stamps writes)
     * @param systemStore the unrestricted store with this engine as its hook: to-dos are created and timers
     *                    change records through it, so rules and this engine see those writes too
     * @param assignees   users for to-dos and mails
     * @param outbox      where mails, webhooks and extension calls are queued
     */
    public ProcessEngine(Supplier<MetadataModel> models, RecordRules rules, Clock clock,
                         Supplier<JdbcRecordStore> systemStore, Assignees assignees, Outbox outbox,
                         ProcessSettings settings) {
        this.models = Objects.requireNonNull(models, "models");
        this.rules = Objects.requireNonNull(rules, "rules");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.systemStore = Objects.requireNonNull(systemStore, "systemStore");
        this.settings = Objects.requireNonNull(settings, "settings");
        this.actions = new ProcessActions(settings, Objects.requireNonNull(assignees, "assignees"),
                Objects.requireNonNull(outbox, "outbox"));
    }

    public ProcessSettings settings() {
        return settings;
    }

    Supplier<MetadataModel> models() {
        return models;
    }

    JdbcRecordStore systemStore() {
        return systemStore.get();
    }

    ProcessActions actions() {
        return actions;
    }

    OffsetDateTime now() {
        return OffsetDateTime.now(clock).withOffsetSameInstant(ZoneOffset.UTC).truncatedTo(ChronoUnit.MICROS);
    }

    // ---- the hook ----

    @Override
    public void checking(Check check) throws SQLException {
        if (check.model().processesOf(check.entity().name()).isEmpty()) {
            return;
        }
        Plan plan = new Planner(check).plan();
        if (plan != null) {
            check.note(plan);
        }
    }

    @Override
    public void written(Written written) throws SQLException {
        String entity = written.entity().name();
        if (written.after() == null) {
            ProcessTables.deleteCase(written.connection(), entity, written.before().id());
            return;
        }
        if (written.model().processesOf(entity).isEmpty()) {
            return;
        }
        if (written.note() instanceof Plan plan) {
            recordPlan(written, plan);
        }
    }

    /** One phase change of a write: from null is the start of a case; adopted: stamped, no actions. */
    private record Step(String from, String to, boolean adopted) {
    }

    /**
     * What a write does to its record's case.
     *
     * @param existing the case row before the write, or null (a new case)
     * @param chosen   true if the process was chosen in this write (new case, or a case whose process is gone)
     */
    private record Plan(ProcessDefinition process, ProcessTables.CaseRow existing, boolean chosen, List<Step> steps) {
    }

    /** Stamps, case row, actions and timers of a written plan. */
    private void recordPlan(Written written, Plan plan) throws SQLException {
        Connection c = written.connection();
        OffsetDateTime now = written.at();
        Record after = written.after();
        ProcessDefinition process = plan.process();
        List<Step> steps = plan.steps();
        if (steps.isEmpty()) {
            if (plan.existing() != null && written.before() != null) {
                moveAnchoredTimers(c, plan.existing(), process, written.before(), after);
            }
            return;
        }
        String entity = written.entity().name();
        long caseId;
        boolean timersCancelled = false;
        if (plan.existing() == null) {
            caseId = ProcessTables.insertCase(c, entity, after.id(), process.name(), steps.get(0).to(), now);
        } else {
            caseId = plan.existing().id();
            if (plan.chosen()) {
                ProcessTables.cancelPendingTimers(c, caseId);
                timersCancelled = true;
                ProcessTables.restartCase(c, caseId, process.name(), steps.get(0).to(), now);
            }
        }
        JdbcRecordStore writer = storeOn(c, written.model());
        long lastStamp = -1;
        for (Step step : steps) {
            if (step.from() != null) {
                if (!timersCancelled) {
                    ProcessTables.cancelPendingTimers(c, caseId);
                    timersCancelled = true;
                }
                run(new ProcessActions.Context(c, written.model(), process, written.entity(), after, step.from(), "leave",
                        null, now, writer), phase(process, step.from()).onLeave());
            }
            lastStamp = ProcessTables.insertStamp(c, caseId, entity, after.id(), process.name(), step.from(), step.to(),
                    now, written.actor(), reason(process, step.to(), after));
            if (!step.adopted()) {
                run(new ProcessActions.Context(c, written.model(), process, written.entity(), after, step.to(), "enter",
                        null, now, writer), phase(process, step.to()).onEnter());
            }
        }
        Step last = steps.get(steps.size() - 1);
        PhaseDefinition reached = phase(process, last.to());
        ProcessTables.moveCase(c, caseId, reached.name(), now, lastStamp, reached.outcome(),
                reached.isClosing() ? now : null);
        if (!last.adopted()) {
            for (TimerDefinition timer : reached.timers()) {
                OffsetDateTime due = timer.anchored() ? anchoredDue(timer, after) : now.plus(timer.after());
                if (due != null) {
                    ProcessTables.insertTimer(c, caseId, lastStamp, process.name(), reached.name(), timer.name(), due);
                }
            }
        }
    }

    /**
     * The record stayed in its phase, but the date an anchored timer counts from changed (a policy renewed to a
     * new end date): the pending timer goes and one for the new date is started (a fired one stays fired; the new
     * date deserves its own reminder).
     */
    private void moveAnchoredTimers(Connection c, ProcessTables.CaseRow existing, ProcessDefinition process,
                                    Record before, Record after) throws SQLException {
        Optional<PhaseDefinition> phase = process.phase(existing.phase());
        if (phase.isEmpty() || existing.lastStampId() == null) {
            return;
        }
        for (TimerDefinition timer : phase.get().timers()) {
            if (!timer.anchored() || Objects.equals(before.get(timer.anchor()), after.get(timer.anchor()))) {
                continue;
            }
            ProcessTables.cancelPendingTimer(c, existing.id(), phase.get().name(), timer.name());
            OffsetDateTime due = anchoredDue(timer, after);
            if (due != null) {
                ProcessTables.insertTimer(c, existing.id(), existing.lastStampId(), process.name(), phase.get().name(),
                        timer.name(), due);
            }
        }
    }

    /** When an anchored timer fires for the record's date: null while the field is empty. */
    private OffsetDateTime anchoredDue(TimerDefinition timer, Record record) {
        Object anchor = record.get(timer.anchor());
        OffsetDateTime start;
        if (anchor instanceof LocalDate date) {
            start = date.atStartOfDay(clock.getZone()).toOffsetDateTime();
        } else if (anchor instanceof OffsetDateTime at) {
            start = at;
        } else {
            return null;
        }
        return start.plus(timer.after()).withOffsetSameInstant(ZoneOffset.UTC);
    }

    private void run(ProcessActions.Context context, List<ProcessAction> phaseActions) throws SQLException {
        for (ProcessAction action : phaseActions) {
            actions.run(context, action);
        }
    }

    private static String reason(ProcessDefinition process, String phase, Record record) {
        PhaseDefinition definition = phase(process, phase);
        if (!definition.isClosing() || definition.reasonField() == null) {
            return null;
        }
        String reason = ProcessJson.text(record.get(definition.reasonField()));
        return reason.isBlank() ? null : reason;
    }

    private static PhaseDefinition phase(ProcessDefinition process, String name) {
        return process.phase(name).orElseThrow(() -> new IllegalStateException(
                "The process '" + process.name() + "' has no phase '" + name + "'"));
    }

    /**
     * The system store, working inside the transaction of {@code connection} (to-dos join the write that
     * causes them even if it runs outside {@link JdbcTransactions#inTransaction}), with everything that takes part in
     * the system store's writes: what a process writes is seen by the processes of that record, by plugins' listeners
     * and the lifecycle's moves like any other write.
     */
    private JdbcRecordStore storeOn(Connection connection, MetadataModel model) {
        JdbcRecordStore base = systemStore.get();
        return new JdbcRecordStore(new JdbcTransactions(new ConnectionBoundDataSource(connection)), () -> model,
                base.clock(), base.rules()).withHook(base.hook() == RecordWriteHook.NONE ? this : base.hook());
    }

    // ---- set-field values ----

    /**
     * The typed value a set-field action gives {@code field}: a literal converted to the field's type, or the
     * value of an expression rule (YAML {@code '=expression'}, which the loader turns into a COMPUTED rule) over
     * {@code values}.
     *
     * @throws InvalidValueException if the value does not fit the field
     */
    Object setValue(EntityDefinition entity, FieldDefinition field, Object raw, Map<String, Object> values,
                    Map<String, Object> previous, Actor actor, RuleInput.RecordLookup lookup, String processName,
                    SourceLocation source) throws InvalidValueException {
        if (raw instanceof RuleDefinition expression) {
            Object computed = rules.compute(expression, new RuleInput(entity, Collections.unmodifiableMap(values),
                    previous, actor, lookup));
            return converter.convert(field, computed);
        }
        return converter.convert(field, raw);
    }

    // ---- a move tried without writing ----

    /**
     * What moving the record of {@code check} from {@code from} to {@code to} would do, judged exactly as a write
     * judges it: the move must be a transition of the process, the target's required fields and closing reason must
     * have values in the record as it would be stored (set-field actions of leaving and entering applied, computed
     * values following them), and the transition's guard must let it pass. Nothing is set, noted or written: the
     * designer simulates a record through a process with it.
     *
     * @param check the record before the move ({@link Check#current()}, or none for a new record) and after the
     *              writer's changes ({@link Check#values()}); its connection is not used
     * @param from  the phase the record is in, null for the start of a new case
     */
    public MoveTrial tryMove(Check check, ProcessDefinition process, String from, String to) {
        Planner planner = new Planner(check, process);
        if (from == null) {
            if (process.phase(to).isEmpty()) {
                return MoveTrial.refused(from, to, List.of(new FieldError(process.phaseField(), PHASE_MOVE,
                        LocalizedText.format("'{0}' ist keine Phase des Prozesses '{1}'",
                                "'{0}' is not a phase of the process '{1}'", to, label(process)))));
            }
            return planner.trial(null, to, null);
        }
        Optional<TransitionDefinition> transition = Phases.transition(process, from, to);
        if (transition.isEmpty() || process.phase(to).isEmpty()) {
            List<String> allowed = Phases.from(process, from).stream().map(TransitionDefinition::to).toList();
            return MoveTrial.refused(from, to, List.of(new FieldError(process.phaseField(), PHASE_MOVE,
                    LocalizedText.format("Der Prozess '{0}' erlaubt nicht, von {1} nach {2} zu wechseln. Erlaubte"
                            + " nächste Phasen: {3}.", "The process '{0}' does not allow moving from {1} to {2}."
                            + " Allowed next phases: {3}.", label(process),
                            Phases.describe(process, check.entity(), List.of(from)),
                            Phases.describe(process, check.entity(), List.of(to)),
                            Phases.describe(process, check.entity(), allowed)))));
        }
        return planner.trial(from, to, transition.get());
    }

    /**
     * A record walked through {@code process} of {@code model} (a draft's too) without writing anything.
     *
     * @param actor who is simulated as making the moves (guards may ask)
     */
    public ProcessSimulation simulation(MetadataModel model, ProcessDefinition process, Actor actor) {
        return new ProcessSimulation(this, rules, model, process, actor);
    }

    /**
     * Whether an automatic transition's condition holds for the record of {@code check} (computed values included),
     * as after a write; false for a transition users make.
     */
    public boolean wantsToMove(Check check, TransitionDefinition transition) {
        return transition.isAutomatic() && rules.test(transition.when(),
                new Planner(check, null).input(check.derived(check.values())));
    }

    /**
     * The outcome of {@link #tryMove}.
     *
     * @param sets     what the set-field actions of leaving and entering would set (field → typed value)
     * @param problems why the move would be refused (empty: it would be made), as the writer would be told
     */
    public record MoveTrial(String from, String to, Map<String, Object> sets, List<FieldError> problems) {
        public MoveTrial {
            sets = Collections.unmodifiableMap(new LinkedHashMap<>(sets));
            problems = List.copyOf(problems);
        }

        static MoveTrial refused(String from, String to, List<FieldError> problems) {
            return new MoveTrial(from, to, Map.of(), problems);
        }

        public boolean allowed() {
            return problems.isEmpty();
        }
    }

    // ---- planning (inside the write's check) ----

    /** Decides, for one write, which process the record follows and which phase moves it makes. */
    private final class Planner {
        private final Check check;
        private final EntityDefinition entity;
        private final List<Step> steps = new ArrayList<>();
        private ProcessDefinition process;
        private String field;

        Planner(Check check) {
            this.check = check;
            this.entity = check.entity();
        }

        /** A planner for a process already chosen (a move tried without writing). */
        Planner(Check check, ProcessDefinition process) {
            this(check);
            this.process = process;
            this.field = process == null ? null : process.phaseField();
        }

        MoveTrial trial(String from, String to, TransitionDefinition transition) {
            Attempt attempt = attempt(from, to, transition);
            return new MoveTrial(from, to, attempt.sets(), attempt.problems());
        }

        /** Null if the record follows no process or the write is refused (errors added). */
        Plan plan() throws SQLException {
            Optional<ProcessTables.CaseRow> existing = check.isNew() ? Optional.empty()
                    : ProcessTables.findCase(check.connection(), entity.name(), check.current().id());
            process = existing.flatMap(row -> check.model().process(row.process()))
                    .filter(p -> p.entity().equals(entity.name())).orElse(null);
            boolean chosen = process == null;
            if (chosen) {
                process = choose();
                if (process == null) {
                    return null;
                }
            }
            field = process.phaseField();
            if (entity.field(field).isEmpty()) {
                check.error(null, PHASE_MOVE, LocalizedText.format("Der Prozess '{0}' führt seine Phase im Feld '{1}', das"
                        + " {2} nicht hat; ein Administrator muss {3} korrigieren", "The process '{0}' keeps its phase in"
                        + " the field '{1}', which {2} does not have; an administrator must fix {3}", process.name(), field,
                        entity.name(), process.source()));
                return null;
            }
            String stored = check.isNew() ? null : phaseName(check.current().get(field));
            String wanted = phaseName(check.values().get(field));
            if (chosen && stored != null && process.phase(stored).isPresent()) {
                steps.add(new Step(null, stored, true));
                if (!Objects.equals(wanted, stored) && !move(stored, wanted)) {
                    return null;
                }
            } else if (chosen) {
                if (!start(wanted)) {
                    return null;
                }
            } else {
                String from = stored != null && process.phase(stored).isPresent() ? stored : existing.get().phase();
                if (!Objects.equals(wanted, from) && !move(from, wanted)) {
                    return null;
                }
                if (steps.isEmpty() && !stays(from)) {
                    return null;
                }
            }
            if (steps.size() == 1 && steps.get(0).adopted() && !stays(steps.get(0).to())) {
                return null;
            }
            moveAutomatically();
            return new Plan(process, existing.orElse(null), chosen, List.copyOf(steps));
        }

        /** The first process of the entity that applies to the record as it will be stored. */
        private ProcessDefinition choose() {
            for (ProcessDefinition candidate : check.model().processesOf(entity.name())) {
                if (candidate.appliesWhen() == null || rules.test(candidate.appliesWhen(), input(check.values()))) {
                    return candidate;
                }
            }
            return null;
        }

        /** A new case in {@code wanted}, or in the first phase if none was given. */
        private boolean start(String wanted) {
            String phase = wanted != null ? wanted : process.initialPhase().name();
            if (process.phase(phase).isEmpty()) {
                check.error(field, PHASE_MOVE, LocalizedText.format("'{0}' ist keine Phase des Prozesses '{1}'; beginnen Sie"
                        + " in einer von: {2}", "'{0}' is not a phase of the process '{1}'; start in one of: {2}", phase,
                        label(process), Phases.describe(process, entity, phaseNames())));
                return false;
            }
            Attempt attempt = attempt(null, phase, null);
            if (!attempt.problems().isEmpty()) {
                attempt.problems().forEach(check.errors()::add);
                return false;
            }
            if (wanted == null) {
                check.set(field, phase, process.name());
            }
            attempt.sets().forEach((name, value) -> check.set(name, value, process.name()));
            steps.add(new Step(null, phase, false));
            return true;
        }

        /** A move the writer asked for: allowed, required fields and reason present, guard passed. */
        private boolean move(String from, String to) {
            List<String> allowed = Phases.from(process, from).stream().map(TransitionDefinition::to).toList();
            if (to == null) {
                check.error(field, PHASE_MOVE, LocalizedText.format("Die Phase kann nicht geleert werden, solange der"
                        + " Datensatz dem Prozess '{0}' folgt; erlaubte nächste Phasen: {1}", "The phase cannot be emptied"
                        + " while the record follows the process '{0}'; allowed next phases: {1}", label(process),
                        Phases.describe(process, entity, allowed)));
                return false;
            }
            Optional<TransitionDefinition> transition = Phases.transition(process, from, to);
            if (process.phase(to).isEmpty() || transition.isEmpty()) {
                LocalizedText target = process.phase(to).isEmpty()
                        ? LocalizedText.format("'{0}', das keine seiner Phasen ist", "'{0}', which is not one of its phases", to)
                        : Phases.describe(process, entity, List.of(to));
                check.error(field, PHASE_MOVE, LocalizedText.format("Der Prozess '{0}' erlaubt nicht, von {1} nach {2}"
                        + " zu wechseln. Erlaubte nächste Phasen: {3}.", "The process '{0}' does not allow moving from {1}"
                        + " to {2}. Allowed next phases: {3}.", label(process), Phases.describe(process, entity, List.of(from)),
                        target, Phases.describe(process, entity, allowed)));
                return false;
            }
            Attempt attempt = attempt(from, to, transition.get());
            if (!attempt.problems().isEmpty()) {
                attempt.problems().forEach(check.errors()::add);
                return false;
            }
            attempt.sets().forEach((name, value) -> check.set(name, value, process.name()));
            steps.add(new Step(from, to, false));
            return true;
        }

        /** The phase's required fields still have values. */
        private boolean stays(String phase) {
            List<FieldError> problems = new ArrayList<>();
            requirements(phase, check.values(), false, problems);
            problems.forEach(check.errors()::add);
            return problems.isEmpty();
        }

        private void moveAutomatically() {
            if (!check.errors().isEmpty()) {
                return; // the write is refused anyway
            }
            Set<String> passed = new HashSet<>();
            steps.forEach(s -> passed.add(s.to()));
            String at = current();
            passed.add(at);
            for (int round = 0; round < MAX_AUTOMATIC_MOVES; round++) {
                boolean entered = !steps.isEmpty() && steps.get(steps.size() - 1).to().equals(at)
                        && !steps.get(steps.size() - 1).adopted();
                TransitionDefinition next = null;
                Attempt attempt = null;
                for (TransitionDefinition transition : Phases.from(process, at)) {
                    if (passed.contains(transition.to()) || !wantsToMove(transition, at, entered)) {
                        continue;
                    }
                    Attempt tried = attempt(at, transition.to(), transition);
                    if (tried.problems().isEmpty()) {
                        next = transition;
                        attempt = tried;
                        break;
                    }
                    LOG.log(Level.FINE, "Automatic move {0} -> {1} of process {2} not made: {3}",
                            new Object[] {at, transition.to(), process.name(), tried.problems()});
                }
                if (next == null) {
                    return;
                }
                attempt.sets().forEach((name, value) -> check.set(name, value, process.name()));
                check.set(field, next.to(), process.name());
                steps.add(new Step(at, next.to(), false));
                passed.add(next.to());
                at = next.to();
            }
        }

        /** An automatic transition whose condition holds, or a move the phase just entered asks for. */
        private boolean wantsToMove(TransitionDefinition transition, String at, boolean entered) {
            if (transition.isAutomatic()) {
                return rules.test(transition.when(), input(check.derived(check.values())));
            }
            return entered && phase(process, at).onEnter().stream()
                    .anyMatch(a -> a instanceof ProcessAction.MovePhase m && m.phase().equals(transition.to()));
        }

        private String current() {
            if (!steps.isEmpty()) {
                return steps.get(steps.size() - 1).to();
            }
            return phaseName(check.values().get(field));
        }

        /** What moving to {@code to} would set, and why it may not happen. */
        private record Attempt(Map<String, Object> sets, List<FieldError> problems) {
        }

        /**
         * The record as it would be after the move (phase set, set-field actions of leaving {@code from} and
         * entering {@code to} applied, computed values following them): checked against the target's
         * requirements and the guard.
         */
        private Attempt attempt(String from, String to, TransitionDefinition transition) {
            Map<String, Object> tentative = new LinkedHashMap<>(check.values());
            tentative.put(field, to);
            Map<String, Object> sets = new LinkedHashMap<>();
            List<FieldError> problems = new ArrayList<>();
            if (from != null) {
                applySets(phase(process, from).onLeave(), tentative, sets, problems);
            }
            applySets(phase(process, to).onEnter(), tentative, sets, problems);
            // guards and requirements judge the record as it would be stored: computed values included
            Map<String, Object> judged = problems.isEmpty() ? check.derived(tentative) : tentative;
            if (problems.isEmpty()) {
                requirements(to, judged, true, problems);
            }
            if (problems.isEmpty() && transition != null && transition.guard() != null) {
                for (FieldError error : rules.validate(transition.guard(), input(judged))) {
                    problems.add(new FieldError(error.field() != null ? error.field() : field, GUARD, error.message(), error.text()));
                }
            }
            return new Attempt(sets, problems);
        }

        private void applySets(List<ProcessAction> phaseActions, Map<String, Object> tentative,
                               Map<String, Object> sets, List<FieldError> problems) {
            for (ProcessAction action : phaseActions) {
                if (!(action instanceof ProcessAction.SetFields set)) {
                    continue;
                }
                for (Map.Entry<String, Object> entry : set.values().entrySet()) {
                    if (!set.force() && check.changedByWriter(entry.getKey())) {
                        continue; // the writer's word wins over an action that is not forced
                    }
                    Optional<FieldDefinition> target = entity.field(entry.getKey());
                    if (target.isEmpty()) {
                        problems.add(new FieldError(null, PROCESS_VALUE, LocalizedText.format("Der Prozess '{0}' setzt das"
                                + " Feld '{1}', das {2} nicht hat ({3}); ein Administrator muss den Prozess korrigieren",
                                "The process '{0}' sets the field '{1}', which {2} does not have ({3}); an administrator"
                                + " must fix the process", process.name(), entry.getKey(), entity.name(), set.source())));
                        continue;
                    }
                    try {
                        Object value = setValue(entity, target.get(), entry.getValue(), tentative, previous(),
                                check.actor(), check.lookup(), process.name(), set.source());
                        tentative.put(entry.getKey(), value);
                        sets.put(entry.getKey(), value);
                    } catch (InvalidValueException e) {
                        problems.add(new FieldError(entry.getKey(), PROCESS_VALUE, LocalizedText.format("Der Prozess '{0}'"
                                + " setzt {1} auf '{2}', was nicht passt ({3}; {4})", "The process '{0}' sets {1} to '{2}',"
                                + " which does not fit ({3}; {4})", label(process), fieldLabel(entry.getKey()),
                                entry.getValue(), e.text(), set.source())));
                    }
                }
            }
        }

        private void requirements(String phase, Map<String, Object> values, boolean entering, List<FieldError> problems) {
            PhaseDefinition definition = phase(process, phase);
            LocalizedText phaseLabel = process.phaseLabel(entity, phase);
            for (String required : definition.requiredFields()) {
                if (isEmpty(values.get(required))) {
                    problems.add(new FieldError(required, REQUIRED, entering
                            ? LocalizedText.format("Geben Sie {0} an, um in die Phase {1} zu wechseln",
                                    "Enter {0} to move to the phase {1}", fieldLabel(required), phaseLabel)
                            : LocalizedText.format("Geben Sie {0} an, um in der Phase {1} zu bleiben",
                                    "Enter {0} to stay in the phase {1}", fieldLabel(required), phaseLabel)));
                }
            }
            if (entering && definition.isClosing() && definition.reasonField() != null
                    && isEmpty(values.get(definition.reasonField()))) {
                problems.add(new FieldError(definition.reasonField(), REASON_REQUIRED, LocalizedText.format("Geben Sie"
                        + " einen Grund an ({0}), um als {1} abzuschließen", "Give a reason ({0}) to close as {1}",
                        fieldLabel(definition.reasonField()), phaseLabel)));
            }
        }

        private RuleInput input(Map<String, Object> values) {
            return new RuleInput(entity, Collections.unmodifiableMap(new LinkedHashMap<>(values)), previous(),
                    check.actor(), check.lookup(), check.isNew() ? null : check.current().id());
        }

        private Map<String, Object> previous() {
            return check.isNew() ? null : check.current().values();
        }

        private Object fieldLabel(String name) {
            return entity.field(name).<Object>map(FieldDefinition::label).orElse(name);
        }

        private List<String> phaseNames() {
            return process.phases().stream().map(PhaseDefinition::name).toList();
        }
    }

    private static Object label(ProcessDefinition process) {
        return process.label() == null ? process.name() : process.label();
    }

    private static String phaseName(Object value) {
        if (value == null) {
            return null;
        }
        String text = value.toString();
        return text.isBlank() ? null : text;
    }

    static boolean isEmpty(Object value) {
        return value == null || (value instanceof String s && s.isBlank())
                || (value instanceof Collection<?> c && c.isEmpty());
    }
}
