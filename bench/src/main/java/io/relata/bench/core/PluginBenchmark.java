package io.relata.bench.core;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Enumeration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;

/**
 * The plugin benchmark (issue 13): the CRM started by run.sh on H2 with the shipped plugins, then through the admin
 * REST API (1) reinstall time of the insurance plugin, (2) upgrade time to a new version of it, (3) requests per
 * second of 4 clients saving policies (premium from the plugin's rule function) and reading one, in segments
 * without and during back-to-back upgrades, interleaved, with every failed request counted, and (4) the plugin
 * class loaders still alive after the upgrades and a full GC (jcmd VM.classloader_stats). Bounded, loopback only.
 */
public final class PluginBenchmark {

    private static final String PASSWORD = "bench-chief-passphrase-2026";
    private static final int CLIENTS = 4;

    private final Path repository = Path.of(System.getProperty("bench.repository", ".")).toAbsolutePath().normalize();
    private final int port = Integer.getInteger("bench.port", 18090);
    private final int cycles = Integer.getInteger("bench.cycles", 5);
    private final int seconds = Integer.getInteger("bench.seconds", 10);
    private final Path work = repository.resolve("bench/target/plugins");
    private final Path report = Path.of(System.getProperty("bench.out",
            repository.resolve("bench/results/" + LocalDate.now() + "-plugins.md").toString()));
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private final String authorization = "Basic " + Base64.getEncoder().encodeToString(("admin:" + PASSWORD)
            .getBytes(StandardCharsets.UTF_8));
    private URI base;
    private int nextPatch = 1;

    public static void main(String[] args) throws Exception {
        new PluginBenchmark().run();
    }

