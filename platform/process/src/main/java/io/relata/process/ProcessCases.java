package io.relata.process;

import io.relata.api.model.EntityDefinition;
import io.relata.api.model.LocalizedText;
import io.relata.api.model.MetadataModel;
import io.relata.api.process.PhaseDefinition;
import io.relata.api.process.PhaseOutcome;
import io.relata.api.process.ProcessDefinition;
import io.relata.api.process.TransitionDefinition;
import io.relata.api.record.Record;
import io.relata.api.record.RecordStore;
import io.relata.api.security.FieldAccess;
import io.relata.store.JdbcTransactions;
import io.relata.store.ReadScope;
import io.relata.store.StoreException;
import io.relata.store.access.AccessPolicy;
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
import java.util.function.Supplier;

/**
 * What the UI and the API show about a record's process: its case (process, phase, since when), the phases it
 * may move to next, the history of its phase changes and its timers. Read-only; moving is an update of the
 * phase field through the record store ({@link #move}), which the {@link ProcessEngine} checks.
 *
 * <p>Access: these methods do not check who asks. Callers show them only for records the user may read (the
 * secured store's {@code find} first).
 */
public final class ProcessCases {

    private final JdbcTransactions transactions;
    private final Supplier<MetadataModel> models;

    public ProcessCases(JdbcTransactions transactions, Supplier<MetadataModel> models) {
        this.transactions = Objects.requireNonNull(transactions, "transactions");
        this.models = Objects.requireNonNull(models, "models");
    }

    /**
     * A record's case.
     *
     * @param definition the process as the current metadata defines it; empty if it was removed (the record
     *                   chooses again on its next write)
     * @param endedAt    when it entered a closing phase; null while open
     */
    public record Case(long id, String entity, long recordId, String process, String phase, OffsetDateTime phaseSince,
                       OffsetDateTime startedAt, OffsetDateTime endedAt, PhaseOutcome outcome,
                       Optional<ProcessDefinition> definition) {

        /** The current phase's label (its own, else the phase field's option label, else its name). */
        public LocalizedText phaseLabel(MetadataModel model) {
            return definition.map(p -> p.phaseLabel(model.entity(entity).orElse(null), phase))
                    .orElse(new LocalizedText(Map.of(LocalizedText.FALLBACK_LANGUAGE, phase)));
        }
    }

    /**
     * A phase a record may move to from its current one.
     *
     * @param guarded      the move has a guard that may refuse it (with a message)
     * @param automatic    the platform makes the move itself when its condition holds
     * @param reasonField  the field that must hold the reason (closing phases), or null
     * @param requiredFields fields that must have values to enter the phase
     */
    public record NextPhase(String phase, LocalizedText label, PhaseOutcome outcome, boolean guarded, boolean automatic,
                            String reasonField, List<String> requiredFields) {
    }

    /** One phase change; {@code fromPhase} null for the start of the case. */
    public record Stamp(long id, String process, String fromPhase, String toPhase, OffsetDateTime changedAt, Long userId,
                       String username, String reason) {
    }

    /** A timer of the record's case, in any state (pending, fired, cancelled, failed). */
    public record Timer(long id, String process, String phase, String timer, OffsetDateTime dueAt, String state,
                        OffsetDateTime firedAt, String firedBy, String error) {
    }

    /**
     * Whether a process exists for a user: they may read its entity and see its phase field (where its records
     * stand). Its pages, figures and API answer only then.
     */
    public static boolean visibleTo(ProcessDefinition process, AccessPolicy access) {
        return access.canRead(process.entity())
                && access.fieldAccess(process.entity(), process.phaseField()) != FieldAccess.HIDDEN;
    }

    public Optional<Case> current(String entity, long recordId) {
        MetadataModel model = models.get();
        return sql(c -> ProcessTables.findCase(c, entity, recordId)).map(row -> new Case(row.id(), row.entity(),
                row.recordId(), row.process(), row.phase(), row.phaseSince(), row.startedAt(), row.endedAt(),
                row.outcome(), model.process(row.process()).filter(p -> p.entity().equals(entity))));
    }

    /** The phases the record may move to now (none without a case, or if its process was removed). */
    public List<NextPhase> nextPhases(String entity, long recordId) {
        MetadataModel model = models.get();
        Optional<Case> found = current(entity, recordId);
        if (found.isEmpty() || found.get().definition().isEmpty()) {
            return List.of();
        }
        ProcessDefinition process = found.get().definition().get();
        EntityDefinition definition = model.entity(entity).orElse(null);
        List<NextPhase> next = new ArrayList<>();
        for (TransitionDefinition transition : Phases.from(process, found.get().phase())) {
            Optional<PhaseDefinition> phase = process.phase(transition.to());
            if (phase.isEmpty()) {
                continue;
            }
            next.add(new NextPhase(transition.to(), process.phaseLabel(definition, transition.to()),
                    phase.get().outcome(), transition.guard() != null, transition.isAutomatic(),
                    phase.get().isClosing() ? phase.get().reasonField() : null, phase.get().requiredFields()));
        }
        return next;
    }

