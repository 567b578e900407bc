package io.relata.plugin.insurance;

import io.relata.api.model.LocalizedText;
import io.relata.api.plugin.Integration;
import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.Map;
import org.pf4j.Extension;

/**
 * Underwriting of a policy ({@code insurance_underwriting}, operation {@code assess}; payload: line, sum_insured,
 * age). Built-in rules, documented in plugins/insurance/README.md: above the line's limit the case is referred to
 * an underwriter; life insurance above age 65 with a sum above 250,000 is declined; everything else is accepted,
 * with risk class A (up to half the limit) or B.
 */
@Extension
public class Underwriting implements Integration {

    @Override
    public String name() {
        return "insurance_underwriting";
    }

    @Override
    public Response call(Request request) {
        String line = String.valueOf(request.payload().get("line"));
        Tariffs.Line tariff = Tariffs.line(line);
        BigDecimal sum = request.payload().get("sum_insured") instanceof BigDecimal b ? b : BigDecimal.ZERO;
        Integer age = request.payload().get("age") instanceof BigDecimal a ? a.intValue() : null;
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
        data.put("risk_class", sum.compareTo(tariff.referAbove().divide(BigDecimal.valueOf(2))) <= 0 ? "A" : "B");
        return new Response(true, data, LocalizedText.of("Angenommen.", "Accepted."));
    }
}
