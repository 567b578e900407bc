package io.relata.metadata;

import io.relata.api.model.SourceLocation;

/**
 * One thing wrong with the metadata, precise enough for an admin to fix it without reading code.
 *
 * @param file    the file's display name (or a directory for {@link ProblemCode#METADATA_DIRECTORY_MISSING})
 * @param line    1-based line, 0 if the problem concerns the whole file or directory
 * @param column  1-based column, 0 if unknown
 * @param code    a stable code from {@link ProblemCode}, e.g. {@code UNKNOWN_REFERENCE_TARGET}
 * @param message what is wrong, naming the element and the offending value
 * @param fix     what to do about it
 */
public record MetadataProblem(String file, int line, int column, String code, String message, String fix) {

    public MetadataProblem(String file, int line, int column, ProblemCode code, String message, String fix) {
        this(file, line, column, code.name(), message, fix);
    }

    public SourceLocation location() {
        return new SourceLocation(file, line, column);
    }

    /**
     * E.g. {@code metadata/entities/contact.yaml:12:5: [UNKNOWN_REFERENCE_TARGET] Field 'account'
     * references entity 'acount', which does not exist. Fix: use one of: account, contact.}
     */
    @Override
    public String toString() {
        StringBuilder text = new StringBuilder(file);
        if (line > 0) {
            text.append(':').append(line).append(':').append(column);
        }
        text.append(": [").append(code).append("] ").append(message);
        if (fix != null && !fix.isBlank()) {
            text.append(" Fix: ").append(fix);
        }
        return text.toString();
    }
}
