package io.relata.metadata;

import static io.relata.metadata.MetadataProblemsTest.ACCOUNT;
import static io.relata.metadata.MetadataProblemsTest.assertAt;
import static io.relata.metadata.MetadataProblemsTest.entity;
import static io.relata.metadata.MetadataProblemsTest.onlyProblem;
import static org.assertj.core.api.Assertions.assertThat;

import io.relata.api.model.EntityDefinition;
import io.relata.api.model.FieldType;
import io.relata.api.model.MetadataModel;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Record-link fields (a link to a record of any entity) and readAccessFrom, as the loader reads and checks them. */
class RecordLinkMetadataTest {

    private static final String NOTE_FILE = "metadata/entities/note.yaml";

    /** Lines 1–9. */
    private static final String NOTE = """
            name: note
            label: {en: Note}
            pluralLabel: {en: Notes}
            readAccessFrom: about
            fields:
              text: {type: text, label: {en: Text}}
              about:
                type: record-link
                label: {en: About}
            """;

    @Test
    void aRecordLinkLinksAnyEntityAndIsListedOnEveryEntitysPages() throws MetadataException {
        MetadataModel model = new MetadataLoader().load(List.of(entity("account", ACCOUNT), entity("note", NOTE)));
        EntityDefinition note = model.entity("note").orElseThrow();
        assertThat(note.field("about").orElseThrow().type()).isEqualTo(FieldType.RECORD_LINK);
        assertThat(note.field("about").orElseThrow().referenceEntity()).isNull();
        assertThat(note.field("about").orElseThrow().reverseList().name()).isEqualTo("note_by_about");
        assertThat(note.field("about").orElseThrow().reverseList().label().in("en")).isEqualTo("Notes");
        assertThat(note.readAccessFrom()).isEqualTo("about");
        assertThat(note.readAccessField()).map(f -> f.name()).hasValue("about");
        assertThat(model.recordLinks()).extracting(r -> r.sourceEntity().name() + "." + r.sourceField().name())
                .containsExactly("note.about");
        assertThat(model.entity("account").orElseThrow().readAccessFrom()).isNull();
    }

    @Test
    void readAccessFromMustNameALinkOfTheEntity() {
        String typo = NOTE.replace("readAccessFrom: about", "readAccessFrom: abuot");
        MetadataProblem problem = onlyProblem(entity("note", typo));
        assertAt(problem, NOTE_FILE, 4, 17, ProblemCode.UNKNOWN_FIELD);
        assertThat(problem.fix()).contains("did you mean 'about'?", "use one of the reference and record-link fields: about");

        String text = NOTE.replace("readAccessFrom: about", "readAccessFrom: text");
        problem = onlyProblem(entity("note", text));
        assertAt(problem, NOTE_FILE, 4, 17, ProblemCode.FIELD_TYPE_MISMATCH);
        assertThat(problem.message()).contains("'text' of type text");
    }

    @Test
    void theEntityColumnOfARecordLinkIsNoFreeFieldName() {
        String clash = NOTE + "  about_entity: {type: text, label: {en: Entity}}\n";
        MetadataProblem problem = onlyProblem(entity("note", clash));
        assertAt(problem, NOTE_FILE, 10, 3, ProblemCode.RESERVED_FIELD_NAME);
        assertThat(problem.message()).contains("record-link field 'about'");
    }

    @Test
    void aRecordLinkCannotBeUnique() {
        String unique = NOTE.replace("type: record-link", "type: record-link\n    unique: true");
        MetadataProblem problem = onlyProblem(entity("note", unique));
        assertAt(problem, NOTE_FILE, 9, 5, ProblemCode.KEY_NOT_ALLOWED_FOR_TYPE);
    }

    @Test
    void aDialogDoesNotAskARecordLinkYet() {
        String dialog = """
                name: note_check
                entity: note
                label: {en: Check}
                steps:
                  - name: ask
                    title: {en: Ask}
                    fields:
                      - {field: about}
                """;
        MetadataProblem problem = onlyProblem(entity("account", ACCOUNT), entity("note", NOTE),
                new MetadataFile("metadata/dialogs/note_check.yaml", dialog));
        assertAt(problem, "metadata/dialogs/note_check.yaml", 8, 17, ProblemCode.DIALOG_FIELD_INVALID);
        assertThat(problem.fix()).contains("set 'about' in the finish instead");
    }

    @Test
    void aRecordLinksListNameMustBeFreeOnEveryEntity() {
        String account = ACCOUNT + "  parent: {type: reference, entity: account, label: {en: Parent}, "
                + "reverse: {name: notes}}\n";
        String note = NOTE.replace("label: {en: About}", "label: {en: About}\n    reverse: {name: notes}");
        MetadataProblem problem = onlyProblem(entity("account", account), entity("note", note));
        assertThat(problem.code()).isEqualTo(ProblemCode.DUPLICATE_REVERSE_LIST.name());
        assertThat(problem.message()).contains("Reverse list 'notes' on entity 'account'");
    }
}
