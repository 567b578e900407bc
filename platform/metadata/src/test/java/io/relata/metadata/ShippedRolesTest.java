package io.relata.metadata;

import static org.assertj.core.api.Assertions.assertThat;

import io.relata.api.model.LocalizedText;
import io.relata.api.model.MetadataModel;
import io.relata.api.model.SourceLocation;
import io.relata.api.security.AccessScope;
import io.relata.api.security.EntityGrant;
import io.relata.api.security.FieldAccess;
import io.relata.api.security.RoleDefinition;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The roles shipped in metadata/roles load with the shipped entities and grant what they promise. */
class ShippedRolesTest {

    private static MetadataModel model;

    @BeforeAll
    static void load() throws MetadataException {
        model = new MetadataLoader().load(MetadataFiles.fromDirectory(ShippedMetadataTest.METADATA));
    }

    @Test
    void sixRolesLoadInFileOrder() {
        assertThat(model.roles().keySet()).containsExactly(
                "administrator", "marketing", "read_only", "sales", "sales_manager", "service");
        for (RoleDefinition role : model.roles().values()) {
            assertBilingual(role.name(), role.label());
            assertBilingual(role.name() + " description", role.description());
        }
    }

    @Test
    void administratorMayDoEverythingWithoutGrants() {
        RoleDefinition administrator = model.role("administrator").orElseThrow();
        assertThat(administrator.administrator()).isTrue();
        assertThat(administrator.grants()).isEmpty();
        assertThat(model.roles().values()).filteredOn(RoleDefinition::administrator).hasSize(1);
    }

    @Test
    void salesWorksItsTeamsDealsAndSeesEveryCustomer() {
        RoleDefinition sales = model.role("sales").orElseThrow();
        assertThat(sales.label().in("de")).isEqualTo("Vertrieb");
        assertThat(sales.location()).isEqualTo(new SourceLocation("../../metadata/roles/sales.yaml", 3, 7));
        assertThat(sales.grants()).containsOnlyKeys("account", "contact", "opportunity", "lead", "activity",
                "meeting_request", "product", "price_list", "price_list_item", "quote", "quote_line", "sales_order",
                "contract", "quota", "consent", "consent_purpose", "campaign", "campaign_member");
        assertGrant(sales.grant("account").orElseThrow(), true, AccessScope.ALL, AccessScope.TEAM, AccessScope.NONE, false);
        assertGrant(sales.grant("contact").orElseThrow(), true, AccessScope.ALL, AccessScope.TEAM, AccessScope.OWN, false);
        assertGrant(sales.grant("lead").orElseThrow(), true, AccessScope.TEAM, AccessScope.TEAM, AccessScope.OWN, false);
        assertGrant(sales.grant("activity").orElseThrow(), true, AccessScope.OWN, AccessScope.OWN, AccessScope.OWN, false);
        EntityGrant opportunity = sales.grant("opportunity").orElseThrow();
        assertGrant(opportunity, true, AccessScope.TEAM, AccessScope.OWN, AccessScope.OWN, true);
        assertThat(opportunity.fieldAccess("weighting")).isEqualTo(FieldAccess.READ_ONLY);
        // sales reps close deals as lost or cancelled, which asks them for the loss reason
        assertThat(opportunity.fieldAccess("loss_reason")).isEqualTo(FieldAccess.EDITABLE);
        assertThat(opportunity.fieldAccess("amount")).isEqualTo(FieldAccess.EDITABLE);
        assertThat(opportunity.location()).isEqualTo(new SourceLocation("../../metadata/roles/sales.yaml", 9, 3));
    }

    @Test
    void salesManagerReadsAndUpdatesAllAndDeletesWithinTheTeam() {
        RoleDefinition manager = model.role("sales_manager").orElseThrow();
        assertThat(manager.grants().keySet()).containsExactlyInAnyOrderElementsOf(model.entities().keySet());
        manager.grants().values().forEach(grant ->
                assertGrant(grant, true, AccessScope.ALL, AccessScope.ALL, AccessScope.TEAM, true));
    }

    @Test
    void serviceSeesNoLeadsAndNoOpportunityAmounts() {
        RoleDefinition service = model.role("service").orElseThrow();
        assertThat(service.grant("lead")).isEmpty();
        assertGrant(service.grant("ticket").orElseThrow(), true, AccessScope.ALL, AccessScope.TEAM, AccessScope.NONE, true);
        assertGrant(service.grant("account").orElseThrow(), false, AccessScope.ALL, AccessScope.TEAM, AccessScope.NONE, false);
        assertGrant(service.grant("contact").orElseThrow(), false, AccessScope.ALL, AccessScope.TEAM, AccessScope.NONE, false);
        assertGrant(service.grant("activity").orElseThrow(), true, AccessScope.TEAM, AccessScope.TEAM, AccessScope.NONE, false);
        EntityGrant opportunity = service.grant("opportunity").orElseThrow();
        assertGrant(opportunity, false, AccessScope.TEAM, AccessScope.NONE, AccessScope.NONE, false);
        assertThat(opportunity.fieldAccess("amount")).isEqualTo(FieldAccess.HIDDEN);
        assertThat(opportunity.fieldAccess("name")).isEqualTo(FieldAccess.EDITABLE);
        // amount = weighted_amount / probability: the weighted amount is hidden with the amount
        assertThat(opportunity.fieldAccess("weighted_amount")).isEqualTo(FieldAccess.HIDDEN);
        assertThat(opportunity.derived().get("weighted_amount").from()).containsExactly("amount");
        assertThat(opportunity.fieldAccess("probability")).isEqualTo(FieldAccess.EDITABLE);
    }

