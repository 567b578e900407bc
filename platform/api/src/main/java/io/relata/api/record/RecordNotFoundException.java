package io.relata.api.record;

import io.relata.api.model.LocalizedText;

/** No record with this id exists (or the caller may not know that it does). */
public class RecordNotFoundException extends RecordException {

    private final String entity;
    private final long id;

    public RecordNotFoundException(String entity, long id) {
        super(LocalizedText.format("Kein Datensatz {0} mit der ID {1}", "No {0} with id {1}", entity, id));
        this.entity = entity;
        this.id = id;
    }

    public String entity() {
        return entity;
    }

    public long id() {
        return id;
    }
}
