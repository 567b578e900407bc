package io.relata.metadata;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Every problem code: reported with file, line, column, the element and a fix. */
class MetadataProblemsTest {

    static final String ACCOUNT = """
            name: account
            label: {de: Firma, en: Account}
            pluralLabel: {de: Firmen, en: Accounts}
            fields:
              name: {type: text, label: {de: Name, en: Name}}
            """;

    static MetadataFile entity(String name, String yaml) {
        return new MetadataFile("metadata/entities/" + name + ".yaml", yaml);
    }

    static List<MetadataProblem> problems(MetadataFile... files) {
        MetadataException e = catchThrowableOfType(MetadataException.class,
                () -> new MetadataLoader().load(List.of(files)));
        assertThat(e).as("expected a MetadataException").isNotNull();
        return e.problems();
    }

    static MetadataProblem onlyProblem(MetadataFile... files) {
        List<MetadataProblem> problems = problems(files);
        assertThat(problems).as(problems.toString()).hasSize(1);
        return problems.get(0);
    }

    static void assertAt(MetadataProblem problem, String file, int line, int column, ProblemCode code) {
        assertThat(problem.code()).as(problem.toString()).isEqualTo(code.name());
        assertThat(problem.file()).as(problem.toString()).isEqualTo(file);
        assertThat(problem.line()).as(problem.toString()).isEqualTo(line);
        assertThat(problem.column()).as(problem.toString()).isEqualTo(column);
    }

    @Test
    void brokenYamlIsReportedAsSyntaxErrorWithPosition() {
        MetadataProblem problem = onlyProblem(entity("account", """
                name: account
                label: {de: Firma, en: Account
                pluralLabel: {de: Firmen, en: Accounts}
                """));
        assertThat(problem.code()).isEqualTo("YAML_SYNTAX");
        assertThat(problem.file()).isEqualTo("metadata/entities/account.yaml");
        assertThat(problem.line()).isEqualTo(3);
        assertThat(problem.message()).contains("not valid YAML");
        assertThat(problem.fix()).contains("indent");
    }

    @Test
    void aPrecisionThatLeavesNoDigitBeforeTheDefaultScaleIsRefused() throws MetadataException {
        MetadataProblem problem = onlyProblem(entity("account", """
                name: account
                label: {de: Firma, en: Account}
                pluralLabel: {de: Firmen, en: Accounts}
                fields:
                  trend: {type: decimal, label: {en: Trend}, precision: 1}
                """));
        assertAt(problem, "metadata/entities/account.yaml", 5, 57, ProblemCode.INVALID_VALUE);
        assertThat(problem.message()).contains("precision 1", "keeps 4 digits after the point");
        assertThat(problem.fix()).contains("'precision: 5, scale: 4'");

        new MetadataLoader().load(List.of(entity("account", """
                name: account
                label: {de: Firma, en: Account}
                pluralLabel: {de: Firmen, en: Accounts}
                fields:
                  trend: {type: decimal, label: {en: Trend}, precision: 5, scale: 1}
                """)));
    }

    @Test
    void duplicateKeyIsReportedWithLineAndColumnOfSecondKey() {
        MetadataProblem problem = onlyProblem(entity("account", """
                name: account
                label: {de: Firma, en: Account}
                pluralLabel: {de: Firmen, en: Accounts}
                fields:
                  name: {type: text, label: {de: Name, en: Name}}
                  city: {type: text, label: {de: Ort, en: City}}
                  name: {type: text, label: {de: Name 2, en: Name 2}}
                """));
        assertAt(problem, "metadata/entities/account.yaml", 7, 3, ProblemCode.DUPLICATE_KEY);
        assertThat(problem.message()).contains("'name'", "twice", "line 5");
    }

    @Test
    void aKeyWrittenTwiceAfterAOneLineMappingIsADuplicateNotAKeyPushedOutOfTheBraces() {
        MetadataProblem problem = onlyProblem(entity("account", """
                name: account
                label: {de: Firma, en: Account}
                pluralLabel: {de: Firmen, en: Accounts}
                fields:
                  name: {type: text, label: {de: Name, en: Name}}
                examples:
                  - name: a named account
                    record: {name: Alpha}
                    record: {name: Alpha}
                    expect: {noErrors: true}
                """));
        assertAt(problem, "metadata/entities/account.yaml", 9, 5, ProblemCode.DUPLICATE_KEY);
        assertThat(problem.message()).contains("'record'", "line 8");
    }

