package io.relata.store.access;

/**
 * An operation on existing records that is limited to a scope of records ({@code own}, {@code team},
 * {@code all}). Creating and exporting are yes/no permissions instead: see {@link AccessPolicy#canCreate}
 * and {@link AccessPolicy#canExport}.
 */
public enum Operation {
    /** Seeing a record: find, lists, search, counts, titles and references to it. */
    READ("read", "see", "sehen"),
    /** Changing a record's fields (update and replace). */
    UPDATE("update", "change", "ändern"),
    DELETE("delete", "delete", "löschen");

    private final String label;
    private final String verb;
    private final String germanVerb;

    Operation(String label, String verb, String germanVerb) {
        this.label = label;
        this.verb = verb;
        this.germanVerb = germanVerb;
    }

    /** The lower-case name as in role files ({@code read}, {@code update}, {@code delete}). */
    public String label() {
        return label;
    }

    /** The verb for sentences: "the role may <em>change</em> all records". */
    public String verb() {
        return verb;
    }

    /** The German infinitive for sentences: "die Rolle darf alle Datensätze <em>ändern</em>". */
    public String germanVerb() {
        return germanVerb;
    }
}
