package io.relata.metadata;

import static io.relata.metadata.Problems.q;

import com.fasterxml.jackson.databind.JsonNode;
import io.relata.api.model.SourceLocation;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.snakeyaml.engine.v2.common.ScalarStyle;
import org.snakeyaml.engine.v2.nodes.ScalarNode;

/**
 * The Mustache placeholders of mail templates, to-do subjects and the values of records a dialog creates:
 * {@code {{record.name}}}, sections {@code {{#record.x}}…{{/record.x}}} and inverted sections
 * {@code {{^record.x}}…{{/record.x}}}, unescaped {@code {{{x}}}} and {@code {{&x}}}, comments
 * {@code {{! …}}}. Partials and delimiter changes are not supported. Names are always written in full from
 * a known root ({@code record}, {@code process}, …), also inside sections, so that they can be checked here.
 */
final class Placeholders {

    /** One tag: its kind ({@code ' '} for a plain value, else {@code # ^ / & ! {}), name and offset in the text. */
    record Tag(char kind, String name, int offset) {
    }

    /** What is wrong at an offset of the text. */
    record SyntaxError(int offset, String message, String fix) {
    }

    /**
     * The tags of a text, its syntax errors and its style notes: placeholders that render, but not as their
     * spelling suggests (warnings, {@link ProblemCode#PLACEHOLDER_STYLE}).
     */
    record Parsed(List<Tag> tags, List<SyntaxError> errors, List<SyntaxError> notes) {
    }

    /**
     * The values a text may name: root → allowed keys (null: any key), e.g. {@code record} → the entity's
     * fields; {@code owner} names what the record fields belong to in messages ("entity 'lead'").
     */
    record Scope(Map<String, Collection<String>> roots, String owner) {

        Scope with(String root, Collection<String> keys) {
            Map<String, Collection<String>> more = new LinkedHashMap<>(roots);
            more.put(root, keys);
            return new Scope(more, owner);
        }
    }

    /** Fields every record has besides those of its entity. */
    static final List<String> SYSTEM_FIELDS = List.of("id", "version", "created_at", "updated_at", "owner_user", "owner_team");

    private static final Pattern NAME = Pattern.compile("[a-z_][a-z0-9_]*(\\.[a-z0-9_]+)*|\\.");

    private Placeholders() {
    }

    static boolean hasAny(String text) {
        return text.contains("{{") || text.contains("}}");
    }

