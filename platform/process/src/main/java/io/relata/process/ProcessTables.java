package io.relata.process;

import io.relata.api.process.PhaseOutcome;
import io.relata.api.security.Actor;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Locale;
import java.util.Optional;

/** SQL on the process tables of V3__processes.sql, on the caller's connection (and so its transaction). */
final class ProcessTables {

    static final String PENDING = "pending";
    static final String FIRED = "fired";
    static final String CANCELLED = "cancelled";
    static final String FAILED = "failed";

    private static final int MAX_TEXT = 4000;

    private ProcessTables() {
    }

    /** A row of crm_process_case. */
    record CaseRow(long id, String entity, long recordId, String process, String phase, OffsetDateTime phaseSince,
                   OffsetDateTime startedAt, OffsetDateTime endedAt, PhaseOutcome outcome, Long lastStampId) {
    }

    private static final String CASE_COLUMNS = "id, entity, record_id, process, phase, phase_since, started_at, ended_at, "
            + "outcome, last_stamp_id";

    static Optional<CaseRow> findCase(Connection c, String entity, long recordId) throws SQLException {
        return queryCase(c, "SELECT " + CASE_COLUMNS + " FROM crm_process_case WHERE entity = ? AND record_id = ?",
                entity, recordId);
    }

    static Optional<CaseRow> findCase(Connection c, long caseId) throws SQLException {
        return queryCase(c, "SELECT " + CASE_COLUMNS + " FROM crm_process_case WHERE id = ?", caseId);
    }

    private static Optional<CaseRow> queryCase(Connection c, String sql, Object... params) throws SQLException {
        try (PreparedStatement statement = prepare(c, sql, params); ResultSet rs = statement.executeQuery()) {
            if (!rs.next()) {
                return Optional.empty();
            }
            long lastStamp = rs.getLong(10);
            Long lastStampId = rs.wasNull() ? null : lastStamp;
            return Optional.of(new CaseRow(rs.getLong(1), rs.getString(2), rs.getLong(3), rs.getString(4), rs.getString(5),
                    timestamp(rs, 6), timestamp(rs, 7), timestamp(rs, 8), outcome(rs.getString(9)), lastStampId));
        }
    }

    /** A new case, open, in {@code phase} since {@code now}; the start stamp follows. */
    static long insertCase(Connection c, String entity, long recordId, String process, String phase, OffsetDateTime now)
            throws SQLException {
        return insert(c, "INSERT INTO crm_process_case (entity, record_id, process, phase, phase_since, started_at, "
                + "outcome) VALUES (?, ?, ?, ?, ?, ?, ?)", entity, recordId, process, phase, now, now,
                PhaseOutcome.OPEN.yamlName());
    }

    /** The case follows another process from now on (its old process was removed from metadata). */
    static void restartCase(Connection c, long caseId, String process, String phase, OffsetDateTime now)
            throws SQLException {
        update(c, "UPDATE crm_process_case SET process = ?, phase = ?, phase_since = ?, started_at = ?, ended_at = NULL, "
                + "outcome = ? WHERE id = ?", process, phase, now, now, PhaseOutcome.OPEN.yamlName(), caseId);
    }

    static void moveCase(Connection c, long caseId, String phase, OffsetDateTime since, long lastStampId,
                         PhaseOutcome outcome, OffsetDateTime endedAt) throws SQLException {
        update(c, "UPDATE crm_process_case SET phase = ?, phase_since = ?, last_stamp_id = ?, outcome = ?, ended_at = ? "
                + "WHERE id = ?", phase, since, lastStampId, outcome.yamlName(), endedAt, caseId);
    }

    static long insertStamp(Connection c, long caseId, String entity, long recordId, String process, String from,
                            String to, OffsetDateTime at, Actor actor, String reason) throws SQLException {
        Actor who = actor == null ? Actor.SYSTEM : actor;
        return insert(c, "INSERT INTO crm_phase_stamp (case_id, entity, record_id, process, from_phase, to_phase, "
                        + "changed_at, user_id, username, reason) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                caseId, entity, recordId, process, from, to, at, who.system() ? null : who.userId(), who.username(),
                shorten(reason));
    }

