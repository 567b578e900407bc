package io.relata.rules;

import io.relata.api.rules.RuleInput;
import io.relata.api.security.Actor;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.ZoneId;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;
import org.graalvm.polyglot.Context;
import org.graalvm.polyglot.Engine;
import org.graalvm.polyglot.EnvironmentAccess;
import org.graalvm.polyglot.HostAccess;
import org.graalvm.polyglot.PolyglotAccess;
import org.graalvm.polyglot.PolyglotException;
import org.graalvm.polyglot.ResourceLimits;
import org.graalvm.polyglot.SandboxPolicy;
import org.graalvm.polyglot.Source;
import org.graalvm.polyglot.Value;
import org.graalvm.polyglot.io.IOAccess;
import org.graalvm.polyglot.proxy.ProxyExecutable;

/**
 * The sandbox: one polyglot {@link Engine} and a pool of locked-down JavaScript Contexts on it. A thread
 * borrows a Context for one evaluation, so a Context is never used by two threads at once; Contexts hold
 * their own parsed rule functions and the per-Context caches of the call path (record makers, the user
 * object, {@code today}). Every run is bounded by a statement limit (exceeding it kills the Context, which
 * is then discarded) and by time: each {@link Slot} publishes when its running rule started, and one
 * watchdog thread per pool interrupts a run through {@link Context#interrupt(Duration)} (the Context stays
 * usable) once it has computed for longer than the timeout (CPU time of the running thread, which a busy
 * machine does not eat) or, for runs on user saves only, once it has waited {@link RuleLimits#wallClockLimit()}
 * on the wall clock. Runs at metadata load never depend on the wall clock (see {@link RuleLimits}).
 */
final class ContextPool implements AutoCloseable {

    private static final OutputStream NO_OUTPUT = OutputStream.nullOutputStream();
    private static final Source PRELUDE = loadPrelude();
    /** Records with more values than this cross as JSON text instead of through a generated maker. */
    static final int MAX_MAKER_ARGUMENTS = 200;
    /** Makers a Context keeps before it starts over (record shapes are few: one or two per entity). */
    private static final int MAX_MAKERS = 256;

    /** Run states besides a running rule's start (which is always positive, see {@link #now()}). */
    private static final long IDLE = 0;
    private static final long EXPIRING = -1;
    private static final long EXPIRED = -2;
    /** How long a run may go on after its interrupt before its Context is cancelled. */
    private static final long CANCEL_AFTER_NANOS = Duration.ofSeconds(2).toNanos();

    /** How {@link Slot#run} reduces a rule's result: the kinds of prelude.js's exec. */
    static final int RESULT = 0;
    static final int VALIDATION = 1;
    static final int SCORE = 2;
    static final int CONDITION = 3;
    /** The maker refills and returns its {@code previous} object instead of running a rule on the record. */
    private static final int PREVIOUS = -2;
    private static final VarHandle RUN;

