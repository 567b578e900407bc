package io.relata.metadata;

import static org.assertj.core.api.Assertions.assertThat;

import io.relata.api.model.EntityDefinition;
import io.relata.api.model.FieldDefinition;
import io.relata.api.model.FieldType;
import io.relata.api.model.LocalizedText;
import io.relata.api.model.MetadataModel;
import io.relata.api.model.ReverseReference;
import io.relata.api.model.SourceLocation;
import io.relata.api.rules.RuleDefinition;
import io.relata.api.rules.RuleExample;
import io.relata.api.rules.RuleKind;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The CRM entities shipped in metadata/entities load without problems and mean what they should. */
class ShippedMetadataTest {

    /** The repository's metadata folder; override with -Drelata.metadata.dir=... */
    static final Path METADATA = Path.of(System.getProperty("relata.metadata.dir", "../../metadata"));

    private static MetadataModel model;

    @BeforeAll
    static void load() throws MetadataException {
        model = new MetadataLoader().load(MetadataFiles.fromDirectory(METADATA));
    }

    @Test
    void everyShippedRoleCanSeeTheToDosItIsGivenAndFinishTheDialogsItMayStart() throws MetadataException {
        // the one warning of the shipped metadata is about a hidden derived field (ShippedRolesTest), not about flows
        assertThat(new MetadataLoader().loadWithWarnings(MetadataFiles.fromDirectory(METADATA)).warnings())
                .extracting(MetadataProblem::code)
                .doesNotContain("ASSIGNEE_CANNOT_READ", "FINISH_NOT_PERMITTED", "PHASE_FIELD_HIDDEN");
    }

    @Test
    void shippedEntitiesLoadInFileOrder() {
        assertThat(model.entities().keySet()).containsExactly("account", "activity", "campaign", "campaign_member", "consent",
                "consent_purpose", "contact", "contract", "lead", "mail_sequence", "mail_sequence_step", "mail_template",
                "meeting_request", "opportunity", "price_list", "price_list_item", "product", "quota", "quote", "quote_line",
                "sales_order", "sequence_enrollment", "target_group", "target_group_member", "ticket");
        assertThat(model.revision()).matches("[0-9a-f]{12}");
        assertThat(model.loadedAt()).isNotNull();
    }

    @Test
    void everyFieldTypeIsUsedAtLeastOnce() {
        Set<FieldType> used = model.allEntities().stream()
                .flatMap(e -> e.fields().stream()).map(FieldDefinition::type)
                .collect(Collectors.toCollection(() -> EnumSet.noneOf(FieldType.class)));
        assertThat(used).containsExactlyInAnyOrder(FieldType.values());
    }

    @Test
    void everyLabelIsGivenInGermanAndEnglish() {
        for (EntityDefinition entity : model.allEntities()) {
            assertBilingual(entity.name(), entity.label());
            assertBilingual(entity.name(), entity.pluralLabel());
            for (FieldDefinition field : entity.fields()) {
                assertBilingual(entity.name() + "." + field.name(), field.label());
                field.options().forEach(o -> assertBilingual(field.name() + "=" + o.value(), o.label()));
                if (field.help() != null) {
                    assertBilingual(field.name() + " help", field.help());
                }
            }
        }
    }

    @Test
    void contactHasItsFieldsInDisplayOrder() {
        EntityDefinition contact = model.entity("contact").orElseThrow();
        assertThat(contact.label().in("de")).isEqualTo("Ansprechpartner");
        assertThat(contact.icon()).isEqualTo("pi pi-user");
        assertThat(contact.titleField()).isEqualTo("last_name");
        assertThat(contact.fields()).extracting(FieldDefinition::name).containsExactly(
                "salutation", "first_name", "last_name", "email", "email_bounced", "language", "phone", "mobile", "position",
                "account", "birthday", "lifecycle_stage", "interests");
        FieldDefinition email = contact.field("email").orElseThrow();
        assertThat(email.type()).isEqualTo(FieldType.EMAIL);
        assertThat(email.unique()).isTrue();
        assertThat(email.effectiveMaxLength()).isEqualTo(FieldDefinition.DEFAULT_EMAIL_LENGTH);
        FieldDefinition lastName = contact.field("last_name").orElseThrow();
        assertThat(lastName.required()).isTrue();
        assertThat(lastName.maxLength()).isEqualTo(100);
        assertThat(lastName.location()).isEqualTo(new io.relata.api.model.SourceLocation(
                "../../metadata/entities/contact.yaml", 18, 3));
        assertThat(contact.field("interests").orElseThrow().options()).extracting(o -> o.value())
                .contains("products", "events");
    }

