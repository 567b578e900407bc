package io.relata.web.ui;

import io.relata.api.model.FieldDefinition;
import io.relata.api.model.FieldType;
import jakarta.json.JsonArray;
import jakarta.json.JsonNumber;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;

/**
 * A value of the audit trail as the user reads it on the record page: a choice by its label, a reference by the
 * title of the record (if the user may see it, else "#id"), yes/no, dates and amounts in the user's language;
 * "—" for empty. The audit stores values as JSON, typed as the store wrote them.
 */
final class HistoryValues {

    static final String EMPTY = "—";

    private final UiText ui;
    /** (entity, ids) → titles of the records the user may see. */
    private final BiFunction<String, List<Long>, Map<Long, String>> titles;

    HistoryValues(UiText ui, BiFunction<String, List<Long>, Map<Long, String>> titles) {
        this.ui = ui;
        this.titles = titles;
    }

    String text(FieldDefinition field, JsonValue value) {
        if (value == null || value.getValueType() == JsonValue.ValueType.NULL) {
            return EMPTY;
        }
        try {
            if (field.type() == FieldType.REFERENCE && value instanceof JsonNumber id) {
                String title = titles.apply(field.referenceEntity(), List.of(id.longValue())).get(id.longValue());
                return title == null ? "#" + id.longValue() : title;
            }
            Object typed = typed(field, value);
            return typed == null ? raw(value) : ui.format(field, typed);
        } catch (RuntimeException e) {
            return raw(value); // a value stored under an older definition of the field: show it as it was
        }
    }

    private static Object typed(FieldDefinition field, JsonValue value) {
        return switch (field.type()) {
            case CHOICE -> value instanceof JsonString s ? s.getString() : null;
            case MULTI_CHOICE -> value instanceof JsonArray array ? strings(array) : null;
            case BOOLEAN -> value == JsonValue.TRUE ? Boolean.TRUE : value == JsonValue.FALSE ? Boolean.FALSE : null;
            case DATE -> value instanceof JsonString s ? parseDate(s.getString()) : null;
            case DATE_TIME -> value instanceof JsonString s ? OffsetDateTime.parse(s.getString()) : null;
            case MONEY, DECIMAL -> value instanceof JsonNumber n ? n.bigDecimalValue()
                    : value instanceof JsonString s ? new BigDecimal(s.getString()) : null;
            case INTEGER -> value instanceof JsonNumber n ? n.longValue() : null;
            default -> null;
        };
    }

    private static LocalDate parseDate(String text) {
        try {
            return LocalDate.parse(text);
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    private static List<String> strings(JsonArray array) {
        List<String> values = new ArrayList<>();
        array.forEach(v -> values.add(v instanceof JsonString s ? s.getString() : v.toString()));
        return values;
    }

    private static String raw(JsonValue value) {
        return value instanceof JsonString s ? s.getString() : value.toString();
    }
}
