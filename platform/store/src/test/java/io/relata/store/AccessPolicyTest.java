package io.relata.store;

import static io.relata.api.model.FieldType.INTEGER;
import static io.relata.api.model.FieldType.TEXT;
import static io.relata.api.security.AccessScope.ALL;
import static io.relata.api.security.AccessScope.NONE;
import static io.relata.api.security.AccessScope.OWN;
import static io.relata.api.security.AccessScope.TEAM;
import static io.relata.api.security.FieldAccess.EDITABLE;
import static io.relata.api.security.FieldAccess.HIDDEN;
import static io.relata.api.security.FieldAccess.READ_ONLY;
import static io.relata.store.access.Operation.DELETE;
import static io.relata.store.access.Operation.READ;
import static io.relata.store.access.Operation.UPDATE;
import static org.assertj.core.api.Assertions.assertThat;

import io.relata.api.model.MetadataModel;
import io.relata.api.record.Record;
import io.relata.api.security.Actor;
import io.relata.store.access.AccessExplanation;
import io.relata.store.access.AccessPolicy;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** How an actor's roles combine into one policy, and how a decision is explained. No database. */
class AccessPolicyTest {

    private static final MetadataModel ENTITIES = new ModelBuilder()
            .entity("deal", "title").field("title", TEXT).field("amount", INTEGER).field("notes", TEXT)
            .field("weighted", INTEGER)
            .entity("lead", "name").field("name", TEXT)
            .build();

    private static final MetadataModel MODEL = TestRoles.withRoles(ENTITIES,
            TestRoles.administrator("admin"),
            TestRoles.role("rep").grant("deal").create().read(TEAM).update(OWN).delete(OWN)
                    .field("amount", READ_ONLY).field("notes", HIDDEN).build(),
            TestRoles.role("viewer").grant("deal").read(ALL).fieldDefault(READ_ONLY).field("notes", HIDDEN)
                    .grant("lead").read(OWN).export().build(),
            TestRoles.role("greedy").grant("deal").read(OWN).update(ALL).delete(TEAM).build(),
            TestRoles.role("blind").grant("lead").create().update(ALL).build(),
            TestRoles.role("service").grant("deal").read(ALL).update(ALL).field("amount", HIDDEN)
                    .derived("weighted", "amount").build());

    private static final OffsetDateTime T = OffsetDateTime.of(2024, 1, 1, 0, 0, 0, 0, ZoneOffset.UTC);

    private static AccessPolicy policy(String... roles) {
        return new AccessPolicy(MODEL, Actor.user(10, "ada", Set.of(roles), List.of(7L, 8L)));
    }

    private static Record deal(Long ownerUser, Long ownerTeam) {
        return new Record("deal", 42, 1, T, T, ownerUser, ownerTeam, Map.of("title", "Big deal", "amount", 5L));
    }

    @Test
    void widestScopePerOperationWinsAcrossRoles() {
        AccessPolicy policy = policy("rep", "viewer");

        assertThat(policy.scope("deal", READ)).isEqualTo(ALL);
        assertThat(policy.scope("deal", UPDATE)).isEqualTo(OWN);
        assertThat(policy.scope("deal", DELETE)).isEqualTo(OWN);
        assertThat(policy.scope("lead", READ)).isEqualTo(OWN);
    }

    @Test
    void updateAndDeleteAreCappedAtTheSameRolesReadScope() {
        assertThat(policy("greedy").scope("deal", UPDATE)).isEqualTo(OWN);
        assertThat(policy("greedy").scope("deal", DELETE)).isEqualTo(OWN);
        // another role's wider read does not lift greedy's cap: a read-only role never widens writes
        assertThat(policy("greedy", "viewer").scope("deal", READ)).isEqualTo(ALL);
        assertThat(policy("greedy", "viewer").scope("deal", UPDATE)).isEqualTo(OWN);
    }

