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
    void fieldsAndEntitiesRemovedFromMetadataAreKeptWithAWarning() {
        JdbcRecordStore store = migratedStore(TestModels.crm());
        long id = store.create("account", Map.of("name", "Acme", "phone", "+49 30 123")).id();
        MetadataModel smaller = TestModels.crmBuilder().withoutField("account", "phone").withoutEntity("task").build();

        SchemaPlan plan = plan(smaller);

        assertThat(plan.isEmpty()).as(plan.toString()).isTrue();
        assertThat(plan.warnings()).containsExactly(
                "Column rec_account.phone is not in the metadata (field removed?); kept with its data",
                "Table rec_task has no entity in the metadata (entity removed?); kept with its data");
        assertThat(new JdbcRecordStore(db.dataSource(), () -> smaller).get("account", id).values())
                .doesNotContainKey("phone");
        assertThat(store.get("account", id).get("phone")).isEqualTo("+49 30 123");
    }

    @Test
    void longerMaxLengthWidensTheColumnAndShorterOnlyWarns() {
        JdbcRecordStore store = migratedStore(TestModels.crm());
        long id = store.create("account", Map.of("name", "Acme", "code", "A-1")).id();
        ModelBuilder wider = TestModels.crmBuilder();
        wider.redefine("account", "code", FieldType.TEXT).unique().maxLength(40);

        SchemaPlan plan = plan(wider.build());

        assertThat(plan.changes()).hasSize(1).first().isInstanceOf(WidenColumn.class)
                .extracting(SchemaChange::describe)
                .isEqualTo("Widen column rec_account.code from VARCHAR(20) to VARCHAR(40)");
        apply(plan);
        assertThat(plan(wider.build()).isEmpty()).isTrue();
        assertThat(new JdbcRecordStore(db.dataSource(), wider::build)
                .update("account", id, 1, Map.of("code", "x".repeat(40))).get("code")).isEqualTo("x".repeat(40));

        ModelBuilder narrower = TestModels.crmBuilder();
        narrower.redefine("account", "code", FieldType.TEXT).unique().maxLength(10);
        SchemaPlan narrow = plan(narrower.build());
        assertThat(narrow.isEmpty()).isTrue();
        assertThat(narrow.warnings()).singleElement().asString()
                .contains("rec_account.code is VARCHAR(40)", "allows 10 characters", "never narrowed");
    }

    @Test
    void incompatibleColumnTypeIsAConflictThatBlocksTheModel() {
        migratedStore(TestModels.crm());
        ModelBuilder changed = TestModels.crmBuilder();
        changed.redefine("account", "employees", FieldType.DATE);

        SchemaPlan plan = plan(changed.build());

        assertThat(plan.isEmpty()).isTrue();
        assertThat(plan.warnings()).isEmpty();
        assertThat(plan.hasConflicts()).isTrue();
        assertThat(plan.conflicts()).singleElement().asString()
                .startsWith("Column rec_account.employees is ")
                .contains("the metadata says date (DATE); left unchanged");
    }

    @Test
    void uniqueIndexOnDuplicateValuesFailsWithClearMessageAndAppliesNothingOnPostgres() {
        JdbcRecordStore store = migratedStore(TestModels.crm());
        store.create("account", Map.of("name", "Acme", "phone", "+49 30 123"));
        store.create("account", Map.of("name", "Acme 2", "phone", "+49 30 123"));
        ModelBuilder changed = TestModels.crmBuilder();
        changed.edit("account").field("note", FieldType.TEXT);
        changed.redefine("account", "phone", FieldType.PHONE).unique();
        MetadataModel model = changed.build();

        SchemaPlan plan = plan(model);

        assertThat(plan.warnings()).singleElement().asString().isEqualTo("1 value of rec_account.phone occurs "
                + "more than once: creating the unique index ux_rec_account_phone will fail until the duplicates are changed");
        assertThatThrownBy(() -> apply(plan)).isInstanceOfSatisfying(SchemaMigrationException.class, e -> {
            assertThat(e.statement()).isEqualTo("CREATE UNIQUE INDEX \"ux_rec_account_phone\" ON \"rec_account\" (\"phone\")");
            assertThat(e.getMessage()).startsWith("Schema change failed at statement 2 of 2 (Create unique index "
                    + "ux_rec_account_phone on rec_account.phone): CREATE UNIQUE INDEX").contains("database said:");
        });
        SchemaPlan after = plan(model);
        if (kind == TestDatabase.Kind.POSTGRESQL) {
            assertThat(after.changes()).as("nothing applied").hasSize(2);
        } else {
            // H2 committed the ADD COLUMN implicitly; planning again picks up where it stopped
            assertThat(after.changes()).extracting(SchemaChange::describe)
                    .containsExactly("Create unique index ux_rec_account_phone on rec_account.phone");
        }
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
