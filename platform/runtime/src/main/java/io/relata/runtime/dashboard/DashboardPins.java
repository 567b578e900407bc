package io.relata.runtime.dashboard;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import javax.sql.DataSource;

/**
 * The dashboards a user pinned ({@code crm_dashboard_pin}), in the order they pinned them. Names only: whether the
 * user still sees a pinned dashboard is decided when it is shown.
 */
public final class DashboardPins {

    private final DataSource dataSource;

    public DashboardPins(DataSource dataSource) {
        this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
    }

    /** The names the user pinned, first pinned first. */
    public List<String> pinned(long userId) {
        try (Connection c = dataSource.getConnection(); PreparedStatement select = c.prepareStatement(
                "SELECT dashboard FROM crm_dashboard_pin WHERE user_id = ? ORDER BY position, dashboard")) {
            select.setLong(1, userId);
            List<String> names = new ArrayList<>();
            try (ResultSet rs = select.executeQuery()) {
                while (rs.next()) {
                    names.add(rs.getString(1));
                }
            }
            return names;
        } catch (SQLException e) {
            throw new IllegalStateException("The pinned dashboards could not be read", e);
        }
    }

    /** Pins {@code dashboard} after the user's other pins; pinning twice changes nothing. */
    public void pin(long userId, String dashboard) {
        try (Connection c = dataSource.getConnection(); PreparedStatement insert = c.prepareStatement(
                "INSERT INTO crm_dashboard_pin (user_id, dashboard, position) SELECT ?, ?, COALESCE(MAX(position), 0) + 1"
                        + " FROM crm_dashboard_pin WHERE user_id = ? AND NOT EXISTS (SELECT 1 FROM crm_dashboard_pin"
                        + " WHERE user_id = ? AND dashboard = ?)")) {
            insert.setLong(1, userId);
            insert.setString(2, dashboard);
            insert.setLong(3, userId);
            insert.setLong(4, userId);
            insert.setString(5, dashboard);
            insert.executeUpdate();
        } catch (SQLException e) {
            if (isDuplicate(e)) {
                return; // pinned at the same moment from another tab
            }
            throw new IllegalStateException("The dashboard could not be pinned", e);
        }
    }

    public void unpin(long userId, String dashboard) {
        try (Connection c = dataSource.getConnection(); PreparedStatement delete = c.prepareStatement(
                "DELETE FROM crm_dashboard_pin WHERE user_id = ? AND dashboard = ?")) {
            delete.setLong(1, userId);
            delete.setString(2, dashboard);
            delete.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException("The dashboard could not be unpinned", e);
        }
    }

    private static boolean isDuplicate(SQLException e) {
        return e.getSQLState() != null && e.getSQLState().startsWith("23");
    }
}
