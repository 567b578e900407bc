package io.relata.metadata;

import java.util.ArrayList;
import java.util.List;
import org.snakeyaml.engine.v2.exceptions.Mark;
import org.snakeyaml.engine.v2.nodes.Node;

/**
 * Collects the problems of one load, and its warnings apart; reports whether a given file has problems. The same problem (file, position,
 * code and message) is kept once, so checks that look at one text several times (a template used by several
 * entities) do not repeat themselves.
 */
final class Problems {

    private final List<MetadataProblem> all = new ArrayList<>();
    private final List<MetadataProblem> warnings = new ArrayList<>();

    void add(MetadataProblem problem) {
        if (!all.contains(problem)) {
            all.add(problem);
        }
    }

    void add(String file, Node at, ProblemCode code, String message, String fix) {
        Mark mark = at == null ? null : at.getStartMark().orElse(null);
        add(file, mark, code, message, fix);
    }

    void add(String file, Mark mark, ProblemCode code, String message, String fix) {
        int line = mark == null ? 1 : mark.getLine() + 1;
        int column = mark == null ? 1 : mark.getColumn() + 1;
        add(new MetadataProblem(file, line, column, code, message, fix));
    }

    /**
     * Something the admin should know that does not stop the load (a field hidden because it is derived from a
     * hidden one). Kept once, like problems.
     */
    void warn(String file, Node at, ProblemCode code, String message, String fix) {
        Mark mark = at == null ? null : at.getStartMark().orElse(null);
        MetadataProblem warning = new MetadataProblem(file, mark == null ? 1 : mark.getLine() + 1,
                mark == null ? 1 : mark.getColumn() + 1, code, message, fix);
        if (!warnings.contains(warning)) {
            warnings.add(warning);
        }
    }

    /** A warning whose position is computed already (within a text, a folder). Kept once, like problems. */
    void warn(MetadataProblem warning) {
        if (!warnings.contains(warning)) {
            warnings.add(warning);
        }
    }

    List<MetadataProblem> warnings() {
        return warnings;
    }

    /**
     * Every kind of metadata is named after its file, so that a name is unique and easy to find: reports
     * {@code code} if the document's {@code name} differs from its file's base name.
     *
     * @param kind   "entity", "role", … as the message calls it
     * @param reason why the name matters, completing the fix ("users are given roles by this name")
     */
    void nameMatchesFile(YamlDocument document, String kind, ProblemCode code, String reason) {
        com.fasterxml.jackson.databind.JsonNode name = document.root().path("name");
        String expected = document.file().baseName();
        if (name.isTextual() && !name.asText().equals(expected)) {
            add(document.fileName(), document.at(YamlDocument.pointer("name")).value(), code,
                    "The " + kind + " is named " + q(name.asText()) + " but its file is named " + q(expected) + ".",
                    "set 'name: " + expected + "' or rename the file to " + q(name.asText() + ".yaml")
                            + (reason == null ? "." : "; " + reason + "."));
        }
    }

    boolean hasProblemsIn(String file) {
        return all.stream().anyMatch(p -> p.file().equals(file));
    }

    boolean isEmpty() {
        return all.isEmpty();
    }

    List<MetadataProblem> all() {
        return all;
    }

    /** Quotes a name or value for a message: {@code 'value'}. */
    static String q(Object value) {
        return "'" + value + "'";
    }

    /** 1-based line of a node, for "first defined at line N" hints. */
    static int line(Node node) {
        return node.getStartMark().map(m -> m.getLine() + 1).orElse(0);
    }
}
