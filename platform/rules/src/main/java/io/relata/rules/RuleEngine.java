package io.relata.rules;

import io.relata.api.model.EntityDefinition;
import io.relata.api.model.FieldDefinition;
import io.relata.api.model.SourceLocation;
import io.relata.api.record.FieldError;
import io.relata.api.rules.RecordRules;
import io.relata.api.rules.RuleDefinition;
import io.relata.api.rules.RuleFailedException;
import io.relata.api.rules.RuleInput;
import io.relata.api.rules.RuleKind;
import io.relata.api.rules.RuleOutcome;
import io.relata.api.security.Actor;
import java.time.Clock;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.graalvm.polyglot.PolyglotException;
import org.graalvm.polyglot.SourceSection;
import org.graalvm.polyglot.Value;

/**
 * Runs the JavaScript rules of entities in a GraalJS sandbox (community edition, {@code CONSTRAINED}
 * policy, no host access). Thread-safe: create one per application, {@link #close()} it on shutdown.
 * <p>
 * Lifecycle: construct → {@link #mode()} for the start-up log → on every metadata load {@link #check} and
 * {@link #runExamples} per entity (problems block the load) → {@link #evaluate} on every record write →
 * {@link #close()}. What scripts see and may return is documented in docs/rules.md.
 */
public final class RuleEngine implements RecordRules, AutoCloseable {

    private static final Logger LOG = Logger.getLogger(RuleEngine.class.getName());

    private final ContextPool pool;
    private final Clock clock;
    private final Map<ScriptKey, RuleScript> scripts = new ConcurrentHashMap<>();
    private final AtomicInteger scriptIds = new AtomicInteger();
    /** Plans by entity definition (identity): a model reload brings new definitions, hence the bound. */
    private final Map<EntityKey, Plan> plans = new ConcurrentHashMap<>();
    private final Map<StandaloneKey, EntityDefinition> standaloneEntities = new ConcurrentHashMap<>();
    private volatile Plan lastPlan;
    private volatile Today today;

    /** Default limits ({@link RuleLimits#DEFAULT}) and the system clock for {@code today}. */
    public RuleEngine() {
        this(RuleLimits.DEFAULT, Clock.systemDefaultZone());
    }

    /**
     * @param clock gives {@code today} (in the clock's zone) and the time zone of JavaScript {@code Date}
     */
    public RuleEngine(RuleLimits limits, Clock clock) {
        this(limits, clock, ContextPool.RunClocks.SYSTEM);
    }

    /** With the clocks the watchdog reads (tests make them jump). */
    RuleEngine(RuleLimits limits, Clock clock, ContextPool.RunClocks runClocks) {
        this.clock = clock;
        this.pool = new ContextPool(limits, clock.getZone(), runClocks);
    }

    /**
     * One line for the start-up log: whether rules run compiled by the Graal compiler or interpreted. Decided
     * by the Truffle runtime the polyglot Engine reports: "Interpreted" is Truffle's fallback runtime when no
     * optimizing runtime (JVMCI + Graal compiler) is available.
     */
    public String mode() {
        String runtime = pool.engine().getImplementationName();
        String version = pool.engine().getVersion();
        if (runtime == null || runtime.toLowerCase(java.util.Locale.ROOT).contains("interpreted")) {
            return "JavaScript rules run interpreted (GraalJS " + version + ", no Graal compiler on this JVM; "
                    + "run on JDK 21+ with -XX:+EnableJVMCI and the org.graalvm.compiler jars on "
                    + "--upgrade-module-path for compiled rules)";
        }
        if ("false".equalsIgnoreCase(System.getProperty("polyglot.engine.Compilation"))) {
            return "JavaScript rules run interpreted (GraalJS " + version + " on " + runtime
                    + ", compilation turned off by -Dpolyglot.engine.Compilation=false)";
        }
        return "JavaScript rules run compiled (GraalJS " + version + ", Truffle runtime " + runtime + ")";
    }

