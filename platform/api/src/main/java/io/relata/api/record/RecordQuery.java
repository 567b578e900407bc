package io.relata.api.record;

import java.util.List;

/**
 * A page request. All filters must hold (AND). {@code search} is a contains-search over the entity's
 * searchable fields (any of them matches). {@code cursor} is the opaque {@link RecordPage#nextCursor()}
 * of the previous page (keyset paging): pages stay stable while records are inserted. Without a sort, newest
 * first ({@code created_at} descending). The id is always added as the last sort key so the order is total.
 */
public record RecordQuery(List<Filter> filters, List<Sort> sort, String search, int limit, String cursor) {

    public static final int DEFAULT_LIMIT = 50;
    public static final int MAX_LIMIT = 1000;

    public RecordQuery {
        filters = filters == null ? List.of() : List.copyOf(filters);
        sort = sort == null ? List.of() : List.copyOf(sort);
        if (limit <= 0) {
            limit = DEFAULT_LIMIT;
        }
    }

    public static RecordQuery all() {
        return new RecordQuery(List.of(), List.of(), null, DEFAULT_LIMIT, null);
    }
}
