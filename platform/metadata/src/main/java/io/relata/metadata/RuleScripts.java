package io.relata.metadata;

import static io.relata.metadata.Problems.q;

import com.fasterxml.jackson.databind.JsonNode;
import io.relata.api.model.SourceLocation;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.snakeyaml.engine.v2.exceptions.Mark;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.ScalarNode;

/**
 * The JavaScript of rules: scripts written inline in an entity, process or dialog file, or in a {@code .js}
 * file next to it ({@code {file: lead.score.js}}). For each script it knows the file it lives in and where its text starts,
 * so that the rules engine can map a script's line and column back to the file an admin edits: line N of
 * the script is line {@code start.line + N - 1} of that file.
 *
 * <p>Where the text starts: a plain scalar at its first character; a quoted one just after the opening
 * quote; a block scalar ({@code |} or {@code >}) on the line after its header, at the block's indentation
 * (so for {@code |} every script line keeps its column offset); a {@code .js} file at 1:1.
 */
final class RuleScripts {

    /** A script as found: its text, the display name of its file, and where the text starts there. */
    record Script(String source, String sourceName, SourceLocation start) {
    }

    /** The header of a block scalar: {@code |} or {@code >}, then chomping and indentation indicators. */
    private static final Pattern BLOCK_HEADER = Pattern.compile("[|>]([+-]?)([1-9]?)([+-]?)");

    private final Map<String, String> files;

    private RuleScripts(Map<String, String> files) {
        this.files = files;
    }

    /** The {@code .js} files among the given files, by display name. */
    static RuleScripts of(List<MetadataFile> files) {
        Map<String, String> scripts = new LinkedHashMap<>();
        files.stream().filter(MetadataFile::isScript).forEach(f -> scripts.put(f.displayName(), f.content()));
        return new RuleScripts(scripts);
    }

    /**
     * The display name of a script file named in an entity file: the same folder, e.g. {@code lead.score.js}
     * in {@code metadata/entities/lead.yaml} is {@code metadata/entities/lead.score.js}.
     */
    static String resolve(String entityFile, String scriptFile) {
        String normalized = entityFile.replace('\\', '/');
        int slash = normalized.lastIndexOf('/');
        return (slash < 0 ? "" : normalized.substring(0, slash + 1)) + scriptFile;
    }

    /** The content of a script file by display name, if it was read. */
    Optional<String> content(String displayName) {
        return Optional.ofNullable(files.get(displayName));
    }

    /** The file names (without folder) of the scripts in the folder of the given entity file. */
    List<String> namesNextTo(String entityFile) {
        String folder = resolve(entityFile, "");
        return files.keySet().stream().filter(n -> n.startsWith(folder) && n.indexOf('/', folder.length()) < 0)
                .map(n -> n.substring(folder.length())).toList();
    }

    /**
     * The script at a JSON pointer of an entity document (the value of {@code computed}, {@code validation},
     * …): inline text, a number or true/false as written, or the content of the {@code file:} it names.
     * Empty if the value is no script (null, a list, a mapping without a text {@code file}) or the file
     * does not exist; {@link EntityRuleChecks} reports those.
     */
    Optional<Script> at(YamlDocument document, String pointer) {
        JsonNode value = document.root().at(pointer);
        YamlDocument.Located located = document.at(pointer);
        if (value.isObject()) {
            JsonNode file = value.path("file");
            if (!file.isTextual()) {
                return Optional.empty();
            }
            String name = resolve(document.fileName(), file.asText());
            return content(name).map(text -> new Script(text, name, new SourceLocation(name, 1, 1)));
        }
        if (value.isValueNode() && !value.isNull() && located.value() instanceof ScalarNode scalar) {
            return Optional.of(new Script(scalar.getValue(), document.fileName(),
                    start(document.fileName(), document.file().content(), scalar, located.key())));
        }
        return Optional.empty();
    }

