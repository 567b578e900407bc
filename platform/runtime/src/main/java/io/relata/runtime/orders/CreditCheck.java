package io.relata.runtime.orders;

import io.relata.api.model.LocalizedText;
import io.relata.api.plugin.Integration;
import java.io.IOException;
import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The platform's credit check before an order ({@value #NAME}, operation {@code check}; the payload is the order's
 * values and the action's parameters). With {@code CRM_INTEGRATION_CREDIT_CHECK_URL} the configured system decides
 * (it receives {operation, order, account, amount, currency} and answers {decision: approved|review|refused, limit,
 * message}); without one, the built-in rule: an order whose gross total is at most the {@code limit} parameter
 * (metadata/processes/sales_order.yaml; {@value #DEFAULT_LIMIT} if none) is approved, a larger one goes to review by
 * sales management. A plugin that offers an integration of the same name replaces this one.
 */
public final class CreditCheck implements Integration {

    public static final String NAME = "credit_check";
    static final BigDecimal DEFAULT_LIMIT = new BigDecimal("250000");
    static final List<String> DECISIONS = List.of("approved", "review", "refused");

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Response call(Request request) throws IOException {
        Map<String, Object> payload = request.payload();
        BigDecimal amount = amount(payload.get("gross_total"));
        if (request.endpoint() == null) {
            return builtIn(amount, payload.get("limit"));
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("operation", request.operation());
        body.put("order", payload.get("number"));
        body.put("account", payload.get("account"));
        body.put("amount", amount);
        body.put("currency", payload.get("currency"));
        Map<String, Object> answer = request.endpoint().post(body);
        Object decision = answer.get("decision");
        if (!DECISIONS.contains(decision)) {
            throw new IOException("The credit check at " + request.endpoint().url() + " answered the decision '"
                    + decision + "'; expected one of " + DECISIONS);
        }
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("decision", decision);
        data.put("limit", answer.get("limit") instanceof BigDecimal limit ? limit : null);
        data.put("rules", "system");
        String said = answer.get("message") == null ? String.valueOf(decision) : String.valueOf(answer.get("message"));
        return new Response("approved".equals(decision), data, LocalizedText.of("Bonitätsprüfung: " + said,
                "Credit check: " + said));
    }

    static Response builtIn(BigDecimal amount, Object configuredLimit) {
        BigDecimal limit = configuredLimit instanceof BigDecimal given ? given
                : configuredLimit instanceof Number number ? new BigDecimal(number.toString()) : DEFAULT_LIMIT;
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("limit", limit);
        data.put("rules", "built-in");
        if (amount.compareTo(limit) <= 0) {
            data.put("decision", "approved");
            return new Response(true, data, LocalizedText.format("Bonität bestätigt bis {0}.", "Credit approved up to {0}.",
                    limit.toPlainString()));
        }
        data.put("decision", "review");
        return new Response(false, data, LocalizedText.format(
                "Zur Prüfung: {0} liegt über dem Limit von {1}.", "For review: {0} is above the limit of {1}.",
                amount.toPlainString(), limit.toPlainString()));
    }

    private static BigDecimal amount(Object value) {
        if (value instanceof BigDecimal amount) {
            return amount;
        }
        return value instanceof Number number ? new BigDecimal(number.toString()) : BigDecimal.ZERO;
    }
}
