package io.relata.metadata;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Collections;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.api.lowlevel.Compose;
import org.snakeyaml.engine.v2.exceptions.MarkedYamlEngineException;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.SequenceNode;
import org.snakeyaml.engine.v2.nodes.Tag;
import org.snakeyaml.engine.v2.schema.CoreSchema;

/**
 * A parsed YAML file as a Jackson tree (for schema validation and building) plus, for every JSON pointer
 * into that tree, the YAML node it came from, so that every problem can name a line and column.
 * <p>
 * A key written one or more levels too far left lands in an outer mapping, where it does not fit, and each
 * such key used to cause its own misleading problem ("unknown key", a duplicate, a field without type). When
 * the schema says a key does not fit where it stands but does fit the mapping that ends just above it, the
 * parser reports one {@link ProblemCode#KEY_INDENTATION} problem for the run of such keys and reads them as
 * if indented correctly, so the checks after it see what the admin meant and report nothing twice.
 */
final class YamlDocument {

    /** The YAML key node (null for list items and the root) and value node at one JSON pointer. */
    record Located(Node key, Node value) {

        /** The key if there is one, else the value: where an admin looks for "this entry". */
        Node entry() {
            return key != null ? key : value;
        }
    }

    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    private final MetadataFile file;
    private final JsonNode root;
    private final Map<String, Located> index;

    private YamlDocument(MetadataFile file, JsonNode root, Map<String, Located> index) {
        this.file = file;
        this.root = root;
        this.index = index;
    }

    /** Parses a file within the default {@link MetadataLimits}; see {@link #parse(MetadataFile, Problems, MetadataSchema, MetadataLimits)}. */
    static Optional<YamlDocument> parse(MetadataFile file, Problems problems, MetadataSchema schema) {
        return parse(file, problems, schema, MetadataLimits.DEFAULT);
    }

    /**
     * Parses a file; syntax errors, an empty file, duplicate keys and a file beyond {@code limits} are added to
     * {@code problems}. Returns empty only if there is nothing to check further (syntax error, empty file, a
     * limit). The limits are checked on the parser's events before the composer builds the tree ({@link YamlLimits}),
     * because the composer recurses once per level of nesting and expands every alias: what it could not
     * build never reaches it. No input makes this method throw an {@link Error}.
     */
    static Optional<YamlDocument> parse(MetadataFile file, Problems problems, MetadataSchema schema,
                                        MetadataLimits limits) {
        if (file.content().length() > limits.maxFileBytes()) {
            int[] at = lineAndColumn(file.content(), (int) limits.maxFileBytes());
            problems.add(new MetadataProblem(file.displayName(), at[0], at[1], ProblemCode.FILE_TOO_LARGE,
                    "The file has " + file.content().length() + " characters, more than the " + limits.maxFileBytes()
                            + " a metadata file may have; the limit is crossed here.",
                    "split the file or shorten it (move long scripts into .js files next to it); if it must be this "
                            + "large, raise " + MetadataLimits.setting(MetadataLimits.FILE_SETTING) + "."));
            return Optional.empty();
        }
        if (!printable(file, problems)) {
            return Optional.empty();
        }
        LoadSettings settings = LoadSettings.builder()
                .setLabel(file.displayName())
                .setSchema(new CoreSchema())
                .setAllowDuplicateKeys(false)
                .setMaxAliasesForCollections(Math.max(1, limits.maxAliases()))
                .setCodePointLimit((int) Math.min(Integer.MAX_VALUE - 1, limits.maxFileBytes() + 1))
                .build();
        Optional<Node> node;
        try {
            if (!YamlLimits.check(file.displayName(), file.content(), settings, limits, problems)) {
                return Optional.empty();
            }
            node = new Compose(settings).composeString(file.content());
            if (node.isEmpty()) {
                problems.add(new MetadataProblem(file.displayName(), 1, 1, ProblemCode.EMPTY_FILE,
                        "The file is empty or contains only comments.",
                        "write the " + switch (file.kind()) {
                            case "roles" -> "role definition (name, label, entities or administrator: true)";
                            case "processes" -> "process definition (name, entity, label, phaseField, phases, transitions)";
                            case "dialogs" -> "dialog definition (name, entity, label, steps, finish)";
                            case "templates" -> "mail template (name, subject, body)";
                            default -> "entity definition (name, label, pluralLabel, fields)";
                        } + " or delete the file."));
                return Optional.empty();
            }
            Converter converter = new Converter(file.displayName(), problems, schema);
            JsonNode root = converter.convert(node.get(), "", null);
            return Optional.of(new YamlDocument(file, root, converter.index));
        } catch (MarkedYamlEngineException e) {
            syntaxError(file, e, problems);
            return Optional.empty();
        } catch (YamlEngineException e) {
            problems.add(file.displayName(), (org.snakeyaml.engine.v2.exceptions.Mark) null, ProblemCode.YAML_SYNTAX,
                    "The file is not valid YAML: " + e.getMessage() + ".",
                    "correct the YAML syntax.");
            return Optional.empty();
        } catch (StackOverflowError e) {
            // the limits above keep the parser far from this; if a library still recurses too deep, the
            // file is refused like any other, and the server keeps running
            problems.add(new MetadataProblem(file.displayName(), 1, 1, ProblemCode.YAML_TOO_DEEP,
                    "The file is nested too deeply to be read.",
                    "write it with fewer levels of nested lists and mappings; the limit is "
                            + MetadataLimits.setting(MetadataLimits.DEPTH_SETTING) + "."));
            return Optional.empty();
        }
    }

