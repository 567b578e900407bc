package io.relata.rules;

import io.relata.api.model.SourceLocation;
import io.relata.api.rules.RuleDefinition;
import java.util.List;
import java.util.Map;
import org.graalvm.polyglot.Source;
import org.graalvm.polyglot.SourceSection;

/**
 * A rule's source wrapped into a strict-mode function and named after the file it lives in. The wrapper's
 * prefix sits on the script's first line, so script line L is file line {@code start.line() + L - 1}, and
 * only first-line columns shift (by the prefix and by {@code start.column()}).
 */
final class RuleScript {

    static final String PARAMETERS = "record, previous, user, today, lookup, addDays, daysBetween, related, decimal";
    private static final String FUNCTION = "(function (" + PARAMETERS + ") {'use strict'; ";

    private final RuleDefinition rule;
    private final Source source;
    private final int prefixLength;
    /** Index of the rule's function in each Context's function table. */
    private final int id;
    /** The host functions the rule's text names: namespace → function names, in the order of the outer parameters. */
    private final Map<String, List<String>> namespaces;
    /** With namespaces: where the inner (rule) function starts and ends in the source. */
    private final int innerStart;
    private final int innerEnd;

    private RuleScript(RuleDefinition rule, Source source, int prefixLength, int id, Map<String, List<String>> namespaces,
                       int innerStart, int innerEnd) {
        this.rule = rule;
        this.source = source;
        this.prefixLength = prefixLength;
        this.id = id;
        this.namespaces = namespaces;
        this.innerStart = innerStart;
        this.innerEnd = innerEnd;
    }

    /** @param id a number unique among the scripts of one engine (index into each Context's function table) */
    static RuleScript of(RuleDefinition rule, int id) {
        return of(rule, id, Map.of());
    }

    /**
     * @param namespaces the host functions the rule names ({@link #namedIn}): the rule function is then wrapped once
     *                   more, in a function whose parameters are the namespaces, called once per Context with them
     */
    static RuleScript of(RuleDefinition rule, int id, Map<String, List<String>> namespaces) {
        String body = rule.source() == null ? "" : rule.source();
        String outer = namespaces.isEmpty() ? ""
                : "(function (" + String.join(", ", namespaces.keySet()) + ") {'use strict'; return ";
        String prefix;
        String wrapped;
        if (rule.isExpression()) {
            prefix = outer + FUNCTION + "return (";
            wrapped = prefix + stripTrailingSemicolons(body) + "\n);})";
        } else {
            prefix = outer + FUNCTION;
            wrapped = prefix + body + "\n})";
        }
        int innerStart = outer.length() + 1;
        int innerEnd = wrapped.length() - 1;
        if (!namespaces.isEmpty()) {
            wrapped = wrapped + "; })";
        }
        String name = rule.sourceName() == null ? rule.name() + ".js" : rule.sourceName();
        Source source = Source.newBuilder("js", wrapped, name).buildLiteral();
        return new RuleScript(rule, source, prefix.length(), id, namespaces, innerStart, innerEnd);
    }

