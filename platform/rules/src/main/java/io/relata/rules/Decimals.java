package io.relata.rules;

import java.math.BigDecimal;
import java.math.RoundingMode;

/**
 * The host side of a rule's {@code decimal(x)}: exact decimal arithmetic on {@link BigDecimal}, so that money
 * computed by rules (a quote line's net, a total with tax) is not subject to binary floating point. Values cross as
 * decimal text and come back as decimal text or {@code 'E'} + a message; nothing of the host is reachable. Results
 * are bounded in digits and scale, so that a loop cannot grow a number until memory runs out.
 */
final class Decimals {

    /** Significant digits a value or result may have. */
    static final int MAX_DIGITS = 64;
    /** The largest scale {@code round} and {@code div} take. */
    static final int MAX_SCALE = 32;

    private Decimals() {
    }

    /**
     * @param op    of, plus, minus, times, div, round, cmp
     * @param a     the value the method is called on, as text
     * @param b     the other operand as text, or null
     * @param scale decimals of {@code div} and {@code round}
     * @param mode  'half-up' (default) or 'half-even'
     * @return the result as plain decimal text ({@code cmp}: -1, 0 or 1), or 'E' + what was wrong
     */
    static String apply(String op, String a, String b, int scale, String mode) {
        try {
            BigDecimal x = parse(a, op);
            BigDecimal result = switch (op) {
                case "of" -> x;
                case "plus" -> x.add(parse(b, op));
                case "minus" -> x.subtract(parse(b, op));
                case "times" -> x.multiply(parse(b, op));
                case "div" -> {
                    BigDecimal divisor = parse(b, op);
                    if (divisor.signum() == 0) {
                        throw new ArithmeticException("decimal: division by zero");
                    }
                    yield x.divide(divisor, checkedScale(scale, op), rounding(mode));
                }
                case "round" -> x.setScale(checkedScale(scale, op), rounding(mode));
                case "cmp" -> BigDecimal.valueOf(x.compareTo(parse(b, op)));
                default -> throw new ArithmeticException("decimal: no operation " + op);
            };
            if (result.precision() > MAX_DIGITS || Math.abs(result.scale()) > MAX_DIGITS) {
                throw new ArithmeticException("decimal: the result of " + op + " has more than " + MAX_DIGITS
                        + " digits; round it (round(2)) before going on");
            }
            return result.toPlainString();
        } catch (ArithmeticException e) {
            return "E" + e.getMessage();
        }
    }

    private static BigDecimal parse(String text, String op) {
        if (text == null) {
            throw new ArithmeticException("decimal: " + op + " needs a number, not null");
        }
        if (text.length() > MAX_DIGITS + 10) {
            throw new ArithmeticException("decimal: '" + text.substring(0, 20) + "…' is too long for a number");
        }
        try {
            BigDecimal value = new BigDecimal(text.trim());
            if (value.precision() > MAX_DIGITS || Math.abs(value.scale()) > MAX_DIGITS) {
                throw new ArithmeticException("decimal: " + text + " has more than " + MAX_DIGITS + " digits");
            }
            return value;
        } catch (NumberFormatException e) {
            throw new ArithmeticException("decimal: '" + text + "' is not a number (write 12.5, '12.50' or a field"
                    + " value)");
        }
    }

    private static int checkedScale(int scale, String op) {
        if (scale < 0 || scale > MAX_SCALE) {
            throw new ArithmeticException("decimal: " + op + " takes 0 to " + MAX_SCALE + " decimals, not " + scale);
        }
        return scale;
    }

    private static RoundingMode rounding(String mode) {
        if (mode == null || mode.equals("half-up")) {
            return RoundingMode.HALF_UP;
        }
        if (mode.equals("half-even")) {
            return RoundingMode.HALF_EVEN;
        }
        throw new ArithmeticException("decimal: rounding '" + mode + "' is unknown; use 'half-up' (commercial, the"
                + " default) or 'half-even' (banker's)");
    }
}