    @Test
    void duplicateKeyInsideAFlowMappingIsFound() {
        MetadataProblem problem = onlyProblem(entity("account", ACCOUNT.replace(
                "{type: text, label:", "{type: text, type: long-text, label:")));
        assertAt(problem, "metadata/entities/account.yaml", 5, 22, ProblemCode.DUPLICATE_KEY);
        assertThat(problem.message()).contains("'type'");
    }

    @Test
    void fileWithOnlyCommentsIsReportedAsEmpty() {
        MetadataProblem problem = onlyProblem(entity("account", "# nothing yet\n"));
        assertAt(problem, "metadata/entities/account.yaml", 1, 1, ProblemCode.EMPTY_FILE);
        assertThat(problem.fix()).contains("name, label, pluralLabel, fields");
    }

    @Test
    void missingLabelOfAFieldIsReportedOnTheField() {
        MetadataProblem problem = onlyProblem(entity("account", ACCOUNT + "  city: {type: text}\n"));
        assertAt(problem, "metadata/entities/account.yaml", 6, 9, ProblemCode.MISSING_KEY);
        assertThat(problem.message()).contains("Field 'city'", "'label'");
        assertThat(problem.fix()).contains("add 'label:'", "per language");
    }

    @Test
    void missingEnglishLabelIsReported() {
        MetadataProblem problem = onlyProblem(entity("account", ACCOUNT.replace("{de: Firma, en: Account}", "{de: Firma}")));
        assertAt(problem, "metadata/entities/account.yaml", 2, 8, ProblemCode.MISSING_KEY);
        assertThat(problem.message()).contains("'label'", "'en'");
    }

    @Test
    void choiceWithoutOptionsIsReportedAsMissingKey() {
        MetadataProblem problem = onlyProblem(entity("account", ACCOUNT + "  kind: {type: choice, label: {en: Kind}}\n"));
        assertAt(problem, "metadata/entities/account.yaml", 6, 3, ProblemCode.MISSING_KEY);
        assertThat(problem.message()).contains("Field 'kind'", "choice", "'options'");
    }

    @Test
    void unknownKeyIsReportedAtTheKeyWithTheClosestKnownKey() {
        MetadataProblem problem = onlyProblem(entity("account", ACCOUNT + """
                  city:
                    type: text
                    lable: {de: Ort, en: City}
                    label: {de: Ort, en: City}
                """));
        assertAt(problem, "metadata/entities/account.yaml", 8, 5, ProblemCode.UNKNOWN_KEY);
        assertThat(problem.message()).contains("'lable'", "field 'city'");
        assertThat(problem.fix()).contains("did you mean 'label'?", "type, label, help, required");
    }

    @Test
    void keysDedentedOutOfAFieldAreOneIndentationProblemNotACascade() {
        MetadataProblem problem = onlyProblem(entity("account", ACCOUNT + """
                  status:
                    type: choice
                label: {de: Status, en: Status}
                options:
                  - {value: new, label: {en: New}}
                required: true
                searchable: true
                """));
        assertAt(problem, "metadata/entities/account.yaml", 8, 1, ProblemCode.KEY_INDENTATION);
        assertThat(problem.message()).isEqualTo("Are these keys indented correctly? 'label' (line 8), 'options' (line 9), "
                + "'required' (line 11) and 'searchable' (line 12) are read as part of the entity, where they do not fit, "
                + "but would fit in field 'status' above them.");
        assertThat(problem.fix()).isEqualTo("indent them by 4 more spaces, to line up with 'type' (line 7).");
    }

    @Test
    void aKeyDedentedIntoTheFieldsIsNotTakenForANewField() {
        MetadataProblem problem = onlyProblem(entity("account", ACCOUNT + """
                  city:
                    type: text
                  label: {de: Ort, en: City}
                """));
        assertAt(problem, "metadata/entities/account.yaml", 8, 3, ProblemCode.KEY_INDENTATION);
        assertThat(problem.message()).isEqualTo("Is this key indented correctly? 'label' (line 8) is read as part of key "
                + "'fields', where it does not fit, but would fit in field 'city' above it.");
        assertThat(problem.fix()).isEqualTo("indent it by 2 more spaces, to line up with 'type' (line 7).");
    }

