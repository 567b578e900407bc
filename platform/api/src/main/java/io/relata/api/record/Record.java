package io.relata.api.record;

import java.time.OffsetDateTime;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One stored record. {@code values} holds the metadata fields only (a null value is present as a key
 * with null); the system columns are separate components.
 *
 * @param version increases with every update; pass it back to update or delete (optimistic locking)
 */
public record Record(String entity, long id, long version, OffsetDateTime createdAt, OffsetDateTime updatedAt,
                     Map<String, Object> values) {

    public Record {
        values = Collections.unmodifiableMap(new LinkedHashMap<>(values));
    }

    public Object get(String field) {
        return values.get(field);
    }
}
