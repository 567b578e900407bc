package io.relata.metadata;

import static io.relata.metadata.Problems.q;

import com.fasterxml.jackson.databind.JsonNode;
import io.relata.api.model.ChoiceOption;
import io.relata.api.model.EntityDefinition;
import io.relata.api.model.FieldDefinition;
import io.relata.api.model.FieldType;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Applies the extensions of later layers ({@code extensions/<entity>.yaml}) to the entities of earlier ones, in
 * file order (core, then each plugin, then the site): fields are added after the entity's own, options to its
 * choice fields, rules and examples to its own. A layer may add; what an earlier layer defined cannot be
 * redefined, retyped or removed, and the problem says which file defined it.
 */
final class EntityExtensions {

    private EntityExtensions() {
    }

    /**
     * @param entities   the entities built so far, in file order (replaced by their extended definitions)
     * @param extensions the extension documents that passed their own checks, in file order
     * @param broken     names of entities whose files have problems: extending them is not reported again
     */
    static List<ModelResolver.ParsedEntity> apply(List<ModelResolver.ParsedEntity> entities, List<YamlDocument> extensions,
                                                  Set<String> broken, RuleScripts scripts, Problems problems) {
        List<ModelResolver.ParsedEntity> result = new ArrayList<>(entities);
        for (YamlDocument extension : extensions) {
            String name = extension.root().path("extends").asText();
            int index = indexOf(result, name);
            if (index < 0) {
                if (!broken.contains(name)) {
                    problems.add(extension.fileName(), extension.at(YamlDocument.pointer("extends")).value(),
                            ProblemCode.EXTENDS_UNKNOWN_ENTITY, "This file extends the entity " + q(name)
                                    + ", which no layer before it defines.",
                            "name an entity of the core or of a plugin this one depends on (the entities are listed at "
                                    + "GET /api/v1/metadata/entities), or define the entity in entities/" + name + ".yaml.");
                }
                continue;
            }
            ModelResolver.ParsedEntity base = result.get(index);
            Optional<EntityDefinition> extended = extend(base.definition(), extension, scripts, problems);
            extended.ifPresent(definition -> result.set(index, new ModelResolver.ParsedEntity(base.document(), definition)));
        }
        return result;
    }

    /**
     * The options that extensions of layers no longer in force added, put back on their fields as retired (inactive)
     * where the fields do not have them: values stored while the layer was in force stay valid and are shown, and no
     * new record can take them.
     */
    static List<ModelResolver.ParsedEntity> retire(List<ModelResolver.ParsedEntity> entities, List<YamlDocument> retired) {
        List<ModelResolver.ParsedEntity> result = new ArrayList<>(entities);
        for (YamlDocument extension : retired) {
            int index = indexOf(result, extension.root().path("extends").asText());
            if (index < 0) {
                continue;
            }
            ModelResolver.ParsedEntity base = result.get(index);
            List<FieldDefinition> fields = new ArrayList<>(base.definition().fields());
            boolean changed = false;
            for (var entry : (Iterable<Map.Entry<String, com.fasterxml.jackson.databind.JsonNode>>)
                    () -> extension.root().path("options").fields()) {
                int position = positionOf(fields, entry.getKey());
                if (position < 0) {
                    continue;
                }
                FieldDefinition field = fields.get(position);
                List<ChoiceOption> options = new ArrayList<>(field.options());
                for (com.fasterxml.jackson.databind.JsonNode option : entry.getValue()) {
                    String value = option.path("value").asText();
                    if (!value.isEmpty() && options.stream().noneMatch(o -> o.value().equals(value))) {
                        java.util.Map<String, String> label = new java.util.LinkedHashMap<>();
                        option.path("label").fields().forEachRemaining(l -> label.put(l.getKey(), l.getValue().asText()));
                        options.add(new ChoiceOption(value, label.isEmpty()
                                ? io.relata.api.model.LocalizedText.of(value, value)
                                : new io.relata.api.model.LocalizedText(label), false));
                        changed = true;
                    }
                }
                fields.set(position, withOptions(field, options));
            }
            if (changed) {
                result.set(index, new ModelResolver.ParsedEntity(base.document(), base.definition().withFields(fields)));
            }
        }
        return result;
    }