    static Parsed parse(String text) {
        List<Tag> tags = new ArrayList<>();
        List<SyntaxError> errors = new ArrayList<>();
        List<SyntaxError> notes = new ArrayList<>();
        Deque<Tag> open = new ArrayDeque<>();
        int at = 0;
        while (at < text.length()) {
            int start = text.indexOf("{{", at);
            int stray = text.indexOf("}}", at);
            if (stray >= 0 && (start < 0 || stray < start)) {
                errors.add(new SyntaxError(stray, "'}}' closes a placeholder that was never opened with '{{'.",
                        "write the placeholder as {{record.<field>}}, or remove the '}}'."));
                at = stray + 2;
                continue;
            }
            if (start < 0) {
                break;
            }
            boolean triple = text.startsWith("{{{", start);
            String close = triple ? "}}}" : "}}";
            int end = text.indexOf(close, start + close.length());
            int nextOpen = text.indexOf("{{", start + 2 + (triple ? 1 : 0));
            if (end < 0 || (nextOpen >= 0 && nextOpen < end)) {
                errors.add(new SyntaxError(start, "The placeholder starting here is not closed with " + q(close) + ".",
                        "close it, e.g. {{record.name}}."));
                at = start + 2;
                continue;
            }
            String raw = text.substring(start + close.length(), end);
            String inner = raw.trim();
            at = end + close.length();
            if (at < text.length() && text.charAt(at) == '}' && !text.startsWith("}}", at)) {
                errors.add(new SyntaxError(at, "Placeholder " + q(text.substring(start, at + 1)) + " ends with one '}' "
                        + "more than it starts with: the extra '}' is printed as text.",
                        "remove the extra '}': " + text.substring(start, at) + "."));
                at++;
            }
            if (!triple && !raw.isEmpty() && Character.isWhitespace(raw.charAt(0)) && inner.startsWith("&")) {
                errors.add(new SyntaxError(start + close.length() + raw.indexOf('&'), "Placeholder "
                        + q(text.substring(start, at)) + " has a space before '&', so Mustache does not read the '&' and "
                        + "the placeholder renders nothing.", "write " + q("{{" + inner.substring(1).trim() + "}}")
                        + ": texts here are never HTML-escaped, so no '&' is needed."));
                continue;
            }
            char kind = triple ? '{' : inner.isEmpty() ? ' ' : inner.charAt(0);
            if ("#^/&!>=".indexOf(kind) >= 0 && !triple) {
                inner = inner.substring(1).trim();
            } else if (!triple) {
                kind = ' ';
            }
            if (kind == '!') {
                continue;
            }
            if (kind == '>' || kind == '=') {
                errors.add(new SyntaxError(start, (kind == '>' ? "Partials ({{> name}})" : "Changing delimiters ({{=…=}})")
                        + " are not supported.", "write the text out, with placeholders such as {{record.name}}."));
                continue;
            }
            String spaceless = inner.replaceAll("\\s*\\.\\s*", ".").replaceAll("\\s+", "_");
            if (!NAME.matcher(inner).matches() && !spaceless.equals(inner) && NAME.matcher(spaceless).matches()) {
                int name = start + close.length() + raw.indexOf(inner);
                int space = 0;
                while (!Character.isWhitespace(inner.charAt(space))) {
                    space++;
                }
                String sigil = kind == ' ' || kind == '{' ? "" : String.valueOf(kind);
                errors.add(new SyntaxError(name + space, "Placeholder " + q(text.substring(start, at))
                        + " has a space inside its name, so it names nothing and renders empty.",
                        "write the name without spaces, e.g. " + q(close.replace('}', '{') + sigil + spaceless + close)
                                + "."));
                continue;
            }
            if (!NAME.matcher(inner).matches()) {
                errors.add(new SyntaxError(start, "Placeholder " + q(text.substring(start, at)) + " does not name a value.",
                        "write a name such as {{record.name}} or {{settings.base_url}}: lower-case letters, digits and "
                                + "underscores, parts separated by dots."));
                continue;
            }
            Tag tag = new Tag(kind, inner, start);
            if (triple) {
                notes.add(new SyntaxError(start, "Placeholder " + q(text.substring(start, at)) + " uses three braces, "
                        + "which only turn off HTML escaping; texts here are never escaped, so it renders like "
                        + q("{{" + inner + "}}") + " (and, as the whole value of a record a dialog creates, as text "
                        + "rather than the typed value).", "write " + q("{{" + inner + "}}") + "."));
            }
            if (kind == '#' || kind == '^') {
                open.push(tag);
            } else if (kind == '/') {
                if (open.isEmpty()) {
                    errors.add(new SyntaxError(start, "{{/" + inner + "}} closes a section that was never opened.",
                            "open it before with {{#" + inner + "}}, or remove the closing tag."));
                    continue;
                }
                Tag opened = open.pop();
                if (!opened.name().equals(inner)) {
                    errors.add(new SyntaxError(start, "{{/" + inner + "}} closes a section, but the open section is {{"
                            + opened.kind() + opened.name() + "}}.", "close {{" + opened.kind() + opened.name()
                            + "}} with {{/" + opened.name() + "}} first."));
                    open.push(opened);
                }
                continue;
            } else if (inner.equals(".") && open.isEmpty()) {
                errors.add(new SyntaxError(start, "{{.}} stands for the current item of a section, but it is outside "
                        + "any section.", "use it between {{#record.<field>}} and {{/record.<field>}}, or name the value."));
                continue;
            }
            tags.add(tag);
        }
        for (Tag unclosed : open) {
            errors.add(new SyntaxError(unclosed.offset(), "Section {{" + unclosed.kind() + unclosed.name()
                    + "}} is never closed.", "add {{/" + unclosed.name() + "}} where the section ends."));
        }
        return new Parsed(tags, errors, notes);
    }

