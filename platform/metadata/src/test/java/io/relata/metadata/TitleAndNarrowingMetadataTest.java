package io.relata.metadata;

import static io.relata.metadata.MetadataProblemsTest.assertAt;
import static io.relata.metadata.MetadataProblemsTest.entity;
import static io.relata.metadata.MetadataProblemsTest.onlyProblem;
import static org.assertj.core.api.Assertions.assertThat;

import io.relata.api.model.MetadataModel;
import io.relata.api.model.NarrowBy;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Title templates ({@code title: "{first_name} {last_name}"}) and narrowed reference pickers ({@code narrowBy}). */
class TitleAndNarrowingMetadataTest {

    private static final String ACCOUNT = """
            name: account
            label: {en: Account}
            pluralLabel: {en: Accounts}
            fields:
              name: {type: text, label: {en: Name}}
            """;

    /** Lines 1–9. */
    private static final String CONTACT = """
            name: contact
            label: {en: Contact}
            pluralLabel: {en: Contacts}
            title: "{first_name} {last_name}"
            fields:
              first_name: {type: text, label: {en: First name}}
              last_name: {type: text, label: {en: Last name}}
              birthday: {type: date, label: {en: Birthday}}
              account: {type: reference, entity: account, label: {en: Account}}
            """;

    /** Lines 1–12. */
    private static final String ACTIVITY = """
            name: activity
            label: {en: Activity}
            pluralLabel: {en: Activities}
            fields:
              subject: {type: text, label: {en: Subject}}
              account: {type: reference, entity: account, label: {en: Account}}
              contact:
                type: reference
                entity: contact
                label: {en: Contact}
                narrowBy: {field: account, via: account}
            """;

    private static final String CONTACT_FILE = "metadata/entities/contact.yaml";
    private static final String ACTIVITY_FILE = "metadata/entities/activity.yaml";

    private static MetadataModel load(String contact, String activity) throws MetadataException {
        return new MetadataLoader().load(List.of(entity("account", ACCOUNT), entity("contact", contact),
                entity("activity", activity)));
    }

    @Test
    void aTitleTemplateAndANarrowedPickerAreLoaded() throws MetadataException {
        MetadataModel model = load(CONTACT, ACTIVITY);
        var contact = model.entity("contact").orElseThrow();
        assertThat(contact.title().fields()).containsExactly("first_name", "last_name");
        assertThat(contact.titleTemplate().render(f -> f.equals("first_name") ? "Anna" : "Schmidt")).isEqualTo("Anna Schmidt");
        assertThat(model.entity("account").orElseThrow().titleTemplate().fields()).containsExactly("name");
        assertThat(model.entity("activity").orElseThrow().field("contact").orElseThrow().narrowBy())
                .isEqualTo(new NarrowBy("account", "account"));
        assertThat(model.entity("activity").orElseThrow().field("account").orElseThrow().narrowBy()).isNull();
    }

    @Test
    void viaDefaultsToTheSameFieldName() throws MetadataException {
        MetadataModel model = load(CONTACT, ACTIVITY.replace("{field: account, via: account}", "{field: account}"));
        assertThat(model.entity("activity").orElseThrow().field("contact").orElseThrow().narrowBy())
                .isEqualTo(new NarrowBy("account", "account"));
    }

    @Test
    void anUnknownFieldInTheTitleIsAnErrorWithASuggestion() {
        MetadataProblem problem = onlyProblem(entity("account", ACCOUNT), entity("contact",
                CONTACT.replace("{last_name}", "{last_nmae}")), entity("activity", ACTIVITY));
        assertAt(problem, CONTACT_FILE, 4, 8, ProblemCode.UNKNOWN_TITLE_FIELD);
        assertThat(problem.message()).contains("{last_nmae}");
        assertThat(problem.fix()).contains("did you mean 'last_name'?");
    }

    @Test
    void aTitleIsMadeOfTextualFields() {
        MetadataProblem problem = onlyProblem(entity("account", ACCOUNT), entity("contact",
                CONTACT.replace("{last_name}", "{birthday}")), entity("activity", ACTIVITY));
        assertAt(problem, CONTACT_FILE, 4, 8, ProblemCode.TITLE_FIELD_NOT_TEXTUAL);
        assertThat(problem.message()).contains("{birthday}", "date");
    }

    @Test
    void aPickerIsNarrowedByAnotherReferenceOfTheEntity() {
        MetadataProblem problem = onlyProblem(entity("account", ACCOUNT), entity("contact", CONTACT),
                entity("activity", ACTIVITY.replace("{field: account,", "{field: acount,")));
        assertAt(problem, ACTIVITY_FILE, 11, 23, ProblemCode.UNKNOWN_FIELD);
        assertThat(problem.fix()).contains("did you mean 'account'?");

        problem = onlyProblem(entity("account", ACCOUNT), entity("contact", CONTACT),
                entity("activity", ACTIVITY.replace("{field: account,", "{field: subject,")));
        assertAt(problem, ACTIVITY_FILE, 11, 23, ProblemCode.FIELD_TYPE_MISMATCH);
        assertThat(problem.message()).contains("'subject'", "not a reference");
    }

    @Test
    void theViaFieldMustReferenceTheSameEntity() {
        MetadataProblem problem = onlyProblem(entity("account", ACCOUNT), entity("contact", CONTACT),
                entity("activity", ACTIVITY.replace("via: account", "via: acount")));
        assertAt(problem, ACTIVITY_FILE, 11, 37, ProblemCode.UNKNOWN_FIELD);
        assertThat(problem.fix()).contains("did you mean 'account'?", "'via: account'");

        problem = onlyProblem(entity("account", ACCOUNT), entity("contact", CONTACT),
                entity("activity", ACTIVITY.replace("via: account", "via: last_name")));
        assertAt(problem, ACTIVITY_FILE, 11, 37, ProblemCode.FIELD_TYPE_MISMATCH);
        assertThat(problem.message()).contains("'last_name'", "not a reference to 'account'");
    }

    @Test
    void onlyAReferenceCanBeNarrowed() {
        MetadataProblem problem = onlyProblem(entity("account", ACCOUNT), entity("contact", CONTACT),
                entity("activity", ACTIVITY.replace("  subject: {type: text, label: {en: Subject}}",
                        "  subject: {type: text, label: {en: Subject}, narrowBy: {field: account}}")));
        assertThat(problem.file()).isEqualTo(ACTIVITY_FILE);
        assertThat(problem.line()).isEqualTo(5);
        assertThat(problem.message()).contains("narrowBy");
    }
}
