package io.relata.web.ui;

import io.relata.api.model.EntityDefinition;
import io.relata.api.model.FieldDefinition;
import io.relata.api.model.FieldType;
import io.relata.api.record.Record;
import io.relata.api.record.RecordStore;
import java.io.Serializable;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Display texts for the cells of a page of records. Reference titles are fetched once per referenced
 * entity and page, not once per cell.
 */
final class RecordCells implements Serializable {

    private static final long serialVersionUID = 1L;

    private final Map<String, Map<Long, String>> titlesByField = new HashMap<>();

    static RecordCells of(EntityDefinition entity, List<Record> records, RecordStore store) {
        RecordCells cells = new RecordCells();
        for (FieldDefinition field : entity.fields()) {
            if (field.type() != FieldType.REFERENCE) {
                continue;
            }
            List<Long> ids = records.stream().map(r -> (Long) r.get(field.name())).filter(Objects::nonNull).distinct().toList();
            cells.titlesByField.put(field.name(), ids.isEmpty() ? Map.of() : titlesIfReadable(store, field.referenceEntity(), ids));
        }
        return cells;
    }

    /** Titles of records the user may read; an entity they cannot read leaves its references shown as ids. */
    static Map<Long, String> titlesIfReadable(RecordStore store, String entity, List<Long> ids) {
        try {
            return store.titles(entity, ids);
        } catch (io.relata.api.record.UnknownEntityException e) {
            return Map.of();
        }
    }

    String text(Record record, FieldDefinition field, UiText ui) {
        Object value = record.get(field.name());
        if (field.type() == FieldType.REFERENCE && value != null) {
            return titlesByField.getOrDefault(field.name(), Map.of()).getOrDefault((Long) value, "#" + value);
        }
        return ui.format(field, value);
    }
}
