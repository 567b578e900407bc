package io.relata.admin.designer;

import static org.assertj.core.api.Assertions.assertThat;

import io.relata.api.model.MetadataModel;
import io.relata.api.process.DialogDefinition;
import io.relata.metadata.MetadataFile;
import io.relata.metadata.MetadataFiles;
import io.relata.metadata.MetadataLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The dialog designer's edits as {@code dialogs/<name>.yaml}, loaded by the real loader on the shipped metadata. */
class DialogDesignTest {

    private static MetadataModel load(DialogDesign design) throws Exception {
        List<MetadataFile> files = new ArrayList<>(MetadataFiles.fromDirectory(Path.of("../metadata")));
        files.add(new MetadataFile("site/" + design.path(), design.yaml()));
        return new MetadataLoader().load(files);
    }

    @Test
    void aNewDialogGetsStepsFieldsBranchesAndFinishesAndLoads() throws Exception {
        DialogDesign design = DialogDesign.of("ticket_intake", DialogDesign.newDialog("ticket_intake", "ticket",
                "Ticket aufnehmen", "Take a ticket", "subject"));
        design.addStep("urgency", "Dringlichkeit", "Urgency");
        design.setFields("urgency", "- name: urgent\n  type: boolean\n  label: {de: Dringend?, en: Urgent?}\n");
        design.addStep("escalate", "Eskalieren", "Escalate");
        design.setFields("escalate", "- {field: description, required: true}\n");
        design.setBranches("urgency", List.of(new DialogDesign.Branch("record.urgent", "escalate"),
                new DialogDesign.Branch(null, null)));
        design.setStep("start", "Anliegen", "Request", "Worum geht es?", "What is it about?",
                "record.subject && record.subject.length > 3 || {subject: {de: 'Zu kurz', en: 'Too short'}}");
        design.setFinish("escalate", "set: {priority: high}\n");

        DialogDefinition dialog = load(design).dialog("ticket_intake").orElseThrow();
        assertThat(dialog.steps()).extracting(s -> s.name()).containsExactly("start", "urgency", "escalate");
        assertThat(dialog.step("start").orElseThrow().help().in("en")).isEqualTo("What is it about?");
        assertThat(dialog.step("start").orElseThrow().validation().source()).contains("Too short");
        assertThat(dialog.step("start").orElseThrow().next()).singleElement().extracting(b -> b.step()).isEqualTo("urgency");
        assertThat(dialog.step("urgency").orElseThrow().next()).extracting(b -> b.step()).containsExactly("escalate", null);
        assertThat(dialog.step("urgency").orElseThrow().fields()).singleElement().satisfies(f -> assertThat(f.recordField()).isFalse());
        assertThat(dialog.step("escalate").orElseThrow().finish().setFields()).containsEntry("priority", "high");

        // what the editors show reads back as written
        assertThat(design.fieldsYaml("escalate")).isEqualTo("- {field: description, required: true}\n");
        assertThat(design.finishYaml("escalate")).isEqualTo("set: {priority: high}\n");
        assertThat(design.branches("urgency")).containsExactly(new DialogDesign.Branch("record.urgent", "escalate"),
                new DialogDesign.Branch(null, null));

        design.removeStep("escalate");
        DialogDefinition shorter = load(design).dialog("ticket_intake").orElseThrow();
        assertThat(shorter.step("urgency").orElseThrow().next()).extracting(b -> b.step()).containsExactly((String) null);
    }

    @Test
    void theShippedDialogReadAndWrittenBackGivesTheSameDialog() throws Exception {
        String text = Files.readString(Path.of("../metadata/dialogs/lead_qualification.yaml"));
        DialogDesign design = DialogDesign.of("lead_qualification", text);
        // a step edited in the form keeps what the form does not edit (its fields and branches)
        design.setStep("budget", "Budget", "Budget", null, null,
                "!record.has_budget || record.budget > 0 || {budget: {de: 'Wie hoch?', en: 'How large?'}}");
        List<MetadataFile> files = new ArrayList<>(MetadataFiles.fromDirectory(Path.of("../metadata")));
        files.removeIf(f -> f.displayName().endsWith("dialogs/lead_qualification.yaml"));
        files.add(new MetadataFile("site/" + design.path(), design.yaml()));
        DialogDefinition written = new MetadataLoader().load(files).dialog("lead_qualification").orElseThrow();
        DialogDefinition shipped = new MetadataLoader().load(MetadataFiles.fromDirectory(Path.of("../metadata")))
                .dialog("lead_qualification").orElseThrow();
        assertThat(written.steps()).extracting(s -> s.name()).isEqualTo(shipped.steps().stream().map(s -> s.name()).toList());
        assertThat(written.steps()).extracting(s -> s.fields().size())
                .isEqualTo(shipped.steps().stream().map(s -> s.fields().size()).toList());
        assertThat(written.step("needs").orElseThrow().finish().movePhase()).isEqualTo("qualified");
        assertThat(written.step("budget").orElseThrow().next()).extracting(b -> b.step()).containsExactly("needs", "nurture");
        assertThat(written.step("budget").orElseThrow().validation().source()).contains("How large?");
    }

    @Test
    void aShippedDialogIsCustomisedByAReplacementInItsPlace() throws Exception {
        String shipped = Files.readString(Path.of("../metadata/dialogs/lead_qualification.yaml"));
        DialogDesign design = DialogDesign.of("lead_qualification", DialogDesign.replacing("lead_qualification", shipped));
        assertThat(design.yaml()).contains("name: lead_qualification\nreplaces: true\n");
        design.setStep("contact", "Kontakt", "Contact details", null, null, null);
        DialogDefinition customised = load(design).dialog("lead_qualification").orElseThrow();
        assertThat(customised.source().file()).isEqualTo("site/dialogs/lead_qualification.yaml");
        assertThat(customised.step("contact").orElseThrow().title().in("en")).isEqualTo("Contact details");
        assertThat(customised.step("contact").orElseThrow().validation()).as("the form left it empty").isNull();
    }
}
