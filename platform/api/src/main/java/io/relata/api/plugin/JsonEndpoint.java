package io.relata.api.plugin;

import java.io.IOException;
import java.net.URI;
import java.util.Map;

/**
 * The surrounding system an administrator configured for an integration ({@code CRM_INTEGRATION_<NAME>_URL}, with
 * {@code _API_KEY} or {@code _USER}/{@code _PASSWORD} and {@code _TIMEOUT_MS}), lent to the integration for one
 * call: it speaks JSON over HTTP(S), authenticates (bearer key or basic user and password) and keeps to the timeout,
 * so a plugin needs neither an HTTP nor a JSON library of its own, nor code for credentials.
 *
 * <p>Values are plain: text, {@link java.math.BigDecimal} numbers, booleans, lists, maps and null (dates are sent as
 * ISO text).
 */
public interface JsonEndpoint {

    /** Where the calls go, for messages. */
    URI url();

    /**
     * POSTs {@code body} as a JSON object and returns the JSON object answered.
     *
     * @throws IOException when the system cannot be reached, the time is up, it answers with a status other than
     *                     2xx (the message holds the status and the start of the body), or its answer is not a JSON
     *                     object
     */
    Map<String, Object> post(Map<String, Object> body) throws IOException;
}
