package io.relata.api.security;

import java.util.Arrays;
import java.util.Optional;

/**
 * What a role lets a user do with one field, most permissive last. A hidden field is absent from every
 * record, list, filter, sort, search, export and page the user sees; a read-only one is shown but never
 * written. Roles combine by taking the most permissive.
 */
public enum FieldAccess {
    HIDDEN("hidden"), READ_ONLY("read-only"), EDITABLE("editable");

    private final String yamlName;

    FieldAccess(String yamlName) {
        this.yamlName = yamlName;
    }

    public String yamlName() {
        return yamlName;
    }

    public FieldAccess mostPermissive(FieldAccess other) {
        return compareTo(other) >= 0 ? this : other;
    }

    public static Optional<FieldAccess> fromYamlName(String name) {
        return Arrays.stream(values()).filter(a -> a.yamlName.equals(name)).findFirst();
    }
}
