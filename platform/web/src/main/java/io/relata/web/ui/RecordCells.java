package io.relata.web.ui;

import io.relata.api.model.EntityDefinition;
import io.relata.api.model.FieldDefinition;
import io.relata.api.model.FieldType;
import io.relata.api.record.Record;
import io.relata.api.record.RecordLink;
import io.relata.api.record.RecordStore;
import java.io.Serializable;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Display texts for the cells of a page of records. Reference titles are fetched once per referenced
 * entity and page, not once per cell; a record-link shows as "Lead: Seeblick Hotels".
 */
final class RecordCells implements Serializable {

    private static final long serialVersionUID = 1L;

    private final Map<String, Map<Long, String>> titlesByField = new HashMap<>();
    /** Titles of linked records (record-link fields), per linked entity. */
    private final Map<String, Map<Long, String>> titlesByEntity = new HashMap<>();
    /** Names of the files file fields hold. */
    private final Map<Long, String> fileNames = new HashMap<>();

    static RecordCells of(EntityDefinition entity, List<Record> records, RecordStore store) {
        RecordCells cells = new RecordCells();
        Map<String, java.util.Set<Long>> linked = new HashMap<>();
        for (FieldDefinition field : entity.fields()) {
            if (field.type() == FieldType.RECORD_LINK) {
                records.stream().map(r -> r.get(field.name())).filter(RecordLink.class::isInstance).map(RecordLink.class::cast)
                        .forEach(link -> linked.computeIfAbsent(link.entity(), e -> new java.util.HashSet<>()).add(link.id()));
            }
            if (field.type() != FieldType.REFERENCE) {
                continue;
            }
            List<Long> ids = records.stream().map(r -> (Long) r.get(field.name())).filter(Objects::nonNull).distinct().toList();
            cells.titlesByField.put(field.name(), ids.isEmpty() ? Map.of() : titlesIfReadable(store, field.referenceEntity(), ids));
        }
        linked.forEach((target, ids) -> cells.titlesByEntity.put(target, titlesIfReadable(store, target, List.copyOf(ids))));
        List<Long> files = entity.fields().stream().filter(f -> f.type() == FieldType.FILE)
                .flatMap(f -> records.stream().map(r -> r.get(f.name()))).filter(Long.class::isInstance).map(Long.class::cast)
                .distinct().toList();
        if (!files.isEmpty()) {
            cells.fileNames.putAll(Platforms.current().recordFiles().names(files));
        }
        return cells;
    }

    /** The title of the record a record-link names, "#id" if the user may not see it. */
    String linkTitle(RecordLink link) {
        return titlesByEntity.getOrDefault(link.entity(), Map.of()).getOrDefault(link.id(), "#" + link.id());
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
        if (field.type() == FieldType.FILE && value != null) {
            return fileNames.getOrDefault((Long) value, "#" + value);
        }
        if (value instanceof RecordLink link) {
            String entityLabel = Platforms.current().model().entity(link.entity()).map(ui::label).orElse(link.entity());
            return entityLabel + ": " + linkTitle(link);
        }
        return ui.format(field, value);
    }
}
