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
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.graalvm.polyglot.PolyglotException;
import org.graalvm.polyglot.SourceSection;
import org.graalvm.polyglot.Value;
import org.graalvm.polyglot.proxy.ProxyExecutable;

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

    /** Default limits ({@link RuleLimits#DEFAULT}) and the system clock for {@code today}. */
    public RuleEngine() {
        this(RuleLimits.DEFAULT, Clock.systemDefaultZone());
    }

    /**
     * @param clock gives {@code today} (in the clock's zone) and the time zone of JavaScript {@code Date}
     */
    public RuleEngine(RuleLimits limits, Clock clock) {
        this.clock = clock;
        this.pool = new ContextPool(limits, clock.getZone());
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

    public RuleLimits limits() {
        return pool.limits();
    }

    @Override
    public RuleOutcome evaluate(RuleInput input) {
        EntityDefinition entity = input.entity();
        if (entity.rules().isEmpty()) {
            return RuleOutcome.NONE;
        }
        try (ContextPool.Slot slot = pool.lease()) {
            return new Evaluation(slot, input).run();
        }
    }

    /** Parses every rule of the entity and checks the fields they name. Empty when all is well. */
    public List<RuleProblem> check(EntityDefinition entity) {
        List<RuleProblem> problems = new ArrayList<>();
        try (ContextPool.Slot slot = pool.lease()) {
            for (RuleDefinition rule : entity.rules()) {
                RuleScript script = script(entity, rule);
                SourceLocation at = script.start();
                if (rule.kind() != RuleKind.VALIDATION) {
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
                    slot.guarded(() -> slot.function(script));
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

    /** Runs the entity's examples and reports every expectation that does not hold. Empty when all pass. */
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
        return scripts.computeIfAbsent(new ScriptKey(entity.name(), rule), k -> RuleScript.of(rule));
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
            detail = limit.stop == ContextPool.Stop.TIMEOUT
                    ? "it ran longer than " + pool.limits().timeout().toMillis() + " ms"
                    : "it ran more than " + pool.limits().statementLimit() + " statements";
        } else if (e instanceof PolyglotException p) {
            position = Optional.ofNullable(guestPosition(script, p)).orElse(position);
            if (p.isSyntaxError()) {
                detail = "syntax error: " + syntaxMessage(p);
            } else if (p.isHostException()) {
                detail = "the platform failed while the rule ran: " + p.asHostException();
            } else {
                detail = shorten(String.valueOf(p.getMessage()));
            }
        } else if (e instanceof RuleResults.WrongResult wrong) {
            detail = "it " + wrong.getMessage();
        } else {
            detail = shorten(e.toString());
        }
        RuleRunFailure failure = new RuleRunFailure(rule.name(), position, detail, e);
        LOG.log(Level.WARNING, "Rule ''{0}'' failed at {1}: {2}", new Object[] {rule.name(), position, detail});
        return failure;
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

    private record ScriptKey(String entity, RuleDefinition rule) {
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

    /** One run of an entity's rules over one record, on one borrowed Context. */
    private final class Evaluation {
        private final ContextPool.Slot slot;
        private final RuleInput input;
        private final EntityDefinition entity;
        private final Map<String, Object> current;
        private final Map<String, Object> set = new LinkedHashMap<>();
        private final String previousJson;
        private final String userJson;
        private final String today;
        private final ProxyExecutable lookup;
        private String recordJson;

        Evaluation(ContextPool.Slot slot, RuleInput input) {
            this.slot = slot;
            this.input = input;
            this.entity = input.entity();
            this.current = new HashMap<>(input.values());
            this.previousJson = input.previous() == null ? null : Json.write(input.previous());
            Actor actor = input.actor() == null ? Actor.SYSTEM : input.actor();
            Map<String, Object> user = new LinkedHashMap<>();
            user.put("name", actor.username());
            user.put("roles", new TreeSet<>(actor.roles()));
            this.userJson = Json.write(user);
            this.today = LocalDate.now(clock).toString();
            RuleInput.RecordLookup records = input.lookup() == null ? RuleInput.RecordLookup.NONE : input.lookup();
            this.lookup = arguments -> {
                if (arguments.length < 2 || !arguments[0].isString() || !arguments[1].isNumber()
                        || !arguments[1].fitsInLong()) {
                    return null;
                }
                return records.find(arguments[0].asString(), arguments[1].asLong()).map(Json::write).orElse(null);
            };
        }

        RuleOutcome run() {
            if (input.isNew()) {
                for (RuleDefinition rule : entity.rules(RuleKind.DEFAULT)) {
                    if (current.get(rule.field()) == null) {
                        FieldDefinition field = field(rule);
                        put(rule.field(), call(rule, v -> RuleResults.fieldValue(v, field)));
                    }
                }
            }
            for (RuleDefinition rule : entity.rules()) {
                if (rule.kind() == RuleKind.COMPUTED) {
                    FieldDefinition field = field(rule);
                    put(rule.field(), call(rule, v -> RuleResults.fieldValue(v, field)));
                } else if (rule.kind() == RuleKind.SCORE) {
                    FieldDefinition field = field(rule);
                    RuleResults.Score score = call(rule, v -> RuleResults.score(v, field));
                    put(rule.field(), score.value());
                    if (rule.reasonsField() != null) {
                        put(rule.reasonsField(), score.reasons());
                    }
                }
            }
            List<FieldError> errors = new ArrayList<>();
            for (RuleDefinition rule : entity.rules(RuleKind.VALIDATION)) {
                errors.addAll(call(rule, v -> RuleResults.errors(v, entity, rule.name())));
            }
            Map<String, Boolean> visible = new LinkedHashMap<>();
            Set<String> required = new LinkedHashSet<>();
            Set<String> readOnly = new LinkedHashSet<>();
            for (RuleDefinition rule : entity.rules()) {
                switch (rule.kind()) {
                    case VISIBLE_WHEN -> visible.put(rule.field(), call(rule, RuleResults::truthy));
                    case REQUIRED_WHEN -> {
                        if (call(rule, RuleResults::truthy)) {
                            required.add(rule.field());
                        }
                    }
                    case READ_ONLY_WHEN -> {
                        if (call(rule, RuleResults::truthy)) {
                            readOnly.add(rule.field());
                        }
                    }
                    default -> {
                    }
                }
            }
            return new RuleOutcome(set, errors, visible, required, readOnly);
        }

        private void put(String field, Object value) {
            current.put(field, value);
            set.put(field, value);
            recordJson = null;
        }

        private FieldDefinition field(RuleDefinition rule) {
            return entity.field(rule.field()).orElseThrow(() -> failure(script(entity, rule),
                    new RuleResults.WrongResult("is about the field '" + rule.field() + "', which '" + entity.name()
                            + "' does not have")));
        }

        private <T> T call(RuleDefinition rule, Function<Value, T> convert) {
            RuleScript script = script(entity, rule);
            if (recordJson == null) {
                recordJson = Json.write(current);
            }
            try {
                return slot.guarded(() -> convert.apply(
                        slot.call(slot.function(script), recordJson, previousJson, userJson, today, lookup)));
            } catch (RuntimeException e) {
                throw failure(script, e);
            }
        }
    }
}
