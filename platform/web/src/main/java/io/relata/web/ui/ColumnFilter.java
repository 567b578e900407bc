package io.relata.web.ui;

import io.relata.api.model.FieldDefinition;
import io.relata.api.model.FieldType;
import io.relata.api.record.Filter;
import io.relata.api.record.FilterOperator;
import java.io.Serializable;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;

/**
 * What a user entered in the filter of one list column, kept by the list page and turned into store filters: text
 * (contains; equals for numbers), a chosen option, yes/no (no includes empty) or referenced record (equals), or a date range (from and
 * to, both included; for date-times whole days in the server's zone).
 */
public final class ColumnFilter implements Serializable {

    private static final long serialVersionUID = 1L;

    /** How a column is filtered on the list page. */
    public enum Kind { TEXT, OPTION, RANGE, NONE }

    private String value;
    private LocalDate from;
    private LocalDate to;

    static Kind kindOf(FieldDefinition field) {
        return switch (field.type()) {
            case BOOLEAN, CHOICE, REFERENCE -> Kind.OPTION;
            case DATE, DATE_TIME -> Kind.RANGE;
            case RECORD_LINK, LONG_TEXT -> Kind.NONE;
            default -> Kind.TEXT;
        };
    }

    /** The store filters for this input on {@code field}; none while the input is empty. */
    List<Filter> filters(FieldDefinition field, ZoneId zone) {
        List<Filter> filters = new ArrayList<>();
        switch (kindOf(field)) {
            case TEXT -> {
                if (value != null && !value.isBlank()) {
                    boolean contains = field.type().isTextual() || field.type() == FieldType.MULTI_CHOICE;
                    filters.add(new Filter(field.name(), contains ? FilterOperator.CONTAINS : FilterOperator.EQ, value.strip()));
                }
            }
            case OPTION -> {
                if (field.type() == FieldType.BOOLEAN && "false".equals(value)) {
                    // "no" is also a record where nobody ever ticked the box (an empty value)
                    filters.add(new Filter(field.name(), FilterOperator.NE, "true"));
                } else if (value != null && !value.isBlank()) {
                    filters.add(new Filter(field.name(), FilterOperator.EQ, value));
                }
            }
            case RANGE -> {
                if (field.type() == FieldType.DATE) {
                    if (from != null) {
                        filters.add(new Filter(field.name(), FilterOperator.GE, from));
                    }
                    if (to != null) {
                        filters.add(new Filter(field.name(), FilterOperator.LE, to));
                    }
                } else {
                    if (from != null) {
                        filters.add(new Filter(field.name(), FilterOperator.GE, from.atStartOfDay(zone).toOffsetDateTime()));
                    }
                    if (to != null) {
                        filters.add(new Filter(field.name(), FilterOperator.LT,
                                to.plusDays(1).atStartOfDay(zone).toOffsetDateTime()));
                    }
                }
            }
            case NONE -> {
                // not filterable
            }
        }
        return filters;
    }

    public String getValue() { return value; }
    public void setValue(String value) { this.value = value; }
    public LocalDate getFrom() { return from; }
    public void setFrom(LocalDate from) { this.from = from; }
    public LocalDate getTo() { return to; }
    public void setTo(LocalDate to) { this.to = to; }
}