    /**
     * Reports a script at a JSON pointer that cannot run: a {@code file:} that does not exist next to the
     * document ({@link ProblemCode#RULE_FILE_MISSING}) or is empty, or an inline script that is null or blank
     * ({@link ProblemCode#EMPTY_RULE}). Other shapes are left to the schema.
     *
     * @param rule the rule's name for messages, e.g. {@code loss_reason.visibleWhen}
     */
    void check(YamlDocument document, String rule, String pointer, Problems problems) {
        JsonNode value = document.root().at(pointer);
        if (value.isObject()) {
            JsonNode file = value.path("file");
            if (!file.isTextual()) {
                return;
            }
            String name = resolve(document.fileName(), file.asText());
            Optional<String> content = content(name);
            if (content.isEmpty()) {
                List<String> nextTo = namesNextTo(document.fileName());
                problems.add(document.fileName(), document.at(pointer + "/file").value(), ProblemCode.RULE_FILE_MISSING,
                        "Rule " + q(rule) + " refers to the script file " + q(file.asText()) + ", which does not exist "
                                + "(looked for " + name + ").",
                        Suggestions.didYouMean(file.asText(), nextTo) + "create " + q(file.asText()) + " in the folder "
                                + "of " + q(document.file().baseName() + ".yaml") + " or correct the name"
                                + (nextTo.isEmpty() ? "." : "; script files there: " + String.join(", ", nextTo) + "."));
            } else if (content.get().isBlank()) {
                problems.add(document.fileName(), document.at(pointer + "/file").value(), ProblemCode.EMPTY_RULE,
                        "Rule " + q(rule) + " refers to the script file " + q(file.asText()) + ", which is empty.",
                        "write the script into " + name + ", or remove the rule.");
            }
        } else if (value.isNull() || (value.isTextual() && value.asText().isBlank())) {
            YamlDocument.Located located = document.at(pointer);
            problems.add(document.fileName(), value.isNull() ? located.entry() : located.value(), ProblemCode.EMPTY_RULE,
                    "Rule " + q(rule) + " has no script.",
                    "write the JavaScript after the key, e.g. " + example(pointer) + ", or remove the key.");
        }
    }

    private static String example(String pointer) {
        String key = pointer.substring(pointer.lastIndexOf('/') + 1);
        return switch (key) {
            case "computed" -> "computed: \"record.amount * 2\"";
            case "default" -> "default: \"addDays(today, 30)\"";
            case "validation" -> "validation: \"record.amount >= 0 || 'The amount must not be negative'\"";
            case "score" -> "score: {file: lead.score.js}";
            case "guard" -> "guard: \"record.amount > 0 || 'A proposal needs an amount'\"";
            case "when" -> "when: \"record.meeting_at != null\"";
            case "appliesWhen" -> "appliesWhen: \"record.product_line == 'insurance'\"";
            default -> key + ": \"record.amount > 0\"";
        };
    }

    /**
     * Where a position of a script (1-based line and column in its text) is in the file that holds it: line L is
     * file line {@code start.line + L - 1}; columns shift by the start's column, which holds for one-line scripts,
     * {@code .js} files (start 1:1) and literal blocks ({@code |}, every line at the block's indentation). In a
     * folded or multi-line plain scalar, where YAML joins lines, later lines are approximate.
     */
    static SourceLocation position(SourceLocation start, int line, int column) {
        if (start == null) {
            return new SourceLocation("", line, column);
        }
        return new SourceLocation(start.file(), start.line() + line - 1, Math.max(1, start.column()) + column - 1);
    }

    /**
     * Where the text of an inline script starts in its YAML file (1-based line and column).
     *
     * @param key the mapping key the scalar is the value of; needed for block scalars with an explicit
     *            indentation indicator ({@code |2}), whose indentation counts from the key's column
     */
    static SourceLocation start(String file, String content, ScalarNode scalar, Node key) {
        Mark mark = scalar.getStartMark().orElse(null);
        if (mark == null) {
            return new SourceLocation(file, 1, 1);
        }
        return switch (scalar.getScalarStyle()) {
            case SINGLE_QUOTED, DOUBLE_QUOTED -> new SourceLocation(file, mark.getLine() + 1, mark.getColumn() + 2);
            case LITERAL, FOLDED -> blockStart(file, content, mark, key);
            default -> new SourceLocation(file, mark.getLine() + 1, mark.getColumn() + 1);
        };
    }

    /**
     * A block scalar's text starts on the line after its header. Its indentation is given by the header
     * ({@code |2}: the key's column plus 2) or else by the first line that is not blank, as YAML defines.
     */
    private static SourceLocation blockStart(String file, String content, Mark header, Node key) {
        List<String> lines = content.lines().toList();
        int headerLine = header.getLine();
        String headerText = headerLine < lines.size() ? lines.get(headerLine) : "";
        Matcher indicators = BLOCK_HEADER.matcher(headerText);
        int explicit = 0;
        if (header.getColumn() < headerText.length()
                && indicators.region(header.getColumn(), headerText.length()).lookingAt()
                && !indicators.group(2).isEmpty()) {
            explicit = Integer.parseInt(indicators.group(2));
        }
        int indent;
        if (explicit > 0) {
            int parent = key == null ? 0 : key.getStartMark().map(Mark::getColumn).orElse(0);
            indent = parent + explicit;
        } else {
            indent = lines.stream().skip(headerLine + 1L).filter(l -> !l.isBlank()).findFirst()
                    .map(RuleScripts::leadingSpaces).orElse(0);
        }
        return new SourceLocation(file, headerLine + 2, indent + 1);
    }

    private static int leadingSpaces(String line) {
        int spaces = 0;
        while (spaces < line.length() && line.charAt(spaces) == ' ') {
            spaces++;
        }
        return spaces;
    }
}