    /**
     * The host functions rules may call as {@code namespace.function(...)} (the rule functions of plugins), from
     * now on. Rules compiled before keep working; rules whose text names a namespace are compiled again when the
     * namespaces or their functions change.
     */
    public void useFunctions(HostFunctions functions) {
        pool.useFunctions(functions == null ? HostFunctions.NONE : functions);
        plans.clear();
        lastPlan = null;
    }

    /** The host functions in use. */
    public HostFunctions functions() {
        return pool.functions();
    }

    public RuleLimits limits() {
        return pool.limits();
    }

    /** Runs on a user save: bound by statements, CPU time and the wall clock ({@link RuleLimits}). */
    @Override
    public RuleOutcome evaluate(RuleInput input) {
        return evaluate(input, true);
    }

    /** @param onSave false for examples at metadata load, which the wall clock does not bound */
    RuleOutcome evaluate(RuleInput input, boolean onSave) {
        EntityDefinition entity = input.entity();
        if (entity.rules().isEmpty()) {
            return RuleOutcome.NONE;
        }
        Plan plan = plan(entity);
        String day = today();
        try (ContextPool.Slot slot = pool.lease()) {
            return new Evaluation(slot, plan, input, day, onSave).run();
        }
    }

    @Override
    public List<FieldError> validate(RuleDefinition rule, RuleInput input) {
        requireKind(rule, RuleKind.VALIDATION);
        return evaluate(standalone(input, rule)).errors();
    }

    @Override
    public boolean test(RuleDefinition rule, RuleInput input) {
        requireKind(rule, RuleKind.CONDITION);
        // a condition runs as a visibleWhen rule about a name no field can have (field names are identifiers)
        RuleDefinition asVisibility = new RuleDefinition(rule.name(), RuleKind.VISIBLE_WHEN, CONDITION_RESULT, null,
                rule.source(), rule.sourceName(), rule.start());
        return Boolean.TRUE.equals(evaluate(standalone(input, asVisibility)).visible().get(CONDITION_RESULT));
    }

    @Override
    public Object compute(RuleDefinition rule, RuleInput input) {
        requireKind(rule, RuleKind.COMPUTED);
        return evaluate(standalone(input, rule)).values().get(rule.field());
    }

    private static final String CONDITION_RESULT = "-condition-";

    private static void requireKind(RuleDefinition rule, RuleKind kind) {
        if (rule.kind() != kind) {
            throw new IllegalArgumentException("The rule '" + rule.name() + "' is a " + rule.kind().yamlName()
                    + " rule; this call runs " + kind.yamlName() + " rules");
        }
    }

    /**
     * The input with an entity that carries only {@code rule}: standalone rules (process guards, conditions,
     * set-field expressions) run through the same path as entity rules. The synthetic entities are kept, so
     * their plans and compiled functions are reused.
     */
    private RuleInput standalone(RuleInput input, RuleDefinition rule) {
        EntityDefinition entity = input.entity();
        StandaloneKey key = new StandaloneKey(new EntityKey(entity), rule);
        EntityDefinition carrier = standaloneEntities.get(key);
        if (carrier == null) {
            if (standaloneEntities.size() >= 4096) {
                standaloneEntities.clear(); // old models after reloads; rebuilt on demand
            }
            carrier = entity.withRules(List.of(rule));
            standaloneEntities.put(key, carrier);
        }
        return new RuleInput(carrier, input.values(), input.previous(), input.actor(), input.lookup(), input.id());
    }

    private record StandaloneKey(EntityKey entity, RuleDefinition rule) {
    }