    private void run() throws Exception {
        deleteRecursively(work);
        Files.createDirectories(work);
        Path shipped;
        try (var jars = Files.list(repository.resolve("plugins/insurance/target"))) {
            shipped = jars.filter(p -> p.getFileName().toString().matches("insurance-[0-9.]+\\.jar")).findFirst()
                    .orElseThrow(() -> new IllegalStateException("build plugins/insurance first"));
        }
        List<String> lines = new ArrayList<>();
        try (Server server = Server.start(repository, Map.of("CRM_DATA_DIR", work.resolve("data").toString(),
                "CRM_ADMIN_PASSWORD", PASSWORD), port, work.resolve("server.log"), Duration.ofMinutes(5))) {
            base = server.base();
            lines.add("# Plugin benchmark, " + LocalDate.now());
            lines.add("");
            lines.add("CRM on H2 started by `platform/run.sh` (port " + port + ", demo data on, both shipped plugins "
                    + "installed at start); " + Runtime.getRuntime().availableProcessors() + " cores, load before: "
                    + Files.readString(Path.of("/proc/loadavg")).strip() + ". Server ready in " + server.readyMillis()
                    + " ms.");
            long holder = id(send("POST", "/api/v1/records/contact", json("{\"values\": {\"first_name\": \"Bench\", "
                    + "\"last_name\": \"Holder\"}}"), 201));

            // (1) reinstall: uninstall (data stays) and install the same jar again
            List<Long> installs = new ArrayList<>();
            for (int i = 0; i < cycles; i++) {
                send("DELETE", "/api/v1/admin/plugins/insurance", HttpRequest.BodyPublishers.noBody(), 200);
                long started = System.nanoTime();
                send("POST", "/api/v1/admin/plugins?fileName=insurance.jar", HttpRequest.BodyPublishers.ofFile(shipped), 200);
                installs.add((System.nanoTime() - started) / 1_000_000);
            }
            // (2) upgrades to 1.0.1, 1.0.2, … (the same classes and metadata, a new version and jar hash)
            List<Long> upgrades = new ArrayList<>();
            for (int i = 0; i < cycles; i++) {
                upgrades.add(upgrade(shipped));
            }
            // (3) load without and during upgrades, interleaved
            long[][] quiet = new long[2][];
            long[][] upgrading = new long[2][];
            int upgradesUnderLoad = 0;
            for (int round = 0; round < 2; round++) {
                quiet[round] = load(holder, shipped, false, null);
                AtomicLong count = new AtomicLong();
                upgrading[round] = load(holder, shipped, true, count);
                upgradesUnderLoad += (int) count.get();
            }
            // (4) plugin class loaders alive after a full GC
            server.jcmdOutput("GC.run");
            Thread.sleep(2000);
            server.jcmdOutput("GC.run");
            String stats = server.jcmdOutput("VM.classloader_stats");
            long alive = stats.lines().filter(l -> l.contains("org.pf4j.PluginClassLoader")).count();
            int versions = 1 + cycles + upgradesUnderLoad + cycles; // loaded insurance generations over the run

            lines.add("");
            lines.add("| measure | median | all (ms) |");
            lines.add("|---|---|---|");
            lines.add("| reinstall of the insurance plugin (REST, metadata of all layers checked, demo seed skipped) | "
                    + median(installs) + " ms | " + installs + " |");
            lines.add("| upgrade to a new version (REST) | " + median(upgrades) + " ms | " + upgrades + " |");
            lines.add("");
            lines.add("Load: " + CLIENTS + " clients, each in a loop POST a policy (premium and instalment computed by "
                    + "`insurance.premium`) and GET it; " + seconds + " s per segment, segments interleaved.");
            lines.add("");
            lines.add("| segment | requests | failed | requests/s | upgrades during it |");
            lines.add("|---|---|---|---|---|");
            for (int round = 0; round < 2; round++) {
                lines.add(row("without upgrades, round " + (round + 1), quiet[round]));
                lines.add(row("during back-to-back upgrades, round " + (round + 1), upgrading[round]));
            }
            double quietRate = (quiet[0][0] + quiet[1][0]) / (2.0 * seconds);
            double upgradingRate = (upgrading[0][0] + upgrading[1][0]) / (2.0 * seconds);
            lines.add("");
            lines.add(String.format("Requests per second during upgrades vs without: %.2f (%.1f vs %.1f).",
                    upgradingRate / quietRate, upgradingRate, quietRate));
            lines.add("");
            lines.add("Plugin class loaders alive after the run and two full GCs (`jcmd VM.classloader_stats`, "
                    + "`org.pf4j.PluginClassLoader`): **" + alive + "** (the enabled insurance and telco versions) of "
                    + (versions + 1) + " loaded over the run (" + versions + " insurance generations, 1 telco).");
        }
        Files.createDirectories(report.getParent());
        Files.write(report, lines);
        lines.forEach(System.out::println);
        System.out.println("Report: " + report);
    }

    /** Upgrades to the next patch version; returns the time of the PUT in ms. */
    private long upgrade(Path shipped) throws Exception {
        Path jar = withVersion(shipped, "1.0." + nextPatch++);
        long started = System.nanoTime();
        send("PUT", "/api/v1/admin/plugins/insurance?fileName=" + jar.getFileName(), HttpRequest.BodyPublishers.ofFile(jar), 200);
        return (System.nanoTime() - started) / 1_000_000;
    }

