package io.relata.process.dialog;

import io.relata.api.model.EntityDefinition;
import io.relata.api.model.FieldDefinition;
import io.relata.api.model.FieldType;
import io.relata.api.model.LocalizedText;
import io.relata.api.record.RecordLink;
import io.relata.api.process.DialogDefinition;
import io.relata.api.process.DialogFinish;
import io.relata.process.Templates;
import java.math.BigDecimal;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The values of the records a dialog creates on finish: literals, or text with {@code {{record.x}}} and
 * {@code {{dialog.y}}} placeholders (Mustache, without HTML escaping: these are field values, not HTML). A
 * value that is exactly one placeholder takes the typed value itself, so {@code '{{record.id}}'} gives a
 * reference field the number and {@code '{{record.close_date}}'} a date field the date; in a record-link field
 * {@code '{{record.id}}'} links the new record to the dialog's record, whatever its entity.
 */
final class FinishValues {

    private static final Pattern PLACEHOLDER = Pattern.compile("\\{\\{\\{?\\s*([^{}]*?)\\s*}?}}");
    private static final Pattern SINGLE = Pattern.compile("\\s*\\{\\{\\s*(record|dialog)\\.([a-z][a-z0-9_]*)\\s*}}\\s*");

    private FinishValues() {
    }

    /**
     * The placeholders of {@code create} that name nothing: a field the record's entity does not have, a
     * field the dialog does not ask, or something other than {@code record.*} and {@code dialog.*}.
     */
    static List<String> unknownPlaceholders(DialogFinish.CreateRecord create, EntityDefinition entity,
                                            Set<String> dialogFields) {
        List<String> unknown = new ArrayList<>();
        List<String> texts = new ArrayList<>();
        for (Object value : create.values().values()) {
            if (value instanceof String text) {
                texts.add(text);
            } else if (value instanceof LocalizedText localized) {
                texts.addAll(localized.values().values());
            }
        }
        for (String text : texts) {
            Matcher matcher = PLACEHOLDER.matcher(text);
            while (matcher.find()) {
                String tag = matcher.group(1);
                // sections ({{#record.x}}…{{/record.x}}, {{^…}}) name a value like plain placeholders
                String name = tag.replaceFirst("^[#^/]\\s*", "");
                if (name.startsWith("!")) {
                    continue; // a comment
                }
                int dot = name.indexOf('.');
                String scope = dot < 0 ? name : name.substring(0, dot);
                String field = dot < 0 ? "" : name.substring(dot + 1);
                boolean known = switch (scope) {
                    case "record" -> field.equals("id") || entity.field(field).isPresent();
                    case "dialog" -> dialogFields.contains(field);
                    default -> false;
                };
                if (!known) {
                    unknown.add("{{" + tag + "}}");
                }
            }
        }
        return unknown;
    }

    /**
     * The values for {@code create}, placeholders filled in, in {@code language}: a value given per language
     * takes that language's text, and a placeholder of a choice or yes/no field gives its label, as the user
     * reads it on the form.
     *
     * @param created the entity of the record to create (for its record-link fields), or null
     * @param answers the dialog's record after the finish's update (with {@code id}) and every field the dialog
     *                asks, with its answer
     */
    static Map<String, Object> resolve(DialogDefinition definition, DialogFinish.CreateRecord create,
                                       EntityDefinition created, Answers answers, String language) {
        Map<String, Object> typed = Map.of("record", answers.record(), "dialog", answers.dialog());
        Map<String, Object> texts = Map.of("record", asTexts(answers.record(), answers.recordFields(), language),
                "dialog", asTexts(answers.dialog(), answers.dialogFields(), language));
        Map<String, Object> values = new LinkedHashMap<>();
        for (Map.Entry<String, Object> entry : create.values().entrySet()) {
            Object value = entry.getValue();
            if (value instanceof LocalizedText localized) {
                value = localized.in(language);
            }
            if (value instanceof String text && text.contains("{{")) {
                Matcher single = SINGLE.matcher(text);
                if (single.matches()) {
                    @SuppressWarnings("unchecked")
                    Map<String, Object> scope = (Map<String, Object>) typed.get(single.group(1));
                    value = scope.get(single.group(2));
                    boolean link = created != null && created.field(entry.getKey())
                            .filter(f -> f.type() == FieldType.RECORD_LINK).isPresent();
                    if (link && value instanceof Long id && single.group(1).equals("record")
                            && single.group(2).equals("id")) {
                        value = new RecordLink(definition.entity(), id);
                    }
                } else {
                    value = render(definition, create, entry.getKey(), text, texts);
                }
            }
            values.put(entry.getKey(), value);
        }
        return values;
    }

    private static String render(DialogDefinition definition, DialogFinish.CreateRecord create, String field,
                                 String template, Map<String, Object> scope) {
        try {
            return Templates.render(definition.name() + ".finish.create." + create.entity() + "." + field, template,
                    scope);
        } catch (IllegalArgumentException e) {
            String detail = e.getCause() != null ? e.getCause().getMessage() : e.getMessage();
            throw DialogException.brokenDefinition(definition, "The value of '" + field
                    + "' for the new " + create.entity() + " in dialog '" + definition.name() + "' ("
                    + where(create) + ") is not a valid template: " + detail
                    + ". Write placeholders as {{record.field}} or {{dialog.field}}.");
        }
    }

    private static String where(DialogFinish.CreateRecord create) {
        return create.source() == null ? "finish" : create.source().toString();
    }

    /**
     * The dialog's record and answers, with the definitions of their fields (where known) to write choices as
     * their labels.
     */
    record Answers(Map<String, Object> record, Map<String, FieldDefinition> recordFields,
                   Map<String, Object> dialog, Map<String, FieldDefinition> dialogFields) {
    }

    /**
     * Values as people read them in a text: choices by their label, yes/no as words, numbers without exponent,
     * lists comma-separated, no value empty.
     */
    private static Map<String, Object> asTexts(Map<String, Object> values, Map<String, FieldDefinition> fields,
                                               String language) {
        Map<String, Object> texts = new LinkedHashMap<>();
        values.forEach((name, value) -> texts.put(name, text(value, fields.get(name), language)));
        return texts;
    }

    private static String text(Object value, FieldDefinition field, String language) {
        if (value == null) {
            return "";
        }
        if (field != null && field.type() == FieldType.CHOICE) {
            return label(field, value, language);
        }
        if (field != null && field.type() == FieldType.MULTI_CHOICE && value instanceof Collection<?> list) {
            return list.stream().map(v -> label(field, v, language)).collect(Collectors.joining(", "));
        }
        if (field != null && field.type() == FieldType.BOOLEAN && value instanceof Boolean yes) {
            return (yes ? LocalizedText.of("ja", "yes") : LocalizedText.of("nein", "no")).in(language);
        }
        return text(value);
    }

    private static String label(FieldDefinition field, Object value, String language) {
        return field.option(String.valueOf(value)).map(o -> o.label().in(language)).orElse(String.valueOf(value));
    }

    private static String text(Object value) {
        if (value == null) {
            return "";
        }
        if (value instanceof BigDecimal decimal) {
            return decimal.toPlainString();
        }
        if (value instanceof OffsetDateTime time) {
            return time.format(DateTimeFormatter.ISO_OFFSET_DATE_TIME);
        }
        if (value instanceof Collection<?> list) {
            return list.stream().map(String::valueOf).collect(Collectors.joining(", "));
        }
        return value.toString();
    }
}
