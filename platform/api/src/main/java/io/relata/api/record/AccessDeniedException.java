package io.relata.api.record;

import io.relata.api.model.LocalizedText;

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
                ? LocalizedText.format("Ihre Rollen erlauben nicht: {0} auf Datensätzen von {1}", "You may not {2} {1} records",
                        operationInGerman(operation), entity, operation)
                : LocalizedText.format("Ihre Rollen erlauben nicht: {0} auf {1} {2}; Sie dürfen ihn nur sehen",
                        "You may not {3} {1} {2}; your roles only let you see it", operationInGerman(operation), entity, id,
                        operation));
        this.entity = entity;
        this.operation = operation;
        this.id = id;
    }

    private static String operationInGerman(String operation) {
        return switch (operation) {
            case "create" -> "Anlegen";
            case "update" -> "Ändern";
            case "delete" -> "Löschen";
            case "export" -> "Exportieren";
            default -> operation;
        };
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
