package io.relata.metadata;

import static io.relata.metadata.ProcessFixtures.CHECK;
import static io.relata.metadata.ProcessFixtures.DIALOG_FILE;
import static io.relata.metadata.ProcessFixtures.FLOW;
import static io.relata.metadata.ProcessFixtures.PROCESS_FILE;
import static io.relata.metadata.ProcessFixtures.dialog;
import static io.relata.metadata.ProcessFixtures.process;
import static io.relata.metadata.ProcessFixtures.withBase;
import static org.assertj.core.api.Assertions.assertThat;

import io.relata.api.model.FieldType;
import io.relata.api.model.MetadataModel;
import io.relata.api.model.SourceLocation;
import io.relata.api.process.DialogDefinition;
import io.relata.api.process.DialogFinish;
import io.relata.api.process.DialogStep;
import io.relata.api.process.ProcessAction;
import io.relata.api.process.ProcessDefinition;
import io.relata.api.process.TransitionDefinition;
import io.relata.api.rules.RuleDefinition;
import io.relata.api.rules.RuleKind;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Processes and dialogs are built from their files: transitions expanded from lists and '*', actions and
 * recipients with their defaults, and every script as a rule of the right kind with the file and position
 * where its text starts.
 */
class ProcessMetadataTest {

    static MetadataModel load(MetadataFile... files) throws MetadataException {
        return new MetadataLoader().load(List.of(withBase(files)));
    }

    static ProcessDefinition flow(String yaml, MetadataFile... more) throws MetadataException {
        MetadataFile[] files = new MetadataFile[more.length + 1];
        files[0] = process(yaml);
        System.arraycopy(more, 0, files, 1, more.length);
        return load(files).process("deal_flow").orElseThrow();
    }

    private static List<String> moves(ProcessDefinition process) {
        return process.transitions().stream().map(t -> t.from() + "->" + t.to()).toList();
    }

    @Test
    void listsInFromAndToGiveEveryPairInFileOrder() throws MetadataException {
        ProcessDefinition process = flow(FLOW.replace("  - {from: offered, to: won}",
                "  - {from: [open, offered], to: [won, lost]}"));
        assertThat(moves(process)).containsExactly("open->offered", "open->won", "open->lost", "offered->won",
                "offered->lost");
        assertThat(process.transition("open", "won").orElseThrow().source())
                .isEqualTo(new SourceLocation(PROCESS_FILE, 15, 5));
    }

    @Test
    void starMeansEveryOpenPhaseExceptTheTarget() throws MetadataException {
        ProcessDefinition process = flow(FLOW.replace("  - {from: '*', to: lost}",
                "  - {from: '*', to: [lost, offered]}"));
        assertThat(moves(process)).containsExactly("open->offered", "offered->won", "open->lost", "offered->lost");
        assertThat(process.transitionsFrom("won")).isEmpty();
        assertThat(process.transitionsFrom("lost")).isEmpty();
    }

    @Test
    void anExplicitMoveTakesPrecedenceOverOneFromStarWhereverItStands() throws MetadataException {
        ProcessDefinition process = flow(FLOW + "  - {from: open, to: lost, guard: \"record.reason != null || 'Why?'\"}\n");
        assertThat(moves(process)).containsExactly("open->offered", "offered->won", "offered->lost", "open->lost");
        TransitionDefinition explicit = process.transition("open", "lost").orElseThrow();
        assertThat(explicit.guard().source()).isEqualTo("record.reason != null || 'Why?'");
        assertThat(process.transition("offered", "lost").orElseThrow().guard()).isNull();
    }

    @Test
    void guardsAndConditionsAreRulesWithTheirPositions() throws MetadataException {
        String yaml = FLOW.replace("phaseField: stage\n", "phaseField: stage\nappliesWhen: record.amount > 0\n")
                .replace("  - {from: offered, to: won}", """
                          - from: offered
                            to: won
                            guard: {file: won.js}
                            when: |
                              // signed deals close by themselves
                              record.signed_on != null
                        """.stripTrailing());
        ProcessDefinition process = flow(yaml, new MetadataFile("metadata/processes/won.js", "return record.amount > 0;\n"));
        RuleDefinition appliesWhen = process.appliesWhen();
        assertThat(appliesWhen).isEqualTo(new RuleDefinition("deal_flow.appliesWhen", RuleKind.CONDITION, null, null,
                "record.amount > 0", PROCESS_FILE, new SourceLocation(PROCESS_FILE, 5, 14)));
        TransitionDefinition won = process.transition("offered", "won").orElseThrow();
        assertThat(won.guard()).isEqualTo(new RuleDefinition("deal_flow.offered->won.guard", RuleKind.VALIDATION, null,
                null, "return record.amount > 0;\n", "metadata/processes/won.js",
                new SourceLocation("metadata/processes/won.js", 1, 1)));
        assertThat(won.when().kind()).isEqualTo(RuleKind.CONDITION);
        assertThat(won.when().source()).isEqualTo("// signed deals close by themselves\nrecord.signed_on != null\n");
        assertThat(won.when().start()).isEqualTo(new SourceLocation(PROCESS_FILE, 20, 7));
        assertThat(won.isAutomatic()).isTrue();
    }

