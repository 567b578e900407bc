package io.relata.api.security;

import java.util.Arrays;
import java.util.Optional;

/**
 * Which records an operation reaches, widest last: none, the caller's own (owner user), those of the
 * caller's teams (owner team one of the caller's teams, or own), all. Roles combine by taking the widest.
 */
public enum AccessScope {
    NONE("none"), OWN("own"), TEAM("team"), ALL("all");

    private final String yamlName;

    AccessScope(String yamlName) {
        this.yamlName = yamlName;
    }

    public String yamlName() {
        return yamlName;
    }

    public AccessScope widest(AccessScope other) {
        return compareTo(other) >= 0 ? this : other;
    }

    public static Optional<AccessScope> fromYamlName(String name) {
        return Arrays.stream(values()).filter(s -> s.yamlName.equals(name)).findFirst();
    }
}
