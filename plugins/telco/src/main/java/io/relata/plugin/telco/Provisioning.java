package io.relata.plugin.telco;

import io.relata.api.model.LocalizedText;
import io.relata.api.plugin.Integration;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import org.pf4j.Extension;

/**
 * Hands a subscription to the network's provisioning ({@code telco_provisioning}, operation {@code activate};
 * payload: the subscription's values). With {@code CRM_INTEGRATION_TELCO_PROVISIONING_URL} the provisioning system
 * answers {@code {status: activated | failed, message?}}; without, the built-in rules activate every subscription
 * whose ICCID is valid and refuse the others.
 */
@Extension
public class Provisioning implements Integration {

    @Override
    public String name() {
        return "telco_provisioning";
    }

    @Override
    public Response call(Request request) throws IOException {
        Map<String, Object> payload = request.payload();
        Map<String, Object> data = new LinkedHashMap<>();
        if (request.endpoint() != null) {
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("msisdn", payload.get("msisdn"));
            body.put("iccid", payload.get("iccid"));
            body.put("rate_plan", payload.get("rate_plan"));
            Map<String, Object> answer = request.endpoint().post(body);
            Object status = answer.get("status");
            if (!"activated".equals(status) && !"failed".equals(status)) {
                throw new IOException("The provisioning system at " + request.endpoint().url() + " answered the status '"
                        + status + "'; expected activated or failed");
            }
            data.put("status", status);
            return new Response("activated".equals(status), data, null);
        }
        if (!Iccid.valid(payload.get("iccid") == null ? null : String.valueOf(payload.get("iccid")))) {
            data.put("status", "failed");
            return new Response(false, data, LocalizedText.of("SIM-Karte unbekannt: ICCID ungültig.",
                    "Unknown SIM card: the ICCID is not valid."));
        }
        data.put("status", "activated");
        return new Response(true, data, LocalizedText.of("Im Netz aktiviert.", "Activated in the network."));
    }
}
