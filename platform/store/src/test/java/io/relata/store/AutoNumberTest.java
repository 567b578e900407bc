package io.relata.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.relata.api.model.FieldType;
import io.relata.api.model.MetadataModel;
import io.relata.api.record.ErrorCodes;
import io.relata.api.record.ValidationException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/**
 * A text field with {@code autoNumber} gets the next number of its own sequence on create: required or not, never
 * typed by the writer, unique under concurrent creates, and a refused create uses up no number.
 */
class AutoNumberTest extends DatabaseTest {

    private static MetadataModel policies() {
        return new ModelBuilder()
                .entity("policy", "number")
                .field("number", FieldType.TEXT).required().unique().maxLength(20).autoNumber("POL-", 4)
                .field("holder", FieldType.TEXT).required()
                .build();
    }

    @Test
    void theSchemaPlanCreatesOneSequencePerNumberedFieldOnce() {
        SchemaPlan first = plan(policies());
        assertThat(first.changes()).filteredOn(c -> c instanceof SchemaChange.CreateSequence)
                .extracting(SchemaChange::describe)
                .containsExactly("Create sequence sq_rec_policy_number for the numbers of rec_policy.number");
        migratedStore(policies());

        assertThat(plan(policies()).changes()).as("nothing left to do once applied").isEmpty();
    }

    @Test
    void newRecordsAreNumberedInOrderAndARefusedCreateUsesNoNumber() {
        JdbcRecordStore store = migratedStore(policies());

        assertThat(store.create("policy", Map.of("holder", "Anna")).get("number")).isEqualTo("POL-0001");
        assertThatThrownBy(() -> store.create("policy", Map.of()))
                .isInstanceOfSatisfying(ValidationException.class, e -> assertThat(e.errors())
                        .extracting(f -> f.field() + ":" + f.code()).containsExactly("holder:required"));
        var second = store.create("policy", Map.of("holder", "Ben"));
        assertThat(second.get("number")).isEqualTo("POL-0002");

        var updated = store.update("policy", second.id(), second.version(), Map.of("holder", "Ben Berger"));
        assertThat(updated.get("number")).as("an update keeps the number").isEqualTo("POL-0002");
    }

    @Test
    void aWriterCannotTypeOrChangeTheNumber() {
        JdbcRecordStore store = migratedStore(policies());
        var first = store.create("policy", Map.of("holder", "Anna"));

        assertThatThrownBy(() -> store.create("policy", Map.of("holder", "Carl", "number", "MINE-1")))
                .isInstanceOfSatisfying(ValidationException.class, e -> assertThat(e.errors())
                        .extracting(f -> f.field() + ":" + f.code()).containsExactly("number:" + ErrorCodes.READ_ONLY_FIELD));
        assertThatThrownBy(() -> store.update("policy", first.id(), first.version(), Map.of("number", "POL-9999")))
                .isInstanceOf(ValidationException.class);
        Map<String, Object> same = new HashMap<>(first.values());
        same.put("holder", "Anna Albers");
        assertThat(store.replace("policy", first.id(), first.version(), same).get("number"))
                .as("sending the number it has is no change").isEqualTo("POL-0001");
    }

    @Test
    void recordsStoredBeforeTheFieldWasNumberedGetANumberWhenSaved() {
        MetadataModel plain = new ModelBuilder().entity("policy", "holder")
                .field("holder", FieldType.TEXT).required().build();
        long old = migratedStore(plain).create("policy", Map.of("holder", "Old")).id();
        MetadataModel numbered = new ModelBuilder().entity("policy", "holder")
                .field("holder", FieldType.TEXT).required()
                .field("number", FieldType.TEXT).autoNumber("", 3)
                .build();
        JdbcRecordStore store = migratedStore(numbered);

        assertThat(store.create("policy", Map.of("holder", "New")).get("number")).isEqualTo("001");
        assertThat(store.update("policy", old, 1, Map.of("holder", "Old Again")).get("number")).isEqualTo("002");
    }

    @Test
    void concurrentCreatesNeverShareANumber() throws Exception {
        JdbcRecordStore store = migratedStore(policies());
        int writers = 4;
        int each = 25;
        ExecutorService pool = Executors.newFixedThreadPool(writers);
        Set<Object> numbers = ConcurrentHashMap.newKeySet();
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int w = 0; w < writers; w++) {
                int writer = w;
                done.add(pool.submit(() -> {
                    for (int i = 0; i < each; i++) {
                        numbers.add(store.create("policy", Map.of("holder", "W" + writer + "-" + i)).get("number"));
                    }
                }));
            }
            for (Future<?> f : done) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(numbers).hasSize(writers * each).contains("POL-0001", "POL-0100");
    }
}
