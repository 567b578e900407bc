package io.relata.runtime;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Predicate;
import java.util.regex.MatchResult;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The metadata corpus: mutations of the shipped metadata, drawn with a fixed seed, each with what a reload
 * must answer. Every mutation is made on a line the generator understood (a key, its value, its position), so
 * the expected file, line and column are known exactly, whatever the files look like when the metadata grows:
 * new files and kinds are mutated like the old ones.
 */
final class MetadataMutations {

    /**
     * What a reload of a mutation must answer.
     *
     * @param loads       true if the mutation is valid metadata that must be put in force
     * @param status      the HTTP status of the reload's answer (200, 409 or 422)
     * @param line        1-based line, 0 if the problem concerns the whole file
     * @param column      1-based column, 0 if any column will do
     * @param fixMentions a word the fix must name (the original of a typo), or null
     */
    record Expect(boolean loads, int status, String file, int line, int column, String code, String fixMentions) {

        static Expect valid() {
            return new Expect(true, 200, null, 0, 0, null, null);
        }

        /** Loads, with a warning of this code. */
        static Expect validWithWarning(String code) {
            return new Expect(true, 200, null, 0, 0, code, null);
        }

        static Expect refused(String file, int line, int column, String code) {
            return new Expect(false, 422, file, line, column, code, null);
        }

        Expect mentioning(String word) {
            return new Expect(loads, status, file, line, column, code, word);
        }

        Expect withStatus(int newStatus) {
            return new Expect(loads, newStatus, file, line, column, code, fixMentions);
        }
    }

    /**
     * One case of the corpus.
     *
     * @param changes relative path (e.g. {@code entities/account.yaml}) to its new bytes; null deletes the file
     */
    record Mutation(String family, String name, Map<String, byte[]> changes, Expect expect) {
        @Override
        public String toString() {
            return family + ": " + name;
        }
    }

    /** A {@code key: value} line the generator understood. */
    record KeyLine(int number, int indent, String key, String value, String parent, String grandParent,
                   boolean listItem, boolean inListItem) {

        int keyColumn() {
            return indent + 1;
        }

        int valueColumn() {
            return indent + key.length() + 3;
        }

        boolean plainScalar() {
            return !value.isEmpty() && "\"'{[|>&*!#%@`".indexOf(value.charAt(0)) < 0 && !value.contains(" #")
                    && !value.contains(": ");
        }
    }

    /** Keys the schemas define (not names chosen by the admin): a typo in one is an unknown key. */
    private static final Set<String> SCHEMA_KEYS = Set.of("label", "pluralLabel", "type", "required", "unique",
            "listed", "searchable", "maxLength", "help", "indexed", "titleField", "icon", "phaseField", "phases",
            "transitions", "description", "administrator", "subject", "body", "steps", "finish", "precision",
            "scale", "min", "max", "options", "onEnter", "timers", "rules", "examples", "reasonField", "requires",
            "outcome", "entity");
    /** Mappings whose keys the admin names (fields, entities in grants, values of a record). */
    private static final Set<String> NAMED_MAPS = Set.of("fields", "entities", "record", "values", "related",
            "previous", "expect", "label", "pluralLabel", "help", "description", "subject", "body", "set", "create",
            "update", "visible", "required", "readOnly");
    private static final Pattern KEY_LINE = Pattern.compile("^( *)(- )?([A-Za-z_][A-Za-z0-9_]*):(?: +(.*))?$");
    private static final Pattern TRANSITION_TARGET = Pattern.compile("(?m)^ *- \\{from: [^\\n]*\\bto: ([a-z_]+)\\}");
    private static final Pattern PLACEHOLDER = Pattern.compile("\\{\\{record\\.[a-z_]+\\}\\}");
    private static final Pattern TYPE_NAMES = Pattern.compile("text|long_text|email|phone|url|choice|multi_choice|"
            + "integer|decimal|money|date|date_time|boolean|reference|record_link");

    private final Path root;
    private final Map<String, String> files;
    private final Random random;
    private final List<Mutation> out = new ArrayList<>();

    private MetadataMutations(Path root, Map<String, String> files, long seed) {
        this.root = root;
        this.files = files;
        this.random = new Random(seed);
    }

