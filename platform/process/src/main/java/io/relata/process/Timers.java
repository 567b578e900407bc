package io.relata.process;

import io.relata.api.model.EntityDefinition;
import io.relata.api.model.FieldDefinition;
import io.relata.api.model.MetadataModel;
import io.relata.api.process.ProcessAction;
import io.relata.api.process.ProcessDefinition;
import io.relata.api.process.TimerDefinition;
import io.relata.api.record.Record;
import io.relata.api.record.RecordException;
import io.relata.api.record.UnknownEntityException;
import io.relata.api.record.ValidationException;
import io.relata.api.security.Actor;
import io.relata.store.InvalidValueException;
import io.relata.store.JdbcRecordStore;
import io.relata.store.JdbcTransactions;
import io.relata.store.StoreException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.stream.Collectors;

/**
 * Fires process timers that are due, exactly once, also with several nodes on one database. Call
 * {@link #fireDue()} from a scheduler every few seconds (and from tests after moving the clock).
 *
 * <p>Each timer fires in a transaction of its own: it is claimed with
 * {@code UPDATE … SET state = 'fired' WHERE id = ? AND state = 'pending'} (the database lets only one
 * transaction change the row from pending, so only one node gets 1 row back; the other waits for the first to
 * commit and then matches nothing), then checked (is the case still in the phase it entered when the timer
 * started? otherwise the timer is {@code cancelled}) and its actions run in the same transaction: fields and
 * phase moves through the system record store (so rules, guards and the {@link ProcessEngine} apply), to-dos,
 * and mails, webhooks and extension calls queued in the outbox. If anything fails, all of that rolls back and
 * the timer is marked {@code failed} with the error in a new transaction, so it is not retried forever; an
 * administrator sees it in the timer list. Timers are rows, so a restart loses nothing: due ones fire on the
 * next call on any node, and fired ones never again.
 */
public final class Timers {

    private static final Logger LOG = Logger.getLogger(Timers.class.getName());
    private static final int BATCH = 100;

    private final ProcessEngine engine;
    private final String node;

    /** Fires as the engine's node ({@link ProcessSettings#node()}). */
    public Timers(ProcessEngine engine) {
        this(engine, engine.settings().node());
    }

    /** @param node recorded as {@code fired_by} */
    public Timers(ProcessEngine engine, String node) {
        this.engine = Objects.requireNonNull(engine, "engine");
        this.node = Objects.requireNonNull(node, "node");
    }

    private enum Outcome { FIRED, CANCELLED, TAKEN }

    private record TimerRow(long id, long caseId, long entryStampId, String process, String phase, String timer) {
    }

    /**
     * Fires the timers due by now (at most a batch of 100 per call, earliest first).
     *
     * @return how many fired (cancelled, failed and those another node took are not counted)
     * @throws IllegalStateException if called inside a transaction (each timer needs its own)
     */
    public int fireDue() {
        JdbcRecordStore store = engine.systemStore();
        JdbcTransactions transactions = store.transactions();
        if (transactions.isActive()) {
            throw new IllegalStateException("Timers.fireDue() must run outside a transaction: each timer fires in one "
                    + "of its own");
        }
        OffsetDateTime now = engine.now();
        List<Long> due = sql(transactions, c -> {
            List<Long> ids = new ArrayList<>();
            try (PreparedStatement statement = ProcessTables.prepare(c, "SELECT id FROM crm_process_timer WHERE state = ? "
                    + "AND due_at <= ? ORDER BY due_at, id FETCH FIRST " + BATCH + " ROWS ONLY", ProcessTables.PENDING, now);
                 ResultSet rs = statement.executeQuery()) {
                while (rs.next()) {
                    ids.add(rs.getLong(1));
                }
            }
            return ids;
        });
        int fired = 0;
        for (long id : due) {
            try {
                if (transactions.inTransaction(() -> fire(store, transactions, id, now)) == Outcome.FIRED) {
                    fired++;
                }
            } catch (RuntimeException e) {
                fail(transactions, id, now, e);
            }
        }
        return fired;
    }

    private Outcome fire(JdbcRecordStore store, JdbcTransactions transactions, long id, OffsetDateTime now) {
        Connection c = transactions.currentConnection().orElseThrow();
        try {
            int claimed = ProcessTables.update(c, "UPDATE crm_process_timer SET state = ?, fired_at = ?, fired_by = ? "
                    + "WHERE id = ? AND state = ?", ProcessTables.FIRED, now, node, id, ProcessTables.PENDING);
            if (claimed == 0) {
                return Outcome.TAKEN;
            }
            TimerRow timer = read(c, id);
            Optional<ProcessTables.CaseRow> found = ProcessTables.findCase(c, timer.caseId());
            if (found.isEmpty() || !Objects.equals(found.get().lastStampId(), timer.entryStampId())) {
                return cancel(c, id, null); // the record left the phase: leaving should have cancelled it already
            }
            ProcessTables.CaseRow processCase = found.get();
            MetadataModel model = engine.models().get();
            Optional<ProcessDefinition> process = model.process(timer.process())
                    .filter(p -> p.entity().equals(processCase.entity()));
            Optional<TimerDefinition> definition = process.flatMap(p -> p.phase(timer.phase()))
                    .flatMap(p -> p.timers().stream().filter(t -> t.name().equals(timer.timer())).findFirst());
            if (definition.isEmpty()) {
                return cancel(c, id, "The timer '" + timer.timer() + "' of the phase '" + timer.phase() + "' of the process '"
                        + timer.process() + "' is no longer defined in metadata");
            }
            EntityDefinition entity = model.entity(processCase.entity())
                    .orElseThrow(() -> new UnknownEntityException(processCase.entity()));
            Optional<Record> record = store.find(entity.name(), processCase.recordId());
            if (record.isEmpty()) {
                return cancel(c, id, "The record " + entity.name() + " " + processCase.recordId() + " no longer exists");
            }
            run(c, store, model, process.get(), entity, record.get(), timer, definition.get(), now);
            return Outcome.FIRED;
        } catch (SQLException e) {
            throw new StoreException(null, "fire process timer " + id, e);
        }
    }

