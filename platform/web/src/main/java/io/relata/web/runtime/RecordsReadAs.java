package io.relata.web.runtime;

import io.relata.api.model.MetadataModel;
import io.relata.api.plugin.RecordReader;
import io.relata.api.record.Filter;
import io.relata.api.record.FilterOperator;
import io.relata.api.record.Record;
import io.relata.api.record.RecordException;
import io.relata.api.record.RecordQuery;
import io.relata.api.record.Sort;
import io.relata.api.security.Actor;
import io.relata.store.AuditSink;
import io.relata.store.JdbcRecordStore;
import io.relata.store.SecuredRecordStore;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Other records for a plugin's panel, read as one user through the secured store (row scope and hidden fields as
 * everywhere). The actor is fixed when the reader is made: panels render on a plugin thread, outside the request
 * whose user the platform's own store asks for.
 */
final class RecordsReadAs implements RecordReader {

    private final SecuredRecordStore store;
    private final Supplier<MetadataModel> models;
    private final String language;

    RecordsReadAs(JdbcRecordStore system, Supplier<MetadataModel> models, Actor actor) {
        this.store = new SecuredRecordStore(system, models, () -> actor, AuditSink.NONE);
        this.models = models;
        this.language = actor.language();
    }

    @Override
    public String display(String entity, String field, Object value) {
        if (value == null) {
            return "";
        }
        return models.get().entity(entity).flatMap(e -> e.field(field))
                .flatMap(f -> f.options() == null ? Optional.empty()
                        : f.options().stream().filter(o -> o.value().equals(String.valueOf(value))).findFirst())
                .map(option -> option.label().in(language))
                .orElse(String.valueOf(value));
    }

    @Override
    public Optional<Map<String, Object>> find(String entity, long id) {
        return store.find(entity, id).map(RecordsReadAs::values);
    }

    @Override
    public List<Map<String, Object>> where(String entity, String field, Object value, int limit) {
        int rows = Math.max(1, Math.min(limit, MAX_ROWS));
        try {
            return store.query(entity, new RecordQuery(List.of(new Filter(field, FilterOperator.EQ, value)),
                    List.of(Sort.desc("id")), null, rows, null)).records().stream().map(RecordsReadAs::values).toList();
        } catch (RecordException e) {
            throw new IllegalArgumentException("Cannot read " + entity + " where " + field + " = " + value + ": "
                    + e.getMessage(), e);
        }
    }

    private static Map<String, Object> values(Record record) {
        Map<String, Object> values = new LinkedHashMap<>();
        values.put("id", record.id());
        values.putAll(record.values());
        return values;
    }
}
