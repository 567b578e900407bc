package io.relata.process;

import io.relata.api.model.MetadataModel;
import io.relata.api.process.PhaseDefinition;
import io.relata.api.process.ProcessDefinition;
import io.relata.api.security.Actor;
import io.relata.store.JdbcTransactions;
import io.relata.store.StoreException;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * Gives a record's case the phase history it had before it came into this CRM: a deal moved from another system,
 * or demo data a year deep. The process figures (win rate, cycle time, time per phase) measure when a case
 * entered each phase; a record created today in its final phase would otherwise count as a case started and
 * ended today.
 *
 * <p>The record must already follow its process and stand in the last phase of the history (its write went
 * through the record store and the process engine, with their rules). The history replaces the case's stamps;
 * the stamp of entering the current phase is kept (its timers and closing reason stay) and moved to its date.
 * Transitions are not checked: the history is what happened elsewhere.
 */
public final class CaseHistoryImport {

    /** A phase the case entered, and when. */
    public record PastPhase(String phase, OffsetDateTime enteredAt) {
        public PastPhase {
            Objects.requireNonNull(phase, "phase");
            Objects.requireNonNull(enteredAt, "enteredAt");
        }
    }

    private final JdbcTransactions transactions;
    private final Supplier<MetadataModel> models;

    public CaseHistoryImport(JdbcTransactions transactions, Supplier<MetadataModel> models) {
        this.transactions = Objects.requireNonNull(transactions, "transactions");
        this.models = Objects.requireNonNull(models, "models");
    }

    /**
     * Replaces the phase history of the record's case by {@code phases}, oldest first, stamped as changed by
     * {@code actor}.
     *
     * @throws IllegalArgumentException if the record follows no process, a phase is not one of its process, the
     *                                  dates go backwards, or the last phase is not the one the record is in
     */
    public void replace(String entity, long recordId, List<PastPhase> phases, Actor actor) {
        if (phases.isEmpty()) {
            throw new IllegalArgumentException("The history of " + entity + " " + recordId + " names no phase.");
        }
        try {
            transactions.withConnection(c -> {
                ProcessTables.CaseRow row = ProcessTables.findCase(c, entity, recordId).orElseThrow(() ->
                        new IllegalArgumentException(entity + " " + recordId + " follows no process: it has no history."));
                ProcessDefinition process = models.get().process(row.process()).orElseThrow(() ->
                        new IllegalArgumentException("The process '" + row.process() + "' of " + entity + " "
                                + recordId + " is no longer defined."));
                check(entity, recordId, phases, row, process);
                PastPhase last = phases.get(phases.size() - 1);
                String previous = phases.size() > 1 ? phases.get(phases.size() - 2).phase() : null;
                ProcessTables.update(c, "DELETE FROM crm_phase_stamp WHERE case_id = ? AND id <> ?", row.id(),
                        row.lastStampId());
                for (int i = 0; i < phases.size() - 1; i++) {
                    ProcessTables.insertStamp(c, row.id(), entity, recordId, process.name(),
                            i == 0 ? null : phases.get(i - 1).phase(), phases.get(i).phase(), phases.get(i).enteredAt(),
                            actor, null);
                }
                ProcessTables.update(c, "UPDATE crm_phase_stamp SET from_phase = ?, changed_at = ? WHERE id = ?",
                        previous, last.enteredAt(), row.lastStampId());
                boolean closed = process.phase(last.phase()).map(PhaseDefinition::isClosing).orElse(false);
                ProcessTables.update(c, "UPDATE crm_process_case SET started_at = ?, phase_since = ?, ended_at = ? "
                        + "WHERE id = ?", phases.get(0).enteredAt(), last.enteredAt(), closed ? last.enteredAt() : null,
                        row.id());
                return null;
            });
        } catch (SQLException e) {
            throw new StoreException(entity, "import the phase history of " + entity + " " + recordId, e);
        }
    }

    private static void check(String entity, long recordId, List<PastPhase> phases, ProcessTables.CaseRow row,
                              ProcessDefinition process) {
        String record = entity + " " + recordId;
        for (int i = 0; i < phases.size(); i++) {
            PastPhase phase = phases.get(i);
            if (process.phase(phase.phase()).isEmpty()) {
                throw new IllegalArgumentException("'" + phase.phase() + "' in the history of " + record
                        + " is not a phase of the process '" + process.name() + "'.");
            }
            if (i > 0 && phase.enteredAt().isBefore(phases.get(i - 1).enteredAt())) {
                throw new IllegalArgumentException("The history of " + record + " goes back in time: '"
                        + phase.phase() + "' at " + phase.enteredAt() + " comes after '" + phases.get(i - 1).phase()
                        + "' at " + phases.get(i - 1).enteredAt() + ".");
            }
        }
        String last = phases.get(phases.size() - 1).phase();
        if (!last.equals(row.phase()) || row.lastStampId() == null) {
            throw new IllegalArgumentException("The history of " + record + " ends in '" + last
                    + "', but the record is in '" + row.phase() + "': the last phase of a history is the current one.");
        }
    }
}
