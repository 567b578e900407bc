package io.relata.api.model;

import java.util.List;

/**
 * A composite index an entity declares in its metadata ({@code indexes: [{fields: [status, -received_at]}]}) for
 * a list it shows often: equality filters on the leading keys, sorted by the rest. The store adds {@code id} as
 * the last key, in the direction of the last declared one, as it does in every ORDER BY.
 *
 * @param keys     the fields (or system columns such as {@code created_at}) in index order, at least one
 * @param location where the index is declared
 */
public record IndexDefinition(List<Key> keys, SourceLocation location) {

    /** One key: a field and its direction ({@code -received_at} in YAML is descending). */
    public record Key(String field, boolean descending) {
    }

    public IndexDefinition {
        keys = List.copyOf(keys);
    }
}
