package io.relata.api.security;

import io.relata.api.model.LocalizedText;
import io.relata.api.model.SourceLocation;
import java.util.Map;
import java.util.Optional;

/**
 * A role as declared in {@code metadata/roles/<name>.yaml}. An administrator role may do everything with
 * every entity and field and manage users; any other role may do only what its grants allow.
 *
 * @param grants per entity name; entities not listed are invisible to the role
 */
public record RoleDefinition(
        String name,
        LocalizedText label,
        LocalizedText description,
        boolean administrator,
        Map<String, EntityGrant> grants,
        SourceLocation location) {

    public RoleDefinition {
        grants = Map.copyOf(grants);
    }

    public Optional<EntityGrant> grant(String entity) {
        return Optional.ofNullable(grants.get(entity));
    }
}
