package io.relata.metadata;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Iterator;
import java.util.Map;
import java.util.regex.Pattern;
import org.snakeyaml.engine.v2.nodes.Tag;
import org.snakeyaml.engine.v2.resolver.ScalarResolver;
import org.snakeyaml.engine.v2.schema.CoreSchema;

/**
 * Metadata files as trees and back: {@link #read} parses a file as the loader does (same limits, same problems),
 * {@link #write} writes a tree in the style of the hand-written files, so that a file the designer wrote reads like
 * one an admin wrote and a diff of it shows what changed. Block mappings; mappings and lists of plain values on one
 * line ({@code label: {de: Firma, en: Account}}) where they fit in {@value #WIDTH} columns; texts of several lines
 * as literal blocks ({@code |}); quotes only where YAML would read a text as something else. Reading what was
 * written gives the same tree, and writing it again the same text.
 */
public final class MetadataYaml {

    static final int WIDTH = 110;
    private static final ScalarResolver RESOLVER = new CoreSchema().getScalarResolver();
    private static final Pattern PLAIN_START = Pattern.compile("[^-?:,\\[\\]{}#&*!|>'\"%@`\\s]|-[^\\s0-9.]");

    private MetadataYaml() {
    }

    /**
     * The tree of a metadata file, read and checked against the schema of its kind (the folder it is in).
     *
     * @throws MetadataException with the problems that keep the file from being read (syntax, limits, duplicate keys)
     */
    public static ObjectNode read(MetadataFile file) throws MetadataException {
        Problems problems = new Problems();
        MetadataSchema schema = MetadataLoader.KNOWN_KINDS.contains(file.kind()) ? MetadataSchema.of(file.kind()) : null;
        var document = YamlDocument.parse(file, problems, schema);
        if (document.isEmpty() || !problems.all().isEmpty()) {
            throw new MetadataException(problems.all());
        }
        if (!(document.get().root() instanceof ObjectNode object)) {
            throw new MetadataException(java.util.List.of(new MetadataProblem(file.displayName(), 1, 1,
                    ProblemCode.INVALID_VALUE, "The file holds no mapping of keys to values.",
                    "write the definition as key: value lines.")));
        }
        return object;
    }

    /** The YAML text of a tree, after the given comment lines (each written as {@code # line}; none if null). */
    public static String write(JsonNode root, String comment) {
        StringBuilder out = new StringBuilder();
        if (comment != null && !comment.isBlank()) {
            comment.lines().forEach(line -> out.append("# ").append(line).append('\n'));
        }
        if (root.isObject()) {
            mapping(root, 0, out);
        } else if (root.isArray()) {
            list(root, 0, out);
        } else {
            out.append(scalar(root, false)).append('\n');
        }
        return out.toString();
    }

    private static void mapping(JsonNode map, int indent, StringBuilder out) {
        for (Iterator<Map.Entry<String, JsonNode>> it = map.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> entry = it.next();
            String key = text(entry.getKey(), false);
            out.append(" ".repeat(indent)).append(key).append(':');
            value(entry.getValue(), indent, indent + key.length() + 2, out);
        }
    }

    private static void list(JsonNode list, int indent, StringBuilder out) {
        for (JsonNode item : list) {
            out.append(" ".repeat(indent)).append('-');
            if (item.isObject() && item.size() > 0 && !fitsFlow(item, indent + 2)) {
                // the first entry on the dash's line, the others below it
                StringBuilder nested = new StringBuilder();
                mapping(item, indent + 2, nested);
                out.append(' ').append(nested.substring(indent + 2));
            } else {
                value(item, indent, indent + 2, out);
            }
        }
    }

    /** A value after its key or dash: on the same line if it fits, else indented below. */
    private static void value(JsonNode value, int indent, int column, StringBuilder out) {
        if (value.isTextual() && value.asText().contains("\n") && literalFits(value.asText())) {
            literal(value.asText(), indent + 2, out);
        } else if (value.isValueNode()) {
            out.append(' ').append(scalar(value, false)).append('\n');
        } else if (value.isEmpty() || fitsFlow(value, column) && !(indent == 0 && holdsMappings(value))) {
            out.append(' ').append(flow(value)).append('\n');
        } else if (value.isObject()) {
            out.append('\n');
            mapping(value, indent + 2, out);
        } else {
            out.append('\n');
            list(value, indent + 2, out);
        }
    }

    /**
     * Whether a container is written on one line: it fits, holds no text of several lines, and is shallow (a label,
     * a field of plain values and labels, a list of names), as hand-written files do.
     */
    private static boolean fitsFlow(JsonNode value, int column) {
        return shallow(value, 2) && column + 1 + flow(value).length() <= WIDTH;
    }

    private static boolean shallow(JsonNode node, int depth) {
        if (node.isValueNode()) {
            return !node.isTextual() || !node.asText().contains("\n");
        }
        if (depth == 0) {
            return false;
        }
        for (JsonNode child : node) {
            if (!shallow(child, child.isArray() ? 0 : depth - 1) && !(child.isArray() && allScalars(child))) {
                return false;
            }
        }
        return true;
    }

