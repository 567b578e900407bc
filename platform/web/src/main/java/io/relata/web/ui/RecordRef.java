package io.relata.web.ui;

import java.io.Serializable;

/**
 * A record picked in a reference field: its id and the title shown to the user; in a record-link field also its
 * entity (a reference's entity is the field's).
 */
public record RecordRef(long id, String title, String entity) implements Serializable {

    public RecordRef(long id, String title) {
        this(id, title, null);
    }
}
