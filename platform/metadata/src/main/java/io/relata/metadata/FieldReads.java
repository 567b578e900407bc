package io.relata.metadata;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Which fields of the record a rule script reads: {@code record.x}, {@code record?.x}, {@code record['x']}
 * and the same on {@code previous}, each with its position in the script (1-based line and column of the
 * field name, or of the quoted name). The loader uses it to refuse names the record does not have
 * ({@link ProblemCode#RULE_UNKNOWN_FIELD}) and to hide from a role the fields computed from fields it cannot
 * see ({@link RoleDerivations}). See docs/decisions/0006-fields-a-rule-reads.md.
 *
 * <p>Found by a lexical scan ({@link ScriptTokens}: strings, template literals, comments and regular
 * expressions are told apart from code), not by running the script. The scan is conservative where it cannot
 * be sure: if a script uses {@code record} or {@code previous} other than to read a named field or to test it
 * ({@code previous && …}, {@code previous == null}, {@code !previous}, {@code typeof previous}, {@code if
 * (previous)}) — passes it to a function, spreads, indexes it with a computed name ({@code record[name]}),
 * returns it, rebinds the name (a parameter, variable or assignment called {@code record}) — or uses
 * {@code arguments} or {@code eval} or a name written with a unicode escape, it may read every field:
 * {@link #wholeRecord()} is true. Reads through a
 * rebound name are not listed, as they may not be the record's.
 *
 * @param reads       every field read found, in script order (a field read twice is listed twice)
 * @param wholeRecord true if the script may read any field of the record
 */
public record FieldReads(List<Read> reads, boolean wholeRecord) {

    /** A script that reads nothing of the record. */
    public static final FieldReads NONE = new FieldReads(List.of(), false);

    /** The names a rule receives the record under. */
    static final Set<String> ROOTS = Set.of("record", "previous");

    /**
     * Members every object has: reading them is no field read, and calling one (valueOf, toString) hands out
     * the whole object.
     */
    private static final Set<String> OBJECT_MEMBERS = Set.of("constructor", "hasOwnProperty", "isPrototypeOf",
            "propertyIsEnumerable", "toLocaleString", "toString", "valueOf", "__proto__", "__defineGetter__",
            "__defineSetter__", "__lookupGetter__", "__lookupSetter__");

    /** Tokens before which a use of the record only tests it (for null): it reads no field. */
    private static final Set<String> TESTS_AFTER = Set.of("&&", "?", "==", "===", "!=", "!==");

    /** Tokens after which a use of the record only tests it. */
    private static final Set<String> TESTS_BEFORE = Set.of("!", "typeof", "==", "===", "!=", "!==");

    private static final Set<String> ASSIGNMENTS = Set.of("=", "+=", "-=", "*=", "/=", "%=", "**=", "<<=", ">>=",
            ">>>=", "&=", "|=", "^=", "&&=", "||=", "??=", "++", "--");

    private static final Set<String> DECLARATIONS = Set.of("let", "const", "var", "function", "class");

    /**
     * One field read.
     *
     * @param root   {@code record} or {@code previous}
     * @param field  the field's name as written
     * @param line   1-based line in the script
     * @param column 1-based column in that line
     */
    public record Read(String root, String field, int line, int column) {
    }

    public FieldReads {
        reads = List.copyOf(reads);
    }

    /** The distinct names read, in the order first read. */
    public Set<String> fields() {
        Set<String> fields = new LinkedHashSet<>();
        reads.forEach(r -> fields.add(r.field()));
        return fields;
    }

    /** True if the script may read {@code field} (it names it, or may read every field). */
    public boolean mayRead(String field) {
        return wholeRecord || reads.stream().anyMatch(r -> r.field().equals(field));
    }

    /** The fields read by {@code source}; a script that does not tokenize reads the whole record. */
    public static FieldReads of(String source) {
        if (source == null || source.isBlank()) {
            return NONE;
        }
        List<ScriptTokens.Token> tokens;
        try {
            tokens = ScriptTokens.of(source);
        } catch (ScriptTokens.UnreadableScriptException e) {
            // an unterminated string or comment: the rules engine reports the syntax error; until it is fixed,
            // nothing can be said about what the script reads
            return new FieldReads(List.of(), true);
        }
        return analyse(tokens);
    }

    private static FieldReads analyse(List<ScriptTokens.Token> tokens) {
        Set<String> rebound = rebound(tokens);
        List<Read> reads = new ArrayList<>();
        boolean whole = !rebound.isEmpty();
        for (int i = 0; i < tokens.size(); i++) {
            ScriptTokens.Token token = tokens.get(i);
            if (!token.isIdentifier() || isPropertyName(tokens, i)) {
                continue;
            }
            // a name written with a unicode escape may be the record under another spelling
            if (token.text().equals("arguments") || token.text().equals("eval") || token.text().indexOf('\\') >= 0) {
                whole = true;
                continue;
            }
            if (!ROOTS.contains(token.text()) || rebound.contains(token.text())) {
                continue;
            }
            Read read = fieldRead(tokens, i);
            if (read != null) {
                reads.add(read);
            } else if (!onlyTested(tokens, i)) {
                whole = true;
            }
        }
        return new FieldReads(reads, whole);
    }

    /** {@code record.x}, {@code record?.x}, {@code record['x']}, {@code record?.['x']}; null for any other use. */
    private static Read fieldRead(List<ScriptTokens.Token> tokens, int at) {
        String root = tokens.get(at).text();
        int next = at + 1;
        ScriptTokens.Token access = token(tokens, next);
        if (access == null) {
            return null;
        }
        if (access.is(".") || access.is("?.")) {
            ScriptTokens.Token name = token(tokens, next + 1);
            if (name != null && name.is("[") && access.is("?.")) {
                return indexed(tokens, root, next + 1);
            }
            if (name == null || !name.isIdentifier() || OBJECT_MEMBERS.contains(name.text())) {
                return null;
            }
            return new Read(root, name.text(), name.line(), name.column());
        }
        return access.is("[") ? indexed(tokens, root, next) : null;
    }

    /** {@code ['x']} at {@code open}: a read of x if the index is one constant text. */
    private static Read indexed(List<ScriptTokens.Token> tokens, String root, int open) {
        ScriptTokens.Token index = token(tokens, open + 1);
        ScriptTokens.Token close = token(tokens, open + 2);
        if (index == null || close == null || !close.is("]") || index.value() == null
                || OBJECT_MEMBERS.contains(index.value())) {
            return null;
        }
        return new Read(root, index.value(), index.line(), index.column());
    }

    /** A use that only asks whether the record is there: {@code previous && …}, {@code !previous}, … */
    private static boolean onlyTested(List<ScriptTokens.Token> tokens, int at) {
        ScriptTokens.Token before = token(tokens, at - 1);
        ScriptTokens.Token after = token(tokens, at + 1);
        if (after != null && after.isPunctuation() && TESTS_AFTER.contains(after.text())) {
            return true;
        }
        if (before != null && TESTS_BEFORE.contains(before.text())) {
            return true;
        }
        // if (previous) / while (previous)
        ScriptTokens.Token keyword = token(tokens, at - 2);
        return before != null && before.is("(") && after != null && after.is(")") && keyword != null
                && (keyword.text().equals("if") || keyword.text().equals("while"));
    }

    /**
     * A name after {@code .} or {@code ?.} is a property, not a variable; a name before {@code :} right after
     * {@code {} or {@code ,} is an object key.
     */
    private static boolean isPropertyName(List<ScriptTokens.Token> tokens, int at) {
        ScriptTokens.Token before = token(tokens, at - 1);
        if (before != null && (before.is(".") || before.is("?."))) {
            return true;
        }
        ScriptTokens.Token after = token(tokens, at + 1);
        return before != null && (before.is("{") || before.is(",")) && after != null && after.is(":");
    }

    /**
     * The roots the script declares or assigns itself (a parameter of an inner function, a variable, a
     * destructuring pattern, an assignment): after that, {@code record.x} may not be the record's field.
     */
    private static Set<String> rebound(List<ScriptTokens.Token> tokens) {
        Set<String> rebound = new LinkedHashSet<>();
        for (int i = 0; i < tokens.size(); i++) {
            ScriptTokens.Token token = tokens.get(i);
            if (token.isIdentifier() && ROOTS.contains(token.text()) && !isPropertyName(tokens, i)) {
                ScriptTokens.Token before = token(tokens, i - 1);
                ScriptTokens.Token after = token(tokens, i + 1);
                if ((before != null && (DECLARATIONS.contains(before.text()) || before.is("++") || before.is("--")))
                        || (after != null && (after.is("=>") || ASSIGNMENTS.contains(after.text())))) {
                    rebound.add(token.text());
                }
            }
            if (token.is("=>") && i > 0 && tokens.get(i - 1).is(")")) {
                parameters(tokens, matching(tokens, i - 1), i - 1, rebound);
            } else if (token.isIdentifier() && (token.text().equals("function") || token.text().equals("catch"))) {
                int open = i + 1;
                while (open < tokens.size() && !tokens.get(open).is("(") && !tokens.get(open).is("{")) {
                    open++;
                }
                if (open < tokens.size() && tokens.get(open).is("(")) {
                    parameters(tokens, open, closing(tokens, open), rebound);
                }
            } else if (token.isIdentifier() && DECLARATIONS.contains(token.text())) {
                ScriptTokens.Token pattern = token(tokens, i + 1);
                if (pattern != null && (pattern.is("{") || pattern.is("["))) {
                    parameters(tokens, i + 1, closing(tokens, i + 1), rebound);
                }
            }
        }
        return rebound;
    }

    /** Every root named between {@code open} and {@code close} (exclusive) is a binding there. */
    private static void parameters(List<ScriptTokens.Token> tokens, int open, int close, Set<String> rebound) {
        if (open < 0 || close < 0) {
            return;
        }
        for (int i = open + 1; i < close; i++) {
            ScriptTokens.Token token = tokens.get(i);
            if (token.isIdentifier() && ROOTS.contains(token.text()) && !token(tokens, i - 1).is(".")
                    && !token(tokens, i - 1).is("?.")) {
                rebound.add(token.text());
            }
        }
    }

    /** The index of the bracket that opens the one closing at {@code close}, or -1. */
    private static int matching(List<ScriptTokens.Token> tokens, int close) {
        int depth = 0;
        for (int i = close; i >= 0; i--) {
            String text = tokens.get(i).text();
            if (tokens.get(i).isPunctuation() && (text.equals(")") || text.equals("]") || text.equals("}"))) {
                depth++;
            } else if (tokens.get(i).isPunctuation() && (text.equals("(") || text.equals("[") || text.equals("{"))) {
                depth--;
                if (depth == 0) {
                    return i;
                }
            }
        }
        return -1;
    }

    /** The index of the bracket that closes the one opening at {@code open}, or -1. */
    private static int closing(List<ScriptTokens.Token> tokens, int open) {
        int depth = 0;
        for (int i = open; i < tokens.size(); i++) {
            String text = tokens.get(i).text();
            if (tokens.get(i).isPunctuation() && (text.equals("(") || text.equals("[") || text.equals("{"))) {
                depth++;
            } else if (tokens.get(i).isPunctuation() && (text.equals(")") || text.equals("]") || text.equals("}"))) {
                depth--;
                if (depth == 0) {
                    return i;
                }
            }
        }
        return -1;
    }

    private static ScriptTokens.Token token(List<ScriptTokens.Token> tokens, int index) {
        return index < 0 || index >= tokens.size() ? null : tokens.get(index);
    }
}
