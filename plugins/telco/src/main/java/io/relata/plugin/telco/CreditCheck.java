package io.relata.plugin.telco;

import io.relata.api.model.LocalizedText;
import io.relata.api.plugin.Integration;
import java.io.IOException;
import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.pf4j.Extension;

/**
 * The credit check before a contract ({@code telco_credit_check}, operation {@code check}; payload: the
 * subscription's values). With {@code CRM_INTEGRATION_TELCO_CREDIT_CHECK_URL} the credit bureau decides; without,
 * the built-in rules of plugins/telco/README.md: a device financed above 1,200 is declined without a down payment,
 * a monthly amount (plan + device instalment) above 150 is referred, everything else approved with a limit of
 * 1,500.
 */
@Extension
public class CreditCheck implements Integration {

    static final List<String> DECISIONS = List.of("approved", "referred", "declined");
    static final BigDecimal DEVICE_LIMIT = new BigDecimal("1200");
    static final BigDecimal MONTHLY_LIMIT = new BigDecimal("150");
    static final BigDecimal CREDIT_LIMIT = new BigDecimal("1500");

    @Override
    public String name() {
        return "telco_credit_check";
    }

    @Override
    public Response call(Request request) throws IOException {
        Map<String, Object> payload = request.payload();
        if (request.endpoint() == null) {
            return builtInRules(payload);
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("operation", request.operation());
        body.put("customer", payload.get("customer"));
        body.put("monthly_amount", monthlyAmount(payload));
        body.put("device_price", amount(payload, "device_price"));
        Map<String, Object> answer = request.endpoint().post(body);
        Object decision = answer.get("decision");
        if (!DECISIONS.contains(decision)) {
            throw new IOException("The credit bureau at " + request.endpoint().url() + " answered the decision '"
                    + decision + "'; expected one of " + DECISIONS);
        }
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("decision", decision);
        data.put("limit", answer.get("limit") instanceof BigDecimal limit ? limit : null);
        data.put("rules", "bureau");
        return new Response("approved".equals(decision), data, LocalizedText.of(
                "Auskunftei: " + german(String.valueOf(decision)) + ".", "Credit bureau: " + decision + "."));
    }

    static Response builtInRules(Map<String, Object> payload) {
        BigDecimal device = amount(payload, "device_price");
        BigDecimal monthly = monthlyAmount(payload);
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("rules", "built-in");
        if (device.compareTo(DEVICE_LIMIT) > 0 && amount(payload, "down_payment").signum() == 0) {
            data.put("decision", "declined");
            return new Response(false, data, LocalizedText.format(
                    "Abgelehnt: Gerät über {0} nur mit Anzahlung.", "Declined: a device above {0} needs a down payment.",
                    DEVICE_LIMIT.toPlainString()));
        }
        if (monthly.compareTo(MONTHLY_LIMIT) > 0) {
            data.put("decision", "referred");
            return new Response(false, data, LocalizedText.format(
                    "Zur Prüfung: monatlich {0}, mehr als {1}.", "Referred: {0} a month, more than {1}.",
                    monthly.toPlainString(), MONTHLY_LIMIT.toPlainString()));
        }
        data.put("decision", "approved");
        data.put("limit", CREDIT_LIMIT);
        return new Response(true, data, LocalizedText.of("Bonität bestätigt.", "Credit approved."));
    }

    /** What the customer pays a month: the plan's fee plus the device instalment. */
    private static BigDecimal monthlyAmount(Map<String, Object> payload) {
        return amount(payload, "monthly_fee").add(amount(payload, "device_instalment"));
    }

    private static BigDecimal amount(Map<String, Object> payload, String key) {
        return payload.get(key) instanceof BigDecimal number ? number : BigDecimal.ZERO;
    }

    private static String german(String decision) {
        return switch (decision) {
            case "approved" -> "bestätigt";
            case "referred" -> "zur Prüfung";
            default -> "abgelehnt";
        };
    }
}
