package io.relata.api.record;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * List filters as the REST API and the list page's address take them: {@code field:operator:value}, e.g.
 * {@code close_date:ge:2026-12-01} or {@code phase:in:proposal|negotiation} (values of {@code in} separated by
 * {@code |}); {@code null} and {@code notnull} take no value. Drill-downs (the forecast's figures) link to the list
 * page with exactly the filters that computed the figure; a target group's conditions are written the same way.
 */
public final class FilterParameters {

    private FilterParameters() {
    }

    /** @throws IllegalArgumentException naming the filter and how it must be written */
    public static List<Filter> parse(List<String> filters) {
        List<Filter> parsed = new ArrayList<>();
        for (String filter : filters == null ? List.<String>of() : filters) {
            String[] parts = filter.split(":", 3);
            FilterOperator operator = parts.length >= 2 ? FilterOperator.fromToken(parts[1]).orElse(null) : null;
            if (operator == null) {
                throw new IllegalArgumentException("Filter '" + filter + "' must be field:operator:value with an operator"
                        + " of: eq ne lt le gt ge contains startswith in null notnull");
            }
            boolean needsValue = operator != FilterOperator.IS_NULL && operator != FilterOperator.IS_NOT_NULL;
            if (needsValue && parts.length < 3) {
                throw new IllegalArgumentException("Filter '" + filter + "' needs a value after the operator");
            }
            Object value = !needsValue ? null
                    : operator == FilterOperator.IN ? Arrays.asList(parts[2].split("\\|")) : parts[2];
            parsed.add(new Filter(parts[0], operator, value));
        }
        return parsed;
    }

    /** The filter as {@link #parse} reads it. */
    public static String format(Filter filter) {
        String value = filter.value() instanceof List<?> list
                ? String.join("|", list.stream().map(String::valueOf).toList())
                : filter.value() == null ? "" : String.valueOf(filter.value());
        return filter.field() + ":" + filter.operator().token() + (filter.value() == null ? "" : ":" + value);
    }
}
