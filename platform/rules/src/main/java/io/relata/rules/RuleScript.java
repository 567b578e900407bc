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

    static final String PARAMETERS = "record, previous, user, today, lookup, addDays, daysBetween";
    private static final String FUNCTION = "(function (" + PARAMETERS + ") {'use strict'; ";

    private final RuleDefinition rule;
    private final Source source;
    private final int prefixLength;

    private RuleScript(RuleDefinition rule, Source source, int prefixLength) {
        this.rule = rule;
        this.source = source;
        this.prefixLength = prefixLength;
    }

    static RuleScript of(RuleDefinition rule) {
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
        return new RuleScript(rule, source, prefix.length());
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
