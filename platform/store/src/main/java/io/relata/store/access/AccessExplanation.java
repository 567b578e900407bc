package io.relata.store.access;

import io.relata.api.model.LocalizedText;
import io.relata.api.security.AccessScope;
import io.relata.api.security.FieldAccess;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The answer to "Why can I see this record?": which of the user's roles let them see, change or delete it
 * and why that grant reaches this record, and what they may do with each field. Built by
 * {@link AccessPolicy#explain}; {@link #text()} is the plain-English version the API shows (the UI words the parts in the user's language).
 *
 * @param visible      false if no role lets the user see the record (then there are no reasons and no fields)
 * @param reasons      one per role and operation whose scope includes the record, read first
 * @param fields       every field of the entity with the user's access to it in this record (editable only if
 *                     they may change the record), in the entity's order
 * @param roles        the user's roles that were considered
 * @param ignoredRoles role names the user has but the metadata does not define
 */
public record AccessExplanation(String entity, long recordId, String username, boolean visible, List<Reason> reasons,
                                List<FieldRule> fields, List<String> roles, List<String> ignoredRoles) {

    public AccessExplanation {
        reasons = List.copyOf(reasons);
        fields = List.copyOf(fields);
        roles = List.copyOf(roles);
        ignoredRoles = List.copyOf(ignoredRoles);
    }

    /**
     * One grant that reaches the record.
     *
     * @param role  the role's name; null for platform work (the system actor)
     * @param scope the role's scope for the operation (update and delete already capped at the role's read scope);
     *              null when the role reaches the record through the record it is about ({@code readAccessFrom})
     * @param why   why the scope includes this record: "you own it", "it belongs to your team 7", "the role may
     *              see all records"
     */
    public record Reason(String role, Operation operation, AccessScope scope, LocalizedText why) {

        /** E.g. {@code Role 'sales' may see team records: it belongs to your team 7}. */
        public String text() {
            String who = role == null ? "System access" : "Role '" + role + "'";
            String because = why.in(LocalizedText.FALLBACK_LANGUAGE);
            if (scope == null) {
                return who + " may " + operation.verb() + " what is about records you may see: " + because;
            }
            return who + " may " + operation.verb() + " " + scope.yamlName() + " records: " + because;
        }
    }

    /**
     * The user's access to one field of the record and the roles that give exactly this access (the most
     * permissive wins).
     *
     * @param note why, where the roles alone do not tell: "no role lets you change this record" (editable
     *             fields of a record the user may not change are read-only), "computed from amount by the rule
     *             'weighted_amount.computed'" (a hidden derived field); null otherwise
     */
    public record FieldRule(String field, FieldAccess access, List<String> roles, LocalizedText note) {

        public FieldRule {
            roles = List.copyOf(roles);
        }

        public FieldRule(String field, FieldAccess access, List<String> roles) {
            this(field, access, roles, null);
        }

        /** E.g. {@code revenue: read-only (role 'viewer')}, {@code name: read-only (no role lets you change this record)}. */
        public String text() {
            List<String> parts = new java.util.ArrayList<>();
            if (!roles.isEmpty()) {
                parts.add(roles.stream().map(r -> "'" + r + "'")
                        .collect(Collectors.joining(", ", roles.size() == 1 ? "role " : "roles ", "")));
            }
            if (note != null) {
                parts.add(note.in(LocalizedText.FALLBACK_LANGUAGE));
            }
            return field + ": " + access.yamlName() + (parts.isEmpty() ? "" : " (" + String.join("; ", parts) + ")");
        }
    }

    /** True if some role lets the user change the record. */
    public boolean canUpdate() {
        return reasons.stream().anyMatch(r -> r.operation() == Operation.UPDATE);
    }

    /** True if some role lets the user delete the record. */
    public boolean canDelete() {
        return reasons.stream().anyMatch(r -> r.operation() == Operation.DELETE);
    }

    /** The fields with the given access. */
    public List<String> fieldsWith(FieldAccess access) {
        return fields.stream().filter(f -> f.access() == access).map(FieldRule::field).toList();
    }

    /** The whole explanation as lines of plain English. */
    public String text() {
        StringBuilder text = new StringBuilder();
        String record = entity + " " + recordId;
        if (!visible) {
            text.append(username).append(" cannot see ").append(record).append(": ")
                    .append(roles.isEmpty() ? "they have no roles that apply"
                            : "none of their roles (" + String.join(", ", roles) + ") reaches it");
        } else {
            text.append(username).append(" can see ").append(record).append(" because:");
            for (Reason reason : reasons) {
                text.append("\n- ").append(reason.text());
            }
            if (!canUpdate()) {
                text.append("\n- No role lets them change it.");
            }
            if (!canDelete()) {
                text.append("\n- No role lets them delete it.");
            }
            text.append("\nFields:");
            for (FieldRule field : fields) {
                text.append("\n- ").append(field.text());
            }
        }
        if (!ignoredRoles.isEmpty()) {
            text.append("\nIgnored roles (not defined in the metadata): ").append(String.join(", ", ignoredRoles));
        }
        return text.toString();
    }
}
