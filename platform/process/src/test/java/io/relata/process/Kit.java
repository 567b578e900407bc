package io.relata.process;

import io.relata.api.model.MetadataModel;
import io.relata.api.plugin.ProcessExtension;
import io.relata.api.record.Record;
import io.relata.api.security.Actor;
import io.relata.store.AuditSink;
import io.relata.store.JdbcRecordStore;
import io.relata.store.JdbcTransactions;
import io.relata.store.SchemaMigrator;
import io.relata.store.SecuredRecordStore;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Everything a process test needs on one fresh database: the record tables of the model, the process tables,
 * a movable clock, the real rule engine, users, and a "node" (engine, stores, outbox, timers) — more nodes on
 * the same database stand for other servers, or for this one after a restart.
 */
final class Kit implements AutoCloseable {

    static final Instant START = Instant.parse("2026-03-02T09:00:00Z");
    static final Actor ANNA = Actor.user(7, "anna", Set.of(Models.ADMINISTRATOR), List.of(3L));
    static final String BASE_URL = "https://crm.example.com";

    final TestDb db;
    final MutableClock clock = new MutableClock(START);
    final AtomicReference<MetadataModel> model;
    final TestAssignees assignees = new TestAssignees()
            .user(7, "anna", "anna@example.com", List.of("sales"), List.of(3L))
            .user(8, "boris", "boris@example.com", List.of("sales_manager"), List.of(4L))
            .user(9, "clara", "clara@example.com", List.of("sales_manager"), List.of(3L));
    final Map<String, ProcessExtension> extensions = new ConcurrentHashMap<>();
    /** What the nodes' outboxes ask integrations through; tests replace it. */
    volatile IntegrationGateway integrations = IntegrationGateway.NONE;
    final MailSettings mail;
    final Outbox.Policy policy;
    final Node node;

    /** One server's process runtime. */
    final class Node {
        final String name;
        final JdbcRecordStore store;
        final ProcessEngine engine;
        final Outbox outbox;
        final Timers timers;
        final ProcessCases cases;
        final CaseHistoryImport histories;

        Node(String name) {
            this.name = name;
            JdbcTransactions transactions = new JdbcTransactions(db.dataSource());
            AtomicReference<JdbcRecordStore> system = new AtomicReference<>();
            outbox = new Outbox(transactions, clock, mail, () -> extensions, policy, name).withIntegrations(
                    (integration, operation, payload, entity, recordId, actor) -> integrations.call(integration,
                            operation, payload, entity, recordId, actor), system::get, "de");
            engine = new ProcessEngine(model::get, TestRules.rules(), clock, system::get, assignees, outbox,
                    new ProcessSettings(BASE_URL, "de", name));
            store = new JdbcRecordStore(transactions, model::get, clock, TestRules.rules()).withHook(engine);
            system.set(store);
            timers = new Timers(engine);
            cases = new ProcessCases(transactions, model::get);
            histories = new CaseHistoryImport(transactions, model::get);
        }

        /** The store as a user sees it (records they create are theirs). */
        SecuredRecordStore as(Actor actor) {
            return new SecuredRecordStore(store, model::get, () -> actor, AuditSink.NONE);
        }
    }

    private Kit(TestDb.Kind kind, MetadataModel initial, MailSettings mail, Outbox.Policy policy) {
        TestRules.useClock(clock);
        this.db = TestDb.open(kind);
        this.model = new AtomicReference<>(initial);
        this.mail = mail;
        this.policy = policy;
        new SchemaMigrator().migrate(initial, db.dataSource());
        this.node = new Node("node-1");
    }

    static Kit open(TestDb.Kind kind, MetadataModel model) {
        return new Kit(kind, model, MailSettings.NONE, Outbox.Policy.DEFAULT);
    }

    static Kit open(TestDb.Kind kind, MetadataModel model, MailSettings mail, Outbox.Policy policy) {
        return new Kit(kind, model, mail, policy);
    }

    /** Another server on the same database (or this one after a restart: nothing kept in memory). */
    Node node(String name) {
        return new Node(name);
    }

    /** A metadata reload. */
    void reload(MetadataModel next) {
        model.set(next);
        new SchemaMigrator().migrate(next, db.dataSource());
    }

    OffsetDateTime now() {
        return OffsetDateTime.ofInstant(clock.instant(), ZoneOffset.UTC);
    }

    void advance(Duration by) {
        clock.advance(by);
    }

    Record find(String entity, long id) {
        return node.store.get(entity, id);
    }

    @Override
    public void close() {
        db.close();
    }
}
