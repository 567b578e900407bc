package io.relata.metadata;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.relata.api.model.ChoiceOption;
import io.relata.api.model.EntityDefinition;
import io.relata.api.model.FieldDefinition;
import io.relata.api.model.MetadataModel;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A later layer's {@code extensions/<entity>.yaml} adds to an earlier layer's entity, and only adds. */
class EntityExtensionsTest {

    private static final MetadataFile CORE_ACCOUNT = new MetadataFile("metadata/entities/account.yaml", """
            name: account
            label: {de: Firma, en: Account}
            pluralLabel: {de: Firmen, en: Accounts}
            fields:
              name: {type: text, label: {de: Name, en: Name}, required: true}
              industry:
                type: choice
                label: {de: Branche, en: Industry}
                options:
                  - {value: trade, label: {de: Handel, en: Trade}}
              employees: {type: integer, label: {de: Mitarbeiter, en: Employees}}
            """);

    private static final MetadataFile HOUSEHOLD = new MetadataFile("layers/insurance/entities/household.yaml", """
            name: household
            label: {de: Haushalt, en: Household}
            pluralLabel: {de: Haushalte, en: Households}
            fields:
              name: {type: text, label: {de: Name, en: Name}, required: true}
            """);

    private static MetadataFile extension(String file, String yaml) {
        return new MetadataFile("layers/insurance/extensions/" + file + ".yaml", yaml);
    }

    private static List<MetadataProblem> problems(MetadataFile... files) {
        MetadataException e = (MetadataException) org.assertj.core.api.Assertions.catchThrowable(
                () -> new MetadataLoader().load(List.of(files)));
        assertThat(e).as("the load is refused").isNotNull();
        return e.problems();
    }

    @Test
    void anExtensionAddsFieldsOptionsRulesAndExamplesLocatedInItsOwnFile() throws Exception {
        MetadataModel model = new MetadataLoader().load(List.of(CORE_ACCOUNT, HOUSEHOLD, extension("account", """
                extends: account
                fields:
                  household:
                    type: reference
                    entity: household
                    label: {de: Haushalt, en: Household}
                    reverse: {name: accounts, label: {de: Firmen, en: Accounts}}
                  risk_class: {type: text, label: {de: Risikoklasse, en: Risk class}, maxLength: 2}
                options:
                  industry:
                    - {value: insurance, label: {de: Versicherung, en: Insurance}}
                rules:
                  - name: risk_class_for_insurers
                    validation: "record.industry === 'insurance' && !record.risk_class ? 'Risikoklasse fehlt' : null"
                examples:
                  - name: an insurer needs a risk class
                    record: {name: Allianz, industry: insurance}
                    expect: {errors: ['Risikoklasse fehlt']}
                """)));

        EntityDefinition account = model.entity("account").orElseThrow();
        assertThat(account.fields()).extracting(FieldDefinition::name)
                .containsExactly("name", "industry", "employees", "household", "risk_class");
        assertThat(account.field("industry").orElseThrow().options()).extracting(ChoiceOption::value)
                .containsExactly("trade", "insurance");
        assertThat(account.field("household").orElseThrow().location().file())
                .isEqualTo("layers/insurance/extensions/account.yaml");
        assertThat(account.location().file()).isEqualTo("metadata/entities/account.yaml");
        assertThat(account.rules()).extracting(r -> r.name()).contains("risk_class_for_insurers");
        assertThat(account.examples()).extracting(e -> e.name()).contains("an insurer needs a risk class");
        assertThat(model.reverseReferences("household")).extracting(r -> r.list().name()).containsExactly("accounts");
    }

