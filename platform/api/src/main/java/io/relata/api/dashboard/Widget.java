package io.relata.api.dashboard;

import io.relata.api.model.LocalizedText;
import io.relata.api.model.SourceLocation;
import java.util.Objects;

/**
 * One widget of a dashboard: a {@link Figure} shown as {@code chart}, {@code width} columns of the grid wide.
 */
public record Widget(String name, LocalizedText label, Chart chart, int width, Figure figure, SourceLocation location) {

    /** The columns of a dashboard's grid. */
    public static final int GRID_COLUMNS = 12;

    public Widget {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(chart, "chart");
        Objects.requireNonNull(figure, "figure");
        if (width < 1 || width > GRID_COLUMNS) {
            throw new IllegalArgumentException("a widget is 1 to " + GRID_COLUMNS + " columns wide, not " + width);
        }
    }

    /** How a widget shows its figure. */
    public enum Chart {
        /** one number, with the change against the previous period where asked for */
        KPI,
        BAR,
        /** bars of the first key, stacked by the second */
        STACKED_BAR,
        /** a line over the periods of the first key (one line per value of a second key) */
        LINE,
        PIE,
        DONUT,
        /** horizontal bars in the order of the first key's options (the phases of a pipeline) */
        FUNNEL,
        TABLE;

        /** The name in YAML: {@code stacked_bar}. */
        public String yamlName() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }
}
