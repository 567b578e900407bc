package io.relata.process;

import jakarta.json.JsonArray;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonReader;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import jakarta.json.spi.JsonProvider;
import java.io.StringReader;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.temporal.TemporalAccessor;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Record values to JSON and back, for outbox payloads and webhooks: dates and times as ISO-8601 strings,
 * decimals as numbers, multi-choice values as arrays. Reading back gives {@code Long} for integral numbers and
 * {@code BigDecimal} otherwise; dates stay strings (JSON has no date type).
 */
public final class ProcessJson {

    /** Looked up once: {@code Json.createValue} and friends search for a provider on every call. */
    private static final JsonProvider JSON = JsonProvider.provider();

    private ProcessJson() {
    }

    /** The value as JSON (maps become objects, collections arrays, anything else its string form). */
    public static JsonValue toJson(Object value) {
        if (value == null) {
            return JsonValue.NULL;
        }
        if (value instanceof JsonValue json) {
            return json;
        }
        if (value instanceof String s) {
            return JSON.createValue(s);
        }
        if (value instanceof Boolean b) {
            return b ? JsonValue.TRUE : JsonValue.FALSE;
        }
        if (value instanceof Long || value instanceof Integer || value instanceof Short || value instanceof Byte) {
            return JSON.createValue(((Number) value).longValue());
        }
        if (value instanceof BigInteger i) {
            return JSON.createValue(i);
        }
        if (value instanceof BigDecimal d) {
            return JSON.createValue(d);
        }
        if (value instanceof Double || value instanceof Float) {
            double d = ((Number) value).doubleValue();
            return Double.isFinite(d) ? JSON.createValue(d) : JsonValue.NULL;
        }
        if (value instanceof TemporalAccessor) {
            return JSON.createValue(text(value));
        }
        if (value instanceof Map<?, ?> map) {
            JsonObjectBuilder object = JSON.createObjectBuilder();
            map.forEach((k, v) -> object.add(String.valueOf(k), toJson(v)));
            return object.build();
        }
        if (value instanceof Collection<?> list) {
            JsonArrayBuilder array = JSON.createArrayBuilder();
            list.forEach(item -> array.add(toJson(item)));
            return array.build();
        }
        return JSON.createValue(value.toString());
    }

    /** JSON text of a map. */
    public static String write(Map<String, ?> values) {
        return toJson(values).toString();
    }

    /** Parses a JSON object into plain Java values. */
    public static Map<String, Object> read(String json) {
        try (JsonReader reader = JSON.createReader(new StringReader(json))) {
            return toMap(reader.readObject());
        }
    }

    /** Parses any JSON value (object, array, text, number, true/false, null) into plain Java values. */
    public static Object readValue(String json) {
        try (JsonReader reader = JSON.createReader(new StringReader(json))) {
            return toJava(reader.readValue());
        }
    }

    public static Map<String, Object> toMap(JsonObject object) {
        Map<String, Object> map = new LinkedHashMap<>();
        object.forEach((k, v) -> map.put(k, toJava(v)));
        return map;
    }

    private static Object toJava(JsonValue value) {
        return switch (value.getValueType()) {
            case NULL -> null;
            case TRUE -> Boolean.TRUE;
            case FALSE -> Boolean.FALSE;
            case STRING -> ((JsonString) value).getString();
            case NUMBER -> {
                JsonNumber number = (JsonNumber) value;
                if (number.isIntegral()) {
                    try {
                        yield number.longValueExact();
                    } catch (ArithmeticException tooLarge) {
                        yield number.bigDecimalValue();
                    }
                }
                yield number.bigDecimalValue();
            }
            case OBJECT -> toMap(value.asJsonObject());
            case ARRAY -> {
                List<Object> list = new ArrayList<>();
                for (JsonValue item : (JsonArray) value) {
                    list.add(toJava(item));
                }
                yield list;
            }
        };
    }

    /**
     * A value as text in mails, subjects and payloads: ISO-8601 for dates and times, plain digits for
     * decimals, comma-separated for lists, empty for null.
     */
    static String text(Object value) {
        if (value == null) {
            return "";
        }
        if (value instanceof OffsetDateTime t) {
            return t.format(DateTimeFormatter.ISO_OFFSET_DATE_TIME);
        }
        if (value instanceof LocalDate d) {
            return d.toString();
        }
        if (value instanceof BigDecimal d) {
            return d.toPlainString();
        }
        if (value instanceof Collection<?> list) {
            return String.join(", ", list.stream().map(ProcessJson::text).toList());
        }
        return value.toString();
    }
}
