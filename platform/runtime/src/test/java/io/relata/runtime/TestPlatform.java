package io.relata.runtime;

import io.relata.api.model.MetadataModel;
import io.relata.api.security.Actor;
import io.relata.metadata.MetadataLimits;
import io.relata.process.MailSettings;
import io.relata.process.Outbox;
import io.relata.process.ProcessEngine;
import io.relata.process.ProcessSettings;
import io.relata.rules.RuleEngine;
import io.relata.rules.RuleLimits;
import io.relata.store.JdbcRecordStore;
import io.relata.store.JdbcTransactions;
import io.relata.store.RecordWriteHook;
import io.relata.store.SecuredRecordStore;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The parts of the platform a test of customer work needs, on the shipped metadata (plus {@code extra} directories),
 * on H2 or PostgreSQL (a schema of its own): the record store with the process engine and further hooks in the write
 * path, as {@link Platform} wires them.
 */
public final class TestPlatform implements AutoCloseable {

    private static final Path METADATA = Path.of("../../metadata");

    public final Database database;
    public final RuleEngine rules;
    public final MetadataModel model;
    public final JdbcTransactions transactions;
    public JdbcRecordStore system;
    public final AuditLog audit;
    public final Outbox outbox;
    /** The process engine in the write path (for {@link io.relata.process.Timers} in tests). */
    public final ProcessEngine processes;
    private final TestDatabase opened;

    /**
     * @param kind  "h2" or "postgresql"
     * @param hooks the hooks besides the processes, made from this platform once its database is open (they may
     *              write through {@link #system} when they run)
     */
    public TestPlatform(String kind, List<Path> extra, Clock clock, Function<TestPlatform, RecordWriteHook> hooks)
            throws Exception {
        this(kind, extra, clock, hooks, Clock.systemUTC());
    }

    /** @param rulesClock the "today" of rules (the real one for the other constructor) */
    public TestPlatform(String kind, List<Path> extra, Clock clock, Function<TestPlatform, RecordWriteHook> hooks,
                        Clock rulesClock) throws Exception {
        opened = TestDatabase.open(kind);
        database = opened.database();
        rules = new RuleEngine(RuleLimits.DEFAULT, rulesClock);
        MetadataRuntime metadata = new MetadataRuntime(database, rules, METADATA, extra, List::of, MetadataLimits.DEFAULT);
        metadata.load(MetadataRevision.Trigger.STARTUP);
        model = metadata.model();
        transactions = new JdbcTransactions(database.dataSource(), database.schemaGate());
        outbox = new Outbox(transactions, clock, MailSettings.NONE, Map::of, Outbox.Policy.DEFAULT, "test");
        JdbcRecordStore[] store = new JdbcRecordStore[1];
        processes = new ProcessEngine(() -> model, rules, clock, () -> store[0],
                new UserAssignees(database.dataSource()), outbox, new ProcessSettings("http://localhost:8080", "en", "test"));
        store[0] = new JdbcRecordStore(transactions, () -> model, clock, rules)
                .withHook(RecordWriteHook.both(hooks.apply(this), processes));
        system = store[0];
        audit = new AuditLog(database.dataSource());
    }

    /** Where the demo data and imports put the phase histories records had before. */
    public io.relata.process.CaseHistoryImport histories() {
        return new io.relata.process.CaseHistoryImport(transactions, () -> model);
    }

    public SecuredRecordStore as(Actor actor) {
        return new SecuredRecordStore(system, () -> model, () -> actor, audit);
    }

    @Override
    public void close() throws Exception {
        rules.close();
        opened.close();
    }
}
