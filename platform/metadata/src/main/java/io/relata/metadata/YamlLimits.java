package io.relata.metadata;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.api.lowlevel.Parse;
import org.snakeyaml.engine.v2.common.Anchor;
import org.snakeyaml.engine.v2.events.AliasEvent;
import org.snakeyaml.engine.v2.events.Event;
import org.snakeyaml.engine.v2.events.NodeEvent;
import org.snakeyaml.engine.v2.events.ScalarEvent;
import org.snakeyaml.engine.v2.exceptions.Mark;

/**
 * Checks a YAML text against {@link MetadataLimits} on the parser's events, before anything builds a tree from
 * them. SnakeYAML's parser keeps its state on a stack of its own, so ten thousand nested brackets cost it
 * nothing, while its composer recurses once per level and would overflow the thread's stack; and the composer
 * shares an alias's node, while the conversion to Jackson copies it once per use, so that 46 levels of
 * {@code b: &b [*a, *a]} would ask for 2^46 values. Here every anchored node's size and height is known when
 * its alias is used, so a file is refused at the exact alias, bracket or text where it crosses a limit, and
 * nothing that passes can grow beyond the limits afterwards.
 */
final class YamlLimits {

    /** An open list or mapping: how many values it holds so far (itself included) and how deep below it goes. */
    private static final class Open {
        final Anchor anchor;
        long size = 1;
        int height;

        Open(Anchor anchor) {
            this.anchor = anchor;
        }
    }

    /** An anchored node once closed: its values (aliases expanded) and levels of nesting (0 for a text). */
    private record Size(long size, int height) {
    }

    private final String fileName;
    private final MetadataLimits limits;
    private final Problems problems;
    private final Deque<Open> open = new ArrayDeque<>();
    private final Map<Anchor, Size> anchors = new HashMap<>();
    private long nodes;
    private int aliases;
    private boolean viaAlias;

    private YamlLimits(String fileName, MetadataLimits limits, Problems problems) {
        this.fileName = fileName;
        this.limits = limits;
        this.problems = problems;
    }

    /**
     * True if the text stays within the limits; else adds the problem, at the position where the first limit is
     * crossed, and returns false. Syntax errors are thrown as SnakeYAML's exceptions, for the caller to report.
     */
    static boolean check(String fileName, String text, LoadSettings settings, MetadataLimits limits, Problems problems) {
        YamlLimits check = new YamlLimits(fileName, limits, problems);
        for (Event event : new Parse(settings).parseString(text)) {
            if (!check.accept(event)) {
                return false;
            }
        }
        return true;
    }

    private boolean accept(Event event) {
        Mark at = event.getStartMark().orElse(null);
        switch (event.getEventId()) {
            case DocumentStart -> anchors.clear();
            case MappingStart, SequenceStart -> {
                if (!count(1, at)) {
                    return false;
                }
                open.push(new Open(((NodeEvent) event).getAnchor().orElse(null)));
                if (open.size() > limits.maxDepth()) {
                    return tooDeep(at, false);
                }
            }
            case MappingEnd, SequenceEnd -> {
                Open closed = open.pop();
                add(closed.size, closed.height + 1);
                if (closed.anchor != null) {
                    anchors.put(closed.anchor, new Size(closed.size, closed.height + 1));
                }
            }
            case Scalar -> {
                ScalarEvent scalar = (ScalarEvent) event;
                if (scalar.getValue().length() > limits.maxScalarChars()) {
                    problems.add(fileName, at, ProblemCode.SCALAR_TOO_LONG,
                            "This value has " + scalar.getValue().length() + " characters, more than the "
                                    + limits.maxScalarChars() + " one value of a metadata file may have.",
                            "shorten it (a long script belongs in a .js file next to this one, named with "
                                    + "{file: name.js}); if it must be this long, raise "
                                    + MetadataLimits.setting(MetadataLimits.SCALAR_SETTING) + ".");
                    return false;
                }
                if (!count(1, at)) {
                    return false;
                }
                add(1, 0);
                scalar.getAnchor().ifPresent(anchor -> anchors.put(anchor, new Size(1, 0)));
            }
            case Alias -> {
                aliases++;
                if (aliases > limits.maxAliases()) {
                    problems.add(fileName, at, ProblemCode.YAML_TOO_MANY_ALIASES,
                            "This is alias use number " + aliases + " (*name) in the file, more than the "
                                    + limits.maxAliases() + " a metadata file may have: aliases can make a short file "
                                    + "expand to more than any server can hold.",
                            "write the values out instead of referring to them with *name; if the file needs more "
                                    + "aliases, raise " + MetadataLimits.setting(MetadataLimits.ALIASES_SETTING) + ".");
                    return false;
                }
                // an undefined alias is the composer's to report; one still being defined is reported as
                // recursive by the conversion
                Size size = anchors.getOrDefault(((AliasEvent) event).getAlias(), new Size(1, 0));
                viaAlias = true;
                if (!count(size.size(), at)) {
                    return false;
                }
                if (open.size() + size.height() > limits.maxDepth()) {
                    return tooDeep(at, true);
                }
                add(size.size(), size.height());
                viaAlias = false;
            }
            default -> {
            }
        }
        return true;
    }

    /** Adds a complete value (its values, its levels of nesting) to the list or mapping it is in. */
    private void add(long size, int height) {
        Open parent = open.peek();
        if (parent != null) {
            parent.size = Math.min(Long.MAX_VALUE / 2, parent.size + size);
            parent.height = Math.max(parent.height, height);
        }
    }

    private boolean count(long more, Mark at) {
        nodes = Math.min(Long.MAX_VALUE / 2, nodes + more);
        if (nodes <= limits.maxNodes()) {
            return true;
        }
        problems.add(fileName, at, ProblemCode.YAML_TOO_LARGE, (viaAlias
                        ? "With this alias, the file's aliases expand to more than " + limits.maxNodes()
                        + " values (keys, texts, lists and mappings), more than a metadata file may have."
                        : "The file has more than " + limits.maxNodes() + " values (keys, texts, lists and mappings) "
                        + "from here on, more than a metadata file may have."),
                (viaAlias ? "write the values out, or refer to smaller parts with *name" : "split the file")
                        + "; if it must be this large, raise " + MetadataLimits.setting(MetadataLimits.NODES_SETTING)
                        + ".");
        return false;
    }

    private boolean tooDeep(Mark at, boolean alias) {
        problems.add(fileName, at, ProblemCode.YAML_TOO_DEEP,
                (alias ? "With what this alias brings in, lists and mappings here are nested more than "
                        : "Lists and mappings are nested more than ") + limits.maxDepth()
                        + " levels deep from here on; no metadata needs that many.",
                "remove the extra levels of '[', '{' or indentation (an unclosed bracket nests everything after it); "
                        + "if the file needs this depth, raise " + MetadataLimits.setting(MetadataLimits.DEPTH_SETTING)
                        + ".");
        return false;
    }
}
