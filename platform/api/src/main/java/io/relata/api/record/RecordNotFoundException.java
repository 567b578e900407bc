package io.relata.api.record;

/** No record with this id exists (or the caller may not know that it does). */
public class RecordNotFoundException extends RecordException {

    private final String entity;
    private final long id;

    public RecordNotFoundException(String entity, long id) {
        super("No " + entity + " with id " + id);
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
