package io.relata.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.relata.api.model.FieldType;
import io.relata.api.model.MetadataModel;
import io.relata.api.record.RecordQuery;
import io.relata.api.record.ValidationException;
import io.relata.store.SchemaChange.AddColumn;
import io.relata.store.SchemaChange.AddForeignKey;
import io.relata.store.SchemaChange.CreateExtension;
import io.relata.store.SchemaChange.CreateIndex;
import io.relata.store.SchemaChange.CreateTable;
import io.relata.store.SchemaChange.WidenColumn;
import java.sql.Connection;
import java.sql.ResultSet;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SchemaPlannerTest extends DatabaseTest {

    @Test
    void planOnEmptyDatabaseCreatesTablesThenIndexesThenForeignKeys() {
        SchemaPlan plan = plan(TestModels.crm());

        assertThat(plan.warnings()).isEmpty();
        assertThat(plan.changes()).filteredOn(CreateTable.class::isInstance).extracting(SchemaChange::describe)
                .containsExactly("Create table rec_account with 22 columns", "Create table rec_contact with 10 columns",
                        "Create table rec_task with 9 columns");
        assertThat(plan.changes()).filteredOn(CreateIndex.class::isInstance).map(c -> ((CreateIndex) c).name())
                .contains("ux_rec_account_code", "ix_rec_account_industry", "ix_rec_account_parent",
                        "ix_rec_account_primary_contact", "ux_rec_contact_email", "ix_rec_contact_account",
                        "ix_rec_task_contact");
        assertThat(plan.changes()).filteredOn(AddForeignKey.class::isInstance).extracting(SchemaChange::describe)
                .containsExactly(
                        "Add foreign key fk_rec_account_parent from rec_account.parent to rec_account.id",
                        "Add foreign key fk_rec_account_primary_contact from rec_account.primary_contact to rec_contact.id",
                        "Add foreign key fk_rec_contact_account from rec_contact.account to rec_account.id",
                        "Add foreign key fk_rec_task_contact from rec_task.contact to rec_contact.id");
        int lastTable = lastIndexOf(plan, CreateTable.class);
        int firstForeignKey = plan.changes().indexOf(plan.changes().stream()
                .filter(AddForeignKey.class::isInstance).findFirst().orElseThrow());
        assertThat(lastTable).isLessThan(firstForeignKey);
        if (kind == TestDatabase.Kind.POSTGRESQL) {
            assertThat(plan.changes()).filteredOn(CreateIndex.class::isInstance).map(c -> ((CreateIndex) c).name())
                    .contains("tg_rec_account_name", "tg_rec_account_description", "tg_rec_account_email",
                            "tg_rec_contact_last_name");
            // pg_trgm is created in the test schema unless the server already has it elsewhere
            assertThat(plan.statements()).filteredOn(s -> s.contains("USING GIN"))
                    .allMatch(s -> s.contains("(lower(") && s.endsWith(".gin_trgm_ops)"));
            assertThat(plan.changes()).filteredOn(CreateExtension.class::isInstance)
                    .allMatch(c -> plan.changes().indexOf(c) < plan.changes().indexOf(plan.changes().stream()
                            .filter(i -> i instanceof CreateIndex x && x.kind().equals("trigram")).findFirst().orElseThrow()));
        } else {
            assertThat(plan.statements()).noneMatch(s -> s.contains("gin_trgm_ops"));
        }
        assertThat(plan.toString()).contains("Create table rec_account with 22 columns",
                "CREATE UNIQUE INDEX \"ux_rec_account_code\" ON \"rec_account\" (\"code\");");
    }

    @Test
    void replanAfterApplyingIsEmpty() {
        MetadataModel model = TestModels.crm();
        apply(plan(model));

        SchemaPlan again = plan(model);

        assertThat(again.isEmpty()).as(again.toString()).isTrue();
        assertThat(again.warnings()).isEmpty();
        assertThat(again.toString()).contains("no changes");
    }

    @Test
    void addingFieldsToTableWithRowsKeepsRowsAndSaysHowManyLackTheRequiredValue() {
        JdbcRecordStore before = migratedStore(TestModels.crm());
        long id = before.create("contact", Map.of("last_name", "Lovelace")).id();
        before.create("contact", Map.of("last_name", "Hopper"));
        before.create("contact", Map.of("last_name", "Turing"));
        ModelBuilder changed = TestModels.crmBuilder();
        changed.edit("contact").field("birthday", FieldType.DATE).field("nickname", FieldType.TEXT).required();
        MetadataModel model = changed.build();

        SchemaPlan plan = plan(model);

        assertThat(plan.changes()).extracting(SchemaChange::describe).containsExactly(
                "Add column rec_contact.birthday DATE",
                "Add column rec_contact.nickname VARCHAR(255) (3 existing rows have no value yet;"
                        + " they must be filled in on their next edit)");
        apply(plan);
        assertThat(plan(model).isEmpty()).isTrue();
        JdbcRecordStore after = new JdbcRecordStore(db.dataSource(), () -> model);
        assertThat(after.count("contact", RecordQuery.all())).isEqualTo(3);
        assertThat(after.get("contact", id).values()).containsEntry("last_name", "Lovelace")
                .containsEntry("nickname", null).containsEntry("birthday", null);
        assertThatThrownBy(() -> after.update("contact", id, 1, Map.of("first_name", "Ada")))
                .isInstanceOfSatisfying(ValidationException.class, e -> assertThat(e.errors())
                        .extracting(f -> f.field() + ":" + f.code()).containsExactly("nickname:required"));
        assertThat(after.update("contact", id, 1, Map.of("nickname", "Ada")).get("nickname")).isEqualTo("Ada");
    }

    @Test
    void fieldsAndEntitiesRemovedFromMetadataAreOrphansListedOnceWithTheirValues() {
        JdbcRecordStore store = migratedStore(TestModels.crm());
        long id = store.create("account", Map.of("name", "Acme", "phone", "+49 30 123")).id();
        store.create("account", Map.of("name", "Beta"));
        MetadataModel smaller = TestModels.crmBuilder().withoutField("account", "phone").withoutField("account", "website")
                .withoutEntity("task").build();

        SchemaPlan plan = plan(smaller);

        assertThat(plan.isEmpty()).as(plan.toString()).isTrue();
        assertThat(plan.orphans()).containsExactly(new SchemaPlan.Orphan("rec_task", null, 0),
                new SchemaPlan.Orphan("rec_account", "phone", 1), new SchemaPlan.Orphan("rec_account", "website", 0));
        assertThat(plan.warnings()).containsExactly("1 table and 2 columns are no longer in the metadata and kept with "
                + "their data: table rec_task (0 rows), column rec_account.phone (1 value), column rec_account.website "
                + "(0 values). Nothing is dropped automatically; an administrator can drop each one (admin page, or the "
                + "schema orphans API).");
        assertThat(new JdbcRecordStore(db.dataSource(), () -> smaller).get("account", id).values())
                .doesNotContainKey("phone");
        assertThat(store.get("account", id).get("phone")).isEqualTo("+49 30 123");
    }

    @Test
    void manyOrphansGiveOneWarningThatNamesTheFirstTen() {
        ModelBuilder large = TestModels.crmBuilder();
        for (int i = 0; i < 30; i++) {
            large.edit("task").field("extra_" + i, FieldType.TEXT);
        }
        migratedStore(large.build());

        SchemaPlan plan = plan(TestModels.crm());

        assertThat(plan.orphans()).hasSize(30);
        assertThat(plan.warnings()).singleElement().asString().startsWith("30 columns are no longer in the metadata")
                .contains("column rec_task.extra_9 (0 values) and 20 more.");
    }

    @Test
    void anAdministratorDropsOneOrphanAndTheOthersStay() {
        JdbcRecordStore store = migratedStore(TestModels.crm());
        long contact = store.create("contact", Map.of("last_name", "Lovelace")).id();
        store.create("task", Map.of("subject", "Call", "contact", contact));
        MetadataModel smaller = TestModels.crmBuilder().withoutField("account", "phone").withoutEntity("task").build();
        SchemaPlan plan = plan(smaller);

        dropOrphan(new SchemaPlan.Orphan("rec_task", null, 1));

        assertThat(plan.orphans()).extracting(SchemaPlan.Orphan::describe)
                .containsExactly("table rec_task (1 row)", "column rec_account.phone (0 values)");
        assertThat(plan(smaller).orphans()).extracting(SchemaPlan.Orphan::describe)
                .containsExactly("column rec_account.phone (0 values)");
        assertThat(schemaSnapshot()).noneMatch(line -> line.contains("rec_task"));
        dropOrphan(new SchemaPlan.Orphan("rec_account", "phone", 0));
        assertThat(plan(smaller).orphans()).isEmpty();
        assertThat(plan(smaller).warnings()).isEmpty();
    }

    @Test
    void anOrphanReferenceColumnIsDroppedWithItsForeignKey() {
        migratedStore(TestModels.crm());
        MetadataModel smaller = TestModels.crmBuilder().withoutField("account", "primary_contact").build();

        dropOrphan(new SchemaPlan.Orphan("rec_account", "primary_contact", 0));

        assertThat(schemaSnapshot()).noneMatch(line -> line.contains("primary_contact"));
        assertThat(plan(smaller).isEmpty()).isTrue();
        assertThat(plan(smaller).orphans()).isEmpty();
    }

    private void dropOrphan(SchemaPlan.Orphan orphan) {
        try (Connection c = db.connection()) {
            new SchemaMigrator().dropOrphan(orphan, c);
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void longerMaxLengthWidensTheColumnAndShorterIsAcceptedWithOneWarningWhenNoValueIsLonger() {
        JdbcRecordStore store = migratedStore(TestModels.crm());
        long id = store.create("account", Map.of("name", "Acme", "code", "A-1")).id();
        ModelBuilder wider = TestModels.crmBuilder();
        wider.redefine("account", "code", FieldType.TEXT).unique().maxLength(40);

        SchemaPlan plan = plan(wider.build(), TestModels.crm());

        assertThat(plan.changes()).hasSize(1).first().isInstanceOf(WidenColumn.class)
                .extracting(SchemaChange::describe)
                .isEqualTo("Widen column rec_account.code from VARCHAR(20) to VARCHAR(40)");
        apply(plan);
        assertThat(plan(wider.build()).isEmpty()).isTrue();
        JdbcRecordStore widened = new JdbcRecordStore(db.dataSource(), wider::build);
        assertThat(widened.update("account", id, 1, Map.of("code", "x".repeat(40))).get("code")).isEqualTo("x".repeat(40));
        widened.update("account", id, 2, Map.of("code", "A-1"));

        ModelBuilder narrower = TestModels.crmBuilder();
        narrower.redefine("account", "code", FieldType.TEXT).unique().maxLength(10);
        SchemaPlan narrow = plan(narrower.build(), wider.build());
        assertThat(narrow.isEmpty()).isTrue();
        assertThat(narrow.hasConflicts()).isFalse();
        assertThat(narrow.warnings()).containsExactly("Column rec_account.code keeps room for 40 characters: the "
                + "metadata now allows 10 and no stored value is longer; new values are checked against 10");
        // once in force, the wider column is how things are: no warning on the next reload or at start-up
        assertThat(plan(narrower.build(), narrower.build()).warnings()).isEmpty();
        assertThat(plan(narrower.build()).warnings()).isEmpty();
    }

    @Test
    void incompatibleColumnTypeWithValuesIsAConflictThatBlocksTheModel() {
        JdbcRecordStore store = migratedStore(TestModels.crm());
        store.create("account", Map.of("name", "Acme", "employees", 12));
        ModelBuilder changed = TestModels.crmBuilder();
        changed.redefine("account", "employees", FieldType.DATE);

        SchemaPlan plan = plan(changed.build());

        assertThat(plan.isEmpty()).isTrue();
        assertThat(plan.warnings()).isEmpty();
        assertThat(plan.hasConflicts()).isTrue();
        assertThat(plan.conflicts()).singleElement().satisfies(conflict -> {
            assertThat(conflict.kind()).isEqualTo(SchemaConflict.Kind.TYPE_CHANGE_WITH_DATA);
            assertThat(conflict.key()).isEqualTo("type");
            assertThat(conflict.count()).isEqualTo(1);
            assertThat(conflict.examples()).containsExactly("#1 Acme");
            assertThat(conflict.message()).startsWith("Field 'employees' of 'account' changes its type to date, but its "
                    + "column holds ").endsWith(" values, which the database cannot convert: 1 record holds a value: #1 Acme.");
        });
        assertThatThrownBy(() -> apply(plan)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void uniqueIndexOnDuplicateValuesIsAConflictWithTheValuesAndTheirRecords() {
        JdbcRecordStore store = migratedStore(TestModels.crm());
        store.create("account", Map.of("name", "Acme", "phone", "+49 30 123"));
        store.create("account", Map.of("name", "Acme 2", "phone", "+49 30 123"));
        store.create("account", Map.of("name", "Other", "phone", "+49 30 999"));
        ModelBuilder changed = TestModels.crmBuilder();
        changed.edit("account").field("note", FieldType.TEXT);
        changed.redefine("account", "phone", FieldType.PHONE).unique();
        List<String> before = schemaSnapshot();

        SchemaPlan plan = plan(changed.build());

        assertThat(plan.conflicts()).singleElement().satisfies(conflict -> {
            assertThat(conflict.kind()).isEqualTo(SchemaConflict.Kind.DUPLICATE_VALUES);
            assertThat(conflict.key()).isEqualTo("unique");
            assertThat(conflict.count()).isEqualTo(2);
            assertThat(conflict.examples()).containsExactly("'+49 30 123' (#1 Acme, #2 Acme 2)");
            assertThat(conflict.message()).isEqualTo("Field 'phone' of 'account' cannot become unique: 1 value occurs "
                    + "more than once, in 2 records: '+49 30 123' (#1 Acme, #2 Acme 2).");
            assertThat(conflict.fix()).isEqualTo("clean these 2 records first (give each its own value, or empty it), "
                    + "or leave out 'unique: true'.");
        });
        assertThat(plan.changes()).extracting(SchemaChange::describe).containsExactly("Add column rec_account.note VARCHAR(255)");
        assertThat(schemaSnapshot()).isEqualTo(before);
    }

    @Test
    void aStatementThatStillFailsLeavesTheSchemaExactlyAsBefore() {
        JdbcRecordStore store = migratedStore(TestModels.crm());
        store.create("account", Map.of("name", "Acme", "phone", "+49 30 123"));
        ModelBuilder changed = TestModels.crmBuilder();
        changed.edit("account").field("note", FieldType.TEXT).field("size", FieldType.INTEGER).indexed();
        changed.redefine("account", "code", FieldType.TEXT).maxLength(40);
        changed.redefine("account", "phone", FieldType.PHONE).unique();
        changed.entity("project", "title").field("title", FieldType.TEXT).unique()
                .field("account", FieldType.REFERENCE).references("account");
        SchemaPlan plan = plan(changed.build(), TestModels.crm());
        assertThat(plan.hasConflicts()).isFalse();
        assertThat(plan.changes()).extracting(SchemaChange::describe).contains("Drop unique index ux_rec_account_code on "
                + "rec_account.code", "Widen column rec_account.code from VARCHAR(20) to VARCHAR(40)");
        List<String> before = schemaSnapshot();
        // written between planning and applying: the unique index on phone fails after a dropped index, a new table,
        // new columns, a widening and other indexes
        db.execute("INSERT INTO \"rec_account\" (\"version\", \"created_at\", \"updated_at\", \"name\", \"phone\") "
                + "VALUES (1, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP, 'Acme 2', '+49 30 123')");

        assertThatThrownBy(() -> apply(plan)).isInstanceOfSatisfying(SchemaMigrationException.class, e -> {
            assertThat(e.change()).isEqualTo("Create unique index ux_rec_account_phone on rec_account.phone");
            assertThat(e.undone()).isTrue();
            assertThat(e.statementNumber()).isGreaterThan(4);
            assertThat(e.getMessage()).contains("database said:");
        });

        assertThat(schemaSnapshot()).isEqualTo(before);
        assertThat(plan(changed.build(), TestModels.crm()).conflicts()).extracting(SchemaConflict::kind)
                .containsExactly(SchemaConflict.Kind.DUPLICATE_VALUES);
    }
    @Test
    void referencesWorkInAnyEntityOrderIncludingCycles() throws Exception {
        MetadataModel reversed = new ModelBuilder()
                .entity("b", "name").field("name", FieldType.TEXT).field("a", FieldType.REFERENCE).references("a")
                .entity("a", "name").field("name", FieldType.TEXT).field("b", FieldType.REFERENCE).references("b")
                .field("self", FieldType.REFERENCE).references("a")
                .build();

        apply(plan(reversed));

        assertThat(plan(reversed).isEmpty()).isTrue();
        try (Connection c = db.connection(); ResultSet rs = c.getMetaData().getImportedKeys(null, c.getSchema(), "rec_a")) {
            List<String> keys = new java.util.ArrayList<>();
            while (rs.next()) {
                keys.add(rs.getString("FK_NAME") + "->" + rs.getString("PKTABLE_NAME"));
            }
            assertThat(keys).containsExactlyInAnyOrder("fk_rec_a_b->rec_b", "fk_rec_a_self->rec_a");
        }
    }

    @Test
    void addedRequiredFieldOnEmptyTableHasNoNote() {
        migratedStore(TestModels.crm());
        ModelBuilder changed = TestModels.crmBuilder();
        changed.edit("task").field("priority", FieldType.INTEGER).required();

        assertThat(plan(changed.build()).changes()).extracting(SchemaChange::describe)
                .containsExactly("Add column rec_task.priority BIGINT");
        assertThat(plan(changed.build()).changes()).first().isInstanceOf(AddColumn.class);
    }

    private static int lastIndexOf(SchemaPlan plan, Class<?> type) {
        int last = -1;
        for (int i = 0; i < plan.changes().size(); i++) {
            if (type.isInstance(plan.changes().get(i))) {
                last = i;
            }
        }
        return last;
    }
}
