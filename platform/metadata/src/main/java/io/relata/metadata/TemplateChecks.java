package io.relata.metadata;

import static io.relata.metadata.Problems.q;

import com.fasterxml.jackson.databind.JsonNode;
import io.relata.api.model.EntityDefinition;
import io.relata.api.model.FieldDefinition;
import io.relata.api.model.FieldType;
import io.relata.api.model.SourceLocation;
import io.relata.api.process.MailTemplate;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Mail templates: pass 1 checks a file on its own (name versus file name, the syntax and known roots of its
 * placeholders) and builds its {@link MailTemplate}; pass 2 ({@link #resolve}) checks duplicate names and,
 * for every entity whose processes send the template, that its {@code {{record.<field>}}} placeholders and
 * its language field are fields of that entity.
 */
final class TemplateChecks {

    /** A template built in pass 1, with the document it came from for positions. */
    record ParsedTemplate(YamlDocument document, MailTemplate definition) {
    }

    static final Set<FieldType> LANGUAGE_TYPES = EnumSet.of(FieldType.CHOICE, FieldType.TEXT);

    private TemplateChecks() {
    }

    static void check(YamlDocument document, Problems problems) {
        JsonNode root = document.root();
        if (!root.isObject()) {
            return;
        }
        problems.nameMatchesFile(document, "template", ProblemCode.TEMPLATE_NAME_MISMATCH,
                "processes refer to the template by this name");
        checkTexts(document, Placeholders.processScope(null, null), problems);
    }

    private static void checkTexts(YamlDocument document, Placeholders.Scope scope, Problems problems) {
        for (String part : List.of("subject", "body")) {
            document.root().path(part).fieldNames().forEachRemaining(language ->
                    Placeholders.check(document, YamlDocument.pointer(part, language), scope,
                            "the " + part + " (" + language + ")", problems));
        }
    }

    static MailTemplate build(YamlDocument document) {
        JsonNode root = document.root();
        return new MailTemplate(root.path("name").asText(), ProcessBuilder.text(root.path("subject")),
                ProcessBuilder.text(root.path("body")),
                root.hasNonNull("languageField") ? root.path("languageField").asText() : null,
                location(document));
    }

    private static SourceLocation location(YamlDocument document) {
        var node = document.at(YamlDocument.pointer("name")).value();
        return node == null ? new SourceLocation(document.fileName(), 1, 1) : EntityBuilder.location(document.fileName(), node);
    }

    /** Pass 2: the templates by name in load order; problems for duplicates and fields the users lack. */
    static Map<String, MailTemplate> resolve(List<ParsedTemplate> parsed, Problems problems) {
        Map<String, ParsedTemplate> byName = new LinkedHashMap<>();
        for (ParsedTemplate template : parsed) {
            ParsedTemplate first = byName.putIfAbsent(template.definition().name(), template);
            if (first != null) {
                problems.add(template.document().fileName(), template.document().at(YamlDocument.pointer("name")).value(),
                        ProblemCode.DUPLICATE_TEMPLATE,
                        "Template " + q(template.definition().name()) + " is defined twice: here and in "
                                + first.definition().source() + ".",
                        "remove or rename one of the two definitions; a template name must be unique across all "
                                + "metadata directories.");
            }
        }
        Map<String, MailTemplate> templates = new LinkedHashMap<>();
        byName.forEach((name, template) -> templates.put(name, template.definition()));
        return templates;
    }

    /**
     * Checks the templates against the entities whose processes send them. Runs after the processes are
     * resolved, as only they tell which entity a template is rendered for.
     */
    static void checkUses(List<ParsedTemplate> parsed, Map<String, List<ProcessResolver.TemplateUse>> uses,
                          Problems problems) {
        Map<String, ParsedTemplate> byName = new LinkedHashMap<>();
        parsed.forEach(t -> byName.putIfAbsent(t.definition().name(), t));
        uses.forEach((name, users) -> {
            ParsedTemplate template = byName.get(name);
            if (template == null) {
                return;
            }
            for (ProcessResolver.TemplateUse use : users) {
                EntityDefinition entity = use.entity();
                String owner = "entity " + q(entity.name()) + " (sent by process " + q(use.process().definition().name()) + ")";
                checkTexts(template.document(), Placeholders.processScope(ProcessResolver.fieldNames(entity), owner), problems);
                checkLanguageField(template, entity, owner, problems);
            }
        });
    }

    private static void checkLanguageField(ParsedTemplate template, EntityDefinition entity, String owner,
                                           Problems problems) {
        String languageField = template.definition().languageField();
        if (languageField == null) {
            return;
        }
        var at = template.document().at(YamlDocument.pointer("languageField")).value();
        List<String> candidates = entity.fields().stream().filter(f -> LANGUAGE_TYPES.contains(f.type()))
                .map(FieldDefinition::name).toList();
        Optional<FieldDefinition> field = entity.field(languageField);
        if (field.isEmpty()) {
            problems.add(template.document().fileName(), at, ProblemCode.UNKNOWN_FIELD,
                    "The language field " + q(languageField) + " is not a field of " + owner + ".",
                    Suggestions.didYouMean(languageField, candidates) + "add a choice field " + q(languageField)
                            + " with the options de and en to " + q(entity.name()) + ", or remove 'languageField' to "
                            + "send in the platform's default language.");
        } else if (!LANGUAGE_TYPES.contains(field.get().type())) {
            problems.add(template.document().fileName(), at, ProblemCode.FIELD_TYPE_MISMATCH,
                    "The language field " + q(languageField) + " of " + owner + " has type "
                            + field.get().type().yamlName() + ", but must hold a language code such as de or en.",
                    "use a choice (or text) field with the values de, en"
                            + (candidates.isEmpty() ? "." : ": " + String.join(", ", candidates) + "."));
        }
    }
}
