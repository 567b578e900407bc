package io.relata.metadata;

import static io.relata.metadata.MetadataProblemsTest.ACCOUNT;
import static io.relata.metadata.MetadataProblemsTest.assertAt;
import static io.relata.metadata.MetadataProblemsTest.entity;
import static io.relata.metadata.MetadataProblemsTest.onlyProblem;
import static io.relata.metadata.MetadataProblemsTest.problems;
import static org.assertj.core.api.Assertions.assertThat;

import io.relata.api.security.AccessScope;
import io.relata.api.security.EntityGrant;
import io.relata.api.security.FieldAccess;
import io.relata.api.security.RoleDefinition;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Every problem a role file can have: reported with file, line, column, the element and a fix. */
class RoleProblemsTest {

    static final String SALES = """
            name: sales
            label: {de: Vertrieb, en: Sales}
            entities:
              account: {create: true, read: all, update: team}
            """;

    static MetadataFile role(String name, String yaml) {
        return new MetadataFile("metadata/roles/" + name + ".yaml", yaml);
    }

    private static MetadataProblem onlyRoleProblem(String yaml) {
        return onlyProblem(entity("account", ACCOUNT), role("sales", yaml));
    }

    @Test
    void grantLeftOutKeysDenyAndFieldsDefaultToEditable() throws MetadataException {
        RoleDefinition sales = new MetadataLoader().load(List.of(entity("account", ACCOUNT),
                role("sales", SALES.replace("{create: true, read: all, update: team}", "{read: own}")))).role("sales").orElseThrow();
        EntityGrant account = sales.grant("account").orElseThrow();
        assertThat(account.create()).isFalse();
        assertThat(account.read()).isEqualTo(AccessScope.OWN);
        assertThat(account.update()).isEqualTo(AccessScope.NONE);
        assertThat(account.delete()).isEqualTo(AccessScope.NONE);
        assertThat(account.export()).isFalse();
        assertThat(account.fieldAccess("name")).isEqualTo(FieldAccess.EDITABLE);
        assertThat(sales.administrator()).isFalse();
        assertThat(sales.description()).isNull();
    }

    @Test
    void roleNameMustEqualTheFileName() {
        MetadataProblem problem = onlyProblem(entity("account", ACCOUNT), role("seller", SALES));
        assertAt(problem, "metadata/roles/seller.yaml", 1, 7, ProblemCode.ROLE_NAME_MISMATCH);
        assertThat(problem.message()).contains("role is named 'sales'", "file is named 'seller'");
        assertThat(problem.fix()).contains("name: seller", "'sales.yaml'");
    }

    @Test
    void sameRoleInTwoDirectoriesIsReportedWithBothLocations() {
        MetadataProblem problem = onlyProblem(entity("account", ACCOUNT), role("sales", SALES),
                new MetadataFile("/opt/ext/roles/sales.yml", SALES));
        assertAt(problem, "/opt/ext/roles/sales.yml", 1, 7, ProblemCode.DUPLICATE_ROLE);
        assertThat(problem.message()).contains("Role 'sales'", "twice", "metadata/roles/sales.yaml:1:7");
        assertThat(problem.fix()).contains("unique across all metadata directories");
    }

    @Test
    void grantOnAMissingEntityNamesTheClosestEntity() {
        MetadataProblem problem = onlyRoleProblem(SALES.replace("  account:", "  acount:"));
        assertAt(problem, "metadata/roles/sales.yaml", 4, 3, ProblemCode.UNKNOWN_GRANT_ENTITY);
        assertThat(problem.toString()).isEqualTo("metadata/roles/sales.yaml:4:3: [UNKNOWN_GRANT_ENTITY] "
                + "Role 'sales' grants access to entity 'acount', which does not exist. "
                + "Fix: did you mean 'account'? use one of: account.");
    }

