package io.relata.api.model;

import java.util.Collection;
import java.util.List;

/**
 * The customer view (360°) of an entity's records, {@code metadata/views/<entity>.yaml}: panels in reading order,
 * each for some roles or for everyone who may read the record. What a panel shows is still cut to what the viewer
 * may read: rows outside their scope and hidden fields never appear, and a figure over a hidden field is hidden.
 */
public record CustomerView(String entity, List<ViewPanel> panels, SourceLocation location) {

    public CustomerView {
        panels = List.copyOf(panels);
    }

    /** The panels a user with {@code roles} sees, in order. */
    public List<ViewPanel> panelsFor(Collection<String> roles) {
        return panels.stream().filter(p -> p.isFor(roles)).toList();
    }
}
