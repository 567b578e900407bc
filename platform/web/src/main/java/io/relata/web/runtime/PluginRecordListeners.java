package io.relata.web.runtime;

import io.relata.api.model.LocalizedText;
import io.relata.api.plugin.RecordChange;
import io.relata.api.plugin.RecordListener;
import io.relata.api.record.Record;
import io.relata.api.security.Actor;
import io.relata.plugins.ExtensionRegistry;
import io.relata.plugins.PluginCallException;
import io.relata.store.JdbcTransactions;
import io.relata.store.RecordWriteHook;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.logging.Logger;

/**
 * The plugins' record listeners as a part of every record write: {@code beforeSave} in the write's check (a
 * listener's rejection or failure refuses the write), {@code afterSave} once the write has committed.
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
        List<RecordListener> listeners = extensions.recordListeners(check.entity().name());
        if (listeners.isEmpty()) {
            return;
        }
        Map<String, Object> before = check.current() == null ? Map.of() : values(check.current());
        RecordChange change = new RecordChange() {
            @Override
            public String entity() {
                return check.entity().name();
            }

            @Override
            public boolean isNew() {
                return check.isNew();
            }

            @Override
            public Map<String, Object> before() {
                return before;
            }

            @Override
            public Map<String, Object> values() {
                return check.values();
            }

            @Override
            public Set<String> changed() {
                return Collections.unmodifiableSet(check.changed());
            }

            @Override
            public Actor actor() {
                return check.actor();
            }

            @Override
            public void set(String field, Object value) {
                if (check.entity().field(field).isEmpty()) {
                    throw new IllegalArgumentException("the entity " + check.entity().name() + " has no field " + field);
                }
                check.set(field, value, "plugin");
            }

            @Override
            public void reject(String field, String code, LocalizedText reason) {
                check.error(field, code, reason);
            }
        };
        for (RecordListener listener : listeners) {
            try {
                listener.beforeSave(change);
            } catch (PluginCallException e) {
                check.error(null, io.relata.api.record.ErrorCodes.PLUGIN_FAILED, e.text());
            }
        }
    }

    @Override
    public void written(Written written) {
        if (written.after() == null) {
            return; // deletes are not announced to listeners
        }
        List<RecordListener> listeners = extensions.recordListeners(written.entity().name());
        if (listeners.isEmpty()) {
            return;
        }
        Map<String, Object> before = written.before() == null ? Map.of() : values(written.before());
        Map<String, Object> after = values(written.after());
        Set<String> changed = new java.util.TreeSet<>();
        after.forEach((field, value) -> {
            if (!java.util.Objects.equals(value, before.get(field))) {
                changed.add(field);
            }
        });
        RecordChange change = new RecordChange() {
            @Override
            public String entity() {
                return written.entity().name();
            }

            @Override
            public boolean isNew() {
                return written.before() == null;
            }

            @Override
            public Map<String, Object> before() {
                return before;
            }

            @Override
            public Map<String, Object> values() {
                return after;
            }

            @Override
            public Set<String> changed() {
                return Collections.unmodifiableSet(changed);
            }

            @Override
            public Actor actor() {
                return written.actor();
            }

            @Override
            public void set(String field, Object value) {
                throw new IllegalStateException("afterSave cannot change the record: it is stored already");
            }

            @Override
            public void reject(String field, String code, LocalizedText reason) {
                throw new IllegalStateException("afterSave cannot refuse the write: it is stored already");
            }
        };
        transactions.afterCommit(() -> {
            for (RecordListener listener : listeners) {
                try {
                    listener.afterSave(change);
                } catch (PluginCallException e) {
                    LOG.warning(() -> "After saving " + written.entity().name() + " " + written.after().id() + ": "
                            + e.getMessage());
                }
            }
        });
    }

    private static Map<String, Object> values(Record record) {
        Map<String, Object> values = new LinkedHashMap<>(record.values());
        values.put("id", record.id());
        return Collections.unmodifiableMap(values);
    }
}
