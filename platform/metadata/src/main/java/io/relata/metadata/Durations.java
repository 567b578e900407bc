package io.relata.metadata;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.Optional;

/**
 * The ISO-8601 durations of timers and to-do due dates ({@code PT8H}, {@code P3D}, {@code P2DT4H}). Only
 * fixed lengths are accepted: weeks, months and years ({@code P1W}, {@code P1M}) are refused with a hint,
 * because a month has no fixed number of hours and a timer must know exactly when it is due. Nor are
 * durations beyond {@link #MAX} ({@code P99999999999999D}): no process waits that long, and adding such a
 * duration to a date overflows.
 */
final class Durations {

    /** The longest duration a timer or a to-do's due date may have: ten years of 365.25 days. */
    static final Duration MAX = Duration.ofDays(3653);

    private Durations() {
    }

    /** The duration of a text, if it is an ISO-8601 duration greater than zero and at most {@link #MAX}. */
    static Optional<Duration> parse(String text) {
        try {
            Duration duration = Duration.parse(text);
            return duration.isNegative() || duration.isZero() || duration.compareTo(MAX) > 0 ? Optional.empty()
                    : Optional.of(duration);
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }

    /**
     * Whether a text is a duration longer than {@link #MAX}: a valid one, or one whose numbers are too large
     * for a duration at all.
     */
    static boolean tooLong(String text) {
        try {
            return Duration.parse(text).compareTo(MAX) > 0;
        } catch (DateTimeParseException e) {
            return !text.startsWith("-") && (e.getCause() instanceof ArithmeticException
                    || e.getCause() instanceof NumberFormatException && text.matches("(?i)\\+?P(\\d+D)?(T(\\d+H)?(\\d+M)?"
                    + "(\\d+([.,]\\d+)?S)?)?"));
        }
    }

    /** The fix for a duration longer than {@link #MAX}. */
    static String tooLongFix() {
        return "write at most 'P" + MAX.toDays() + "D' (ten years), e.g. 'P30D' or 'P365D'.";
    }

    /** Why a text is not accepted, for a message: "is zero", "uses months, which have no fixed length", …. */
    static String whyNot(String text) {
        String upper = text.toUpperCase(Locale.ROOT);
        int time = upper.indexOf('T');
        String datePart = time < 0 ? upper : upper.substring(0, time);
        if (upper.startsWith("P") && datePart.matches("P(\\d+Y)?(\\d+M)?(\\d+W)?(\\d+D)?") && datePart.matches(".*[YMW].*")) {
            return "counts in years, months or weeks, whose length is not fixed";
        }
        try {
            Duration duration = Duration.parse(text);
            return duration.isZero() ? "is zero" : "is negative";
        } catch (DateTimeParseException e) {
            return "is not an ISO-8601 duration";
        }
    }

    /** The fix for a refused duration, with a corrected value where one can be guessed. */
    static String fix(String text) {
        String upper = text.toUpperCase(Locale.ROOT);
        var weeks = java.util.regex.Pattern.compile("P(\\d+)W").matcher(upper);
        if (weeks.matches()) {
            return "write the weeks as days: 'P" + Long.parseLong(weeks.group(1)) * 7 + "D'.";
        }
        var months = java.util.regex.Pattern.compile("P(\\d+)M").matcher(upper);
        if (months.matches()) {
            return "write days instead, e.g. 'P" + Long.parseLong(months.group(1)) * 30 + "D'; 'PT" + months.group(1)
                    + "M' would be " + months.group(1) + " minutes.";
        }
        return "write a duration greater than zero such as 'PT30M' (30 minutes), 'PT8H' (8 hours), 'P3D' (3 days) "
                + "or 'P2DT4H'.";
    }
}
