package io.relata.metadata;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The JSON Schema explains itself: editors show these descriptions while an admin types. */
class EntitySchemaTest {

    @Test
    void everyPropertyAndDefinitionHasADescription() {
        JsonNode schema = EntitySchema.get().raw();
        List<String> missing = new ArrayList<>();
        walk(schema, "#", missing);
        assertThat(missing).as("schemas without description").isEmpty();
        assertThat(schema.path("$defs").path("field").path("properties").size()).isGreaterThan(10);
    }

    @Test
    void schemaListsExactlyTheFieldTypesOfTheApi() {
        JsonNode types = EntitySchema.get().raw().at("/$defs/field/properties/type/enum");
        List<String> names = new ArrayList<>();
        types.forEach(t -> names.add(t.asText()));
        assertThat(names).containsExactly(java.util.Arrays.stream(io.relata.api.model.FieldType.values())
                .map(io.relata.api.model.FieldType::yamlName).toArray(String[]::new));
    }

    /** Every schema an editor offers as a key (properties, $defs, items, map values, names) needs a description. */
    private static void walk(JsonNode schema, String path, List<String> missing) {
        if (!schema.isObject()) {
            return;
        }
        if (!schema.path("description").isTextual() || schema.path("description").asText().isBlank()) {
            missing.add(path);
        }
        schema.path("properties").fields().forEachRemaining(e -> walk(e.getValue(), path + "/properties/" + e.getKey(), missing));
        schema.path("$defs").fields().forEachRemaining(e -> walk(e.getValue(), path + "/$defs/" + e.getKey(), missing));
        for (String child : List.of("items", "additionalProperties", "propertyNames")) {
            if (schema.path(child).isObject()) {
                walk(schema.path(child), path + "/" + child, missing);
            }
        }
    }
}