    @Test
    void aLanguageDedentedOutOfAHelpTextIsMisplacedNotAMisspelledKeyOfTheField() {
        MetadataProblem problem = onlyProblem(entity("account", ACCOUNT + """
                  city:
                    type: text
                    label: {de: Ort, en: City}
                    help:
                      de: Ort des Sitzes
                    en: City of the head office
                """));
        assertAt(problem, "metadata/entities/account.yaml", 11, 5, ProblemCode.KEY_INDENTATION);
        assertThat(problem.fix()).isEqualTo("indent it by 2 more spaces, to line up with 'de' (line 10).");
    }

    @Test
    void aFieldNamedLikeAFieldKeyIsStillAFieldWithItsOwnProblems() {
        MetadataProblem problem = onlyProblem(entity("account", ACCOUNT + """
                  help:
                    type: text
                    lable: {en: Help}
                    label: {en: Help}
                """));
        assertAt(problem, "metadata/entities/account.yaml", 8, 5, ProblemCode.UNKNOWN_KEY);
        assertThat(problem.message()).isEqualTo("Unknown key 'lable' in field 'help'.");
    }

    @Test
    void yamlOneOneBooleanIsAnInvalidValueWithAHint() {
        MetadataProblem problem = onlyProblem(entity("account",
                ACCOUNT.replace("{type: text, label:", "{type: text, required: yes, label:")));
        assertAt(problem, "metadata/entities/account.yaml", 5, 32, ProblemCode.INVALID_VALUE);
        assertThat(problem.message()).contains("'required' of field 'name'", "true or false", "'yes'");
        assertThat(problem.fix()).contains("write true or false");
    }

    @Test
    void invalidFieldNameIsReportedWithASuggestion() {
        MetadataProblem problem = onlyProblem(entity("account", ACCOUNT + "  Postal Code: {type: text, label: {en: Zip}}\n"));
        assertAt(problem, "metadata/entities/account.yaml", 6, 3, ProblemCode.INVALID_VALUE);
        assertThat(problem.message()).contains("Field name 'Postal Code'");
        assertThat(problem.fix()).contains("lower-case", "'postal_code'");
    }

    @Test
    void numberBelowItsMinimumIsAnInvalidValue() {
        MetadataProblem problem = onlyProblem(entity("account",
                ACCOUNT.replace("{type: text, label:", "{type: text, maxLength: 0, label:")));
        assertAt(problem, "metadata/entities/account.yaml", 5, 33, ProblemCode.INVALID_VALUE);
        assertThat(problem.message()).contains("'maxLength' of field 'name'", "at least 1", "is 0");
    }

    @Test
    void unknownFieldTypeListsTheTypes() {
        MetadataProblem problem = onlyProblem(entity("account", ACCOUNT + "  employees: {type: integr, label: {en: Staff}}\n"));
        assertAt(problem, "metadata/entities/account.yaml", 6, 21, ProblemCode.UNKNOWN_FIELD_TYPE);
        assertThat(problem.message()).contains("Field 'employees'", "'integr'");
        assertThat(problem.fix()).contains("did you mean 'integer'?", "text, long-text, integer", "reference");
    }

    @Test
    void entityNameMustEqualTheFileName() {
        MetadataProblem problem = onlyProblem(entity("company", ACCOUNT));
        assertAt(problem, "metadata/entities/company.yaml", 1, 7, ProblemCode.ENTITY_NAME_MISMATCH);
        assertThat(problem.message()).contains("'account'", "'company'");
        assertThat(problem.fix()).contains("name: company", "'account.yaml'");
    }

