package io.relata.web.ui;

import io.relata.api.model.ChoiceOption;
import io.relata.api.model.EntityDefinition;
import io.relata.api.model.FieldDefinition;
import io.relata.runtime.Platform;
import io.relata.web.security.CurrentActor;
import jakarta.annotation.PostConstruct;
import jakarta.faces.view.ViewScoped;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import java.io.Serializable;
import java.time.YearMonth;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The lifecycle report: how many accounts and contacts stand at each stage, and how many moved into each stage per
 * month, of the records the user may read ({@link io.relata.runtime.customer.LifecycleReport}).
 */
@Named
@ViewScoped
public class LifecycleView implements Serializable {

    private static final long serialVersionUID = 1L;

    @Inject
    Platform platform;

    @Inject
    UiText ui;

    @Inject
    CurrentActor me;

    private List<Report> reports;

    /** One entity's report: stage labels, the count at each, and the moves per month into each. */
    public record Report(String entity, String title, List<String> stages, List<Long> counts, long withoutStage,
                         List<MonthRow> months) implements Serializable {
    }

    public record MonthRow(String month, List<Long> moves) implements Serializable {
    }

    @PostConstruct
    void init() {
        List<EntityDefinition> entities = platform.lifecycle().entities(platform.access(me.actor()));
        if (entities.isEmpty()) {
            throw new Pages.PageNotFoundException("No lifecycle for " + me.getUsername());
        }
        reports = new ArrayList<>();
        DateTimeFormatter monthFormat = DateTimeFormatter.ofPattern("MMM yyyy", ui.locale());
        for (EntityDefinition entity : entities) {
            FieldDefinition field = platform.lifecycle().stageField(entity.name()).orElseThrow();
            List<String> values = field.options().stream().map(ChoiceOption::value).toList();
            Map<String, Long> counts = platform.lifecycle().counts(platform.records(), entity.name());
            List<MonthRow> months = new ArrayList<>();
            for (Map.Entry<YearMonth, Map<String, Long>> month
                    : platform.lifecycle().movesPerMonth(platform.records(), entity.name()).entrySet()) {
                months.add(new MonthRow(month.getKey().format(monthFormat),
                        values.stream().map(v -> month.getValue().getOrDefault(v, 0L)).toList()));
            }
            reports.add(new Report(entity.name(), ui.plural(entity), values.stream().map(v -> ui.format(field, v)).toList(),
                    values.stream().map(v -> counts.getOrDefault(v, 0L)).toList(), counts.getOrDefault(null, 0L), months));
        }
    }

    public List<Report> getReports() {
        return reports;
    }
}
