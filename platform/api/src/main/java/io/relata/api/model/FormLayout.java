package io.relata.api.model;

import java.util.Collection;
import java.util.List;
import java.util.stream.Stream;

/**
 * How the record form of an entity is laid out for some roles (none: for everyone whose roles have no layout of
 * their own): tabs of sections of fields, and which related lists show below the form, in which order (empty: all,
 * as without a layout).
 */
public record FormLayout(String name, List<String> roles, List<FormTab> tabs, List<String> related,
                         SourceLocation location) {

    public FormLayout {
        roles = List.copyOf(roles);
        tabs = List.copyOf(tabs);
        related = List.copyOf(related);
    }

    /** Whether the layout is for one of {@code userRoles}. */
    public boolean isFor(Collection<String> userRoles) {
        return roles.stream().anyMatch(userRoles::contains);
    }

    /** The fields the layout places, in reading order. */
    public Stream<String> placedFields() {
        return tabs.stream().flatMap(t -> t.sections().stream()).flatMap(s -> s.fields().stream());
    }
}
