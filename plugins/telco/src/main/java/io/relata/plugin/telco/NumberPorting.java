package io.relata.plugin.telco;

import io.relata.api.model.LocalizedText;
import io.relata.api.plugin.Integration;
import java.io.IOException;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.pf4j.Extension;

/**
 * Takes a number over from the previous provider ({@code telco_number_porting}, operation {@code port}; payload: the
 * subscription's values, of which msisdn, previous_provider and port_requested count). With
 * {@code CRM_INTEGRATION_TELCO_NUMBER_PORTING_URL} the porting platform answers; without, the built-in rules: no
 * porting asked for → {@code not_needed}; a previous provider given → {@code confirmed} for the requested date or,
 * without one, seven days from the call (the usual porting window); no previous provider named → {@code rejected}.
 */
@Extension
public class NumberPorting implements Integration {

    static final List<String> STATES = List.of("not_needed", "confirmed", "rejected");

    @Override
    public String name() {
        return "telco_number_porting";
    }

    @Override
    public Response call(Request request) throws IOException {
        Map<String, Object> payload = request.payload();
        Map<String, Object> data = new LinkedHashMap<>();
        if (!Boolean.TRUE.equals(payload.get("port_number"))) {
            data.put("status", "not_needed");
            return new Response(true, data, LocalizedText.of("Keine Portierung beauftragt.", "No porting ordered."));
        }
        if (request.endpoint() != null) {
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("msisdn", payload.get("msisdn"));
            body.put("previous_provider", payload.get("previous_provider"));
            body.put("requested_date", payload.get("port_date"));
            Map<String, Object> answer = request.endpoint().post(body);
            if (!STATES.contains(answer.get("status"))) {
                throw new IOException("The porting platform at " + request.endpoint().url() + " answered the status '"
                        + answer.get("status") + "'; expected one of " + STATES);
            }
            data.put("status", answer.get("status"));
            data.put("port_date", answer.get("port_date"));
            return new Response(!"rejected".equals(answer.get("status")), data, null);
        }
        Object provider = payload.get("previous_provider");
        if (provider == null || String.valueOf(provider).isBlank()) {
            data.put("status", "rejected");
            return new Response(false, data, LocalizedText.of("Portierung abgelehnt: bisheriger Anbieter fehlt.",
                    "Porting rejected: the previous provider is missing."));
        }
        Object requested = payload.get("port_date");
        String date = requested != null ? String.valueOf(requested) : LocalDate.now().plusDays(7).toString();
        data.put("status", "confirmed");
        data.put("port_date", date);
        return new Response(true, data, LocalizedText.format("Portierung von {0} bestätigt zum {1}.",
                "Porting from {0} confirmed for {1}.", provider, date));
    }
}
