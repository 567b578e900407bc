package io.relata.runtime;

import io.relata.store.AuditEntry;
import io.relata.store.AuditSink;
import io.relata.runtime.Jsons;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonReader;
import java.io.StringReader;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;

/**
 * The audit trail: who changed which record when, with old and new value per field. Written by the
 * record store inside the write's own transaction (so a change without its audit entry cannot exist),
 * read for a record's history.
 */
public class AuditLog implements AuditSink {

    private static final String INSERT = "INSERT INTO crm_audit (at, entity, record_id, action, actor_id, actor_name, changes) "
            + "VALUES (?, ?, ?, ?, ?, ?, ?)";

    private final DataSource dataSource;

    public AuditLog(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** One entry of a record's history; {@code changes} maps field → {old, new}. */
    public record HistoryEntry(OffsetDateTime at, String action, String actor, JsonObject changes) {
    }

    @Override
    public void record(Connection connection, AuditEntry entry) throws SQLException {
        try (PreparedStatement insert = connection.prepareStatement(INSERT)) {
            insert.setObject(1, entry.at().withOffsetSameInstant(ZoneOffset.UTC));
            insert.setString(2, entry.entity());
            insert.setLong(3, entry.recordId());
            insert.setString(4, entry.action().name());
            insert.setLong(5, entry.actorId());
            insert.setString(6, entry.actorName());
            insert.setString(7, json(entry.changes()).toString());
            insert.executeUpdate();
        }
    }

    public List<HistoryEntry> history(String entity, long recordId, int limit) {
        String sql = "SELECT at, action, actor_name, changes FROM crm_audit WHERE entity = ? AND record_id = ? ORDER BY id DESC";
        try (Connection connection = dataSource.getConnection(); PreparedStatement query = connection.prepareStatement(sql)) {
            query.setString(1, entity);
            query.setLong(2, recordId);
            query.setMaxRows(limit);
            List<HistoryEntry> entries = new ArrayList<>();
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    try (JsonReader reader = Jsons.createReader(new StringReader(rows.getString(4)))) {
                        entries.add(new HistoryEntry(rows.getObject(1, OffsetDateTime.class), rows.getString(2), rows.getString(3),
                                reader.readObject()));
                    }
                }
            }
            return entries;
        } catch (SQLException e) {
            throw new IllegalStateException("Could not read the audit trail: " + e.getMessage(), e);
        }
    }

    private static JsonObject json(Map<String, AuditEntry.FieldChange> changes) {
        JsonObjectBuilder object = Jsons.createObjectBuilder();
        changes.forEach((field, change) -> object.add(field, Jsons.createObjectBuilder()
                .add("old", value(change.oldValue()))
                .add("new", value(change.newValue()))));
        return object.build();
    }

    private static jakarta.json.JsonValue value(Object value) {
        if (value == null) {
            return jakarta.json.JsonValue.NULL;
        }
        if (value instanceof Boolean b) {
            return b ? jakarta.json.JsonValue.TRUE : jakarta.json.JsonValue.FALSE;
        }
        if (value instanceof Long l) {
            return Jsons.createValue(l);
        }
        if (value instanceof BigDecimal d) {
            return Jsons.createValue(d);
        }
        if (value instanceof List<?> list) {
            var array = Jsons.createArrayBuilder();
            list.forEach(item -> array.add(String.valueOf(item)));
            return array.build();
        }
        return Jsons.createValue(value.toString());
    }

}
