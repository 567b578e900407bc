package io.relata.plugin.insurance;

import io.relata.api.model.LocalizedText;
import io.relata.api.plugin.Integration;
import io.relata.api.plugin.JsonEndpoint;
import java.io.IOException;
import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.pf4j.Extension;

/**
 * Underwriting of a policy ({@code insurance_underwriting}, operation {@code assess}; payload: the policy's
 * values, of which line, sum_insured and insured_age count). With a configured system
 * ({@code CRM_INTEGRATION_INSURANCE_UNDERWRITING_URL}) the insurer's underwriting service decides; without one the
 * built-in rules of plugins/insurance/README.md do: above the line's limit the case is referred to an underwriter;
 * life insurance from age 66 with a sum above 250,000 is declined; everything else is accepted, with risk class a
 * (up to half the limit) or b.
 */
@Extension
public class Underwriting implements Integration {

    static final List<String> DECISIONS = List.of("accepted", "referred", "declined");

    @Override
    public String name() {
        return "insurance_underwriting";
    }

    @Override
    public Response call(Request request) throws IOException {
        return request.endpoint() != null ? askService(request.endpoint(), request) : builtInRules(request.payload());
    }

    /**
     * The service gets {operation, line, sum_insured, insured_age, policy} and answers {decision, risk_class?,
     * message?: {de, en}}.
     */
    private static Response askService(JsonEndpoint endpoint, Request request) throws IOException {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("operation", request.operation());
        body.put("line", request.payload().get("line"));
        body.put("sum_insured", request.payload().get("sum_insured"));
        body.put("insured_age", age(request.payload()));
        body.put("policy", request.payload().get("number"));
        Map<String, Object> answer = endpoint.post(body);
        Object decision = answer.get("decision");
        if (!DECISIONS.contains(decision)) {
            throw new IOException("The underwriting service at " + endpoint.url() + " answered the decision '" + decision
                    + "'; expected one of " + DECISIONS);
        }
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("decision", decision);
        data.put("rules", "service");
        if (answer.get("risk_class") instanceof String riskClass) {
            data.put("risk_class", riskClass.toLowerCase(java.util.Locale.ROOT));
        }
        LocalizedText message = answer.get("message") instanceof Map<?, ?> text
                && text.get("de") instanceof String de && text.get("en") instanceof String en
                ? LocalizedText.of(de, en) : outcome(String.valueOf(decision));
        return new Response("accepted".equals(decision), data, message);
    }

    private static LocalizedText outcome(String decision) {
        return switch (decision) {
            case "accepted" -> LocalizedText.of("Angenommen.", "Accepted.");
            case "referred" -> LocalizedText.of("An die Risikoprüfung verwiesen.", "Referred to an underwriter.");
            default -> LocalizedText.of("Abgelehnt.", "Declined.");
        };
    }

    static Response builtInRules(Map<String, Object> payload) {
        String line = String.valueOf(payload.get("line"));
        Tariffs.Line tariff = Tariffs.line(line);
        BigDecimal sum = payload.get("sum_insured") instanceof BigDecimal b ? b : BigDecimal.ZERO;
        Integer age = age(payload);
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("rules", "built-in");
        if ("life".equals(line) && age != null && age > 65 && sum.compareTo(new BigDecimal("250000")) > 0) {
            data.put("decision", "declined");
            return new Response(false, data, LocalizedText.of(
                    "Abgelehnt: Lebensversicherung über 250.000 ab 66 Jahren nur als Einzelfall.",
                    "Declined: life cover above 250,000 from age 66 only as an individual case."));
        }
        if (sum.compareTo(tariff.referAbove()) > 0) {
            data.put("decision", "referred");
            return new Response(false, data, LocalizedText.format(
                    "An die Risikoprüfung verwiesen: Summe über {0}.", "Referred to an underwriter: sum above {0}.",
                    tariff.referAbove().toPlainString()));
        }
        data.put("decision", "accepted");
        data.put("risk_class", sum.compareTo(tariff.referAbove().divide(BigDecimal.valueOf(2))) <= 0 ? "a" : "b");
        return new Response(true, data, LocalizedText.of("Angenommen.", "Accepted."));
    }

    /** The insured person's age: {@code insured_age} of a policy, or {@code age} of a test call. */
    private static Integer age(Map<String, Object> payload) {
        Object age = payload.containsKey("insured_age") ? payload.get("insured_age") : payload.get("age");
        return age instanceof BigDecimal number ? number.intValue() : null;
    }
}