    /**
     * Parses every rule of the entity and checks the fields they name. Empty when all is well. Called at
     * metadata load: never bound by the wall clock ({@link RuleLimits}).
     */
    public List<RuleProblem> check(EntityDefinition entity) {
        List<RuleProblem> problems = new ArrayList<>();
        try (ContextPool.Slot slot = pool.lease()) {
            for (RuleDefinition rule : entity.rules()) {
                RuleScript script = script(entity, rule);
                SourceLocation at = script.start();
                if (rule.kind() != RuleKind.VALIDATION && rule.kind() != RuleKind.CONDITION) {
                    if (rule.field() == null || entity.field(rule.field()).isEmpty()) {
                        problems.add(new RuleProblem(at.file(), at.line(), at.column(), RuleProblem.RULE_FAILED,
                                "The " + rule.kind().yamlName() + " rule '" + rule.name() + "' of '" + entity.name()
                                        + "' is about the field '" + rule.field() + "', which the entity does not have.",
                                "Name one of the entity's fields."));
                    }
                }
                if (rule.reasonsField() != null && entity.field(rule.reasonsField()).isEmpty()) {
                    problems.add(new RuleProblem(at.file(), at.line(), at.column(), RuleProblem.RULE_FAILED,
                            "The rule '" + rule.name() + "' writes its reasons to '" + rule.reasonsField()
                                    + "', which is not a field of '" + entity.name() + "'.",
                            "Name a long-text field of the entity, or remove the reasons field."));
                }
                try {
                    slot.guarded(false, () -> slot.function(script));
                } catch (PolyglotException e) {
                    if (e.isSyntaxError()) {
                        SourceLocation pos = Optional.ofNullable(script.map(e.getSourceLocation())).orElse(at);
                        problems.add(new RuleProblem(pos.file(), pos.line(), pos.column(), RuleProblem.RULE_SYNTAX,
                                "The rule '" + rule.name() + "' is not valid JavaScript: " + syntaxMessage(e) + ".",
                                "Correct the script at this position. An expression needs no 'return'; a "
                                        + "function body returns its result with 'return'."));
                    } else {
                        problems.add(failedProblem(failure(script, e)));
                    }
                } catch (RuntimeException e) {
                    problems.add(failedProblem(failure(script, e)));
                }
            }
        }
        return problems;
    }

    /**
     * Runs the entity's examples and reports every expectation that does not hold. Empty when all pass. Called
     * at metadata load: the examples are bound by statements and CPU time, never by the wall clock, so a busy
     * machine starts slowly but does not fail ({@link RuleLimits}).
     */
    public List<RuleProblem> runExamples(EntityDefinition entity) {
        return new ExampleRunner(this, entity).run();
    }

    @Override
    public void close() {
        pool.close();
    }

    static RuleProblem failedProblem(RuleRunFailure f) {
        SourceLocation at = f.position();
        return new RuleProblem(at.file(), at.line(), at.column(), RuleProblem.RULE_FAILED,
                "The rule '" + f.rule() + "' failed: " + f.detail() + ".",
                "Make the rule handle this record (values may be null) and return what its kind expects "
                        + "(see docs/rules.md).");
    }

    private RuleScript script(EntityDefinition entity, RuleDefinition rule) {
        Map<String, List<String>> namespaces = RuleScript.namedIn(rule, pool.functions().namespaces());
        return scripts.computeIfAbsent(new ScriptKey(entity.name(), rule, namespaces),
                k -> RuleScript.of(rule, scriptIds.getAndIncrement(), namespaces));
    }

    private static String syntaxMessage(PolyglotException e) {
        String message = String.valueOf(e.getMessage());
        int newline = message.indexOf('\n');
        String first = newline < 0 ? message : message.substring(0, newline);
        // "SyntaxError: file.yaml:2:0 Expected an operand but found )": drop the wrapped script's position
        first = first.replaceFirst("^SyntaxError:\\s*", "").replaceFirst("^\\S+:\\d+:\\d+\\s+", "");
        return first.strip();
    }

