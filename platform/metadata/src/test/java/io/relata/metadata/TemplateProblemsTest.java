package io.relata.metadata;

import static io.relata.metadata.MetadataProblemsTest.onlyProblem;
import static io.relata.metadata.MetadataProblemsTest.problems;
import static io.relata.metadata.ProcessFixtures.FLOW;
import static io.relata.metadata.ProcessFixtures.TEMPLATE_FILE;
import static io.relata.metadata.ProcessFixtures.assertAt;
import static io.relata.metadata.ProcessFixtures.process;
import static org.assertj.core.api.Assertions.assertThat;

import io.relata.api.model.SourceLocation;
import io.relata.api.process.MailTemplate;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Mail templates: names, placeholder syntax, and placeholders and language fields against the entities that send them. */
class TemplateProblemsTest {

    /** The fixture process, sending the template 'welcome' twice when a deal is won. */
    static final String SENDING_FLOW = FLOW.replace("    outcome: success\n", """
                outcome: success
                onEnter:
                  - mail: {template: welcome, to: owner}
                  - mail: {template: welcome, to: {field: email}}
            """);

    private static MetadataFile[] files(String template, boolean sent) {
        List<MetadataFile> files = new java.util.ArrayList<>(List.of(
                new MetadataFile("metadata/entities/deal.yaml", ProcessFixtures.DEAL),
                new MetadataFile(TEMPLATE_FILE, template)));
        if (sent) {
            files.add(process(SENDING_FLOW));
        }
        return files.toArray(MetadataFile[]::new);
    }

    @Test
    void aTemplateIsBuiltWithItsTextsAndLanguageField() throws MetadataException {
        MailTemplate welcome = new MetadataLoader().load(List.of(files(ProcessFixtures.WELCOME, true)))
                .template("welcome").orElseThrow();
        assertThat(welcome.languageField()).isEqualTo("language");
        assertThat(welcome.subject().in("en")).isEqualTo("Welcome, {{record.name}}");
        assertThat(welcome.body().in("en")).isEqualTo("Hello {{record.name}},\nyour deal is {{phase.label}}.\n");
        assertThat(welcome.source()).isEqualTo(new SourceLocation(TEMPLATE_FILE, 1, 7));
    }

    @Test
    void templateNameMustMatchTheFileName() {
        String yaml = ProcessFixtures.WELCOME.replace("name: welcome", "name: welcom");
        MetadataProblem problem = onlyProblem(files(yaml, false));
        assertAt(problem, TEMPLATE_FILE, yaml, "welcom\n", ProblemCode.TEMPLATE_NAME_MISMATCH);
        assertThat(problem.fix()).contains("name: welcome", "processes refer to the template by this name");
    }

    @Test
    void sameTemplateInTwoDirectoriesIsReportedAtTheSecond() {
        MetadataProblem problem = onlyProblem(new MetadataFile(TEMPLATE_FILE, ProcessFixtures.WELCOME),
                new MetadataFile("/opt/ext/templates/welcome.yaml", ProcessFixtures.WELCOME));
        assertAt(problem, "/opt/ext/templates/welcome.yaml", ProcessFixtures.WELCOME, "welcome",
                ProblemCode.DUPLICATE_TEMPLATE);
        assertThat(problem.message()).contains(TEMPLATE_FILE + ":1:7");
    }