    @Test
    void theOptionsOfALayerTakenOutStayRetiredAndItsFieldsLeaveTheModel() throws Exception {
        MetadataFile retired = extension("account", """
                extends: account
                fields:
                  risk_class: {type: text, label: {de: Risikoklasse, en: Risk class}}
                options:
                  industry:
                    - {value: insurance, label: {de: Versicherung, en: Insurance}}
                    - {value: trade, label: {de: Handel (alt), en: Trade (old)}}
                """);

        EntityDefinition account = new MetadataLoader().loadWithWarnings(List.of(CORE_ACCOUNT), List.of(retired))
                .model().entity("account").orElseThrow();

        assertThat(account.field("risk_class")).isEmpty();
        assertThat(account.field("industry").orElseThrow().options())
                .extracting(ChoiceOption::value, ChoiceOption::active)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("trade", true),
                        org.assertj.core.groups.Tuple.tuple("insurance", false));
        assertThat(account.field("industry").orElseThrow().options().get(1).label().in("de")).isEqualTo("Versicherung");
    }

    @Test
    void aFieldThatAnEarlierLayerDefinedCannotBeDefinedAgain() {
        List<MetadataProblem> problems = problems(CORE_ACCOUNT, extension("account", """
                extends: account
                fields:
                  employees: {type: text, label: {de: Mitarbeiter, en: Employees}}
                """));

        assertThat(problems).singleElement().satisfies(p -> {
            assertThat(p.code()).isEqualTo(ProblemCode.DEFINED_BY_EARLIER_LAYER.name());
            assertThat(p.file()).isEqualTo("layers/insurance/extensions/account.yaml");
            assertThat(p.line()).isEqualTo(3);
            assertThat(p.message()).contains("The field 'employees' of 'account' is defined at metadata/entities/account.yaml:11:");
        });
    }

    @Test
    void optionsGoOnlyToChoiceFieldsAndOnlyNewValues() {
        List<MetadataProblem> problems = problems(CORE_ACCOUNT, extension("account", """
                extends: account
                options:
                  industry:
                    - {value: trade, label: {de: Handel, en: Trade}}
                  name:
                    - {value: x, label: {de: X, en: X}}
                  nothing:
                    - {value: y, label: {de: Y, en: Y}}
                """));

        assertThat(problems).extracting(MetadataProblem::code).containsExactly(
                ProblemCode.DEFINED_BY_EARLIER_LAYER.name(), ProblemCode.OPTIONS_FOR_UNKNOWN_CHOICE.name(),
                ProblemCode.OPTIONS_FOR_UNKNOWN_CHOICE.name());
        assertThat(problems.get(1).message()).contains("'name' of 'account' is a text field");
        assertThat(problems.get(2).message()).contains("has no field 'nothing'");
    }

    @Test
    void anExtensionOfAnUnknownEntityOrUnderAnotherNameIsRefused() {
        assertThat(problems(CORE_ACCOUNT, extension("policy", """
                extends: policy
                fields:
                  note: {type: text, label: {de: Notiz, en: Note}}
                """))).singleElement().satisfies(p -> {
            assertThat(p.code()).isEqualTo(ProblemCode.EXTENDS_UNKNOWN_ENTITY.name());
            assertThat(p.message()).contains("extends the entity 'policy', which no layer before it defines");
        });
        assertThat(problems(CORE_ACCOUNT, extension("contact", """
                extends: account
                fields:
                  note: {type: text, label: {de: Notiz, en: Note}}
                """))).extracting(MetadataProblem::code).contains(ProblemCode.EXTENSION_NAME_MISMATCH.name());
    }

    @Test
    void anOverlayRelabelsReordersAndChangesFieldsButKeepsWhatTheyAre() throws Exception {
        MetadataModel model = new MetadataLoader().load(List.of(CORE_ACCOUNT, extension("account", """
                extends: account
                label: {de: Kunde, en: Customer}
                pluralLabel: {de: Kunden, en: Customers}
                fields:
                  risk_class: {type: text, label: {de: Risikoklasse, en: Risk class}}
                changes:
                  employees: {label: {de: Beschäftigte, en: Staff}, required: true, listed: true}
                  industry: {help: {de: Laut Register, en: As registered}, indexed: true}
                  risk_class: {searchable: true}
                fieldOrder: [risk_class, name]
                """)));

        EntityDefinition account = model.entity("account").orElseThrow();
        assertThat(account.label().in("de")).isEqualTo("Kunde");
        assertThat(account.pluralLabel().in("en")).isEqualTo("Customers");
        assertThat(account.fields()).extracting(FieldDefinition::name)
                .containsExactly("risk_class", "name", "industry", "employees");
        FieldDefinition employees = account.field("employees").orElseThrow();
        assertThat(employees.label().in("en")).isEqualTo("Staff");
        assertThat(employees.required()).isTrue();
        assertThat(employees.listed()).isTrue();
        assertThat(employees.type()).isEqualTo(io.relata.api.model.FieldType.INTEGER);
        assertThat(employees.location().file()).as("the field stays where it is defined")
                .isEqualTo("metadata/entities/account.yaml");
        FieldDefinition industry = account.field("industry").orElseThrow();
        assertThat(industry.help().in("de")).isEqualTo("Laut Register");
        assertThat(industry.indexed()).isTrue();
        assertThat(industry.label().in("en")).as("keys not given keep their value").isEqualTo("Industry");
        assertThat(industry.options()).hasSize(1);
        assertThat(account.field("risk_class").orElseThrow().searchable()).isTrue();
    }

    @Test
    void anOverlayOnAFieldThatIsGoneIsAProblemAtItsEntry() {
        List<MetadataProblem> problems = problems(CORE_ACCOUNT, extension("account", """
                extends: account
                changes:
                  employes: {required: true}
                  employees: {searchable: true}
                fieldOrder: [name, revenue]
                """));
        assertThat(problems).extracting(MetadataProblem::code).containsExactly(
                ProblemCode.CHANGE_FOR_UNKNOWN_FIELD.name(), ProblemCode.NOT_SEARCHABLE_TYPE.name(),
                ProblemCode.CHANGE_FOR_UNKNOWN_FIELD.name());
        assertThat(problems.get(0).line()).isEqualTo(3);
        assertThat(problems.get(0).message()).contains("did you mean 'employees'?");
        assertThat(problems.get(2).line()).isEqualTo(5);
        assertThat(problems.get(2).message()).contains("'revenue'");
    }

    @Test
    void anOverlayMayNotRetypeAField() {
        assertThat(problems(CORE_ACCOUNT, extension("account", """
                extends: account
                changes:
                  employees: {type: decimal}
                """))).extracting(MetadataProblem::code).containsExactly(ProblemCode.UNKNOWN_KEY.name());
    }

    @Test
    void twoLayersMayEachAddTheirOwnFieldsButNotTheSameOne() {
        List<MetadataProblem> problems = problems(CORE_ACCOUNT,
                extension("account", """
                        extends: account
                        fields:
                          risk_class: {type: text, label: {de: Risikoklasse, en: Risk class}}
                        """),
                new MetadataFile("layers/telco/extensions/account.yaml", """
                        extends: account
                        fields:
                          lines: {type: integer, label: {de: Anschlüsse, en: Lines}}
                          risk_class: {type: text, label: {de: Risiko, en: Risk}}
                        """));
        assertThat(problems).singleElement().satisfies(p -> {
            assertThat(p.file()).isEqualTo("layers/telco/extensions/account.yaml");
            assertThat(p.message()).contains("defined at layers/insurance/extensions/account.yaml:3:");
        });
    }
}