    private static int indexOf(List<ModelResolver.ParsedEntity> entities, String name) {
        for (int i = 0; i < entities.size(); i++) {
            if (entities.get(i).definition().name().equals(name)) {
                return i;
            }
        }
        return -1;
    }

    private static Optional<EntityDefinition> extend(EntityDefinition base, YamlDocument extension, RuleScripts scripts,
                                                     Problems problems) {
        int before = problems.all().size();
        EntityBuilder.Additions additions = EntityBuilder.extension(extension, scripts, base);
        List<FieldDefinition> fields = new ArrayList<>(base.fields());
        for (FieldDefinition added : additions.fields()) {
            Optional<FieldDefinition> existing = base.field(added.name());
            if (existing.isPresent()) {
                problems.add(extension.fileName(), extension.at(YamlDocument.pointer("fields", added.name())).entry(),
                        ProblemCode.DEFINED_BY_EARLIER_LAYER, "The field " + q(added.name()) + " of " + q(base.name())
                                + " is defined at " + existing.get().location() + "; a later layer may add fields, but "
                                + "not define, retype or remove one that exists.",
                        "give the new field another name (e.g. with your plugin's prefix), or add options to the existing "
                                + "field under 'options:'.");
                continue;
            }
            fields.add(added);
        }
        for (Map.Entry<String, List<ChoiceOption>> entry : additions.options().entrySet()) {
            String fieldName = entry.getKey();
            org.snakeyaml.engine.v2.nodes.Node at = extension.at(YamlDocument.pointer("options", fieldName)).entry();
            int position = positionOf(fields, fieldName);
            FieldDefinition field = position < 0 ? null : fields.get(position);
            if (field == null || (field.type() != FieldType.CHOICE && field.type() != FieldType.MULTI_CHOICE)) {
                problems.add(extension.fileName(), at, ProblemCode.OPTIONS_FOR_UNKNOWN_CHOICE,
                        field == null ? "The entity " + q(base.name()) + " has no field " + q(fieldName) + " to add options to."
                                : "The field " + q(fieldName) + " of " + q(base.name()) + " is a " + field.type().yamlName()
                                + " field; only choice and multi-choice fields have options.",
                        "name a choice or multi-choice field of " + q(base.name()) + ".");
                continue;
            }
            List<ChoiceOption> options = new ArrayList<>(field.options());
            for (ChoiceOption option : entry.getValue()) {
                Optional<ChoiceOption> existing = options.stream().filter(o -> o.value().equals(option.value())).findFirst();
                if (existing.isPresent()) {
                    problems.add(extension.fileName(), at, ProblemCode.DEFINED_BY_EARLIER_LAYER,
                            "The option " + q(option.value()) + " of " + q(base.name() + "." + fieldName)
                                    + " is defined already (the field is at " + field.location() + ").",
                            "add only new option values; an existing option cannot be changed by a later layer.");
                    continue;
                }
                options.add(option);
            }
            fields.set(position, withOptions(field, options));
        }
        JsonNode root = extension.root();
        root.path("changes").fields().forEachRemaining(change -> change(base.name(), fields, change.getKey(),
                change.getValue(), extension, problems));
        List<FieldDefinition> ordered = reorder(base.name(), fields, root.path("fieldOrder"), extension, problems);
        if (problems.all().size() > before) {
            return Optional.empty();
        }
        List<io.relata.api.rules.RuleDefinition> rules = new ArrayList<>(base.rules());
        rules.addAll(additions.rules());
        List<io.relata.api.rules.RuleExample> examples = new ArrayList<>(base.examples());
        examples.addAll(additions.examples());
        return Optional.of(new EntityDefinition(base.name(),
                root.has("label") ? EntityBuilder.text(root.path("label")) : base.label(),
                root.has("pluralLabel") ? EntityBuilder.text(root.path("pluralLabel")) : base.pluralLabel(), base.icon(),
                base.titleField(), ordered, rules, examples, base.location(), base.readAccessFrom(), base.title(),
                base.indexes()));
    }

