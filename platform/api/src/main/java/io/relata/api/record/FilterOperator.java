package io.relata.api.record;

import java.util.Arrays;
import java.util.Optional;

/** Comparison of a field with a value in a {@link Filter}; {@link #token()} is how the REST API spells it. */
public enum FilterOperator {
    EQ("eq"), NE("ne"), LT("lt"), LE("le"), GT("gt"), GE("ge"),
    /** Case-insensitive substring match on textual fields; for multi-choice: contains the option. */
    CONTAINS("contains"),
    /** Case-insensitive prefix match on textual fields. */
    STARTS_WITH("startswith"),
    /** Value is a list; matches any of them. */
    IN("in"),
    IS_NULL("null"),
    IS_NOT_NULL("notnull");

    private final String token;

    FilterOperator(String token) {
        this.token = token;
    }

    public String token() {
        return token;
    }

    public static Optional<FilterOperator> fromToken(String token) {
        return Arrays.stream(values()).filter(o -> o.token.equalsIgnoreCase(token)).findFirst();
    }
}
