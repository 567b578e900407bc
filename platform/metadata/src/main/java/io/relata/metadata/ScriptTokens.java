package io.relata.metadata;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Splits JavaScript into tokens with their positions, for {@link FieldReads}: names, punctuators, numbers,
 * strings and template literals (with their text when it is constant), regular expressions; comments and
 * white space are dropped. It knows the lexical grammar only — enough to never mistake text in a string, a
 * comment or a regular expression for code — and does not check syntax (the rules engine compiles every
 * script after loading). A template literal with substitutions yields a {@link Kind#TEMPLATE} token without
 * text, then the tokens of each substitution between {@code ${} and {@code }$}.
 */
final class ScriptTokens {

    enum Kind { NAME, PUNCTUATOR, NUMBER, STRING, TEMPLATE, REGEX }

    /**
     * One token.
     *
     * @param text   as written (for strings and templates: with the quotes)
     * @param value  the text of a string, or of a template without substitutions; null otherwise
     * @param line   1-based line of its first character
     * @param column 1-based column of its first character
     */
    record Token(Kind kind, String text, String value, int line, int column) {

        boolean isIdentifier() {
            return kind == Kind.NAME;
        }

        boolean isPunctuation() {
            return kind == Kind.PUNCTUATOR;
        }

        boolean is(String punctuator) {
            return kind == Kind.PUNCTUATOR && text.equals(punctuator);
        }
    }

    /** A string, template, comment or regular expression that does not end. */
    static final class UnreadableScriptException extends Exception {
        private static final long serialVersionUID = 1L;

        UnreadableScriptException(String message) {
            super(message);
        }
    }

    /** Longest first, so that the first that matches is the token. */
    private static final String[] PUNCTUATORS = {">>>=", "...", "===", "!==", "**=", "<<=", ">>=", ">>>", "&&=",
            "||=", "??=", "=>", "==", "!=", "<=", ">=", "&&", "||", "??", "?.", "++", "--", "+=", "-=", "*=", "/=", "%=",
            "&=", "|=", "^=", "**", "<<", ">>"};

    /** After these names a slash starts a regular expression, not a division. */
    private static final Set<String> KEYWORDS_BEFORE_EXPRESSION = Set.of("return", "typeof", "instanceof", "in", "of",
            "new", "delete", "void", "throw", "case", "do", "else", "yield", "await");

    private final String source;
    private final List<Token> tokens = new ArrayList<>();
    private int position;
    private int line = 1;
    private int lineStart;

    private ScriptTokens(String source) {
        this.source = source;
    }

    static List<Token> of(String source) throws UnreadableScriptException {
        ScriptTokens scanner = new ScriptTokens(source);
        scanner.scan(false);
        return scanner.tokens;
    }

    /**
     * Scans until the end, or in a template substitution until its closing brace (which is consumed and
     * emitted as {@code }$}).
     */
    private void scan(boolean substitution) throws UnreadableScriptException {
        int braces = 0;
        while (position < source.length()) {
            char c = source.charAt(position);
            if (isLineTerminator(c)) {
                newLine();
            } else if (Character.isWhitespace(c) || c == '\u00a0' || c == '\ufeff') {
                position++;
            } else if (c == '/' && peek(1) == '/') {
                while (position < source.length() && !isLineTerminator(source.charAt(position))) {
                    position++;
                }
            } else if (c == '/' && peek(1) == '*') {
                blockComment();
            } else if (c == '\'' || c == '"') {
                string(c);
            } else if (c == '`') {
                template();
            } else if (c == '/') {
                if (regexAllowed()) {
                    regex();
                } else {
                    punctuator();
                }
            } else if (Character.isDigit(c) || (c == '.' && Character.isDigit(peek(1)))) {
                number();
            } else if (isNameStart(c)) {
                name();
            } else if (substitution && c == '}' && braces == 0) {
                add(Kind.PUNCTUATOR, "}$", position);
                position++;
                return;
            } else {
                if (c == '{') {
                    braces++;
                } else if (c == '}') {
                    braces--;
                }
                punctuator();
            }
        }
        if (substitution) {
            throw new UnreadableScriptException("a template substitution ${...} does not end");
        }
    }

    private void blockComment() throws UnreadableScriptException {
        int end = source.indexOf("*/", position + 2);
        if (end < 0) {
            throw new UnreadableScriptException("a comment /* ... does not end");
        }
        while (position < end + 2) {
            if (isLineTerminator(source.charAt(position))) {
                newLine();
            } else {
                position++;
            }
        }
    }

    private void string(char quote) throws UnreadableScriptException {
        int start = position;
        int startLine = line;
        int startColumn = column(start);
        StringBuilder value = new StringBuilder();
        position++;
        while (true) {
            if (position >= source.length()) {
                throw new UnreadableScriptException("a string does not end");
            }
            char c = source.charAt(position);
            if (c == quote) {
                position++;
                break;
            }
            if (c == '\\') {
                escape(value);
            } else if (c == '\n' || c == '\r') {
                throw new UnreadableScriptException("a string does not end on its line");
            } else {
                value.append(c);
                position++;
            }
        }
        tokens.add(new Token(Kind.STRING, source.substring(start, position), value.toString(), startLine, startColumn));
    }

    /** A backslash escape at {@code position}, decoded into {@code value}. */
    private void escape(StringBuilder value) {
        char c = peek(1);
        position += 2;
        switch (c) {
            case 'n' -> value.append('\n');
            case 't' -> value.append('\t');
            case 'r' -> value.append('\r');
            case 'b' -> value.append('\b');
            case 'f' -> value.append('\f');
            case 'v' -> value.append('\u000b');
            case '0' -> value.append('\0');
            case 'x' -> value.append((char) hex(2));
            case 'u' -> {
                if (position < source.length() && source.charAt(position) == '{') {
                    int end = source.indexOf('}', position);
                    int code = end < 0 ? 0xfffd : parseHex(source.substring(position + 1, end));
                    position = end < 0 ? source.length() : end + 1;
                    value.appendCodePoint(code);
                } else {
                    value.append((char) hex(4));
                }
            }
            case '\r' -> {
                if (position < source.length() && source.charAt(position) == '\n') {
                    position++;
                }
                line++;
                lineStart = position;
            }
            case '\n', '\u2028', '\u2029' -> {
                line++;
                lineStart = position;
            }
            default -> value.append(c);
        }
    }

    private int hex(int digits) {
        int end = Math.min(source.length(), position + digits);
        int code = parseHex(source.substring(position, end));
        position = end;
        return code;
    }

    private static int parseHex(String digits) {
        try {
            return Integer.parseInt(digits, 16);
        } catch (NumberFormatException e) {
            return 0xfffd;
        }
    }

    private void template() throws UnreadableScriptException {
        int start = position;
        int startLine = line;
        int startColumn = column(start);
        StringBuilder value = new StringBuilder();
        boolean constant = true;
        position++;
        while (true) {
            if (position >= source.length()) {
                throw new UnreadableScriptException("a template literal `... does not end");
            }
            char c = source.charAt(position);
            if (c == '`') {
                position++;
                break;
            }
            if (c == '\\') {
                escape(value);
            } else if (c == '$' && peek(1) == '{') {
                if (constant) {
                    tokens.add(new Token(Kind.TEMPLATE, "`", null, startLine, startColumn));
                    constant = false;
                }
                add(Kind.PUNCTUATOR, "${", position);
                position += 2;
                scan(true);
            } else if (isLineTerminator(c)) {
                value.append(c);
                newLine();
            } else {
                value.append(c);
                position++;
            }
        }
        if (constant) {
            tokens.add(new Token(Kind.TEMPLATE, source.substring(start, position), value.toString(), startLine,
                    startColumn));
        }
    }

    private void regex() throws UnreadableScriptException {
        int start = position;
        int startColumn = column(start);
        boolean inClass = false;
        position++;
        while (true) {
            if (position >= source.length() || isLineTerminator(source.charAt(position))) {
                throw new UnreadableScriptException("a regular expression /... does not end on its line");
            }
            char c = source.charAt(position);
            if (c == '\\') {
                position += 2;
                continue;
            }
            position++;
            if (c == '[') {
                inClass = true;
            } else if (c == ']') {
                inClass = false;
            } else if (c == '/' && !inClass) {
                break;
            }
        }
        while (position < source.length() && isNamePart(source.charAt(position))) {
            position++;
        }
        tokens.add(new Token(Kind.REGEX, source.substring(start, position), null, line, startColumn));
    }

    private void number() {
        int start = position;
        boolean dot = false;
        while (position < source.length()) {
            char c = source.charAt(position);
            if (c == '.' && !dot) {
                dot = true;
            } else if ((c == '+' || c == '-') && position > start
                    && (source.charAt(position - 1) == 'e' || source.charAt(position - 1) == 'E')
                    && !source.startsWith("0x", start) && !source.startsWith("0X", start)) {
                // exponent sign
            } else if (!Character.isLetterOrDigit(c) && c != '_') {
                break;
            }
            position++;
        }
        add(Kind.NUMBER, source.substring(start, position), start);
    }

    private void name() {
        int start = position;
        position++;
        while (position < source.length() && isNamePart(source.charAt(position))) {
            position++;
        }
        add(Kind.NAME, source.substring(start, position), start);
    }

    private void punctuator() {
        for (String candidate : PUNCTUATORS) {
            if (source.startsWith(candidate, position)) {
                // "?.5" is a conditional followed by a number
                if (candidate.equals("?.") && Character.isDigit(peek(2))) {
                    continue;
                }
                add(Kind.PUNCTUATOR, candidate, position);
                position += candidate.length();
                return;
            }
        }
        add(Kind.PUNCTUATOR, String.valueOf(source.charAt(position)), position);
        position++;
    }

    /** A slash starts a regular expression where an expression may begin, and is a division after one. */
    private boolean regexAllowed() {
        if (tokens.isEmpty()) {
            return true;
        }
        Token last = tokens.get(tokens.size() - 1);
        return switch (last.kind()) {
            case NUMBER, STRING, TEMPLATE, REGEX -> false;
            case NAME -> KEYWORDS_BEFORE_EXPRESSION.contains(last.text());
            case PUNCTUATOR -> !(last.is(")") || last.is("]") || last.is("}") || last.is("}$")
                    || last.is("++") || last.is("--"));
        };
    }

    /** Adds a token without value that starts at {@code start} on the current line. */
    private void add(Kind kind, String text, int start) {
        tokens.add(new Token(kind, text, null, line, column(start)));
    }

    private int column(int index) {
        return index - lineStart + 1;
    }

    private void newLine() {
        char c = source.charAt(position);
        position++;
        if (c == '\r' && position < source.length() && source.charAt(position) == '\n') {
            position++;
        }
        line++;
        lineStart = position;
    }

    private char peek(int ahead) {
        int index = position + ahead;
        return index < source.length() ? source.charAt(index) : '\0';
    }

    private static boolean isLineTerminator(char c) {
        return c == '\n' || c == '\r' || c == '\u2028' || c == '\u2029';
    }

    private static boolean isNameStart(char c) {
        return c == '$' || c == '_' || c == '#' || c == '\\' || Character.isUnicodeIdentifierStart(c);
    }

    private static boolean isNamePart(char c) {
        return c == '$' || c == '_' || c == '\\' || c == '\u200c' || c == '\u200d' || Character.isUnicodeIdentifierPart(c);
    }
}
