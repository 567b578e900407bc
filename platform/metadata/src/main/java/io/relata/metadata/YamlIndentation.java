package io.relata.metadata;

import static io.relata.metadata.Problems.q;

import java.util.Optional;
import org.snakeyaml.engine.v2.exceptions.MarkedYamlEngineException;

/**
 * Explains the YAML syntax errors that a key indented wrongly causes. A key moved too far left after the last key
 * of a mapping still makes valid YAML, which {@link YamlDocument} reads as meant ({@link ProblemCode#KEY_INDENTATION});
 * one moved left in the middle of a mapping or of a list item, or between two levels, or too far right, makes
 * YAML that SnakeYAML cannot read, and its message ("expected &lt;block end&gt;, but found '?'", "mapping values
 * are not allowed here") says nothing about indentation, sometimes at the line after the one that is wrong. Here
 * the lines around are read to name the key that is out of line, where it is, and how far to move it.
 */
final class YamlIndentation {

    /** One line of the file as far as indentation goes. */
    private record Line(int number, int indent, int keyColumn, String key, boolean item, boolean scalarValue) {
    }

    private final String[] lines;

    private YamlIndentation(String text) {
        this.lines = text.split("\n", -1);
    }

    /** The problem for a syntax error caused by a key indented wrongly, if that is what it is. */
    static Optional<MetadataProblem> explain(MetadataFile file, MarkedYamlEngineException e) {
        if (e.getProblemMark().isEmpty() || e.getProblem() == null) {
            return Optional.empty();
        }
        YamlIndentation text = new YamlIndentation(file.content());
        int line = e.getProblemMark().get().getLine();
        int column = e.getProblemMark().get().getColumn();
        String problem = e.getProblem();
        if (problem.startsWith("expected <block end>, but found '?'")
                || problem.startsWith("expected <block end>, but found '<block mapping start>'")) {
            return text.keyOutOfLine(file.displayName(), line, column);
        }
        if (problem.startsWith("mapping values are not allowed here")) {
            return text.valueRunsOn(file.displayName(), line);
        }
        return Optional.empty();
    }

    /** A key at the start of its line that fits no level of the lines above (0-based line and column). */
    private Optional<MetadataProblem> keyOutOfLine(String file, int number, int column) {
        Line here = line(number);
        if (here == null || here.keyColumn() != column || here.key() == null) {
            return Optional.empty();
        }
        Line above = previous(number);
        if (above == null) {
            return Optional.empty();
        }
        if (above.keyColumn() < column && above.scalarValue()) {
            int by = column - above.keyColumn();
            return Optional.of(problem(file, here, "Is this key indented correctly? " + q(here.key()) + " (line "
                            + (here.number() + 1) + ") is indented more than " + q(above.key()) + " (line "
                            + (above.number() + 1) + ") above it, whose value is complete, which YAML cannot read.",
                    "indent it by " + spaces(by, "fewer") + ", to line up with " + q(above.key()) + " (line "
                            + (above.number() + 1) + ")."));
        }
        // the nearest level deeper than the key, up to the line that holds it (its list item or its parent key)
        Line best = null;
        Line stop = null;
        for (int i = number - 1; i >= 0; i--) {
            Line candidate = line(i);
            if (candidate == null) {
                continue;
            }
            if (candidate.keyColumn() > column && candidate.key() != null
                    && (best == null || candidate.keyColumn() < best.keyColumn())) {
                best = candidate;
            }
            if (candidate.indent() <= column) {
                stop = candidate;
                break;
            }
        }
        if (best == null) {
            return Optional.empty();
        }
        String why = stop != null && stop.item() && stop.indent() == column
                ? "stands where the items of the list start ('- ' at line " + (stop.number() + 1) + ") but starts no "
                + "new item"
                : "is indented less than " + q(best.key()) + " (line " + (best.number() + 1) + ") above it"
                + (stop != null && stop.key() != null ? ", but more than " + q(stop.key()) + " (line " + (stop.number() + 1)
                + ")" : "");
        return Optional.of(problem(file, here, "Is this key indented correctly? " + q(here.key()) + " (line "
                        + (here.number() + 1) + ") " + why + ", which YAML cannot read.",
                "indent it by " + spaces(best.keyColumn() - column, "more") + ", to line up with " + q(best.key())
                        + " (line " + (best.number() + 1) + ")."));
    }

