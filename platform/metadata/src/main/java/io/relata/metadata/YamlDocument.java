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

    /**
     * Parses a file; syntax errors, an empty file and duplicate keys are added to {@code problems}.
     * Returns empty only if there is nothing to check further (syntax error, empty file).
     */
    static Optional<YamlDocument> parse(MetadataFile file, Problems problems) {
        LoadSettings settings = LoadSettings.builder()
                .setLabel(file.displayName())
                .setSchema(new CoreSchema())
                .setAllowDuplicateKeys(false)
                .build();
        Optional<Node> node;
        try {
            node = new Compose(settings).composeString(file.content());
        } catch (MarkedYamlEngineException e) {
            problems.add(file.displayName(), e.getProblemMark().orElse(null), ProblemCode.YAML_SYNTAX,
                    "The file is not valid YAML: " + describe(e) + ".",
                    "correct the YAML syntax at this position: indent with spaces (not tabs), put a space after "
                            + "each ':' and quote texts that contain ': ' or ' #' or start with a special character.");
            return Optional.empty();
        } catch (YamlEngineException e) {
            problems.add(file.displayName(), (org.snakeyaml.engine.v2.exceptions.Mark) null, ProblemCode.YAML_SYNTAX,
                    "The file is not valid YAML: " + e.getMessage() + ".",
                    "correct the YAML syntax.");
            return Optional.empty();
        }
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
        Converter converter = new Converter(file.displayName(), problems);
        JsonNode root = converter.convert(node.get(), "", null);
        return Optional.of(new YamlDocument(file, root, converter.index));
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

    /** Turns YAML nodes into Jackson nodes, recording every node's position and duplicate keys. */
    private static final class Converter {

        private final String fileName;
        private final Problems problems;
        private final Map<String, Located> index = new HashMap<>();
        private final Set<Node> onPath = Collections.newSetFromMap(new IdentityHashMap<>());

        Converter(String fileName, Problems problems) {
            this.fileName = fileName;
            this.problems = problems;
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
            for (NodeTuple tuple : mapping.getValue()) {
                Node keyNode = tuple.getKeyNode();
                if (!(keyNode instanceof ScalarNode scalarKey)) {
                    problems.add(fileName, keyNode, ProblemCode.INVALID_VALUE,
                            "A key must be a plain name, not a list or mapping.",
                            "write the key as a simple word, e.g. 'label:'.");
                    continue;
                }
                String key = scalarKey.getValue();
                Node first = firstKeys.putIfAbsent(key, keyNode);
                if (first != null) {
                    problems.add(fileName, keyNode, ProblemCode.DUPLICATE_KEY,
                            "Key " + Problems.q(key) + " appears twice in the same mapping; it was first given at line "
                                    + Problems.line(first) + ".",
                            "remove or rename one of the two " + Problems.q(key) + " entries.");
                    continue;
                }
                String childPointer = pointer + "/" + key.replace("~", "~0").replace("/", "~1");
                object.set(key, convert(tuple.getValueNode(), childPointer, keyNode));
            }
            return object;
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
