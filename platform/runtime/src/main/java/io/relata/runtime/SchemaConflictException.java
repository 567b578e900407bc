package io.relata.runtime;

import io.relata.metadata.MetadataProblem;
import java.util.List;

/**
 * Stored data contradicts the new metadata (a unique field with repeated values, a type change on a column with
 * values, an option in use removed …). Each contradiction is a {@link MetadataProblem} at the key that changed,
 * with a {@code SCHEMA_*} code, the number of records and a fix. The new model was not put in force and nothing
 * was changed.
 */
public class SchemaConflictException extends RuntimeException {

    private final List<MetadataProblem> problems;

    public SchemaConflictException(List<MetadataProblem> problems) {
        super(problems.size() + " change(s) of the metadata contradict stored data; nothing was changed: "
                + problems.stream().map(MetadataProblem::toString).reduce((a, b) -> a + "; " + b).orElse(""));
        this.problems = List.copyOf(problems);
    }

    public List<MetadataProblem> problems() {
        return problems;
    }
}