    @Test
    void fieldAccessIsTheMostPermissiveOfTheRoles() {
        assertThat(policy("viewer").fieldAccess("deal", "title")).isEqualTo(READ_ONLY);
        assertThat(policy("viewer").fieldAccess("deal", "notes")).isEqualTo(HIDDEN);
        assertThat(policy("rep", "viewer").fieldAccess("deal", "title")).isEqualTo(EDITABLE);
        assertThat(policy("rep", "viewer").fieldAccess("deal", "amount")).isEqualTo(READ_ONLY);
        assertThat(policy("rep", "viewer").fieldAccess("deal", "notes")).isEqualTo(HIDDEN);
        assertThat(policy("rep", "greedy").fieldAccess("deal", "notes")).isEqualTo(EDITABLE);
        assertThat(policy("rep").visibleFields("deal")).containsExactly("title", "amount", "weighted");
        assertThat(policy("rep").hiddenFields("deal")).containsExactly("notes");
    }

    @Test
    void createAndExportAreAllowedIfAnyRoleAllowsThem() {
        assertThat(policy("viewer").canCreate("deal")).isFalse();
        assertThat(policy("viewer", "rep").canCreate("deal")).isTrue();
        assertThat(policy("rep").canExport("deal")).isFalse();
        assertThat(policy("rep").canExport("lead")).isFalse();
        assertThat(policy("viewer").canExport("lead")).isTrue();
    }

    @Test
    void anEntityTheActorCannotReadDoesNotExistForThem() {
        AccessPolicy blind = policy("blind"); // may create and update leads but not read them

        assertThat(blind.canRead("lead")).isFalse();
        assertThat(blind.canCreate("lead")).isFalse();
        assertThat(blind.scope("lead", UPDATE)).isEqualTo(NONE);
        assertThat(blind.fieldAccess("lead", "name")).isEqualTo(HIDDEN);
        assertThat(blind.visibleFields("lead")).isEmpty();
        assertThat(policy("rep").canRead("lead")).isFalse();
        assertThat(policy().canRead("deal")).isFalse();
    }

    @Test
    void unknownEntitiesFieldsAndRolesGrantNothing() {
        AccessPolicy policy = policy("rep", "no_such_role");

        assertThat(policy.ignoredRoles()).containsExactly("no_such_role");
        assertThat(policy.scope("deal", READ)).isEqualTo(TEAM);
        assertThat(policy.canRead("invoice")).isFalse();
        assertThat(policy.fieldAccess("deal", "no_such_field")).isEqualTo(HIDDEN);
        assertThat(policy("admin").scope("invoice", READ)).isEqualTo(NONE);
    }

    @Test
    void administratorAndSystemMayDoEverything() {
        for (AccessPolicy policy : List.of(policy("admin", "viewer"), new AccessPolicy(MODEL, Actor.SYSTEM))) {
            assertThat(policy.unrestricted()).isTrue();
            assertThat(policy.scope("lead", DELETE)).isEqualTo(ALL);
            assertThat(policy.canCreate("lead")).isTrue();
            assertThat(policy.canExport("deal")).isTrue();
            assertThat(policy.fieldAccess("deal", "notes")).isEqualTo(EDITABLE);
            assertThat(policy.allows("deal", DELETE, deal(null, null))).isTrue();
        }
    }

    @Test
    void ownAndTeamScopesFollowTheOwnerColumns() {
        AccessPolicy rep = policy("rep");

        assertThat(rep.allows("deal", READ, deal(10L, null))).isTrue();
        assertThat(rep.allows("deal", READ, deal(99L, 8L))).as("second team").isTrue();
        assertThat(rep.allows("deal", READ, deal(99L, 9L))).isFalse();
        assertThat(rep.allows("deal", READ, deal(null, null))).isFalse();
        assertThat(rep.allows("deal", UPDATE, deal(99L, 7L))).isFalse();
        assertThat(rep.allows("deal", UPDATE, deal(10L, 9L))).isTrue();
    }

