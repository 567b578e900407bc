package io.relata.process.dialog;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The JSON of {@code crm_dialog_session.answers}. Values are written as JSON scalars (dates and date-times as
 * ISO text, decimals as exact numbers) and read back untyped; {@link DialogRunner} converts them to the
 * fields' types again, so the stored form stays readable for people and other tools. Only what the runner
 * writes must be read: objects, arrays, strings, numbers, booleans and null.
 */
final class SessionJson {

    private SessionJson() {
    }

    static String write(Map<String, ?> object) {
        StringBuilder out = new StringBuilder(256);
        value(out, object);
        return out.toString();
    }

    /** Parses a JSON object. */
    static Map<String, Object> readObject(String json) {
        Parser parser = new Parser(json);
        parser.skipSpace();
        Object value = parser.value();
        parser.skipSpace();
        if (!parser.atEnd() || !(value instanceof Map)) {
            throw parser.error("a single JSON object");
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> object = (Map<String, Object>) value;
        return object;
    }

    private static void value(StringBuilder out, Object value) {
        if (value == null) {
            out.append("null");
        } else if (value instanceof String s) {
            string(out, s);
        } else if (value instanceof Boolean b) {
            out.append(b.booleanValue());
        } else if (value instanceof Long || value instanceof Integer || value instanceof Short
                || value instanceof BigInteger) {
            out.append(value);
        } else if (value instanceof BigDecimal d) {
            out.append(d.toPlainString());
        } else if (value instanceof LocalDate d) {
            string(out, d.toString());
        } else if (value instanceof OffsetDateTime t) {
            string(out, t.format(DateTimeFormatter.ISO_OFFSET_DATE_TIME));
        } else if (value instanceof Map<?, ?> map) {
            out.append('{');
            boolean first = true;
            for (Map.Entry<?, ?> entry : map.entrySet()) {
                if (!first) {
                    out.append(',');
                }
                first = false;
                string(out, String.valueOf(entry.getKey()));
                out.append(':');
                value(out, entry.getValue());
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
                value(out, item);
            }
            out.append(']');
        } else {
            // every field type's Java value is handled above; anything else is a programming error
            throw new IllegalArgumentException("Cannot store a " + value.getClass().getName() + " as a dialog answer");
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

    private static final class Parser {
        private final String text;
        private int at;

        Parser(String text) {
            this.text = text;
        }

        boolean atEnd() {
            return at >= text.length();
        }

        void skipSpace() {
            while (!atEnd() && Character.isWhitespace(text.charAt(at))) {
                at++;
            }
        }

        Object value() {
            if (atEnd()) {
                throw error("a value");
            }
            char c = text.charAt(at);
            return switch (c) {
                case '{' -> object();
                case '[' -> array();
                case '"' -> string();
                case 't' -> literal("true", Boolean.TRUE);
                case 'f' -> literal("false", Boolean.FALSE);
                case 'n' -> literal("null", null);
                default -> number();
            };
        }

        private Map<String, Object> object() {
            Map<String, Object> object = new LinkedHashMap<>();
            at++;
            skipSpace();
            if (peek('}')) {
                at++;
                return object;
            }
            while (true) {
                skipSpace();
                if (!peek('"')) {
                    throw error("a member name in quotes");
                }
                String name = string();
                skipSpace();
                expect(':');
                skipSpace();
                object.put(name, value());
                skipSpace();
                if (peek(',')) {
                    at++;
                } else {
                    expect('}');
                    return object;
                }
            }
        }

        private List<Object> array() {
            List<Object> list = new ArrayList<>();
            at++;
            skipSpace();
            if (peek(']')) {
                at++;
                return list;
            }
            while (true) {
                skipSpace();
                list.add(value());
                skipSpace();
                if (peek(',')) {
                    at++;
                } else {
                    expect(']');
                    return list;
                }
            }
        }

        private String string() {
            StringBuilder out = new StringBuilder();
            at++;
            while (true) {
                if (atEnd()) {
                    throw error("the end of a string");
                }
                char c = text.charAt(at++);
                if (c == '"') {
                    return out.toString();
                }
                if (c != '\\') {
                    out.append(c);
                    continue;
                }
                if (atEnd()) {
                    throw error("an escape");
                }
                char escaped = text.charAt(at++);
                switch (escaped) {
                    case '"', '\\', '/' -> out.append(escaped);
                    case 'n' -> out.append('\n');
                    case 'r' -> out.append('\r');
                    case 't' -> out.append('\t');
                    case 'b' -> out.append('\b');
                    case 'f' -> out.append('\f');
                    case 'u' -> {
                        if (at + 4 > text.length()) {
                            throw error("four hex digits");
                        }
                        out.append((char) Integer.parseInt(text.substring(at, at + 4), 16));
                        at += 4;
                    }
                    default -> throw error("a valid escape");
                }
            }
        }

        private Object literal(String word, Object value) {
            if (!text.startsWith(word, at)) {
                throw error("'" + word + "'");
            }
            at += word.length();
            return value;
        }

        private Object number() {
            int start = at;
            while (!atEnd() && "+-0123456789.eE".indexOf(text.charAt(at)) >= 0) {
                at++;
            }
            String digits = text.substring(start, at);
            try {
                BigDecimal number = new BigDecimal(digits);
                return digits.matches("-?\\d{1,18}") ? (Object) number.longValueExact() : number;
            } catch (NumberFormatException | ArithmeticException e) {
                at = start;
                throw error("a value");
            }
        }

        private boolean peek(char c) {
            return !atEnd() && text.charAt(at) == c;
        }

        private void expect(char c) {
            if (!peek(c)) {
                throw error("'" + c + "'");
            }
            at++;
        }

        IllegalStateException error(String expected) {
            return new IllegalStateException("Stored dialog answers are not valid JSON: expected " + expected
                    + " at character " + at);
        }
    }
}
