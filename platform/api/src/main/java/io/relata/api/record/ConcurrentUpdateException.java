package io.relata.api.record;

/**
 * Somebody else changed or deleted the record since the caller read it: the caller's version is stale.
 * Nothing was written; reload the record and apply the change again.
 */
public class ConcurrentUpdateException extends RecordException {

    private final String entity;
    private final long id;
    private final long expectedVersion;

    public ConcurrentUpdateException(String entity, long id, long expectedVersion) {
        super("The " + entity + " " + id + " was changed by someone else since version " + expectedVersion
                + " was read; reload it and apply your change again");
        this.entity = entity;
        this.id = id;
        this.expectedVersion = expectedVersion;
    }

    public String entity() {
        return entity;
    }

    public long id() {
        return id;
    }

    public long expectedVersion() {
        return expectedVersion;
    }
}