    @Test
    void accountListsItsContactsOpportunitiesActivitiesTicketsAndConvertedLeads() {
        List<ReverseReference> reverse = model.reverseReferences("account");
        assertThat(reverse).extracting(r -> r.sourceEntity().name() + "." + r.sourceField().name() + "->" + r.list().name())
                .containsExactly("activity.account->activities", "contact.account->contacts", "contract.account->contracts",
                        "lead.converted_account->converted_leads", "opportunity.account->opportunities",
                        "price_list.account->price_lists", "quote.account->quotes", "sales_order.account->orders",
                        "ticket.account->tickets");
        assertThat(reverse.get(1).list().label().in("de")).isEqualTo("Ansprechpartner");
    }

    @Test
    void everyReferencePointsToAShippedEntity() {
        model.allEntities().stream().flatMap(e -> e.fields().stream())
                .filter(f -> f.type() == FieldType.REFERENCE)
                .forEach(f -> {
                    assertThat(model.entity(f.referenceEntity())).as(f.name()).isPresent();
                    assertThat(f.reverseList()).as(f.name()).isNotNull();
                });
    }

    @Test
    void choiceOptionsOfTheSalesProcessAreComplete() {
        assertThat(model.entity("opportunity").orElseThrow().field("phase").orElseThrow().options())
                .extracting(o -> o.value())
                .containsExactly("qualification", "needs_analysis", "proposal", "negotiation", "won", "lost", "cancelled");
        assertThat(model.entity("lead").orElseThrow().field("status").orElseThrow().options())
                .extracting(o -> o.value())
                .containsExactly("new", "contacted", "qualified", "converted", "disqualified");
        assertThat(model.entity("account").orElseThrow().field("industry").orElseThrow().option("insurance"))
                .isPresent();
    }

    @Test
    void searchableFieldsAreTextualAndEveryEntityHasSome() {
        for (EntityDefinition entity : model.allEntities()) {
            assertThat(entity.searchableFields()).as(entity.name()).isNotEmpty()
                    .allMatch(f -> f.type().isTextual());
            assertThat(entity.listedFields()).as(entity.name()).isNotEmpty();
            assertThat(entity.field(entity.titleField())).as(entity.name()).isPresent();
        }
    }

    @Test
    void opportunityComputesWeightsConditionsAndDefaultsItsFields() throws java.io.IOException {
        EntityDefinition opportunity = model.entity("opportunity").orElseThrow();
        String file = "../../metadata/entities/opportunity.yaml";
        assertThat(opportunity.rules()).extracting(r -> r.name() + ":" + r.kind() + ":" + r.field()).containsExactly(
                "weighted_amount.computed:COMPUTED:weighted_amount", "close_date.default:DEFAULT:close_date",
                "product_line.default:DEFAULT:product_line", "forecast_category.default:DEFAULT:forecast_category",
                "loss_reason.visibleWhen:VISIBLE_WHEN:loss_reason", "loss_reason.requiredWhen:REQUIRED_WHEN:loss_reason",
                "close_date_not_in_past:VALIDATION:null");
        assertThat(opportunity.rules()).allSatisfy(r -> assertThat(r.sourceName()).isEqualTo(file));
        RuleDefinition weighted = opportunity.rules().get(0);
        assertThat(weighted.source()).isEqualTo(
                "record.amount == null || record.probability == null ? null : record.amount * record.probability / 100");
        assertThat(weighted.start()).isEqualTo(new SourceLocation(file, 43, 16));
        assertThat(opportunity.rules().get(1).source()).isEqualTo("addDays(today, 30)");
        assertThat(opportunity.rules().get(2).source()).isEqualTo("'standard'");
        assertThat(opportunity.rules().get(4).source()).isEqualTo("record.phase == 'lost' || record.phase == 'cancelled'");
        RuleDefinition closeDate = opportunity.rules().get(6);
        assertThat(closeDate.isExpression()).isFalse();
        assertThat(closeDate.source()).startsWith("const closed = ['won', 'lost', 'cancelled'].includes(record.phase);\n")
                .contains("return {close_date: {de: 'Das Abschlussdatum darf nicht in der Vergangenheit liegen', en: 'The close date must not lie in the past'}};");
        assertThat(closeDate.start()).as("where the script's text starts in the file")
                .isEqualTo(new SourceLocation(file, lineOf(file, "      const closed = ['won'"), 7));
        FieldDefinition probability = opportunity.field("probability").orElseThrow();
        assertThat(List.of(probability.min(), probability.max())).as("a percentage").containsExactly(0L, 100L);
        assertThat(opportunity.field("amount").orElseThrow().min()).isEqualTo(java.math.BigDecimal.ZERO);
        FieldDefinition postalCode = model.entity("account").orElseThrow().field("postal_code").orElseThrow();
        assertThat(postalCode.pattern()).isEqualTo("[0-9]{4,5}");
        assertThat(postalCode.patternMessage().in("de")).isEqualTo("4 oder 5 Ziffern, z. B. 10115");
        FieldDefinition weightedField = opportunity.field("weighted_amount").orElseThrow();
        assertThat(weightedField.type()).isEqualTo(FieldType.MONEY);
        assertThat(weightedField.listed()).isTrue();
        assertThat(opportunity.field("loss_reason").orElseThrow().type()).isEqualTo(FieldType.LONG_TEXT);
    }

