package io.relata.plugins;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * Which plugins are installed and enabled (table {@code crm_plugin}) and what happened to them
 * ({@code crm_plugin_event}): the record of who installed which jar when, that the admin page shows.
 */
public final class PluginLedger {

    /** What happened to a plugin. */
    public enum Action { INSTALL, UPGRADE, ENABLE, DISABLE, UNINSTALL, REFUSED, FAILED }

    /** An installed plugin as recorded. */
    public record Installed(String id, String version, String provider, boolean enabled, String jarFile,
                            String sha256, String installedBy, OffsetDateTime installedAt, String previousVersion) {
    }

    /** One line of a plugin's history. */
    public record Event(long id, String pluginId, Action action, String version, String previousVersion,
                        String sha256, String actor, OffsetDateTime at, String detail) {
    }

    private final DataSource dataSource;

    public PluginLedger(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    public List<Installed> installed() {
        try (Connection c = dataSource.getConnection();
             PreparedStatement s = c.prepareStatement("SELECT plugin_id, version, provider, enabled, jar_file, jar_sha256,"
                     + " installed_by, installed_at, previous_version FROM crm_plugin ORDER BY plugin_id");
             ResultSet rs = s.executeQuery()) {
            List<Installed> out = new ArrayList<>();
            while (rs.next()) {
                out.add(new Installed(rs.getString(1), rs.getString(2), rs.getString(3), rs.getBoolean(4),
                        rs.getString(5), rs.getString(6), rs.getString(7), time(rs.getTimestamp(8)), rs.getString(9)));
            }
            return out;
        } catch (SQLException e) {
            throw new IllegalStateException("Cannot read the installed plugins (crm_plugin): " + e.getMessage(), e);
        }
    }

    public Optional<Installed> installed(String pluginId) {
        return installed().stream().filter(p -> p.id().equals(pluginId)).findFirst();
    }

    /** Records an install or upgrade (the row replaced) together with its history line, in one transaction. */
    void recordInstall(Installed plugin, Action action, String actor) {
        inTransaction(c -> {
            try (PreparedStatement delete = c.prepareStatement("DELETE FROM crm_plugin WHERE plugin_id = ?")) {
                delete.setString(1, plugin.id());
                delete.executeUpdate();
            }
            try (PreparedStatement insert = c.prepareStatement("INSERT INTO crm_plugin (plugin_id, version, provider,"
                    + " enabled, jar_file, jar_sha256, installed_by, installed_at, previous_version)"
                    + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
                insert.setString(1, plugin.id());
                insert.setString(2, plugin.version());
                insert.setString(3, plugin.provider());
                insert.setBoolean(4, plugin.enabled());
                insert.setString(5, plugin.jarFile());
                insert.setString(6, plugin.sha256());
                insert.setString(7, plugin.installedBy());
                insert.setTimestamp(8, Timestamp.from(plugin.installedAt().toInstant()));
                insert.setString(9, plugin.previousVersion());
                insert.executeUpdate();
            }
            event(c, plugin.id(), action, plugin.version(), plugin.previousVersion(), plugin.sha256(), actor, null);
        });
    }

    void recordEnabled(String pluginId, boolean enabled, String version, String actor) {
        inTransaction(c -> {
            try (PreparedStatement update = c.prepareStatement("UPDATE crm_plugin SET enabled = ? WHERE plugin_id = ?")) {
                update.setBoolean(1, enabled);
                update.setString(2, pluginId);
                update.executeUpdate();
            }
            event(c, pluginId, enabled ? Action.ENABLE : Action.DISABLE, version, null, null, actor, null);
        });
    }

    void recordUninstall(String pluginId, String version, String actor) {
        inTransaction(c -> {
            try (PreparedStatement delete = c.prepareStatement("DELETE FROM crm_plugin WHERE plugin_id = ?")) {
                delete.setString(1, pluginId);
                delete.executeUpdate();
            }
            event(c, pluginId, Action.UNINSTALL, version, null, null, actor, null);
        });
    }

    /** A refused install or a plugin that failed to start: history only, the installed state is unchanged. */
    void recordProblem(String pluginId, Action action, String version, String sha256, String actor, String detail) {
        inTransaction(c -> event(c, pluginId, action, version, null, sha256, actor, detail));
    }

    /** The history of one plugin (or of all when {@code pluginId} is null), newest first. */
    public List<Event> history(String pluginId, int limit) {
        String where = pluginId == null ? "" : " WHERE plugin_id = ?";
        try (Connection c = dataSource.getConnection();
             PreparedStatement s = c.prepareStatement("SELECT id, plugin_id, action, version, previous_version, jar_sha256,"
                     + " actor, happened_at, detail FROM crm_plugin_event" + where + " ORDER BY id DESC FETCH FIRST "
                     + Math.max(1, limit) + " ROWS ONLY")) {
            if (pluginId != null) {
                s.setString(1, pluginId);
            }
            try (ResultSet rs = s.executeQuery()) {
                List<Event> out = new ArrayList<>();
                while (rs.next()) {
                    out.add(new Event(rs.getLong(1), rs.getString(2), Action.valueOf(rs.getString(3)), rs.getString(4),
                            rs.getString(5), rs.getString(6), rs.getString(7), time(rs.getTimestamp(8)), rs.getString(9)));
                }
                return out;
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Cannot read the plugin history (crm_plugin_event): " + e.getMessage(), e);
        }
    }

    private static void event(Connection c, String pluginId, Action action, String version, String previousVersion,
                              String sha256, String actor, String detail) throws SQLException {
        try (PreparedStatement insert = c.prepareStatement("INSERT INTO crm_plugin_event (plugin_id, action, version,"
                + " previous_version, jar_sha256, actor, happened_at, detail) VALUES (?, ?, ?, ?, ?, ?, ?, ?)")) {
            insert.setString(1, pluginId);
            insert.setString(2, action.name());
            insert.setString(3, version);
            insert.setString(4, previousVersion);
            insert.setString(5, sha256);
            insert.setString(6, actor);
            insert.setTimestamp(7, Timestamp.from(Instant.now()));
            insert.setString(8, detail == null ? null : detail.length() > 4000 ? detail.substring(0, 3997) + "..." : detail);
            insert.executeUpdate();
        }
    }

    @FunctionalInterface
    private interface Work {
        void run(Connection connection) throws SQLException;
    }

    private void inTransaction(Work work) {
        try (Connection c = dataSource.getConnection()) {
            boolean autoCommit = c.getAutoCommit();
            c.setAutoCommit(false);
            try {
                work.run(c);
                c.commit();
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            } finally {
                c.setAutoCommit(autoCommit);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Cannot record the plugin change (crm_plugin): " + e.getMessage(), e);
        }
    }

    private static OffsetDateTime time(Timestamp timestamp) {
        return timestamp == null ? null : timestamp.toInstant().atOffset(ZoneOffset.UTC);
    }
}