    static void insertTimer(Connection c, long caseId, long entryStampId, String process, String phase, String timer,
                            OffsetDateTime due) throws SQLException {
        insert(c, "INSERT INTO crm_process_timer (case_id, entry_stamp_id, process, phase, timer, due_at, state) "
                + "VALUES (?, ?, ?, ?, ?, ?, ?)", caseId, entryStampId, process, phase, timer, due, PENDING);
    }

    /** The case left the phase its pending timers belong to. */
    static int cancelPendingTimers(Connection c, long caseId) throws SQLException {
        return update(c, "UPDATE crm_process_timer SET state = ? WHERE case_id = ? AND state = ?", CANCELLED, caseId,
                PENDING);
    }

    /** One pending timer of the case, whose date changed. */
    static int cancelPendingTimer(Connection c, long caseId, String phase, String timer) throws SQLException {
        return update(c, "UPDATE crm_process_timer SET state = ? WHERE case_id = ? AND phase = ? AND timer = ? AND state = ?",
                CANCELLED, caseId, phase, timer, PENDING);
    }

    /** Stamps and timers go with the case (ON DELETE CASCADE). */
    static void deleteCase(Connection c, String entity, long recordId) throws SQLException {
        update(c, "DELETE FROM crm_process_case WHERE entity = ? AND record_id = ?", entity, recordId);
    }

    // ---- JDBC helpers ----

    static PreparedStatement prepare(Connection c, String sql, Object... params) throws SQLException {
        PreparedStatement statement = c.prepareStatement(sql);
        try {
            bind(statement, params);
        } catch (SQLException | RuntimeException e) {
            statement.close();
            throw e;
        }
        return statement;
    }

    static int update(Connection c, String sql, Object... params) throws SQLException {
        try (PreparedStatement statement = prepare(c, sql, params)) {
            return statement.executeUpdate();
        }
    }

    /** Runs an INSERT and returns the generated id. */
    static long insert(Connection c, String sql, Object... params) throws SQLException {
        try (PreparedStatement statement = c.prepareStatement(sql, new String[] {"id"})) {
            bind(statement, params);
            statement.executeUpdate();
            try (ResultSet keys = statement.getGeneratedKeys()) {
                if (!keys.next()) {
                    throw new SQLException("The database returned no id for: " + sql);
                }
                int column;
                try {
                    column = keys.findColumn("id");
                } catch (SQLException e) {
                    column = 1;
                }
                return keys.getLong(column);
            }
        }
    }

    private static void bind(PreparedStatement statement, Object... params) throws SQLException {
        for (int i = 0; i < params.length; i++) {
            Object value = params[i];
            int index = i + 1;
            if (value == null) {
                statement.setNull(index, Types.NULL);
            } else if (value instanceof OffsetDateTime t) {
                statement.setObject(index, t, Types.TIMESTAMP_WITH_TIMEZONE);
            } else if (value instanceof Long l) {
                statement.setLong(index, l);
            } else if (value instanceof Integer n) {
                statement.setInt(index, n);
            } else if (value instanceof String s) {
                statement.setString(index, s);
            } else {
                throw new IllegalArgumentException("Cannot bind " + value.getClass().getName());
            }
        }
    }

    static OffsetDateTime timestamp(ResultSet rs, int column) throws SQLException {
        OffsetDateTime value = rs.getObject(column, OffsetDateTime.class);
        return value == null ? null : value.withOffsetSameInstant(ZoneOffset.UTC);
    }

    static PhaseOutcome outcome(String stored) {
        return PhaseOutcome.fromYamlName(stored == null ? "" : stored.toLowerCase(Locale.ROOT)).orElse(PhaseOutcome.OPEN);
    }

    /** Texts for VARCHAR(4000) columns (reasons, errors). */
    static String shorten(String text) {
        if (text == null) {
            return null;
        }
        return text.length() <= MAX_TEXT ? text : text.substring(0, MAX_TEXT - 1) + "…";
    }
}
