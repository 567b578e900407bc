package io.relata.web.ui;

import io.relata.api.process.ProcessDefinition;
import io.relata.store.ReadScope;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;

/**
 * Which records follow a process and where they stand, straight from {@code crm_process_case}. The ids say
 * nothing about who may see them: pages load the records through the user's secured store, which drops
 * those the user may not read; counts take the user's read scope.
 */
final class ProcessCaseIndex {

    private final DataSource dataSource;

    ProcessCaseIndex(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** The record ids of the process's cases by phase, those that entered their phase last first. */
    Map<String, List<Long>> recordIdsByPhase(String process) {
        Map<String, List<Long>> byPhase = new LinkedHashMap<>();
        try (Connection connection = dataSource.getConnection();
             PreparedStatement statement = connection.prepareStatement("SELECT phase, record_id FROM crm_process_case "
                     + "WHERE process = ? ORDER BY phase_since DESC, record_id DESC")) {
            statement.setString(1, process);
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    byPhase.computeIfAbsent(rows.getString(1), p -> new ArrayList<>()).add(rows.getLong(2));
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Could not read the cases of process '" + process + "': " + e.getMessage(), e);
        }
        return byPhase;
    }

    /** The number of open cases of {@code process} among the records {@code scope}'s user may read. */
    long openCases(ProcessDefinition process, ReadScope scope) {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement statement = connection.prepareStatement("SELECT COUNT(*) FROM crm_process_case c "
                     + "WHERE c.process = ? AND c.entity = ? AND c.ended_at IS NULL AND "
                     + scope.condition("c.record_id"))) {
            statement.setString(1, process.name());
            statement.setString(2, process.entity());
            scope.bind(statement, 3);
            try (ResultSet rows = statement.executeQuery()) {
                return rows.next() ? rows.getLong(1) : 0;
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Could not count the open cases of process '" + process.name() + "': "
                    + e.getMessage(), e);
        }
    }
}
