package io.relata.api.plugin;

import io.relata.api.model.LocalizedText;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * What a {@link RecordPanel} shows: key facts (label and value), then at most one table, then a note. Plain
 * text only; the platform escapes it and lays it out like the rest of the page.
 */
public record PanelContent(List<Fact> facts, List<LocalizedText> columns, List<List<String>> rows, LocalizedText note) {

    public PanelContent {
        facts = List.copyOf(facts);
        columns = List.copyOf(columns);
        rows = rows.stream().map(List::copyOf).toList();
        for (List<String> row : rows) {
            if (row.size() != columns.size()) {
                throw new IllegalArgumentException("A panel row has " + row.size() + " cells for " + columns.size()
                        + " columns: " + row);
            }
        }
    }

    /** One labelled value. */
    public record Fact(LocalizedText label, String value) {
        public Fact {
            Objects.requireNonNull(label, "label");
        }
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Builds a {@link PanelContent}. */
    public static final class Builder {
        private final List<Fact> facts = new ArrayList<>();
        private final List<LocalizedText> columns = new ArrayList<>();
        private final List<List<String>> rows = new ArrayList<>();
        private LocalizedText note;

        public Builder fact(LocalizedText label, Object value) {
            facts.add(new Fact(label, value == null ? "" : String.valueOf(value)));
            return this;
        }

        public Builder columns(LocalizedText... labels) {
            columns.addAll(List.of(labels));
            return this;
        }

        public Builder row(Object... cells) {
            List<String> row = new ArrayList<>();
            for (Object cell : cells) {
                row.add(cell == null ? "" : String.valueOf(cell));
            }
            rows.add(row);
            return this;
        }

        public Builder note(LocalizedText note) {
            this.note = note;
            return this;
        }

        public PanelContent build() {
            return new PanelContent(facts, columns, rows, note);
        }
    }
}
