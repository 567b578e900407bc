package io.relata.api.dashboard;

import io.relata.api.model.LocalizedText;
import io.relata.api.model.SourceLocation;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/**
 * A dashboard: widgets in reading order on a grid of {@link Widget#GRID_COLUMNS} columns, for the users of some roles
 * (empty: everyone). Admins decide per role who sees which dashboard; each figure still counts only what the viewer
 * may read.
 */
public record DashboardDefinition(String name, LocalizedText label, LocalizedText description, List<String> roles,
                                  List<Widget> widgets, SourceLocation location) {

    public DashboardDefinition {
        roles = List.copyOf(roles);
        widgets = List.copyOf(widgets);
    }

    public boolean isFor(Collection<String> userRoles) {
        return roles.isEmpty() || roles.stream().anyMatch(userRoles::contains);
    }

    public Optional<Widget> widget(String name) {
        return widgets.stream().filter(w -> w.name().equals(name)).findFirst();
    }
}
