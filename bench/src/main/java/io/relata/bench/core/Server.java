package io.relata.bench.core;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The CRM started by {@code platform/run.sh} (which replaces itself with the server's JVM, so the process started
 * here is the server), on loopback, against the benchmark's PostgreSQL database; its log goes to a file.
 */
final class Server implements AutoCloseable {

    private static final Pattern STARTED = Pattern.compile("Relata CRM started in (\\d+) ms \\(([^)]*)\\)");

    private final Process process;
    private final Path log;
    private final URI base;
    private final long readyMillis;

    private Server(Process process, Path log, URI base, long readyMillis) {
        this.process = process;
        this.log = log;
        this.base = base;
        this.readyMillis = readyMillis;
    }

    /** Starts the server and waits until /health/ready answers 200 (at most {@code timeout}). */
    static Server start(Path repository, Map<String, String> environment, int port, Path log, Duration timeout)
            throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder(repository.resolve("platform/run.sh").toString())
                .directory(repository.toFile())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile());
        builder.environment().putAll(environment);
        builder.environment().put("CRM_HTTP_PORT", Integer.toString(port));
        URI base = URI.create("http://127.0.0.1:" + port);
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        long started = System.nanoTime();
        Process process = builder.start();
        long deadline = started + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("The CRM exited with status " + process.exitValue() + " before it was ready; see " + log);
            }
            try {
                HttpResponse<Void> ready = http.send(HttpRequest.newBuilder(base.resolve("/health/ready"))
                        .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.discarding());
                if (ready.statusCode() == 200) {
                    return new Server(process, log, base, (System.nanoTime() - started) / 1_000_000);
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            Thread.sleep(100);
        }
        process.destroy();
        throw new IllegalStateException("The CRM was not ready within " + timeout + "; see " + log);
    }

    URI base() {
        return base;
    }

    long pid() {
        return process.pid();
    }

    /** From starting run.sh to the first 200 of /health/ready, as a load balancer would see it. */
    long readyMillis() {
        return readyMillis;
    }

    /** "{@code what}: ready after … ms …": the readiness time, the CRM's own start line and the RSS at ready, for a report. */
    String describe(String what) throws IOException {
        return String.format(java.util.Locale.ROOT, "%s: ready after %,d ms (run.sh to the first 200 of /health/ready; "
                + "load average %s); the CRM's own line: %s; RSS at ready %d MiB", what, readyMillis, Report.loadAverage(),
                startLine(), rssMib());
    }

    /** The server's own start line: total and phases ("Relata CRM started in … ms (…)"), or empty. */
    String startLine() throws IOException {
        Matcher started = STARTED.matcher(Files.readString(log));
        return started.find() ? started.group(1) + " ms (" + started.group(2) + ")" : "";
    }

    /**
     * Starts a Java Flight Recorder profile of the server ({@code jcmd} of the server's own JDK), written to
     * {@code file} when the server stops or {@link #dumpRecording} is called.
     */
    void startRecording(Path file) throws IOException, InterruptedException {
        jcmd("JFR.start", "name=bench", "settings=profile", "filename=" + file.toAbsolutePath());
    }

    void dumpRecording(Path file) throws IOException, InterruptedException {
        jcmd("JFR.dump", "name=bench", "filename=" + file.toAbsolutePath());
    }

    /** Runs a jcmd command against the server and returns what it printed. */
    String jcmdOutput(String... command) throws IOException, InterruptedException {
        return jcmd(command);
    }

    /** A tool of the JDK the server runs on ({@code jcmd}, {@code jfr}). */
    Path jdkTool(String name) throws IOException {
        return Path.of("/proc", Long.toString(process.pid()), "exe").toRealPath().resolveSibling(name);
    }

    private String jcmd(String... command) throws IOException, InterruptedException {
        List<String> line = new ArrayList<>(List.of(jdkTool("jcmd").toString(), Long.toString(process.pid())));
        line.addAll(List.of(command));
        Process jcmd = new ProcessBuilder(line).redirectErrorStream(true).start();
        String output = new String(jcmd.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (jcmd.waitFor() != 0) {
            throw new IllegalStateException(String.join(" ", line) + " failed: " + output);
        }
        return output;
    }

    /** Resident set size of the server's JVM, in MiB, from /proc. */
    long rssMib() throws IOException {
        return statusKib("VmRSS") / 1024;
    }

    /** The largest resident set size the JVM has had, in MiB. */
    long peakRssMib() throws IOException {
        return statusKib("VmHWM") / 1024;
    }

    private long statusKib(String key) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc", Long.toString(process.pid()), "status"))) {
            if (line.startsWith(key + ":")) {
                return Long.parseLong(line.replaceAll("\\D", ""));
            }
        }
        throw new IllegalStateException(key + " not in /proc/" + process.pid() + "/status");
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            process.waitFor();
        }
    }
}