    @Test
    void explainNamesEachRoleItsGrantAndWhyItReachesTheRecord() {
        AccessExplanation teamDeal = policy("rep", "viewer").explain("deal", deal(99L, 7L));

        assertThat(teamDeal.visible()).isTrue();
        assertThat(teamDeal.reasons()).extracting(AccessExplanation.Reason::text).containsExactly(
                "Role 'rep' may see team records: it belongs to your team 7",
                "Role 'viewer' may see all records: the role may see all records");
        assertThat(teamDeal.canUpdate()).isFalse();
        assertThat(teamDeal.fields()).extracting(AccessExplanation.FieldRule::text).containsExactly(
                "title: read-only (no role lets you change this record)", "amount: read-only (roles 'rep', 'viewer')",
                "notes: hidden (roles 'rep', 'viewer')", "weighted: read-only (no role lets you change this record)");
        assertThat(teamDeal.fieldsWith(EDITABLE)).as("nothing is editable in a record they may not change").isEmpty();
        assertThat(teamDeal.text()).isEqualTo("""
                ada can see deal 42 because:
                - Role 'rep' may see team records: it belongs to your team 7
                - Role 'viewer' may see all records: the role may see all records
                - No role lets them change it.
                - No role lets them delete it.
                Fields:
                - title: read-only (no role lets you change this record)
                - amount: read-only (roles 'rep', 'viewer')
                - notes: hidden (roles 'rep', 'viewer')
                - weighted: read-only (no role lets you change this record)""");

        AccessExplanation ownDeal = policy("rep").explain("deal", deal(10L, 9L));
        assertThat(ownDeal.reasons()).extracting(AccessExplanation.Reason::text).containsExactly(
                "Role 'rep' may see team records: you own it",
                "Role 'rep' may change own records: you own it",
                "Role 'rep' may delete own records: you own it");
        assertThat(ownDeal.fields()).extracting(AccessExplanation.FieldRule::text).containsExactly(
                "title: editable (role 'rep')", "amount: read-only (role 'rep')", "notes: hidden (role 'rep')",
                "weighted: editable (role 'rep')");
    }

    @Test
    void aFieldComputedFromAHiddenFieldIsHiddenUnlessAnotherRoleShowsBoth() {
        assertThat(policy("service").fieldAccess("deal", "amount")).isEqualTo(HIDDEN);
        assertThat(policy("service").fieldAccess("deal", "weighted")).isEqualTo(HIDDEN);
        assertThat(policy("service").hiddenFields("deal")).containsExactly("amount", "weighted");
        assertThat(policy("service", "viewer").fieldAccess("deal", "weighted")).isEqualTo(READ_ONLY);

        AccessExplanation explanation = policy("service").explain("deal", deal(99L, 7L));
        assertThat(explanation.fields()).extracting(AccessExplanation.FieldRule::text).contains(
                "weighted: hidden (role 'service'; computed from amount by the rule 'weighted.computed')");
    }

    @Test
    void explainSaysWhenNoRoleReachesTheRecordAndWhichRolesWereIgnored() {
        AccessExplanation hidden = policy("rep", "ghost").explain("deal", deal(99L, 9L));

        assertThat(hidden.visible()).isFalse();
        assertThat(hidden.reasons()).isEmpty();
        assertThat(hidden.fields()).isEmpty();
        assertThat(hidden.text()).isEqualTo("ada cannot see deal 42: none of their roles (rep) reaches it\n"
                + "Ignored roles (not defined in the metadata): ghost");
    }

    @Test
    void explainForAdministratorAndSystem() {
        assertThat(policy("admin").explain("deal", deal(null, null)).reasons())
                .extracting(AccessExplanation.Reason::text).containsExactly(
                        "Role 'admin' may see all records: the role is an administrator: it may see every record",
                        "Role 'admin' may change all records: the role is an administrator: it may change every record",
                        "Role 'admin' may delete all records: the role is an administrator: it may delete every record");
        AccessExplanation system = new AccessPolicy(MODEL, Actor.SYSTEM).explain("deal", deal(null, null));
        assertThat(system.reasons()).extracting(AccessExplanation.Reason::text).first()
                .isEqualTo("System access may see all records: platform work (system) is not subject to roles");
        assertThat(system.fieldsWith(EDITABLE)).containsExactly("title", "amount", "notes", "weighted");
    }
}