    /**
     * Checks the text at a JSON pointer (a scalar) for syntax and against a scope, adding a
     * {@link ProblemCode#PLACEHOLDER_INVALID} at the exact position of each bad placeholder.
     *
     * @param what the text's role for messages, e.g. "the subject of the to-do"
     */
    static void check(YamlDocument document, String pointer, Scope scope, String what, Problems problems) {
        JsonNode value = document.root().at(pointer);
        if (!value.isTextual() || !hasAny(value.asText())) {
            return;
        }
        String text = value.asText();
        Parsed parsed = parse(text);
        for (SyntaxError error : parsed.errors()) {
            add(document, pointer, error.offset(), "In " + what + ": " + error.message(), error.fix(), problems);
        }
        for (SyntaxError note : parsed.notes()) {
            SourceLocation at = position(document, pointer, note.offset());
            problems.warn(new MetadataProblem(at.file(), at.line(), at.column(), ProblemCode.PLACEHOLDER_STYLE,
                    "In " + what + ": " + note.message(), note.fix()));
        }
        if (scope == null) {
            return;
        }
        for (Tag tag : parsed.tags()) {
            if (tag.name().equals(".")) {
                continue;
            }
            String[] parts = tag.name().split("\\.");
            String root = parts[0];
            String written = "{{" + (tag.kind() == ' ' ? "" : tag.kind() == '{' ? "{" : String.valueOf(tag.kind()))
                    + tag.name() + (tag.kind() == '{' ? "}}}" : "}}");
            if (!scope.roots().containsKey(root)) {
                add(document, pointer, tag.offset(), "In " + what + ", placeholder " + q(written) + " starts with "
                                + q(root) + ", which is not one of: " + String.join(", ", scope.roots().keySet()) + ".",
                        Suggestions.didYouMean(root, scope.roots().keySet()) + "write the name in full, e.g. "
                                + example(scope) + ".", problems);
                continue;
            }
            Collection<String> keys = scope.roots().get(root);
            if (parts.length != 2) {
                add(document, pointer, tag.offset(), "In " + what + ", placeholder " + q(written) + " must name one "
                                + "value of " + q(root) + ", as in {{" + root + "." + (keys == null || keys.isEmpty()
                                ? "name" : keys.iterator().next()) + "}}.",
                        "write {{" + root + ".<name>}}" + (keys == null ? "." : " with one of: " + String.join(", ", keys)
                                + "."), problems);
                continue;
            }
            if (keys != null && !keys.contains(parts[1])) {
                boolean record = "record".equals(root);
                add(document, pointer, tag.offset(), "In " + what + ", placeholder " + q(written) + " names "
                                + (record ? "field " + q(parts[1]) + ", which " + scope.owner() + " does not have."
                                : q(parts[1]) + ", which " + q(root) + " does not offer."),
                        Suggestions.didYouMean(parts[1], keys) + "use one of: " + String.join(", ", keys) + ".", problems);
            }
        }
    }

    private static String example(Scope scope) {
        return scope.roots().containsKey("record") ? "{{record.id}}" : "{{" + scope.roots().keySet().iterator().next() + ".name}}";
    }

    private static void add(YamlDocument document, String pointer, int offset, String message, String fix,
                            Problems problems) {
        SourceLocation at = position(document, pointer, offset);
        problems.add(new MetadataProblem(at.file(), at.line(), at.column(), ProblemCode.PLACEHOLDER_INVALID, message, fix));
    }

    /**
     * Where an offset of a scalar's text lies in the file. Exact for one-line texts and literal blocks
     * ({@code |}); for texts that YAML folds from several lines, lines after the first are reported at the
     * start of the text.
     */
    static SourceLocation position(YamlDocument document, String pointer, int offset) {
        YamlDocument.Located located = document.at(pointer);
        if (!(located.value() instanceof ScalarNode scalar)) {
            return EntityBuilder.location(document.fileName(), located.entry());
        }
        SourceLocation start = RuleScripts.start(document.fileName(), document.file().content(), scalar, located.key());
        String text = scalar.getValue();
        int lineIndex = 0;
        int lineStart = 0;
        for (int i = 0; i < offset && i < text.length(); i++) {
            if (text.charAt(i) == '\n') {
                lineIndex++;
                lineStart = i + 1;
            }
        }
        if (lineIndex == 0) {
            return new SourceLocation(start.file(), start.line(), start.column() + offset);
        }
        if (scalar.getScalarStyle() == ScalarStyle.LITERAL) {
            return new SourceLocation(start.file(), start.line() + lineIndex, start.column() + offset - lineStart);
        }
        return start;
    }

    /**
     * The roots every text about a record of a process may use, with the record's fields; null fields when
     * the entity is not known yet (then any field is accepted).
     */
    static Scope processScope(Collection<String> recordFields, String owner) {
        Map<String, Collection<String>> roots = new LinkedHashMap<>();
        roots.put("record", recordFields == null ? null : withSystemFields(recordFields));
        roots.put("process", List.of("name", "label"));
        roots.put("phase", List.of("name", "label"));
        roots.put("settings", List.of("base_url"));
        return new Scope(roots, owner);
    }

    static List<String> withSystemFields(Collection<String> fields) {
        Set<String> all = new java.util.LinkedHashSet<>(fields);
        all.addAll(SYSTEM_FIELDS);
        return List.copyOf(all);
    }
}
