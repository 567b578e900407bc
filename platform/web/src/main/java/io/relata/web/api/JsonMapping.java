package io.relata.web.api;

import io.relata.api.model.ChoiceOption;
import io.relata.api.model.EntityDefinition;
import io.relata.api.model.FieldDefinition;
import io.relata.api.model.LocalizedText;
import io.relata.api.model.MetadataModel;
import io.relata.api.model.ReverseReference;
import io.relata.api.record.Record;
import io.relata.api.security.FieldAccess;
import io.relata.store.AutomaticChange;
import io.relata.store.access.AccessPolicy;
import io.relata.runtime.Jsons;
import jakarta.json.JsonArray;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import jakarta.json.spi.JsonProvider;
import java.math.BigDecimal;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Converts records and metadata to JSON and request bodies to plain Java values for the record store. */
final class JsonMapping {

    /** The JSON provider, looked up once (see {@link Jsons}). */
    static final JsonProvider JSON = Jsons.PROVIDER;

    private JsonMapping() {
    }

    static JsonObject record(Record record) {
        JsonObjectBuilder values = JSON.createObjectBuilder();
        record.values().forEach((name, value) -> values.add(name, toJson(value)));
        return JSON.createObjectBuilder()
                .add("id", record.id())
                .add("version", record.version())
                .add("createdAt", timestamp(record.createdAt()))
                .add("updatedAt", timestamp(record.updatedAt()))
                .add("values", values)
                .build();
    }

    static JsonValue toJson(Object value) {
        if (value == null) {
            return JsonValue.NULL;
        }
        if (value instanceof Boolean b) {
            return b ? JsonValue.TRUE : JsonValue.FALSE;
        }
        if (value instanceof Long l) {
            return JSON.createValue(l);
        }
        if (value instanceof Integer i) {
            return JSON.createValue(i);
        }
        if (value instanceof BigDecimal d) {
            return JSON.createValue(d);
        }
        if (value instanceof List<?> list) {
            JsonArrayBuilder array = JSON.createArrayBuilder();
            list.forEach(item -> array.add(toJson(item)));
            return array.build();
        }
        if (value instanceof OffsetDateTime time) {
            return JSON.createValue(timestamp(time));
        }
        return JSON.createValue(value.toString());
    }

    /** RFC 3339 with seconds always present ({@code OffsetDateTime.toString()} drops zero seconds). */
    static String timestamp(OffsetDateTime time) {
        return DateTimeFormatter.ISO_OFFSET_DATE_TIME.format(time);
    }

    /** JSON values to what the record store accepts as raw input. */
    static Map<String, Object> values(JsonObject object) {
        Map<String, Object> values = new LinkedHashMap<>();
        object.forEach((name, value) -> values.put(name, fromJson(value)));
        return values;
    }

    static Object fromJson(JsonValue value) {
        return switch (value.getValueType()) {
            case NULL -> null;
            case TRUE -> Boolean.TRUE;
            case FALSE -> Boolean.FALSE;
            case STRING -> ((JsonString) value).getString();
            // Exact and unconverted: the record store range-checks it against the field's type.
            case NUMBER -> ((JsonNumber) value).bigDecimalValue();
            case ARRAY -> {
                List<Object> list = new ArrayList<>();
                ((JsonArray) value).forEach(item -> list.add(fromJson(item)));
                yield list;
            }
            case OBJECT -> values(value.asJsonObject()); // refused by the store as not a valid value
        };
    }

    static JsonObject text(LocalizedText text) {
        JsonObjectBuilder builder = JSON.createObjectBuilder();
        if (text != null) {
            text.values().forEach(builder::add);
        }
        return builder.build();
    }

    static JsonObject entitySummary(EntityDefinition entity, java.util.function.Function<io.relata.api.model.SourceLocation, String> layerOf) {
        return JSON.createObjectBuilder()
                .add("name", entity.name())
                .add("layer", layerOf.apply(entity.location()))
                .add("label", text(entity.label()))
                .add("pluralLabel", text(entity.pluralLabel()))
                .add("href", "/api/v1/metadata/entities/" + entity.name())
                .add("records", "/api/v1/records/" + entity.name())
                .build();
    }