    @Test
    void grantOnAMissingFieldNamesTheClosestField() {
        MetadataProblem problem = onlyRoleProblem("""
                name: sales
                label: {en: Sales}
                entities:
                  account:
                    read: all
                    fields: {nmae: read-only}
                """);
        assertAt(problem, "metadata/roles/sales.yaml", 6, 14, ProblemCode.UNKNOWN_GRANT_FIELD);
        assertThat(problem.message()).contains("Field 'nmae'", "grant for entity 'account'", "not a field");
        assertThat(problem.fix()).contains("did you mean 'name'?", "use one of the fields of 'account': name.");
    }

    @Test
    void systemColumnsAreNotGrantableFields() {
        MetadataProblem problem = onlyRoleProblem(SALES.replace("update: team}", "update: team, fields: {owner_user: hidden}}"));
        assertAt(problem, "metadata/roles/sales.yaml", 4, 61, ProblemCode.UNKNOWN_GRANT_FIELD);
        assertThat(problem.message()).contains("'owner_user'");
    }

    @Test
    void updateWiderThanReadCannotWork() {
        MetadataProblem problem = onlyRoleProblem(SALES.replace("read: all, update: team", "read: team, update: all"));
        assertAt(problem, "metadata/roles/sales.yaml", 4, 47, ProblemCode.WIDER_THAN_READ);
        assertThat(problem.message()).contains("grant for entity 'account'",
                "update: all with read: team cannot work", "use at most team");
        assertThat(problem.fix()).contains("'update: team'", "widen 'read' to 'all'");
    }

    @Test
    void deleteWiderThanTheDefaultReadCannotWork() {
        MetadataProblem problem = onlyRoleProblem(SALES.replace("read: all, update: team", "delete: own"));
        assertAt(problem, "metadata/roles/sales.yaml", 4, 35, ProblemCode.WIDER_THAN_READ);
        assertThat(problem.message()).contains("'delete: own' is wider than 'read: none' (the default)",
                "delete: own with read: none cannot work", "use at most none");
    }

    @Test
    void administratorRoleWithGrantsIsRejected() {
        MetadataProblem problem = onlyProblem(entity("account", ACCOUNT), role("boss", """
                name: boss
                label: {en: Boss}
                administrator: true
                entities:
                  account: {read: all}
                """));
        assertAt(problem, "metadata/roles/boss.yaml", 4, 1, ProblemCode.ADMINISTRATOR_WITH_GRANTS);
        assertThat(problem.message()).contains("Role 'boss'", "'administrator: true'", "would be ignored", "not accepted");
        assertThat(problem.fix()).contains("remove 'entities'");
    }

    @Test
    void unknownScopeListsTheScopes() {
        MetadataProblem problem = onlyRoleProblem(SALES.replace("read: all", "read: everyone"));
        assertAt(problem, "metadata/roles/sales.yaml", 4, 33, ProblemCode.INVALID_VALUE);
        assertThat(problem.message()).isEqualTo(
                "Key 'read' of the grant for entity 'account' has the value 'everyone', which is not allowed.");
        assertThat(problem.fix()).isEqualTo("use one of: none, own, team, all.");
    }

    @Test
    void unknownFieldAccessListsTheAccessesAndTheClosest() {
        MetadataProblem problem = onlyRoleProblem(SALES.replace("update: team}", "update: team, fields: {name: readonly}}"));
        assertAt(problem, "metadata/roles/sales.yaml", 4, 67, ProblemCode.INVALID_VALUE);
        assertThat(problem.message()).contains("Field 'name' of the grant for entity 'account'", "'readonly'");
        assertThat(problem.fix()).isEqualTo("did you mean 'read-only'? use one of: hidden, read-only, editable.");
    }

    @Test
    void unknownGrantKeyIsReportedWithTheClosestKey() {
        MetadataProblem problem = onlyRoleProblem(SALES.replace("read: all, update: team", "raed: all"));
        assertAt(problem, "metadata/roles/sales.yaml", 4, 27, ProblemCode.UNKNOWN_KEY);
        assertThat(problem.message()).isEqualTo("Unknown key 'raed' in the grant for entity 'account'.");
        assertThat(problem.fix()).contains("did you mean 'read'?",
                "create, read, update, delete, export, fieldDefault, fields");
    }