    /**
     * A top-level mapping of mappings (fields, grants, changes) is written one entry per line even where it would
     * fit on one: each entry is then one line of a diff.
     */
    private static boolean holdsMappings(JsonNode value) {
        if (!value.isObject()) {
            return false;
        }
        for (JsonNode child : value) {
            if (child.isObject()) {
                return true;
            }
        }
        return false;
    }

    private static boolean allScalars(JsonNode list) {
        for (JsonNode item : list) {
            if (!item.isValueNode() || item.isTextual() && item.asText().contains("\n")) {
                return false;
            }
        }
        return true;
    }

    private static String flow(JsonNode node) {
        if (node.isObject()) {
            StringBuilder out = new StringBuilder("{");
            node.fields().forEachRemaining(e -> out.append(out.length() > 1 ? ", " : "")
                    .append(text(e.getKey(), true)).append(": ").append(flow(e.getValue())));
            return out.append('}').toString();
        }
        if (node.isArray()) {
            StringBuilder out = new StringBuilder("[");
            node.forEach(item -> out.append(out.length() > 1 ? ", " : "").append(flow(item)));
            return out.append(']').toString();
        }
        return scalar(node, true);
    }

    private static String scalar(JsonNode node, boolean inFlow) {
        if (node.isNull() || node.isMissingNode()) {
            return "null";
        }
        if (node.isBoolean()) {
            return node.asBoolean() ? "true" : "false";
        }
        if (node.isBigDecimal() || node.isDouble() || node.isFloat()) {
            String plain = node.decimalValue().toString();
            // a decimal written without a point would read back as an integer
            return plain.contains(".") || plain.contains("E") ? plain : plain + ".0";
        }
        if (node.isNumber()) {
            return node.bigIntegerValue().toString();
        }
        return text(node.asText(), inFlow);
    }

    /** A text plain where YAML reads it back as the same text, else in quotes. */
    static String text(String value, boolean inFlow) {
        if (needsDoubleQuotes(value)) {
            return doubleQuoted(value);
        }
        boolean plain = !value.isEmpty()
                && PLAIN_START.matcher(value.substring(0, Math.min(2, value.length()))).lookingAt()
                && !Character.isWhitespace(value.charAt(value.length() - 1))
                && !value.contains(": ") && !value.contains(" #") && !value.endsWith(":")
                && !(inFlow && value.chars().anyMatch(c -> ",[]{}".indexOf(c) >= 0))
                && RESOLVER.resolve(value, true).equals(Tag.STR);
        return plain ? value : "'" + value.replace("'", "''") + "'";
    }

    private static boolean needsDoubleQuotes(String value) {
        return value.codePoints().anyMatch(MetadataYaml::escaped);
    }

    /**
     * Code points YAML does not allow as they are, reads as a line break, or a reader may drop: controls (C0, DEL,
     * C1), the separators U+2028/2029, the byte order mark, U+FFFE/FFFF and unpaired surrogates. They are written as
     * escapes in double quotes.
     */
    private static boolean escaped(int c) {
        return c < 0x20 || (c >= 0x7f && c <= 0x9f) || c == 0x2028 || c == 0x2029 || c == 0xfeff || c == 0xfffe
                || c == 0xffff || (c >= 0xd800 && c <= 0xdfff);
    }

    private static String doubleQuoted(String value) {
        StringBuilder out = new StringBuilder("\"");
        value.codePoints().forEach(c -> {
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\t' -> out.append("\\t");
                case '\r' -> out.append("\\r");
                default -> {
                    if (escaped(c)) {
                        out.append(String.format("\\u%04x", c));
                    } else {
                        out.appendCodePoint(c);
                    }
                }
            }
        });
        return out.append('"').toString();
    }

    /** A literal block keeps the text exactly when its lines have no leading blank first line and no control characters. */
    private static boolean literalFits(String value) {
        String withoutBreaks = value.replace("\n", "");
        return !needsDoubleQuotes(withoutBreaks) && !value.startsWith(" ") && !value.startsWith("\n")
                && value.lines().noneMatch(line -> !line.isEmpty() && line.isBlank());
    }

    private static void literal(String value, int indent, StringBuilder out) {
        int trailing = 0;
        while (trailing < value.length() && value.charAt(value.length() - 1 - trailing) == '\n') {
            trailing++;
        }
        out.append(trailing == 0 ? " |-" : trailing == 1 ? " |" : " |+").append('\n');
        String body = value.substring(0, value.length() - trailing);
        for (String line : body.split("\n", -1)) {
            out.append(line.isEmpty() ? "" : " ".repeat(indent) + line).append('\n');
        }
        for (int i = 1; i < trailing; i++) {
            out.append('\n');
        }
    }

    /** The comment lines a file starts with (such as the schema line), without their {@code #}; null if none. */
    public static String leadingComment(String text) {
        java.util.List<String> lines = new java.util.ArrayList<>();
        for (String line : text.lines().toList()) {
            if (!line.startsWith("#")) {
                break;
            }
            lines.add(line.substring(1).stripLeading());
        }
        return lines.isEmpty() ? null : String.join("\n", lines);
    }
}
