package io.relata.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.relata.api.record.ConcurrentUpdateException;
import io.relata.api.record.Record;
import io.relata.api.record.RecordInUseException;
import io.relata.api.record.RecordInUseException.Usage;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class LockingTest extends DatabaseTest {

    private JdbcRecordStore store;

    @BeforeEach
    void migrate() {
        store = migratedStore(TestModels.crm());
    }

    @Test
    void secondUpdateFromTheSameVersionFails() {
        long id = store.create("account", Map.of("name", "Acme")).id();
        store.update("account", id, 1, Map.of("name", "First"));

        assertThatThrownBy(() -> store.update("account", id, 1, Map.of("name", "Second")))
                .isInstanceOfSatisfying(ConcurrentUpdateException.class, e -> {
                    assertThat(e.expectedVersion()).isEqualTo(1);
                    assertThat(e).hasMessage("The account " + id + " was changed by someone else since version 1 "
                            + "was read; reload it and apply your change again");
                });
        Record stored = store.get("account", id);
        assertThat(stored.get("name")).isEqualTo("First");
        assertThat(stored.version()).isEqualTo(2);
    }

    @Test
    void concurrentUpdatesFromTheSameVersionNeverLoseOne() throws Exception {
        long id = store.create("account", Map.of("name", "Acme")).id();
        CountDownLatch firstUpdated = new CountDownLatch(1);
        CompletableFuture<Throwable> second = new CompletableFuture<>();
        Thread competitor = new Thread(() -> {
            try {
                firstUpdated.await();
                store.update("account", id, 1, Map.of("name", "Second"));
                second.complete(null);
            } catch (Throwable e) {
                second.complete(e);
            }
        });
        competitor.start();

        store.transactions().runInTransaction(() -> {
            store.update("account", id, 1, Map.of("name", "First"));
            firstUpdated.countDown();
            sleep(500); // the competitor read version 1 (uncommitted change invisible) and waits on the row
        });

        assertThat(second.get(20, TimeUnit.SECONDS)).isInstanceOf(ConcurrentUpdateException.class);
        assertThat(store.get("account", id).get("name")).isEqualTo("First");
    }

    @Test
    void deleteWithStaleVersionFails() {
        long id = store.create("account", Map.of("name", "Acme")).id();
        store.update("account", id, 1, Map.of("name", "Changed"));

        assertThatThrownBy(() -> store.delete("account", id, 1L)).isInstanceOf(ConcurrentUpdateException.class);
        assertThat(store.find("account", id)).isPresent();
        store.delete("account", id, 2L);
        assertThat(store.find("account", id)).isEmpty();
    }

    @Test
    void deletingARecordOthersReferenceFailsAndSaysWhere() {
        long account = store.create("account", Map.of("name", "Acme")).id();
        store.create("contact", Map.of("last_name", "Lovelace", "account", account));
        store.create("contact", Map.of("last_name", "Hopper", "account", account));
        store.create("account", Map.of("name", "Acme Child", "parent", account));

        assertThatThrownBy(() -> store.delete("account", account, null))
                .isInstanceOfSatisfying(RecordInUseException.class, e -> {
                    assertThat(e.usages()).containsExactlyInAnyOrder(new Usage("account", "parent", 1),
                            new Usage("contact", "account", 2));
                    assertThat(e.getMessage()).contains("The account " + account + " is still referenced by ",
                            "2 contact records (field account)", "1 account record (field parent)");
                });
        assertThat(store.find("account", account)).isPresent();
    }

    @Test
    void aRecordThatReferencesOnlyItselfCanBeDeleted() {
        long id = store.create("account", Map.of("name", "Narcissus")).id();
        store.update("account", id, 1, Map.of("parent", id));

        store.delete("account", id, 2L);

        assertThat(store.find("account", id)).isEmpty();
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
