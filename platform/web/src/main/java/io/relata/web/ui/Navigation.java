package io.relata.web.ui;

import io.relata.api.model.EntityDefinition;
import io.relata.runtime.Platform;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import io.relata.store.access.AccessPolicy;
import io.relata.web.security.CurrentActor;
import java.util.List;

/** The menu and the home page tiles: one entry per entity of the model in force. */
@Named
@RequestScoped
public class Navigation {

    @Inject
    Platform platform;

    @Inject
    CurrentActor me;

    @Inject
    UiText ui;

    /** The entities the user may read; the others do not exist for them. */
    public List<EntityDefinition> getEntities() {
        AccessPolicy access = platform.access(me.actor());
        return platform.model().allEntities().stream().filter(e -> access.canRead(e.name())).toList();
    }

    /** True if some process exists for the user: then the menu offers the processes page. */
    public boolean isProcessesVisible() {
        AccessPolicy access = platform.access(me.actor());
        return platform.model().processes().values().stream()
                .anyMatch(p -> io.relata.process.ProcessCases.visibleTo(p, access));
    }

    /** Whether some dashboard is for the user. */
    public boolean isDashboardsVisible() {
        return !platform.dashboards().visibleTo(platform.access(me.actor())).isEmpty();
    }

    private Long dueCount;

    /** Whether the user has a "My work" page: the model has to-dos and they may read activities. */
    public boolean isWorkVisible() {
        return platform.todos().available() && platform.access(me.actor()).canRead(io.relata.runtime.customer.Todos.ENTITY);
    }

    /** How many of the user's open activities are due today or overdue (read once per request). */
    public long getDueCount() {
        if (dueCount == null) {
            dueCount = isWorkVisible() ? platform.todos().dueCount(platform.securedRecords()) : 0;
        }
        return dueCount;
    }

    private Long mailCount;

    /** Whether the user has a capture address and review list: a mailbox is configured and they may log activities. */
    public boolean isMailVisible() {
        return platform.mailCapture().enabled() && platform.access(me.actor()).canCreate(io.relata.runtime.customer.Todos.ENTITY);
    }

    /** How many captured mails wait for the user to file them (read once per request). */
    public long getMailCount() {
        if (mailCount == null) {
            mailCount = isMailVisible() ? platform.mailCapture().waitingCount(me.actor().userId()) : 0;
        }
        return mailCount;
    }

    /** Whether the user sees the lifecycle report: some entity with a lifecycle stage they may see. */
    /** The forecast, for who reads opportunities and their amounts. */
    public boolean isForecastVisible() {
        var access = platform.access(me.actor());
        return platform.forecast().available() && access.canRead(io.relata.runtime.orders.Forecast.OPPORTUNITY)
                && access.fieldAccess(io.relata.runtime.orders.Forecast.OPPORTUNITY, "amount")
                != io.relata.api.security.FieldAccess.HIDDEN;
    }

    public boolean isLifecycleVisible() {
        return !platform.lifecycle().entities(platform.access(me.actor())).isEmpty();
    }

    /** "3 due today or overdue", for the count's tooltip. */
    public String getDueTitle() {
        return java.text.MessageFormat.format(ui.message("work.dueCount"), getDueCount());
    }

    public long count(EntityDefinition entity) {
        return platform.records().count(entity.name(), io.relata.api.record.RecordQuery.all());
    }

    public String icon(EntityDefinition entity) {
        return entity.icon() == null ? "pi pi-table" : entity.icon();
    }

    public String getRevision() {
        return platform.model().revision();
    }
}
