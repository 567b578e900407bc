package io.relata.plugin.telco;

import io.relata.api.plugin.RuleFunctions;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;
import org.pf4j.Extension;

/**
 * For rules: {@code telco.iccidValid(iccid)} checks a SIM card number (19–20 digits, 89…, Luhn check digit);
 * {@code telco.termEnd(start, months)} gives the end of a minimum term ("2026-03-15", 24 → "2028-03-14": the day
 * before the same day 24 months later), or null while either is missing.
 */
@Extension
public class TelcoFunctions implements RuleFunctions {

    @Override
    public String namespace() {
        return "telco";
    }

    @Override
    public Map<String, RuleFunction> functions() {
        return Map.of(
                "iccidValid", args -> Iccid.valid(args.isEmpty() || args.get(0) == null ? null : String.valueOf(args.get(0))),
                "termEnd", TelcoFunctions::termEnd);
    }

    private static Object termEnd(List<Object> args) {
        Object start = args.isEmpty() ? null : args.get(0);
        Object months = args.size() > 1 ? args.get(1) : null;
        if (start == null || months == null) {
            return null;
        }
        if (!(months instanceof BigDecimal number) || number.signum() < 0) {
            throw new IllegalArgumentException("argument 2 (months) must be a number of months, not " + months);
        }
        try {
            return LocalDate.parse(String.valueOf(start)).plusMonths(number.intValue()).minusDays(1).toString();
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("argument 1 (start) must be a date like 2026-03-15, not " + start);
        }
    }
}
