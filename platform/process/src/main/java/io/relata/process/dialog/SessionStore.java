package io.relata.process.dialog;

import io.relata.store.JdbcTransactions;
import io.relata.store.StoreException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The rows of {@code crm_dialog_session}, as stored (answers as JSON text). Joins the transaction that
 * {@link JdbcTransactions} has open on this thread, so marking a session finished commits with the records
 * the finish writes.
 */
final class SessionStore {

    static final int MAX_PATH_LENGTH = 2000;

    private static final String COLUMNS = "id, dialog, entity, record_id, user_id, username, step, path, answers, "
            + "state, started_at, updated_at, version";

    private final JdbcTransactions transactions;

    SessionStore(JdbcTransactions transactions) {
        this.transactions = transactions;
    }

    /** A stored session; {@code step} and {@code path} as in the table. */
    record Row(long id, String dialog, String entity, long recordId, Long userId, String username, String step,
               String path, String answers, String state, OffsetDateTime startedAt, OffsetDateTime updatedAt,
               long version) {
    }

    long insert(Row row) {
        return run("start dialog session", c -> {
            try (PreparedStatement statement = c.prepareStatement("INSERT INTO crm_dialog_session (dialog, entity, "
                    + "record_id, user_id, username, step, path, answers, state, started_at, updated_at, version) "
                    + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", new String[] {"id"})) {
                statement.setString(1, row.dialog());
                statement.setString(2, row.entity());
                statement.setLong(3, row.recordId());
                if (row.userId() == null) {
                    statement.setNull(4, Types.BIGINT);
                } else {
                    statement.setLong(4, row.userId());
                }
                statement.setString(5, row.username());
                statement.setString(6, row.step());
                statement.setString(7, row.path());
                statement.setString(8, row.answers());
                statement.setString(9, row.state());
                statement.setObject(10, row.startedAt());
                statement.setObject(11, row.updatedAt());
                statement.setLong(12, row.version());
                statement.executeUpdate();
                try (ResultSet keys = statement.getGeneratedKeys()) {
                    keys.next();
                    // H2 returns the identity column only, PostgreSQL every column: id is the first in both
                    return keys.getLong(1);
                }
            }
        });
    }

    Optional<Row> find(long id) {
        return run("read dialog session", c -> {
            try (PreparedStatement statement = c.prepareStatement(
                    "SELECT " + COLUMNS + " FROM crm_dialog_session WHERE id = ?")) {
                statement.setLong(1, id);
                List<Row> rows = rows(statement);
                return rows.stream().findFirst();
            }
        });
    }

    /** The newest open session of the user for this dialog and record. */
    Optional<Row> findOpen(String dialog, String entity, long recordId, String username) {
        return run("read dialog session", c -> {
            try (PreparedStatement statement = c.prepareStatement("SELECT " + COLUMNS + " FROM crm_dialog_session "
                    + "WHERE username = ? AND state = ? AND dialog = ? AND entity = ? AND record_id = ? "
                    + "ORDER BY updated_at DESC, id DESC")) {
                statement.setString(1, username);
                statement.setString(2, DialogState.OPEN.stored());
                statement.setString(3, dialog);
                statement.setString(4, entity);
                statement.setLong(5, recordId);
                return rows(statement).stream().findFirst();
            }
        });
    }

    /** The user's open sessions, most recently used first. */
    List<Row> open(String username) {
        return run("list dialog sessions", c -> {
            try (PreparedStatement statement = c.prepareStatement("SELECT " + COLUMNS + " FROM crm_dialog_session "
                    + "WHERE username = ? AND state = ? ORDER BY updated_at DESC, id DESC")) {
                statement.setString(1, username);
                statement.setString(2, DialogState.OPEN.stored());
                return rows(statement);
            }
        });
    }

    /**
     * Writes step, path, answers and state if the row is still at {@code expectedVersion}; the version goes up
     * by one. False if somebody else changed (or removed) the row since.
     */
    boolean update(long id, long expectedVersion, String step, String path, String answers, String state,
                   OffsetDateTime updatedAt) {
        return run("save dialog session", c -> {
            try (PreparedStatement statement = c.prepareStatement("UPDATE crm_dialog_session SET step = ?, path = ?, "
                    + "answers = ?, state = ?, updated_at = ?, version = version + 1 WHERE id = ? AND version = ?")) {
                statement.setString(1, step);
                statement.setString(2, path);
                statement.setString(3, answers);
                statement.setString(4, state);
                statement.setObject(5, updatedAt);
                statement.setLong(6, id);
                statement.setLong(7, expectedVersion);
                return statement.executeUpdate() == 1;
            }
        });
    }

    private static List<Row> rows(PreparedStatement statement) throws SQLException {
        List<Row> rows = new ArrayList<>();
        try (ResultSet rs = statement.executeQuery()) {
            while (rs.next()) {
                long userId = rs.getLong("user_id");
                Long user = rs.wasNull() ? null : userId;
                rows.add(new Row(rs.getLong("id"), rs.getString("dialog"), rs.getString("entity"),
                        rs.getLong("record_id"), user, rs.getString("username"), rs.getString("step"),
                        rs.getString("path"), rs.getString("answers"), rs.getString("state"),
                        rs.getObject("started_at", OffsetDateTime.class), rs.getObject("updated_at", OffsetDateTime.class),
                        rs.getLong("version")));
            }
        }
        return rows;
    }

    private <T> T run(String action, JdbcTransactions.SqlWork<T> work) {
        try {
            return transactions.withConnection(work);
        } catch (SQLException e) {
            throw new StoreException(null, action, e);
        }
    }
}