    @Test
    void sameEntityInTwoDirectoriesIsReportedWithBothLocations() {
        MetadataProblem problem = onlyProblem(entity("account", ACCOUNT),
                new MetadataFile("/opt/ext/entities/account.yml", ACCOUNT));
        assertAt(problem, "/opt/ext/entities/account.yml", 1, 7, ProblemCode.DUPLICATE_ENTITY);
        assertThat(problem.message()).contains("'account'", "twice", "metadata/entities/account.yaml:1:7");
        assertThat(problem.fix()).contains("unique");
    }

    @Test
    void systemColumnNamesCannotBeFieldNames() {
        MetadataProblem problem = onlyProblem(entity("account", ACCOUNT + "  created_at: {type: date-time, label: {en: Created}}\n"));
        assertAt(problem, "metadata/entities/account.yaml", 6, 3, ProblemCode.RESERVED_FIELD_NAME);
        assertThat(problem.message()).contains("'created_at'", "reserved");
        assertThat(problem.fix()).contains("id, version, created_at, updated_at, owner_user and owner_team");
    }

    @Test
    void ownerColumnsAreReservedFieldNames() {
        List<MetadataProblem> problems = problems(entity("account", ACCOUNT
                + "  owner_user: {type: text, label: {en: Owner}}\n  owner_team: {type: text, label: {en: Team}}\n"));
        assertThat(problems).hasSize(2);
        assertAt(problems.get(0), "metadata/entities/account.yaml", 6, 3, ProblemCode.RESERVED_FIELD_NAME);
        assertThat(problems.get(0).message()).contains("'owner_user'", "reserved");
        assertAt(problems.get(1), "metadata/entities/account.yaml", 7, 3, ProblemCode.RESERVED_FIELD_NAME);
        assertThat(problems.get(1).message()).contains("'owner_team'");
    }

    @Test
    void referenceToAMissingEntityNamesTheKnownEntities() {
        MetadataProblem problem = onlyProblem(entity("account", ACCOUNT), entity("contact", """
                name: contact
                label: {de: Ansprechpartner, en: Contact}
                pluralLabel: {de: Ansprechpartner, en: Contacts}
                fields:
                  last_name: {type: text, label: {en: Last name}}
                  account: {type: reference, entity: acount, label: {en: Account}}
                """));
        assertAt(problem, "metadata/entities/contact.yaml", 6, 38, ProblemCode.UNKNOWN_REFERENCE_TARGET);
        assertThat(problem.toString()).isEqualTo("metadata/entities/contact.yaml:6:38: [UNKNOWN_REFERENCE_TARGET] "
                + "Field 'account' references entity 'acount', which does not exist. "
                + "Fix: did you mean 'account'? use one of: account, contact.");
    }

    @Test
    void titleFieldMustExist() {
        MetadataProblem problem = onlyProblem(entity("account", ACCOUNT.replace("fields:", "titleField: nmae\nfields:")));
        assertAt(problem, "metadata/entities/account.yaml", 4, 13, ProblemCode.UNKNOWN_TITLE_FIELD);
        assertThat(problem.message()).contains("'nmae'");
        assertThat(problem.fix()).contains("did you mean 'name'?", "textual fields: name");
    }

    @Test
    void titleFieldMustBeTextual() {
        MetadataProblem problem = onlyProblem(entity("account", ACCOUNT.replace("fields:", "titleField: since\nfields:")
                + "  since: {type: date, label: {en: Since}}\n"));
        assertAt(problem, "metadata/entities/account.yaml", 4, 13, ProblemCode.TITLE_FIELD_NOT_TEXTUAL);
        assertThat(problem.message()).contains("'since'", "date");
        assertThat(problem.fix()).contains("textual fields: name");
    }

    @Test
    void optionValuesMustBeUnique() {
        MetadataProblem problem = onlyProblem(entity("account", ACCOUNT + """
                  industry:
                    type: choice
                    label: {en: Industry}
                    options:
                      - {value: telco, label: {en: Telco}}
                      - {value: insurance, label: {en: Insurance}}
                      - {value: telco, label: {en: Telecommunications}}
                """));
        assertAt(problem, "metadata/entities/account.yaml", 12, 17, ProblemCode.OPTION_DUPLICATE);
        assertThat(problem.message()).contains("'telco'", "field 'industry'", "line 10");
    }

