package io.relata.api.record;

/** The entity name is not in the current metadata model. */
public class UnknownEntityException extends RecordException {

    private final String entity;

    public UnknownEntityException(String entity) {
        super("No entity named '" + entity + "' in the current metadata");
        this.entity = entity;
    }

    public String entity() {
        return entity;
    }
}
