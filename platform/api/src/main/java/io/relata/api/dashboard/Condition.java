package io.relata.api.dashboard;

import io.relata.api.record.FilterOperator;
import java.util.List;
import java.util.Objects;

/**
 * A condition of a widget on one field, with values as raw text (as the REST API's filters take them):
 * {@code phase: [won, lost]} is {@link FilterOperator#IN}, {@code phase: won} {@link FilterOperator#EQ},
 * {@code amount: {gte: 1000}} {@link FilterOperator#GE}, {@code closed_on: {empty: true}} {@link FilterOperator#IS_NULL}.
 */
public record Condition(String field, FilterOperator operator, List<String> values) {

    public Condition {
        Objects.requireNonNull(field, "field");
        Objects.requireNonNull(operator, "operator");
        values = List.copyOf(values);
    }
}
