package io.relata.web.ui;

import io.relata.api.dashboard.Widget;
import io.relata.runtime.Jsons;
import io.relata.runtime.dashboard.WidgetFigures;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObjectBuilder;
import java.math.BigDecimal;
import java.util.List;

/**
 * The Chart.js configuration (as PrimeFaces' {@code p:chart} takes it) of a widget's figures. Colours are the
 * Okabe–Ito palette, told apart also by readers with a colour vision deficiency; the same figures are always
 * available as a table.
 */
final class ChartConfig {

    /** Okabe & Ito (2008): blue, orange, bluish green, reddish purple, sky blue, vermillion, yellow, grey. */
    static final List<String> PALETTE = List.of("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00",
            "#F0E442", "#7F7F7F");

    private ChartConfig() {
    }

    static String of(WidgetFigures figures, String language) {
        Widget.Chart chart = figures.widget().chart();
        JsonArrayBuilder labels = Jsons.PROVIDER.createArrayBuilder();
        figures.categories().forEach(c -> labels.add(c.label()));
        JsonArrayBuilder datasets = Jsons.PROVIDER.createArrayBuilder();
        boolean perCategoryColours = chart == Widget.Chart.PIE || chart == Widget.Chart.DONUT
                || (chart == Widget.Chart.FUNNEL && figures.series().size() == 1);
        for (int s = 0; s < figures.series().size(); s++) {
            WidgetFigures.Series series = figures.series().get(s);
            JsonArrayBuilder data = Jsons.PROVIDER.createArrayBuilder();
            series.cells().forEach(cell -> {
                BigDecimal number = number(cell.value());
                if (number == null) {
                    data.addNull();
                } else {
                    data.add(number);
                }
            });
            JsonObjectBuilder dataset = Jsons.PROVIDER.createObjectBuilder()
                    .add("label", series.label().isEmpty() ? figures.widget().label().in(language) : series.label())
                    .add("data", data);
            if (perCategoryColours) {
                JsonArrayBuilder colours = Jsons.PROVIDER.createArrayBuilder();
                for (int c = 0; c < figures.categories().size(); c++) {
                    colours.add(PALETTE.get(c % PALETTE.size()));
                }
                dataset.add("backgroundColor", colours);
            } else {
                String colour = PALETTE.get(s % PALETTE.size());
                dataset.add("backgroundColor", colour).add("borderColor", colour);
            }
            if (chart == Widget.Chart.LINE) {
                // straight lines: a smoothed curve would show values between the points that are not there
                dataset.add("fill", false).add("tension", 0).add("spanGaps", true);
            }
            datasets.add(dataset);
        }
        JsonObjectBuilder options = Jsons.PROVIDER.createObjectBuilder()
                .add("responsive", true)
                .add("maintainAspectRatio", false)
                .add("animation", false)
                .add("plugins", Jsons.PROVIDER.createObjectBuilder()
                        .add("legend", Jsons.PROVIDER.createObjectBuilder()
                                .add("display", figures.series().size() > 1 || perCategoryColours && chart != Widget.Chart.FUNNEL)
                                .add("position", "bottom")));
        if (chart == Widget.Chart.STACKED_BAR) {
            JsonObjectBuilder stacked = Jsons.PROVIDER.createObjectBuilder().add("stacked", true);
            options.add("scales", Jsons.PROVIDER.createObjectBuilder().add("x", stacked).add("y",
                    Jsons.PROVIDER.createObjectBuilder().add("stacked", true).add("beginAtZero", true)));
        } else if (chart == Widget.Chart.FUNNEL) {
            options.add("indexAxis", "y");
        } else if (chart == Widget.Chart.BAR || chart == Widget.Chart.LINE) {
            options.add("scales", Jsons.PROVIDER.createObjectBuilder().add("y",
                    Jsons.PROVIDER.createObjectBuilder().add("beginAtZero", true)));
        }
        return Jsons.PROVIDER.createObjectBuilder()
                .add("type", switch (chart) {
                    case LINE -> "line";
                    case PIE -> "pie";
                    case DONUT -> "doughnut";
                    default -> "bar";
                })
                .add("data", Jsons.PROVIDER.createObjectBuilder().add("labels", labels).add("datasets", datasets))
                .add("options", options)
                .build().toString();
    }

    /** The drill-down links as a JSON array per series, one per category (null where there is none). */
    static String links(List<List<String>> links) {
        JsonArrayBuilder all = Jsons.PROVIDER.createArrayBuilder();
        for (List<String> series : links) {
            JsonArrayBuilder row = Jsons.PROVIDER.createArrayBuilder();
            series.forEach(link -> {
                if (link == null) {
                    row.addNull();
                } else {
                    row.add(link);
                }
            });
            all.add(row);
        }
        return all.build().toString();
    }

    static BigDecimal number(Object value) {
        if (value instanceof BigDecimal decimal) {
            return decimal;
        }
        if (value instanceof Number number) {
            return BigDecimal.valueOf(number.longValue());
        }
        return null;
    }
}