    @Test
    void duplicateKeyInAGrantIsReportedAtTheSecond() {
        MetadataProblem problem = onlyRoleProblem(SALES.replace("read: all", "read: all, read: team"));
        assertAt(problem, "metadata/roles/sales.yaml", 4, 38, ProblemCode.DUPLICATE_KEY);
        assertThat(problem.message()).contains("'read'", "twice", "line 4");
    }

    @Test
    void missingLabelIsReportedForTheRole() {
        MetadataProblem problem = onlyRoleProblem(SALES.replace("label: {de: Vertrieb, en: Sales}\n", ""));
        assertAt(problem, "metadata/roles/sales.yaml", 1, 1, ProblemCode.MISSING_KEY);
        assertThat(problem.message()).isEqualTo("The role is missing the required key 'label'.");
        assertThat(problem.fix()).contains("add 'label:'", "user management");
    }

    @Test
    void yamlOneOneBooleanInAGrantIsAnInvalidValue() {
        MetadataProblem problem = onlyRoleProblem(SALES.replace("create: true", "create: yes"));
        assertAt(problem, "metadata/roles/sales.yaml", 4, 21, ProblemCode.INVALID_VALUE);
        assertThat(problem.message()).contains("'create' of the grant for entity 'account'", "'yes'");
        assertThat(problem.fix()).contains("write true or false");
    }

    @Test
    void invalidEntityNameInEntitiesIsReportedWithASuggestion() {
        MetadataProblem problem = onlyRoleProblem(SALES.replace("  account:", "  Account:"));
        assertAt(problem, "metadata/roles/sales.yaml", 4, 3, ProblemCode.INVALID_VALUE);
        assertThat(problem.message()).isEqualTo("Entity name 'Account' is not valid.");
        assertThat(problem.fix()).contains("lower-case", "'account'");
    }

    @Test
    void emptyRoleFileSaysWhatARoleNeeds() {
        MetadataProblem problem = onlyRoleProblem("# later\n");
        assertAt(problem, "metadata/roles/sales.yaml", 1, 1, ProblemCode.EMPTY_FILE);
        assertThat(problem.fix()).contains("role definition", "entities or administrator: true");
    }

    @Test
    void roleFileThatIsNotAMappingNamesTheRequiredKeys() {
        MetadataProblem problem = onlyRoleProblem("- sales\n");
        assertAt(problem, "metadata/roles/sales.yaml", 1, 1, ProblemCode.INVALID_VALUE);
        assertThat(problem.message()).contains("keys name and label", "a list");
        assertThat(problem.fix()).contains("'name: sales' followed by label");
    }

    @Test
    void aBrokenEntityCausesNoFollowUpErrorsInRolesGrantingOnIt() {
        List<MetadataProblem> problems = problems(entity("account", "name: account\nlabel: [\n"),
                role("sales", SALES.replace("update: team}", "update: team, fields: {anything: hidden}}")));
        assertThat(problems).extracting(MetadataProblem::code).containsExactly("YAML_SYNTAX");
    }

    @Test
    void problemsOfRolesAndEntitiesAreReportedTogetherInFileOrder() {
        List<MetadataProblem> problems = problems(
                entity("account", ACCOUNT + "  owner_team: {type: text, label: {en: Team}}\n"),
                role("sales", SALES.replace("  account:", "  lead:")),
                role("service", SALES.replace("name: sales", "name: service").replace("read: all", "read: own")));
        assertThat(problems).extracting(MetadataProblem::code).containsExactly(
                "RESERVED_FIELD_NAME", "UNKNOWN_GRANT_ENTITY", "WIDER_THAN_READ");
    }
}
