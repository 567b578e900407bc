package io.relata.metadata;

import java.util.List;

/** Thrown once per load with every problem found in all metadata files; never with an empty list. */
public class MetadataException extends Exception {

    private static final long serialVersionUID = 1L;

    private final transient List<MetadataProblem> problems;

    public MetadataException(List<MetadataProblem> problems) {
        super(format(problems));
        if (problems.isEmpty()) {
            throw new IllegalArgumentException("a MetadataException needs at least one problem");
        }
        this.problems = List.copyOf(problems);
    }

    /** The problems in file order, then by line and column. */
    public List<MetadataProblem> problems() {
        return problems;
    }

    private static String format(List<MetadataProblem> problems) {
        StringBuilder text = new StringBuilder()
                .append(problems.size()).append(" problem(s) in metadata:");
        for (MetadataProblem problem : problems) {
            text.append('\n').append(problem);
        }
        return text.toString();
    }
}
