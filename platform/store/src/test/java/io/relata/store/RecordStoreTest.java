package io.relata.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.relata.api.record.Record;
import io.relata.api.record.RecordNotFoundException;
import io.relata.api.record.UnknownEntityException;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class RecordStoreTest extends DatabaseTest {

    private JdbcRecordStore store;

    @BeforeEach
    void migrate() {
        store = migratedStore(TestModels.crm());
    }

    @Test
    void typedValuesOfEveryFieldTypeRoundTrip() {
        long parent = store.create("account", Map.of("name", "Parent")).id();
        long contact = store.create("contact", Map.of("last_name", "Lovelace")).id();
        Map<String, Object> values = new HashMap<>();
        values.put("name", "Acme Ltd");
        values.put("code", "ACME-1");
        values.put("description", "Line one\nLine two ünïcödé");
        values.put("employees", 1200L);
        values.put("revenue", new BigDecimal("1234567.89"));
        values.put("rating", new BigDecimal("4.25"));
        values.put("founded", LocalDate.of(1999, 12, 31));
        values.put("last_contact", OffsetDateTime.of(2024, 5, 31, 16, 30, 0, 123_456_000, ZoneOffset.ofHours(2)));
        values.put("active", true);
        values.put("industry", "tech");
        values.put("tags", List.of("lead", "vip"));
        values.put("email", "info@acme.example");
        values.put("phone", "+49 (30) 123-456");
        values.put("website", "https://acme.example/about?x=1");
        values.put("parent", parent);
        values.put("primary_contact", contact);

        Record created = store.create("account", values);
        Record read = store.get("account", created.id());

        assertThat(read).isEqualTo(created);
        assertThat(read.values()).containsEntry("name", "Acme Ltd").containsEntry("code", "ACME-1")
                .containsEntry("description", "Line one\nLine two ünïcödé").containsEntry("employees", 1200L)
                .containsEntry("founded", LocalDate.of(1999, 12, 31))
                .containsEntry("last_contact", OffsetDateTime.of(2024, 5, 31, 14, 30, 0, 123_456_000, ZoneOffset.UTC))
                .containsEntry("active", true).containsEntry("industry", "tech")
                .containsEntry("tags", List.of("vip", "lead")) // options' order
                .containsEntry("email", "info@acme.example").containsEntry("phone", "+49 (30) 123-456")
                .containsEntry("website", "https://acme.example/about?x=1").containsEntry("parent", parent)
                .containsEntry("primary_contact", contact);
        assertThat((BigDecimal) read.get("revenue")).isEqualByComparingTo("1234567.89");
        assertThat((BigDecimal) read.get("rating")).isEqualByComparingTo("4.25");
        assertThat(read.version()).isEqualTo(1);
        assertThat(read.createdAt()).isEqualTo(read.updatedAt());
        assertThat(read.createdAt().getOffset()).isEqualTo(ZoneOffset.UTC);
    }

    @Test
    void rawInputFromFormsAndJsonIsConverted() {
        long parent = store.create("account", Map.of("name", "Parent")).id();
        Map<String, Object> raw = new HashMap<>();
        raw.put("name", "  Acme  ");
        raw.put("employees", "42");
        raw.put("revenue", 1234.5);
        raw.put("rating", "3");
        raw.put("founded", "2024-02-29");
        raw.put("last_contact", "2024-05-31T16:30:00+02:00");
        raw.put("active", "false");
        raw.put("tags", "partner, vip");
        raw.put("parent", String.valueOf(parent));
        raw.put("website", "");

        Record record = store.create("account", raw);

        assertThat(record.values()).containsEntry("name", "Acme").containsEntry("employees", 42L)
                .containsEntry("founded", LocalDate.of(2024, 2, 29))
                .containsEntry("last_contact", OffsetDateTime.of(2024, 5, 31, 14, 30, 0, 0, ZoneOffset.UTC))
                .containsEntry("active", false).containsEntry("tags", List.of("vip", "partner"))
                .containsEntry("parent", parent).containsEntry("website", null);
        assertThat((BigDecimal) record.get("revenue")).isEqualByComparingTo("1234.50");
        assertThat((BigDecimal) record.get("rating")).isEqualByComparingTo("3");
        assertThat(store.create("account", Map.of("name", "Json", "employees", 7, "parent", (int) parent))
                .get("employees")).isEqualTo(7L);
    }

    @Test
    void fieldsNotGivenAreNull() {
        Record record = store.create("account", Map.of("name", "Acme"));

        assertThat(record.values()).hasSize(16).containsEntry("name", "Acme").containsEntry("tags", null)
                .containsEntry("active", null).containsEntry("parent", null);
    }

    @Test
    void updateChangesOnlyTheGivenFieldsAndIncrementsTheVersion() {
        Record created = store.create("account", Map.of("name", "Acme", "employees", 10, "industry", "tech"));

        Record updated = store.update("account", created.id(), 1, Map.of("employees", 11));

        assertThat(updated.version()).isEqualTo(2);
        assertThat(updated.values()).containsEntry("name", "Acme").containsEntry("employees", 11L)
                .containsEntry("industry", "tech");
        assertThat(updated.createdAt()).isEqualTo(created.createdAt());
        assertThat(updated.updatedAt()).isAfterOrEqualTo(created.updatedAt());
        assertThat(store.get("account", created.id())).isEqualTo(updated);
    }

    @Test
    void replaceSetsFieldsNotGivenToNull() {
        Record created = store.create("account", Map.of("name", "Acme", "employees", 10, "industry", "tech"));

        Record replaced = store.replace("account", created.id(), 1, Map.of("name", "Acme 2"));

        assertThat(replaced.version()).isEqualTo(2);
        assertThat(replaced.values()).containsEntry("name", "Acme 2").containsEntry("employees", null)
                .containsEntry("industry", null);
    }

    @Test
    void deleteRemovesTheRecord() {
        long first = store.create("account", Map.of("name", "A")).id();
        long second = store.create("account", Map.of("name", "B")).id();

        store.delete("account", first, 1L);
        store.delete("account", second, null);

        assertThat(store.find("account", first)).isEmpty();
        assertThat(store.find("account", second)).isEmpty();
    }

    @Test
    void missingRecordIsEmptyOrNotFound() {
        assertThat(store.find("account", 4711)).isEmpty();
        assertThatThrownBy(() -> store.get("account", 4711)).isInstanceOf(RecordNotFoundException.class)
                .hasMessage("No account with id 4711");
        assertThatThrownBy(() -> store.update("account", 4711, 1, Map.of("name", "x")))
                .isInstanceOf(RecordNotFoundException.class);
        assertThatThrownBy(() -> store.delete("account", 4711, null)).isInstanceOf(RecordNotFoundException.class);
    }

    @Test
    void unknownEntityIsRefused() {
        assertThatThrownBy(() -> store.create("planet", Map.of())).isInstanceOf(UnknownEntityException.class)
                .hasMessage("No entity named 'planet' in the current metadata");
        assertThatThrownBy(() -> store.find("planet", 1)).isInstanceOf(UnknownEntityException.class);
    }

    @Test
    void titlesFallBackToTheIdAndSkipMissingRecords() {
        long named = store.create("task", Map.of("subject", "Call back")).id();
        long unnamed = store.create("task", Map.of("done", true)).id();

        Map<Long, String> titles = store.titles("task", List.of(unnamed, named, 999L));

        assertThat(titles).containsExactly(Map.entry(unnamed, "#" + unnamed), Map.entry(named, "Call back"));
        assertThat(store.titles("task", List.of())).isEmpty();
    }

    @Test
    void databaseFailureBecomesStoreExceptionWithContext() {
        ModelBuilder model = TestModels.crmBuilder();
        model.entity("planet", "name").field("name", io.relata.api.model.FieldType.TEXT);
        JdbcRecordStore unmigrated = new JdbcRecordStore(db.dataSource(), model::build);

        assertThatThrownBy(() -> unmigrated.create("planet", Map.of("name", "Mars")))
                .isInstanceOfSatisfying(StoreException.class, e -> {
                    assertThat(e.entity()).isEqualTo("planet");
                    assertThat(e.operation()).isEqualTo("create");
                    assertThat(e.getCause()).isInstanceOf(java.sql.SQLException.class);
                });
    }
}
