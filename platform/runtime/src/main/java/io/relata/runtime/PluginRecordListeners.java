package io.relata.runtime;

import io.relata.api.model.EntityDefinition;
import io.relata.api.model.LocalizedText;
import io.relata.api.plugin.RecordChange;
import io.relata.api.record.ErrorCodes;
import io.relata.api.record.Record;
import io.relata.api.security.Actor;
import io.relata.plugins.ExtensionRegistry;
import io.relata.plugins.PluginCallException;
import io.relata.store.AutomaticChange;
import io.relata.store.JdbcTransactions;
import io.relata.store.RecordWriteHook;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.BiConsumer;
import java.util.logging.Logger;

/**
 * The plugins' record listeners as a part of every record write: {@code beforeSave} in the write's check (a
 * listener's rejection or failure refuses the write), {@code afterSave} once the write has committed. What a
 * listener sets is attributed to its plugin, so the user reads which plugin changed a value.
 */
final class PluginRecordListeners implements RecordWriteHook {

    private static final Logger LOG = Logger.getLogger(PluginRecordListeners.class.getName());

    private final ExtensionRegistry extensions;
    private final JdbcTransactions transactions;

    PluginRecordListeners(ExtensionRegistry extensions, JdbcTransactions transactions) {
        this.extensions = extensions;
        this.transactions = transactions;
    }

    @Override
    public void checking(Check check) {
        List<ExtensionRegistry.Listener> listeners = extensions.recordListeners(check.entity().name());
        if (listeners.isEmpty()) {
            return;
        }
        Map<String, Object> before = check.current() == null ? Map.of() : values(check.current());
        for (ExtensionRegistry.Listener listener : listeners) {
            Change change = new Change(check.entity().name(), check.isNew(), before, check.values(),
                    Collections.unmodifiableSet(check.changed()), check.actor(), (field, value) -> {
                        if (check.entity().field(field).isEmpty()) {
                            throw new IllegalArgumentException("the entity " + check.entity().name()
                                    + " has no field " + field);
                        }
                        check.set(field, value, AutomaticChange.byPlugin(listener.pluginId()));
                    }, check::error);
            try {
                listener.calls().beforeSave(change);
            } catch (PluginCallException e) {
                check.error(null, ErrorCodes.PLUGIN_FAILED, e.text());
            }
        }
    }

    @Override
    public void written(Written written) {
        if (written.after() == null) {
            return; // deletes are not announced to listeners
        }
        List<ExtensionRegistry.Listener> listeners = extensions.recordListeners(written.entity().name());
        if (listeners.isEmpty()) {
            return;
        }
        Change change = stored(written.entity(), written.before(), written.after(), written.actor());
        transactions.afterCommit(() -> {
            for (ExtensionRegistry.Listener listener : listeners) {
                try {
                    listener.calls().afterSave(change);
                } catch (PluginCallException e) {
                    LOG.warning(() -> "After saving " + written.entity().name() + " " + written.after().id() + ": "
                            + e.getMessage());
                }
            }
        });
    }

    /** A write that is stored already: it can be read, no longer changed or refused. */
    private static Change stored(EntityDefinition entity, Record previous, Record after, Actor actor) {
        Map<String, Object> before = previous == null ? Map.of() : values(previous);
        Map<String, Object> values = values(after);
        Set<String> changed = new TreeSet<>();
        values.forEach((field, value) -> {
            if (!Objects.equals(value, before.get(field))) {
                changed.add(field);
            }
        });
        return new Change(entity.name(), previous == null, before, values, Collections.unmodifiableSet(changed), actor,
                (field, value) -> {
                    throw new IllegalStateException("afterSave cannot change the record: it is stored already");
                }, (field, code, reason) -> {
                    throw new IllegalStateException("afterSave cannot refuse the write: it is stored already");
                });
    }

    private static Map<String, Object> values(Record record) {
        Map<String, Object> values = new LinkedHashMap<>(record.values());
        values.put("id", record.id());
        return Collections.unmodifiableMap(values);
    }

    /** How a write takes a rejection: {@link RecordWriteHook.Check#error} before it is stored. */
    @FunctionalInterface
    private interface Rejection {
        void reject(String field, String code, LocalizedText reason);
    }

    /** A {@link RecordChange}; what {@code set} and {@code reject} may do depends on the phase of the write. */
    private record Change(String entity, boolean isNew, Map<String, Object> before, Map<String, Object> values,
                          Set<String> changed, Actor actor, BiConsumer<String, Object> setter, Rejection rejection)
            implements RecordChange {

        @Override
        public void set(String field, Object value) {
            setter.accept(field, value);
        }

        @Override
        public void reject(String field, String code, LocalizedText reason) {
            rejection.reject(field, code, reason);
        }
    }
}