    /** Turns anything that stopped a rule into the failure the store and the admin see. */
    private RuleRunFailure failure(RuleScript script, Throwable e) {
        RuleDefinition rule = script.rule();
        SourceLocation position = script.start();
        String detail;
        if (e instanceof ContextPool.LimitExceeded limit) {
            position = Optional.ofNullable(guestPosition(script, limit.cause)).orElse(position);
            detail = switch (limit.stop) {
                case TIMEOUT -> "it ran longer than " + pool.limits().timeout().toMillis() + " ms";
                case WALL_CLOCK -> "it did not finish within " + pool.limits().wallClockLimit().toMillis()
                        + " ms (the server is overloaded, or the rule waited for something)";
                case STATEMENT_LIMIT -> "it ran more than " + pool.limits().statementLimit() + " statements";
            };
        } else if (e instanceof PolyglotException p) {
            position = Optional.ofNullable(guestPosition(script, p)).orElse(position);
            if (p.isSyntaxError()) {
                detail = "syntax error: " + syntaxMessage(p);
            } else if (p.isHostException()) {
                detail = "the platform failed while the rule ran: " + p.asHostException();
            } else {
                detail = shorten(String.valueOf(p.getMessage()));
                if (guestPosition(script, p) == null) {
                    // GraalJS gives an assignment to the read-only record no position: find it in the text
                    position = Optional.ofNullable(assignedProperty(p.getMessage())).map(script::assignment)
                            .orElse(position);
                }
            }
        } else if (e instanceof RuleResults.WrongResult wrong) {
            detail = "it " + wrong.getMessage();
            // a result of the wrong kind has no position of its own: the return that gave it
            position = Optional.ofNullable(script.returning(shownText(wrong.getMessage()))).orElse(position);
        } else {
            detail = shorten(e.toString());
        }
        RuleRunFailure failure = new RuleRunFailure(rule.name(), position, detail, e);
        LOG.log(Level.WARNING, "Rule ''{0}'' failed at {1}: {2}", new Object[] {rule.name(), position, detail});
        return failure;
    }

    /**
     * The property a TypeError of an assignment names: {@code Cannot add new property "x" to non-extensible …},
     * {@code Cannot set property x of … which has only a getter}, {@code Cannot assign to read only property 'x'}.
     */
    private static String assignedProperty(String message) {
        var matcher = java.util.regex.Pattern.compile("Cannot (?:add new property \"([^\"]+)\"|set property (\\S+) of"
                + "|assign to read only property '([^']+)')").matcher(String.valueOf(message));
        if (!matcher.find()) {
            return null;
        }
        for (int group = 1; group <= 3; group++) {
            if (matcher.group(group) != null) {
                return matcher.group(group);
            }
        }
        return null;
    }

    /** The text a wrong result shows ("returned 'high'; a score …" → high), to find the return that gave it. */
    private static String shownText(String message) {
        var matcher = java.util.regex.Pattern.compile("^returned '([^']*)'").matcher(String.valueOf(message));
        return matcher.find() ? matcher.group(1) : null;
    }

    private static String shorten(String s) {
        String line = s.lines().findFirst().orElse("").strip();
        return line.length() > 200 ? line.substring(0, 200) + "…" : line;
    }

    /** The position in the rule's own script where a guest error happened (first frame in that script). */
    private static SourceLocation guestPosition(RuleScript script, PolyglotException e) {
        if (e == null) {
            return null;
        }
        SourceLocation direct = script.map(e.getSourceLocation());
        if (direct != null) {
            return direct;
        }
        for (PolyglotException.StackFrame frame : e.getPolyglotStackTrace()) {
            if (frame.isGuestFrame()) {
                SourceLocation at = script.map(frame.getSourceLocation());
                if (at != null) {
                    return at;
                }
            }
        }
        return null;
    }

    /** The namespaces and their functions are part of the key: a rule is compiled again when they change. */
    private record ScriptKey(String entity, RuleDefinition rule, Map<String, List<String>> namespaces) {
    }

    /** A rule failure with its position as data (the exception's location string is "file:line:col"). */
    static final class RuleRunFailure extends RuleFailedException {
        private final SourceLocation position;
        private final String detail;

        RuleRunFailure(String rule, SourceLocation position, String detail, Throwable cause) {
            super(rule, position.toString(), detail, cause);
            this.position = position;
            this.detail = detail;
        }

        SourceLocation position() {
            return position;
        }

        String detail() {
            return detail;
        }
    }