    /**
     * Applies one entry of {@code changes:} to the field it names: labels, help and the flags; what the field is
     * (name, type, options, rules) stays the earlier layer's.
     */
    private static void change(String entity, List<FieldDefinition> fields, String name, JsonNode change,
                               YamlDocument extension, Problems problems) {
        int position = positionOf(fields, name);
        org.snakeyaml.engine.v2.nodes.Node at = extension.at(YamlDocument.pointer("changes", name)).entry();
        if (position < 0) {
            problems.add(extension.fileName(), at, ProblemCode.CHANGE_FOR_UNKNOWN_FIELD,
                    "The entity " + q(entity) + " has no field " + q(name) + " to change"
                            + Suggestions.closest(name, fields.stream().map(FieldDefinition::name).toList())
                            .map(c -> "; did you mean " + q(c) + "?").orElse("."),
                    "name a field of " + q(entity) + " (an upgrade of the core or a plugin may have removed it: then "
                            + "remove this change).");
            return;
        }
        FieldDefinition f = fields.get(position);
        if (change.path("searchable").asBoolean(false) && !f.type().isTextual()) {
            problems.add(extension.fileName(), extension.at(YamlDocument.pointer("changes", name, "searchable")).entry(),
                    ProblemCode.NOT_SEARCHABLE_TYPE, "The field " + q(name) + " is a " + f.type().yamlName()
                            + " field; only textual fields can be searched.",
                    "use 'indexed: true' to make filters on it fast, or remove 'searchable'.");
            return;
        }
        if (change.path("unique").asBoolean(false) && f.type() == FieldType.RECORD_LINK) {
            problems.add(extension.fileName(), extension.at(YamlDocument.pointer("changes", name, "unique")).entry(),
                    ProblemCode.KEY_NOT_ALLOWED_FOR_TYPE, "A record-link field cannot be unique.",
                    "remove 'unique' from the change of " + q(name) + ".");
            return;
        }
        fields.set(position, new FieldDefinition(f.name(),
                change.has("label") ? EntityBuilder.text(change.path("label")) : f.label(), f.type(),
                change.path("required").asBoolean(f.required()), change.path("unique").asBoolean(f.unique()),
                change.path("indexed").asBoolean(f.indexed()), change.path("searchable").asBoolean(f.searchable()),
                change.path("listed").asBoolean(f.listed()), f.maxLength(), f.precision(), f.scale(), f.options(),
                f.referenceEntity(), f.reverseList(), change.has("help") ? EntityBuilder.text(change.path("help")) : f.help(),
                f.min(), f.max(), f.pattern(), f.patternMessage(), f.location(), f.narrowBy(), f.autoNumber()));
    }

    /** The fields named by {@code fieldOrder} first, in its order, then the others in their order so far. */
    private static List<FieldDefinition> reorder(String entity, List<FieldDefinition> fields, JsonNode order,
                                                 YamlDocument extension, Problems problems) {
        List<FieldDefinition> result = new ArrayList<>();
        for (int i = 0; i < order.size(); i++) {
            String name = order.get(i).asText();
            int position = positionOf(fields, name);
            if (position < 0) {
                problems.add(extension.fileName(), extension.at(YamlDocument.pointer("fieldOrder", i)).value(),
                        ProblemCode.CHANGE_FOR_UNKNOWN_FIELD, "The entity " + q(entity) + " has no field " + q(name)
                                + " to put in order"
                                + Suggestions.closest(name, fields.stream().map(FieldDefinition::name).toList())
                                .map(c -> "; did you mean " + q(c) + "?").orElse("."),
                        "name fields of " + q(entity) + " only, or remove " + q(name) + " from 'fieldOrder'.");
                continue;
            }
            if (result.stream().noneMatch(f -> f.name().equals(name))) {
                result.add(fields.get(position));
            }
        }
        fields.stream().filter(f -> !result.contains(f)).forEach(result::add);
        return result;
    }

    private static int positionOf(List<FieldDefinition> fields, String name) {
        for (int i = 0; i < fields.size(); i++) {
            if (fields.get(i).name().equals(name)) {
                return i;
            }
        }
        return -1;
    }

    private static FieldDefinition withOptions(FieldDefinition f, List<ChoiceOption> options) {
        return new FieldDefinition(f.name(), f.label(), f.type(), f.required(), f.unique(), f.indexed(), f.searchable(),
                f.listed(), f.maxLength(), f.precision(), f.scale(), options, f.referenceEntity(), f.reverseList(), f.help(),
                f.min(), f.max(), f.pattern(), f.patternMessage(), f.location(), f.narrowBy(), f.autoNumber());
    }
}