    @Test
    void typeSpecificKeysAreRejectedOnOtherTypes() {
        List<MetadataProblem> problems = problems(entity("account", ACCOUNT + """
                  code: {type: text, label: {en: Code}, options: [{value: a, label: {en: A}}]}
                  staff: {type: integer, label: {en: Staff}, entity: account}
                  since: {type: date, label: {en: Since}, maxLength: 10}
                """));
        assertThat(problems).hasSize(3);
        assertAt(problems.get(0), "metadata/entities/account.yaml", 6, 41, ProblemCode.KEY_NOT_ALLOWED_FOR_TYPE);
        assertThat(problems.get(0).message()).contains("'options'", "field 'code'", "type text", "choice, multi-choice");
        assertAt(problems.get(1), "metadata/entities/account.yaml", 7, 46, ProblemCode.KEY_NOT_ALLOWED_FOR_TYPE);
        assertThat(problems.get(1).message()).contains("'entity'", "type integer", "reference");
        assertAt(problems.get(2), "metadata/entities/account.yaml", 8, 43, ProblemCode.KEY_NOT_ALLOWED_FOR_TYPE);
        assertThat(problems.get(2).fix()).contains("remove 'maxLength'", "text, long-text, email, phone, url");
    }

    @Test
    void onlyTextualFieldsCanBeSearchable() {
        MetadataProblem problem = onlyProblem(entity("account", ACCOUNT + "  revenue: {type: money, label: {en: Revenue}, searchable: true}\n"));
        assertAt(problem, "metadata/entities/account.yaml", 6, 48, ProblemCode.NOT_SEARCHABLE_TYPE);
        assertThat(problem.message()).contains("'revenue'", "money");
        assertThat(problem.fix()).contains("indexed: true", "text, long-text");
    }

    @Test
    void minAndMaxMustBeValuesOfTheFieldsTypeAndInOrder() {
        List<MetadataProblem> problems = problems(entity("account", ACCOUNT + """
                  employees: {type: integer, label: {en: Employees}, min: 0.5}
                  share: {type: decimal, label: {en: Share}, scale: 2, min: 0.001, max: 1}
                  revenue: {type: money, label: {en: Revenue}, min: 100, max: 10}
                  founded: {type: date, label: {en: Founded}, min: '2020-02-30'}
                """));
        assertThat(problems).extracting(MetadataProblem::code).containsOnly(ProblemCode.LIMIT_INVALID.name());
        assertThat(problems).extracting(MetadataProblem::line).containsExactly(6, 7, 8, 9);
        assertThat(problems.get(0).message()).contains("min of field 'employees' of type integer is 0.5",
                "a whole number such as 0");
        assertThat(problems.get(1).message()).contains("0.001", "more digits after the point than the field keeps (2)");
        assertThat(problems.get(2).message()).contains("max 10, below its min 100");
        assertThat(problems.get(2).column()).isEqualTo(63);
        assertThat(problems.get(3).message()).contains("'2020-02-30'", "a date such as 2000-01-01");
    }

    @Test
    void limitsGoOnlyOnTypesTheyFit() {
        List<MetadataProblem> problems = problems(entity("account", ACCOUNT + """
                  city: {type: text, label: {en: City}, min: 1}
                  size: {type: integer, label: {en: Size}, pattern: '[0-9]+'}
                """));
        assertThat(problems).extracting(MetadataProblem::code).containsExactly(ProblemCode.KEY_NOT_ALLOWED_FOR_TYPE.name(),
                ProblemCode.KEY_NOT_ALLOWED_FOR_TYPE.name());
        assertThat(problems.get(0).fix()).contains("integer, decimal, money, date");
        assertThat(problems.get(1).fix()).contains("text, long-text, email, phone, url");
    }

    @Test
    void aPatternMustCompileAndAPatternMessageNeedsAPattern() {
        List<MetadataProblem> problems = problems(entity("account", ACCOUNT + """
                  postal_code: {type: text, label: {en: Postal code}, pattern: '[0-9{5}'}
                  country: {type: text, label: {en: Country}, patternMessage: {en: two letters}}
                """));
        assertThat(problems).extracting(MetadataProblem::code).containsExactly(ProblemCode.LIMIT_INVALID.name(),
                ProblemCode.LIMIT_INVALID.name());
        assertAt(problems.get(0), "metadata/entities/account.yaml", 6, 64, ProblemCode.LIMIT_INVALID);
        assertThat(problems.get(0).message()).contains("not a valid regular expression", "Unclosed character class");
        assertAt(problems.get(1), "metadata/entities/account.yaml", 7, 47, ProblemCode.LIMIT_INVALID);
        assertThat(problems.get(1).message()).contains("'patternMessage' but no 'pattern'");
    }

