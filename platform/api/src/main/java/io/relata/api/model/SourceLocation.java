package io.relata.api.model;

/**
 * Where a piece of metadata was written: file, 1-based line and column. Used in every error message so
 * an admin can jump to the spot.
 */
public record SourceLocation(String file, int line, int column) {

    public static final SourceLocation UNKNOWN = new SourceLocation("<unknown>", 0, 0);

    @Override
    public String toString() {
        return file + ":" + line + ":" + column;
    }
}