    @Test
    void setValuesAreLiteralsOrExpressionsAfterAnEqualsSign() throws MetadataException {
        String yaml = FLOW.replace("    outcome: success\n", """
                    outcome: success
                    onEnter:
                      - set:
                          amount: 1500.50
                          language: en
                          signed_on: '=today'
                          reason: =record.name + ' won'
                          email: '==x@example.com'
                """);
        ProcessAction.SetFields set = (ProcessAction.SetFields) flow(yaml).phase("won").orElseThrow().onEnter().get(0);
        assertThat(set.values().keySet()).containsExactly("amount", "language", "signed_on", "reason", "email");
        assertThat(set.values().get("amount")).isEqualTo(new BigDecimal("1500.50"));
        assertThat(set.values().get("language")).isEqualTo("en");
        assertThat(set.values().get("email")).isEqualTo("=x@example.com");
        assertThat(set.values().get("signed_on")).isEqualTo(new RuleDefinition("deal_flow.won.onEnter.signed_on",
                RuleKind.COMPUTED, "signed_on", null, "today", PROCESS_FILE, new SourceLocation(PROCESS_FILE, 14, 24)));
        RuleDefinition reason = (RuleDefinition) set.values().get("reason");
        assertThat(reason.source()).isEqualTo("record.name + ' won'");
        assertThat(reason.field()).isEqualTo("reason");
        assertThat(reason.start()).isEqualTo(new SourceLocation(PROCESS_FILE, 15, 20));
        assertThat(set.source()).isEqualTo(new SourceLocation(PROCESS_FILE, 11, 9));
        assertThat(set.force()).as("the writer's values win by default").isFalse();
    }

    @Test
    void aForcedSetActionSaysSo() throws MetadataException {
        String yaml = FLOW.replace("    outcome: success\n", """
                    outcome: success
                    onEnter:
                      - {set: {amount: 100}, force: true}
                      - {set: {language: en}, force: false}
                """);
        List<ProcessAction> actions = flow(yaml).phase("won").orElseThrow().onEnter();
        assertThat(actions).extracting(a -> ((ProcessAction.SetFields) a).force()).containsExactly(true, false);
    }

    @Test
    void actionsAndRecipientsWithTheirDefaults() throws MetadataException {
        String yaml = FLOW.replace("  - name: offered\n", """
                  - name: offered
                    onEnter:
                      - todo: {subject: {en: 'Call {{record.name}}'}}
                      - todo: {subject: {en: Check}, assignTo: {role: manager}, due: PT4H}
                      - mail: {template: welcome, to: {field: email}}
                      - mail: {template: welcome, to: {address: boss@example.com}}
                      - mail: {template: welcome, to: {user: ann}}
                      - webhook: {url: 'http://127.0.0.1:9999/hook'}
                      - extension: {name: erp_sync, parameters: {mode: full, retries: 3}}
                    onLeave:
                      - set: {amount: 0}
                    timers:
                      - name: give_up
                        after: P10D
                        do: [move: lost]
                """);
        var offered = flow(yaml).phase("offered").orElseThrow();
        List<ProcessAction> actions = offered.onEnter();
        ProcessAction.CreateTodo call = (ProcessAction.CreateTodo) actions.get(0);
        assertThat(call.assignee()).isEqualTo(new ProcessAction.RecordOwner());
        assertThat(call.due()).isNull();
        assertThat(call.subject().in("en")).isEqualTo("Call {{record.name}}");
        ProcessAction.CreateTodo check = (ProcessAction.CreateTodo) actions.get(1);
        assertThat(check.assignee()).isEqualTo(new ProcessAction.Role("manager"));
        assertThat(check.due()).isEqualTo(Duration.ofHours(4));
        assertThat(((ProcessAction.SendMail) actions.get(2)).to()).isEqualTo(new ProcessAction.Field("email"));
        assertThat(((ProcessAction.SendMail) actions.get(3)).to()).isEqualTo(new ProcessAction.Address("boss@example.com"));
        assertThat(((ProcessAction.SendMail) actions.get(4)).to()).isEqualTo(new ProcessAction.User("ann"));
        assertThat(((ProcessAction.CallWebhook) actions.get(5)).url()).isEqualTo("http://127.0.0.1:9999/hook");
        ProcessAction.CallExtension extension = (ProcessAction.CallExtension) actions.get(6);
        assertThat(extension.name()).isEqualTo("erp_sync");
        assertThat(extension.parameters()).containsEntry("mode", "full").containsEntry("retries", 3L);
        assertThat(offered.onLeave()).singleElement().isInstanceOf(ProcessAction.SetFields.class);
        assertThat(offered.timers()).singleElement().satisfies(timer -> {
            assertThat(timer.name()).isEqualTo("give_up");
            assertThat(timer.after()).isEqualTo(Duration.ofDays(10));
            assertThat(timer.actions()).containsExactly(new ProcessAction.MovePhase("lost",
                    new SourceLocation(PROCESS_FILE, 21, 14)));
            assertThat(timer.source()).isEqualTo(new SourceLocation(PROCESS_FILE, 19, 9));
        });
        assertThat(offered.label()).isNull();
        assertThat(offered.source()).isEqualTo(new SourceLocation(PROCESS_FILE, 7, 5));
    }