    @Test
    void examplesAndLiteralDefaultsMustLieWithinTheLimits() {
        List<MetadataProblem> problems = problems(entity("account", ACCOUNT + """
                  probability: {type: integer, label: {en: Probability}, min: 0, max: 100, default: "150"}
                  postal_code: {type: text, label: {en: Postal code}, pattern: '[0-9]{5}', default: "'D-1'"}
                examples:
                  - name: too likely
                    record: {name: A, probability: 101, postal_code: '10115'}
                    expect: {values: {postal_code: '1011'}}
                """));
        assertThat(problems).extracting(MetadataProblem::code).containsOnly(ProblemCode.VALUE_OUTSIDE_LIMITS.name());
        assertThat(problems).extracting(MetadataProblem::line).containsExactly(6, 7, 10, 11);
        assertThat(problems.get(0).message()).isEqualTo("The default of field 'probability' is 150, above the largest "
                + "value 100 of field 'probability'.");
        assertThat(problems.get(1).message()).contains("'D-1'", "does not match the pattern '[0-9]{5}'");
        assertThat(problems.get(2).message()).contains("Example 'too likely': probability is 101",
                "the record store would refuse it");
        assertThat(problems.get(3).message()).contains("postal_code is '1011'");
    }

    @Test
    void limitsAreReadIntoTheFieldInItsType() throws MetadataException {
        var model = new MetadataLoader().load(List.of(entity("account", ACCOUNT + """
                  probability: {type: integer, label: {en: Probability}, min: 0, max: 100}
                  amount: {type: money, label: {en: Amount}, min: 0.5}
                  founded: {type: date, label: {en: Founded}, max: '2099-12-31'}
                  postal_code:
                    type: text
                    label: {en: Postal code}
                    pattern: '[0-9]{5}'
                    patternMessage: {de: fünf Ziffern, en: five digits}
                """)));
        var account = model.entity("account").orElseThrow();
        assertThat(account.field("probability").orElseThrow()).extracting(f -> f.min(), f -> f.max())
                .containsExactly(0L, 100L);
        assertThat(account.field("amount").orElseThrow().min()).isEqualTo(new java.math.BigDecimal("0.5"));
        assertThat(account.field("founded").orElseThrow().max()).isEqualTo(java.time.LocalDate.of(2099, 12, 31));
        assertThat(account.field("postal_code").orElseThrow().pattern()).isEqualTo("[0-9]{5}");
        assertThat(account.field("postal_code").orElseThrow().patternMessage().in("de")).isEqualTo("fünf Ziffern");
        assertThat(account.field("name").orElseThrow().min()).isNull();
    }

    @Test
    void twoReferencesCannotShareAReverseListName() {
        MetadataProblem problem = onlyProblem(entity("account", ACCOUNT), entity("contact", """
                name: contact
                label: {de: Ansprechpartner, en: Contact}
                pluralLabel: {de: Ansprechpartner, en: Contacts}
                fields:
                  last_name: {type: text, label: {en: Last name}}
                  account: {type: reference, entity: account, label: {en: Account}, reverse: {name: people}}
                  employer:
                    type: reference
                    entity: account
                    label: {en: Employer}
                    reverse: {name: people}
                """));
        assertAt(problem, "metadata/entities/contact.yaml", 11, 21, ProblemCode.DUPLICATE_REVERSE_LIST);
        assertThat(problem.message()).contains("'people'", "entity 'account'", "field 'account' of entity 'contact'",
                "contact.yaml:6:3");
        assertThat(problem.fix()).contains("reverse: {name: contact_by_employer}");
    }

