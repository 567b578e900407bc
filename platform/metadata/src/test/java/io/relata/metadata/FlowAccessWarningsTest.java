package io.relata.metadata;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Warnings about flows that roles cannot complete: to-dos their assignees cannot see, dialogs their users may
 * start but not finish. The model loads; the warning names the action and the role.
 */
class FlowAccessWarningsTest {

    private static final String PROCESS_FILE = "metadata/processes/lead_flow.yaml";
    private static final String DIALOG_FILE = "metadata/dialogs/qualify.yaml";

    private static final String LEAD = """
            name: lead
            label: {en: Lead}
            pluralLabel: {en: Leads}
            fields:
              name: {type: text, label: {en: Name}, required: true}
              status:
                type: choice
                label: {en: Status}
                options: [{value: new, label: {en: New}}, {value: done, label: {en: Done}}]
            """;

    private static final String ACTIVITY = """
            name: activity
            label: {en: Activity}
            pluralLabel: {en: Activities}
            readAccessFrom: regarding
            fields:
              subject: {type: text, label: {en: Subject}, required: true}
              regarding: {type: record-link, label: {en: Regarding}}
            """;

    /** Lines 1–11: the to-do of 'done' (line 9) goes to the owner, the timer's (line 11) to a role. */
    private static final String FLOW = """
            name: lead_flow
            entity: lead
            label: {en: Leads}
            phaseField: status
            phases:
              - name: new
              - name: done
                onEnter:
                  - todo: {subject: {en: Call}, assignTo: owner}
                timers:
                  - {name: late, after: P1D, do: [{todo: {subject: {en: Late}, assignTo: {role: helper}}}]}
            transitions:
              - {from: new, to: done}
            """;

    private static final String QUALIFY = """
            name: qualify
            entity: lead
            label: {en: Qualify}
            steps:
              - name: ask
                title: {en: Ask}
                fields:
                  - {field: name}
            finish:
              create:
                - entity: activity
                  values: {subject: 'Qualified', regarding: '{{record.id}}'}
            """;

    /** Creates and changes leads; activities only as {@code activity} says. */
    private static String marketing(String activity) {
        return "name: marketing\nlabel: {en: Marketing}\nentities:\n"
                + "  lead: {create: true, read: all, update: all}\n" + activity;
    }

    private static final String HELPER = """
            name: helper
            label: {en: Helper}
            entities:
              lead: {read: all}
            """;

    private static MetadataLoader.Loaded load(String marketingActivity) throws MetadataException {
        return load(marketingActivity, QUALIFY);
    }

    private static MetadataLoader.Loaded load(String marketingActivity, String dialog) throws MetadataException {
        List<MetadataFile> files = new ArrayList<>(List.of(
                new MetadataFile("metadata/entities/activity.yaml", ACTIVITY),
                new MetadataFile("metadata/entities/lead.yaml", LEAD),
                new MetadataFile("metadata/roles/helper.yaml", HELPER),
                new MetadataFile("metadata/roles/marketing.yaml", marketing(marketingActivity)),
                new MetadataFile(PROCESS_FILE, FLOW),
                new MetadataFile(DIALOG_FILE, dialog)));
        return new MetadataLoader().loadWithWarnings(files);
    }

    @Test
    void toDosForUsersWhoCannotReadThemAndDialogsTheyCannotFinishAreWarnedAbout() throws MetadataException {
        MetadataLoader.Loaded loaded = load("");
        assertThat(loaded.model().processes()).containsKey("lead_flow");
        assertThat(loaded.warnings()).extracting(MetadataProblem::code).containsExactly(
                "ASSIGNEE_CANNOT_READ", "ASSIGNEE_CANNOT_READ", "FINISH_NOT_PERMITTED");

        MetadataProblem owner = loaded.warnings().get(0);
        MetadataProblemsTest.assertAt(owner, PROCESS_FILE, 9, 9, ProblemCode.ASSIGNEE_CANNOT_READ);
        assertThat(owner.message()).contains("owner of the lead", "role 'marketing'", "cannot read activity records");
        assertThat(owner.fix()).contains("grant role 'marketing' read on activity");

        MetadataProblem role = loaded.warnings().get(1);
        MetadataProblemsTest.assertAt(role, PROCESS_FILE, 11, 39, ProblemCode.ASSIGNEE_CANNOT_READ);
        assertThat(role.message()).contains("role 'helper'");

        MetadataProblem finish = loaded.warnings().get(2);
        assertThat(finish.file()).isEqualTo(DIALOG_FILE);
        assertThat(finish.line()).isEqualTo(11);
        assertThat(finish.message()).contains("Role 'marketing' may start dialog 'qualify'", "creates a activity record");
        assertThat(finish.toString()).startsWith(DIALOG_FILE + ":11:");
    }

    @Test
    void rolesThatReadTheirToDosAndCreateWhatTheyFinishAreFine() throws MetadataException {
        List<MetadataProblem> warnings = load("  activity: {create: true, read: own}\n").warnings();
        assertThat(warnings).extracting(MetadataProblem::code).containsExactly("ASSIGNEE_CANNOT_READ");
        assertThat(warnings.get(0).message()).contains("role 'helper'");
    }

    /** A dialog for named roles: only they are judged, the others cannot start it anyway. */
    @Test
    void aDialogForOtherRolesIsNoFlowTheOthersMustComplete() throws MetadataException {
        MetadataLoader.Loaded loaded = load("", QUALIFY.replace("label: {en: Qualify}\n", "label: {en: Qualify}\nroles: [helper]\n"));

        assertThat(loaded.model().dialog("qualify").orElseThrow().roles()).containsExactly("helper");
        assertThat(loaded.warnings()).extracting(MetadataProblem::code).doesNotContain("FINISH_NOT_PERMITTED");
    }

    @Test
    void aDialogForARoleThatDoesNotExistIsAnError() {
        MetadataProblem problem = MetadataProblemsTest.onlyProblem(
                new MetadataFile("metadata/entities/activity.yaml", ACTIVITY),
                new MetadataFile("metadata/entities/lead.yaml", LEAD),
                new MetadataFile("metadata/roles/helper.yaml", HELPER),
                new MetadataFile(DIALOG_FILE, QUALIFY.replace("label: {en: Qualify}\n", "label: {en: Qualify}\nroles: [helpr]\n")));
        MetadataProblemsTest.assertAt(problem, DIALOG_FILE, 4, 9, ProblemCode.UNKNOWN_ROLE);
        assertThat(problem.fix()).contains("did you mean 'helper'?");
    }
}
