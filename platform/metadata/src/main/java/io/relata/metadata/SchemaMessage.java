package io.relata.metadata;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.JsonNodePath;
import com.networknt.schema.ValidationMessage;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.snakeyaml.engine.v2.nodes.Node;

/** Turns one networknt validation message into a {@link MetadataProblem} an admin can act on. */
final class SchemaMessage {

    private static final Set<String> YAML11_BOOLEANS = Set.of("yes", "no", "on", "off", "y", "n");

    /** What one item of a list is called in messages: item 3 of {@code phases} is "phase 3". */
    private static final java.util.Map<Object, String> LIST_ITEMS = java.util.Map.ofEntries(
            java.util.Map.entry("options", "option"), java.util.Map.entry("phases", "phase"),
            java.util.Map.entry("transitions", "transition"), java.util.Map.entry("timers", "timer"),
            java.util.Map.entry("steps", "step"), java.util.Map.entry("fields", "field"),
            java.util.Map.entry("next", "branch"), java.util.Map.entry("create", "record to create"),
            java.util.Map.entry("onEnter", "onEnter action"), java.util.Map.entry("onLeave", "onLeave action"),
            java.util.Map.entry("do", "action"));

    private final MetadataSchema schema;
    private final YamlDocument document;
    private final ValidationMessage message;
    private final List<Object> path;

    SchemaMessage(MetadataSchema schema, YamlDocument document, ValidationMessage message) {
        this.schema = schema;
        this.document = document;
        this.message = message;
        this.path = segments(message.getInstanceLocation());
    }

    void report(Problems problems) {
        String file = document.fileName();
        String property = message.getProperty();
        JsonNode schemaObject = schema.at(message.getSchemaLocation().getFragment().getParent());
        YamlDocument.Located here = document.at(YamlDocument.pointer(path));
        switch (message.getType()) {
            case "required" -> {
                String description = schemaObject.path("properties").path(property).path("description").asText("");
                problems.add(file, here.value(), ProblemCode.MISSING_KEY,
                        cap(where(path)) + " is missing the required key " + Problems.q(property) + ".",
                        "add " + Problems.q(property + ":") + (description.isEmpty() ? "." : " — " + description));
            }
            case "additionalProperties" -> {
                Set<String> allowed = MetadataSchema.keys(schemaObject.path("properties"));
                Node key = document.at(YamlDocument.pointer(with(path, property))).key();
                problems.add(file, key, ProblemCode.UNKNOWN_KEY,
                        "Unknown key " + Problems.q(property) + " in " + where(path) + ".",
                        Suggestions.closest(property, allowed)
                                .map(c -> "did you mean " + Problems.q(c) + "? Allowed keys: ")
                                .orElse("remove it; allowed keys: ")
                                + String.join(", ", allowed) + ".");
            }
            case "propertyNames" -> {
                Node key = document.at(YamlDocument.pointer(with(path, property))).key();
                boolean fieldName = !path.isEmpty() && "fields".equals(path.get(path.size() - 1));
                boolean entityName = path.equals(List.of("entities"));
                if (fieldName || entityName) {
                    problems.add(file, key, ProblemCode.INVALID_VALUE,
                            (fieldName ? "Field" : "Entity") + " name " + Problems.q(property) + " is not valid"
                                    + (path.size() > 1 ? " in " + where(path.subList(0, path.size() - 1)) : "") + ".",
                            "use lower-case letters, digits and underscores, starting with a letter, at most 40 "
                                    + "characters, e.g. " + Problems.q(toName(property)) + ".");
                } else {
                    problems.add(file, key, ProblemCode.INVALID_VALUE,
                            "Key " + Problems.q(property) + " in " + where(path) + " is not valid.",
                            "use " + lowerFirst(message.getSchemaNode().path("description").asText("a valid key.")));
                }
            }
            case "enum" -> reportEnum(problems, here.value(), schemaObject);
            case "type" -> reportType(problems, here.value(), schemaObject);
            case "pattern" -> {
                String value = message.getInstanceNode().asText();
                boolean name = MetadataSchema.NAME_PATTERN.equals(message.getSchemaNode().asText());
                problems.add(file, here.value(), ProblemCode.INVALID_VALUE,
                        cap(where(path)) + " has the invalid value " + Problems.q(value) + ".",
                        name ? "use lower-case letters, digits and underscores, starting with a letter, at most 40 "
                                + "characters, e.g. " + Problems.q(toName(value)) + "."
                                : path.equals(List.of("icon"))
                                ? "use a PrimeIcons class such as 'pi pi-user' or 'pi pi-building'."
                                : description(schemaObject));
            }
            case "minimum", "maximum", "minItems", "minProperties", "minLength" ->
                    problems.add(file, here.value(), ProblemCode.INVALID_VALUE,
                            cap(where(path)) + " " + limit(message.getType(), message.getArguments()) + ".",
                            description(schemaObject));
            default -> problems.add(file, here.entry(), ProblemCode.SCHEMA_VIOLATION,
                    cap(where(path)) + ": " + message.getError() + ".", description(schemaObject));
        }
    }

