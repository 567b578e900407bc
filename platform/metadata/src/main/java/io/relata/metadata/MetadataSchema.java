package io.relata.metadata;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.JsonNodePath;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.PathType;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The JSON Schema of one kind of metadata ({@code entity.schema.json}, {@code role.schema.json},
 * {@code process.schema.json}, {@code dialog.schema.json}, {@code template.schema.json}),
 * compiled once per JVM, and the translation of its validation messages into {@link MetadataProblem}s with
 * YAML positions and admin-friendly wording.
 *
 * <p>Rules under {@code allOf} in a schema (type-specific keys of entity fields, no grants on an
 * administrator role) are there for editors; {@link EntityChecks} and {@link RoleChecks} word them better,
 * so their schema messages are dropped here.
 */
final class MetadataSchema {

    static final String NAME_PATTERN = "^[a-z][a-z0-9_]{0,39}$";

    private static final class Entity {
        static final MetadataSchema INSTANCE = new MetadataSchema("entity", "/io/relata/metadata/schema/entity.schema.json");
    }

    private static final class Extension {
        static final MetadataSchema INSTANCE = new MetadataSchema("extension", "/io/relata/metadata/schema/extension.schema.json");
    }

    private static final class Role {
        static final MetadataSchema INSTANCE = new MetadataSchema("role", "/io/relata/metadata/schema/role.schema.json");
    }

    private static final class RoleExtension {
        static final MetadataSchema INSTANCE = new MetadataSchema("role extension", "/io/relata/metadata/schema/role-extension.schema.json");
    }

    private static final class Form {
        static final MetadataSchema INSTANCE = new MetadataSchema("form", "/io/relata/metadata/schema/form.schema.json");
    }

    private static final class View {
        static final MetadataSchema INSTANCE = new MetadataSchema("view", "/io/relata/metadata/schema/view.schema.json");
    }

    private static final class Dashboard {
        static final MetadataSchema INSTANCE = new MetadataSchema("dashboard", "/io/relata/metadata/schema/dashboard.schema.json");
    }

    private static final class Process {
        static final MetadataSchema INSTANCE = new MetadataSchema("process", "/io/relata/metadata/schema/process.schema.json");
    }

    private static final class Dialog {
        static final MetadataSchema INSTANCE = new MetadataSchema("dialog", "/io/relata/metadata/schema/dialog.schema.json");
    }

    private static final class Template {
        static final MetadataSchema INSTANCE = new MetadataSchema("template", "/io/relata/metadata/schema/template.schema.json");
    }

    private final String noun;
    private final String resource;
    private final JsonNode raw;
    private final JsonSchema schema;

