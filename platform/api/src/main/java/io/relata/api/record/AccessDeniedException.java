package io.relata.api.record;

/**
 * The caller may see the entity (and the record, if there is one) but no role of theirs allows this
 * operation on it: creating, or changing or deleting a record outside their update or delete scope.
 * Nothing was written. Maps to HTTP 403. A record the caller may not even see is a
 * {@link RecordNotFoundException} instead, so its existence does not leak.
 */
public class AccessDeniedException extends RecordException {

    private final String entity;
    private final String operation;
    private final Long id;

    /** Refused {@code operation} ({@code create}, {@code export}) on the entity as a whole. */
    public AccessDeniedException(String entity, String operation) {
        this(entity, operation, null);
    }

    /** Refused {@code operation} ({@code update}, {@code delete}) on one record; {@code id} may be null. */
    public AccessDeniedException(String entity, String operation, Long id) {
        super(id == null
                ? "You may not " + operation + " " + entity + " records"
                : "You may not " + operation + " " + entity + " " + id + "; your roles only let you see it");
        this.entity = entity;
        this.operation = operation;
        this.id = id;
    }

    public String entity() {
        return entity;
    }

    /** The refused operation: {@code create}, {@code update}, {@code delete} or {@code export}. */
    public String operation() {
        return operation;
    }

    /** The record's id, or null if the operation concerns the entity as a whole. */
    public Long id() {
        return id;
    }
}