    /**
     * A syntax error at the position an admin must look at: where SnakeYAML noticed it, except for a quoted
     * text that is never closed, which it notices only at the end of the file: that one at its opening quote; and a
     * key indented wrongly, which is explained as such ({@link YamlIndentation}).
     */
    private static void syntaxError(MetadataFile file, MarkedYamlEngineException e, Problems problems) {
        String context = e.getContext() == null ? "" : e.getContext();
        if (context.contains("quoted scalar") && e.getContextMark().isPresent()) {
            org.snakeyaml.engine.v2.exceptions.Mark quote = e.getContextMark().get();
            String text = file.content();
            char mark = quote.getIndex() < text.length() ? text.charAt(quote.getIndex()) : '"';
            problems.add(file.displayName(), quote, ProblemCode.YAML_SYNTAX,
                    "The file is not valid YAML: the text quoted with " + mark + " here is never closed (the "
                            + "parser reached " + (e.getProblem() != null && e.getProblem().contains("end of stream")
                            ? "the end of the file" : "line " + e.getProblemMark().map(m -> m.getLine() + 1).orElse(0))
                            + " looking for the closing " + mark + ").",
                    "close the text with a " + mark + " where it ends" + (mark == '\'' ? " (write '' for an "
                            + "apostrophe inside it)" : " (write \\\" for a quote inside it)") + ", or remove the opening "
                            + mark + ".");
            return;
        }
        Optional<MetadataProblem> indentation = YamlIndentation.explain(file, e);
        if (indentation.isPresent()) {
            problems.add(indentation.get());
            return;
        }
        problems.add(file.displayName(), e.getProblemMark().orElse(null), ProblemCode.YAML_SYNTAX,
                "The file is not valid YAML: " + describe(e) + ".",
                "correct the YAML syntax at this position: indent with spaces (not tabs), put a space after "
                        + "each ':' and quote texts that contain ': ' or ' #' or start with a special character.");
    }