    private void reportEnum(Problems problems, Node at, JsonNode schemaObject) {
        List<String> allowed = new ArrayList<>();
        message.getSchemaNode().forEach(v -> allowed.add(v.asText()));
        String value = message.getInstanceNode().asText();
        int size = path.size();
        boolean fieldType = size >= 3 && "fields".equals(path.get(size - 3)) && "type".equals(path.get(size - 1));
        String fix = Suggestions.closest(value, allowed).map(c -> "did you mean " + Problems.q(c) + "? ").orElse("")
                + "use one of: " + String.join(", ", allowed) + ".";
        if (fieldType) {
            Object field = path.get(size - 2);
            problems.add(document.fileName(), at, ProblemCode.UNKNOWN_FIELD_TYPE,
                    (field instanceof String name ? "Field " + Problems.q(name) : cap(where(path.subList(0, size - 1))))
                            + " has the unknown type " + Problems.q(value) + ".", fix);
        } else {
            problems.add(document.fileName(), at, ProblemCode.INVALID_VALUE,
                    cap(where(path)) + " has the value " + Problems.q(value) + ", which is not allowed.", fix);
        }
    }

    private void reportType(Problems problems, Node at, JsonNode schemaObject) {
        JsonNode instance = message.getInstanceNode();
        JsonNode types = message.getSchemaNode();
        String expected = types.asText();
        String fix;
        if (types.isArray()) {
            List<String> texts = new ArrayList<>();
            types.forEach(t -> {
                if (!"null".equals(t.asText())) {
                    texts.add("boolean".equals(t.asText()) ? "true/false" : expectedText(t.asText()));
                }
            });
            expected = or(texts);
            fix = description(schemaObject);
        } else if ("boolean".equals(expected) && instance.isTextual()
                && YAML11_BOOLEANS.contains(instance.asText().toLowerCase(Locale.ROOT))) {
            fix = "write true or false; YAML 1.2 reads " + Problems.q(instance.asText()) + " as text.";
        } else {
            fix = "write " + expectedText(expected) + ("object".equals(expected)
                    ? ": " + description(schemaObject) : ".");
        }
        List<String> required = schema.requiredKeys();
        if (path.isEmpty()) {
            fix = "start the file with 'name: " + document.file().baseName()
                    + "' followed by " + and(required.subList(1, required.size())) + "; see docs/metadata.md.";
        }
        String message = path.isEmpty()
                ? "The file must contain a mapping with the keys " + and(required) + ", but contains "
                        + actualText(instance) + "."
                : cap(where(path)) + " must be " + expectedText(expected) + ", but is " + actualText(instance) + ".";
        problems.add(document.fileName(), at, ProblemCode.INVALID_VALUE, message, fix.trim());
    }

    /** "a text, a number or a mapping". */
    private static String or(List<String> words) {
        if (words.size() < 2) {
            return String.join("", words);
        }
        return String.join(", ", words.subList(0, words.size() - 1)) + " or " + words.get(words.size() - 1);
    }

    /** "name, label and fields". */
    private static String and(List<String> words) {
        if (words.size() < 2) {
            return String.join("", words);
        }
        return String.join(", ", words.subList(0, words.size() - 1)) + " and " + words.get(words.size() - 1);
    }

    private static String description(JsonNode schemaObject) {
        String description = schemaObject.path("description").asText("");
        return description.isEmpty() ? "see docs/metadata.md." : lowerFirst(description);
    }

