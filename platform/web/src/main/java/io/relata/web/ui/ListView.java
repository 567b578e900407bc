package io.relata.web.ui;

import io.relata.api.model.EntityDefinition;
import io.relata.api.model.FieldDefinition;
import io.relata.api.record.Record;
import io.relata.web.runtime.Platform;
import io.relata.api.security.FieldAccess;
import io.relata.store.access.AccessPolicy;
import io.relata.web.security.CurrentActor;
import jakarta.annotation.PostConstruct;
import jakarta.faces.view.ViewScoped;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import java.io.Serializable;
import java.util.List;

/** The list page of one entity: columns from the metadata, lazy server-side paging, sorting, filters and search. */
@Named
@ViewScoped
public class ListView implements Serializable {

    private static final long serialVersionUID = 1L;
    private static final int FALLBACK_COLUMNS = 5;

    @Inject
    Platform platform;

    @Inject
    UiText ui;

    @Inject
    CurrentActor me;

    private String entityName;
    private RecordLazyModel model;

    @PostConstruct
    void init() {
        entityName = Pages.requiredEntityParameter(platform);
        if (!platform.access(me.actor()).canRead(entityName)) {
            throw new Pages.PageNotFoundException("No entity '" + entityName + "' for " + me.getUsername());
        }
        model = new RecordLazyModel(entityName);
    }

    public EntityDefinition getEntity() {
        return Pages.entity(platform, entityName);
    }

    public List<FieldDefinition> getColumns() {
        AccessPolicy access = platform.access(me.actor());
        return columnsOf(getEntity()).stream().filter(f -> access.fieldAccess(entityName, f.name()) != FieldAccess.HIDDEN).toList();
    }

    public boolean isCreatable() {
        return platform.access(me.actor()).canCreate(entityName);
    }

    /** The listed fields of an entity, or its first few fields if the metadata lists none. */
    static List<FieldDefinition> columnsOf(EntityDefinition entity) {
        List<FieldDefinition> listed = entity.listedFields();
        return listed.isEmpty() ? entity.fields().stream().limit(FALLBACK_COLUMNS).toList() : listed;
    }

    public boolean isFilterable(FieldDefinition field) {
        return switch (field.type()) {
            case REFERENCE, RECORD_LINK, LONG_TEXT, DATE_TIME -> false;
            default -> true;
        };
    }

    /** A record-link points to records of several entities: it has no order to sort by. */
    public boolean isSortable(FieldDefinition field) {
        return field.type() != io.relata.api.model.FieldType.RECORD_LINK;
    }

    public RecordLazyModel getModel() {
        return model;
    }

    public String cell(Record record, FieldDefinition field) {
        return model.cell(record, field, ui);
    }

    public String getEntityName() {
        return entityName;
    }
}
