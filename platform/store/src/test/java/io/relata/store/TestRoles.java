package io.relata.store;

import io.relata.api.model.LocalizedText;
import io.relata.api.model.MetadataModel;
import io.relata.api.model.SourceLocation;
import io.relata.api.security.AccessScope;
import io.relata.api.security.DerivedField;
import io.relata.api.security.EntityGrant;
import io.relata.api.security.FieldAccess;
import io.relata.api.security.RoleDefinition;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Builds roles in test code, as metadata/roles/*.yaml would declare them:
 * {@code TestRoles.role("sales").grant("account").create().read(ALL).update(TEAM).field("x", HIDDEN).build()}.
 * Grants start with nothing allowed and every field editable (the loader's defaults).
 */
final class TestRoles {

    private TestRoles() {
    }

    static RoleBuilder role(String name) {
        return new RoleBuilder(name, false);
    }

    static RoleDefinition administrator(String name) {
        return new RoleBuilder(name, true).build();
    }

    /** {@code model} with {@code roles} added. */
    static MetadataModel withRoles(MetadataModel model, RoleDefinition... roles) {
        Map<String, RoleDefinition> byName = new LinkedHashMap<>();
        Arrays.stream(roles).forEach(role -> byName.put(role.name(), role));
        return new MetadataModel(model.entities(), byName, model.revision(), model.loadedAt());
    }

    static final class RoleBuilder {
        private final String name;
        private final boolean administrator;
        private final Map<String, EntityGrant> grants = new LinkedHashMap<>();
        private String entity;
        private boolean create;
        private AccessScope read = AccessScope.NONE;
        private AccessScope update = AccessScope.NONE;
        private AccessScope delete = AccessScope.NONE;
        private boolean export;
        private FieldAccess fieldDefault = FieldAccess.EDITABLE;
        private Map<String, FieldAccess> fields = new LinkedHashMap<>();
        private Map<String, DerivedField> derived = new LinkedHashMap<>();

        private RoleBuilder(String name, boolean administrator) {
            this.name = name;
            this.administrator = administrator;
        }

        /** Starts the grant for {@code entityName} (the previous one is complete). */
        RoleBuilder grant(String entityName) {
            finishGrant();
            entity = entityName;
            return this;
        }

        RoleBuilder create() {
            create = true;
            return this;
        }

        RoleBuilder read(AccessScope scope) {
            read = scope;
            return this;
        }

        RoleBuilder update(AccessScope scope) {
            update = scope;
            return this;
        }

        RoleBuilder delete(AccessScope scope) {
            delete = scope;
            return this;
        }

        /** read, update and delete all {@code scope}. */
        RoleBuilder all(AccessScope scope) {
            return read(scope).update(scope).delete(scope);
        }

        RoleBuilder export() {
            export = true;
            return this;
        }

        RoleBuilder fieldDefault(FieldAccess access) {
            fieldDefault = access;
            return this;
        }

        RoleBuilder field(String field, FieldAccess access) {
            fields.put(field, access);
            return this;
        }

        /**
         * {@code field} is hidden because a rule computes it from {@code from}, which the grant hides (what the
         * metadata loader finds from the rules).
         */
        RoleBuilder derived(String field, String... from) {
            derived.put(field, new DerivedField(field, List.of(from), field + ".computed", SourceLocation.UNKNOWN));
            return this;
        }

        RoleDefinition build() {
            finishGrant();
            return new RoleDefinition(name, text(name), null, administrator, grants, SourceLocation.UNKNOWN);
        }

        private void finishGrant() {
            if (entity != null) {
                grants.put(entity, new EntityGrant(entity, create, read, update, delete, export, fieldDefault, fields,
                        Set.of(), derived, SourceLocation.UNKNOWN));
            }
            entity = null;
            create = false;
            read = AccessScope.NONE;
            update = AccessScope.NONE;
            delete = AccessScope.NONE;
            export = false;
            fieldDefault = FieldAccess.EDITABLE;
            fields = new LinkedHashMap<>();
            derived = new LinkedHashMap<>();
        }
    }

    private static LocalizedText text(String english) {
        return new LocalizedText(Map.of("en", english));
    }
}
