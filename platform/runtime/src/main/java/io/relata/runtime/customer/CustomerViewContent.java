package io.relata.runtime.customer;

import io.relata.api.model.CustomerView;
import io.relata.api.model.EntityDefinition;
import io.relata.api.model.FieldDefinition;
import io.relata.api.model.ViewPanel;
import io.relata.api.record.Record;
import java.time.OffsetDateTime;
import java.util.List;

/**
 * What one viewer sees of one record's customer view: the panels meant for their roles, each cut to what they may
 * read. Values are typed as the store hands them out; the page formats them.
 */
public record CustomerViewContent(CustomerView view, Record record, List<Panel> panels) {

    public CustomerViewContent {
        panels = List.copyOf(panels);
    }

    /** One panel's content. */
    public sealed interface Panel {
        ViewPanel panel();
    }

    /** The visible fields of the record, in the panel's order. */
    public record Facts(ViewPanel.Facts panel, List<FieldDefinition> fields) implements Panel {
        public Facts {
            fields = List.copyOf(fields);
        }
    }

    /** The figures; a figure over a field or records the viewer may not see is {@link Figure#hidden()}. */
    public record Figures(ViewPanel.Kpis panel, List<Figure> figures) implements Panel {
        public Figures {
            figures = List.copyOf(figures);
        }
    }

    /**
     * One figure: its value (null: nothing to measure) in the type of {@code field} (a count: null field), or hidden.
     */
    public record Figure(ViewPanel.Kpi kpi, FieldDefinition field, Object value, boolean hidden) {
    }

    /** The first rows of a related list and how many there are in all (that the viewer may read). */
    public record Related(ViewPanel.Related panel, EntityDefinition entity, List<FieldDefinition> columns,
                          List<Record> rows, long total) implements Panel {
        public Related {
            columns = List.copyOf(columns);
            rows = List.copyOf(rows);
        }
    }

    /** The newest entries of the timeline, newest first. */
    public record Timeline(ViewPanel.Timeline panel, List<Entry> entries) implements Panel {
        public Timeline {
            entries = List.copyOf(entries);
        }
    }

    /** Where the plugins' panels for the entity stand; the page asks the plugins. */
    public record Plugins(ViewPanel.Plugins panel) implements Panel {
    }

    /** Something that happened, at a time. */
    public sealed interface Entry {
        OffsetDateTime at();

        /** The entity and id of the record it happened to. */
        String entity();

        long recordId();
    }

    /** The viewed record was created, changed or deleted: the visible fields' old and new values. */
    public record Changed(OffsetDateTime at, String entity, long recordId, String action, String actor,
                          List<FieldChange> changes) implements Entry {
        public Changed {
            changes = List.copyOf(changes);
        }
    }

    /** One field's change, values as the audit trail holds them (JSON texts and numbers). */
    public record FieldChange(FieldDefinition field, Object oldValue, Object newValue) {
    }

    /** A record moved to another phase of its process (a start: {@code fromPhase} null). */
    public record PhaseChanged(OffsetDateTime at, String entity, long recordId, String process, String fromPhase,
                               String toPhase, String actor, String reason) implements Entry {
    }

    /**
     * A process mailed about a record: its subject where the viewer may see every field it shows (else null), and
     * whether it is sent, pending or failed.
     */
    public record Mail(OffsetDateTime at, String entity, long recordId, String template, String subject, String state)
            implements Entry {
    }

    /** A file was added to a record (its files panel or a file field). */
    public record FileAdded(OffsetDateTime at, String entity, long recordId, long fileId, String name, String contentType,
                            boolean hasThumbnail) implements Entry {
    }

    /** A related record: an activity logged, an opportunity opened, at its time field or its creation. */
    public record RelatedRecord(OffsetDateTime at, String entity, long recordId, Record record) implements Entry {
    }
}
