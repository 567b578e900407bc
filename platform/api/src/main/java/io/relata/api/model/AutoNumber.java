package io.relata.api.model;

/**
 * A text field the platform numbers on create, like Salesforce's auto-number fields: a prefix and a counter with at
 * least {@code digits} digits ({@code POL-000042}). Users do not type them: the field is read-only in forms and a
 * value given through the API is refused.
 *
 * <p>Two ways of counting. By default each field has its own database sequence: numbers are unique and increase,
 * but a create that fails after drawing its number leaves a gap. A <em>gapless</em> field (quotes, orders,
 * invoices: numbers an auditor counts) draws from a counter row updated in the create's own transaction, so a
 * create that fails gives its number back; creates of that field then wait for each other's commit, on every
 * node. A prefix holding {@link #YEAR} counts per year (the year of the create in the platform's time zone) and is
 * always gapless: {@code ANG-{year}-} with 5 digits gives {@code ANG-2026-00001}, and {@code ANG-2027-00001} on
 * the first create of 2027.
 *
 * @param prefix  text before the counter, possibly empty (letters, digits, {@code - _ / .} and {@link #YEAR})
 * @param digits  the counter's minimum width, padded with zeros (1 to 18)
 * @param gapless true: counted in the create's transaction, without gaps (implied by {@link #YEAR} in the prefix)
 * @since 0.7; {@code gapless} and {@link #YEAR} since 0.10
 */
public record AutoNumber(String prefix, int digits, boolean gapless) {

    public static final int MAX_DIGITS = 18;
    /** The placeholder of the create's year in a prefix; a prefix holding it counts per year. */
    public static final String YEAR = "{year}";

    public AutoNumber {
        prefix = prefix == null ? "" : prefix;
        if (digits < 1 || digits > MAX_DIGITS) {
            throw new IllegalArgumentException("digits must be 1 to " + MAX_DIGITS + ", not " + digits);
        }
        gapless = gapless || prefix.contains(YEAR);
    }

    /** Numbers drawn from the field's database sequence (gaps possible). */
    public AutoNumber(String prefix, int digits) {
        this(prefix, digits, false);
    }

    /** Whether the counter starts again at 1 every year ({@link #YEAR} in the prefix). */
    public boolean perYear() {
        return prefix.contains(YEAR);
    }

    /**
     * The text of the {@code counter}-th number: {@code POL-000042} for 42 with prefix {@code POL-} and 6 digits.
     * A {@link #YEAR} in the prefix stays as it is: use {@link #format(int, long)} for those.
     */
    public String format(long counter) {
        String number = Long.toString(counter);
        return prefix + "0".repeat(Math.max(0, digits - number.length())) + number;
    }

    /** The text of the {@code counter}-th number of {@code year}: {@code ANG-2026-00042}. */
    public String format(int year, long counter) {
        return format(counter).replace(YEAR, Integer.toString(year));
    }

    /** The longest number up to the counter's minimum width (a year counted as four digits); wider counters are longer. */
    public int length() {
        return prefix.replace(YEAR, "0000").length() + digits;
    }
}
