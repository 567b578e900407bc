package io.relata.plugin.insurance;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Map;

/**
 * The tariff table: the annual premium of a policy from its line of business, sum insured, payment frequency and,
 * for life insurance, the insured person's age. Rates are per mille of the sum insured; every line has a minimum
 * premium; paying more often than yearly costs a surcharge. Pure: the same question always gets the same answer.
 */
final class Tariffs {

    /** A line of business with its rate (‰ of the sum insured), minimum premium and the sum above which underwriting refers. */
    record Line(String name, BigDecimal ratePerMille, BigDecimal minimumPremium, BigDecimal referAbove) {
    }

    static final Map<String, Line> LINES = Map.of(
            "liability", new Line("liability", new BigDecimal("0.60"), new BigDecimal("60"), new BigDecimal("10000000")),
            "household", new Line("household", new BigDecimal("1.20"), new BigDecimal("80"), new BigDecimal("500000")),
            "life", new Line("life", new BigDecimal("2.50"), new BigDecimal("120"), new BigDecimal("1000000")));

    /** Surcharge on the annual premium by payment frequency. */
    static final Map<String, BigDecimal> FREQUENCY_SURCHARGE = Map.of(
            "yearly", BigDecimal.ZERO, "half_yearly", new BigDecimal("0.02"), "quarterly", new BigDecimal("0.03"),
            "monthly", new BigDecimal("0.05"));

    static final Map<String, Integer> INSTALMENTS = Map.of("yearly", 1, "half_yearly", 2, "quarterly", 4, "monthly", 12);

    private Tariffs() {
    }

    static Line line(String name) {
        Line line = LINES.get(name);
        if (line == null) {
            throw new IllegalArgumentException("no tariff for the line '" + name + "'; lines: liability, household, life");
        }
        return line;
    }

    /** Life insurance costs more with age: +3 % per year of age above 30 (age 18 to 75). */
    static BigDecimal ageFactor(String line, Integer age) {
        if (!"life".equals(line)) {
            return BigDecimal.ONE;
        }
        if (age == null) {
            throw new IllegalArgumentException("a life tariff needs the insured person's age");
        }
        if (age < 18 || age > 75) {
            throw new IllegalArgumentException("the life tariff covers ages 18 to 75, not " + age);
        }
        return BigDecimal.ONE.add(new BigDecimal("0.03").multiply(BigDecimal.valueOf(Math.max(0, age - 30))));
    }

    /** The annual premium, rounded to cents, at least the line's minimum. */
    static BigDecimal annualPremium(String lineName, BigDecimal sumInsured, String frequency, Integer age) {
        Line line = line(lineName);
        if (sumInsured == null || sumInsured.signum() <= 0) {
            throw new IllegalArgumentException("the sum insured must be above 0");
        }
        BigDecimal surcharge = FREQUENCY_SURCHARGE.get(frequency);
        if (surcharge == null) {
            throw new IllegalArgumentException("no payment frequency '" + frequency + "'; frequencies: yearly, half_yearly, quarterly, monthly");
        }
        BigDecimal base = sumInsured.multiply(line.ratePerMille()).divide(BigDecimal.valueOf(1000))
                .multiply(ageFactor(lineName, age)).max(line.minimumPremium());
        return base.multiply(BigDecimal.ONE.add(surcharge)).setScale(2, RoundingMode.HALF_UP);
    }

    /** One instalment of the annual premium. */
    static BigDecimal instalment(String lineName, BigDecimal sumInsured, String frequency, Integer age) {
        return annualPremium(lineName, sumInsured, frequency, age)
                .divide(BigDecimal.valueOf(INSTALMENTS.get(frequency)), 2, RoundingMode.HALF_UP);
    }
}
