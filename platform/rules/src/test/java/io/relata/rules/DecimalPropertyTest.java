package io.relata.rules;

import static io.relata.rules.Fixtures.CLOCK;
import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code decimal(x)} against BigDecimal over random quote lines. The lines come from a seeded generator: a failure
 * names the seed and the line, and the same seed gives the same lines again.
 */
class DecimalPropertyTest {

    private static final long SEED = 20261207L;
    private static RuleEngine engine;

    @BeforeAll
    static void start() {
        engine = new RuleEngine(RuleLimits.DEFAULT, CLOCK);
    }

    @AfterAll
    static void stop() {
        engine.close();
    }

    /** A random non-negative decimal below {@code max} with {@code scale} decimals, often at a rounding edge. */
    static BigDecimal decimal(Random random, long max, int scale) {
        long unscaled = (long) (random.nextDouble() * max * Math.pow(10, scale));
        if (random.nextInt(4) == 0 && scale > 0) { // ends on 5: half-up and floating point disagree most often here
            unscaled = unscaled / 10 * 10 + 5;
        }
        return BigDecimal.valueOf(unscaled, scale);
    }

    /**
     * A quote line as the shipped quote_line entity computes it: quantity × unit price, less the discount %, rounded
     * half-up to cents once, at the end. The rule's result equals BigDecimal's for every line.
     */
    @Test
    void aLineNetEqualsBigDecimalsForEveryLine() {
        Random random = new Random(SEED);
        for (int i = 0; i < 500; i++) {
            BigDecimal quantity = decimal(random, 10_000, 3);
            BigDecimal price = decimal(random, 1_000_000, 2);
            BigDecimal discount = decimal(random, 100, 2);
            BigDecimal expected = quantity.multiply(price).multiply(BigDecimal.valueOf(100).subtract(discount))
                    .divide(BigDecimal.valueOf(100)).setScale(2, RoundingMode.HALF_UP);

            Object net = DecimalRulesTest.total(engine, "decimal(record.amount).times(record.rating)"
                    + ".times(decimal(100).minus('" + discount.toPlainString() + "')).div(100, 8).round(2)",
                    "amount", quantity, "rating", price);

            assertThat(net).as("seed %d, line %d: %s × %s less %s %%", SEED, i, quantity, price, discount)
                    .isEqualTo(expected);
        }
    }
}
