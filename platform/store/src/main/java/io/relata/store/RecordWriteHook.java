package io.relata.store;

import io.relata.api.model.EntityDefinition;
import io.relata.api.model.MetadataModel;
import io.relata.api.record.FieldError;
import io.relata.api.record.Record;
import io.relata.api.rules.RuleInput;
import io.relata.api.security.Actor;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;

/**
 * Platform code that takes part in every record write of a {@link JdbcRecordStore}, inside the write's
 * transaction: processes use it to guard phase moves, stamp them, run actions and start timers. Anything it
 * throws rolls the whole write back.
 */
public interface RecordWriteHook {

    /** Takes no part. */
    RecordWriteHook NONE = new RecordWriteHook() {
    };

    /**
     * After the entity's rules ran and before the required, reference and unique checks: may refuse the
     * write by adding errors, or set further values (which are then checked like input).
     */
    default void checking(Check check) throws SQLException {
    }

    /** After the row (and its audit entry) is written: create ({@code before} null), update or delete ({@code after} null). */
    default void written(Written written) throws SQLException {
    }

    /**
     * A write about to happen.
     *
     * @param current the stored record (null on create)
     * @param values  the record as it will be stored (read-only: change it with {@link #set})
     */
    record Check(Connection connection, MetadataModel model, EntityDefinition entity, Record current,
                 Map<String, Object> values, Actor actor, RuleInput.RecordLookup lookup, List<FieldError> errors,
                 Setter setter, java.util.function.Consumer<Object> notes) {

        public boolean isNew() {
            return current == null;
        }

        /** Sets a field (a typed value, as the store holds it) in what will be written. */
        public void set(String field, Object value) {
            setter.set(field, value);
        }

        public void error(String field, String code, String message) {
            errors.add(new FieldError(field, code, message));
        }

        /** Hands what the check decided to {@link #written} of the same write ({@link Written#note()}). */
        public void note(Object note) {
            notes.accept(note);
        }
    }

    /** How a {@link Check} writes back. */
    @FunctionalInterface
    interface Setter {
        void set(String field, Object value);
    }

    /**
     * A write that happened.
     *
     * @param note what {@link #checking} of this write noted ({@link Check#note}), or null (always null for deletes)
     */
    record Written(Connection connection, MetadataModel model, EntityDefinition entity, Record before, Record after,
                   Actor actor, OffsetDateTime at, Object note) {
    }
}
