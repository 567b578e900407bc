package io.relata.rules;

import io.relata.api.rules.RuleInput;
import java.math.BigDecimal;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * What an example's rules read other records from: its {@code related:} fixtures (docs/rules.md, Examples).
 * {@code lookup} finds a listed record by its {@code id} (no fixture: nothing, as before); {@code related.*}
 * answers from the records listed for the entity and refuses to guess for an entity not listed, so an example
 * never passes on an answer nobody wrote down. Values compare as the YAML gave them: numbers by value, the rest
 * as text.
 */
final class ExampleLookup implements RuleInput.RecordLookup {

    private final String example;
    private final Map<String, List<Map<String, Object>>> records;

    ExampleLookup(String example, Map<String, List<Map<String, Object>>> records) {
        this.example = example;
        this.records = records == null ? Map.of() : records;
    }

    @Override
    public Optional<Map<String, Object>> find(String entity, long id) {
        for (Map<String, Object> record : records.getOrDefault(entity, List.of())) {
            if (same(record.get("id"), id)) {
                Map<String, Object> values = new LinkedHashMap<>(record);
                values.remove("id");
                return Optional.of(Collections.unmodifiableMap(values));
            }
        }
        return Optional.empty();
    }

    @Override
    public Object aggregate(String entity, RuleInput.Aggregate aggregate, String field, Map<String, Object> filter) {
        List<Map<String, Object>> listed = records.get(entity);
        if (listed == null) {
            throw new IllegalArgumentException("the example '" + example + "' gives no " + entity + " records to answer "
                    + "from; add them to the example, e.g. related: {" + entity + ": [{" + String.join(": …, ",
                    filter.keySet()) + (filter.isEmpty() ? "" : ": …") + "}]} (an empty list [] for none)");
        }
        long count = 0;
        BigDecimal sum = BigDecimal.ZERO;
        Object best = null;
        for (Map<String, Object> record : listed) {
            if (!filter.entrySet().stream().allMatch(e -> same(record.get(e.getKey()), e.getValue()))) {
                continue;
            }
            count++;
            if (aggregate == RuleInput.Aggregate.COUNT) {
                continue;
            }
            Object value = record.get(field);
            if (value == null) {
                continue;
            }
            if (aggregate == RuleInput.Aggregate.SUM) {
                BigDecimal number = number(value);
                if (number == null) {
                    throw new IllegalArgumentException("the example '" + example + "' gives " + field + " = " + value
                            + " for a " + entity + ", which is not a number to sum");
                }
                sum = sum.add(number);
            } else if (best == null || compare(value, best) * (aggregate == RuleInput.Aggregate.MIN ? -1 : 1) > 0) {
                best = value;
            }
        }
        return switch (aggregate) {
            case COUNT -> count;
            case SUM -> sum;
            default -> best;
        };
    }

    private static boolean same(Object a, Object b) {
        if (a == null || b == null) {
            return a == b;
        }
        BigDecimal x = number(a);
        BigDecimal y = number(b);
        if (x != null && y != null) {
            return x.compareTo(y) == 0;
        }
        return Objects.equals(String.valueOf(a), String.valueOf(b));
    }

    private static int compare(Object a, Object b) {
        BigDecimal x = number(a);
        BigDecimal y = number(b);
        return x != null && y != null ? x.compareTo(y) : String.valueOf(a).compareTo(String.valueOf(b));
    }

    private static BigDecimal number(Object value) {
        if (value instanceof BigDecimal d) {
            return d;
        }
        if (value instanceof Number n) {
            return new BigDecimal(n.toString());
        }
        return null;
    }
}
