package io.relata.rules;

import io.relata.api.model.SourceLocation;
import io.relata.api.rules.RuleDefinition;
import org.graalvm.polyglot.Source;
import org.graalvm.polyglot.SourceSection;

/**
 * A rule's source wrapped into a strict-mode function and named after the file it lives in. The wrapper's
 * prefix sits on the script's first line, so script line L is file line {@code start.line() + L - 1}, and
 * only first-line columns shift (by the prefix and by {@code start.column()}).
 */
final class RuleScript {

    static final String PARAMETERS = "record, previous, user, today, lookup, addDays, daysBetween, related";
    private static final String FUNCTION = "(function (" + PARAMETERS + ") {'use strict'; ";

    private final RuleDefinition rule;
    private final Source source;
    private final int prefixLength;
    /** Index of the rule's function in each Context's function table. */
    private final int id;

    private RuleScript(RuleDefinition rule, Source source, int prefixLength, int id) {
        this.rule = rule;
        this.source = source;
        this.prefixLength = prefixLength;
        this.id = id;
    }

    /** @param id a number unique among the scripts of one engine (index into each Context's function table) */
    static RuleScript of(RuleDefinition rule, int id) {
        String body = rule.source() == null ? "" : rule.source();
        String prefix;
        String wrapped;
        if (rule.isExpression()) {
            prefix = FUNCTION + "return (";
            wrapped = prefix + stripTrailingSemicolons(body) + "\n);})";
        } else {
            prefix = FUNCTION;
            wrapped = prefix + body + "\n})";
        }
        String name = rule.sourceName() == null ? rule.name() + ".js" : rule.sourceName();
        Source source = Source.newBuilder("js", wrapped, name).buildLiteral();
        return new RuleScript(rule, source, prefix.length(), id);
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
}
