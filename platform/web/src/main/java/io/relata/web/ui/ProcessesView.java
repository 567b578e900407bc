package io.relata.web.ui;

import io.relata.api.model.EntityDefinition;
import io.relata.api.process.ProcessDefinition;
import io.relata.process.ProcessCases;
import io.relata.store.access.AccessPolicy;
import io.relata.runtime.Platform;
import io.relata.web.security.CurrentActor;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import java.util.ArrayList;
import java.util.List;

/** The overview of all processes of the entities the user may read, with their open cases. */
@Named
@RequestScoped
public class ProcessesView {

    @Inject
    Platform platform;

    @Inject
    UiText ui;

    @Inject
    CurrentActor me;

    private List<Row> rows;

    public List<Row> getRows() {
        if (rows == null) {
            AccessPolicy access = platform.access(me.actor());
            ProcessCaseIndex index = new ProcessCaseIndex(platform.database().dataSource());
            rows = new ArrayList<>();
            for (ProcessDefinition process : platform.model().processes().values()) {
                if (!ProcessCases.visibleTo(process, access)) {
                    continue;
                }
                EntityDefinition entity = Pages.entity(platform, process.entity());
                rows.add(new Row(process.name(), ui.text(process.label()), ui.plural(entity), entity.name(),
                        process.phases().size(),
                        index.openCases(process, platform.securedRecords().readScope(process.entity())),
                        process.appliesWhen() == null ? null : process.appliesWhen().source()));
            }
        }
        return rows;
    }

    /**
     * One process.
     *
     * @param appliesWhen the condition that picks this process among its entity's, as written; null for always
     */
    public record Row(String name, String label, String entityLabel, String entity, int phases, long openCases,
                      String appliesWhen) {
    }
}
