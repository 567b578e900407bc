package io.relata.api.plugin;

import io.relata.api.model.LocalizedText;
import java.util.Map;
import java.util.Objects;
import org.pf4j.ExtensionPoint;

/**
 * A call to a surrounding system that answers: credit check, pricing, underwriting, number porting. The
 * platform calls it by {@link #name()} with a timeout and records every call (request, answer, duration, who,
 * which plugin version) so that a decision can be traced later.
 *
 * <p><b>When</b>: when a process, a dialog or a quote asks for it, and on the administrator's test call.
 * <b>Thread</b>: a platform thread; the caller waits up to the timeout. <b>Transaction</b>: none. <b>May not</b>:
 * keep the request beyond the call; an integration that asks a system over HTTP uses {@link Request#endpoint()}
 * (configured by the administrator, with credentials and timeout) and otherwise reads configuration from
 * {@link Request#settings()}, never from files of the host.
 */
public interface Integration extends ExtensionPoint {

    /** The name callers use, e.g. {@code "credit_check"}; unique among the enabled plugins. */
    String name();

    /**
     * @return the answer; {@link Response#ok} false is a regular "no" (credit refused) and is recorded as such
     * @throws Exception when the system could not be asked; recorded as an error, the caller sees the message
     */
    Response call(Request request) throws Exception;

    /**
     * @param operation what is asked, e.g. {@code "check"}
     * @param payload   the data, plain values (String, BigDecimal, Boolean, List, Map, null)
     * @param entity    the entity of the record the call is about, or null
     * @param recordId  the record, or null
     * @param settings  the integration's settings from the platform's configuration (URL, timeout, key), may be empty
     * @param endpoint  the configured system to ask, ready to use; null when no URL is configured (then answer from
     *                  the plugin's documented built-in rules, so that a demo works offline)
     */
    record Request(String operation, Map<String, Object> payload, String entity, Long recordId,
                   Map<String, String> settings, JsonEndpoint endpoint) {
        public Request {
            Objects.requireNonNull(operation, "operation");
            payload = payload == null ? Map.of() : java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(payload));
            settings = settings == null ? Map.of() : Map.copyOf(settings);
        }

        /** A request without a configured system (built-in rules answer). */
        public Request(String operation, Map<String, Object> payload, String entity, Long recordId,
                       Map<String, String> settings) {
            this(operation, payload, entity, recordId, settings, null);
        }
    }

    /**
     * @param ok      the system's yes or no
     * @param data    what it answered, plain values
     * @param message a sentence for the user, in German and English (may be null)
     */
    record Response(boolean ok, Map<String, Object> data, LocalizedText message) {
        public Response {
            data = data == null ? Map.of() : java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(data));
        }
    }
}
