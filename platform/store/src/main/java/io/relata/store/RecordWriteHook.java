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
import java.util.Set;
import java.util.function.UnaryOperator;

/**
 * Platform code that takes part in every record write of a {@link JdbcRecordStore}, inside the write's
 * transaction: processes use it to guard phase moves, stamp them, run actions and start timers. Anything it
 * throws rolls the whole write back.
 */
public interface RecordWriteHook {

    /** Takes no part. */
    RecordWriteHook NONE = new RecordWriteHook() {
    };

    /** Both hooks, {@code first} then {@code second}, in each step. */
    static RecordWriteHook both(RecordWriteHook first, RecordWriteHook second) {
        return new RecordWriteHook() {
            @Override
            public void checking(Check check) throws SQLException {
                first.checking(check);
                second.checking(check);
            }

            @Override
            public void written(Written written) throws SQLException {
                first.written(written);
                second.written(written);
            }
        };
    }

    /** All the hooks, in their order, in each step. */
    static RecordWriteHook all(RecordWriteHook... hooks) {
        RecordWriteHook combined = NONE;
        for (RecordWriteHook hook : hooks) {
            combined = combined == NONE ? hook : both(combined, hook);
        }
        return combined;
    }

    /**
     * After the entity's rules ran on the writer's input and before the required, reference and unique
     * checks: may refuse the write by adding errors, or set further values (which are then checked like input;
     * the computed and score rules then run once more, so their values follow what was set).
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
     * @param changed the fields the writer gave a new value in this write (a value other than the stored
     *                one; on create any value): what the writer said, which set-field actions leave alone
     *                unless they are forced
     * @param derive  the entity's computed and score rules applied to a tentative record: what a guard or
     *                condition should judge after values were set ({@link #derived})
     */
    record Check(Connection connection, MetadataModel model, EntityDefinition entity, Record current,
                 Map<String, Object> values, Actor actor, RuleInput.RecordLookup lookup, List<FieldError> errors,
                 Set<String> changed, Setter setter, UnaryOperator<Map<String, Object>> derive,
                 java.util.function.Consumer<Object> notes) {

        public boolean isNew() {
            return current == null;
        }

        /** Sets a field (a typed value, as the store holds it) in what will be written. */
        public void set(String field, Object value) {
            setter.set(field, value, null);
        }

        /**
         * Sets a field like {@link #set(String, Object)}, naming who set it (a process): the writer is told
         * ({@link AutomaticChange}) if the value differs from the one the record would otherwise have.
         */
        public void set(String field, Object value, String by) {
            setter.set(field, value, by);
        }

        /** True if the writer gave {@code field} a new value in this write. */
        public boolean changedByWriter(String field) {
            return changed.contains(field);
        }

        /**
         * {@code tentative} (field values, typed) with the values the entity's computed and score rules give it:
         * the record as it would be stored if the hook set those values.
         */
        public Map<String, Object> derived(Map<String, Object> tentative) {
            return derive.apply(tentative);
        }

        public void error(String field, String code, String message) {
            errors.add(new FieldError(field, code, message));
        }

        /** An error whose sentence is given in the platform's languages. */
        public void error(String field, String code, io.relata.api.model.LocalizedText text) {
            errors.add(new FieldError(field, code, text));
        }

        /** Hands what the check decided to {@link #written} of the same write ({@link Written#note()}). */
        public void note(Object note) {
            notes.accept(note);
        }
    }

    /** How a {@link Check} writes back. */
    @FunctionalInterface
    interface Setter {
        /** @param by who set the value (a process name), or null */
        void set(String field, Object value, String by);
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
