package io.relata.metadata;

import static org.assertj.core.api.Assertions.assertThat;

import io.relata.api.model.EntityDefinition;
import io.relata.api.model.MetadataModel;
import io.relata.api.model.SourceLocation;
import io.relata.api.rules.RuleDefinition;
import io.relata.api.rules.RuleExample;
import io.relata.api.rules.RuleKind;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Rules and examples are built from entity files: names, kinds, fields, the script text and, above all, the
 * file and position where each script starts, which the rules engine uses to map JavaScript error lines back
 * to the file an admin edits.
 */
class RuleMetadataTest {

    static final String FILE = "metadata/entities/deal.yaml";
    static final String SCRIPT_FILE = "metadata/entities/deal.score.js";

    /** Every way to write a script; the comments in the tests name the lines. */
    static final String DEAL = """
            name: deal
            label: {en: Deal}
            pluralLabel: {en: Deals}
            fields:
              name: {type: text, label: {en: Name}}
              amount: {type: money, label: {en: Amount}, readOnlyWhen: record.phase == 'won'}
              phase:
                type: text
                label: {en: Phase}
                default: "'open'"
              probability:
                type: integer
                label: {en: Probability}
                visibleWhen: 'record.phase != "won"'
              weighted:
                type: money
                label: {en: Weighted}
                computed: |
                  // amount weighted by probability
                  return record.amount * record.probability / 100;
              note:
                type: long-text
                label: {en: Note}
                requiredWhen: >
                  record.phase == 'lost'
                  || record.phase == 'cancelled'
              due:
                type: date
                label: {en: Due}
                default: |2
                    addDays(today, 30)
            rules:
              - name: amount_positive
                validation: |-

                  if (record.amount < 0)
                    return {amount: 'must not be negative'};
              - name: deal_score
                score: {file: deal.score.js}
                field: probability
            """;

    static final String SCORE_JS = "// points for the amount\nreturn record.amount > 1000 ? 50 : 10;\n";

    static EntityDefinition load(String yaml, MetadataFile... more) throws MetadataException {
        List<MetadataFile> files = new java.util.ArrayList<>(List.of(new MetadataFile(FILE, yaml)));
        files.addAll(List.of(more));
        return new MetadataLoader().load(files).entity("deal").orElseThrow();
    }

    static RuleDefinition rule(EntityDefinition entity, String name) {
        return entity.rules().stream().filter(r -> r.name().equals(name)).findFirst().orElseThrow(
                () -> new AssertionError("no rule " + name + " in " + entity.rules()));
    }

    /** The text of {@code content} from a 1-based line and column on. */
    static String textAt(String content, SourceLocation start) {
        String line = content.lines().toList().get(start.line() - 1);
        return line.substring(Math.min(start.column() - 1, line.length()));
    }

    /** Line n of the script is line start + n - 1 of the file, at the script's column there. */
    static void assertMapsBack(String content, RuleDefinition rule) {
        List<String> scriptLines = rule.source().lines().toList();
        for (int n = 0; n < scriptLines.size(); n++) {
            if (scriptLines.get(n).isBlank()) {
                continue;
            }
            SourceLocation line = new SourceLocation(rule.sourceName(), rule.start().line() + n, rule.start().column());
            assertThat(textAt(content, n == 0 ? rule.start() : line)).as(rule.name() + " line " + (n + 1))
                    .startsWith(scriptLines.get(n));
        }
    }

    @Test
    void rulesAreBuiltInFileOrderWithNamesKindsAndFields() throws MetadataException {
        EntityDefinition deal = load(DEAL, new MetadataFile(SCRIPT_FILE, SCORE_JS));
        assertThat(deal.rules()).extracting(RuleDefinition::name).containsExactly(
                "amount.readOnlyWhen", "phase.default", "probability.visibleWhen", "weighted.computed",
                "note.requiredWhen", "due.default", "amount_positive", "deal_score");
        assertThat(deal.rules()).extracting(RuleDefinition::kind).containsExactly(
                RuleKind.READ_ONLY_WHEN, RuleKind.DEFAULT, RuleKind.VISIBLE_WHEN, RuleKind.COMPUTED,
                RuleKind.REQUIRED_WHEN, RuleKind.DEFAULT, RuleKind.VALIDATION, RuleKind.SCORE);
        assertThat(deal.rules()).extracting(RuleDefinition::field).containsExactly(
                "amount", "phase", "probability", "weighted", "note", "due", null, "probability");
        assertThat(deal.rules(RuleKind.DEFAULT)).extracting(RuleDefinition::name)
                .containsExactly("phase.default", "due.default");
        assertThat(rule(deal, "deal_score").reasonsField()).isNull();
    }

