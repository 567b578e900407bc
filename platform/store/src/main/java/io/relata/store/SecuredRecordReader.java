package io.relata.store;

import io.relata.api.model.MetadataModel;
import io.relata.api.plugin.RecordReader;
import io.relata.api.record.Filter;
import io.relata.api.record.FilterOperator;
import io.relata.api.record.Record;
import io.relata.api.record.RecordException;
import io.relata.api.record.RecordQuery;
import io.relata.api.record.Sort;
import io.relata.api.record.UnknownEntityException;
import io.relata.api.security.Actor;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Other records for a plugin's panel, read as one user through the secured store (row scope and hidden fields as
 * everywhere; it joins the {@code AuthorizationMatrixTest}). The actor is fixed when the reader is made: panels
 * render on a plugin thread, outside the request whose user the platform's own store asks for.
 */
public final class SecuredRecordReader implements RecordReader {

    private final SecuredRecordStore store;
    private final Supplier<MetadataModel> models;
    private final String language;

    /** Reads as {@code actor} from the system store. */
    public SecuredRecordReader(JdbcRecordStore system, Supplier<MetadataModel> models, Actor actor) {
        this(new SecuredRecordStore(system, models, () -> actor, AuditSink.NONE), models, actor.language());
    }

    /** @param store a store whose current actor is the reader's, fixed */
    SecuredRecordReader(SecuredRecordStore store, Supplier<MetadataModel> models, String language) {
        this.store = store;
        this.models = models;
        this.language = language;
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
        try {
            return store.find(entity, id).map(SecuredRecordReader::values);
        } catch (UnknownEntityException notForThisUser) {
            return Optional.empty();
        }
    }

    @Override
    public List<Map<String, Object>> where(String entity, String field, Object value, int limit) {
        int rows = Math.max(1, Math.min(limit, MAX_ROWS));
        try {
            return store.query(entity, new RecordQuery(List.of(new Filter(field, FilterOperator.EQ, value)),
                    List.of(Sort.desc("id")), null, rows, null)).records().stream().map(SecuredRecordReader::values).toList();
        } catch (UnknownEntityException notForThisUser) {
            return List.of();
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
