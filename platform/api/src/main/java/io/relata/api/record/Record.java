package io.relata.api.record;

import java.time.OffsetDateTime;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One stored record. {@code values} holds the metadata fields only (a null value is present as a key
 * with null; a field hidden from the caller is absent); the system columns are separate components.
 *
 * @param ownerUser the id of the owning user (record-level access "own"), null for records made by the system
 * @param ownerTeam the id of the owning team (access "team"), null if none
 * @param version increases with every update; pass it back to update or delete (optimistic locking)
 */
public record Record(String entity, long id, long version, OffsetDateTime createdAt, OffsetDateTime updatedAt,
                     Long ownerUser, Long ownerTeam, Map<String, Object> values) {

    public Record {
        values = Collections.unmodifiableMap(new LinkedHashMap<>(values));
    }

    /** A record without owner (tests, tools). */
    public Record(String entity, long id, long version, OffsetDateTime createdAt, OffsetDateTime updatedAt,
                  Map<String, Object> values) {
        this(entity, id, version, createdAt, updatedAt, null, null, values);
    }

    public Object get(String field) {
        return values.get(field);
    }
}
