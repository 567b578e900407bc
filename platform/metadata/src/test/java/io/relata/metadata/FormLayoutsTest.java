package io.relata.metadata;

import static org.assertj.core.api.Assertions.assertThat;

import io.relata.api.model.EntityForm;
import io.relata.api.model.FormLayout;
import io.relata.api.model.MetadataModel;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** {@code forms/<entity>.yaml}: record form layouts per role, checked against the entity, its roles and lists. */
class FormLayoutsTest {

    private static final MetadataFile ACCOUNT = new MetadataFile("core/entities/account.yaml", """
            name: account
            label: {de: Firma, en: Account}
            pluralLabel: {de: Firmen, en: Accounts}
            fields:
              name: {type: text, label: {de: Name, en: Name}, required: true}
              city: {type: text, label: {de: Ort, en: City}}
              revenue: {type: money, label: {de: Umsatz, en: Revenue}}
            """);
    private static final MetadataFile CONTACT = new MetadataFile("core/entities/contact.yaml", """
            name: contact
            label: {de: Kontakt, en: Contact}
            pluralLabel: {de: Kontakte, en: Contacts}
            fields:
              last_name: {type: text, label: {de: Nachname, en: Last name}}
              account: {type: reference, entity: account, label: {de: Firma, en: Account}, reverse: {name: contacts}}
            """);
    private static final MetadataFile SALES = new MetadataFile("core/roles/sales.yaml", """
            name: sales
            label: {de: Vertrieb, en: Sales}
            entities:
              account: {read: all}
            """);

    private static List<MetadataFile> with(MetadataFile... more) {
        List<MetadataFile> files = new ArrayList<>(List.of(ACCOUNT, CONTACT, SALES));
        files.addAll(List.of(more));
        return files;
    }

    private static List<MetadataProblem> problems(MetadataFile... more) {
        MetadataException e = (MetadataException) org.assertj.core.api.Assertions.catchThrowable(
                () -> new MetadataLoader().load(with(more)));
        assertThat(e).as("the load is refused").isNotNull();
        return e.problems();
    }

    @Test
    void aLayoutPerRoleWithTabsSectionsAndRelatedLists() throws Exception {
        MetadataModel model = new MetadataLoader().load(with(new MetadataFile("site/forms/account.yaml", """
                entity: account
                layouts:
                  - name: sales
                    roles: [sales]
                    tabs:
                      - label: {de: Übersicht, en: Overview}
                        sections:
                          - label: {de: Firma, en: Company}
                            columns: 3
                            fields: [name, city]
                      - label: {de: Zahlen, en: Figures}
                        sections:
                          - fields: [revenue]
                    related: [contacts]
                  - name: default
                    tabs:
                      - sections:
                          - fields: [name]
                """)));
        EntityForm form = model.form("account").orElseThrow();
        FormLayout sales = form.layoutFor(Set.of("sales", "service")).orElseThrow();
        assertThat(sales.name()).isEqualTo("sales");
        assertThat(sales.tabs()).hasSize(2);
        assertThat(sales.tabs().get(0).sections().get(0).columns()).isEqualTo(3);
        assertThat(sales.tabs().get(1).sections().get(0).columns()).as("two by default").isEqualTo(2);
        assertThat(sales.tabs().get(1).sections().get(0).label()).isNull();
        assertThat(sales.related()).containsExactly("contacts");
        assertThat(sales.placedFields()).containsExactly("name", "city", "revenue");
        assertThat(form.layoutFor(Set.of("marketing")).orElseThrow().name()).isEqualTo("default");
        assertThat(model.form("contact")).isEmpty();
    }

    @Test
    void aLaterLayersFormReplacesAnEarlierOne() throws Exception {
        MetadataModel model = new MetadataLoader().load(with(
                new MetadataFile("plugin/forms/account.yaml", "entity: account\nlayouts:\n  - name: plugin\n    tabs:\n      - sections:\n          - fields: [city]\n"),
                new MetadataFile("site/forms/account.yaml", "entity: account\nlayouts:\n  - name: site\n    tabs:\n      - sections:\n          - fields: [name]\n")));
        assertThat(model.form("account").orElseThrow().layouts()).extracting(FormLayout::name).containsExactly("site");
    }

    @Test
    void unknownFieldsRolesListsAndRepeatsAreProblemsAtTheirPlace() {
        List<MetadataProblem> found = problems(new MetadataFile("site/forms/account.yaml", """
                entity: account
                layouts:
                  - name: sales
                    roles: [sale]
                    tabs:
                      - sections:
                          - fields: [name, citty]
                    related: [contact]
                """));
        assertThat(found).extracting(MetadataProblem::code).containsOnly(ProblemCode.FORM_INVALID.name());
        assertThat(found).extracting(MetadataProblem::line).containsExactly(4, 7, 8);
        assertThat(found.get(0).fix()).contains("did you mean 'sales'");
        assertThat(found.get(1).fix()).contains("did you mean 'city'");
        assertThat(found.get(2).fix()).contains("contacts");

        assertThat(problems(new MetadataFile("site/forms/account.yaml", """
                entity: account
                layouts:
                  - name: a
                    tabs:
                      - sections:
                          - fields: [name, city, name]
                  - name: a
                    tabs:
                      - sections:
                          - fields: [name]
                """))).extracting(MetadataProblem::line).containsExactly(6, 7, 7);
        assertThat(problems(new MetadataFile("site/forms/contact.yaml", "entity: account\nlayouts:\n  - name: a\n    tabs:\n      - sections:\n          - fields: [name]\n")))
                .extracting(MetadataProblem::code).containsExactly(ProblemCode.FORM_NAME_MISMATCH.name());
        assertThat(problems(new MetadataFile("site/forms/vehicle.yaml", "entity: vehicle\nlayouts:\n  - name: a\n    tabs:\n      - sections:\n          - fields: [name]\n")))
                .extracting(MetadataProblem::code).containsExactly(ProblemCode.FORM_INVALID.name());
    }
}
