package io.relata.runtime;

import io.relata.process.Assignees;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * Finds the users process to-dos and mails go to, in the platform's user tables. Reads on its own
 * connection: users are not part of the record write that triggers an action.
 */
final class UserAssignees implements Assignees {

    private final DataSource dataSource;

    UserAssignees(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    @Override
    public Optional<Long> userId(String username) {
        return queryLong("SELECT id FROM crm_user WHERE username = ? AND active = TRUE", ps -> ps.setString(1, username));
    }

    @Override
    public Optional<Long> userWithRole(String role, Long preferredTeam) {
        // members of the record's team first, then the lowest id: the same user for the same inputs
        return queryLong("SELECT u.id FROM crm_user u JOIN crm_user_role r ON r.user_id = u.id"
                + " WHERE r.role_name = ? AND u.active = TRUE"
                + " ORDER BY CASE WHEN EXISTS (SELECT 1 FROM crm_team_member m WHERE m.user_id = u.id AND m.team_id = ?)"
                + " THEN 0 ELSE 1 END, u.id FETCH FIRST 1 ROWS ONLY", ps -> {
                    ps.setString(1, role);
                    ps.setLong(2, preferredTeam == null ? -1 : preferredTeam);
                });
    }

    @Override
    public Optional<String> email(long userId) {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT email FROM crm_user WHERE id = ?")) {
            ps.setLong(1, userId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.ofNullable(rs.getString(1)).filter(s -> !s.isBlank()) : Optional.empty();
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Could not read the e-mail address of user " + userId, e);
        }
    }

    private interface Binder {
        void bind(PreparedStatement ps) throws SQLException;
    }

    private Optional<Long> queryLong(String sql, Binder binder) {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            binder.bind(ps);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(rs.getLong(1)) : Optional.empty();
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Could not look up users for a process action", e);
        }
    }
}
