package io.relata.store;

import static io.relata.api.model.FieldType.INTEGER;
import static io.relata.api.model.FieldType.TEXT;
import static io.relata.api.security.AccessScope.ALL;
import static io.relata.api.security.FieldAccess.HIDDEN;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.relata.api.model.MetadataModel;
import io.relata.api.record.Record;
import io.relata.api.record.RecordQuery;
import io.relata.api.security.Actor;
import io.relata.store.AuditEntry.Action;
import io.relata.store.AuditEntry.FieldChange;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Every write of the secured store is audited in its own transaction; a failing audit undoes the write. */
class AuditTest extends DatabaseTest {

    private static final MetadataModel MODEL = TestRoles.withRoles(new ModelBuilder()
                    .entity("deal", "title").field("title", TEXT).required().field("amount", INTEGER)
                    .field("notes", TEXT).build(),
            TestRoles.role("rep").grant("deal").create().all(ALL).field("notes", HIDDEN).build());

    private static final Actor ADA = Actor.user(10, "ada", Set.of("rep"), List.of(7L));

    private JdbcRecordStore system;
    private final List<AuditEntry> entries = new ArrayList<>();
    private AuditSink sink;

    @BeforeEach
    void migrate() {
        system = migratedStore(MODEL);
        db.execute("CREATE TABLE audit_test (entity VARCHAR(50), record_id BIGINT, action VARCHAR(10))");
        sink = (connection, entry) -> {
            entries.add(entry);
            try (PreparedStatement insert = connection.prepareStatement("INSERT INTO audit_test VALUES (?, ?, ?)")) {
                insert.setString(1, entry.entity());
                insert.setLong(2, entry.recordId());
                insert.setString(3, entry.action().name());
                insert.executeUpdate();
            }
        };
    }

    private SecuredRecordStore store(Actor actor, AuditSink audit) {
        return new SecuredRecordStore(system, () -> MODEL, () -> actor, audit);
    }

    @Test
    void createUpdateAndDeleteAreAuditedWithOldAndNewValues() {
        SecuredRecordStore store = store(ADA, sink);

        Record created = store.create("deal", Map.of("title", "Big", "amount", 5L));
        Record updated = store.update("deal", created.id(), 1, Map.of("amount", 6L, "title", "Big"));
        store.delete("deal", created.id(), 2L);

        assertThat(entries).extracting(AuditEntry::action).containsExactly(Action.CREATE, Action.UPDATE, Action.DELETE);
        AuditEntry create = entries.get(0);
        assertThat(create.entity()).isEqualTo("deal");
        assertThat(create.recordId()).isEqualTo(created.id());
        assertThat(create.actorId()).isEqualTo(10);
        assertThat(create.actorName()).isEqualTo("ada");
        assertThat(create.at()).isEqualTo(created.updatedAt());
        assertThat(create.changes()).containsExactly(Map.entry("title", new FieldChange(null, "Big")),
                Map.entry("amount", new FieldChange(null, 5L)));
        assertThat(entries.get(1).changes()).as("only what changed").containsExactly(
                Map.entry("amount", new FieldChange(5L, 6L)));
        assertThat(entries.get(1).at()).isEqualTo(updated.updatedAt());
        assertThat(entries.get(2).changes()).containsExactly(Map.entry("title", new FieldChange("Big", null)),
                Map.entry("amount", new FieldChange(6L, null)));
        assertThat(auditRows()).containsExactly("deal " + created.id() + " CREATE", "deal " + created.id() + " UPDATE",
                "deal " + created.id() + " DELETE");
    }

    @Test
    void hiddenFieldsAreAuditedTooAndReplaceKeepsThem() {
        long id = system.create("deal", Map.of("title", "Old", "notes", "confidential"), 10L, 7L).id();

        store(ADA, sink).replace("deal", id, 1, Map.of("title", "New"));

        assertThat(system.get("deal", id).get("notes")).isEqualTo("confidential");
        assertThat(entries).singleElement().extracting(AuditEntry::changes)
                .isEqualTo(Map.of("title", new FieldChange("Old", "New")));
        store(Actor.SYSTEM, sink).delete("deal", id, null);
        assertThat(entries.get(1).changes()).containsEntry("notes", new FieldChange("confidential", null));
        assertThat(entries.get(1).actorId()).isZero();
        assertThat(entries.get(1).actorName()).isEqualTo("system");
    }