    /**
     * The namespaces of {@code available} that {@code rule}'s text names as an identifier followed by a dot
     * ({@code insurance.premium(…)}), with their functions; sorted by name.
     */
    static Map<String, List<String>> namedIn(RuleDefinition rule, Map<String, List<String>> available) {
        if (available.isEmpty() || rule.source() == null) {
            return Map.of();
        }
        Map<String, List<String>> named = new java.util.TreeMap<>();
        for (Map.Entry<String, List<String>> namespace : available.entrySet()) {
            var use = java.util.regex.Pattern.compile("(?<![\\w$.])" + java.util.regex.Pattern.quote(namespace.getKey())
                    + "\\s*\\.").matcher(rule.source());
            if (use.find()) {
                named.put(namespace.getKey(), List.copyOf(namespace.getValue()));
            }
        }
        return java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(named));
    }

    /** The host function namespaces the script's outer function takes, in parameter order (empty: no outer function). */
    Map<String, List<String>> namespaces() {
        return namespaces;
    }

    private static String stripTrailingSemicolons(String expression) {
        int end = expression.length();
        while (end > 0 && (Character.isWhitespace(expression.charAt(end - 1)) || expression.charAt(end - 1) == ';')) {
            end--;
        }
        return expression.substring(0, end);
    }

    RuleDefinition rule() {
        return rule;
    }

    Source source() {
        return source;
    }

    int id() {
        return id;
    }

    /** Where the rule starts in its file. */
    SourceLocation start() {
        SourceLocation start = rule.start();
        if (start == null || start.line() <= 0) {
            return new SourceLocation(source.getName(), 1, 1);
        }
        return new SourceLocation(source.getName(), start.line(), Math.max(1, start.column()));
    }

    /** Maps a position in the wrapped script (1-based line and column) back to the rule's file. */
    SourceLocation map(int scriptLine, int scriptColumn) {
        SourceLocation start = start();
        if (scriptLine <= 1) {
            int column = Math.max(1, scriptColumn - prefixLength);
            return new SourceLocation(start.file(), start.line(), start.column() + column - 1);
        }
        return new SourceLocation(start.file(), start.line() + scriptLine - 1, Math.max(1, scriptColumn));
    }

    /**
     * Whether {@code section} (where the function the script evaluated to was defined) is the whole wrapper
     * function: from just after the opening parenthesis to just before the closing one. It is not when the rule's
     * text closes the wrapper early ({@code return 1}); let seen = []; (function () {...}), which would run
     * statements at the top level of the Context and could keep state there from one evaluation to the next.
     */
    boolean isWholeFunction(SourceSection section) {
        return section != null && section.isAvailable() && source.equals(section.getSource())
                && section.getCharIndex() == innerStart && section.getCharEndIndex() == innerEnd;
    }

    /** With namespaces: whether {@code section} is the whole outer function (see {@link #isWholeFunction}). */
    boolean isWholeOuterFunction(SourceSection section) {
        return section != null && section.isAvailable() && source.equals(section.getSource())
                && section.getCharIndex() == 1 && section.getCharEndIndex() == source.getLength() - 1;
    }

    /** Maps a section of this script back to the rule's file; null if the section is not in this script. */
    SourceLocation map(SourceSection section) {
        if (section == null || !section.isAvailable() || !source.equals(section.getSource())) {
            return null;
        }
        int line = section.getStartLine();
        int column = section.hasColumns() ? section.getStartColumn() : 1;
        int lastLine = source.getLineCount();
        if (line >= lastLine) {
            // the wrapper's closing line: point at the end of the rule's last line instead
            line = Math.max(1, lastLine - 1);
            column = source.getLineLength(line) + 1;
        }
        return map(line, column);
    }

    /**
     * Where the rule's own text assigns to the property {@code name} ({@code record.name = …},
     * {@code record['name'] += …}): for the TypeError of an assignment to the read-only record, which GraalJS
     * reports without a position. The first such place outside comments and strings; null if there is none.
     */
    SourceLocation assignment(String name) {
        String body = rule.source() == null ? "" : rule.source();
        String code = codeOnly(body);
        String quoted = java.util.regex.Pattern.quote(name);
        var matcher = java.util.regex.Pattern.compile("(?:\\.\\s*" + quoted + "|\\[\\s*['\"]" + quoted
                + "['\"]\\s*\\])\\s*(?:[-+*/%&|^]|\\*\\*|<<|>>>?|&&|\\|\\||\\?\\?)?=(?!=)|(?:\\+\\+|--)\\s*\\w+\\s*\\.\\s*"
                + quoted + "\\b|\\.\\s*" + quoted + "\\s*(?:\\+\\+|--)").matcher(body);
        int at = -1;
        while (matcher.find()) {
            if (code.charAt(matcher.start()) == body.charAt(matcher.start())) { // not in a comment or a string
                at = matcher.start();
                break;
            }
        }
        if (at < 0) {
            return null;
        }
        // the statement starts at the object the property belongs to: back over the name before the '.'
        while (at > 0 && (Character.isJavaIdentifierPart(code.charAt(at - 1)))) {
            at--;
        }
        return at(body, at);
    }

    /**
     * Where the rule's text returns the value {@code shown} (a result of the wrong kind, which has no position of
     * its own): the first {@code return} whose statement contains it, else the last {@code return}; null for an
     * expression rule, whose start is the place.
     */
    SourceLocation returning(String shown) {
        String body = rule.source() == null ? "" : rule.source();
        String code = codeOnly(body);
        var returns = java.util.regex.Pattern.compile("\\breturn\\b").matcher(code);
        int last = -1;
        while (returns.find()) {
            last = returns.start();
            int end = code.indexOf(';', last);
            int newline = code.indexOf('\n', last);
            end = end < 0 ? body.length() : newline >= 0 ? Math.min(end, newline) : end;
            if (shown != null && !shown.isEmpty() && body.substring(last, end).contains(shown)) {
                return at(body, last);
            }
        }
        return last < 0 ? null : at(body, last);
    }

    /** The file position of an index into the rule's text. */
    private SourceLocation at(String body, int index) {
        int line = 1;
        int lineStart = 0;
        for (int i = 0; i < index; i++) {
            if (body.charAt(i) == '\n') {
                line++;
                lineStart = i + 1;
            }
        }
        int column = index - lineStart + 1;
        return map(line, line == 1 ? prefixLength + column : column);
    }

    /** The text with comments and the contents of strings blanked out (same length, newlines kept). */
    private static String codeOnly(String text) {
        StringBuilder code = new StringBuilder(text);
        int i = 0;
        while (i < text.length()) {
            char c = text.charAt(i);
            if (c == '/' && i + 1 < text.length() && text.charAt(i + 1) == '/') {
                while (i < text.length() && text.charAt(i) != '\n') {
                    code.setCharAt(i++, ' ');
                }
            } else if (c == '/' && i + 1 < text.length() && text.charAt(i + 1) == '*') {
                int end = text.indexOf("*/", i + 2);
                end = end < 0 ? text.length() : end + 2;
                for (; i < end; i++) {
                    if (text.charAt(i) != '\n') {
                        code.setCharAt(i, ' ');
                    }
                }
            } else if (c == '\'' || c == '"' || c == '`') {
                i++;
                while (i < text.length() && text.charAt(i) != c) {
                    if (text.charAt(i) == '\\' && i + 1 < text.length()) {
                        code.setCharAt(i++, ' ');
                    }
                    if (text.charAt(i) != '\n') {
                        code.setCharAt(i, ' ');
                    }
                    i++;
                }
                i++;
            } else {
                i++;
            }
        }
        return code.toString();
    }
}
