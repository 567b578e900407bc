package io.relata.rules;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Collection;
import java.util.Map;

/**
 * How record values cross into a rule's Context: as JavaScript primitives ({@link #primitive}) or, for lists
 * and maps, as JSON text ({@link #write}): dates as ISO strings, numbers as numbers, lists as arrays. Nothing
 * of the host object survives the trip. Both forms give the same JavaScript values.
 */
final class Json {

    private Json() {
    }

    /** Lists and maps: they cross as JSON text, parsed and deep-frozen in the guest. */
    static boolean isStructured(Object value) {
        return value instanceof Map<?, ?> || value instanceof Collection<?>;
    }

    /** {@link LocalDate#toString()} without its StringBuilder: dates cross on every evaluation. */
    static String isoDate(LocalDate date) {
        int year = date.getYear();
        if (year < 1000 || year > 9999) {
            return date.toString();
        }
        int month = date.getMonthValue();
        int day = date.getDayOfMonth();
        byte[] text = {(byte) ('0' + year / 1000), (byte) ('0' + year / 100 % 10), (byte) ('0' + year / 10 % 10),
            (byte) ('0' + year % 10), '-', (byte) ('0' + month / 10), (byte) ('0' + month % 10), '-',
            (byte) ('0' + day / 10), (byte) ('0' + day % 10)};
        return new String(text, java.nio.charset.StandardCharsets.ISO_8859_1);
    }

    /**
     * A value that is not {@linkplain #isStructured structured} as the primitive the guest receives: the same
     * JavaScript value that {@link #write} followed by {@code JSON.parse} gives (strings, booleans, numbers as
     * int or double, non-finite numbers as null, dates and date-times as ISO strings, anything else as its
     * text).
     */
    static Object primitive(Object value) {
        if (value == null || value instanceof String || value instanceof Boolean || value instanceof Integer) {
            return value;
        }
        if (value instanceof Long l) {
            long v = l;
            return v == (int) v ? (Object) (int) v : (Object) (double) v;
        }
        if (value instanceof BigDecimal d) {
            return d.doubleValue();
        }
        if (value instanceof LocalDate d) {
            return isoDate(d);
        }
        if (value instanceof Short || value instanceof Byte) {
            return ((Number) value).intValue();
        }
        if (value instanceof BigInteger b) {
            return b.doubleValue();
        }
        if (value instanceof Double || value instanceof Float) {
            double d = ((Number) value).doubleValue();
            return Double.isFinite(d) ? (Object) d : null;
        }
        if (value instanceof OffsetDateTime t) {
            return t.format(DateTimeFormatter.ISO_OFFSET_DATE_TIME);
        }
        return value.toString();
    }

    /** Appends {@code s} as a JSON (and JavaScript) string literal. */
    static void quote(StringBuilder out, String s) {
        string(out, s);
    }

    static String write(Object value) {
        if (value == null) {
            return null;
        }
        StringBuilder out = new StringBuilder(128);
        append(out, value);
        return out.toString();
    }

    private static void append(StringBuilder out, Object value) {
        if (value == null) {
            out.append("null");
        } else if (value instanceof String s) {
            string(out, s);
        } else if (value instanceof Boolean b) {
            out.append(b.booleanValue());
        } else if (value instanceof Long || value instanceof Integer || value instanceof Short
                || value instanceof Byte || value instanceof BigInteger) {
            out.append(value);
        } else if (value instanceof BigDecimal d) {
            out.append(d.toPlainString());
        } else if (value instanceof Double || value instanceof Float) {
            double d = ((Number) value).doubleValue();
            out.append(Double.isFinite(d) ? Double.toString(d) : "null");
        } else if (value instanceof LocalDate d) {
            string(out, d.toString());
        } else if (value instanceof OffsetDateTime t) {
            string(out, t.format(DateTimeFormatter.ISO_OFFSET_DATE_TIME));
        } else if (value instanceof Map<?, ?> map) {
            out.append('{');
            boolean first = true;
            for (Map.Entry<?, ?> e : map.entrySet()) {
                if (!first) {
                    out.append(',');
                }
                first = false;
                string(out, String.valueOf(e.getKey()));
                out.append(':');
                append(out, e.getValue());
            }
            out.append('}');
        } else if (value instanceof Collection<?> list) {
            out.append('[');
            boolean first = true;
            for (Object item : list) {
                if (!first) {
                    out.append(',');
                }
                first = false;
                append(out, item);
            }
            out.append(']');
        } else {
            string(out, value.toString());
        }
    }

    private static void string(StringBuilder out, String s) {
        out.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }
}