    /** Reads every file under {@code root} (relative paths, sorted) and draws the corpus with {@code seed}. */
    static List<Mutation> generate(Path root, long seed) {
        Map<String, String> files = new TreeMap<>();
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path path : walk.filter(Files::isRegularFile).toList()) {
                String relative = root.relativize(path).toString().replace('\\', '/');
                if (relative.endsWith(".yaml") || relative.endsWith(".js")) {
                    files.put(relative, Files.readString(path));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        MetadataMutations generator = new MetadataMutations(root, files, seed);
        generator.draw();
        return List.copyOf(generator.out);
    }

    private static boolean isMetadata(String path) {
        return path.endsWith(".yaml") && !path.startsWith("demo/");
    }

    private void draw() {
        drawSchemaConflicts();
        for (String folder : List.of("entitys", "role", "process", "dialog")) {
            out.add(new Mutation("unknown-folder", folder + "/extra.yaml", utf8(folder + "/extra.yaml",
                    "name: extra\nlabel: {de: Extra, en: Extra}\n"), Expect.validWithWarning("UNKNOWN_FOLDER")));
        }
        Set<String> kindsWithEmptyFile = new java.util.HashSet<>();
        for (Map.Entry<String, String> file : files.entrySet()) {
            String path = file.getKey();
            if (path.endsWith(".js")) {
                drawScript(path, file.getValue());
                continue;
            }
            if (!isMetadata(path)) {
                continue;
            }
            String text = file.getValue();
            List<KeyLine> lines = keyLines(text);
            String display = root.resolve(path).toString().replace('\\', '/');
            // syntax and encoding
            pick(lines, l -> !l.listItem() && l.indent() >= 2, 1).forEach(l -> add("yaml-tab", path, l,
                    replaceLine(text, l.number(), "\t" + line(text, l.number()).substring(l.indent())),
                    Expect.refused(display, l.number(), 0, "YAML_SYNTAX")));
            pick(lines, l -> l.plainScalar() && !text.substring(offsetOfLine(text, l.number())).contains("\""), 1)
                    .forEach(l -> add("unterminated-quote", path, l,
                    replaceLine(text, l.number(), line(text, l.number()).replaceFirst(": ", ": \"")),
                    Expect.refused(display, l.number(), l.valueColumn(), "YAML_SYNTAX")));
            pick(lines, l -> !l.listItem() && (l.plainScalar() || l.value().startsWith("{"))
                    && !l.value().endsWith(","), 1).forEach(l -> add("duplicate-key", path, l,
                    insertLine(text, l.number() + 1, line(text, l.number())),
                    Expect.refused(display, l.number() + 1, l.keyColumn(), "DUPLICATE_KEY")));
            pick(lines, l -> l.plainScalar() && l.value().length() >= 2, 1).forEach(l -> {
                String original = line(text, l.number());
                int at = l.valueColumn() - 1 + 1;
                add("nul-character", path, l, replaceLine(text, l.number(),
                                original.substring(0, at) + '\0' + original.substring(at)),
                        Expect.refused(display, l.number(), at + 1, "CONTROL_CHARACTER"));
            });
            pick(lines, KeyLine::plainScalar, 1).forEach(l -> {
                byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
                int offset = offsetOf(text, l.number(), l.valueColumn() - 1);
                bytes[offset] = (byte) 0xE4; // 'ä' in Latin-1: not a UTF-8 sequence
                addBytes("not-utf8", path, l, bytes, Expect.refused(display, l.number(), l.valueColumn(), "FILE_NOT_UTF8"));
            });
            // structure
            pick(lines, l -> SCHEMA_KEYS.contains(l.key()) && !NAMED_MAPS.contains(l.parent())
                    && !l.listItem() && !(l.key().equals("entity") && !l.parent().isEmpty()), 2).forEach(l -> {
                String typo = l.key() + l.key().charAt(l.key().length() - 1);
                add("unknown-key", path, l, replaceLine(text, l.number(), line(text, l.number())
                                .replaceFirst("\\b" + l.key() + ":", typo + ":")),
                        Expect.refused(display, l.number(), l.keyColumn(), "UNKNOWN_KEY").mentioning(l.key()));
            });
            pick(lines, l -> l.indent() >= 4 && !l.listItem() && !l.inListItem() && l.plainScalar()
                    && lastOfItsMapping(text, l), 1)
                    .forEach(l -> add("dedented-key", path, l, replaceLine(text, l.number(),
                                    line(text, l.number()).substring(2)),
                            Expect.refused(display, l.number(), l.keyColumn() - 2, "KEY_INDENTATION")));
            String kind = path.substring(0, path.indexOf('/'));
            if (kindsWithEmptyFile.add(kind)) {
                out.add(new Mutation("empty-file", path, Map.of(path, "# emptied\n".getBytes(StandardCharsets.UTF_8)),
                        Expect.refused(display, 1, 1, "EMPTY_FILE")));
                drawLimits(path, display, text, lines);
            }
            // meaning
            KeyLine name = lines.stream().filter(l -> l.key().equals("name") && l.indent() == 0).findFirst().orElse(null);
            if (name != null && name.plainScalar()) {
                String code = switch (kind) {
                    case "entities" -> "ENTITY_NAME_MISMATCH";
                    case "roles" -> "ROLE_NAME_MISMATCH";
                    case "processes" -> "PROCESS_NAME_MISMATCH";
                    case "dialogs" -> "DIALOG_NAME_MISMATCH";
                    case "dashboards" -> "DASHBOARD_NAME_MISMATCH";
                    default -> "TEMPLATE_NAME_MISMATCH";
                };
                add("name-mismatch", path, name, replaceLine(text, name.number(), "name: " + name.value() + "_x"),
                        Expect.refused(display, name.number(), name.valueColumn(), code));
            }
            if (kind.equals("entities")) {
                pick(lines, l -> l.key().equals("type") && TYPE_NAMES.matcher(l.value()).matches(), 2).forEach(l ->
                        add("field-type-typo", path, l, replaceValue(text, l, typo(l.value())),
                                Expect.refused(display, l.number(), l.valueColumn(), "UNKNOWN_FIELD_TYPE")
                                        .mentioning(l.value())));
                pick(lines, l -> l.key().equals("entity") && "fields".equals(l.grandParent()) && l.plainScalar(), 1)
                        .forEach(l -> add("reference-target-typo", path, l, replaceValue(text, l, typo(l.value())),
                                Expect.refused(display, l.number(), l.valueColumn(), "UNKNOWN_REFERENCE_TARGET")
                                        .mentioning(l.value())));
                pick(lines, l -> l.key().equals("maxLength") && l.plainScalar(), 1).forEach(l ->
                        add("wrong-value-type", path, l, replaceValue(text, l, "many"),
                                Expect.refused(display, l.number(), l.valueColumn(), "INVALID_VALUE")));
                pick(lines, l -> l.key().equals("required") && l.value().equals("true"), 1).forEach(l ->
                        add("wrong-value-type", path, l, replaceValue(text, l, "sure"),
                                Expect.refused(display, l.number(), l.valueColumn(), "INVALID_VALUE")));
            }
            if (kind.equals("processes") || kind.equals("dialogs")) {
                pick(lines, l -> l.key().equals("entity") && l.indent() == 0 && l.plainScalar(), 1).forEach(l ->
                        add("entity-typo", path, l, replaceValue(text, l, typo(l.value())),
                                Expect.refused(display, l.number(), l.valueColumn(), "UNKNOWN_ENTITY")
                                        .mentioning(l.value())));
            }
            if (kind.equals("roles")) {
                pick(lines, l -> "entities".equals(l.parent()) && !l.listItem(), 1).forEach(l -> {
                    String typo = typo(l.key());
                    add("grant-entity-typo", path, l, replaceLine(text, l.number(), line(text, l.number())
                                    .replaceFirst("\\b" + l.key() + ":", typo + ":")),
                            Expect.refused(display, l.number(), l.keyColumn(), "UNKNOWN_GRANT_ENTITY").mentioning(l.key()));
                });
            }
            if (kind.equals("processes")) {
                pickMatches(text, TRANSITION_TARGET, 2).forEach(m -> {
                    int lineNumber = lineOf(text, m.start(1));
                    String original = m.group(1);
                    String changed = text.substring(0, m.start(1)) + typo(original) + text.substring(m.end(1));
                    out.add(new Mutation("phase-typo", path + ":" + lineNumber, utf8(path, changed),
                            Expect.refused(display, lineNumber, columnOf(text, m.start(1)), "UNKNOWN_PHASE")
                                    .mentioning(original)));
                });
            }
            if (kind.equals("templates")) {
                pickMatches(text, PLACEHOLDER, 1).forEach(m -> {
                    int lineNumber = lineOf(text, m.start());
                    String changed = text.substring(0, m.end() - 2) + text.substring(m.end());
                    out.add(new Mutation("placeholder-unclosed", path + ":" + lineNumber, utf8(path, changed),
                            Expect.refused(display, lineNumber, 0, "PLACEHOLDER_INVALID")));
                });
            }
            pick(lines, l -> l.value().equals("|") && l.parent().equals("rules"), 1).forEach(l -> {
                String blockIndent = " ".repeat(line(text, l.number() + 1).length()
                        - line(text, l.number() + 1).stripLeading().length());
                add("rule-syntax", path, l, insertLine(text, l.number() + 1, blockIndent + "const broken = (;"),
                        Expect.refused(display, l.number() + 1, 0, "RULE_SYNTAX"));
            });
            if (path.equals("roles/administrator.yaml")) {
                lines.stream().filter(l -> l.key().equals("administrator") && l.indent() == 0).forEach(l -> {
                    add("administrators-locked-out", path, l, replaceValue(text, l, "false"),
                            Expect.refused(display, l.number(), 1, "ADMINISTRATORS_LOCKED_OUT"));
                    Map<String, byte[]> deleted = new LinkedHashMap<>();
                    deleted.put(path, null);
                    out.add(new Mutation("administrators-locked-out", path + " deleted", deleted,
                            Expect.refused(display, 0, 0, "ADMINISTRATORS_LOCKED_OUT")));
                });
            }
            if (kind.equals("entities")) {
                lines.stream().filter(l -> l.key().equals("fields") && l.indent() == 0).findFirst().ifPresent(l ->
                        add("field-added", path, l, insertLine(text, l.number() + 1,
                                "  corpus_note:\n    type: text\n    label: {de: Notiz, en: Note}"), Expect.valid()));
            }
            // valid changes: they must load
            pick(lines, l -> true, 1).forEach(l -> add("comment-added", path, l,
                    insertLine(text, l.number(), " ".repeat(l.indent()) + "# a note by the admin"), Expect.valid()));
            Matcher english = Pattern.compile("en: ([A-Z][A-Za-z ]+)}").matcher(text);
            if (english.find()) {
                int lineNumber = lineOf(text, english.start());
                String relabelled = text.substring(0, english.start(1)) + english.group(1) + " (new)"
                        + text.substring(english.end(1));
                out.add(new Mutation("relabelled", path + ":" + lineNumber,
                        Map.of(path, relabelled.getBytes(StandardCharsets.UTF_8)), Expect.valid()));
            }
        }
    }

    /**
     * Changes that the records {@link MetadataCorpusTest} stores contradict (two insurance accounts with long
     * names, employees, revenue and a city; a contact of the first): each refused with 409 at the key that
     * changed, and beside each a harmless twin that the same data allows, which loads.
     */
    private void drawSchemaConflicts() {
        String account = files.get("entities/account.yaml");
        if (account == null || !files.containsKey("entities/activity.yaml")) {
            return;
        }
        String accounts = "entities/account.yaml";
        String display = root.resolve(accounts).toString().replace('\\', '/');
        int industryIndexed = lineMatching(account, "^    indexed: true$", lineMatching(account, "^  industry:$", 1));
        conflict(accounts, insertLine(account, industryIndexed + 1, "    unique: true"),
                Expect.refused(display, industryIndexed + 1, 0, "SCHEMA_DUPLICATE_VALUES"));
        int phone = lineMatching(account, "^  phone: \\{type: phone,", 1);
        schemaTwin(accounts, replaceLine(account, phone, line(account, phone).replace("listed: true", "unique: true")));
        int employees = lineMatching(account, "^  employees: \\{type: integer,", 1);
        conflict(accounts, replaceLine(account, employees, line(account, employees).replace("type: integer", "type: date")
                        .replace(", min: 0", "")),
                Expect.refused(display, employees, 0, "SCHEMA_TYPE_CHANGE_WITH_DATA"));
        int since = lineMatching(account, "^  customer_since: \\{type: date,", 1);
        schemaTwin(accounts, replaceLine(account, since, line(account, since).replace("type: date", "type: date-time")));
        int nameLength = lineMatching(account, "^    maxLength: 200$", lineMatching(account, "^  name:$", 1));
        conflict(accounts, replaceLine(account, nameLength, "    maxLength: 5"),
                Expect.refused(display, nameLength, 0, "SCHEMA_VALUES_TOO_LONG"));
        schemaTwin(accounts, replaceLine(account, nameLength, "    maxLength: 100"));
        int options = lineMatching(account, "^    options:$", lineMatching(account, "^  industry:$", 1));
        int insurance = lineMatching(account, "^      - \\{value: insurance,", options);
        conflict(accounts, removeLine(account, insurance), Expect.refused(display, options, 0, "SCHEMA_OPTION_IN_USE")
                .mentioning("active: false"));
        int manufacturing = lineMatching(account, "^      - \\{value: manufacturing,", options);
        schemaTwin(accounts, removeLine(account, manufacturing));
        int city = lineMatching(account, "^  city: \\{type: text,", 1);
        conflict(accounts, replaceLine(account, city, line(account, city).replace("type: text", "type: email")),
                Expect.refused(display, city, 0, "SCHEMA_VALUES_NOT_EMAIL"));
        int revenue = lineMatching(account, "^    precision: 15$", lineMatching(account, "^  annual_revenue:$", 1));
        conflict(accounts, replaceLine(account, revenue, "    precision: 5"),
                Expect.refused(display, revenue, 0, "SCHEMA_VALUES_TOO_PRECISE"));
        schemaTwin(accounts, replaceLine(account, revenue, "    precision: 12"));
        String activities = "entities/activity.yaml";
        String activity = files.get(activities);
        int contactField = lineMatching(activity, "^  contact:$", 1);
        int reference = lineMatching(activity, "^    entity: contact$", contactField);
        int narrowBy = lineMatching(activity, "^    narrowBy: ", contactField);
        // the customer views follow contacts to their activities: without them the retarget is refused for its data only
        Map<String, byte[]> retarget = utf8(activities, removeLine(replaceLine(activity, reference, "    entity: lead"),
                narrowBy));
        files.keySet().stream().filter(path -> path.startsWith("views/")).forEach(path -> retarget.put(path, null));
        Expect retargeted = Expect.refused(root.resolve(activities).toString().replace('\\', '/'), reference, 0,
                "SCHEMA_REFERENCE_RETARGETED");
        out.add(new Mutation("schema-conflict", activities + ":" + retargeted.line() + " " + retargeted.code(), retarget,
                retargeted.withStatus(409)));
    }

    private void conflict(String path, String content, Expect expect) {
        out.add(new Mutation("schema-conflict", path + ":" + expect.line() + " " + expect.code(), utf8(path, content),
                expect.withStatus(409)));
    }

    private void schemaTwin(String path, String content) {
        out.add(new Mutation("schema-harmless", path + " #" + out.size(), utf8(path, content), Expect.valid()));
    }

    /** The first line at or after {@code from} matching {@code regex}; fails if there is none. */
    private static int lineMatching(String text, String regex, int from) {
        String[] lines = text.split("\n", -1);
        Pattern pattern = Pattern.compile(regex);
        for (int i = from - 1; i < lines.length; i++) {
            if (pattern.matcher(lines[i]).find()) {
                return i + 1;
            }
        }
        throw new IllegalStateException("The shipped metadata changed: no line matches " + regex
                + " after line " + from + "; adapt the schema conflicts of the corpus");
    }

    private static String removeLine(String text, int number) {
        List<String> lines = new ArrayList<>(List.of(text.split("\n", -1)));
        lines.remove(number - 1);
        return String.join("\n", lines);
    }

    /**
     * Files that would take the server down without limits (see {@code MetadataLimits}, default values): deep
     * nesting, an alias bomb, a huge value, a huge file; each refused where the limit is crossed.
     */
    private void drawLimits(String path, String display, String text, List<KeyLine> lines) {
        pick(lines, l -> l.indent() == 0 && l.plainScalar(), 1).forEach(l -> {
            add("limit-depth", path, l, replaceValue(text, l, "[".repeat(10_000)),
                    Expect.refused(display, l.number(), l.valueColumn() + 49, "YAML_TOO_DEEP"));
            add("limit-depth", path, l, replaceValue(text, l, "{a: ".repeat(10_000) + "1"),
                    Expect.refused(display, l.number(), l.valueColumn() + 49 * 4, "YAML_TOO_DEEP"));
            add("limit-value", path, l, replaceValue(text, l, "x".repeat(200_000)),
                    Expect.refused(display, l.number(), l.valueColumn(), "SCALAR_TOO_LONG"));
        });
        String body = text.endsWith("\n") ? text : text + "\n";
        int bombStart = (int) body.chars().filter(c -> c == '\n').count() + 1;
        StringBuilder bomb = new StringBuilder(body).append("a0: &a0 [x, x]\n");
        for (int i = 1; i < 46; i++) {
            bomb.append('a').append(i).append(": &a").append(i).append(" [*a").append(i - 1).append(", *a")
                    .append(i - 1).append("]\n");
        }
        // a13 holds 2^15 - 1 values: an alias of a14 (line bombStart + 14) crosses 100,000
        out.add(new Mutation("limit-alias-bomb", path, utf8(path, bomb.toString()),
                Expect.refused(display, bombStart + 14, 0, "YAML_TOO_LARGE")));
        String big = body + "# a long comment line that an editor may have pasted by mistake, many times\n"
                .repeat(15_000);
        out.add(new Mutation("limit-file", path, utf8(path, big),
                Expect.refused(display, lineOfByte(big, 1024 * 1024), 0, "FILE_TOO_LARGE")));
    }

    /** The 1-based line holding the byte at a 0-based offset of the text's UTF-8 encoding. */
    private static int lineOfByte(String text, int byteOffset) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        int line = 1;
        for (int i = 0; i < byteOffset; i++) {
            if (bytes[i] == '\n') {
                line++;
            }
        }
        return line;
    }

