package io.relata.rules;

import io.relata.api.model.EntityDefinition;
import io.relata.api.model.FieldDefinition;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Converts the raw YAML values of examples (numbers, strings, booleans, ISO dates, lists) to field types. */
final class RawValues {

    private RawValues() {
    }

    static Map<String, Object> record(EntityDefinition entity, Map<String, Object> raw) {
        Map<String, Object> values = new LinkedHashMap<>();
        if (raw == null) {
            return values;
        }
        for (Map.Entry<String, Object> e : raw.entrySet()) {
            FieldDefinition field = entity.field(e.getKey()).orElseThrow(() -> new IllegalArgumentException(
                    "'" + e.getKey() + "' is not a field of '" + entity.name() + "'"));
            values.put(e.getKey(), convert(field, e.getValue()));
        }
        return values;
    }

    static Object convert(FieldDefinition field, Object raw) {
        if (raw == null) {
            return null;
        }
        try {
            return switch (field.type()) {
                case TEXT, LONG_TEXT, CHOICE, EMAIL, PHONE, URL -> raw.toString();
                case INTEGER, REFERENCE, FILE -> {
                    if (raw instanceof Long || raw instanceof Integer || raw instanceof Short || raw instanceof Byte) {
                        yield ((Number) raw).longValue();
                    }
                    if (raw instanceof BigInteger b) {
                        yield b.longValueExact();
                    }
                    yield new BigDecimal(raw.toString()).longValueExact();
                }
                case DECIMAL, MONEY -> raw instanceof BigDecimal d ? d : new BigDecimal(raw.toString());
                case BOOLEAN -> {
                    if (raw instanceof Boolean b) {
                        yield b;
                    }
                    if ("true".equals(raw) || "false".equals(raw)) {
                        yield Boolean.valueOf((String) raw);
                    }
                    throw new IllegalArgumentException("not true or false");
                }
                case DATE -> {
                    if (raw instanceof LocalDate d) {
                        yield d;
                    }
                    if (raw instanceof Date d) {
                        yield d.toInstant().atZone(java.time.ZoneOffset.UTC).toLocalDate();
                    }
                    yield LocalDate.parse(raw.toString());
                }
                case DATE_TIME -> raw instanceof OffsetDateTime t ? t : OffsetDateTime.parse(raw.toString());
                case RECORD_LINK -> io.relata.api.record.RecordLink.parse(raw.toString()).orElseThrow(
                        () -> new NumberFormatException("not entity:id"));
                case MULTI_CHOICE -> {
                    List<String> values = new ArrayList<>();
                    if (raw instanceof List<?> list) {
                        list.forEach(item -> values.add(String.valueOf(item)));
                    } else {
                        values.add(raw.toString());
                    }
                    yield List.copyOf(values);
                }
            };
        } catch (NumberFormatException | ArithmeticException | DateTimeParseException e) {
            throw new IllegalArgumentException("'" + raw + "' is not a valid " + field.type().yamlName()
                    + " value for '" + field.name() + "'");
        }
    }
}
