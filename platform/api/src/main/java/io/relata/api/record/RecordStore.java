package io.relata.api.record;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Reads and writes records of the entities in the current metadata model. Input values may be raw
 * (Strings and JSON numbers from forms or JSON) or typed; they are converted to the field's Java type and
 * validated, and every problem is reported at once in a {@link ValidationException}. Each call is one
 * transaction: a record is written whole or not at all.
 */
public interface RecordStore {

    /** Creates a record; fields not given are null. Unknown fields are an error. */
    Record create(String entity, Map<String, Object> values);

    Optional<Record> find(String entity, long id);

    /** Like {@link #find} but throws {@link RecordNotFoundException}. */
    default Record get(String entity, long id) {
        return find(entity, id).orElseThrow(() -> new RecordNotFoundException(entity, id));
    }

    /**
     * Changes the given fields only (fields not in {@code changes} keep their values) if the record is
     * still at {@code expectedVersion}; otherwise throws {@link ConcurrentUpdateException}.
     */
    Record update(String entity, long id, long expectedVersion, Map<String, Object> changes);

    /** Sets every field: fields not in {@code values} become null. Same locking as {@link #update}. */
    Record replace(String entity, long id, long expectedVersion, Map<String, Object> values);

    /** Deletes if still at {@code expectedVersion}; a null version deletes unconditionally. */
    void delete(String entity, long id, Long expectedVersion);

    RecordPage query(String entity, RecordQuery query);

    /** Number of records matching the query's filters and search (limit and cursor are ignored). */
    long count(String entity, RecordQuery query);

    /**
     * Like {@link #count}, but counts no further than {@code limit}: beyond it the result is
     * {@code (limit, exact = false)}, to be shown as "10,000+". The database stops after {@code limit + 1}
     * matching rows, so the count of a large result costs what reading that many index entries costs.
     * This default counts exactly and caps the result; stores that can stop early override it.
     *
     * @param limit at least 0
     */
    default CappedCount countUpTo(String entity, RecordQuery query, long limit) {
        if (limit < 0) {
            throw new IllegalArgumentException("limit must not be negative: " + limit);
        }
        long count = count(entity, query);
        return count > limit ? new CappedCount(limit, false) : new CappedCount(count, true);
    }

    /**
     * {@code aggregate} over {@code field} of the records matching the query's filters and search (limit and cursor
     * are ignored), computed by the database: empty if no matching record has a value. {@code field} may be null
     * for {@link Aggregate#COUNT} (all matching records). A field the caller may not see is unknown, as in filters.
     *
     * This default reads the matching records page by page and computes in Java; stores override it to let the
     * database compute.
     *
     * @throws ValidationException for an unknown field or one whose type the aggregate does not accept
     */
    @SuppressWarnings({"unchecked", "rawtypes"})
    default Optional<Object> aggregate(String entity, RecordQuery query, Aggregate aggregate, String field) {
        long count = 0;
        java.math.BigDecimal sum = java.math.BigDecimal.ZERO;
        Comparable extreme = null;
        boolean integers = true;
        java.util.Set<Object> distinct = new java.util.HashSet<>();
        String cursor = null;
        do {
            RecordPage page = query(entity, new RecordQuery(query.filters(), List.of(), query.search(), RecordQuery.MAX_LIMIT, cursor));
            for (Record record : page.records()) {
                Object value = field == null ? Boolean.TRUE : record.get(field);
                if (value == null) {
                    continue;
                }
                count++;
                if (aggregate == Aggregate.COUNT_DISTINCT) {
                    distinct.add(value);
                } else if (aggregate == Aggregate.SUM || aggregate == Aggregate.AVERAGE) {
                    integers &= value instanceof Long;
                    sum = sum.add(value instanceof java.math.BigDecimal d ? d : java.math.BigDecimal.valueOf(((Number) value).longValue()));
                } else if (value instanceof Comparable comparable && (extreme == null
                        || (aggregate == Aggregate.MIN ? comparable.compareTo(extreme) < 0 : comparable.compareTo(extreme) > 0))) {
                    extreme = comparable;
                }
            }
            cursor = page.nextCursor();
        } while (cursor != null);
        return switch (aggregate) {
            case COUNT -> Optional.of(count);
            case COUNT_DISTINCT -> Optional.of((long) distinct.size());
            case SUM -> count == 0 ? Optional.empty() : Optional.of(integers ? (Object) sum.longValueExact() : sum);
            case AVERAGE -> count == 0 ? Optional.empty()
                    : Optional.of(sum.divide(java.math.BigDecimal.valueOf(count), 6, java.math.RoundingMode.HALF_UP).stripTrailingZeros());
            case MIN, MAX -> Optional.ofNullable(extreme);
        };
    }

    /** Titles (value of the entity's title field) of the given ids, for pickers and list cells. */
    Map<Long, String> titles(String entity, List<Long> ids);
}
