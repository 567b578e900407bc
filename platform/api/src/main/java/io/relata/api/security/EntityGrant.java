package io.relata.api.security;

import io.relata.api.model.SourceLocation;
import java.util.Map;
import java.util.Set;

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
 * @param showDerived  fields the role may see although they are computed from fields it cannot see (the role
 *                     file's {@code showDerived}); they keep the access {@code fields}/{@code fieldDefault} give
 * @param derived      the fields hidden because they are computed from hidden fields, by name (filled in by the
 *                     metadata loader, which knows the rules; never one of {@code showDerived})
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
        Set<String> showDerived,
        Map<String, DerivedField> derived,
        SourceLocation location) {

    public EntityGrant {
        fields = Map.copyOf(fields);
        showDerived = Set.copyOf(showDerived);
        derived = Map.copyOf(derived);
    }

    /** A grant without {@code showDerived} whose derived fields are not known (yet). */
    public EntityGrant(String entity, boolean create, AccessScope read, AccessScope update, AccessScope delete,
                       boolean export, FieldAccess fieldDefault, Map<String, FieldAccess> fields,
                       SourceLocation location) {
        this(entity, create, read, update, delete, export, fieldDefault, fields, Set.of(), Map.of(), location);
    }

    /** The access to a field: hidden if it is derived from hidden fields, else as {@code fields}/{@code fieldDefault} say. */
    public FieldAccess fieldAccess(String field) {
        return derived.containsKey(field) ? FieldAccess.HIDDEN : declaredAccess(field);
    }

    /** The access the role file gives a field, before derived fields are hidden. */
    public FieldAccess declaredAccess(String field) {
        return fields.getOrDefault(field, fieldDefault);
    }

    /** The same grant with {@code derived} as its derived fields. */
    public EntityGrant withDerived(Map<String, DerivedField> derivedFields) {
        return new EntityGrant(entity, create, read, update, delete, export, fieldDefault, fields, showDerived,
                derivedFields, location);
    }
}