    /** @param layerOf the layer an element comes from ({@code core}, {@code plugin:<id> <version>}, {@code site}) */
    static JsonObject entity(EntityDefinition entity, MetadataModel model, AccessPolicy access,
                             java.util.function.Function<io.relata.api.model.SourceLocation, String> layerOf) {
        JsonArrayBuilder fields = JSON.createArrayBuilder();
        entity.fields().forEach(f -> fields.add(JSON.createObjectBuilder(field(f)).add("layer", layerOf.apply(f.location()))));
        JsonArrayBuilder reverse = JSON.createArrayBuilder();
        for (ReverseReference ref : model.reverseReferences(entity.name())) {
            if (!access.canRead(ref.sourceEntity().name())
                    || access.fieldAccess(ref.sourceEntity().name(), ref.sourceField().name()) == FieldAccess.HIDDEN) {
                continue;
            }
            reverse.add(JSON.createObjectBuilder()
                    .add("name", ref.list().name())
                    .add("label", text(ref.list().label()))
                    .add("entity", ref.sourceEntity().name())
                    .add("field", ref.sourceField().name())
                    .add("records", "/api/v1/records/" + ref.sourceEntity().name()
                            + "?filter=" + ref.sourceField().name() + ":eq:{id}"));
        }
        // record-links can point to a record of any entity: each lists what links to the record
        for (ReverseReference ref : model.recordLinks()) {
            if (!access.canRead(ref.sourceEntity().name())
                    || access.fieldAccess(ref.sourceEntity().name(), ref.sourceField().name()) == FieldAccess.HIDDEN) {
                continue;
            }
            reverse.add(JSON.createObjectBuilder()
                    .add("name", ref.list().name())
                    .add("label", text(ref.list().label()))
                    .add("entity", ref.sourceEntity().name())
                    .add("field", ref.sourceField().name())
                    .add("records", "/api/v1/records/" + ref.sourceEntity().name()
                            + "?filter=" + ref.sourceField().name() + ":eq:" + entity.name() + ":{id}"));
        }
        JsonObjectBuilder builder = JSON.createObjectBuilder()
                .add("name", entity.name())
                .add("label", text(entity.label()))
                .add("pluralLabel", text(entity.pluralLabel()))
                .add("fields", fields)
                .add("reverseLists", reverse)
                .add("layer", layerOf.apply(entity.location()))
                .add("source", entity.location().file() + ":" + entity.location().line());
        if (entity.titleField() != null) {
            builder.add("titleField", entity.titleField());
        }
        if (entity.title() != null) {
            builder.add("title", entity.title().text());
        }
        if (entity.readAccessFrom() != null) {
            builder.add("readAccessFrom", entity.readAccessFrom());
        }
        return builder.build();
    }

    private static JsonObject field(FieldDefinition field) {
        JsonObjectBuilder builder = JSON.createObjectBuilder()
                .add("name", field.name())
                .add("type", field.type().yamlName())
                .add("label", text(field.label()))
                .add("required", field.required())
                .add("unique", field.unique())
                .add("indexed", field.indexed())
                .add("searchable", field.searchable())
                .add("listed", field.listed());
        switch (field.type()) {
            case TEXT, LONG_TEXT, EMAIL, PHONE, URL -> builder.add("maxLength", field.effectiveMaxLength());
            case DECIMAL, MONEY -> builder.add("precision", field.effectivePrecision()).add("scale", field.effectiveScale());
            case CHOICE, MULTI_CHOICE -> {
                JsonArrayBuilder options = JSON.createArrayBuilder();
                for (ChoiceOption option : field.options()) {
                    JsonObjectBuilder item = JSON.createObjectBuilder().add("value", option.value())
                            .add("label", text(option.label()));
                    if (!option.active()) {
                        item.add("active", false); // kept on old records, not to be offered for new values
                    }
                    options.add(item);
                }
                builder.add("options", options);
            }
            case REFERENCE -> {
                builder.add("entity", field.referenceEntity());
                if (field.narrowBy() != null) {
                    builder.add("narrowBy", JSON.createObjectBuilder().add("field", field.narrowBy().field())
                            .add("via", field.narrowBy().via()));
                }
            }
            default -> { }
        }
        if (field.autoNumber() != null) {
            builder.add("autoNumber", JSON.createObjectBuilder().add("prefix", field.autoNumber().prefix())
                    .add("digits", field.autoNumber().digits()).add("gapless", field.autoNumber().gapless()));
        }
        if (field.help() != null) {
            builder.add("help", text(field.help()));
        }
        if (field.min() != null) {
            builder.add("min", toJson(field.min()));
        }
        if (field.max() != null) {
            builder.add("max", toJson(field.max()));
        }
        if (field.pattern() != null) {
            builder.add("pattern", field.pattern());
            if (field.patternMessage() != null) {
                builder.add("patternMessage", text(field.patternMessage()));
            }
        }
        return builder.build();
    }

    /**
     * A record just written, with {@code processChanges}: what processes set beyond the client's values
     * ({@code [{field, value, previous, process}]}, with {@code plugin} instead of the process when a plugin's
     * record listener set the value; empty if nothing), so a client sees why a value differs
     * from the one it sent.
     */
    static JsonObject written(Record record, List<AutomaticChange> changes) {
        JsonArrayBuilder items = JSON.createArrayBuilder();
        for (AutomaticChange change : changes) {
            JsonObjectBuilder item = JSON.createObjectBuilder().add("field", change.field())
                    .add("value", toJson(change.value())).add("previous", toJson(change.previous()));
            item.add("process", change.process().<JsonValue>map(JSON::createValue).orElse(JsonValue.NULL));
            change.plugin().ifPresent(plugin -> item.add("plugin", plugin));
            items.add(item);
        }
        return JSON.createObjectBuilder(record(record)).add("processChanges", items).build();
    }
}
