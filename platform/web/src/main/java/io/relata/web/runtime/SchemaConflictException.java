package io.relata.web.runtime;

import java.util.List;

/**
 * The database holds columns whose types cannot serve the new metadata (e.g. a text column where the
 * metadata now says integer). The new model was not put in force and nothing was changed.
 */
public class SchemaConflictException extends RuntimeException {

    private final List<String> conflicts;

    public SchemaConflictException(List<String> conflicts) {
        super("The metadata does not fit existing columns; nothing was changed: " + String.join("; ", conflicts));
        this.conflicts = List.copyOf(conflicts);
    }

    public List<String> conflicts() {
        return conflicts;
    }
}
