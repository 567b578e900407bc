package io.relata.api.model;

import java.util.Collection;
import java.util.List;
import java.util.Optional;

/**
 * The record form layouts of one entity ({@code metadata/forms/<entity>.yaml}): one per group of roles, and
 * optionally a default one for everyone else.
 */
public record EntityForm(String entity, List<FormLayout> layouts, SourceLocation location) {

    public EntityForm {
        layouts = List.copyOf(layouts);
    }

    /**
     * The layout for a user with {@code roles}: the first whose roles they hold, else the one for everyone; empty
     * if neither (the form then shows the entity's fields in their order).
     */
    public Optional<FormLayout> layoutFor(Collection<String> roles) {
        return layouts.stream().filter(l -> l.isFor(roles)).findFirst()
                .or(() -> layouts.stream().filter(l -> l.roles().isEmpty()).findFirst());
    }

    public Optional<FormLayout> layout(String name) {
        return layouts.stream().filter(l -> l.name().equals(name)).findFirst();
    }
}