    /** Syntax errors at statement boundaries of a rule script: reported at their own line. */
    private void drawScript(String path, String text) {
        String display = root.resolve(path).toString().replace('\\', '/');
        String[] lines = text.split("\n", -1);
        List<Integer> boundaries = new ArrayList<>();
        for (int i = 1; i < lines.length; i++) {
            if (lines[i - 1].endsWith(";") && lines[i - 1].equals(lines[i - 1].stripLeading())) {
                boundaries.add(i + 1);
            }
        }
        Collections.shuffle(boundaries, random);
        for (int lineNumber : boundaries.subList(0, Math.min(3, boundaries.size()))) {
            out.add(new Mutation("rule-syntax", path + ":" + lineNumber,
                    utf8(path, insertLine(text, lineNumber, "const broken = (;")),
                    Expect.refused(display, lineNumber, 0, "RULE_SYNTAX")));
        }
    }

    private List<MatchResult> pickMatches(String text, Pattern pattern, int count) {
        List<MatchResult> matches = new ArrayList<>(pattern.matcher(text).results().toList());
        Collections.shuffle(matches, random);
        return matches.subList(0, Math.min(count, matches.size()));
    }

    private static Map<String, byte[]> utf8(String path, String content) {
        Map<String, byte[]> changes = new LinkedHashMap<>();
        changes.put(path, content.getBytes(StandardCharsets.UTF_8));
        return changes;
    }

