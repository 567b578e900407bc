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
 * The entity JSON Schema, compiled once per JVM, and the translation of its validation messages into
 * {@link MetadataProblem}s with YAML positions and admin-friendly wording.
 *
 * <p>Type-specific rules ({@code allOf} in the schema, there for editors) are left to {@link EntityChecks},
 * which words them better; their schema messages are dropped here.
 */
final class EntitySchema {

    static final String RESOURCE = "/io/relata/metadata/schema/entity.schema.json";
    static final String NAME_PATTERN = "^[a-z][a-z0-9_]{0,39}$";

    private static final class Holder {
        static final EntitySchema INSTANCE = new EntitySchema();
    }

    private final JsonNode raw;
    private final JsonSchema schema;

    private EntitySchema() {
        try (InputStream in = EntitySchema.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("entity schema missing on the classpath: " + RESOURCE);
            }
            raw = new ObjectMapper().readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + RESOURCE, e);
        }
        SchemaValidatorsConfig config = SchemaValidatorsConfig.builder()
                .pathType(PathType.JSON_POINTER)
                .locale(Locale.ENGLISH)
                .build();
        schema = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012).getSchema(raw, config);
        schema.initializeValidators();
    }

    static EntitySchema get() {
        return Holder.INSTANCE;
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

    static Set<String> keys(JsonNode properties) {
        Set<String> keys = new java.util.LinkedHashSet<>();
        properties.fieldNames().forEachRemaining(keys::add);
        return keys;
    }
}
