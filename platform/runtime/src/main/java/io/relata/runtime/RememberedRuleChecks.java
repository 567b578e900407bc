package io.relata.runtime;

import io.relata.api.model.EntityDefinition;
import io.relata.api.process.DialogDefinition;
import io.relata.api.process.ProcessDefinition;
import io.relata.metadata.MetadataProblem;
import io.relata.metadata.RuleVerifier;
import io.relata.rules.RuleEngine;
import io.relata.runtime.ProcessRules;
import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.CodeSource;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;
import javax.sql.DataSource;

/**
 * Skips the compile checks and example runs of rules that passed them before and have not changed: most of a
 * start's metadata time went into checking the same rules again (8 of 14 s on this machine). A check is known
 * by a SHA-256 fingerprint of everything its outcome depends on: the entity as loaded (its fields, the rules'
 * source text, the examples), the scripts of the process or dialog, the rule limits and the rule engine's build
 * (the relata-rules jar's bytes and the GraalJS jars). Only passes are remembered: a check that fails runs again
 * every time and reports. They are kept in {@code crm_passed_rule_check}, shared by all nodes; a pass older than
 * {@link #RECHECK_AFTER} is dropped, so every check runs again now and then (a rule whose example depends on
 * today's date is caught then, or by the next change).
 */
final class RememberedRuleChecks implements RuleVerifier {

    private static final Logger LOG = Logger.getLogger(RememberedRuleChecks.class.getName());
    static final Duration RECHECK_AFTER = Duration.ofDays(90);

    private final RuleVerifier checks;
    private final DataSource database;
    private final Supplier<String> engine;
    private final Supplier<Instant> now;
    private Set<String> passed;
    private int run;
    private int remembered;

    RememberedRuleChecks(RuleVerifier checks, DataSource database, String engine, Supplier<Instant> now) {
        this(checks, database, () -> engine, now);
    }

    /** @param engine read at every check: it includes the plugins' rule functions, which change without a restart */
    RememberedRuleChecks(RuleVerifier checks, DataSource database, Supplier<String> engine, Supplier<Instant> now) {
        this.checks = checks;
        this.database = database;
        this.engine = engine;
        this.now = now;
    }

    /** What the checks' outcome depends on besides the metadata: the engine's build and its limits. */
    static String engineFingerprint(RuleEngine rules) {
        return contentOf(RuleEngine.class) + "|" + locationOf(org.graalvm.polyglot.Context.class) + "|"
                + rules.limits();
    }

    @Override
    public List<MetadataProblem> check(EntityDefinition entity) {
        return remembered("check", canonical(entity), () -> checks.check(entity));
    }

    @Override
    public List<MetadataProblem> runExamples(EntityDefinition entity) {
        return remembered("examples", canonical(entity), () -> checks.runExamples(entity));
    }

    @Override
    public List<MetadataProblem> check(EntityDefinition entity, ProcessDefinition process) {
        return remembered("process", canonical(entity) + "\n" + canonical(ProcessRules.of(process)), () -> checks.check(entity, process));
    }

    @Override
    public List<MetadataProblem> check(EntityDefinition entity, DialogDefinition dialog) {
        return remembered("dialog", canonical(entity) + "\n" + canonical(ProcessRules.of(dialog)), () -> checks.check(entity, dialog));
    }

    /** How many checks ran and how many were remembered since the last call; then starts counting again. */
    synchronized String takeSummary() {
        String summary = run + " rule check(s) run, " + remembered + " unchanged and passed before";
        run = 0;
        remembered = 0;
        return summary;
    }

    /**
     * {@code check}'s findings, or none without running it if it found none before for the same {@code subject}
     * (written out with {@link #canonical}) and engine: for other checks that run rules at a load.
     */
    <T> List<T> rememberedWhenEmpty(String kind, String subject, Supplier<List<T>> check) {
        return remembered(kind, subject, check);
    }

    private synchronized <T> List<T> remembered(String kind, String subject, Supplier<List<T>> check) {
        String fingerprint = sha256(engine.get() + "\n" + kind + "\n" + subject);
        if (passed().contains(fingerprint)) {
            remembered++;
            return List.of();
        }
        run++;
        List<T> problems = check.get();
        if (problems.isEmpty()) {
            remember(fingerprint);
        }
        return problems;
    }

    private Set<String> passed() {
        if (passed == null) {
            passed = new HashSet<>();
            try (Connection c = database.getConnection()) {
                try (PreparedStatement expire = c.prepareStatement("DELETE FROM crm_passed_rule_check WHERE passed_at < ?")) {
                    expire.setTimestamp(1, Timestamp.from(now.get().minus(RECHECK_AFTER)));
                    expire.executeUpdate();
                }
                try (PreparedStatement read = c.prepareStatement("SELECT fingerprint FROM crm_passed_rule_check");
                     ResultSet rows = read.executeQuery()) {
                    while (rows.next()) {
                        passed.add(rows.getString(1).trim());
                    }
                }
            } catch (SQLException e) {
                LOG.log(Level.WARNING, "Passed rule checks could not be read; all rules are checked", e);
            }
        }
        return passed;
    }

    private void remember(String fingerprint) {
        passed.add(fingerprint);
        try (Connection c = database.getConnection();
             PreparedStatement insert = c.prepareStatement(
                     "INSERT INTO crm_passed_rule_check (fingerprint, passed_at) VALUES (?, ?)")) {
            insert.setString(1, fingerprint);
            insert.setTimestamp(2, Timestamp.from(now.get()));
            insert.executeUpdate();
        } catch (SQLException e) {
            // another node remembered it first, or the database refused: the check runs again next time
            LOG.log(Level.FINE, "Passed rule check not stored", e);
        }
    }

    /** See {@link io.relata.metadata.Canonical#of}. */
    static String canonical(Object value) {
        return io.relata.metadata.Canonical.of(value);
    }

    private static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * The SHA-256 of the jar {@code type} was loaded from; a value of its own for each JVM when that is not a
     * jar (classes in a directory, as in tests), so that nothing is remembered across builds then.
     */
    static String contentOf(Class<?> type) {
        Path jar = jarOf(type);
        if (jar != null) {
            try (InputStream in = Files.newInputStream(jar)) {
                MessageDigest digest = MessageDigest.getInstance("SHA-256");
                byte[] buffer = new byte[65536];
                for (int n; (n = in.read(buffer)) > 0; ) {
                    digest.update(buffer, 0, n);
                }
                return HexFormat.of().formatHex(digest.digest());
            } catch (IOException | NoSuchAlgorithmException e) {
                LOG.log(Level.FINE, "Rule engine jar not readable", e);
            }
        }
        return "this-jvm-" + PER_JVM;
    }

    private static final UUID PER_JVM = UUID.randomUUID();

    /** The jar's file name (it holds the version) or the same per-JVM value. */
    private static String locationOf(Class<?> type) {
        Path jar = jarOf(type);
        return jar == null ? "this-jvm-" + PER_JVM : jar.getFileName().toString();
    }

    private static Path jarOf(Class<?> type) {
        CodeSource source = type.getProtectionDomain().getCodeSource();
        if (source == null || source.getLocation() == null) {
            return null;
        }
        try {
            Path path = Path.of(source.getLocation().toURI());
            return Files.isRegularFile(path) ? path : null;
        } catch (URISyntaxException | IllegalArgumentException | java.nio.file.FileSystemNotFoundException e) {
            return null;
        }
    }
}