    @Test
    void theOnlyWarningOfTheShippedRolesIsTheWeightedAmountServiceCannotSee() throws MetadataException {
        var warnings = new MetadataLoader().loadWithWarnings(MetadataFiles.fromDirectory(ShippedMetadataTest.METADATA))
                .warnings().stream().filter(w -> w.file().contains("/roles/")).toList();
        assertThat(warnings).extracting(MetadataProblem::toString).containsExactly(
                "../../metadata/roles/service.yaml:10:38: [DERIVED_FIELD_HIDDEN] Role 'service' cannot see 'amount' of "
                        + "entity 'opportunity', so it cannot see 'weighted_amount' either: the computed rule "
                        + "'weighted_amount.computed' (../../metadata/entities/opportunity.yaml:43:16) computes "
                        + "'weighted_amount' from 'amount', and its value would give 'amount' away. Fix: nothing, if "
                        + "'weighted_amount' should stay hidden (write 'weighted_amount: hidden' under 'fields' to say "
                        + "so and silence this warning); to show it anyway, add it to the grant's 'showDerived: "
                        + "[weighted_amount]'.");
    }

    @Test
    void marketingOwnsLeadsAndCannotSeeBirthdays() {
        RoleDefinition marketing = model.role("marketing").orElseThrow();
        assertThat(marketing.grants()).containsOnlyKeys("lead", "contact", "account", "activity", "product", "consent",
                "consent_purpose", "campaign", "target_group", "target_group_member", "mail_template", "campaign_member",
                "opportunity", "mail_sequence", "mail_sequence_step", "sequence_enrollment");
        // deals, to target those with an open one and to see what a campaign brought; never their amounts
        EntityGrant deals = marketing.grant("opportunity").orElseThrow();
        assertGrant(deals, false, AccessScope.ALL, AccessScope.NONE, AccessScope.NONE, false);
        assertThat(deals.fields()).containsOnly(java.util.Map.entry("amount", FieldAccess.HIDDEN),
                java.util.Map.entry("weighted_amount", FieldAccess.HIDDEN));
        // its own activities, and (activity.readAccessFrom) those about the leads it reads: their to-dos
        assertGrant(marketing.grant("activity").orElseThrow(), true, AccessScope.OWN, AccessScope.OWN, AccessScope.OWN, false);
        assertGrant(marketing.grant("lead").orElseThrow(), true, AccessScope.ALL, AccessScope.ALL, AccessScope.TEAM, true);
        assertGrant(marketing.grant("account").orElseThrow(), false, AccessScope.ALL, AccessScope.NONE, AccessScope.NONE, false);
        EntityGrant contact = marketing.grant("contact").orElseThrow();
        assertGrant(contact, false, AccessScope.ALL, AccessScope.NONE, AccessScope.NONE, false);
        assertThat(contact.fields()).containsOnly(java.util.Map.entry("birthday", FieldAccess.HIDDEN));
    }

    @Test
    void readOnlyReadsEveryEntityAndChangesNothing() {
        RoleDefinition readOnly = model.role("read_only").orElseThrow();
        assertThat(readOnly.grants().keySet()).containsExactlyInAnyOrderElementsOf(model.entities().keySet());
        readOnly.grants().values().forEach(grant -> {
            assertGrant(grant, false, AccessScope.ALL, AccessScope.NONE, AccessScope.NONE, false);
            assertThat(grant.fieldDefault()).isEqualTo(FieldAccess.READ_ONLY);
            assertThat(grant.fields()).isEmpty();
        });
    }

    private static void assertGrant(EntityGrant grant, boolean create, AccessScope read, AccessScope update,
                                    AccessScope delete, boolean export) {
        assertThat(grant.create()).as(grant.entity() + " create").isEqualTo(create);
        assertThat(grant.read()).as(grant.entity() + " read").isEqualTo(read);
        assertThat(grant.update()).as(grant.entity() + " update").isEqualTo(update);
        assertThat(grant.delete()).as(grant.entity() + " delete").isEqualTo(delete);
        assertThat(grant.export()).as(grant.entity() + " export").isEqualTo(export);
    }

    private static void assertBilingual(String what, LocalizedText text) {
        assertThat(text).as(what).isNotNull();
        assertThat(text.values()).as(what).containsKeys("de", "en");
        assertThat(text.values().values()).as(what).allMatch(v -> !v.isBlank());
    }
}
