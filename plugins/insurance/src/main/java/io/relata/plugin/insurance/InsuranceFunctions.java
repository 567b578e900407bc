package io.relata.plugin.insurance;

import io.relata.api.plugin.RuleFunctions;
import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import org.pf4j.Extension;

/**
 * The tariff for rules: {@code insurance.premium(line, sumInsured, frequency, age)} gives the annual premium,
 * {@code insurance.instalment(...)} one instalment; {@code age} may be null except for life insurance.
 */
@Extension
public class InsuranceFunctions implements RuleFunctions {

    @Override
    public String namespace() {
        return "insurance";
    }

    @Override
    public Map<String, RuleFunction> functions() {
        return Map.of(
                "premium", args -> Tariffs.annualPremium(text(args, 0, "line"), number(args, 1, "sum insured"),
                        text(args, 2, "payment frequency"), age(args)),
                "instalment", args -> Tariffs.instalment(text(args, 0, "line"), number(args, 1, "sum insured"),
                        text(args, 2, "payment frequency"), age(args)));
    }

    private static String text(List<Object> args, int index, String what) {
        Object value = index < args.size() ? args.get(index) : null;
        if (!(value instanceof String text)) {
            throw new IllegalArgumentException("argument " + (index + 1) + " (" + what + ") must be a text, not " + value);
        }
        return text;
    }

    private static BigDecimal number(List<Object> args, int index, String what) {
        Object value = index < args.size() ? args.get(index) : null;
        if (!(value instanceof BigDecimal number)) {
            throw new IllegalArgumentException("argument " + (index + 1) + " (" + what + ") must be a number, not " + value);
        }
        return number;
    }

    private static Integer age(List<Object> args) {
        Object value = args.size() > 3 ? args.get(3) : null;
        return value instanceof BigDecimal number ? number.intValue() : null;
    }
}