    /** {requests, failed, upgrades} of one segment. */
    private long[] load(long holder, Path shipped, boolean upgrading, AtomicLong upgrades) throws Exception {
        AtomicBoolean running = new AtomicBoolean(true);
        AtomicLong requests = new AtomicLong();
        AtomicLong failed = new AtomicLong();
        ExecutorService clients = Executors.newFixedThreadPool(CLIENTS);
        List<Future<?>> clientRuns = new ArrayList<>();
        for (int c = 0; c < CLIENTS; c++) {
            int client = c;
            clientRuns.add(clients.submit(() -> {
                int n = 0;
                while (running.get()) {
                    String number = "B-" + (upgrading ? "U" : "Q") + "-" + System.nanoTime() + "-" + client + "-" + n++;
                    try {
                        HttpResponse<String> created = http.send(request("POST", "/api/v1/records/policy", json(
                                "{\"values\": {\"number\": \"" + number + "\", \"holder\": " + holder + ", \"line\": "
                                        + "\"liability\", \"sum_insured\": 1000000, \"payment_frequency\": \"monthly\"}}")),
                                HttpResponse.BodyHandlers.ofString());
                        requests.incrementAndGet();
                        if (created.statusCode() != 201 || !created.body().contains("\"premium\":630")) {
                            failed.incrementAndGet();
                            System.err.println("failed: " + created.statusCode() + " " + created.body());
                            continue;
                        }
                        HttpResponse<String> read = http.send(request("GET", "/api/v1/records/policy/" + id(created.body()),
                                HttpRequest.BodyPublishers.noBody()), HttpResponse.BodyHandlers.ofString());
                        requests.incrementAndGet();
                        if (read.statusCode() != 200) {
                            failed.incrementAndGet();
                        }
                    } catch (IOException | InterruptedException e) {
                        failed.incrementAndGet();
                    }
                }
                return null;
            }));
        }
        long end = System.nanoTime() + Duration.ofSeconds(seconds).toNanos();
        while (System.nanoTime() < end) {
            if (upgrading) {
                upgrade(shipped);
                upgrades.incrementAndGet();
            } else {
                Thread.sleep(50);
            }
        }
        running.set(false);
        for (Future<?> client : clientRuns) {
            client.get();
        }
        clients.shutdown();
        return new long[] {requests.get(), failed.get(), upgrading ? upgrades.get() : 0};
    }

    private String row(String segment, long[] figures) {
        return "| " + segment + " | " + figures[0] + " | " + figures[1] + " | "
                + String.format("%.1f", figures[0] / (double) seconds) + " | " + (figures[2] == 0 ? "–" : figures[2]) + " |";
    }

    /** The jar with another Plugin-Version in its manifest (so another hash): what a partner's patch release is. */
    private Path withVersion(Path jar, String version) throws IOException {
        Path out = work.resolve("insurance-" + version + ".jar");
        try (JarFile in = new JarFile(jar.toFile())) {
            Manifest manifest = new Manifest(in.getManifest());
            manifest.getMainAttributes().put(new Attributes.Name("Plugin-Version"), version);
            try (OutputStream file = Files.newOutputStream(out); JarOutputStream target = new JarOutputStream(file, manifest)) {
                Enumeration<JarEntry> entries = in.entries();
                while (entries.hasMoreElements()) {
                    JarEntry entry = entries.nextElement();
                    if (entry.getName().equals(JarFile.MANIFEST_NAME)) {
                        continue;
                    }
                    target.putNextEntry(new JarEntry(entry.getName()));
                    try (InputStream content = in.getInputStream(entry)) {
                        content.transferTo(target);
                    }
                    target.closeEntry();
                }
            }
        }
        return out;
    }

    private HttpRequest request(String method, String path, HttpRequest.BodyPublisher body) {
        HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofMinutes(2))
                .header("Authorization", authorization).method(method, body);
        if (path.contains("/admin/plugins") && !"DELETE".equals(method)) {
            request.header("Content-Type", "application/java-archive");
        } else if (!"GET".equals(method) && !"DELETE".equals(method)) {
            request.header("Content-Type", "application/json");
        }
        return request.build();
    }

    private String send(String method, String path, HttpRequest.BodyPublisher body, int expected) throws Exception {
        HttpResponse<String> response = http.send(request(method, path, body), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != expected) {
            throw new IllegalStateException(method + " " + path + " answered " + response.statusCode() + ": " + response.body());
        }
        return response.body();
    }

    private static HttpRequest.BodyPublisher json(String text) {
        return HttpRequest.BodyPublishers.ofString(text);
    }

    private static long id(String json) {
        return Crm.parse(json).getJsonNumber("id").longValue();
    }

    private static long median(List<Long> values) {
        List<Long> sorted = values.stream().sorted().toList();
        return sorted.get(sorted.size() / 2);
    }

    private static void deleteRecursively(Path path) throws IOException {
        if (!Files.exists(path)) {
            return;
        }
        try (var walk = Files.walk(path)) {
            for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
