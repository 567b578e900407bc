package io.relata.runtime;

import io.relata.api.model.EntityDefinition;
import io.relata.api.model.MetadataModel;
import io.relata.store.Names;
import java.util.Optional;

/**
 * A request to drop an orphan named a table or column that is not one: in use by the model in force
 * ({@link #inUse()}), or not there at all. Nothing was dropped.
 */
public class NotAnOrphanException extends RuntimeException {

    private final boolean inUse;

    public NotAnOrphanException(boolean inUse, String message) {
        super(message);
        this.inUse = inUse;
    }

    /** True if the model uses the name (a refusal of a conflicting request), false if nothing has it (not found). */
    public boolean inUse() {
        return inUse;
    }

    /** Why {@code table} (and {@code column}, if not null) is no orphan of {@code model}. */
    static NotAnOrphanException of(MetadataModel model, String table, String column) {
        Optional<EntityDefinition> entity = model.allEntities().stream()
                .filter(e -> Names.table(e.name()).equals(table)).findFirst();
        String name = column == null ? table : table + "." + column;
        String list = " GET /api/v1/admin/schema/orphans lists the orphans.";
        if (entity.isEmpty()) {
            return new NotAnOrphanException(false, "There is no orphan table " + table + "." + list);
        }
        if (column == null) {
            return new NotAnOrphanException(true, "The table " + table + " holds the records of entity '"
                    + entity.get().name() + "'; only tables and columns no metadata names can be dropped." + list);
        }
        boolean used = Names.isSystemColumn(column) || entity.get().fields().stream().anyMatch(f -> f.name().equals(column)
                || Names.linkEntityColumn(f.name()).equals(column));
        return used ? new NotAnOrphanException(true, "The column " + name + " belongs to entity '" + entity.get().name()
                + "' (a field or a system column); only columns no metadata names can be dropped." + list)
                : new NotAnOrphanException(false, "There is no orphan column " + name + "." + list);
    }
}
