package io.relata.runtime.orders;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.text.DecimalFormat;
import java.text.DecimalFormatSymbols;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.FormatStyle;
import java.util.Locale;

/**
 * Values as a document in German or English writes them: 1.234,56 EUR and 31.12.2026, or 1,234.56 EUR and
 * 31 December 2026. Amounts keep their two decimals; quantities and percentages show the decimals they have.
 */
final class DocumentFormat {

    private final Locale locale;
    private final DateTimeFormatter dates;

    DocumentFormat(String language) {
        this.locale = "de".equals(language) ? Locale.GERMANY : Locale.UK;
        this.dates = "de".equals(language) ? DateTimeFormatter.ofPattern("dd.MM.yyyy", locale)
                : DateTimeFormatter.ofLocalizedDate(FormatStyle.LONG).withLocale(locale);
    }

    String money(BigDecimal amount, String currency) {
        DecimalFormat format = new DecimalFormat("#,##0.00", DecimalFormatSymbols.getInstance(locale));
        String number = format.format(amount.setScale(2, RoundingMode.HALF_UP));
        return currency == null || currency.isEmpty() ? number : number + " " + currency;
    }

    String number(BigDecimal value) {
        DecimalFormat format = new DecimalFormat("#,##0.###", DecimalFormatSymbols.getInstance(locale));
        format.setMaximumFractionDigits(Math.max(0, value.stripTrailingZeros().scale()));
        return format.format(value);
    }

    String date(LocalDate date) {
        return dates.format(date);
    }

    /** Any stored value: dates and numbers as above, the rest as text. */
    String value(Object value) {
        if (value instanceof LocalDate date) {
            return date(date);
        }
        if (value instanceof OffsetDateTime at) {
            return date(at.toLocalDate());
        }
        if (value instanceof BigDecimal number) {
            return number(number);
        }
        return value == null ? "" : String.valueOf(value);
    }
}
