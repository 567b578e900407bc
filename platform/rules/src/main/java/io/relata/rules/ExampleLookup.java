package io.relata.rules;

import io.relata.api.rules.RuleInput;
import java.math.BigDecimal;
import java.util.Collections;
import java.util.Comparator;
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
    public Optional<Map<String, Object>> first(String entity, Map<String, Object> filter, List<String> orderBy) {
        Comparator<Map<String, Object>> order = (a, b) -> 0;
        for (String key : orderBy) {
            boolean descending = key.startsWith("-");
            String field = descending ? key.substring(1) : key;
            Comparator<Map<String, Object>> byField = (a, b) -> {
                Object x = a.get(field);
                Object y = b.get(field);
                if (x == null || y == null) { // empty values last, whatever the direction
                    return x == null ? (y == null ? 0 : 1) : -1;
                }
                return descending ? compare(y, x) : compare(x, y);
            };
            order = order.thenComparing(byField);
        }
        order = order.thenComparing((a, b) -> compare(a.get("id"), b.get("id")));
        return listed(entity, filter).stream().filter(record -> matches(record, filter)).min(order)
                .map(Collections::unmodifiableMap);
    }

    @Override
    public Object aggregate(String entity, RuleInput.Aggregate aggregate, String field, Map<String, Object> filter) {
        long count = 0;
        BigDecimal sum = BigDecimal.ZERO;
        Object best = null;
        for (Map<String, Object> record : listed(entity, filter)) {
            if (!matches(record, filter)) {
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

    private List<Map<String, Object>> listed(String entity, Map<String, Object> filter) {
        List<Map<String, Object>> listed = records.get(entity);
        if (listed == null) {
            throw new IllegalArgumentException("the example '" + example + "' gives no " + entity + " records to answer "
                    + "from; add them to the example, e.g. related: {" + entity + ": [{" + String.join(": …, ",
                    filter.keySet()) + (filter.isEmpty() ? "" : ": …") + "}]} (an empty list [] for none)");
        }
        return listed;
    }

    private static boolean matches(Map<String, Object> record, Map<String, Object> filter) {
        return filter.entrySet().stream().allMatch(e -> e.getValue() instanceof RuleInput.Condition condition
                ? holds(record.get(e.getKey()), condition) : same(record.get(e.getKey()), e.getValue()));
    }

    /** Whether {@code value} meets every bound of {@code condition} (an empty value: only with orEmpty). */
    private static boolean holds(Object value, RuleInput.Condition condition) {
        if (value == null) { // only "not <value>" holds for an empty value, unless empty values are asked for
            return condition.orEmpty() || condition.bounds().entrySet().stream()
                    .allMatch(b -> b.getKey() == RuleInput.Comparison.NOT && b.getValue() != null);
        }
        for (Map.Entry<RuleInput.Comparison, Object> bound : condition.bounds().entrySet()) {
            Object limit = bound.getValue();
            if (limit == null) {
                if (bound.getKey() == RuleInput.Comparison.NOT) {
                    continue; // not empty: it is not
                }
                return false;
            }
            int c = compare(value, limit);
            boolean ok = switch (bound.getKey()) {
                case LT -> c < 0;
                case LTE -> c <= 0;
                case GT -> c > 0;
                case GTE -> c >= 0;
                case NOT -> !same(value, limit);
            };
            if (!ok) {
                return false;
            }
        }
        return true;
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