    @Test
    void theSinkWritesInTheRecordsTransaction() {
        Map<String, Object> seen = new HashMap<>();
        AuditSink probe = (connection, entry) -> {
            seen.put("own connection", exists(connection, entry.recordId()));
            try (Connection other = db.connection()) {
                seen.put("other connection", exists(other, entry.recordId()));
            }
        };

        long id = store(ADA, probe).create("deal", Map.of("title", "Big")).id();

        assertThat(seen).containsEntry("own connection", true).containsEntry("other connection", false);
        assertThat(system.find("deal", id)).isPresent();
    }

    @Test
    void aFailingSinkRollsTheWriteBack() {
        long id = system.create("deal", Map.of("title", "Kept", "amount", 1L), 10L, 7L).id();
        AuditSink broken = (connection, entry) -> {
            sink.record(connection, entry);
            throw new IllegalStateException("audit table is full");
        };
        SecuredRecordStore store = store(ADA, broken);

        assertThatThrownBy(() -> store.create("deal", Map.of("title", "Lost"))).hasMessage("audit table is full");
        assertThatThrownBy(() -> store.update("deal", id, 1, Map.of("amount", 2L))).hasMessage("audit table is full");
        assertThatThrownBy(() -> store.delete("deal", id, 1L)).hasMessage("audit table is full");

        assertThat(system.count("deal", RecordQuery.all())).isEqualTo(1);
        assertThat(system.get("deal", id).get("amount")).isEqualTo(1L);
        assertThat(system.get("deal", id).version()).isEqualTo(1);
        assertThat(auditRows()).isEmpty();
    }

    @Test
    void aSqlFailureOfTheSinkIsAStoreExceptionAndRollsBack() {
        AuditSink broken = (connection, entry) -> {
            try (Statement statement = connection.createStatement()) {
                statement.execute("INSERT INTO no_such_table VALUES (1)");
            }
        };

        assertThatThrownBy(() -> store(ADA, broken).create("deal", Map.of("title", "Lost")))
                .isInstanceOf(StoreException.class);
        assertThat(system.count("deal", RecordQuery.all())).isZero();
    }

    @Test
    void anOuterTransactionCommitsOrRollsBackRecordsAndEntriesTogether() {
        SecuredRecordStore store = store(ADA, sink);

        assertThatThrownBy(() -> system.transactions().runInTransaction(() -> {
            store.create("deal", Map.of("title", "One"));
            store.create("deal", Map.of("title", "Two"));
            throw new IllegalStateException("the request failed later");
        })).hasMessage("the request failed later");
        assertThat(system.count("deal", RecordQuery.all())).isZero();
        assertThat(auditRows()).isEmpty();

        system.transactions().runInTransaction(() -> store.create("deal", Map.of("title", "Three")));
        assertThat(system.count("deal", RecordQuery.all())).isEqualTo(1);
        assertThat(auditRows()).hasSize(1);
    }

    @Test
    void readsAndRefusedWritesAreNotAudited() {
        long id = system.create("deal", Map.of("title", "Old"), 10L, 7L).id();
        SecuredRecordStore store = store(ADA, sink);

        store.get("deal", id);
        store.query("deal", RecordQuery.all());
        assertThatThrownBy(() -> store.update("deal", id, 1, Map.of("notes", "x")))
                .isInstanceOf(io.relata.api.record.ValidationException.class);
        assertThatThrownBy(() -> store.update("deal", id, 5, Map.of("title", "x")))
                .isInstanceOf(io.relata.api.record.ConcurrentUpdateException.class);

        assertThat(entries).isEmpty();
    }

    private static boolean exists(Connection connection, long id) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement("SELECT 1 FROM \"rec_deal\" WHERE \"id\" = ?")) {
            select.setLong(1, id);
            try (ResultSet rs = select.executeQuery()) {
                return rs.next();
            }
        }
    }

    private List<String> auditRows() {
        List<String> rows = new ArrayList<>();
        try (Connection c = db.connection(); Statement statement = c.createStatement();
             ResultSet rs = statement.executeQuery("SELECT entity, record_id, action FROM audit_test ORDER BY action")) {
            while (rs.next()) {
                rows.add(rs.getString(1) + " " + rs.getLong(2) + " " + rs.getString(3));
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        rows.sort((a, b) -> order(a) - order(b));
        return rows;
    }

    private static int order(String row) {
        return row.endsWith("CREATE") ? 0 : row.endsWith("UPDATE") ? 1 : 2;
    }
}