    private MetadataSchema(String noun, String resource) {
        this.noun = noun;
        this.resource = resource;
        try (InputStream in = MetadataSchema.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException(noun + " schema missing on the classpath: " + resource);
            }
            raw = new ObjectMapper().readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + resource, e);
        }
        SchemaValidatorsConfig config = SchemaValidatorsConfig.builder()
                .pathType(PathType.JSON_POINTER)
                .locale(Locale.ENGLISH)
                .build();
        schema = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012).getSchema(raw, config);
        schema.initializeValidators();
    }

    /** The schema of {@code entities/*.yaml}. */
    static MetadataSchema entity() {
        return Entity.INSTANCE;
    }

    /** The schema of {@code extensions/*.yaml}: additions to an entity of an earlier layer. */
    static MetadataSchema extension() {
        return Extension.INSTANCE;
    }

    /** The schema of {@code roles/*.yaml}. */
    static MetadataSchema role() {
        return Role.INSTANCE;
    }

    /** The schema of {@code role-extensions/*.yaml}: changes to a role of an earlier layer. */
    static MetadataSchema roleExtension() {
        return RoleExtension.INSTANCE;
    }

    /** The schema of {@code forms/*.yaml}: the record form layouts of an entity. */
    static MetadataSchema form() {
        return Form.INSTANCE;
    }

    /** The schema of {@code views/*.yaml}: the customer view of an entity. */
    static MetadataSchema view() {
        return View.INSTANCE;
    }

    /** The schema of {@code dashboards/*.yaml}. */
    static MetadataSchema dashboard() {
        return Dashboard.INSTANCE;
    }

    /** The schema of {@code processes/*.yaml}. */
    static MetadataSchema process() {
        return Process.INSTANCE;
    }

    /** The schema of {@code dialogs/*.yaml}. */
    static MetadataSchema dialog() {
        return Dialog.INSTANCE;
    }

    /** The schema of {@code templates/*.yaml}. */
    static MetadataSchema template() {
        return Template.INSTANCE;
    }

    /** The schema of the files in a metadata folder ({@code entities}, {@code roles}, …); entities by default. */
    static MetadataSchema of(String kind) {
        return switch (kind) {
            case "extensions" -> extension();
            case "roles" -> role();
            case "role-extensions" -> roleExtension();
            case "forms" -> form();
            case "views" -> view();
            case "dashboards" -> dashboard();
            case "templates" -> template();
            case "processes" -> process();
            case "dialogs" -> dialog();
            default -> entity();
        };
    }

    /** What one file describes, for messages: {@code entity}, {@code role}, {@code process}, … */
    String noun() {
        return noun;
    }

    /** The classpath resource, e.g. {@code /io/relata/metadata/schema/role.schema.json}. */
    String resource() {
        return resource;
    }

    /** The top-level keys a file must have, in schema order. */
    List<String> requiredKeys() {
        List<String> keys = new ArrayList<>();
        raw.path("required").forEach(k -> keys.add(k.asText()));
        return keys;
    }

    /** The schema as JSON, e.g. for tests and the admin UI. */
    JsonNode raw() {
        return raw;
    }

    List<ValidationMessage> rawMessages(JsonNode instance) {
        List<ValidationMessage> messages = new ArrayList<>(schema.validate(instance));
        messages.sort(Comparator.comparing((ValidationMessage m) -> m.getInstanceLocation().toString())
                .thenComparing(ValidationMessage::getType));
        return messages;
    }

    /** Validates one document and adds a problem for every schema violation. */
    void validate(YamlDocument document, Problems problems) {
        for (ValidationMessage message : rawMessages(document.root())) {
            if (isTypeSpecificRule(message)) {
                continue;
            }
            new SchemaMessage(this, document, message).report(problems);
        }
    }

    private static boolean isTypeSpecificRule(ValidationMessage message) {
        JsonNodePath path = message.getEvaluationPath();
        for (int i = 0; i < path.getNameCount(); i++) {
            if ("allOf".equals(path.getName(i))) {
                return true;
            }
        }
        return false;
    }

    /** The schema node at a location fragment like {@code /$defs/field/properties/type}. */
    JsonNode at(JsonNodePath fragment) {
        JsonNode node = raw;
        for (int i = 0; i < fragment.getNameCount(); i++) {
            Object element = fragment.getElement(i);
            node = element instanceof Integer index ? node.path(index) : node.path(element.toString());
        }
        return node;
    }

    /**
     * The part of the schema that governs the value at an instance path ({@code ["fields", "status"]},
     * {@code ["phases", "2", "onEnter", "0"]}), following {@code properties}, {@code items},
     * {@code additionalProperties} and local {@code $ref}s; missing if the schema does not say.
     */
    JsonNode schemaAt(List<String> path) {
        JsonNode node = resolve(raw);
        for (String segment : path) {
            if (node.path("items").isObject() && !segment.isEmpty() && segment.chars().allMatch(Character::isDigit)) {
                node = node.get("items");
            } else if (node.path("properties").has(segment)) {
                node = node.path("properties").get(segment);
            } else if (node.path("additionalProperties").isObject()) {
                node = node.get("additionalProperties");
            } else {
                return com.fasterxml.jackson.databind.node.MissingNode.getInstance();
            }
            node = resolve(node);
        }
        return node;
    }

    /** Follows local references ({@code #/$defs/field}). */
    JsonNode resolve(JsonNode node) {
        for (int hops = 0; hops < 16 && node.path("$ref").asText("").startsWith("#/"); hops++) {
            node = raw.at(node.path("$ref").asText().substring(1));
        }
        return node;
    }

    static Set<String> keys(JsonNode properties) {
        Set<String> keys = new java.util.LinkedHashSet<>();
        properties.fieldNames().forEachRemaining(keys::add);
        return keys;
    }
}