    @Test
    void plainScriptStartsAtItsFirstCharacter() throws MetadataException {
        RuleDefinition rule = rule(load(DEAL, new MetadataFile(SCRIPT_FILE, SCORE_JS)), "amount.readOnlyWhen");
        assertThat(rule.source()).isEqualTo("record.phase == 'won'");
        assertThat(rule.sourceName()).isEqualTo(FILE);
        assertThat(rule.start()).isEqualTo(new SourceLocation(FILE, 6, 60));
        assertThat(rule.isExpression()).isTrue();
        assertMapsBack(DEAL, rule);
    }

    @Test
    void quotedScriptStartsAfterTheOpeningQuote() throws MetadataException {
        EntityDefinition deal = load(DEAL, new MetadataFile(SCRIPT_FILE, SCORE_JS));
        RuleDefinition doubleQuoted = rule(deal, "phase.default");
        assertThat(doubleQuoted.source()).isEqualTo("'open'");
        assertThat(doubleQuoted.start()).isEqualTo(new SourceLocation(FILE, 10, 15));
        RuleDefinition singleQuoted = rule(deal, "probability.visibleWhen");
        assertThat(singleQuoted.source()).isEqualTo("record.phase != \"won\"");
        assertThat(singleQuoted.start()).isEqualTo(new SourceLocation(FILE, 14, 19));
        assertMapsBack(DEAL, doubleQuoted);
        assertMapsBack(DEAL, singleQuoted);
    }

    @Test
    void literalBlockStartsOnTheLineAfterItsHeaderAtTheBlockIndentation() throws MetadataException {
        RuleDefinition rule = rule(load(DEAL, new MetadataFile(SCRIPT_FILE, SCORE_JS)), "weighted.computed");
        assertThat(rule.source()).isEqualTo("// amount weighted by probability\n"
                + "return record.amount * record.probability / 100;\n");
        assertThat(rule.isExpression()).isFalse();
        // header "computed: |" on line 18; script line 2 ("return …") is file line 20, column 7
        assertThat(rule.start()).isEqualTo(new SourceLocation(FILE, 19, 7));
        assertMapsBack(DEAL, rule);
    }

    @Test
    void literalBlockWithLeadingBlankLineStartsAtThatBlankLine() throws MetadataException {
        RuleDefinition rule = rule(load(DEAL, new MetadataFile(SCRIPT_FILE, SCORE_JS)), "amount_positive");
        assertThat(rule.source()).isEqualTo("\nif (record.amount < 0)\n  return {amount: 'must not be negative'};");
        // YAML keeps the blank line 35 as the script's line 1, so script line 2 is file line 36
        assertThat(rule.start()).isEqualTo(new SourceLocation(FILE, 35, 7));
        assertThat(textAt(DEAL, new SourceLocation(FILE, rule.start().line() + 1, rule.start().column())))
                .isEqualTo("if (record.amount < 0)");
        assertMapsBack(DEAL, rule);
    }

    @Test
    void foldedBlockStartsOnTheLineAfterItsHeader() throws MetadataException {
        RuleDefinition rule = rule(load(DEAL, new MetadataFile(SCRIPT_FILE, SCORE_JS)), "note.requiredWhen");
        assertThat(rule.source()).isEqualTo("record.phase == 'lost' || record.phase == 'cancelled'\n");
        assertThat(rule.start()).isEqualTo(new SourceLocation(FILE, 25, 7));
    }

    @Test
    void blockWithIndentationIndicatorCountsFromTheKey() throws MetadataException {
        RuleDefinition rule = rule(load(DEAL, new MetadataFile(SCRIPT_FILE, SCORE_JS)), "due.default");
        // "default: |2" with the key in column 5: the block is indented 6, the two further spaces are script
        assertThat(rule.source()).isEqualTo("  addDays(today, 30)\n");
        assertThat(rule.start()).isEqualTo(new SourceLocation(FILE, 31, 7));
        assertMapsBack(DEAL, rule);
    }

    @Test
    void fileScriptIsReadFromTheEntityFolderAndStartsAtOneOne() throws MetadataException {
        RuleDefinition rule = rule(load(DEAL, new MetadataFile(SCRIPT_FILE, SCORE_JS)), "deal_score");
        assertThat(rule.source()).isEqualTo(SCORE_JS);
        assertThat(rule.sourceName()).isEqualTo(SCRIPT_FILE);
        assertThat(rule.start()).isEqualTo(new SourceLocation(SCRIPT_FILE, 1, 1));
    }

    @Test
    void scriptsOnWindowsLineEndsStartAtTheSamePositions() throws MetadataException {
        String crlf = DEAL.replace("\n", "\r\n");
        EntityDefinition deal = load(crlf, new MetadataFile(SCRIPT_FILE, SCORE_JS));
        assertThat(rule(deal, "weighted.computed").start()).isEqualTo(new SourceLocation(FILE, 19, 7));
        assertThat(rule(deal, "amount_positive").start()).isEqualTo(new SourceLocation(FILE, 35, 7));
        assertThat(rule(deal, "amount.readOnlyWhen").start()).isEqualTo(new SourceLocation(FILE, 6, 60));
    }