    @Test
    void problemsOfAllFilesAndBothPassesAreReportedTogether() {
        MetadataException e = catchThrowableOfType(MetadataException.class, () -> new MetadataLoader().load(List.of(
                entity("account", ACCOUNT + "  id: {type: integer, label: {en: Id}}\n"),
                entity("contact", """
                        name: contact
                        label: {en: Contact}
                        pluralLabel: {en: Contacts}
                        fields:
                          account: {type: reference, entity: acount, label: {en: Account}}
                        """),
                entity("lead", "name: lead\nlabel: {en: Lead\n"),
                entity("opportunity", """
                        name: opportunity
                        label: {en: Opportunity}
                        pluralLabel: {en: Opportunities}
                        fields:
                          name: {type: txt, label: {en: Name}}
                        """))));
        assertThat(e.problems()).extracting(MetadataProblem::code).containsExactly(
                "RESERVED_FIELD_NAME", "UNKNOWN_REFERENCE_TARGET", "YAML_SYNTAX", "UNKNOWN_FIELD_TYPE");
        assertThat(e.getMessage()).startsWith("4 problem(s) in metadata:\nmetadata/entities/account.yaml:6:3: [RESERVED_FIELD_NAME]");
        assertThat(e.getMessage().lines()).hasSize(5);
    }

    @Test
    void aBrokenFileCausesNoFollowUpErrorsInFilesReferencingIt() {
        List<MetadataProblem> problems = problems(entity("account", "name: account\nlabel: [\n"), entity("contact", """
                name: contact
                label: {en: Contact}
                pluralLabel: {en: Contacts}
                fields:
                  account: {type: reference, entity: account, label: {en: Account}}
                """));
        assertThat(problems).extracting(MetadataProblem::code).containsExactly("YAML_SYNTAX");
    }

    @Test
    void filesOutsideKnownFoldersAndNonYamlFilesAreIgnored() throws MetadataException {
        var model = new MetadataLoader().load(List.of(entity("account", ACCOUNT),
                new MetadataFile("metadata/reports/pipeline.yaml", "this: [is not checked"),
                new MetadataFile("metadata/entities/README.md", "# not metadata")));
        assertThat(model.entities().keySet()).containsExactly("account");
    }

    @Test
    void defaultsAreFilledInForTitleFieldAndReverseLists() throws MetadataException {
        var model = new MetadataLoader().load(List.of(entity("account", ACCOUNT), entity("contact", """
                name: contact
                label: {de: Ansprechpartner, en: Contact}
                pluralLabel: {de: Ansprechpartner, en: Contacts}
                fields:
                  email: {type: email, label: {en: E-mail}}
                  last_name: {type: text, label: {en: Last name}}
                  account: {type: reference, entity: account, label: {en: Account}}
                """)));
        var contact = model.entity("contact").orElseThrow();
        assertThat(contact.titleField()).isEqualTo("last_name");
        var reverse = contact.field("account").orElseThrow().reverseList();
        assertThat(reverse.name()).isEqualTo("contact_by_account");
        assertThat(reverse.label().in("en")).isEqualTo("Contacts");
        assertThat(model.entity("account").orElseThrow().titleField()).isEqualTo("name");
    }

    @Test
    void revisionDependsOnContentNotOnFileOrder() throws MetadataException {
        MetadataFile account = entity("account", ACCOUNT);
        MetadataFile other = entity("other", ACCOUNT.replace("account", "other"));
        String forward = new MetadataLoader().load(List.of(account, other)).revision();
        String backward = new MetadataLoader().load(List.of(other, account)).revision();
        String changed = new MetadataLoader().load(List.of(account, entity("other", ACCOUNT.replace("account", "other")
                .replace("Firmen", "Unternehmen")))).revision();
        assertThat(forward).isEqualTo(backward).hasSize(12).isNotEqualTo(changed);
    }

    @Test
    void problemWithoutPositionPrintsOnlyTheFile() {
        List<String> lines = new ArrayList<>();
        lines.add(new MetadataProblem("/opt/ext", 0, 0, ProblemCode.METADATA_DIRECTORY_MISSING, "Missing.", "create it.").toString());
        assertThat(lines).containsExactly("/opt/ext: [METADATA_DIRECTORY_MISSING] Missing. Fix: create it.");
    }
}