    private static int columnOf(String text, int offset) {
        return offset - (text.lastIndexOf('\n', offset - 1) + 1) + 1;
    }

    /** True if the next line with content is less indented: the key is the last of its mapping. */
    private static boolean lastOfItsMapping(String text, KeyLine key) {
        String[] lines = text.split("\n", -1);
        for (int i = key.number(); i < lines.length; i++) {
            String next = lines[i];
            if (next.isBlank() || next.stripLeading().startsWith("#")) {
                continue;
            }
            return next.length() - next.stripLeading().length() < key.indent();
        }
        return true;
    }

    private static int offsetOfLine(String text, int lineNumber) {
        int start = 0;
        for (int i = 1; i < lineNumber; i++) {
            start = text.indexOf('\n', start) + 1;
        }
        return start;
    }

    /** A plausible typo: two neighbouring letters swapped (or a letter doubled for short words). */
    private String typo(String word) {
        if (word.length() < 4) {
            return word + word.charAt(word.length() - 1);
        }
        int at = 1 + random.nextInt(word.length() - 2);
        char[] chars = word.toCharArray();
        char swap = chars[at];
        chars[at] = chars[at + 1];
        chars[at + 1] = swap;
        String result = new String(chars);
        return result.equals(word) ? word + word.charAt(word.length() - 1) : result;
    }

