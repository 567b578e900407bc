package io.relata.metadata;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.relata.api.security.AccessScope;
import io.relata.api.security.FieldAccess;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The JSON Schemas explain themselves: editors show these descriptions while an admin types. */
class MetadataSchemaTest {

    @Test
    void everyPropertyAndDefinitionOfTheEntitySchemaHasADescription() {
        JsonNode schema = MetadataSchema.entity().raw();
        List<String> missing = new ArrayList<>();
        walk(schema, "#", missing);
        assertThat(missing).as("schemas without description").isEmpty();
        assertThat(schema.path("$defs").path("field").path("properties").size()).isGreaterThan(10);
    }

    @Test
    void everyPropertyAndDefinitionOfTheRoleSchemaHasADescription() {
        JsonNode schema = MetadataSchema.role().raw();
        List<String> missing = new ArrayList<>();
        walk(schema, "#", missing);
        assertThat(missing).as("schemas without description").isEmpty();
        assertThat(schema.at("/$defs/grant/properties").size()).isEqualTo(8);
    }

    @Test
    void everyPropertyAndDefinitionOfTheProcessDialogAndTemplateSchemasHasADescription() {
        for (MetadataSchema schema : List.of(MetadataSchema.process(), MetadataSchema.dialog(), MetadataSchema.template())) {
            List<String> missing = new ArrayList<>();
            walk(schema.raw(), "#", missing);
            assertThat(missing).as(schema.noun() + " schemas without description").isEmpty();
            assertThat(schema.raw().path("$id").asText()).endsWith(schema.noun() + ".schema.json");
        }
        assertThat(MetadataSchema.process().raw().at("/$defs/action/properties").size())
                .isEqualTo(ProcessChecks.ACTION_KINDS.size() + ProcessChecks.ACTION_OPTIONS.size());
        assertThat(MetadataSchema.process().requiredKeys()).containsExactly("name", "entity", "label", "phaseField", "phases");
        assertThat(MetadataSchema.dialog().requiredKeys()).containsExactly("name", "entity", "label", "steps");
        assertThat(MetadataSchema.template().requiredKeys()).containsExactly("name", "subject", "body");
    }

    @Test
    void processSchemaListsTheOutcomesActionsAndRecipientsTheLoaderKnows() {
        JsonNode process = MetadataSchema.process().raw();
        assertThat(texts(process.at("/$defs/phase/properties/outcome/enum"))).containsExactly(
                Arrays.stream(io.relata.api.process.PhaseOutcome.values())
                        .map(io.relata.api.process.PhaseOutcome::yamlName).toArray(String[]::new));
        List<String> actions = new ArrayList<>();
        process.at("/$defs/action/properties").fieldNames().forEachRemaining(actions::add);
        actions.removeAll(ProcessChecks.ACTION_OPTIONS);
        assertThat(actions).containsExactlyElementsOf(ProcessChecks.ACTION_KINDS);
        List<String> recipients = new ArrayList<>();
        process.at("/$defs/recipient/properties").fieldNames().forEachRemaining(recipients::add);
        assertThat(recipients).containsExactlyElementsOf(ProcessChecks.RECIPIENT_KINDS);
    }

    @Test
    void dialogOnlyFieldsHaveEveryFieldTypeButLinksToRecordsAndFiles() {
        assertThat(texts(MetadataSchema.dialog().raw().at("/$defs/dialogField/properties/type/enum"))).containsExactly(
                Arrays.stream(io.relata.api.model.FieldType.values())
                        .filter(t -> t != io.relata.api.model.FieldType.REFERENCE
                                && t != io.relata.api.model.FieldType.RECORD_LINK
                                && t != io.relata.api.model.FieldType.FILE)
                        .map(io.relata.api.model.FieldType::yamlName).toArray(String[]::new));
    }

    @Test
    void roleSchemaListsExactlyTheScopesAndFieldAccessesOfTheApi() {
        assertThat(texts(MetadataSchema.role().raw().at("/$defs/scope/enum"))).containsExactly(
                Arrays.stream(AccessScope.values()).map(AccessScope::yamlName).toArray(String[]::new));
        assertThat(texts(MetadataSchema.role().raw().at("/$defs/fieldAccess/enum"))).containsExactly(
                Arrays.stream(FieldAccess.values()).map(FieldAccess::yamlName).toArray(String[]::new));
    }

    @Test
    void theExtensionSchemaDescribesEverythingAndSharesTheEntitySchemasDefinitions() {
        JsonNode extension = MetadataSchema.extension().raw();
        List<String> missing = new ArrayList<>();
        walk(extension, "#", missing);
        assertThat(missing).as("schemas without description").isEmpty();
        // fields, options, rules and examples of an extension are written exactly like an entity's
        assertThat(extension.path("$defs")).isEqualTo(MetadataSchema.entity().raw().path("$defs"));
        assertThat(extension.at("/properties/fields/additionalProperties"))
                .isEqualTo(MetadataSchema.entity().raw().at("/properties/fields/additionalProperties"));
        assertThat(extension.at("/properties/rules")).isEqualTo(MetadataSchema.entity().raw().at("/properties/rules"));
        assertThat(MetadataSchema.extension().requiredKeys()).containsExactly("extends");
    }

    @Test
    void schemasAreOnTheClasspathUnderTheirResourceNames() {
        assertThat(MetadataSchema.role().resource()).endsWith("/schema/role.schema.json");
        assertThat(MetadataSchema.role().raw().path("$id").asText()).endsWith("role.schema.json");
        assertThat(MetadataSchema.role().requiredKeys()).containsExactly("name", "label");
    }

    @Test
    void schemaListsExactlyTheFieldTypesOfTheApi() {
        JsonNode types = MetadataSchema.entity().raw().at("/$defs/field/properties/type/enum");
        List<String> names = new ArrayList<>();
        types.forEach(t -> names.add(t.asText()));
        assertThat(names).containsExactly(java.util.Arrays.stream(io.relata.api.model.FieldType.values())
                .map(io.relata.api.model.FieldType::yamlName).toArray(String[]::new));
    }

    private static List<String> texts(JsonNode array) {
        List<String> texts = new ArrayList<>();
        array.forEach(t -> texts.add(t.asText()));
        return texts;
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
