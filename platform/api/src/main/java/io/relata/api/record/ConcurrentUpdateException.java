package io.relata.api.record;

import io.relata.api.model.LocalizedText;

/**
 * Somebody else changed or deleted the record since the caller read it: the caller's version is stale.
 * Nothing was written; reload the record and apply the change again.
 */
public class ConcurrentUpdateException extends RecordException {

    private final String entity;
    private final long id;
    private final long expectedVersion;

    public ConcurrentUpdateException(String entity, long id, long expectedVersion) {
        super(LocalizedText.format("{0} {1} wurde von jemand anderem geändert, seit Version {2} gelesen wurde; laden"
                + " Sie ihn neu und wiederholen Sie Ihre Änderung", "The {0} {1} was changed by someone else since"
                + " version {2} was read; reload it and apply your change again", entity, id, expectedVersion));
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