    /** {@code today} in the clock's zone, recomputed when the clock leaves the cached day. */
    private String today() {
        long now = clock.millis();
        Today t = today;
        if (t == null || now < t.from || now >= t.until) {
            LocalDate day = LocalDate.now(clock);
            t = new Today(day.atStartOfDay(clock.getZone()).toInstant().toEpochMilli(),
                    day.plusDays(1).atStartOfDay(clock.getZone()).toInstant().toEpochMilli(), day.toString());
            today = t;
        }
        return t.text;
    }

    private record Today(long from, long until, String text) {
    }

    /** The entity's rules in the order an evaluation runs them, with scripts and fields resolved. */
    private Plan plan(EntityDefinition entity) {
        Plan last = lastPlan;
        if (last != null && last.entity == entity) {
            return last;
        }
        EntityKey key = new EntityKey(entity);
        Plan plan = plans.get(key);
        if (plan == null) {
            if (plans.size() >= 1024) {
                plans.clear();
            }
            plan = new Plan(entity);
            plans.put(key, plan);
        }
        lastPlan = plan;
        return plan;
    }

    /** Identity of an entity definition (its equals/hashCode would walk every field and rule). */
    private static final class EntityKey {
        private final EntityDefinition entity;

        EntityKey(EntityDefinition entity) {
            this.entity = entity;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof EntityKey k && k.entity == entity;
        }

        @Override
        public int hashCode() {
            return System.identityHashCode(entity);
        }
    }

    /** One rule ready to run: its script and, for rules about a field, that field (null if missing). */
    private record Step(RuleDefinition rule, RuleScript script, FieldDefinition field) {
    }

    private final class Plan {
        final EntityDefinition entity;
        final Step[] defaults;
        /** Computed and score rules in declaration order. */
        final Step[] values;
        final Step[] validations;
        /** visibleWhen, requiredWhen and readOnlyWhen rules in declaration order. */
        final Step[] conditions;
        /** The names of the entity's fields (validations may return errors only for these). */
        final String[] fieldNames;

        Plan(EntityDefinition entity) {
            this.entity = entity;
            this.fieldNames = entity.fields().stream().map(FieldDefinition::name).distinct().toArray(String[]::new);
            List<Step> defaults = new ArrayList<>();
            List<Step> values = new ArrayList<>();
            List<Step> validations = new ArrayList<>();
            List<Step> conditions = new ArrayList<>();
            for (RuleDefinition rule : entity.rules()) {
                Step step = new Step(rule, script(entity, rule),
                        rule.field() == null ? null : entity.field(rule.field()).orElse(null));
                switch (rule.kind()) {
                    case DEFAULT -> defaults.add(step);
                    case COMPUTED, SCORE -> values.add(step);
                    case VALIDATION -> validations.add(step);
                    case VISIBLE_WHEN, REQUIRED_WHEN, READ_ONLY_WHEN -> conditions.add(step);
                    default -> {
                    }
                }
            }
            this.defaults = defaults.toArray(new Step[0]);
            this.values = values.toArray(new Step[0]);
            this.validations = validations.toArray(new Step[0]);
            this.conditions = conditions.toArray(new Step[0]);
        }
    }

    /**
     * One run of an entity's rules over one record, on one borrowed Context. The record, previous and user
     * objects are built once (the record again only after a rule set a value) and passed to every rule.
     */
    private final class Evaluation {
        private final ContextPool.Slot slot;
        private final Plan plan;
        private final RuleInput input;
        private final EntityDefinition entity;
        private final String day;
        private final boolean onSave;
        private Map<String, Object> current;
        private Map<String, Object> set = Map.of();
        /** The next rule needs a new record object: the first of the evaluation, or one after a value was set. */
        private boolean fresh = true;
        /** Values set so far, and how many of those {@link #current} includes. */
        private int puts;
        private int merged;
        private Value previous;
        private Value user;
        private Value today;

        Evaluation(ContextPool.Slot slot, Plan plan, RuleInput input, String day, boolean onSave) {
            this.slot = slot;
            this.onSave = onSave;
            this.plan = plan;
            this.input = input;
            this.entity = input.entity();
            this.day = day;
            this.current = input.values() == null ? Map.of() : input.values();
            slot.lookup(input.lookup(), input.id());
        }