    @Test
    void numbersAndBooleansAreScriptsAsWritten() throws MetadataException {
        EntityDefinition deal = load("""
                name: deal
                label: {en: Deal}
                pluralLabel: {en: Deals}
                fields:
                  name: {type: text, label: {en: Name}, visibleWhen: true}
                  probability: {type: integer, label: {en: Probability}, default: 10}
                """);
        assertThat(deal.rules()).extracting(RuleDefinition::source).containsExactly("true", "10");
        assertThat(deal.rules().get(1).start()).isEqualTo(new SourceLocation(FILE, 6, 67));
    }

    @Test
    void examplesKeepTheirValuesAsPlainJavaValues() throws MetadataException {
        EntityDefinition deal = load(DEAL + """
                examples:
                  - name: a won deal
                    record: {name: Test, phase: won, amount: 1000, probability: 40, due: 2025-01-31, note: ~}
                    previous: {phase: negotiation, amount: 999.5}
                    roles: [sales, read_only]
                    expect: {noErrors: true, values: {weighted: 400}, readOnly: {amount: true}, score: 50}
                  - name: a lost deal needs a note
                    record: {name: Test, phase: lost}
                    expect:
                      errors: [note, record]
                      required: {note: true}
                      visible: {probability: true}
                """, new MetadataFile(SCRIPT_FILE, SCORE_JS));
        assertThat(deal.examples()).hasSize(2);
        RuleExample won = deal.examples().get(0);
        assertThat(won.name()).isEqualTo("a won deal");
        assertThat(won.record()).containsExactly(Map.entry("name", "Test"), Map.entry("phase", "won"),
                Map.entry("amount", 1000L), Map.entry("probability", 40L), Map.entry("due", "2025-01-31"),
                entryWithNull("note"));
        assertThat(won.previous()).containsEntry("amount", new BigDecimal("999.5"));
        assertThat(won.roles()).containsExactly("sales", "read_only");
        assertThat(won.expect()).containsEntry("noErrors", true).containsEntry("score", 50L)
                .containsEntry("values", Map.of("weighted", 400L));
        assertThat(won.location()).isEqualTo(new SourceLocation(FILE, 42, 5));
        RuleExample lost = deal.examples().get(1);
        assertThat(lost.previous()).isNull();
        assertThat(lost.roles()).isEmpty();
        assertThat(lost.expect().get("errors")).isEqualTo(List.of("note", "record"));
    }

    private static Map.Entry<String, Object> entryWithNull(String key) {
        return new java.util.AbstractMap.SimpleEntry<>(key, null);
    }

    @Test
    void entityWithoutRulesHasNone() throws MetadataException {
        var model = new MetadataLoader().load(List.of(MetadataProblemsTest.entity("account", MetadataProblemsTest.ACCOUNT)));
        assertThat(model.entity("account").orElseThrow().rules()).isEmpty();
        assertThat(model.entity("account").orElseThrow().examples()).isEmpty();
    }

    @Test
    void scriptFilesAreReadFromTheEntitiesFolderAndResolvedNextToTheEntityFile(@TempDir Path temp) throws Exception {
        Path entities = Files.createDirectories(temp.resolve("ext/entities"));
        Files.writeString(entities.resolve("deal.yaml"), DEAL);
        Files.writeString(entities.resolve("deal.score.js"), SCORE_JS);
        Files.writeString(entities.resolve("unused.js"), "this is not even JavaScript (");
        Files.createDirectories(temp.resolve("ext/roles"));
        Files.writeString(temp.resolve("ext/roles/helper.js"), "ignored");

        List<MetadataFile> files = MetadataFiles.fromDirectory(temp.resolve("ext"));
        assertThat(files).extracting(MetadataFile::displayName).containsExactly(
                temp.resolve("ext") + "/entities/deal.score.js", temp.resolve("ext") + "/entities/deal.yaml",
                temp.resolve("ext") + "/entities/unused.js");
        MetadataModel model = new MetadataLoader().load(files);

        RuleDefinition score = rule(model.entity("deal").orElseThrow(), "deal_score");
        assertThat(score.sourceName()).isEqualTo(temp.resolve("ext") + "/entities/deal.score.js");
        assertThat(score.source()).isEqualTo(SCORE_JS);
    }

    @Test
    void revisionCoversScriptFiles() throws MetadataException {
        MetadataFile yaml = new MetadataFile(FILE, DEAL);
        String before = new MetadataLoader().load(List.of(yaml, new MetadataFile(SCRIPT_FILE, SCORE_JS))).revision();
        String after = new MetadataLoader().load(List.of(yaml, new MetadataFile(SCRIPT_FILE, SCORE_JS + "// more\n")))
                .revision();
        assertThat(after).isNotEqualTo(before);
    }
}
