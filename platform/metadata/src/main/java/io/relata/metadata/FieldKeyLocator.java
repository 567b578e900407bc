package io.relata.metadata;

import io.relata.api.model.SourceLocation;

/**
 * Where a key of a field is written in the files of one load. For problems found after the model was built, such as
 * a schema change that stored data contradicts: they are reported at the key whose value changed ({@code unique},
 * {@code maxLength}, {@code options}, …).
 */
@FunctionalInterface
public interface FieldKeyLocator {

    /**
     * The position of {@code key} of a field; the field's own position if the key is not written (a default
     * {@code maxLength}), the file's start if the entity is unknown.
     */
    SourceLocation locate(String entity, String field, String key);
}