        RuleOutcome run() {
            if (input.isNew()) {
                for (Step step : plan.defaults) {
                    if (current().get(step.rule.field()) == null) {
                        FieldDefinition field = field(step);
                        put(step.rule.field(), call(step, ContextPool.RESULT, v -> RuleResults.fieldValue(v, field)));
                    }
                }
            }
            for (Step step : plan.values) {
                FieldDefinition field = field(step);
                if (step.rule.kind() == RuleKind.COMPUTED) {
                    put(step.rule.field(), call(step, ContextPool.RESULT, v -> RuleResults.fieldValue(v, field)));
                } else {
                    RuleResults.Score score = call(step, ContextPool.SCORE, v -> RuleResults.reducedScore(v, field));
                    put(step.rule.field(), score.value());
                    if (step.rule.reasonsField() != null) {
                        put(step.rule.reasonsField(), score.reasons());
                    }
                }
            }
            List<FieldError> errors = List.of();
            for (Step step : plan.validations) {
                String name = step.rule.name();
                List<FieldError> found = call(step, ContextPool.VALIDATION,
                        v -> RuleResults.validation(v, entity, plan.fieldNames, name));
                if (!found.isEmpty()) {
                    if (errors.isEmpty()) {
                        errors = found;
                    } else {
                        errors = new ArrayList<>(errors);
                        errors.addAll(found);
                    }
                }
            }
            if (plan.conditions.length == 0) {
                return new RuleOutcome(set, errors, Map.of(), Set.of(), Set.of());
            }
            Map<String, Boolean> visible = new LinkedHashMap<>();
            Set<String> required = new LinkedHashSet<>();
            Set<String> readOnly = new LinkedHashSet<>();
            for (Step step : plan.conditions) {
                boolean truthy = call(step, ContextPool.CONDITION, Value::asBoolean);
                switch (step.rule.kind()) {
                    case VISIBLE_WHEN -> visible.put(step.rule.field(), truthy);
                    case REQUIRED_WHEN -> {
                        if (truthy) {
                            required.add(step.rule.field());
                        }
                    }
                    case READ_ONLY_WHEN -> {
                        if (truthy) {
                            readOnly.add(step.rule.field());
                        }
                    }
                    default -> {
                    }
                }
            }
            return new RuleOutcome(set, errors, visible, required, readOnly);
        }

        private void put(String field, Object value) {
            if (set.isEmpty()) {
                set = new LinkedHashMap<>();
            }
            set.put(field, value);
            puts++;
            fresh = true;
        }

        /** The record as the next rule sees it: the input values with those set so far (built when needed). */
        private Map<String, Object> current() {
            if (merged != puts) {
                Map<String, Object> values = new LinkedHashMap<>(input.values() == null ? Map.of() : input.values());
                values.putAll(set);
                current = values;
                merged = puts;
            }
            return current;
        }

        private FieldDefinition field(Step step) {
            if (step.field == null) {
                RuleDefinition rule = step.rule;
                throw failure(step.script, new RuleResults.WrongResult("is about the field '" + rule.field()
                        + "', which '" + entity.name() + "' does not have"));
            }
            return step.field;
        }

        private <T> T call(Step step, int kind, Function<Value, T> convert) {
            long started = slot.start(onSave);
            try {
                Value fn = slot.function(step.script);
                slot.maintained(!step.rule.dependsOn().isEmpty());
                if (user == null) {
                    user = slot.user(input.actor() == null ? Actor.SYSTEM : input.actor());
                    today = slot.today(day);
                    previous = input.previous() == null ? null : slot.previous(input.previous());
                }
                Value result = slot.run(kind, fn, fresh ? current() : null, previous, user, today);
                fresh = false;
                return convert.apply(result);
            } catch (PolyglotException e) {
                throw failure(step.script, slot.failed(e, started));
            } catch (RuntimeException e) {
                throw failure(step.script, e);
            } finally {
                slot.stop(started);
            }
        }
    }
}
