package io.relata.metadata;

import static org.assertj.core.api.Assertions.assertThat;

import io.relata.api.model.MetadataModel;
import io.relata.api.security.AccessScope;
import io.relata.api.security.EntityGrant;
import io.relata.api.security.RoleDefinition;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A later layer's {@code role-extensions/<role>.yaml} changes an earlier layer's role: labels and grants per entity. */
class RoleExtensionsTest {

    private static final MetadataFile ACCOUNT = new MetadataFile("core/entities/account.yaml", """
            name: account
            label: {de: Firma, en: Account}
            pluralLabel: {de: Firmen, en: Accounts}
            fields:
              name: {type: text, label: {de: Name, en: Name}, required: true}
              revenue: {type: money, label: {de: Umsatz, en: Revenue}}
            """);
    private static final MetadataFile VEHICLE = new MetadataFile("site/entities/vehicle.yaml", """
            name: vehicle
            label: {de: Fahrzeug, en: Vehicle}
            pluralLabel: {de: Fahrzeuge, en: Vehicles}
            fields:
              plate: {type: text, label: {de: Kennzeichen, en: Plate}}
            """);
    private static final MetadataFile SALES = new MetadataFile("core/roles/sales.yaml", """
            name: sales
            label: {de: Vertrieb, en: Sales}
            entities:
              account: {create: true, read: all, update: team, delete: none, fields: {revenue: read-only}}
            """);
    private static final MetadataFile ADMINISTRATOR = new MetadataFile("core/roles/administrator.yaml", """
            name: administrator
            label: {de: Administrator, en: Administrator}
            administrator: true
            """);

    private static MetadataFile overlay(String role, String yaml) {
        return new MetadataFile("site/role-extensions/" + role + ".yaml", yaml);
    }

    private static List<MetadataProblem> problems(MetadataFile... site) {
        List<MetadataFile> files = new ArrayList<>(List.of(ACCOUNT, SALES, ADMINISTRATOR, VEHICLE));
        files.addAll(List.of(site));
        MetadataException e = (MetadataException) org.assertj.core.api.Assertions.catchThrowable(
                () -> new MetadataLoader().load(files));
        assertThat(e).as("the load is refused").isNotNull();
        return e.problems();
    }

    @Test
    void anOverlayGrantsANewEntityAndReplacesTheGrantItGivesAgain() throws Exception {
        MetadataModel model = new MetadataLoader().load(List.of(ACCOUNT, SALES, ADMINISTRATOR, VEHICLE, overlay("sales", """
                extends: sales
                label: {de: Verkauf, en: Selling}
                entities:
                  vehicle: {create: true, read: team, update: own, delete: own}
                  account: {read: all, update: all}
                """)));
        RoleDefinition sales = model.roles().get("sales");
        assertThat(sales.label().in("en")).isEqualTo("Selling");
        EntityGrant vehicle = sales.grant("vehicle").orElseThrow();
        assertThat(vehicle.create()).isTrue();
        assertThat(vehicle.read()).isEqualTo(AccessScope.TEAM);
        EntityGrant account = sales.grant("account").orElseThrow();
        assertThat(account.update()).as("the grant is replaced as a whole").isEqualTo(AccessScope.ALL);
        assertThat(account.create()).isFalse();
        assertThat(account.fields()).isEmpty();
        assertThat(sales.location().file()).isEqualTo("core/roles/sales.yaml");
    }

    @Test
    void anOverlayIsCheckedLikeARole() {
        assertThat(problems(overlay("salse", "extends: salse\n"))).extracting(MetadataProblem::code)
                .containsExactly(ProblemCode.EXTENDS_UNKNOWN_ROLE.name());
        assertThat(problems(overlay("sales", """
                extends: sales
                entities:
                  vehicel: {read: all}
                  account: {read: own, fields: {revenu: hidden}}
                """))).extracting(MetadataProblem::code).containsExactlyInAnyOrder(
                ProblemCode.UNKNOWN_GRANT_ENTITY.name(), ProblemCode.UNKNOWN_GRANT_FIELD.name());
        assertThat(problems(overlay("sales", """
                extends: sales
                entities:
                  account: {read: own, update: all}
                """))).extracting(MetadataProblem::code).containsExactly(ProblemCode.WIDER_THAN_READ.name());
        assertThat(problems(overlay("administrator", """
                extends: administrator
                entities:
                  account: {read: all}
                """))).extracting(MetadataProblem::code).containsExactly(ProblemCode.ADMINISTRATOR_WITH_GRANTS.name());
        assertThat(problems(overlay("sales", "extends: sales\nadministrator: true\n"))).extracting(MetadataProblem::code)
                .containsExactly(ProblemCode.UNKNOWN_KEY.name());
        assertThat(problems(new MetadataFile("site/role-extensions/other.yaml", "extends: sales\n")))
                .extracting(MetadataProblem::code).containsExactly(ProblemCode.EXTENSION_NAME_MISMATCH.name());
    }
}
