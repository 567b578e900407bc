package io.relata.api.model;

/**
 * A text field the platform numbers on create, like Salesforce's auto-number fields: a prefix and a counter with at
 * least {@code digits} digits ({@code POL-000042}). Each field has its own database sequence; numbers are unique
 * and increase, but a create that fails leaves a gap. Users do not type them: the field is read-only in forms and
 * a value given through the API is refused.
 *
 * @param prefix text before the counter, possibly empty (letters, digits and {@code - _ / .})
 * @param digits the counter's minimum width, padded with zeros (1 to 18)
 */
public record AutoNumber(String prefix, int digits) {

    public static final int MAX_DIGITS = 18;

    public AutoNumber {
        prefix = prefix == null ? "" : prefix;
        if (digits < 1 || digits > MAX_DIGITS) {
            throw new IllegalArgumentException("digits must be 1 to " + MAX_DIGITS + ", not " + digits);
        }
    }

    /** The text of the {@code counter}-th number: {@code POL-000042} for 42 with prefix {@code POL-} and 6 digits. */
    public String format(long counter) {
        String number = Long.toString(counter);
        return prefix + "0".repeat(Math.max(0, digits - number.length())) + number;
    }

    /** The longest number up to the counter's minimum width; wider counters are longer. */
    public int length() {
        return prefix.length() + digits;
    }
}
