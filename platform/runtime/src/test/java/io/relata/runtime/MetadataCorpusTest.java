package io.relata.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.assertj.core.api.Assertions.fail;

import io.relata.metadata.MetadataException;
import io.relata.metadata.MetadataLimits;
import io.relata.metadata.MetadataProblem;
import io.relata.rules.RuleEngine;
import io.relata.rules.RuleLimits;
import io.relata.runtime.MetadataMutations.Expect;
import io.relata.runtime.MetadataMutations.Mutation;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.TestInstance;

/**
 * The metadata corpus ({@link MetadataMutations}, fixed seed) reloaded into a running metadata runtime on a real
 * database: every case either loads, or is refused with the right file, line, column and code, a fix and the status
 * a reload would answer, and a start with the same files (a fresh runtime on the same database; the first refused case
 * of each family) stops with exit status 2 — and after every refusal the model in force is still the one before and the stored records are kept. The corpus is drawn from the shipped metadata, so it grows with it.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class MetadataCorpusTest {

    private static final long SEED = 11;
    private static final List<Set<String>> ADMINISTRATORS = List.of(Set.of("administrator"), Set.of("sales"));

    private Path work;
    private Path root;
    private Database database;
    private RuleEngine rules;
    private MetadataRuntime runtime;
    private String baseline;
    private final Map<String, int[]> counts = new TreeMap<>();
    private final List<Long> latencies = Collections.synchronizedList(new ArrayList<>());
    /**
     * The families whose first refused case was also started with: a start reads the files as a reload does, so the
     * start's exit status is checked once per kind of problem (each check is a second load: half the corpus's time).
     */
    private final Set<String> startsChecked = new java.util.HashSet<>();

    /** The database the corpus runs on, empty. */
    abstract Database openDatabase() throws Exception;

    /** Called after the database is closed. */
    void dropDatabase() throws Exception {
    }

    /** Whether this database runs the case: all of them, unless the database cannot matter to it. */
    boolean runs(Mutation mutation) {
        return true;
    }

    @BeforeAll
    void startRuntime() throws Exception {
        work = Files.createTempDirectory("corpus");
        root = work.resolve("metadata");
        copy(Path.of("../../metadata"), root);
        database = openDatabase();
        rules = new RuleEngine(RuleLimits.DEFAULT, Clock.systemUTC());
        runtime = new MetadataRuntime(database, rules, root, List.of(), () -> ADMINISTRATORS,
                MetadataLimits.DEFAULT);
        baseline = runtime.load(MetadataRevision.Trigger.STARTUP).revision();
        storeRecordsTheSchemaConflictsContradict();
    }

    /**
     * What {@link MetadataMutations}' schema conflicts need: two insurance accounts, a contact of the first, an
     * activity with that contact.
     */
    private void storeRecordsTheSchemaConflictsContradict() throws Exception {
        try (Connection connection = database.dataSource().getConnection();
             Statement statement = connection.createStatement()) {
            statement.executeUpdate("INSERT INTO \"rec_account\" (\"id\", \"version\", \"created_at\", \"updated_at\", "
                    + "\"name\", \"industry\", \"employees\", \"city\", \"annual_revenue\") VALUES "
                    + "(1, 1, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP, 'Alpha Versicherung AG', 'insurance', 120, 'Berlin', "
                    + "1234567.89), (2, 1, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP, 'Beta Versicherung AG', 'insurance', 80, "
                    + "'Hamburg', 5000)");
            statement.executeUpdate("INSERT INTO \"rec_contact\" (\"id\", \"version\", \"created_at\", \"updated_at\", "
                    + "\"last_name\", \"account\") VALUES (1, 1, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP, 'Muster', 1)");
            statement.executeUpdate("INSERT INTO \"rec_activity\" (\"id\", \"version\", \"created_at\", \"updated_at\", "
                    + "\"subject\", \"contact\") VALUES (1, 1, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP, 'Call', 1)");
        }
    }

    @AfterAll
    void report() throws Exception {
        if (rules != null) {
            rules.close();
        }
        if (database != null) {
            database.close();
            dropDatabase();
        }
        deleteRecursively(work);
        List<Long> sorted = new ArrayList<>(latencies);
        Collections.sort(sorted);
        StringBuilder text = new StringBuilder("Metadata corpus on " + getClass().getSimpleName() + " (seed " + SEED + "): ");
        counts.forEach((family, counts) -> text.append(family).append(' ').append(counts[0]).append(", "));
        if (!sorted.isEmpty()) {
            text.append("total ").append(sorted.size()).append("; reload latency median ")
                    .append(sorted.get(sorted.size() / 2)).append(" ms, max ").append(sorted.get(sorted.size() - 1))
                    .append(" ms");
        }
        System.out.println(text);
    }

    @TestFactory
    Stream<DynamicTest> everyCaseLoadsOrIsRefusedPrecisely() {
        List<Mutation> corpus = MetadataMutations.generate(root, SEED);
        assertThat(corpus).as("corpus size").hasSizeGreaterThanOrEqualTo(Integer.getInteger("corpus.min", 300));
        return corpus.stream().filter(this::runs)
                .map(mutation -> DynamicTest.dynamicTest(mutation.toString(), () -> run(mutation)));
    }

    private void run(Mutation mutation) throws IOException, MetadataException {
        counts.computeIfAbsent(mutation.family(), f -> new int[1])[0]++;
        Map<String, byte[]> originals = new TreeMap<>();
        for (String path : mutation.changes().keySet()) {
            Path file = root.resolve(path);
            originals.put(path, Files.exists(file) ? Files.readAllBytes(file) : null);
        }
        write(mutation.changes());
        try {
            Expect expect = mutation.expect();
            long started = System.nanoTime();
            Throwable failure = null;
            MetadataRuntime.LoadReport report = null;
            try {
                report = runtime.load(MetadataRevision.Trigger.RELOAD);
            } catch (RuntimeException | MetadataException | StackOverflowError e) {
                failure = e;
            }
            latencies.add((System.nanoTime() - started) / 1_000_000);
            if (expect.loads()) {
                if (failure != null) {
                    fail("expected to load, but: " + failure, failure);
                }
                if (expect.code() != null) {
                    assertThat(report.warnings()).as("warnings").anyMatch(w -> w.contains("[" + expect.code() + "]"));
                }
                assertRecordsKept();
                return;
            }
            assertThat(failure).as("the reload must be refused").isNotNull();
            assertThat(statusOf(failure)).as("status of " + failure).isEqualTo(expect.status());
            if (startsChecked.add(mutation.family())) {
                MetadataRuntime starting = new MetadataRuntime(database, rules, root, List.of(), () -> ADMINISTRATORS,
                        MetadataLimits.DEFAULT);
                Throwable atStart = catchThrowable(() -> Platform.loadAtStart(starting));
                assertThat(atStart).as("a start with these files must stop").isNotNull();
                assertThat(StartFailure.exitStatus(atStart)).as("exit status of a start: " + atStart).isEqualTo(2);
            }
            assertThat(runtime.model().revision()).as("the model in force is unchanged").isEqualTo(baseline);
            assertRecordsKept();
            List<MetadataProblem> problems = problemsOf(failure);
            assertThat(problems).allSatisfy(p -> assertThat(p.fix()).as("fix of " + p).isNotBlank());
            assertThat(problems).as("a problem at %s:%d:%d [%s] among %s", expect.file(), expect.line(),
                    expect.column(), expect.code(), problems).anySatisfy(p -> {
                        assertThat(p.file()).isEqualTo(expect.file());
                        assertThat(p.code()).isEqualTo(expect.code());
                        assertThat(p.line()).isEqualTo(expect.line());
                        if (expect.column() > 0) {
                            assertThat(p.column()).isEqualTo(expect.column());
                        }
                        if (expect.fixMentions() != null) {
                            assertThat(p.fix()).contains(expect.fixMentions());
                        }
                    });
        } finally {
            write(originals);
            if (!runtime.model().revision().equals(baseline)) {
                assertThat(runtime.load(MetadataRevision.Trigger.RELOAD).revision()).isEqualTo(baseline);
            }
        }
    }

    /** Nothing stored is lost or changed by a refused or an accepted change. */
    private void assertRecordsKept() {
        try (Connection connection = database.dataSource().getConnection();
             Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("SELECT \"name\", \"industry\", \"city\" FROM \"rec_account\" "
                     + "ORDER BY \"id\"")) {
            List<String> kept = new ArrayList<>();
            while (rows.next()) {
                kept.add(rows.getString(1) + "/" + rows.getString(2) + "/" + rows.getString(3));
            }
            assertThat(kept).containsExactly("Alpha Versicherung AG/insurance/Berlin",
                    "Beta Versicherung AG/insurance/Hamburg");
        } catch (java.sql.SQLException e) {
            throw new AssertionError(e);
        }
    }

    /** The status the reload endpoint answers for what stopped a reload (see ProblemMapper). */
    private static int statusOf(Throwable failure) {
        if (failure instanceof MetadataException) {
            return 422;
        }
        if (failure instanceof SchemaConflictException) {
            return 409;
        }
        return 500;
    }

    private static List<MetadataProblem> problemsOf(Throwable failure) {
        if (failure instanceof MetadataException m) {
            return m.problems();
        }
        if (failure instanceof SchemaConflictException c) {
            return c.problems();
        }
        return List.of();
    }

    private void write(Map<String, byte[]> contents) throws IOException {
        for (Map.Entry<String, byte[]> change : contents.entrySet()) {
            Path file = root.resolve(change.getKey());
            if (change.getValue() == null) {
                Files.deleteIfExists(file);
                try (Stream<Path> left = Files.list(file.getParent())) {
                    if (left.findAny().isEmpty()) {
                        Files.delete(file.getParent()); // a folder only the mutation made
                    }
                }
            } else {
                Files.createDirectories(file.getParent());
                Files.write(file, change.getValue());
            }
        }
    }

    private static void deleteRecursively(Path path) throws IOException {
        if (path == null || !Files.exists(path)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(path)) {
            for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    private static void copy(Path from, Path to) throws IOException {
        try (Stream<Path> walk = Files.walk(from)) {
            for (Path path : walk.toList()) {
                Path target = to.resolve(from.relativize(path).toString());
                if (Files.isDirectory(path)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(path, target);
                }
            }
        }
    }
}
