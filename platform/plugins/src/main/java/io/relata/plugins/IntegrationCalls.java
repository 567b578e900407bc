package io.relata.plugins;

import io.relata.api.model.LocalizedText;
import io.relata.api.plugin.Integration;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.logging.Level;
import java.util.logging.Logger;
import javax.sql.DataSource;

/**
 * Calls integrations of the enabled plugins and records each call ({@code crm_integration_call}): the request, the
 * answer or the failure, the duration, who asked and which plugin version answered. The integration's settings
 * (URL, key, timeout) come from the platform's configuration, never from the caller.
 */
public final class IntegrationCalls {

    private static final Logger LOG = Logger.getLogger(IntegrationCalls.class.getName());
    private static final int MAX_TEXT = 20_000;

    /** How a call ended. */
    public enum Outcome { OK, NO, ERROR }

    /** One recorded call. */
    public record Call(long id, String integration, String operation, String pluginId, String pluginVersion,
                       String entity, Long recordId, String actor, OffsetDateTime startedAt, long durationMs,
                       Outcome outcome, String request, String response, String message) {
    }

    private final ExtensionRegistry extensions;
    private final DataSource dataSource;
    private final Function<String, Map<String, String>> settings;
    private final PlainJson json;
    private final java.net.http.HttpClient http = HttpJsonEndpoint.newClient();
    private final Clock clock;
    /** The platform's own integrations by name, asked when no enabled plugin offers the name (a plugin's wins). */
    private final Map<String, Integration> builtIns;
    /** Recorded as the plugin of a built-in integration's calls. */
    public static final String CORE = "core";

    /**
     * @param settings an integration's settings by its name (e.g. from {@code CRM_INTEGRATION_<NAME>_URL})
     * @param json     plain values as JSON text (for the record of a call and the configured endpoint)
     */
    public IntegrationCalls(ExtensionRegistry extensions, DataSource dataSource,
                            Function<String, Map<String, String>> settings, PlainJson json, Clock clock) {
        this(extensions, dataSource, settings, json, clock, List.of());
    }

    /**
     * @param builtIns the platform's own integrations (a credit check by built-in rules, the ERP hand-over), asked
     *                 when no enabled plugin offers their name
     */
    public IntegrationCalls(ExtensionRegistry extensions, DataSource dataSource,
                            Function<String, Map<String, String>> settings, PlainJson json, Clock clock,
                            List<Integration> builtIns) {
        this.extensions = extensions;
        this.dataSource = dataSource;
        this.settings = settings;
        this.json = json;
        this.clock = clock;
        Map<String, Integration> byName = new java.util.LinkedHashMap<>();
        builtIns.forEach(integration -> byName.put(integration.name(), integration));
        this.builtIns = java.util.Collections.unmodifiableMap(byName);
    }

    /** The names callers can use: those of the enabled plugins and the platform's own. */
    public java.util.Set<String> names() {
        java.util.Set<String> names = new java.util.TreeSet<>(builtIns.keySet());
        names.addAll(extensions.integrations());
        return names;
    }

    /**
     * Calls {@code integration} and records the call.
     *
     * @return the answer with the id of its record, or empty when no enabled plugin provides the integration
     * @throws PluginCallException when the integration failed, timed out or answered nothing (recorded as ERROR)
     */
    public Optional<Recorded> call(String integration, String operation, Map<String, Object> payload, String entity,
                                   Long recordId, String actor) {
        if (!extensions.integrations().contains(integration)) {
            return builtIns.containsKey(integration)
                    ? Optional.of(callBuiltIn(builtIns.get(integration), operation, payload, entity, recordId, actor))
                    : Optional.empty();
        }
        Instant started = clock.instant();
        long startNanos = System.nanoTime();
        try {
            Integration.Request request = request(integration, operation, payload, entity, recordId);
            ExtensionRegistry.Answer<Integration.Response> answer = extensions.callIntegration(integration, request)
                    .orElseThrow(() -> new PluginCallException(null, LocalizedText.format(
                            "Die Integration {0} wurde gerade entfernt.", "The integration {0} was just removed.",
                            integration), null));
            Integration.Response response = answer.value();
            long id = record(integration, operation, answer.pluginId(), answer.pluginVersion(), entity, recordId, actor,
                    started, startNanos, response.ok() ? Outcome.OK : Outcome.NO, json.write(payload),
                    json.write(response.data()), response.message() == null ? null : response.message().in("en"));
            return Optional.of(new Recorded(id, response, answer.pluginId(), answer.pluginVersion()));
        } catch (PluginCallException e) {
            record(integration, operation, e.pluginId(), null, entity, recordId, actor, started, startNanos,
                    Outcome.ERROR, json.write(payload), null, e.text().in("en"));
            throw e;
        }
    }