    private String limit(String keyword, Object[] arguments) {
        Object bound = arguments != null && arguments.length > 0 ? arguments[0] : "?";
        JsonNode instance = message.getInstanceNode();
        return switch (keyword) {
            case "minimum" -> "must be at least " + bound + ", but is " + instance.asText();
            case "maximum" -> "must be at most " + bound + ", but is " + instance.asText();
            case "minItems" -> "must list at least " + bound + " item(s), but is empty";
            case "minProperties" -> "must have at least " + bound + " entry, but is empty";
            default -> "must not be empty";
        };
    }

    private static String expectedText(String jsonType) {
        return switch (jsonType) {
            case "boolean" -> "true or false";
            case "integer" -> "a whole number";
            case "number" -> "a number";
            case "string" -> "a text";
            case "object" -> "a mapping (key: value pairs)";
            case "array" -> "a list (items starting with '- ')";
            default -> jsonType;
        };
    }

    private static String actualText(JsonNode node) {
        if (node == null || node.isNull() || node.isMissingNode()) {
            return "empty";
        }
        if (node.isTextual()) {
            return "the text " + Problems.q(node.asText());
        }
        if (node.isNumber()) {
            return "the number " + node.asText();
        }
        if (node.isBoolean()) {
            return node.asText();
        }
        return node.isArray() ? "a list" : "a mapping";
    }

    private String where(List<Object> path) {
        return where(schema.noun(), path);
    }

    /**
     * Names the place of a JSON path for a message: {@code /fields/status/options/1/value} becomes
     * "key 'value' of option 2 of field 'status'", {@code /entities/lead/fields/email} of a role "field
     * 'email' of the grant for entity 'lead'", {@code /phases/2/timers/0/after} of a process "key 'after' of
     * timer 1 of phase 3"; the empty path is "the entity", "the role", "the process", ….
     */
    static String where(String noun, List<Object> path) {
        if (path.isEmpty()) {
            return "the " + noun;
        }
        List<String> phrases = new ArrayList<>();
        for (int i = 0; i < path.size(); i++) {
            Object segment = path.get(i);
            boolean hasNext = i + 1 < path.size();
            boolean fieldsOfGrant = i == 2 && "entities".equals(path.get(0));
            if ("fields".equals(segment) && hasNext && (i == 0 || fieldsOfGrant)) {
                phrases.add("field " + Problems.q(path.get(++i)));
            } else if ("entities".equals(segment) && hasNext && i == 0) {
                phrases.add("the grant for entity " + Problems.q(path.get(++i)));
            } else if (LIST_ITEMS.containsKey(segment) && hasNext && path.get(i + 1) instanceof Integer index) {
                phrases.add(LIST_ITEMS.get(segment) + " " + (index + 1));
                i++;
            } else if (segment instanceof Integer index) {
                phrases.add("item " + (index + 1));
            } else {
                phrases.add(Problems.q(segment));
            }
        }
        java.util.Collections.reverse(phrases);
        String first = phrases.get(0);
        if (first.startsWith("'")) {
            phrases.set(0, "key " + first);
        }
        return String.join(" of ", phrases);
    }

    private static List<Object> segments(JsonNodePath location) {
        List<Object> segments = new ArrayList<>();
        for (int i = 0; i < location.getNameCount(); i++) {
            segments.add(location.getElement(i));
        }
        return segments;
    }

    private static List<Object> with(List<Object> path, Object last) {
        List<Object> longer = new ArrayList<>(path);
        longer.add(last);
        return longer;
    }

    /** A guess at the valid name an admin meant: "First Name" → "first_name". */
    static String toName(String text) {
        String name = text.trim().toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9_]+", "_")
                .replaceAll("^[^a-z]+", "").replaceAll("_+$", "");
        if (name.isEmpty()) {
            name = "field_name";
        }
        return name.length() > 40 ? name.substring(0, 40) : name;
    }

    static String cap(String text) {
        return text.isEmpty() ? text : Character.toUpperCase(text.charAt(0)) + text.substring(1);
    }

    static String lowerFirst(String text) {
        return text.isEmpty() ? text : Character.toLowerCase(text.charAt(0)) + text.substring(1);
    }
}
