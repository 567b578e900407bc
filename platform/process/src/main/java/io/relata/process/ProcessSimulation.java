package io.relata.process;

import io.relata.api.model.EntityDefinition;
import io.relata.api.model.MetadataModel;
import io.relata.api.process.ProcessDefinition;
import io.relata.api.process.TransitionDefinition;
import io.relata.api.record.FieldError;
import io.relata.api.record.Record;
import io.relata.api.rules.RecordRules;
import io.relata.api.rules.RuleInput;
import io.relata.api.rules.RuleOutcome;
import io.relata.api.security.Actor;
import io.relata.store.RecordWriteHook;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * A record walked through a process without writing anything, for the designer: which moves out of its phase the
 * process offers, which of them would be made (or happen by themselves) and which requirement or guard refuses the
 * others, with the messages a user would read. Moves are judged by the {@link ProcessEngine} itself
 * ({@link ProcessEngine#tryMove}), on any model (a draft's too): the same rules as a real write, never a second
 * copy of them. Actions other than setting fields (to-dos, mails, calls) are not run; the caller may list them.
 *
 * <p>The record is a map of typed field values, as the store holds them. Rules that read other records see
 * none ({@link RuleInput.RecordLookup#NONE}): a simulated record has no neighbours.
 */
public final class ProcessSimulation {

    /** The id a simulated record has for rules that ask (never one of a stored record). */
    private static final long SIMULATED_ID = -1;

    private final ProcessEngine engine;
    private final RecordRules rules;
    private final MetadataModel model;
    private final ProcessDefinition process;
    private final EntityDefinition entity;
    private final Actor actor;

    /** See {@link ProcessEngine#simulation}. */
    ProcessSimulation(ProcessEngine engine, RecordRules rules, MetadataModel model, ProcessDefinition process,
                             Actor actor) {
        this.engine = Objects.requireNonNull(engine, "engine");
        this.rules = Objects.requireNonNull(rules, "rules");
        this.model = Objects.requireNonNull(model, "model");
        this.process = Objects.requireNonNull(process, "process");
        this.entity = model.entity(process.entity()).orElseThrow(() -> new IllegalArgumentException(
                "The process " + process.name() + " is about " + process.entity() + ", which the model does not have"));
        this.actor = Objects.requireNonNull(actor, "actor");
    }

    public ProcessDefinition process() {
        return process;
    }

    public EntityDefinition entity() {
        return entity;
    }

    /**
     * A new record with {@code values} starting the process in {@code phase} (null: the process's first phase): its
     * requirements, and what entering sets.
     */
    public Step start(Map<String, Object> values, String phase) {
        String target = phase != null ? phase : process.initialPhase().name();
        Map<String, Object> row = new LinkedHashMap<>(values);
        row.put(process.phaseField(), target);
        ProcessEngine.MoveTrial trial = engine.tryMove(check(null, row), process, null, target);
        return step(trial, row);
    }

    /**
     * Every move the process offers out of the record's phase, each tried: would it be made if a user asked, and,
     * for an automatic move, does its condition hold now.
     */
    public List<Option> options(Map<String, Object> record) {
        String from = phaseOf(record);
        List<Option> options = new ArrayList<>();
        for (TransitionDefinition transition : Phases.from(process, from)) {
            Map<String, Object> row = new LinkedHashMap<>(record);
            row.put(process.phaseField(), transition.to());
            RecordWriteHook.Check check = check(record, row);
            ProcessEngine.MoveTrial trial = engine.tryMove(check, process, from, transition.to());
            boolean conditionHolds = transition.isAutomatic() && engine.wantsToMove(check(record, record), transition);
            options.add(new Option(transition, trial, conditionHolds));
        }
        return options;
    }

    /** The record moved to {@code to}, if the move would be made, else the problems that refuse it. */
    public Step move(Map<String, Object> record, String to) {
        Map<String, Object> row = new LinkedHashMap<>(record);
        row.put(process.phaseField(), to);
        return step(engine.tryMove(check(record, row), process, phaseOf(record), to), row);
    }

    private Step step(ProcessEngine.MoveTrial trial, Map<String, Object> row) {
        if (!trial.allowed()) {
            return new Step(trial, null);
        }
        Map<String, Object> after = new LinkedHashMap<>(row);
        after.putAll(trial.sets());
        return new Step(trial, derive(after, null));
    }

    public String phaseOf(Map<String, Object> record) {
        Object phase = record.get(process.phaseField());
        return phase == null ? null : phase.toString();
    }

    /**
     * A write's check of the simulated record: stored as {@code before} (null: new), written as {@code after} by a
     * writer who changed only the phase.
     */
    private RecordWriteHook.Check check(Map<String, Object> before, Map<String, Object> after) {
        OffsetDateTime epoch = OffsetDateTime.of(2000, 1, 1, 0, 0, 0, 0, ZoneOffset.UTC);
        Record current = before == null ? null : new Record(entity.name(), SIMULATED_ID, 1, epoch, epoch, before);
        return new RecordWriteHook.Check(null, model, entity, current, Collections.unmodifiableMap(after), actor,
                RuleInput.RecordLookup.NONE, new ArrayList<FieldError>(), Set.of(process.phaseField()),
                (field, value, by) -> {
                }, tentative -> derive(tentative, before), note -> {
                });
    }

    /** {@code tentative} with what the entity's computed and score rules give it. */
    private Map<String, Object> derive(Map<String, Object> tentative, Map<String, Object> previous) {
        Map<String, Object> derived = new LinkedHashMap<>(tentative);
        RuleOutcome outcome = rules.evaluate(new RuleInput(entity, Collections.unmodifiableMap(new LinkedHashMap<>(tentative)),
                previous == null ? null : Collections.unmodifiableMap(previous), actor, RuleInput.RecordLookup.NONE,
                previous == null ? null : SIMULATED_ID));
        if (outcome != null) {
            derived.putAll(outcome.values());
        }
        return derived;
    }

    /**
     * One move out of the record's phase.
     *
     * @param conditionHolds for an automatic move: its condition holds for the record as it is (the platform would
     *                       make the move by itself after a write, if the trial allows it)
     */
    public record Option(TransitionDefinition transition, ProcessEngine.MoveTrial trial, boolean conditionHolds) {
        public boolean automatic() {
            return transition.isAutomatic();
        }
    }

    /**
     * A move tried: its trial and, if it would be made, the record after it (phase, what the actions set, computed
     * values following them); null if refused.
     */
    public record Step(ProcessEngine.MoveTrial trial, Map<String, Object> record) {
        public boolean made() {
            return record != null;
        }
    }
}
