package io.relata.plugins;

import io.relata.api.model.LocalizedText;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Runs calls into plugins on threads of their own, with a timeout: a plugin that hangs fails its call after the
 * timeout and the caller goes on; one that throws fails its call with a message naming it. While it runs, the
 * thread's context class loader is the plugin's.
 */
public final class PluginCalls implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(PluginCalls.class.getName());

    private final Duration timeout;
    private final ThreadPoolExecutor threads;

    /**
     * @param timeout    how long one call may take
     * @param maxThreads how many calls may run at once; beyond that a call fails at once (a plugin whose calls all
     *                   hang cannot take every thread of the server)
     */
    public PluginCalls(Duration timeout, int maxThreads) {
        this.timeout = timeout;
        AtomicInteger count = new AtomicInteger();
        this.threads = new ThreadPoolExecutor(0, maxThreads, 60, TimeUnit.SECONDS, new SynchronousQueue<>(), r -> {
            Thread t = new Thread(r, "relata-plugin-call-" + count.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    public Duration timeout() {
        return timeout;
    }

    /**
     * Runs {@code body} for {@code plugin}.
     *
     * @param what what is called, for the messages ("premium", "start", "credit_check")
     * @throws PluginCallException when it throws, times out, or no thread is free
     */
    <T> T run(PluginManifest plugin, String what, Callable<T> body) {
        return run(plugin, what, null, body);
    }

    /** {@link #run(PluginManifest, String, Callable)} with the plugin's class loader as the context class loader. */
    <T> T run(PluginManifest plugin, String what, ClassLoader pluginLoader, Callable<T> body) {
        return run(plugin, what, pluginLoader, body, () -> { });
    }

    private <T> T run(PluginManifest plugin, String what, ClassLoader pluginLoader, Callable<T> body, Runnable notRun) {
        Future<T> future;
        try {
            future = threads.submit(() -> {
                Thread thread = Thread.currentThread();
                ClassLoader before = thread.getContextClassLoader();
                if (pluginLoader != null) {
                    thread.setContextClassLoader(pluginLoader);
                }
                try {
                    return body.call();
                } finally {
                    thread.setContextClassLoader(before);
                }
            });
        } catch (RejectedExecutionException e) {
            notRun.run();
            throw fail(plugin, what, e, LocalizedText.format(
                    "Das Plugin {0} ist ausgelastet: alle {1} Aufrufe in Plugins laufen noch. {2} wurde nicht aufgerufen.",
                    "The plugin {0} is overloaded: all {1} plugin calls are still running. {2} was not called.",
                    plugin.label(), threads.getMaximumPoolSize(), what));
        }
        try {
            return future.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            future.cancel(true);
            throw fail(plugin, what, e, LocalizedText.format(
                    "Das Plugin {0} hat bei {1} nicht innerhalb von {2} ms geantwortet.",
                    "The plugin {0} did not answer {1} within {2} ms.", plugin.label(), what, timeout.toMillis()));
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof PluginCallException known) {
                throw known;
            }
            throw fail(plugin, what, cause, LocalizedText.format(
                    "Das Plugin {0} ist bei {1} gescheitert: {2}", "The plugin {0} failed in {1}: {2}",
                    plugin.label(), what, describe(cause)));
        } catch (InterruptedException e) {
            future.cancel(true);
            Thread.currentThread().interrupt();
            throw fail(plugin, what, e, LocalizedText.format(
                    "Der Aufruf von {1} im Plugin {0} wurde abgebrochen.", "The call of {1} in the plugin {0} was interrupted.",
                    plugin.label(), what));
        }
    }

    private static String describe(Throwable cause) {
        String message = cause.getMessage();
        return message == null || message.isBlank() ? cause.getClass().getName() : message;
    }

    private static PluginCallException fail(PluginManifest plugin, String what, Throwable cause, LocalizedText text) {
        LOG.log(Level.WARNING, "Plugin " + plugin.label() + ", " + what + ": " + text.in("en"), cause);
        return new PluginCallException(plugin.id(), text, cause);
    }

    /**
     * Calls into a running generation: counted in it while the call runs (also past the caller's timeout), so that
     * a retiring generation is closed only when its calls have ended.
     *
     * @return what {@code body} returned, or {@link #RETIRED} when the generation no longer takes calls (look it up again)
     */
    @SuppressWarnings("unchecked")
    <T> T invoke(PluginGeneration generation, String what, Callable<T> body) {
        if (!generation.enter()) {
            return (T) RETIRED;
        }
        return run(generation.manifest(), what, generation.classLoader(), () -> {
            try {
                return body.call();
            } finally {
                generation.exit();
            }
        }, generation::exit);
    }

    /** Marks a call that found its generation retiring. */
    static final Object RETIRED = new Object();

    /** A call that answered something unusable: the plugin's fault, said like a failure. */
    static PluginCallException garbage(PluginManifest plugin, String what, String detail) {
        return fail(plugin, what, null, LocalizedText.format(
                "Das Plugin {0} hat bei {1} eine unbrauchbare Antwort gegeben: {2}",
                "The plugin {0} gave an unusable answer in {1}: {2}", plugin.label(), what, detail));
    }

    @Override
    public void close() {
        threads.shutdownNow();
    }
}
