package io.relata.runtime;

import io.relata.api.model.EntityDefinition;
import io.relata.api.model.FieldDefinition;
import io.relata.api.model.MetadataModel;
import io.relata.api.record.RecordQuery;
import io.relata.api.security.AccessScope;
import io.relata.api.security.Actor;
import io.relata.api.security.FieldAccess;
import io.relata.store.JdbcRecordStore;
import io.relata.store.SecuredRecordStore;
import io.relata.store.access.AccessPolicy;
import io.relata.store.access.Operation;
import java.util.ArrayList;
import java.util.List;

/**
 * What one user could do under a model that is not in force yet (the designer's draft): per entity, the scopes of
 * their roles, the fields hidden from them and those they may only read, and how many records they would see. The
 * same {@link AccessPolicy} and secured store as every request, with the draft's roles.
 */
public final class AccessPreview {

    /** One entity as the user would meet it; {@code visibleRecords} null where the table does not exist yet. */
    public record EntityAccess(EntityDefinition entity, AccessScope read, boolean create, AccessScope update,
                               AccessScope delete, boolean export, List<String> hiddenFields,
                               List<String> readOnlyFields, Long visibleRecords) {
    }

    private AccessPreview() {
    }

    static List<EntityAccess> of(MetadataModel draft, MetadataModel inForce, Actor actor, JdbcRecordStore records,
                                 AuditLog audit) {
        AccessPolicy policy = new AccessPolicy(draft, actor);
        SecuredRecordStore store = new SecuredRecordStore(records, () -> draft, () -> actor, audit);
        List<EntityAccess> result = new ArrayList<>();
        for (EntityDefinition entity : draft.entities().values()) {
            List<String> hidden = new ArrayList<>();
            List<String> readOnly = new ArrayList<>();
            for (FieldDefinition field : entity.fields()) {
                FieldAccess access = policy.fieldAccess(entity.name(), field.name());
                if (access == FieldAccess.HIDDEN) {
                    hidden.add(field.name());
                } else if (access == FieldAccess.READ_ONLY) {
                    readOnly.add(field.name());
                }
            }
            AccessScope read = policy.scope(entity.name(), Operation.READ);
            Long visible = null;
            if (read != AccessScope.NONE && inForce.entity(entity.name()).isPresent()) {
                try {
                    visible = store.count(entity.name(), RecordQuery.all());
                } catch (RuntimeException e) {
                    visible = null; // the draft changed what the count needs (a field its access reads): not known
                }
            }
            result.add(new EntityAccess(entity, read, policy.canCreate(entity.name()),
                    policy.scope(entity.name(), Operation.UPDATE), policy.scope(entity.name(), Operation.DELETE),
                    policy.canExport(entity.name()), hidden, readOnly, visible));
        }
        return result;
    }
}
