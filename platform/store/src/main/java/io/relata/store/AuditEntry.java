package io.relata.store;

import java.time.OffsetDateTime;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One audited write of one record.
 *
 * @param actorId   the user who wrote it (0 for the system)
 * @param actorName their user name ("system" for platform work)
 * @param at        when, in UTC: the record's new updated_at for creates and updates
 * @param changes   per field name, in the entity's field order: for CREATE every field given a value (old
 *                  null), for UPDATE only fields whose value changed, for DELETE every field that had a value
 *                  (new null). Hidden fields are included: the audit trail is complete, whoever reads it.
 */
public record AuditEntry(String entity, long recordId, Action action, long actorId, String actorName,
                         OffsetDateTime at, Map<String, FieldChange> changes) {

    public enum Action { CREATE, UPDATE, DELETE }

    /** A field's value before and after the write, typed as in {@link io.relata.api.record.Record}. */
    public record FieldChange(Object oldValue, Object newValue) {
    }

    public AuditEntry {
        changes = Collections.unmodifiableMap(new LinkedHashMap<>(changes));
    }
}