    @Test
    void placeholderSyntaxIsCheckedAtTheExactPositionEvenInsideABlock() {
        String yaml = """
                name: welcome
                subject: {en: 'Hi {{recrod.name}}', de: 'Hallo }} {{record.name}} {{.}}'}
                body:
                  en: |
                    Hello {{record.name}},
                    {{#record.amount}}Amount: {{record.amount}}
                    {{> footer}}
                  de: |
                    {{#record.amount}}{{/record.name}}{{/record.amount}}
                """;
        List<MetadataProblem> problems = problems(files(yaml, false));
        assertThat(problems).extracting(MetadataProblem::code).containsOnly("PLACEHOLDER_INVALID").hasSize(6);
        assertAt(problems.get(0), TEMPLATE_FILE, yaml, "{{recrod.name}}", ProblemCode.PLACEHOLDER_INVALID);
        assertThat(problems.get(0).message()).contains("the subject (en)", "starts with 'recrod'",
                "record, process, phase, settings");
        assertThat(problems.get(0).fix()).contains("did you mean 'record'?");
        assertAt(problems.get(1), TEMPLATE_FILE, yaml, "}} {{record", ProblemCode.PLACEHOLDER_INVALID);
        assertThat(problems.get(1).message()).contains("never opened");
        assertAt(problems.get(2), TEMPLATE_FILE, yaml, "{{.}}", ProblemCode.PLACEHOLDER_INVALID);
        assertThat(problems.get(2).message()).contains("the subject (de)", "outside any section");
        assertAt(problems.get(3), TEMPLATE_FILE, yaml, "{{#record.amount}}Amount", ProblemCode.PLACEHOLDER_INVALID);
        assertThat(problems.get(3).message()).contains("the body (en)", "Section {{#record.amount}} is never closed");
        assertAt(problems.get(4), TEMPLATE_FILE, yaml, "{{> footer}}", ProblemCode.PLACEHOLDER_INVALID);
        assertThat(problems.get(4).message()).contains("Partials");
        assertAt(problems.get(5), TEMPLATE_FILE, yaml, "{{/record.name}}", ProblemCode.PLACEHOLDER_INVALID);
        assertThat(problems.get(5).message()).contains("the open section is {{#record.amount}}");
    }

    @Test
    void settingsOfferOnlyTheBaseUrl() {
        String yaml = ProcessFixtures.WELCOME.replace("your deal is {{phase.label}}.", "see {{settings.base_url}}, {{settings.company}}");
        MetadataProblem problem = onlyProblem(files(yaml, false));
        assertAt(problem, TEMPLATE_FILE, yaml, "{{settings.company}}", ProblemCode.PLACEHOLDER_INVALID);
        assertThat(problem.message()).contains("names 'company', which 'settings' does not offer");
        assertThat(problem.fix()).contains("use one of: base_url");
    }

    @Test
    void aTemplateNobodySendsMayNameAnyRecordField() throws MetadataException {
        String yaml = ProcessFixtures.WELCOME.replace("{{phase.label}}", "{{record.anything}}");
        assertThat(new MetadataLoader().load(List.of(files(yaml, false))).templates()).containsOnlyKeys("welcome");
    }

    @Test
    void recordPlaceholdersMustBeFieldsOfTheEntitiesThatSendTheTemplate() {
        String yaml = ProcessFixtures.WELCOME.replace("your deal is {{phase.label}}.", "your deal of {{record.amout}} is {{phase.label}}.");
        MetadataProblem problem = onlyProblem(files(yaml, true));
        assertAt(problem, TEMPLATE_FILE, yaml, "{{record.amout}}", ProblemCode.PLACEHOLDER_INVALID);
        assertThat(problem.message()).contains("the body (en)", "field 'amout', which entity 'deal' (sent by process "
                + "'deal_flow') does not have");
        assertThat(problem.fix()).contains("did you mean 'amount'?");
    }

    @Test
    void theLanguageFieldMustBeAChoiceOrTextFieldOfTheSendingEntity() {
        String unknown = ProcessFixtures.WELCOME.replace("languageField: language", "languageField: langauge");
        MetadataProblem problem = onlyProblem(files(unknown, true));
        assertAt(problem, TEMPLATE_FILE, unknown, "langauge", ProblemCode.UNKNOWN_FIELD);
        assertThat(problem.message()).contains("'langauge' is not a field of entity 'deal'");
        assertThat(problem.fix()).contains("did you mean 'language'?", "platform's default language");

        String money = ProcessFixtures.WELCOME.replace("languageField: language", "languageField: amount");
        problem = onlyProblem(files(money, true));
        assertAt(problem, TEMPLATE_FILE, money, "amount\n", ProblemCode.FIELD_TYPE_MISMATCH);
        assertThat(problem.fix()).contains("name, language, stage");
    }
}