    /** A call of the platform's own integration, recorded like a plugin's with the plugin {@value #CORE}. */
    private Recorded callBuiltIn(Integration integration, String operation, Map<String, Object> payload, String entity,
                                 Long recordId, String actor) {
        Instant started = clock.instant();
        long startNanos = System.nanoTime();
        String name = integration.name();
        try {
            Integration.Response response = integration.call(request(name, operation, payload, entity, recordId));
            long id = record(name, operation, CORE, null, entity, recordId, actor, started, startNanos,
                    response.ok() ? Outcome.OK : Outcome.NO, json.write(payload), json.write(response.data()),
                    response.message() == null ? null : response.message().in("en"));
            return new Recorded(id, response, CORE, null);
        } catch (PluginCallException e) {
            record(name, operation, CORE, null, entity, recordId, actor, started, startNanos, Outcome.ERROR,
                    json.write(payload), null, e.text().in("en"));
            throw e;
        } catch (Exception e) {
            String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            record(name, operation, CORE, null, entity, recordId, actor, started, startNanos, Outcome.ERROR,
                    json.write(payload), null, message);
            throw new PluginCallException(CORE, LocalizedText.format("Die Integration {0} ist fehlgeschlagen: {1}",
                    "The integration {0} failed: {1}", name, message), e);
        }
    }

    private Integration.Request request(String integration, String operation, Map<String, Object> payload,
                                        String entity, Long recordId) {
        Map<String, String> configured = settings.apply(integration);
        payload = plainRequest(payload);
        try {
            return new Integration.Request(operation, payload, entity, recordId, configured,
                    HttpJsonEndpoint.of(integration, configured, json, http).orElse(null));
        } catch (IllegalArgumentException e) {
            throw new PluginCallException(null, LocalizedText.format("Die Integration {0} ist falsch eingerichtet: {1}",
                    "The integration {0} is set up wrongly: {1}", integration, e.getMessage()), e);
        }
    }

    /**
     * The payload as a remote system would read it, whoever queued it: dates as ISO text, every number a BigDecimal
     * (a record's values arrive typed from a form, as JSON from the outbox).
     */
    @SuppressWarnings("unchecked")
    private Map<String, Object> plainRequest(Map<String, Object> payload) {
        return payload == null ? Map.of() : (Map<String, Object>) ExtensionRegistry.plainValue(json.read(json.write(payload)));
    }

    /** An answer and the id of its record in {@code crm_integration_call}. */
    public record Recorded(long callId, Integration.Response response, String pluginId, String pluginVersion) {
    }

    private long record(String integration, String operation, String pluginId, String pluginVersion, String entity,
                        Long recordId, String actor, Instant started, long startNanos, Outcome outcome, String request,
                        String response, String message) {
        long durationMs = (System.nanoTime() - startNanos) / 1_000_000;
        try (Connection c = dataSource.getConnection();
             PreparedStatement insert = c.prepareStatement("INSERT INTO crm_integration_call (integration, operation,"
                     + " plugin_id, plugin_version, entity, record_id, actor, started_at, duration_ms, outcome, request,"
                     + " response, message) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", new String[] {"id"})) {
            insert.setString(1, integration);
            insert.setString(2, operation);
            insert.setString(3, pluginId);
            insert.setString(4, pluginVersion);
            insert.setString(5, entity);
            if (recordId == null) {
                insert.setNull(6, Types.BIGINT);
            } else {
                insert.setLong(6, recordId);
            }
            insert.setString(7, actor);
            insert.setTimestamp(8, Timestamp.from(started));
            insert.setLong(9, durationMs);
            insert.setString(10, outcome.name());
            insert.setString(11, cut(request, MAX_TEXT));
            insert.setString(12, cut(response, MAX_TEXT));
            insert.setString(13, cut(message, 4000));
            insert.executeUpdate();
            try (ResultSet keys = insert.getGeneratedKeys()) {
                return keys.next() ? keys.getLong(1) : -1;
            }
        } catch (SQLException e) {
            // the call happened; losing its record is logged, the caller gets the answer
            LOG.log(Level.WARNING, "Could not record the call of the integration " + integration, e);
            return -1;
        }
    }

    /** The latest calls, newest first; of one record when {@code entity} and {@code recordId} are given. */
    public List<Call> calls(String entity, Long recordId, int limit) {
        String where = entity == null ? "" : " WHERE entity = ? AND record_id = ?";
        try (Connection c = dataSource.getConnection();
             PreparedStatement s = c.prepareStatement("SELECT id, integration, operation, plugin_id, plugin_version,"
                     + " entity, record_id, actor, started_at, duration_ms, outcome, request, response, message"
                     + " FROM crm_integration_call" + where + " ORDER BY id DESC FETCH FIRST " + Math.max(1, limit)
                     + " ROWS ONLY")) {
            if (entity != null) {
                s.setString(1, entity);
                s.setLong(2, recordId == null ? -1 : recordId);
            }
            try (ResultSet rs = s.executeQuery()) {
                List<Call> out = new ArrayList<>();
                while (rs.next()) {
                    long record = rs.getLong(7);
                    Long recordOrNull = rs.wasNull() ? null : record;
                    out.add(new Call(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5),
                            rs.getString(6), recordOrNull, rs.getString(8),
                            rs.getTimestamp(9).toInstant().atOffset(ZoneOffset.UTC), rs.getLong(10),
                            Outcome.valueOf(rs.getString(11)), rs.getString(12), rs.getString(13), rs.getString(14)));
                }
                return out;
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Cannot read the integration calls: " + e.getMessage(), e);
        }
    }

    private static String cut(String text, int max) {
        return text == null || text.length() <= max ? text : text.substring(0, max - 1) + "…";
    }
}
