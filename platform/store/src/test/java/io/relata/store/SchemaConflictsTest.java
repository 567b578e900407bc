package io.relata.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.relata.api.model.FieldType;
import io.relata.api.model.MetadataModel;
import io.relata.store.SchemaChange.DropForeignKey;
import io.relata.store.SchemaChange.DropIndex;
import io.relata.store.SchemaChange.RecreateColumn;
import io.relata.store.SchemaChange.WidenColumn;
import io.relata.store.SchemaConflict.Kind;
import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Metadata changes that stored data contradicts are conflicts with the key that changed, the number of records and
 * examples, found before any statement runs; the same changes without contradicting data are planned. Each plan is
 * made as a reload makes it, against the model in force ({@link TestModels#crm()}).
 */
class SchemaConflictsTest extends DatabaseTest {

    private static final MetadataModel IN_FORCE = TestModels.crm();

    private JdbcRecordStore store;

    private JdbcRecordStore store() {
        if (store == null) {
            store = migratedStore(IN_FORCE);
        }
        return store;
    }

    private long account(Map<String, Object> values) {
        return store().create("account", values).id();
    }

    private SchemaConflict onlyConflict(SchemaPlan plan) {
        assertThat(plan.conflicts()).as(plan.toString()).hasSize(1);
        return plan.conflicts().get(0);
    }

    // ---- type ----

    @Test
    void aTypeChangeOnAnEmptyColumnRecreatesItWithItsIndex() {
        account(Map.of("name", "Acme"));
        ModelBuilder changed = TestModels.crmBuilder();
        changed.redefine("account", "industry", FieldType.INTEGER).indexed();

        SchemaPlan plan = plan(changed.build(), IN_FORCE);

        assertThat(plan.hasConflicts()).isFalse();
        assertThat(plan.changes()).filteredOn(RecreateColumn.class::isInstance).extracting(SchemaChange::describe)
                .singleElement().asString().startsWith("Recreate the empty column rec_account.industry as BIGINT (was ");
        assertThat(plan.changes()).extracting(SchemaChange::describe)
                .anyMatch(d -> d.startsWith("Create plain index ix_rec_account_industry on rec_account.industry"));
        apply(plan);
        assertThat(plan(changed.build(), changed.build()).isEmpty()).isTrue();
        assertThat(schemaSnapshot()).as("the composite index of a choice went with the column: industry is no choice")
                .noneMatch(line -> line.contains("cx_rec_account_industry"));
        JdbcRecordStore after = new JdbcRecordStore(db.dataSource(), changed::build);
        assertThat(after.create("account", Map.of("name", "Beta", "industry", 42)).get("industry")).isEqualTo(42L);
        assertThat(schemaSnapshot()).contains("index rec_account.ix_rec_account_industry on industry");
    }

    @Test
    void aReferenceThatBecomesTextWhileEmptyLosesItsForeignKey() {
        account(Map.of("name", "Acme"));
        ModelBuilder changed = TestModels.crmBuilder();
        changed.redefine("account", "parent", FieldType.TEXT);

        SchemaPlan plan = plan(changed.build(), IN_FORCE);

        assertThat(plan.hasConflicts()).isFalse();
        apply(plan);
        assertThat(schemaSnapshot()).noneMatch(line -> line.contains("fk_rec_account_parent"))
                .contains("column rec_account.parent " + (kind == TestDatabase.Kind.H2 ? "CHARACTER VARYING" : "varchar")
                        + "(255,0)");
        assertThat(plan(changed.build(), changed.build()).isEmpty()).isTrue();
    }

    @Test
    void aReferenceThatBecomesANumberKeepsItsValuesAndLosesItsForeignKey() {
        long acme = account(Map.of("name", "Acme"));
        account(Map.of("name", "Acme Berlin", "parent", acme));
        ModelBuilder changed = TestModels.crmBuilder();
        changed.redefine("account", "parent", FieldType.INTEGER);

        SchemaPlan plan = plan(changed.build(), IN_FORCE);

        assertThat(plan.hasConflicts()).isFalse();
        assertThat(plan.changes()).extracting(SchemaChange::describe).containsExactly("Drop foreign key "
                + "fk_rec_account_parent from rec_account.parent to rec_account.id");
        apply(plan);
        JdbcRecordStore after = new JdbcRecordStore(db.dataSource(), changed::build);
        assertThat(after.create("account", Map.of("name", "Numbers", "parent", 999)).get("parent")).isEqualTo(999L);
        assertThat(after.get("account", 2).get("parent")).isEqualTo(acme);
    }

    // ---- unique ----

    @Test
    void uniqueWithoutDuplicatesGetsItsIndexAndUniqueRemovedDropsIt() {
        account(Map.of("name", "Acme", "phone", "+49 1"));
        account(Map.of("name", "Beta", "phone", "+49 2"));
        ModelBuilder unique = TestModels.crmBuilder();
        unique.redefine("account", "phone", FieldType.PHONE).unique();
        apply(plan(unique.build(), IN_FORCE));
        assertThat(schemaSnapshot()).contains("index rec_account.ux_rec_account_phone on phone unique");

        SchemaPlan plan = plan(IN_FORCE, unique.build());

        assertThat(plan.changes()).singleElement().isInstanceOf(DropIndex.class).extracting(SchemaChange::describe)
                .isEqualTo("Drop unique index ux_rec_account_phone on rec_account.phone");
        apply(plan);
        assertThat(store().create("account", Map.of("name", "Gamma", "phone", "+49 1")).get("phone")).isEqualTo("+49 1");
    }

    @Test
    void duplicatesShowAtMostThreeValuesAndCountAllTheirRecords() {
        ModelBuilder notUnique = TestModels.crmBuilder();
        notUnique.redefine("account", "code", FieldType.TEXT).maxLength(20);
        JdbcRecordStore codes = migratedStore(notUnique.build());
        for (String code : List.of("a", "a", "b", "b", "b", "c", "c", "d", "d", "e")) {
            codes.create("account", Map.of("name", "N", "code", code));
        }

        SchemaConflict conflict = onlyConflict(plan(IN_FORCE, notUnique.build()));

        assertThat(conflict.kind()).isEqualTo(Kind.DUPLICATE_VALUES);
        assertThat(conflict.count()).isEqualTo(9);
        assertThat(conflict.examples()).containsExactly("'b' (#3 N, #4 N, #5 N)", "'a' (#1 N, #2 N)", "'c' (#6 N, #7 N)");
        assertThat(conflict.message()).isEqualTo("Field 'code' of 'account' cannot become unique: 4 values occur more "
                + "than once, in 9 records: 'b' (#3 N, #4 N, #5 N); 'a' (#1 N, #2 N); 'c' (#6 N, #7 N); ….");
    }

    // ---- references ----

    @Test
    void aReferenceRetargetedWhileRecordsPointAtTheOldEntityIsAConflict() {
        long contact = store().create("contact", Map.of("last_name", "Lovelace")).id();
        store().create("task", Map.of("subject", "Call", "contact", contact));
        store().create("task", Map.of("subject", "Write"));
        ModelBuilder changed = TestModels.crmBuilder();
        changed.redefine("task", "contact", FieldType.REFERENCE).references("account");

        for (MetadataModel inForce : java.util.Arrays.asList(IN_FORCE, null)) {
            SchemaConflict conflict = onlyConflict(plan(changed.build(), inForce));

            assertThat(conflict.kind()).isEqualTo(Kind.REFERENCE_RETARGETED);
            assertThat(conflict.key()).isEqualTo("entity");
            assertThat(conflict.count()).isEqualTo(1);
            assertThat(conflict.message()).isEqualTo("Field 'contact' of 'task' now references 'account', but 1 record "
                    + "points to records of 'contact': #1 Call.");
            assertThat(conflict.fix()).contains("empty the field on this record first", "keep 'entity: contact'");
        }
    }

    @Test
    void anEmptyReferenceRetargetedGetsItsForeignKeyReplaced() {
        store().create("task", Map.of("subject", "Write"));
        ModelBuilder changed = TestModels.crmBuilder();
        changed.redefine("task", "contact", FieldType.REFERENCE).references("account");

        SchemaPlan plan = plan(changed.build(), IN_FORCE);

        assertThat(plan.hasConflicts()).isFalse();
        assertThat(plan.changes()).first().isInstanceOf(DropForeignKey.class);
        apply(plan);
        assertThat(schemaSnapshot()).contains("foreign key fk_rec_task_contact rec_task.contact -> rec_account")
                .doesNotContain("foreign key fk_rec_task_contact rec_task.contact -> rec_contact");
        assertThat(plan(changed.build(), changed.build()).isEmpty()).isTrue();
    }

    @Test
    void aNumberThatBecomesAReferenceMustMatchRecords() {
        ModelBuilder before = TestModels.crmBuilder();
        before.edit("task").field("account", FieldType.INTEGER);
        JdbcRecordStore numbers = migratedStore(before.build());
        long acme = numbers.create("account", Map.of("name", "Acme")).id();
        numbers.create("task", Map.of("subject", "Fine", "account", acme));
        numbers.create("task", Map.of("subject", "Lost", "account", 999));
        ModelBuilder changed = TestModels.crmBuilder();
        changed.edit("task").field("account", FieldType.REFERENCE).references("account");

        SchemaConflict conflict = onlyConflict(plan(changed.build(), before.build()));

        assertThat(conflict.kind()).isEqualTo(Kind.REFERENCE_VALUES_MISSING);
        assertThat(conflict.key()).isEqualTo("entity");
        assertThat(conflict.message()).isEqualTo("Field 'account' of 'task' references 'account', but 1 record holds a "
                + "value that matches no record of 'account': #2 Lost: 999.");
    }

    // ---- length and digits ----

    @Test
    void aMaxLengthBelowStoredValuesIsAConflictAtMaxLength() {
        account(Map.of("name", "Acme", "code", "ACME-0000001"));
        account(Map.of("name", "Beta", "code", "B"));
        ModelBuilder changed = TestModels.crmBuilder();
        changed.redefine("account", "code", FieldType.TEXT).unique().maxLength(5);

        for (MetadataModel inForce : java.util.Arrays.asList(IN_FORCE, null)) {
            SchemaConflict conflict = onlyConflict(plan(changed.build(), inForce));

            assertThat(conflict.kind()).isEqualTo(Kind.VALUES_TOO_LONG);
            assertThat(conflict.key()).isEqualTo("maxLength");
            assertThat(conflict.examples()).containsExactly("#1 Acme (12 characters)");
            assertThat(conflict.message()).isEqualTo("Field 'code' of 'account' now allows 5 characters, but 1 record "
                    + "holds longer values: #1 Acme (12 characters).");
            assertThat(conflict.fix()).isEqualTo("shorten the values of this record first, or allow at least 12 "
                    + "characters (maxLength).");
        }
    }

    @Test
    void aLongTextMadeShorterIsCheckedAgainstTheModelInForce() {
        account(Map.of("name", "Acme", "description", "x".repeat(300)));
        ModelBuilder changed = TestModels.crmBuilder();
        changed.redefine("account", "description", FieldType.LONG_TEXT).maxLength(200);

        SchemaConflict conflict = onlyConflict(plan(changed.build(), IN_FORCE));

        assertThat(conflict.kind()).isEqualTo(Kind.VALUES_TOO_LONG);
        assertThat(conflict.count()).isEqualTo(1);
    }

    @Test
    void fewerDigitsThanStoredValuesAreConflictsAtPrecisionAndScale() {
        account(Map.of("name", "Acme", "rating", new BigDecimal("123.45")));
        account(Map.of("name", "Beta", "rating", new BigDecimal("1.5")));
        ModelBuilder changed = TestModels.crmBuilder();
        changed.redefine("account", "rating", FieldType.DECIMAL).digits(3, 1);

        SchemaPlan plan = plan(changed.build(), IN_FORCE);

        assertThat(plan.conflicts()).extracting(SchemaConflict::key).containsExactly("precision", "scale");
        assertThat(plan.conflicts()).extracting(SchemaConflict::kind).containsOnly(Kind.VALUES_TOO_PRECISE);
        assertThat(plan.conflicts().get(0).message()).isEqualTo("Field 'rating' of 'account' now allows 2 digits before "
                + "the decimal point (precision 3, scale 1), but 1 record holds larger values: #1 Acme: 123.45.");
        assertThat(plan.conflicts().get(1).message()).isEqualTo("Field 'rating' of 'account' now allows 1 digit after "
                + "the decimal point, but 1 record holds more: #1 Acme: 123.45.");
        assertThat(plan.conflicts().get(1).fix()).isEqualTo("round this record first, or keep the scale at 2.");
    }

    @Test
    void fewerDigitsThatStillHoldEveryValueAreAcceptedAndMoreWidenTheColumn() {
        account(Map.of("name", "Acme", "rating", new BigDecimal("12.5")));
        ModelBuilder fewer = TestModels.crmBuilder();
        fewer.redefine("account", "rating", FieldType.DECIMAL).digits(4, 1);

        SchemaPlan accepted = plan(fewer.build(), IN_FORCE);

        assertThat(accepted.hasConflicts()).isFalse();
        assertThat(accepted.isEmpty()).isTrue();
        assertThat(accepted.warnings()).containsExactly("Column rec_account.rating keeps NUMERIC(5, 2): the metadata now "
                + "says NUMERIC(4, 1) and no stored value exceeds it; new values are checked against the metadata");

        ModelBuilder more = TestModels.crmBuilder();
        more.redefine("account", "rating", FieldType.DECIMAL).digits(6, 1);
        SchemaPlan widened = plan(more.build(), IN_FORCE);
        assertThat(widened.changes()).singleElement().isInstanceOf(WidenColumn.class).extracting(SchemaChange::describe)
                .isEqualTo("Widen column rec_account.rating from NUMERIC(5, 2) to NUMERIC(7, 2)");
        apply(widened);
        assertThat(new JdbcRecordStore(db.dataSource(), more::build).create("account",
                Map.of("name", "Big", "rating", new BigDecimal("12345.6"))).get("rating")).isEqualTo(new BigDecimal("12345.60"));
    }

    // ---- options ----

    @Test
    void anOptionRemovedWhileRecordsHoldItIsAConflictAndRetiringItIsFine() {
        account(Map.of("name", "Shop", "industry", "retail", "tags", List.of("vip", "partner")));
        account(Map.of("name", "Bank", "industry", "finance"));
        ModelBuilder removed = TestModels.crmBuilder();
        removed.redefine("account", "industry", FieldType.CHOICE).options("tech", "finance").indexed();
        removed.redefine("account", "tags", FieldType.MULTI_CHOICE).options("vip", "lead");

        SchemaPlan plan = plan(removed.build(), IN_FORCE);

        assertThat(plan.conflicts()).extracting(SchemaConflict::field).containsExactly("industry", "tags");
        SchemaConflict industry = plan.conflicts().get(0);
        assertThat(industry.kind()).isEqualTo(Kind.OPTION_IN_USE);
        assertThat(industry.key()).isEqualTo("options");
        assertThat(industry.message()).isEqualTo("Field 'industry' of 'account' no longer has the option 'retail', which "
                + "1 record holds: #1 Shop: 'retail'.");
        assertThat(industry.fix()).startsWith("keep the option and mark it 'active: false'");
        assertThat(plan.conflicts().get(1).message()).isEqualTo("Field 'tags' of 'account' no longer has the option "
                + "'partner', which 1 record holds: #1 Shop: ',vip,partner,'.");

        ModelBuilder retired = TestModels.crmBuilder();
        retired.redefine("account", "industry", FieldType.CHOICE).options("tech", "retail", "finance").retired("retail")
                .indexed();
        retired.redefine("account", "tags", FieldType.MULTI_CHOICE).options("vip", "partner", "lead").retired("partner");
        assertThat(plan(retired.build(), IN_FORCE).hasConflicts()).isFalse();
    }

    @Test
    void anUnusedOptionMayBeRemoved() {
        account(Map.of("name", "Bank", "industry", "finance"));
        ModelBuilder removed = TestModels.crmBuilder();
        removed.redefine("account", "industry", FieldType.CHOICE).options("tech", "finance").indexed();

        assertThat(plan(removed.build(), IN_FORCE).hasConflicts()).isFalse();
    }

    @Test
    void textThatBecomesAChoiceMustHoldOptions() {
        account(Map.of("name", "Acme", "code", "gold"));
        account(Map.of("name", "Beta", "code", "silver"));
        ModelBuilder changed = TestModels.crmBuilder();
        changed.redefine("account", "code", FieldType.CHOICE).options("gold", "bronze").maxLength(20).unique();

        SchemaConflict conflict = onlyConflict(plan(changed.build(), IN_FORCE));

        assertThat(conflict.kind()).isEqualTo(Kind.OPTION_IN_USE);
        assertThat(conflict.message()).isEqualTo("Field 'code' of 'account' becomes a choice, but 1 record holds values "
                + "that are none of its options ('silver'): #2 Beta: 'silver'.");
    }

    // ---- formats ----

    @Test
    void textThatBecomesEmailMustHoldEmailAddresses() {
        account(Map.of("name", "Acme", "code", "info@acme.example"));
        account(Map.of("name", "Beta", "code", "call us"));
        ModelBuilder changed = TestModels.crmBuilder();
        changed.redefine("account", "code", FieldType.EMAIL).maxLength(20).unique();

        SchemaConflict conflict = onlyConflict(plan(changed.build(), IN_FORCE));

        assertThat(conflict.kind()).isEqualTo(Kind.VALUES_NOT_EMAIL);
        assertThat(conflict.key()).isEqualTo("type");
        assertThat(conflict.message()).isEqualTo("Field 'code' of 'account' becomes email, but 1 record holds values that "
                + "are not email addresses: #2 Beta: 'call us'.");
        assertThat(conflict.fix()).isEqualTo("correct this record first, or keep the type text.");

        store().update("account", 2, 1, Map.of("code", "hello@beta.example"));
        assertThat(plan(changed.build(), IN_FORCE).hasConflicts()).isFalse();
    }

    @Test
    void aConflictChangesNothing() {
        account(Map.of("name", "Acme", "employees", 3));
        ModelBuilder changed = TestModels.crmBuilder();
        changed.edit("account").field("note", FieldType.TEXT);
        changed.redefine("account", "employees", FieldType.BOOLEAN);
        List<String> before = schemaSnapshot();

        SchemaPlan plan = plan(changed.build(), IN_FORCE);

        assertThat(plan.hasConflicts()).isTrue();
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> apply(plan)).isInstanceOf(IllegalArgumentException.class);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new SchemaMigrator().migrate(changed.build(), db.dataSource()))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("[TYPE_CHANGE_WITH_DATA]");
        assertThat(schemaSnapshot()).isEqualTo(before);
    }
}