    static {
        try {
            RUN = MethodHandles.lookup().findVarHandle(Slot.class, "run", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final Engine engine;
    /** Shared by all Contexts: a shared Engine requires one HostAccess instance. */
    private final HostAccess hostAccess = HostAccess.newBuilder(HostAccess.CONSTRAINED).build();
    private final ResourceLimits resourceLimits;
    private final RuleLimits limits;
    private final long timeoutNanos;
    private final long wallClockNanos;
    private final ZoneId zone;
    private final RunClocks clocks;
    private final long origin;
    /**
     * Idle slots, taken from and given back to the lowest free index: one compare-and-set each way and no
     * allocation, and the Contexts used most stay warm. Slots beyond its length are closed.
     */
    private final AtomicReferenceArray<Slot> idle =
            new AtomicReferenceArray<>(Math.max(4, 2 * Runtime.getRuntime().availableProcessors()));
    /** Every open slot, idle or leased: what the watchdog looks at. */
    private final Set<Slot> live = ConcurrentHashMap.newKeySet();
    /** Record maker sources by shape, shared by all Contexts so the Engine shares their code. */
    private final Map<Shape, Source> makerSources = new ConcurrentHashMap<>();
    private final Thread watchdog;
    private volatile boolean closed;
    /** The host functions rules may call; swapped when plugins change. */
    private volatile HostFunctions functions = HostFunctions.NONE;

    void useFunctions(HostFunctions functions) {
        this.functions = functions;
    }

    HostFunctions functions() {
        return functions;
    }

    /**
     * A rule's decimal operation (prelude.js {@code decimal}): operation, value, operand, scale and rounding as
     * primitives; the answer 'V' + the result as text, or 'E' + what was wrong.
     */
    private static Object decimal(Value... arguments) {
        if (arguments.length < 5 || !arguments[0].isString() || !arguments[1].isString()
                || !(arguments[2].isNull() || arguments[2].isString()) || !arguments[3].fitsInInt()) {
            return "Einvalid call of decimal";
        }
        String answer = Decimals.apply(arguments[0].asString(), arguments[1].asString(),
                arguments[2].isNull() ? null : arguments[2].asString(), arguments[3].asInt(),
                arguments[4].isString() ? arguments[4].asString() : null);
        return answer.charAt(0) == 'E' ? answer : "V" + answer;
    }

    /** What a rule passed to a host function, as a plain Java value (numbers as BigDecimal). */
    static Object plain(Value value, String what, int depth) {
        if (depth > 32) {
            throw new IllegalArgumentException("the arguments of " + what + " are nested too deeply");
        }
        if (value == null || value.isNull()) {
            return null;
        }
        if (value.isBoolean()) {
            return value.asBoolean();
        }
        if (value.isString()) {
            return value.asString();
        }
        if (value.isNumber()) {
            if (value.fitsInLong()) {
                return java.math.BigDecimal.valueOf(value.asLong());
            }
            double d = value.asDouble();
            if (Double.isNaN(d) || Double.isInfinite(d)) {
                throw new IllegalArgumentException(what + " cannot take " + d);
            }
            return java.math.BigDecimal.valueOf(d);
        }
        if (value.hasArrayElements()) {
            long size = value.getArraySize();
            if (size > 10_000) {
                throw new IllegalArgumentException(what + " takes lists of up to 10000 values");
            }
            List<Object> list = new java.util.ArrayList<>((int) size);
            for (long i = 0; i < size; i++) {
                list.add(plain(value.getArrayElement(i), what, depth + 1));
            }
            return java.util.Collections.unmodifiableList(list);
        }
        if (value.hasMembers() && !value.canExecute()) {
            Map<String, Object> map = new LinkedHashMap<>();
            for (String key : value.getMemberKeys()) {
                map.put(key, plain(value.getMember(key), what, depth + 1));
            }
            return java.util.Collections.unmodifiableMap(map);
        }
        throw new IllegalArgumentException(what + " takes texts, numbers, true/false, null, lists and objects, not " + value);
    }

    ContextPool(RuleLimits limits, ZoneId zone, RunClocks clocks) {
        this.limits = limits;
        this.timeoutNanos = limits.timeout().toNanos();
        this.wallClockNanos = limits.wallClockLimit().toNanos();
        this.zone = zone;
        this.clocks = clocks;
        this.origin = clocks.wallNanos();
        this.engine = Engine.newBuilder("js")
                .sandbox(SandboxPolicy.CONSTRAINED)
                .out(NO_OUTPUT)
                .err(NO_OUTPUT)
                .in(InputStream.nullInputStream())
                // mode() reports interpreted execution in the start-up log instead of this warning
                .option("engine.WarnInterpreterOnly", "false")
                .build();
        // only the rules' own statements count: the prelude and the record makers are internal sources
        this.resourceLimits = ResourceLimits.newBuilder()
                .statementLimit(limits.statementLimit(), source -> !source.isInternal())
                .build();
        long period = Math.max(1_000_000L, Math.min(timeoutNanos / 4, 25_000_000L));
        this.watchdog = new Thread(() -> watch(period), "relata-rules-watchdog-" + WATCHDOGS.incrementAndGet());
        this.watchdog.setDaemon(true);
        this.watchdog.start();
    }

    private static final AtomicInteger WATCHDOGS = new AtomicInteger();

    Engine engine() {
        return engine;
    }

    RuleLimits limits() {
        return limits;
    }

    /** Nanoseconds since the pool started, plus one: always positive, so 0 and negatives can mark states. */
    private long now() {
        return Math.max(1, clocks.wallNanos() - origin + 1);
    }

    /** Borrows a Context; give it back with {@link Slot#close()}. */
    Slot lease() {
        if (closed) {
            throw new IllegalStateException("The rule engine is closed");
        }
        for (int i = 0; i < idle.length(); i++) {
            Slot slot = idle.get(i);
            if (slot != null && idle.compareAndSet(i, slot, null)) {
                return slot;
            }
        }
        return new Slot(newContext());
    }

    private Context newContext() {
        return Context.newBuilder("js")
                .engine(engine)
                .sandbox(SandboxPolicy.CONSTRAINED)
                .allowHostAccess(hostAccess)
                .allowHostClassLookup(className -> false)
                .allowHostClassLoading(false)
                .allowIO(IOAccess.NONE)
                .allowCreateThread(false)
                .allowCreateProcess(false)
                .allowNativeAccess(false)
                .allowPolyglotAccess(PolyglotAccess.NONE)
                .allowEnvironmentAccess(EnvironmentAccess.NONE)
                .allowValueSharing(false)
                .allowInnerContextOptions(false)
                .timeZone(zone)
                .resourceLimits(resourceLimits)
                .out(NO_OUTPUT)
                .err(NO_OUTPUT)
                .in(new ByteArrayInputStream(new byte[0]))
                .option("js.load", "false")
                .option("js.print", "false")
                .option("js.console", "false")
                .option("js.graal-builtin", "false")
                .option("js.strict", "true")
                .build();
    }

    /** The watchdog: interrupts every run that is over one of its time limits. */
    private void watch(long periodNanos) {
        while (!closed) {
            LockSupport.parkNanos(this, periodNanos);
            for (Slot slot : live) {
                long run = (long) RUN.getVolatile(slot);
                if (run == EXPIRED) {
                    slot.stillRunning(periodNanos);
                }
                if (run <= 0) {
                    continue;
                }
                Stop stop = slot.overTime(run, now());
                if (stop != null && RUN.compareAndSet(slot, run, EXPIRING)) {
                    slot.expire(stop);
                }
            }
        }
    }

    @Override
    public void close() {
        closed = true;
        LockSupport.unpark(watchdog);
        for (int i = 0; i < idle.length(); i++) {
            Slot slot = idle.getAndSet(i, null);
            if (slot != null) {
                slot.discard();
            }
        }
        engine.close(true);
    }

    private static Source loadPrelude() {
        try (InputStream in = ContextPool.class.getResourceAsStream("prelude.js")) {
            if (in == null) {
                throw new IllegalStateException("io/relata/rules/prelude.js is missing from the class path");
            }
            return Source.newBuilder("js", new String(in.readAllBytes(), StandardCharsets.UTF_8), "relata-rules-prelude.js")
                    .internal(true)
                    .buildLiteral();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** How a guarded run ended when it did not end normally. */
    enum Stop {
        /** It computed for longer than the timeout (or, where the JVM has no thread CPU time, ran that long). */
        TIMEOUT,
        /** A run on a user save that did not finish within {@link RuleLimits#wallClockLimit()}. */
        WALL_CLOCK,
        STATEMENT_LIMIT
    }

    /**
     * Where the watchdog reads time: the wall clock ({@link System#nanoTime()}) and the CPU time a thread has
     * used ({@link ThreadMXBean#getThreadCpuTime(long)}), replaceable for tests.
     */
    interface RunClocks {

        long wallNanos();

        /** CPU time the thread has used so far, in nanoseconds, or -1 if this JVM cannot tell. */
        long cpuNanos(Thread thread);

        RunClocks SYSTEM = system();

        private static RunClocks system() {
            ThreadMXBean threads = ManagementFactory.getThreadMXBean();
            boolean cpu = threads.isThreadCpuTimeSupported();
            if (cpu && !threads.isThreadCpuTimeEnabled()) {
                try {
                    threads.setThreadCpuTimeEnabled(true);
                } catch (RuntimeException e) {
                    cpu = false; // a security manager or the JVM refuses: the wall clock alone then
                }
            }
            boolean measured = cpu;
            return new RunClocks() {
                @Override
                public long wallNanos() {
                    return System.nanoTime();
                }

                @Override
                @SuppressWarnings("deprecation") // Thread.getId(): threadId() is Java 19+, the build targets 17
                public long cpuNanos(Thread thread) {
                    return measured && thread != null ? threads.getThreadCpuTime(thread.getId()) : -1;
                }
            };
        }
    }

    /** A run stopped by a limit. */
    static final class LimitExceeded extends RuntimeException {
        final Stop stop;
        final PolyglotException cause;

        LimitExceeded(Stop stop, PolyglotException cause) {
            super(stop.name(), cause, false, false);
            this.stop = stop;
            this.cause = cause;
        }
    }

    /**
     * The keys of a record in iteration order and which of its values cross as JSON text (lists and maps):
     * one generated maker per shape and Context.
     */
    static final class Shape {
        final String[] keys;
        final boolean[] json;
        private final int hash;

        Shape(String[] keys, boolean[] json) {
            this.keys = keys;
            this.json = json;
            this.hash = 31 * Arrays.hashCode(keys) + Arrays.hashCode(json);
        }

        boolean matches(String[] otherKeys, boolean[] otherJson, int n) {
            if (keys.length != n) {
                return false;
            }
            for (int i = 0; i < n; i++) {
                String k = keys[i];
                if ((k != otherKeys[i] && !k.equals(otherKeys[i])) || json[i] != otherJson[i]) {
                    return false;
                }
            }
            return true;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Shape s && hash == s.hash && Arrays.equals(keys, s.keys) && Arrays.equals(json, s.json);
        }

        @Override
        public int hashCode() {
            return hash;
        }

        /**
         * A maker for this shape: {@code (function (view, toJs, exec) {'use strict'; const r = view(["name",
         * "tags"]), p = view(["name", "tags"]); const rv = r.values, ro = r.object, pv = p.values, po = p.object;
         * return function (kind, rule, previous, user, today, a0, a1) { if (kind === -2) { pv[0] = a0; pv[1] =
         * toJs(a1); return po; } rv[0] = a0; rv[1] = toJs(a1); return kind < 0 ? ro : exec(kind, rule, ro,
         * previous, user, today); }; })}. Each maker owns two record objects (prelude.js's view): the
         * evaluation's record and {@code previous}. A call refills one of them and, for the record, runs the
         * evaluation's first rule on it, so that is one boundary crossing.
         */
        String makerSource() {
            StringBuilder names = new StringBuilder(keys.length * 12);
            StringBuilder parameters = new StringBuilder(keys.length * 4);
            for (int i = 0; i < keys.length; i++) {
                if (i > 0) {
                    names.append(", ");
                }
                Json.quote(names, keys[i]);
                parameters.append(", a").append(i);
            }
            StringBuilder out = new StringBuilder(400 + keys.length * 40);
            out.append("(function (view, toJs, exec) {'use strict'; const r = view([").append(names)
                    .append("]), p = view([").append(names).append("]); ")
                    .append("const rv = r.values, ro = r.object, pv = p.values, po = p.object; ")
                    .append("return function (kind, rule, previous, user, today").append(parameters).append(") { ")
                    .append("if (kind === ").append(PREVIOUS).append(") { ");
            fill(out, "pv");
            out.append("return po; } ");
            fill(out, "rv");
            out.append("return kind < 0 ? ro : exec(kind, rule, ro, previous, user, today); }; })");
            return out.toString();
        }

        private void fill(StringBuilder out, String values) {
            for (int i = 0; i < keys.length; i++) {
                out.append(values).append('[').append(i).append("] = ")
                        .append(json[i] ? "toJs(a" : "a").append(i).append(json[i] ? "); " : "; ");
            }
        }
    }

    /** One Context, borrowed by one thread at a time. */
    final class Slot implements AutoCloseable {

        final Context context;
        /** exec(kind, rule, record or null for the evaluation's current one, previous, user, today). */
        private final Value exec;
        private final Value toJs;
        private final Value view;
        private final Value text;
        private Value[] functions = new Value[16];
        private final Map<Shape, Value> makers = new HashMap<>();
        private Shape lastShape;
        private Value lastMaker;
        private String[] keyScratch = new String[16];
        private boolean[] jsonScratch = new boolean[16];
        /** The last maker call's arguments, reused for records with as many values (execute converts them first). */
        private Object[] argScratch = new Object[0];
        private Actor userActor;
        private Value user;
        private String todayText;
        private Value today;
        /** What {@code lookup} reads during the current evaluation; only the leasing thread touches it. */
        private RuleInput.RecordLookup records = RuleInput.RecordLookup.NONE;
        /** The evaluation's lookup, as the user may read (what {@link #records} is for most rules). */
        private RuleInput.RecordLookup userRecords = RuleInput.RecordLookup.NONE;
        /** Makes a namespace object of host functions (prelude.js). */
        private final Value namespace;
        /** {@code related.id} during the current evaluation. */
        private Long recordId;
        /** IDLE, the running rule's start ({@link #now()} scale, rising per slot), EXPIRING or EXPIRED. */
        @SuppressWarnings("unused")
        private volatile long run;
        private long lastStart;
        /** Of the current run, written before {@link #run} is published: whether the wall clock bounds it. */
        private boolean onSave;
        /** Of the current run, written before {@link #run} is published: the thread whose CPU time counts. */
        private Thread runner;
        /** Why the watchdog stopped the run; written before EXPIRED is published. */
        private Stop stoppedBy;
        /** The watchdog's own: the run it last looked at and the runner's CPU time when it first saw it. */
        private long seenRun;
        private long cpuAtFirstSight;
        /** The watchdog's own: nanoseconds of watching since the run was interrupted and has not ended. */
        private long sinceInterrupt;
        private volatile boolean broken;

        private Slot(Context context) {
            this.context = context;
            try {
                ProxyExecutable hostLookup = arguments -> {
                    if (arguments.length < 2 || !arguments[0].isString() || !arguments[1].isNumber()
                            || !arguments[1].fitsInLong()) {
                        return null;
                    }
                    return records.find(arguments[0].asString(), arguments[1].asLong()).map(Json::write).orElse(null);
                };
                ProxyExecutable hostRelated = arguments -> related(arguments);
                ProxyExecutable hostFunction = arguments -> callHostFunction(arguments);
                ProxyExecutable hostDecimal = ContextPool::decimal;
                Value api = context.eval(PRELUDE).execute(hostLookup, hostRelated, hostFunction, hostDecimal);
                this.namespace = api.getMember("namespace");
                this.exec = api.getMember("exec");
                this.toJs = api.getMember("toJs");
                this.view = api.getMember("view");
                this.text = api.getMember("text");
            } catch (RuntimeException e) {
                context.close(true);
                throw e;
            }
            live.add(this);
        }

        /**
         * A rule's call of a host function: namespace, function name and the arguments as a JS array, converted
         * to plain Java values; the answer as JSON text, or 'E' + the message when the call failed.
         */
        private Object callHostFunction(Value[] arguments) {
            if (arguments.length < 3 || !arguments[0].isString() || !arguments[1].isString()) {
                return "Einvalid call of a host function";
            }
            String what = arguments[0].asString() + "." + arguments[1].asString();
            try {
                List<Object> values = new java.util.ArrayList<>();
                Value given = arguments[2];
                long count = given.hasArrayElements() ? given.getArraySize() : 0;
                for (long i = 0; i < count; i++) {
                    values.add(plain(given.getArrayElement(i), what, 0));
                }
                Object answer = ContextPool.this.functions.call(arguments[0].asString(), arguments[1].asString(),
                        java.util.Collections.unmodifiableList(values));
                return Json.write(answer);
            } catch (RuntimeException e) {
                String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
                return "E" + what + ": " + message;
            }
        }

        /** The rule function in this Context, evaluated on first use (call within a guarded run). */
        Value function(RuleScript script) {
            int id = script.id();
            Value[] fns = functions;
            Value fn = id < fns.length ? fns[id] : null;
            if (fn == null) {
                try {
                    fn = context.eval(script.source());
                } catch (PolyglotException e) {
                    if (!e.isSyntaxError()) {
                        broken = true; // it ran top-level code, which may have left declarations in this Context
                    }
                    throw e;
                }
                if (!script.namespaces().isEmpty()) {
                    if (!fn.canExecute() || !script.isWholeOuterFunction(fn.getSourceLocation())) {
                        broken = true;
                        throw new RuleResults.WrongResult("closes the function it is wrapped in (an unbalanced '}' or"
                                + " ')'); a rule is one expression or one function body");
                    }
                    Object[] namespaces = new Object[script.namespaces().size()];
                    int at = 0;
                    for (Map.Entry<String, List<String>> named : script.namespaces().entrySet()) {
                        namespaces[at++] = namespace.execute(named.getKey(), Json.write(named.getValue()));
                    }
                    fn = fn.execute(namespaces);
                }
                if (!fn.canExecute()) {
                    broken = true; // whatever it ran may have left declarations in this Context
                    throw new IllegalStateException("the script does not evaluate to a function");
                }
                if (!script.isWholeFunction(fn.getSourceLocation())) {
                    broken = true;
                    throw new RuleResults.WrongResult("closes the function it is wrapped in (an unbalanced '}' or"
                            + " ')'); a rule is one expression or one function body");
                }
                if (id >= fns.length) {
                    functions = fns = Arrays.copyOf(fns, Math.max(id + 1, fns.length * 2));
                }
                fns[id] = fn;
            }
            return fn;
        }

        /**
         * Answers {@code related.*} (prelude.js's askRelated): arguments (kind, entity, field or null, [field,
         * value, ...]); the answer as JSON text, or 'E' + the message when the question cannot be answered, which
         * the prelude throws as the rule's error.
         */
        private String related(Value[] arguments) {
            if (arguments.length > 0 && arguments[0].isString() && arguments[0].asString().equals("id")) {
                return recordId == null ? null : Long.toString(recordId);
            }
            if (arguments.length < 5 || !arguments[0].isString() || !arguments[1].isString()
                    || !arguments[3].hasArrayElements() || !arguments[4].hasArrayElements()) {
                return "Erelated: malformed question";
            }
            String question = arguments[0].asString();
            String entity = arguments[1].asString();
            try {
                Map<String, Object> filter = filter(arguments[3]);
                if (question.equals("first")) {
                    List<String> orderBy = new java.util.ArrayList<>();
                    for (long i = 0; i < arguments[4].getArraySize(); i++) {
                        orderBy.add(arguments[4].getArrayElement(i).asString());
                    }
                    return records.first(entity, filter, List.copyOf(orderBy)).map(Json::write).orElse(null);
                }
                RuleInput.Aggregate aggregate = switch (question) {
                    case "sum" -> RuleInput.Aggregate.SUM;
                    case "min" -> RuleInput.Aggregate.MIN;
                    case "max" -> RuleInput.Aggregate.MAX;
                    default -> RuleInput.Aggregate.COUNT;
                };
                String field = arguments[2].isString() ? arguments[2].asString() : null;
                return Json.write(records.aggregate(entity, aggregate, field, filter));
            } catch (IllegalArgumentException e) {
                return "Erelated." + (question.equals("count") ? "count" : question) + "('" + entity + "'): "
                        + e.getMessage();
            }
        }

        /**
         * A related.* filter from prelude.js's triples [field, operator, value, …]: equality as the value itself,
         * comparisons of one field gathered into one {@link RuleInput.Condition}.
         */
        private static Map<String, Object> filter(Value triples) {
            Map<String, Object> filter = new LinkedHashMap<>();
            Map<String, Map<RuleInput.Comparison, Object>> bounds = new LinkedHashMap<>();
            Map<String, Boolean> orEmpty = new LinkedHashMap<>();
            for (long i = 0; i + 2 < triples.getArraySize(); i += 3) {
                String field = triples.getArrayElement(i).asString();
                String operator = triples.getArrayElement(i + 1).asString();
                Object value = primitive(triples.getArrayElement(i + 2));
                switch (operator) {
                    case "=" -> filter.put(field, value);
                    case "orEmpty" -> {
                        orEmpty.put(field, Boolean.TRUE.equals(value));
                        bounds.computeIfAbsent(field, f -> new java.util.EnumMap<>(RuleInput.Comparison.class));
                    }
                    default -> bounds.computeIfAbsent(field, f -> new java.util.EnumMap<>(RuleInput.Comparison.class))
                            .put(RuleInput.Comparison.valueOf(operator.toUpperCase(java.util.Locale.ROOT)), value);
                }
            }
            bounds.forEach((field, comparisons) ->
                    filter.put(field, new RuleInput.Condition(comparisons, orEmpty.getOrDefault(field, false))));
            return filter;
        }

        private static Object primitive(Value value) {
            if (value.isNull()) {
                return null;
            }
            if (value.isBoolean()) {
                return value.asBoolean();
            }
            if (value.isNumber()) {
                return value.fitsInLong() ? (Object) value.asLong() : (Object) value.asDouble();
            }
            return value.asString();
        }

        void lookup(RuleInput.RecordLookup lookup, Long id) {
            this.userRecords = lookup == null ? RuleInput.RecordLookup.NONE : lookup;
            this.records = userRecords;
            this.recordId = id;
        }

        /**
         * Whether the next rule's value is kept current by the platform ({@code dependsOn}): its {@code lookup} and
         * {@code related.*} then read every record ({@link RuleInput.RecordLookup#asPlatform()}).
         */
        void maintained(boolean platform) {
            this.records = platform ? userRecords.asPlatform() : userRecords;
        }

        /** {@code today} as a JavaScript string of this Context (converted once per day). */
        Value today(String text) {
            if (text != todayText) {
                today = this.text.execute(text);
                todayText = text;
            }
            return today;
        }

        /** The frozen {@code user} object for the actor, kept while the same actor evaluates. */
        Value user(Actor actor) {
            if (actor != userActor && (user == null || !actor.equals(userActor))) {
                Map<String, Object> u = new LinkedHashMap<>();
                u.put("name", actor.username());
                u.put("roles", new TreeSet<>(actor.roles()));
                u.put("language", actor.language());
                user = toJs.execute(Json.write(u));
            }
            userActor = actor;
            return user;
        }

        /**
         * The values as this Context's {@code previous} object for their shape: valid until the next call with
         * a record of the same shape (one per evaluation).
         */
        Value previous(Map<String, Object> values) {
            return make(PREVIOUS, null, values, null, null, null);
        }

        /**
         * Runs a rule and returns its result reduced by {@code kind} (see prelude.js). With {@code values} the
         * rule gets a new record of them, which later calls with null values get too (the evaluation's current
         * record); the first call of an evaluation must give values.
         */
        Value run(int kind, Value function, Map<String, Object> values, Value previous, Value user, Value today) {
            if (values == null) {
                return exec.execute(kind, function, null, previous, user, today);
            }
            return make(kind, function, values, previous, user, today);
        }

        /**
         * Each value crosses as a primitive (see {@link Json#primitive}) into the maker generated for the
         * record's shape; lists and maps cross as JSON text that the maker parses and deep-freezes.
         */
        private Value make(int kind, Value function, Map<String, Object> values, Value previous, Value user,
                           Value today) {
            int n = values.size();
            if (n > MAX_MAKER_ARGUMENTS) {
                Value record = toJs.execute(Json.write(values));
                return kind < 0 ? record : exec.execute(kind, function, record, previous, user, today);
            }
            if (keyScratch.length < n) {
                keyScratch = new String[Math.max(n, keyScratch.length * 2)];
                jsonScratch = new boolean[keyScratch.length];
            }
            String[] keys = keyScratch;
            boolean[] json = jsonScratch;
            Object[] args = argScratch.length == n + 5 ? argScratch : (argScratch = new Object[n + 5]);
            args[0] = kind;
            args[1] = function;
            args[2] = previous;
            args[3] = user;
            args[4] = today;
            int i = 0;
            for (Map.Entry<String, Object> e : values.entrySet()) {
                if (i == n) {
                    break; // the map grew while we read it: not a record we are given
                }
                Object v = e.getValue();
                keys[i] = String.valueOf(e.getKey());
                boolean text = v == null || v instanceof String; // most values: no conversion
                boolean structured = !text && Json.isStructured(v);
                json[i] = structured;
                args[i + 5] = text ? v : structured ? Json.write(v) : Json.primitive(v);
                i++;
            }
            return maker(keys, json, i).execute(i == n ? args : Arrays.copyOf(args, i + 5));
        }

        private Value maker(String[] keys, boolean[] json, int n) {
            Shape last = lastShape;
            if (last != null && last.matches(keys, json, n)) {
                return lastMaker;
            }
            Shape shape = new Shape(Arrays.copyOf(keys, n), Arrays.copyOf(json, n));
            Value maker = makers.get(shape);
            if (maker == null) {
                if (makers.size() >= MAX_MAKERS) {
                    makers.clear();
                }
                Source source = makerSources.computeIfAbsent(shape, s -> Source.newBuilder("js", s.makerSource(),
                        "relata-rules-record.js").internal(true).buildLiteral());
                maker = context.eval(source).execute(view, toJs, exec);
                makers.put(shape, maker);
            }
            lastShape = shape;
            lastMaker = maker;
            return maker;
        }

        /**
         * Starts a rule run: resets the statement limit and publishes the run's start. Returns the stamp to pass
         * to {@link #stop} and {@link #failed}.
         *
         * @param onSave true for a run on a user save, which the wall clock bounds too; false for checks and
         *               examples at metadata load, which only statements and CPU time bound
         */
        long start(boolean onSave) {
            context.resetLimits();
            this.onSave = onSave;
            this.runner = Thread.currentThread();
            long stamp = Math.max(now(), lastStart + 1); // rising, so the watchdog tells two runs apart
            lastStart = stamp;
            RUN.setVolatile(this, stamp);
            return stamp;
        }

        /**
         * The watchdog's verdict on a run it sees running: the CPU time it has used (counted from the first
         * time the watchdog saw it, so up to one period less) against the timeout, and for runs on saves the
         * wall clock against {@link RuleLimits#wallClockLimit()}. Without thread CPU time a run on a save is
         * held to the timeout on the wall clock, as before, and a run at load only to its statements.
         */
        private Stop overTime(long run, long now) {
            long cpu = clocks.cpuNanos(runner);
            if (run != seenRun) {
                seenRun = run;
                cpuAtFirstSight = cpu;
            }
            if (cpu >= 0 && cpuAtFirstSight >= 0) {
                if (cpu - cpuAtFirstSight >= timeoutNanos) {
                    return Stop.TIMEOUT;
                }
                return onSave && now - run >= wallClockNanos ? Stop.WALL_CLOCK : null;
            }
            return onSave && now - run >= timeoutNanos ? Stop.TIMEOUT : null;
        }

        /**
         * Ends a rule run; true when the watchdog interrupted it (then waits until the interrupt is over, so
         * that it cannot hit a later run).
         */
        boolean stop(long started) {
            if (RUN.compareAndSet(this, started, IDLE)) {
                return false;
            }
            long state;
            while ((state = (long) RUN.getVolatile(this)) == EXPIRING) {
                LockSupport.parkNanos(100_000L);
            }
            if (state == EXPIRED) {
                RUN.setVolatile(this, IDLE);
                return true;
            }
            return false; // already stopped
        }

        /** Turns what stopped a run into a {@link LimitExceeded}, or returns the guest's exception. */
        RuntimeException failed(PolyglotException e, long started) {
            // a cancelled Context (statement limit, or closed by the watchdog) cannot run again
            if (e.isCancelled() || e.isResourceExhausted() || e.isInternalError()) {
                broken = true;
            }
            boolean expired = stop(started);
            if (expired || e.isInterrupted()) {
                return new LimitExceeded(expired && stoppedBy != null ? stoppedBy : Stop.TIMEOUT, e);
            }
            if (e.isCancelled()) {
                return new LimitExceeded(Stop.STATEMENT_LIMIT, e);
            }
            return e;
        }

        /**
         * Runs {@code body} (which may enter the Context any number of times) within the statement limit and
         * the time limits ({@link #start}). Throws {@link LimitExceeded} when one of them stopped it, or the
         * guest's {@link PolyglotException}.
         */
        <T> T guarded(boolean onSave, Supplier<T> body) {
            long started = start(onSave);
            try {
                return body.get();
            } catch (PolyglotException e) {
                throw failed(e, started);
            } finally {
                stop(started);
            }
        }

        /**
         * Called by the watchdog while the run stays EXPIRED, i.e. its thread has not yet come back from the
         * interrupt. An interrupt can go unnoticed (measured: a loop of large {@code repeat} calls on a busy
         * machine ran on), so a run still there 2 s later is cancelled: its Context is closed and discarded.
         */
        private void stillRunning(long periodNanos) {
            sinceInterrupt += periodNanos;
            if (sinceInterrupt >= CANCEL_AFTER_NANOS && !broken) {
                broken = true;
                try {
                    context.close(true);
                } catch (RuntimeException ignored) {
                    // already cancelled or closed
                }
            }
        }

        /** Called by the watchdog after it moved the run to EXPIRING. */
        private void expire(Stop stop) {
            stoppedBy = stop;
            sinceInterrupt = 0;
            try {
                context.interrupt(Duration.ofSeconds(2));
            } catch (TimeoutException e) {
                broken = true;
                try {
                    context.close(true);
                } catch (RuntimeException ignored) {
                    // closing a stuck Context
                }
            } catch (RuntimeException e) {
                broken = true;
            } finally {
                RUN.setVolatile(this, EXPIRED);
            }
        }

        /** Gives the Context back to the pool, or closes it if it was killed or the pool is full. */
        @Override
        public void close() {
            records = RuleInput.RecordLookup.NONE;
            userRecords = RuleInput.RecordLookup.NONE;
            recordId = null;
            if (!broken && !closed) {
                for (int i = 0; i < idle.length(); i++) {
                    if (idle.get(i) == null && idle.compareAndSet(i, null, this)) {
                        if (closed && idle.compareAndSet(i, this, null)) {
                            discard(); // close() may have emptied the array just before
                        }
                        return;
                    }
                }
            }
            discard();
        }

        private void discard() {
            live.remove(this);
            try {
                context.close(true);
            } catch (RuntimeException e) {
                // already cancelled or closed
            }
        }
    }
}
