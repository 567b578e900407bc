package io.relata.api.plugin;

import java.util.Set;
import org.pf4j.ExtensionPoint;

/**
 * Takes part in every create and update of records of some entities: refuses a write with a reason, or sets
 * further values ({@link #beforeSave}); learns of a committed write ({@link #afterSave}).
 *
 * <p><b>Thread</b>: a platform thread, with the plugin call timeout; the writer waits for it. <b>May not</b>:
 * reach the database (there is no connection to have), keep the {@link RecordChange} beyond the call, or
 * assume an order among several listeners.
 */
public interface RecordListener extends ExtensionPoint {

    /** The entities whose writes this listener takes part in (entity names, e.g. {@code "policy"}). */
    Set<String> entities();

    /**
     * Inside the write's transaction, after the entity's rules ran and before required, reference and
     * unique checks: {@link RecordChange#reject} refuses the write (nothing is stored), {@link RecordChange#set}
     * sets a value (checked like the writer's input). Throwing refuses the write with a message naming the plugin.
     */
    default void beforeSave(RecordChange change) {
    }

    /**
     * After the write has committed: the record as stored. Nothing can be refused or changed any more; what
     * this throws is logged with the plugin's name and the write stands.
     */
    default void afterSave(RecordChange change) {
    }
}
