package io.relata.api.model;

import java.util.Objects;

/**
 * The records whose date (or date-time) {@code field} lies in a period relative to today ({@code range}), its days
 * counted in the platform's zone: "closed in the last 365 days", "received this month".
 */
public record DateWindow(String field, RelativePeriod range) {
    public DateWindow {
        Objects.requireNonNull(field, "field");
        Objects.requireNonNull(range, "range");
    }
}
