package io.relata.api.plugin;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Other records, as the user who looks at a panel may read them: the same row scope and hidden fields as everywhere
 * (a record the user may not read is absent, a hidden field missing from its values). Values are typed as in
 * {@link RecordPanel.Request#record()}, with {@code id}.
 */
public interface RecordReader {

    /** The most records one {@link #where} call returns. */
    int MAX_ROWS = 200;

    /** Reads nothing: for panels rendered outside a user's request (tests, previews). */
    RecordReader NONE = new RecordReader() {
        @Override
        public Optional<Map<String, Object>> find(String entity, long id) {
            return Optional.empty();
        }

        @Override
        public List<Map<String, Object>> where(String entity, String field, Object value, int limit) {
            return List.of();
        }

        @Override
        public String display(String entity, String field, Object value) {
            return value == null ? "" : String.valueOf(value);
        }
    };

    /** One record, if it exists and the user may read it (an entity the user has no access to has none). */
    Optional<Map<String, Object>> find(String entity, long id);

    /**
     * The records of {@code entity} whose {@code field} equals {@code value} (a reference: the id), newest first, at
     * most {@code limit} (capped at {@link #MAX_ROWS}); none of an entity the user has no access to.
     *
     * @throws IllegalArgumentException when the field does not exist or is hidden from the user
     */
    List<Map<String, Object>> where(String entity, String field, Object value, int limit);

    /**
     * A value as the user reads it: a choice's option label in the user's language ({@code issued} → "Policiert"),
     * anything else as text; empty for null.
     */
    String display(String entity, String field, Object value);
}
