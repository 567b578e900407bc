package io.relata.web.ui;

import java.io.Serializable;

/** A record picked in a reference field: its id and the title shown to the user. */
public record RecordRef(long id, String title) implements Serializable {
}
