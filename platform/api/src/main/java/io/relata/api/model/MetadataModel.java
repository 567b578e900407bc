package io.relata.api.model;

import java.time.Instant;
import io.relata.api.security.RoleDefinition;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A complete, resolved and valid set of metadata: every reference points to an existing entity. The
 * running platform swaps the whole model atomically on reload; a model is never changed in place.
 *
 * @param roles    the roles of metadata/roles, by name
 * @param revision a label that identifies this model (content hash), shown in the admin UI and logs
 */
public record MetadataModel(Map<String, EntityDefinition> entities, Map<String, RoleDefinition> roles,
                            String revision, Instant loadedAt) {

    public MetadataModel {
        entities = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(entities));
        roles = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(roles));
    }

    /** A model without roles (tests, tools). */
    public MetadataModel(Map<String, EntityDefinition> entities, String revision, Instant loadedAt) {
        this(entities, Map.of(), revision, loadedAt);
    }

    public Optional<RoleDefinition> role(String name) {
        return Optional.ofNullable(roles.get(name));
    }

    public Optional<EntityDefinition> entity(String name) {
        return Optional.ofNullable(entities.get(name));
    }

    public Collection<EntityDefinition> allEntities() {
        return entities.values();
    }

    /** The references from other entities (and this one) that point to {@code target}. */
    public List<ReverseReference> reverseReferences(String target) {
        return entities.values().stream()
                .flatMap(e -> e.fields().stream()
                        .filter(f -> f.type() == FieldType.REFERENCE && target.equals(f.referenceEntity()))
                        .map(f -> new ReverseReference(e, f)))
                .toList();
    }
}
