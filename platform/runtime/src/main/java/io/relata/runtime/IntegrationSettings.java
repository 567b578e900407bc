package io.relata.runtime;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The settings of an integration, read when it is called: system properties {@code crm.integration.<name>.<key>}
 * first, then environment variables {@code CRM_INTEGRATION_<NAME>_<KEY>}, for the keys {@link #KEYS} (e.g.
 * {@code CRM_INTEGRATION_CREDIT_CHECK_URL}). An integration without settings answers from its built-in rules.
 */
final class IntegrationSettings {

    /** The keys an integration may be given. */
    static final List<String> KEYS = List.of("url", "api_key", "user", "password", "timeout_ms");

    private final Map<String, String> environment;
    private final java.util.Properties properties;

    IntegrationSettings(Map<String, String> environment, java.util.Properties properties) {
        this.environment = environment;
        this.properties = properties;
    }

    static IntegrationSettings fromSystem() {
        return new IntegrationSettings(System.getenv(), System.getProperties());
    }

    Map<String, String> of(String integration) {
        Map<String, String> settings = new LinkedHashMap<>();
        for (String key : KEYS) {
            String value = properties.getProperty("crm.integration." + integration + "." + key);
            if (value == null) {
                value = environment.get(("CRM_INTEGRATION_" + integration + "_" + key).toUpperCase(Locale.ROOT));
            }
            if (value != null && !value.isBlank()) {
                settings.put(key, value.strip());
            }
        }
        return settings;
    }
}