    /**
     * "mapping values are not allowed here" on a key indented deeper than a {@code key: value} line above it: YAML
     * reads the deeper line as more of that value. Either the line above was moved left (the lines before it are
     * as deep as this one) or this one was moved right.
     */
    private Optional<MetadataProblem> valueRunsOn(String file, int number) {
        Line here = line(number);
        Line above = previous(number);
        if (here == null || above == null || here.key() == null || above.key() == null || !above.scalarValue()
                || here.keyColumn() <= above.keyColumn()) {
            return Optional.empty();
        }
        Line before = previous(above.number());
        if (before != null && before.key() != null && before.keyColumn() == here.keyColumn()) {
            return Optional.of(problem(file, above, "Is this key indented correctly? " + q(above.key()) + " (line "
                            + (above.number() + 1) + ") is indented less than the keys before and after it ("
                            + q(before.key()) + ", line " + (before.number() + 1) + ", and " + q(here.key()) + ", line "
                            + (here.number() + 1) + "), so YAML reads the lines after it as part of its value.",
                    "indent it by " + spaces(here.keyColumn() - above.keyColumn(), "more") + ", to line up with "
                            + q(before.key()) + " (line " + (before.number() + 1) + ")."));
        }
        return Optional.of(problem(file, here, "Is this key indented correctly? " + q(here.key()) + " (line "
                        + (here.number() + 1) + ") is indented more than " + q(above.key()) + " (line "
                        + (above.number() + 1) + ") above it, so YAML reads it as part of that key's value.",
                "indent it by " + spaces(here.keyColumn() - above.keyColumn(), "fewer") + ", to line up with "
                        + q(above.key()) + " (line " + (above.number() + 1) + ")."));
    }

    private static MetadataProblem problem(String file, Line at, String message, String fix) {
        return new MetadataProblem(file, at.number() + 1, at.keyColumn() + 1, ProblemCode.KEY_INDENTATION, message, fix);
    }

    /** "2 more spaces", "1 fewer space". */
    private static String spaces(int count, String more) {
        return count + " " + more + (count == 1 ? " space" : " spaces");
    }

    /** The nearest line above with content (not blank, not only a comment). */
    private Line previous(int number) {
        for (int i = number - 1; i >= 0; i--) {
            Line line = line(i);
            if (line != null) {
                return line;
            }
        }
        return null;
    }

    /** A line's indentation, key and kind; null for a blank or comment line, or one indented with tabs. */
    private Line line(int number) {
        if (number < 0 || number >= lines.length) {
            return null;
        }
        String text = lines[number].replace("\r", "");
        int indent = 0;
        while (indent < text.length() && text.charAt(indent) == ' ') {
            indent++;
        }
        if (indent == text.length() || text.charAt(indent) == '#' || text.charAt(indent) == '\t') {
            return null;
        }
        int keyColumn = indent;
        boolean item = false;
        while (text.startsWith("- ", keyColumn) || text.equals("-")) {
            item = true;
            keyColumn += 2;
            while (keyColumn < text.length() && text.charAt(keyColumn) == ' ') {
                keyColumn++;
            }
        }
        var key = java.util.regex.Pattern.compile("([A-Za-z0-9_.-]+)\\s*:(\\s|$)(.*)").matcher(text.substring(
                Math.min(keyColumn, text.length())));
        if (!key.matches()) {
            return new Line(number, indent, keyColumn, null, item, false);
        }
        String value = key.group(3).strip();
        boolean scalar = !value.isEmpty() && !value.startsWith("#") && !value.startsWith("|") && !value.startsWith(">")
                && !value.startsWith("&");
        return new Line(number, indent, keyColumn, key.group(1), item, scalar);
    }
}
