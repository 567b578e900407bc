package io.relata.store;

/**
 * The database failed for a reason that is not the caller's input (connection lost, table missing, a bug
 * in generated SQL). Carries the entity and the operation; the {@link java.sql.SQLException} is the cause.
 */
public class StoreException extends RuntimeException {

    private final String entity;
    private final String operation;

    public StoreException(String entity, String operation, Throwable cause) {
        super(operation + " " + (entity == null ? "" : entity + " ") + "failed: "
                + (cause == null ? "unknown reason" : cause.getMessage()), cause);
        this.entity = entity;
        this.operation = operation;
    }

    /** The entity the operation was about, or null (e.g. while planning the whole schema). */
    public String entity() {
        return entity;
    }

    /** What was being done, e.g. {@code create}, {@code query}, {@code plan schema}. */
    public String operation() {
        return operation;
    }
}