    @Test
    void opportunityExamplesCoverEveryRule() {
        List<RuleExample> examples = model.entity("opportunity").orElseThrow().examples();
        assertThat(examples).hasSizeGreaterThanOrEqualTo(3);
        assertThat(examples).extracting(RuleExample::name).contains("weighted amount");
        RuleExample weighted = examples.stream().filter(e -> e.name().equals("weighted amount")).findFirst().orElseThrow();
        assertThat(weighted.record()).containsEntry("amount", 1000L).containsEntry("probability", 40L);
        assertThat(weighted.expect()).containsEntry("values", Map.of("weighted_amount", 400L));
        assertThat(examples).anySatisfy(e -> assertThat(e.expect()).containsKey("visible").containsKey("required"));
        assertThat(examples).anySatisfy(e -> assertThat(e.expect()).containsEntry("errors", List.of("close_date")));
    }

    @Test
    void leadScoreRuleIsReadFromTheScriptFileNextToLeadYaml() throws Exception {
        EntityDefinition lead = model.entity("lead").orElseThrow();
        assertThat(lead.field("score").orElseThrow().type()).isEqualTo(FieldType.INTEGER);
        assertThat(lead.field("score").orElseThrow().listed()).isTrue();
        assertThat(lead.field("score").orElseThrow().label().in("de")).isEqualTo("Lead-Score");
        assertThat(lead.field("score").orElseThrow().label().in("en")).isEqualTo("Lead score");
        assertThat(lead.field("score_reasons").orElseThrow().type()).isEqualTo(FieldType.LONG_TEXT);
        RuleDefinition score = lead.rules().stream().filter(r -> r.kind() == RuleKind.SCORE).findFirst().orElseThrow();
        assertThat(score.name()).isEqualTo("lead_score");
        assertThat(score.field()).isEqualTo("score");
        assertThat(score.reasonsField()).isEqualTo("score_reasons");
        assertThat(score.sourceName()).isEqualTo("../../metadata/entities/lead.score.js");
        assertThat(score.start()).isEqualTo(new SourceLocation("../../metadata/entities/lead.score.js", 1, 1));
        assertThat(score.source()).isEqualTo(Files.readString(METADATA.resolve("entities/lead.score.js")))
                .contains("FREEMAIL_DOMAINS", "'web.de'", "trade_fair", "return {score:");
        assertThat(score.isExpression()).isFalse();
        assertThat(lead.rules()).extracting(RuleDefinition::name).containsExactly(
                "language.default", "disqualify_reason.visibleWhen", "disqualify_reason.requiredWhen", "lead_score");
    }

    @Test
    void leadExamplesExpectScoresAndReasons() {
        List<RuleExample> examples = model.entity("lead").orElseThrow().examples();
        assertThat(examples).hasSizeGreaterThanOrEqualTo(3);
        RuleExample hot = examples.get(0);
        assertThat(hot.record()).containsEntry("source", "trade_fair").containsEntry("status", "qualified");
        assertThat(hot.expect()).containsEntry("score", 90L);
        assertThat(hot.expect().get("reasons")).asInstanceOf(org.assertj.core.api.InstanceOfAssertFactories.LIST)
                .contains("+20 Source: trade fair", "+15 Budget mentioned");
        assertThat(hot.location()).isEqualTo(new SourceLocation("../../metadata/entities/lead.yaml", 107, 5));
    }

    @Test
    void noShippedEntityUsesReservedOrUnknownNamesInItsRules() {
        for (EntityDefinition entity : model.allEntities()) {
            for (RuleDefinition rule : entity.rules()) {
                assertThat(rule.source()).as(rule.name()).doesNotContain("owner_user", "owner_team");
                if (rule.field() != null) {
                    assertThat(entity.field(rule.field())).as(rule.name()).isPresent();
                }
            }
        }
    }

    private static void assertBilingual(String what, LocalizedText text) {
        assertThat(text.values()).as(what).containsKeys("de", "en");
        assertThat(text.values().values()).as(what).allMatch(v -> !v.isBlank());
    }

    /** The number of the first line of {@code file} that starts with {@code start}. */
    private static int lineOf(String file, String start) throws java.io.IOException {
        List<String> lines = java.nio.file.Files.readAllLines(java.nio.file.Path.of(file));
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).startsWith(start)) {
                return i + 1;
            }
        }
        throw new AssertionError("no line of " + file + " starts with " + start);
    }
}
