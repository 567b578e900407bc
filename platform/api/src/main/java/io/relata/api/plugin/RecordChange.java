package io.relata.api.plugin;

import io.relata.api.model.LocalizedText;
import io.relata.api.security.Actor;
import java.util.Map;
import java.util.Set;

/** One record write as a {@link RecordListener} sees it. Valid only during the call it is given to. */
public interface RecordChange {

    /** The entity's name. */
    String entity();

    /** True for a create. */
    boolean isNew();

    /** The stored values before the write (empty on create), read-only. */
    Map<String, Object> before();

    /** The values as they will be (in {@code afterSave}: as they were) stored, read-only. */
    Map<String, Object> values();

    /** The fields the writer gave a new value in this write. */
    Set<String> changed();

    /** Who writes. */
    Actor actor();

    /** Sets a field's value in what will be stored ({@code beforeSave} only). */
    void set(String field, Object value);

    /**
     * Refuses the write ({@code beforeSave} only).
     *
     * @param field  the field the reason is about, or null for the record as a whole
     * @param code   a stable code, e.g. {@code "sum_insured_too_high"}
     * @param reason the sentence the user reads, in German and English
     */
    void reject(String field, String code, LocalizedText reason);
}
