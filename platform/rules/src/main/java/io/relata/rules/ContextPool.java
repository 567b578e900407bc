package io.relata.rules;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.ZoneId;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
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

/**
 * The sandbox: one polyglot {@link Engine} and a pool of locked-down JavaScript Contexts on it. A thread
 * borrows a Context for one evaluation, so a Context is never used by two threads at once; Contexts hold
 * their own parsed rule functions. Every run is bounded by a statement limit (exceeding it kills the
 * Context, which is then discarded) and a wall-clock deadline enforced by a watchdog thread through
 * {@link Context#interrupt(Duration)} (the Context stays usable).
 */
final class ContextPool implements AutoCloseable {

    private static final OutputStream NO_OUTPUT = OutputStream.nullOutputStream();
    private static final Source PRELUDE = loadPrelude();

    private final Engine engine;
    /** Shared by all Contexts: a shared Engine requires one HostAccess instance. */
    private final HostAccess hostAccess = HostAccess.newBuilder(HostAccess.CONSTRAINED).build();
    private final ResourceLimits resourceLimits;
    private final RuleLimits limits;
    private final ZoneId zone;
    private final ConcurrentLinkedDeque<Slot> idle = new ConcurrentLinkedDeque<>();
    private final int maxIdle = Math.max(4, 2 * Runtime.getRuntime().availableProcessors());
    private final ScheduledExecutorService watchdog;
    private volatile boolean closed;

    ContextPool(RuleLimits limits, ZoneId zone) {
        this.limits = limits;
        this.zone = zone;
        this.engine = Engine.newBuilder("js")
                .sandbox(SandboxPolicy.CONSTRAINED)
                .out(NO_OUTPUT)
                .err(NO_OUTPUT)
                .in(InputStream.nullInputStream())
                // mode() reports interpreted execution in the start-up log instead of this warning
                .option("engine.WarnInterpreterOnly", "false")
                .build();
        this.resourceLimits = ResourceLimits.newBuilder().statementLimit(limits.statementLimit(), null).build();
        AtomicInteger threads = new AtomicInteger();
        ScheduledThreadPoolExecutor timer = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "relata-rules-watchdog-" + threads.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        timer.setRemoveOnCancelPolicy(true);
        this.watchdog = timer;
    }

    Engine engine() {
        return engine;
    }

    RuleLimits limits() {
        return limits;
    }

    /** Borrows a Context; give it back with {@link Slot#close()}. */
    Slot lease() {
        if (closed) {
            throw new IllegalStateException("The rule engine is closed");
        }
        Slot slot = idle.pollFirst();
        return slot != null ? slot : new Slot(newContext());
    }

    private Context newContext() {
        Context context = Context.newBuilder("js")
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
        return context;
    }

    @Override
    public void close() {
        closed = true;
        Slot slot;
        while ((slot = idle.pollFirst()) != null) {
            slot.context.close();
        }
        watchdog.shutdownNow();
        engine.close(true);
    }

    private static Source loadPrelude() {
        try (InputStream in = ContextPool.class.getResourceAsStream("prelude.js")) {
            if (in == null) {
                throw new IllegalStateException("io/relata/rules/prelude.js is missing from the class path");
            }
            return Source.newBuilder("js", new String(in.readAllBytes(), StandardCharsets.UTF_8), "relata-rules-prelude.js")
                    .build();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** How a guarded run ended when it did not end normally. */
    enum Stop { TIMEOUT, STATEMENT_LIMIT }

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

    /** One Context, borrowed by one thread at a time. */
    final class Slot implements AutoCloseable {

        final Context context;
        private final Value runner;
        private final Map<Source, Value> functions = new HashMap<>();
        private volatile boolean broken;

        private Slot(Context context) {
            this.context = context;
            this.runner = context.eval(PRELUDE);
        }

        /** The rule's function in this Context, evaluated on first use (call within {@link #guarded}). */
        Value function(RuleScript script) {
            Value fn = functions.get(script.source());
            if (fn == null) {
                fn = context.eval(script.source());
                if (!fn.canExecute()) {
                    throw new IllegalStateException("the script does not evaluate to a function");
                }
                functions.put(script.source(), fn);
            }
            return fn;
        }

        /** Calls a rule function through the prelude's runner. */
        Value call(Value function, Object... arguments) {
            Object[] all = new Object[arguments.length + 1];
            all[0] = function;
            System.arraycopy(arguments, 0, all, 1, arguments.length);
            return runner.execute(all);
        }

        /**
         * Runs {@code body} (which may enter the Context any number of times) within the statement limit and
         * the deadline. Throws {@link LimitExceeded} when one of them stopped it, or the guest's
         * {@link PolyglotException}.
         */
        <T> T guarded(Supplier<T> body) {
            context.resetLimits();
            Watch watch = new Watch();
            ScheduledFuture<?> timer = watchdog.schedule(() -> expire(watch), limits.timeout().toNanos(),
                    TimeUnit.NANOSECONDS);
            try {
                return body.get();
            } catch (PolyglotException e) {
                // a cancelled Context (statement limit, or closed by the watchdog) cannot run again
                if (e.isCancelled() || e.isResourceExhausted() || e.isInternalError()) {
                    broken = true;
                }
                if (watch.expired || e.isInterrupted()) {
                    throw new LimitExceeded(Stop.TIMEOUT, e);
                }
                if (e.isCancelled()) {
                    throw new LimitExceeded(Stop.STATEMENT_LIMIT, e);
                }
                throw e;
            } finally {
                if (!timer.cancel(false)) {
                    awaitWatchdog(timer);
                }
            }
        }

        private void expire(Watch watch) {
            watch.expired = true;
            try {
                context.interrupt(Duration.ofSeconds(2));
            } catch (TimeoutException e) {
                broken = true;
                context.close(true);
            } catch (RuntimeException e) {
                broken = true;
            }
        }

        private void awaitWatchdog(ScheduledFuture<?> timer) {
            boolean interrupted = false;
            while (true) {
                try {
                    timer.get();
                    break;
                } catch (InterruptedException e) {
                    interrupted = true;
                } catch (ExecutionException | java.util.concurrent.CancellationException e) {
                    break;
                }
            }
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }

        /** Gives the Context back to the pool, or closes it if it was killed or the pool is full. */
        @Override
        public void close() {
            if (!broken && !closed && idle.size() < maxIdle) {
                idle.offerFirst(this);
            } else {
                try {
                    context.close(true);
                } catch (RuntimeException e) {
                    // already cancelled or closed
                }
            }
        }
    }

    private static final class Watch {
        volatile boolean expired;
    }
}
