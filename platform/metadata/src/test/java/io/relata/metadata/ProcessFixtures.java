package io.relata.metadata;

import java.util.ArrayList;
import java.util.List;

/** A small entity, role and template to hang processes and dialogs on; line numbers are named in the tests. */
final class ProcessFixtures {

    static final String PROCESS_FILE = "metadata/processes/deal_flow.yaml";
    static final String DIALOG_FILE = "metadata/dialogs/deal_check.yaml";
    static final String TEMPLATE_FILE = "metadata/templates/welcome.yaml";

    static final String DEAL = """
            name: deal
            label: {en: Deal}
            pluralLabel: {en: Deals}
            fields:
              name: {type: text, label: {en: Name}, required: true}
              amount: {type: money, label: {en: Amount}, min: 0}
              email: {type: email, label: {en: E-mail}}
              language:
                type: choice
                label: {en: Language}
                options: [{value: de, label: {en: German}}, {value: en, label: {en: English}}]
              stage:
                type: choice
                label: {en: Stage}
                options:
                  - {value: open, label: {en: Open}}
                  - {value: offered, label: {en: Offered}}
                  - {value: won, label: {en: Won}}
                  - {value: lost, label: {en: Lost}}
              reason: {type: long-text, label: {en: Reason}}
              signed_on: {type: date, label: {en: Signed on}}
              weighted: {type: money, label: {en: Weighted}, computed: "record.amount"}
            """;

    /** A note linked to a deal, for dialogs that create records. */
    static final String NOTE = """
            name: note
            label: {en: Note}
            pluralLabel: {en: Notes}
            fields:
              text: {type: text, label: {en: Text}, required: true}
              kind: {type: text, label: {en: Kind}, required: true, default: "'call'"}
              deal: {type: reference, entity: deal, label: {en: Deal}}
            """;

    static final String MANAGER = """
            name: manager
            label: {en: Manager}
            administrator: true
            """;

    static final String WELCOME = """
            name: welcome
            languageField: language
            subject: {en: 'Welcome, {{record.name}}'}
            body:
              en: |
                Hello {{record.name}},
                your deal is {{phase.label}}.
            """;

    /** Lines 1–16. */
    static final String FLOW = """
            name: deal_flow
            entity: deal
            label: {en: Deal flow}
            phaseField: stage
            phases:
              - name: open
              - name: offered
              - name: won
                outcome: success
              - name: lost
                outcome: failure
                reasonField: reason
            transitions:
              - {from: open, to: offered}
              - {from: offered, to: won}
              - {from: '*', to: lost}
            """;

    /** A dialog on deals, valid together with {@link #FLOW}. */
    static final String CHECK = """
            name: deal_check
            entity: deal
            label: {en: Check deal}
            steps:
              - name: basics
                title: {en: Basics}
                fields:
                  - {field: name, required: true}
                  - {name: urgent, type: boolean, label: {en: 'Urgent?'}}
                next:
                  - {when: record.urgent, step: fast}
                  - {step: detail}
              - name: fast
                title: {en: Fast}
                fields:
                  - {field: amount, required: true}
              - name: detail
                title: {en: Detail}
                fields:
                  - {name: notes, type: long-text, label: {en: Notes}}
                validation: "record.notes ? true : {notes: 'Say something'}"
            finish:
              set: {language: en}
              create:
                - entity: note
                  values: {text: 'Check {{record.name}}: {{dialog.notes}}', deal: '{{record.id}}'}
              movePhase: offered
            """;

    private ProcessFixtures() {
    }

    /**
     * Asserts a problem's code, file and position, the position given as the place of {@code needle} in the
     * YAML text (its {@code occurrence}-th appearance, counting from 1), so the tests say what is reported
     * where rather than bare numbers.
     */
    static void assertAt(MetadataProblem problem, String file, String yaml, String needle, int occurrence,
                         ProblemCode code) {
        int index = -1;
        for (int i = 0; i < occurrence; i++) {
            index = yaml.indexOf(needle, index + 1);
            if (index < 0) {
                throw new AssertionError("'" + needle + "' does not occur " + occurrence + " time(s) in the fixture");
            }
        }
        int line = 1;
        int lineStart = 0;
        for (int i = 0; i < index; i++) {
            if (yaml.charAt(i) == '\n') {
                line++;
                lineStart = i + 1;
            }
        }
        MetadataProblemsTest.assertAt(problem, file, line, index - lineStart + 1, code);
    }

    static void assertAt(MetadataProblem problem, String file, String yaml, String needle, ProblemCode code) {
        assertAt(problem, file, yaml, needle, 1, code);
    }

    static MetadataFile process(String yaml) {
        return new MetadataFile(PROCESS_FILE, yaml);
    }

    static MetadataFile dialog(String yaml) {
        return new MetadataFile(DIALOG_FILE, yaml);
    }

    /** The deal entity, the note entity, the manager role and the welcome template, plus the given files. */
    static MetadataFile[] withBase(MetadataFile... files) {
        List<MetadataFile> all = new ArrayList<>(List.of(
                new MetadataFile("metadata/entities/deal.yaml", DEAL),
                new MetadataFile("metadata/entities/note.yaml", NOTE),
                new MetadataFile("metadata/roles/manager.yaml", MANAGER),
                new MetadataFile(TEMPLATE_FILE, WELCOME)));
        all.addAll(List.of(files));
        return all.toArray(MetadataFile[]::new);
    }
}