    /** The timer's actions in order; each field change or move is one update of the record through the store. */
    private void run(Connection c, JdbcRecordStore store, MetadataModel model, ProcessDefinition process,
                     EntityDefinition entity, Record record, TimerRow timer, TimerDefinition definition,
                     OffsetDateTime now) throws SQLException {
        Record current = record;
        for (ProcessAction action : definition.actions()) {
            if (action instanceof ProcessAction.SetFields set) {
                current = store.update(entity.name(), current.id(), current.version(), values(entity, process, set, current));
            } else if (action instanceof ProcessAction.MovePhase move) {
                current = store.update(entity.name(), current.id(), current.version(),
                        Map.of(process.phaseField(), move.phase()));
            } else {
                engine.actions().run(new ProcessActions.Context(c, model, process, entity, current, timer.phase(), "timer",
                        timer.timer(), now, store), action);
            }
        }
    }

    private Map<String, Object> values(EntityDefinition entity, ProcessDefinition process, ProcessAction.SetFields set,
                                       Record record) {
        Map<String, Object> values = new LinkedHashMap<>(record.values());
        Map<String, Object> changes = new LinkedHashMap<>();
        for (Map.Entry<String, Object> entry : set.values().entrySet()) {
            FieldDefinition field = entity.field(entry.getKey()).orElseThrow(() -> new IllegalStateException(
                    "The process '" + process.name() + "' sets the field '" + entry.getKey() + "', which " + entity.name()
                            + " does not have (" + set.source() + ")"));
            try {
                Object value = engine.setValue(entity, field, entry.getValue(), values, record.values(), Actor.SYSTEM,
                        (e, id) -> engine.systemStore().find(e, id).map(Record::values), process.name(), set.source());
                values.put(field.name(), value);
                changes.put(field.name(), value);
            } catch (InvalidValueException e) {
                throw new IllegalStateException("The process '" + process.name() + "' sets " + field.name() + " to '"
                        + entry.getValue() + "', which does not fit (" + e.getMessage() + "; " + set.source() + ")", e);
            }
        }
        return changes;
    }

    private static Outcome cancel(Connection c, long id, String why) throws SQLException {
        ProcessTables.update(c, "UPDATE crm_process_timer SET state = ?, error = ? WHERE id = ?", ProcessTables.CANCELLED,
                ProcessTables.shorten(why), id);
        return Outcome.CANCELLED;
    }

    /** After a rollback: marks the timer failed, unless another node has taken it in the meantime. */
    private void fail(JdbcTransactions transactions, long id, OffsetDateTime now, RuntimeException failure) {
        String error = failure instanceof ValidationException v
                ? v.errors().stream().map(ProcessActions::describe).collect(Collectors.joining("; "))
                : String.valueOf(failure.getMessage());
        // a refused write (guard, required field) is the process's business, not a bug: no stack trace for it
        LOG.log(Level.WARNING, "Process timer " + id + " failed; nothing it did was kept: " + error,
                failure instanceof RecordException ? null : failure);
        try {
            sql(transactions, c -> ProcessTables.update(c, "UPDATE crm_process_timer SET state = ?, fired_at = ?, "
                    + "fired_by = ?, error = ? WHERE id = ? AND state = ?", ProcessTables.FAILED, now, node,
                    ProcessTables.shorten(error), id, ProcessTables.PENDING));
        } catch (RuntimeException e) {
            LOG.log(Level.SEVERE, "Could not mark process timer " + id + " as failed; it stays pending", e);
        }
    }

    private static TimerRow read(Connection c, long id) throws SQLException {
        try (PreparedStatement statement = ProcessTables.prepare(c, "SELECT id, case_id, entry_stamp_id, process, phase, "
                + "timer FROM crm_process_timer WHERE id = ?", id); ResultSet rs = statement.executeQuery()) {
            rs.next();
            return new TimerRow(rs.getLong(1), rs.getLong(2), rs.getLong(3), rs.getString(4), rs.getString(5),
                    rs.getString(6));
        }
    }

    private static <T> T sql(JdbcTransactions transactions, JdbcTransactions.SqlWork<T> work) {
        try {
            return transactions.withConnection(work);
        } catch (SQLException e) {
            throw new StoreException(null, "process timers", e);
        }
    }
}