    @Test
    void aDialogIsBuiltWithTheEntitysFieldsItsAnswersAndItsFinish() throws MetadataException {
        DialogDefinition check = load(process(FLOW), dialog(CHECK)).dialog("deal_check").orElseThrow();
        assertThat(check.entity()).isEqualTo("deal");
        assertThat(check.description()).isNull();
        assertThat(check.source()).isEqualTo(new SourceLocation(DIALOG_FILE, 1, 7));
        DialogStep basics = check.firstStep();
        assertThat(basics.fields()).extracting(f -> f.name() + ":" + f.recordField() + ":" + f.definition().type())
                .containsExactly("name:true:TEXT", "urgent:false:BOOLEAN");
        assertThat(basics.fields().get(0).definition().location()).isEqualTo(new SourceLocation(DIALOG_FILE, 8, 9));
        assertThat(basics.validation()).isNull();
        assertThat(basics.next()).extracting(DialogStep.DialogBranch::step).containsExactly("fast", "detail");
        assertThat(basics.next().get(0).when()).isEqualTo(new RuleDefinition("deal_check.basics.next.1.when",
                RuleKind.CONDITION, null, null, "record.urgent", DIALOG_FILE, new SourceLocation(DIALOG_FILE, 11, 16)));
        assertThat(basics.next().get(1).when()).isNull();
        DialogStep fast = check.step("fast").orElseThrow();
        assertThat(fast.fields().get(0).definition().required()).isTrue();
        assertThat(fast.fields().get(0).definition().type()).isEqualTo(FieldType.MONEY);
        assertThat(fast.next()).isEmpty();
        RuleDefinition validation = check.step("detail").orElseThrow().validation();
        assertThat(validation.kind()).isEqualTo(RuleKind.VALIDATION);
        assertThat(validation.name()).isEqualTo("deal_check.detail.validation");
        assertThat(validation.start()).isEqualTo(new SourceLocation(DIALOG_FILE, 21, 18));

        DialogFinish finish = check.finish();
        assertThat(finish.setFields()).containsEntry("language", "en");
        assertThat(finish.movePhase()).isEqualTo("offered");
        assertThat(finish.creates()).singleElement().satisfies(create -> {
            assertThat(create.entity()).isEqualTo("note");
            assertThat(create.values()).containsEntry("text", "Check {{record.name}}: {{dialog.notes}}")
                    .containsEntry("deal", "{{record.id}}");
            assertThat(create.source()).isEqualTo(new SourceLocation(DIALOG_FILE, 25, 7));
        });
    }

    @Test
    void aDialogWithoutFinishOnlyWritesItsFieldsBack() throws MetadataException {
        String yaml = CHECK.substring(0, CHECK.indexOf("finish:"));
        assertThat(load(dialog(yaml)).dialog("deal_check").orElseThrow().finish()).isEqualTo(DialogFinish.NOTHING);
    }

    @Test
    void scriptsAreReadFromTheFoldersOfProcessesAndDialogs(@TempDir Path temp) throws Exception {
        Path root = temp.resolve("meta");
        Files.createDirectories(root.resolve("entities"));
        Files.createDirectories(root.resolve("roles"));
        Files.createDirectories(root.resolve("templates"));
        Files.createDirectories(root.resolve("processes"));
        Files.createDirectories(root.resolve("dialogs"));
        Files.writeString(root.resolve("entities/deal.yaml"), ProcessFixtures.DEAL);
        Files.writeString(root.resolve("entities/note.yaml"), ProcessFixtures.NOTE);
        Files.writeString(root.resolve("roles/manager.yaml"), ProcessFixtures.MANAGER);
        Files.writeString(root.resolve("templates/welcome.yaml"), ProcessFixtures.WELCOME);
        Files.writeString(root.resolve("processes/deal_flow.yaml"),
                FLOW.replace("  - {from: offered, to: won}", "  - {from: offered, to: won, guard: {file: won.js}}"));
        Files.writeString(root.resolve("processes/won.js"), "record.signed_on != null");
        Files.writeString(root.resolve("dialogs/deal_check.yaml"),
                CHECK.replace("{when: record.urgent, step: fast}", "{when: {file: urgent.js}, step: fast}"));
        Files.writeString(root.resolve("dialogs/urgent.js"), "record.urgent");

        MetadataModel model = new MetadataLoader().loadDirectories(List.of(root));

        String processes = root.resolve("processes").toString().replace('\\', '/');
        assertThat(model.process("deal_flow").orElseThrow().transition("offered", "won").orElseThrow().guard().sourceName())
                .isEqualTo(processes + "/won.js");
        assertThat(model.dialog("deal_check").orElseThrow().firstStep().next().get(0).when().source())
                .isEqualTo("record.urgent");
    }
}
