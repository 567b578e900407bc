package io.relata.api.security;

import io.relata.api.model.SourceLocation;
import java.util.Map;

/**
 * What one role may do with one entity. Operations not granted are denied.
 *
 * @param create       may create records (they are owned by the creating user and their primary team)
 * @param read         which records the role may see (lists, search, counts, references, REST)
 * @param update       which records it may change; never wider than {@code read} in effect
 * @param delete       which records it may delete; never wider than {@code read} in effect
 * @param export       may export (bulk download) the records it can read
 * @param fieldDefault access to fields not named in {@code fields}
 * @param fields       access per field name, overriding {@code fieldDefault}
 */
public record EntityGrant(
        String entity,
        boolean create,
        AccessScope read,
        AccessScope update,
        AccessScope delete,
        boolean export,
        FieldAccess fieldDefault,
        Map<String, FieldAccess> fields,
        SourceLocation location) {

    public EntityGrant {
        fields = Map.copyOf(fields);
    }

    public FieldAccess fieldAccess(String field) {
        return fields.getOrDefault(field, fieldDefault);
    }
}