    /**
     * False, with a {@link ProblemCode#CONTROL_CHARACTER} problem at the first, if the text holds a character YAML
     * does not allow (a NUL, another control character than tab, line feed and carriage return): SnakeYAML's
     * message for it is hard to read, and an editor often does not show the character at all.
     */
    private static boolean printable(MetadataFile file, Problems problems) {
        String text = file.content();
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            boolean control = c < 0x20 && c != '\t' && c != '\n' && c != '\r' || c == 0x7F
                    || c >= 0x80 && c <= 0x9F && c != 0x85 || c == 0xFFFE || c == 0xFFFF
                    || Character.isSurrogate(c) && !(Character.isHighSurrogate(c) && i + 1 < text.length()
                    && Character.isLowSurrogate(text.charAt(i + 1)));
            if (Character.isHighSurrogate(c) && !control) {
                i++;
                continue;
            }
            if (control) {
                int[] at = lineAndColumn(text, i);
                problems.add(new MetadataProblem(file.displayName(), at[0], at[1], ProblemCode.CONTROL_CHARACTER,
                        "The file contains the control character U+" + String.format("%04X", (int) c)
                                + (c == 0 ? " (NUL)" : "") + " here, which YAML does not allow; most editors do not "
                                + "show it.",
                        "delete the character (it often comes from text copied out of another program, or from a "
                                + "file saved in another encoding than UTF-8)."));
                return false;
            }
        }
        return true;
    }

    /** The 1-based line and column of a character index of a text. */
    static int[] lineAndColumn(String text, int index) {
        int line = 1;
        int lineStart = 0;
        for (int i = 0; i < index && i < text.length(); i++) {
            if (text.charAt(i) == '\n') {
                line++;
                lineStart = i + 1;
            }
        }
        return new int[] {line, text.codePointCount(lineStart, Math.min(index, text.length())) + 1};
    }

    private static String describe(MarkedYamlEngineException e) {
        String problem = e.getProblem();
        String context = e.getContext();
        if (context != null && !context.isBlank()) {
            return problem + " (" + context.trim() + ")";
        }
        return problem;
    }

    MetadataFile file() {
        return file;
    }

    String fileName() {
        return file.displayName();
    }

    JsonNode root() {
        return root;
    }

    /** The YAML nodes at a JSON pointer; for an unknown pointer the nearest existing parent. */
    Located at(String pointer) {
        String current = pointer;
        while (true) {
            Located found = index.get(current);
            if (found != null) {
                return found;
            }
            if (current.isEmpty()) {
                return new Located(null, null);
            }
            current = current.substring(0, current.lastIndexOf('/'));
        }
    }

    boolean has(String pointer) {
        return index.containsKey(pointer);
    }

    private static String escape(String key) {
        return key.replace("~", "~0").replace("/", "~1");
    }

    private static String unescape(String segment) {
        return segment.replace("~1", "/").replace("~0", "~");
    }

    /** The segments of a JSON pointer, unescaped: {@code /phases/2/name} → phases, 2, name. */
    static List<String> segments(String pointer) {
        List<String> segments = new java.util.ArrayList<>();
        if (!pointer.isEmpty()) {
            for (String segment : pointer.substring(1).split("/", -1)) {
                segments.add(unescape(segment));
            }
        }
        return segments;
    }

    /** A JSON pointer as a path for messages ({@link SchemaMessage#where}): list indices as numbers. */
    static List<Object> path(String pointer) {
        List<Object> path = new java.util.ArrayList<>();
        for (String segment : segments(pointer)) {
            path.add(!segment.isEmpty() && segment.chars().allMatch(Character::isDigit) ? (Object) Integer.valueOf(segment)
                    : segment);
        }
        return path;
    }

    /** The JSON pointer of the given path segments, e.g. {@code /fields/email/label}. */
    static String pointer(List<?> segments) {
        StringBuilder pointer = new StringBuilder();
        for (Object segment : segments) {
            pointer.append('/').append(segment.toString().replace("~", "~0").replace("/", "~1"));
        }
        return pointer.toString();
    }

    static String pointer(Object... segments) {
        return pointer(List.of(segments));
    }

    /**
     * Turns YAML nodes into Jackson nodes, recording every node's position, duplicate keys and keys that are
     * likely indented too little.
     */
    private static final class Converter {

        private final String fileName;
        private final Problems problems;
        private final MetadataSchema schema;
        private final Map<String, Located> index = new HashMap<>();
        private final Set<Node> onPath = Collections.newSetFromMap(new IdentityHashMap<>());

        Converter(String fileName, Problems problems, MetadataSchema schema) {
            this.fileName = fileName;
            this.problems = problems;
            this.schema = schema;
        }

        JsonNode convert(Node node, String pointer, Node key) {
            index.put(pointer, new Located(key, node));
            if (!onPath.add(node)) {
                problems.add(fileName, node, ProblemCode.INVALID_VALUE,
                        "An alias refers to a node that contains it, which makes an endless structure.",
                        "remove the recursive alias (*name) and write the value out.");
                return JSON.nullNode();
            }
            try {
                if (node instanceof MappingNode mapping) {
                    return mapping(mapping, pointer);
                }
                if (node instanceof SequenceNode sequence) {
                    ArrayNode array = JSON.arrayNode();
                    List<Node> items = sequence.getValue();
                    for (int i = 0; i < items.size(); i++) {
                        array.add(convert(items.get(i), pointer + "/" + i, null));
                    }
                    return array;
                }
                return scalar((ScalarNode) node);
            } finally {
                onPath.remove(node);
            }
        }

        private JsonNode mapping(MappingNode mapping, String pointer) {
            ObjectNode object = JSON.objectNode();
            Map<String, Node> firstKeys = new HashMap<>();
            JsonNode here = schema == null ? null : schema.schemaAt(segments(pointer));
            String previous = null;
            Misindented run = null;
            for (NodeTuple tuple : mapping.getValue()) {
                Node keyNode = tuple.getKeyNode();
                if (!(keyNode instanceof ScalarNode scalarKey)) {
                    problems.add(fileName, keyNode, ProblemCode.INVALID_VALUE,
                            "A key must be a plain name, not a list or mapping.",
                            "write the key as a simple word, e.g. 'label:'.");
                    continue;
                }
                String key = scalarKey.getValue();
                Node valueNode = tuple.getValueNode();
                if (previous != null && (firstKeys.containsKey(key) || !fitsAsKey(here, key, valueNode))) {
                    Home home = home(object, pointer + "/" + escape(previous), key, valueNode);
                    if (home != null && !firstKeys.containsKey(key) && typoOfKeyHere(here, key) && !namedBy(home, key)) {
                        home = null;
                    }
                    // a key written twice on its own line was not pushed out of a {…} written on one line
                    boolean duplicate = firstKeys.containsKey(key) && home != null
                            && home.node().getFlowStyle() == org.snakeyaml.engine.v2.common.FlowStyle.FLOW;
                    if (home != null && !duplicate) {
                        if (run == null || run.home.object != home.object) {
                            report(run);
                            run = new Misindented(pointer, home);
                        }
                        run.keys.add(keyNode);
                        home.object.set(key, convert(valueNode, home.pointer + "/" + escape(key), keyNode));
                        continue;
                    }
                }
                report(run);
                run = null;
                Node first = firstKeys.putIfAbsent(key, keyNode);
                if (first != null) {
                    problems.add(fileName, keyNode, ProblemCode.DUPLICATE_KEY,
                            "Key " + Problems.q(key) + " appears twice in the same mapping; it was first given at line "
                                    + Problems.line(first) + ".",
                            "remove or rename one of the two " + Problems.q(key) + " entries.");
                    continue;
                }
                object.set(key, convert(valueNode, pointer + "/" + escape(key), keyNode));
                previous = key;
            }
            report(run);
            return object;
        }

        /**
         * Whether a key that does not fit here is a misspelling of one that does ('timerss' for 'timers'): then it was
         * mistyped, not misplaced, and the unknown key is reported with the suggestion, not moved into an open
         * mapping above it (whose keys, such as the fields of a set action, may be anything).
         */
        private static boolean typoOfKeyHere(JsonNode here, String key) {
            if (here == null || !here.path("properties").isObject()) {
                return false;
            }
            List<String> names = new java.util.ArrayList<>();
            here.path("properties").fieldNames().forEachRemaining(names::add);
            return Suggestions.closest(key, names).isPresent();
        }

        /**
         * Whether the mapping above names the key itself, or requires it and lacks it ('en' after a 'help' with only
         * 'de'): then it was misplaced even if it looks like a misspelling of a key here ('min').
         */
        private boolean namedBy(Home home, String key) {
            JsonNode homeSchema = schema.schemaAt(segments(home.pointer()));
            if (homeSchema.path("properties").has(key)) {
                return true;
            }
            for (JsonNode required : homeSchema.path("required")) {
                if (required.asText().equals(key)) {
                    return true;
                }
            }
            return false;
        }

        /** Keys written too far left, one after the other, and the mapping they fit. */
        private record Misindented(String pointer, Home home, List<Node> keys) {
            Misindented(String pointer, Home home) {
                this(pointer, home, new java.util.ArrayList<>());
            }
        }

        /** A mapping a misplaced key fits: its tree, pointer and YAML node. */
        private record Home(ObjectNode object, String pointer, MappingNode node) {
        }

        /**
         * The mapping that ends just above a key and that the key fits: the value of the previous entry, or
         * the last mapping nested at its end (a list's last item, that mapping's last value, …), the nearest
         * first. Null if none does.
         */
        private Home home(ObjectNode object, String previousPointer, String key, Node value) {
            String pointer = previousPointer;
            JsonNode node = object.get(unescape(previousPointer.substring(previousPointer.lastIndexOf('/') + 1)));
            while (node != null && node.isContainerNode()) {
                if (node.isArray()) {
                    if (node.isEmpty()) {
                        return null;
                    }
                    pointer = pointer + "/" + (node.size() - 1);
                    node = node.get(node.size() - 1);
                    continue;
                }
                Located located = index.get(pointer);
                if (!node.has(key) && located != null && located.value() instanceof MappingNode yaml
                        && fitsAsKey(schema.schemaAt(segments(pointer)), key, value)) {
                    return new Home((ObjectNode) node, pointer, yaml);
                }
                if (node.isEmpty()) {
                    return null;
                }
                String last = null;
                for (var names = node.fieldNames(); names.hasNext(); ) {
                    last = names.next();
                }
                pointer = pointer + "/" + escape(last);
                node = node.get(last);
            }
            return null;
        }

        /**
         * Whether the schema of a mapping lets it hold {@code key} with this value: a key it names (closed
         * mappings), or a name its pattern allows whose value looks like one of its entries (open mappings
         * such as {@code fields}). True where the schema does not say, so nothing is moved on a guess.
         */
        private boolean fitsAsKey(JsonNode mappingSchema, String key, Node value) {
            if (mappingSchema == null || mappingSchema.isMissingNode()) {
                return true;
            }
            JsonNode properties = mappingSchema.path("properties");
            JsonNode additional = mappingSchema.path("additionalProperties");
            if (properties.has(key)) {
                return looksLike(schema.resolve(properties.get(key)), value);
            }
            if (additional.isObject()) {
                String pattern = mappingSchema.path("propertyNames").path("pattern").asText(null);
                return (pattern == null || key.matches(pattern)) && looksLike(schema.resolve(additional), value);
            }
            return !additional.isBoolean() || additional.asBoolean();
        }

        /** Whether a YAML value has the shape a schema asks for (kind of node; for mappings, their keys). */
        private boolean looksLike(JsonNode valueSchema, Node value) {
            Set<String> types = new java.util.HashSet<>();
            JsonNode type = valueSchema.path("type");
            if (type.isArray()) {
                type.forEach(t -> types.add(t.asText()));
            } else if (type.isTextual()) {
                types.add(type.asText());
            } else if (valueSchema.has("properties") || valueSchema.has("additionalProperties")) {
                types.add("object");
            } else if (valueSchema.has("items")) {
                types.add("array");
            } else if (valueSchema.has("enum") || valueSchema.has("const") || valueSchema.has("pattern")) {
                types.add("scalar");
            } else {
                return true;
            }
            if (value instanceof MappingNode mapping) {
                if (!types.contains("object")) {
                    return false;
                }
                JsonNode properties = valueSchema.path("properties");
                boolean closed = valueSchema.path("additionalProperties").isBoolean()
                        && !valueSchema.path("additionalProperties").asBoolean();
                String pattern = valueSchema.path("propertyNames").path("pattern").asText(null);
                for (NodeTuple entry : mapping.getValue()) {
                    String name = entry.getKeyNode() instanceof ScalarNode k ? k.getValue() : "";
                    if (closed ? !properties.has(name) : pattern != null && !name.matches(pattern)) {
                        return false;
                    }
                }
                return true;
            }
            if (value instanceof SequenceNode) {
                return types.contains("array");
            }
            return types.stream().anyMatch(t -> !t.equals("object") && !t.equals("array"));
        }

        /** One problem for a run of keys written too far left, at the first of them. */
        private void report(Misindented run) {
            if (run == null) {
                return;
            }
            List<String> names = new java.util.ArrayList<>();
            for (Node key : run.keys) {
                names.add(Problems.q(((ScalarNode) key).getValue()) + " (line " + Problems.line(key) + ")");
            }
            boolean one = names.size() == 1;
            String keys = one ? names.get(0)
                    : String.join(", ", names.subList(0, names.size() - 1)) + " and " + names.get(names.size() - 1);
            String here = SchemaMessage.where(schema.noun(), path(run.pointer));
            String home = SchemaMessage.where(schema.noun(), path(run.home.pointer));
            String message = one
                    ? "Is this key indented correctly? " + keys + " is read as part of " + here + ", where it does not "
                            + "fit, but would fit in " + home + " above it."
                    : "Are these keys indented correctly? " + keys + " are read as part of " + here + ", where they do "
                            + "not fit, but would fit in " + home + " above them.";
            problems.add(fileName, run.keys.get(0), ProblemCode.KEY_INDENTATION, message,
                    indentFix(run, run.keys.get(0), one ? "it" : "them"));
        }

        private static String indentFix(Misindented run, Node first, String them) {
            MappingNode home = run.home.node;
            Node homeKey = home.getValue().isEmpty() ? null : home.getValue().get(0).getKeyNode();
            if (home.getFlowStyle() == org.snakeyaml.engine.v2.common.FlowStyle.FLOW || homeKey == null) {
                return "move " + them + " into the braces {…} of line " + Problems.line(home) + ".";
            }
            int column = homeKey.getStartMark().map(m -> m.getColumn()).orElse(0);
            int current = first.getStartMark().map(m -> m.getColumn()).orElse(0);
            return "indent " + them + " by " + (column - current) + " more space" + (column - current == 1 ? "" : "s")
                    + ", to line up with " + Problems.q(((ScalarNode) homeKey).getValue()) + " (line "
                    + Problems.line(homeKey) + ").";
        }


        private static JsonNode scalar(ScalarNode scalar) {
            String value = scalar.getValue();
            Tag tag = scalar.getTag();
            try {
                if (Tag.NULL.equals(tag)) {
                    return JSON.nullNode();
                }
                if (Tag.BOOL.equals(tag)) {
                    return JSON.booleanNode(value.equalsIgnoreCase("true"));
                }
                if (Tag.INT.equals(tag)) {
                    return integer(value);
                }
                if (Tag.FLOAT.equals(tag)) {
                    return JSON.numberNode(new BigDecimal(value));
                }
            } catch (NumberFormatException e) {
                // .inf, .nan, 0x1F and the like: kept as text; the schema then says a number is expected
            }
            return JSON.textNode(value);
        }

        private static JsonNode integer(String value) {
            String digits = value.startsWith("+") ? value.substring(1) : value;
            BigInteger number;
            if (digits.startsWith("0x")) {
                number = new BigInteger(digits.substring(2), 16);
            } else if (digits.startsWith("0o")) {
                number = new BigInteger(digits.substring(2), 8);
            } else {
                number = new BigInteger(digits);
            }
            return number.bitLength() < 63 ? JSON.numberNode(number.longValue()) : JSON.numberNode(number);
        }
    }
}