    private List<KeyLine> pick(List<KeyLine> lines, Predicate<KeyLine> fits, int count) {
        List<KeyLine> candidates = new ArrayList<>(lines.stream().filter(fits).toList());
        Collections.shuffle(candidates, random);
        return candidates.subList(0, Math.min(count, candidates.size()));
    }

    private void add(String family, String path, KeyLine at, String content, Expect expect) {
        addBytes(family, path, at, content.getBytes(StandardCharsets.UTF_8), expect);
    }

    private void addBytes(String family, String path, KeyLine at, byte[] content, Expect expect) {
        Map<String, byte[]> changes = new LinkedHashMap<>();
        changes.put(path, content);
        out.add(new Mutation(family, path + ":" + at.number() + " (" + at.key() + ")", changes, expect));
    }

    /** The {@code key: value} lines of a YAML text, outside block scalars and multi-line flow collections. */
    static List<KeyLine> keyLines(String text) {
        List<KeyLine> result = new ArrayList<>();
        Deque<KeyLine> open = new ArrayDeque<>();
        String[] lines = text.split("\n", -1);
        int blockIndent = -1;
        int flowDepth = 0;
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i];
            int indent = line.length() - line.stripLeading().length();
            if (blockIndent >= 0) {
                if (line.isBlank() || indent > blockIndent) {
                    continue;
                }
                blockIndent = -1;
            }
            if (flowDepth > 0) {
                flowDepth += depthChange(line);
                continue;
            }
            Matcher m = KEY_LINE.matcher(line);
            if (!m.matches() || line.stripLeading().startsWith("#")) {
                continue;
            }
            boolean listItem = m.group(2) != null;
            int keyIndent = indent + (listItem ? 2 : 0);
            // a key beside the first key of a list item belongs to that item
            boolean besideItemKey = !listItem && open.stream()
                    .anyMatch(k -> (k.listItem() || k.inListItem()) && k.indent() == keyIndent);
            while (!open.isEmpty() && open.peek().indent() >= keyIndent) {
                open.pop();
            }
            String value = m.group(4) == null ? "" : m.group(4).strip();
            String parent = open.isEmpty() ? "" : open.peek().key();
            String grandParent = open.size() < 2 ? "" : new ArrayList<>(open).get(1).key();
            boolean inListItem = besideItemKey || (!open.isEmpty() && open.peek().listItem());
            KeyLine key = new KeyLine(i + 1, keyIndent, m.group(3), value, parent, grandParent, listItem, inListItem);
            int depth = depthChange(value);
            if (depth > 0) {
                flowDepth = depth;
                continue; // a flow collection over several lines: its keys are not block keys
            }
            result.add(key);
            open.push(key);
            if (value.matches("[|>][-+]?\\s*(#.*)?")) {
                blockIndent = keyIndent;
            }
        }
        return result;
    }

    /** Open minus closed brackets, outside quotes. */
    private static int depthChange(String text) {
        int depth = 0;
        char quote = 0;
        for (char c : text.toCharArray()) {
            if (quote != 0) {
                if (c == quote) {
                    quote = 0;
                }
            } else if (c == '\'' || c == '"') {
                quote = c;
            } else if (c == '#') {
                break;
            } else if (c == '{' || c == '[') {
                depth++;
            } else if (c == '}' || c == ']') {
                depth--;
            }
        }
        return depth;
    }

    static String line(String text, int number) {
        return text.split("\n", -1)[number - 1];
    }

    static String replaceLine(String text, int number, String replacement) {
        String[] lines = text.split("\n", -1);
        lines[number - 1] = replacement;
        return String.join("\n", lines);
    }

    static String insertLine(String text, int number, String inserted) {
        List<String> lines = new ArrayList<>(List.of(text.split("\n", -1)));
        lines.add(number - 1, inserted);
        return String.join("\n", lines);
    }

    private static String replaceValue(String text, KeyLine at, String value) {
        String original = line(text, at.number());
        int start = at.valueColumn() - 1;
        return replaceLine(text, at.number(), original.substring(0, start) + value
                + original.substring(start + at.value().length()));
    }

    /** Byte offset in the UTF-8 encoding of a 0-based column of a 1-based line. */
    private static int offsetOf(String text, int lineNumber, int column) {
        int start = 0;
        for (int i = 1; i < lineNumber; i++) {
            start = text.indexOf('\n', start) + 1;
        }
        return text.substring(0, start + column).getBytes(StandardCharsets.UTF_8).length;
    }

    private static int lineOf(String text, int offset) {
        return (int) text.substring(0, offset).chars().filter(c -> c == '\n').count() + 1;
    }
}