    /**
     * The record's phase changes, oldest first, as {@code scope}'s user may see them: a closing reason is the value of its
     * phase's reason field and is left out (null) where they may not see that field.
     */
    public List<Stamp> history(String entity, long recordId, ReadScope scope) {
        MetadataModel model = models.get();
        return history(entity, recordId).stream().map(stamp -> stamp.reason() == null || scope.sees(model
                .process(stamp.process()).flatMap(p -> p.phase(stamp.toPhase())).map(PhaseDefinition::reasonField)
                .orElse(null)) ? stamp : new Stamp(stamp.id(), stamp.process(), stamp.fromPhase(), stamp.toPhase(),
                stamp.changedAt(), stamp.userId(), stamp.username(), null)).toList();
    }

    /** The record's phase changes, oldest first, with every reason (what users see: the scoped one). */
    public List<Stamp> history(String entity, long recordId) {
        return sql(c -> {
            List<Stamp> stamps = new ArrayList<>();
            try (PreparedStatement statement = ProcessTables.prepare(c, "SELECT id, process, from_phase, to_phase, "
                    + "changed_at, user_id, username, reason FROM crm_phase_stamp WHERE entity = ? AND record_id = ? "
                    + "ORDER BY changed_at, id", entity, recordId); ResultSet rs = statement.executeQuery()) {
                while (rs.next()) {
                    long userId = rs.getLong(6);
                    Long user = rs.wasNull() ? null : userId;
                    stamps.add(new Stamp(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4),
                            ProcessTables.timestamp(rs, 5), user, rs.getString(7), rs.getString(8)));
                }
            }
            return stamps;
        });
    }

    /** A phase change of one of several records. */
    public record RecordStamp(String entity, long recordId, Stamp stamp) {
    }

    /**
     * The latest phase changes of the given records of {@code entity}, newest first, at most {@code limit}, with every
     * reason (callers leave out what their viewer may not see, as {@link #history(String, long, ReadScope)} does).
     */
    public List<RecordStamp> latest(String entity, java.util.Collection<Long> recordIds, int limit) {
        if (recordIds.isEmpty()) {
            return List.of();
        }
        List<Object> params = new ArrayList<>();
        params.add(entity);
        params.addAll(recordIds);
        return sql(c -> {
            List<RecordStamp> stamps = new ArrayList<>();
            try (PreparedStatement statement = ProcessTables.prepare(c, "SELECT id, process, from_phase, to_phase, "
                    + "changed_at, user_id, username, reason, record_id FROM crm_phase_stamp WHERE entity = ? AND record_id IN ("
                    + "?, ".repeat(recordIds.size() - 1) + "?) ORDER BY changed_at DESC, id DESC FETCH FIRST "
                    + Math.max(1, limit) + " ROWS ONLY", params.toArray()); ResultSet rs = statement.executeQuery()) {
                while (rs.next()) {
                    long userId = rs.getLong(6);
                    Long user = rs.wasNull() ? null : userId;
                    stamps.add(new RecordStamp(entity, rs.getLong(9), new Stamp(rs.getLong(1), rs.getString(2),
                            rs.getString(3), rs.getString(4), ProcessTables.timestamp(rs, 5), user, rs.getString(7),
                            rs.getString(8))));
                }
            }
            return stamps;
        });
    }

    /** The timers of the record's case, by due time. */
    public List<Timer> timers(String entity, long recordId) {
        return sql(c -> {
            List<Timer> timers = new ArrayList<>();
            try (PreparedStatement statement = ProcessTables.prepare(c, "SELECT t.id, t.process, t.phase, t.timer, t.due_at, "
                    + "t.state, t.fired_at, t.fired_by, t.error FROM crm_process_timer t JOIN crm_process_case k "
                    + "ON k.id = t.case_id WHERE k.entity = ? AND k.record_id = ? ORDER BY t.due_at, t.id", entity,
                    recordId); ResultSet rs = statement.executeQuery()) {
                while (rs.next()) {
                    timers.add(new Timer(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4),
                            ProcessTables.timestamp(rs, 5), rs.getString(6), ProcessTables.timestamp(rs, 7),
                            rs.getString(8), rs.getString(9)));
                }
            }
            return timers;
        });
    }

    /**
     * Moves a record to {@code toPhase} by updating its phase field through {@code store} (the user's secured
     * store: access, rules, guards and this module's engine apply). {@code otherChanges} go into the same
     * update, e.g. the loss reason of a closing phase.
     *
     * @throws io.relata.api.record.ValidationException with codes {@value ProcessEngine#PHASE_MOVE},
     *         {@value ProcessEngine#REQUIRED}, {@value ProcessEngine#REASON_REQUIRED}, {@value ProcessEngine#GUARD}
     * @throws IllegalArgumentException if the record follows no process
     */
    public Record move(RecordStore store, String entity, long id, long version, String toPhase,
                       Map<String, Object> otherChanges) {
        Case processCase = current(entity, id).filter(k -> k.definition().isPresent())
                .orElseThrow(() -> new IllegalArgumentException(entity + " " + id + " follows no process"));
        Map<String, Object> changes = new LinkedHashMap<>(otherChanges == null ? Map.of() : otherChanges);
        changes.put(processCase.definition().get().phaseField(), toPhase);
        return store.update(entity, id, version, changes);
    }

    private <T> T sql(JdbcTransactions.SqlWork<T> work) {
        try {
            return transactions.withConnection(work);
        } catch (SQLException e) {
            throw new StoreException(null, "read process cases", e);
        }
    }
}
