package io.relata.runtime.dashboard;

import io.relata.api.dashboard.DashboardDefinition;
import io.relata.api.dashboard.ProcessFigure;
import io.relata.api.dashboard.RecordFigure;
import io.relata.api.dashboard.Widget;
import io.relata.api.model.EntityDefinition;
import io.relata.api.model.MetadataModel;
import io.relata.api.process.ProcessDefinition;
import io.relata.api.record.RecordException;
import io.relata.process.kpi.ProcessKpis;
import io.relata.store.SecuredRecordStore;
import io.relata.store.access.AccessPolicy;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The dashboards of the model in force and their figures for one viewer. Who sees a dashboard is the admin's
 * choice per role (an administrator sees all); what a widget counts is the viewer's: it reads through their own
 * record store and process figures, so that rows outside their scope never count and a figure over a field hidden
 * from them is hidden. A widget that fails is shown as failed; the others still show.
 */
public final class Dashboards {

    private static final Logger LOG = Logger.getLogger(Dashboards.class.getName());

    private final Supplier<MetadataModel> models;
    private final RecordFigures records;
    private final ProcessWidgetFigures processes;

    /** @param clock today and the zone in which days, weeks and months begin (the platform's) */
    public Dashboards(Supplier<MetadataModel> models, Clock clock) {
        this.models = Objects.requireNonNull(models, "models");
        this.records = new RecordFigures(clock);
        this.processes = new ProcessWidgetFigures(clock);
    }

    /** The dashboards the viewer sees, in the model's order. */
    public List<DashboardDefinition> visibleTo(AccessPolicy access) {
        return models.get().dashboards().values().stream()
                .filter(d -> access.unrestricted() || d.isFor(access.actor().roles())).toList();
    }

    /** The dashboard of that name, if the viewer sees it. */
    public Optional<DashboardDefinition> find(AccessPolicy access, String name) {
        return visibleTo(access).stream().filter(d -> d.name().equals(name)).findFirst();
    }

    /** The figures of every widget of {@code dashboard}, in its order. */
    public List<WidgetFigures> figures(Viewer viewer, DashboardDefinition dashboard) {
        List<WidgetFigures> figures = new ArrayList<>();
        for (Widget widget : dashboard.widgets()) {
            figures.add(figures(viewer, widget));
        }
        return figures;
    }

    /**
     * The figures of one widget for the viewer.
     *
     * @throws RecordException if the figure cannot be computed (a condition's value the database refuses)
     */
    public WidgetFigures figures(Viewer viewer, Widget widget) {
        MetadataModel model = models.get();
        if (widget.figure() instanceof RecordFigure figure) {
            Optional<EntityDefinition> entity = model.entity(figure.entity());
            if (entity.isEmpty()) {
                return WidgetFigures.hidden(widget);
            }
            return records.compute(widget, figure, entity.get(), viewer.records(), viewer.access().actor(),
                    viewer.labels());
        }
        ProcessFigure figure = (ProcessFigure) widget.figure();
        Optional<ProcessDefinition> process = model.process(figure.process());
        if (process.isEmpty()) {
            return WidgetFigures.hidden(widget);
        }
        return processes.compute(widget, figure, process.get(), model.entity(process.get().entity()).orElse(null),
                viewer.kpis(), viewer.labels());
    }

    /**
     * Like {@link #figures(Viewer, DashboardDefinition)}, but a widget whose figure cannot be computed is left out of
     * the list as {@code null} at its place, logged, so that one broken widget does not take the page down.
     */
    public List<WidgetFigures> figuresOrNull(Viewer viewer, DashboardDefinition dashboard) {
        List<WidgetFigures> figures = new ArrayList<>();
        for (Widget widget : dashboard.widgets()) {
            try {
                figures.add(figures(viewer, widget));
            } catch (RecordException | IllegalArgumentException e) {
                LOG.log(Level.WARNING, e, () -> "The widget " + dashboard.name() + "/" + widget.name()
                        + " could not be computed");
                figures.add(null);
            }
        }
        return figures;
    }

    /**
     * Whom figures are for: their record store, their process figures (both for the same user), what they may do,
     * and how keys are named for them.
     */
    public record Viewer(SecuredRecordStore records, ProcessKpis kpis, AccessPolicy access, KeyLabels labels) {
        public Viewer {
            Objects.requireNonNull(records, "records");
            Objects.requireNonNull(kpis, "kpis");
            Objects.requireNonNull(access, "access");
            Objects.requireNonNull(labels, "labels");
        }
    }
}
