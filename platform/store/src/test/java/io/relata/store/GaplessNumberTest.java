package io.relata.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.relata.api.model.FieldType;
import io.relata.api.model.MetadataModel;
import io.relata.api.record.ValidationException;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * Numbers without gaps ({@code autoNumber: {gapless: true}} and {@code {year}} prefixes), as quotes, orders and
 * contracts need: counted in the create's own transaction, so a rolled-back create gives its number back, parallel
 * creates wait in turn, and a prefix with the year starts again at 1 every year.
 */
class GaplessNumberTest extends DatabaseTest {

    private static MetadataModel quotes(String prefix) {
        return new ModelBuilder()
                .entity("quote", "number")
                .field("number", FieldType.TEXT).required().unique().maxLength(30).gaplessNumber(prefix, 5)
                .field("name", FieldType.TEXT).required()
                .build();
    }

    private JdbcRecordStore store(MetadataModel model, Clock clock) {
        new SchemaMigrator().migrate(model, db.dataSource());
        return new JdbcRecordStore(new JdbcTransactions(db.dataSource()), () -> model, clock);
    }

    private static Clock at(int year, int month, int day) {
        Instant instant = LocalDateTime.of(year, month, day, 12, 0).atZone(ZoneId.systemDefault()).toInstant();
        return Clock.fixed(instant, ZoneOffset.UTC);
    }

    @Test
    void theCountersTableIsPlannedOnceAndNoSequence() {
        SchemaPlan first = plan(quotes("ANG-"));
        assertThat(first.changes()).extracting(SchemaChange::describe)
                .contains("Create table crm_number_counter for numbers without gaps")
                .noneMatch(d -> d.startsWith("Create sequence"));
        store(quotes("ANG-"), Clock.systemUTC());

        assertThat(plan(quotes("ANG-")).changes()).as("nothing left to do once applied").isEmpty();
    }

    @Test
    void aCreateThatFailsAfterItsNumberGivesTheNumberBack() {
        JdbcRecordStore store = store(quotes("ANG-"), Clock.systemUTC());
        JdbcTransactions transactions = new JdbcTransactions(db.dataSource());
        JdbcRecordStore inOuter = new JdbcRecordStore(transactions, () -> quotes("ANG-"), Clock.systemUTC());

        assertThat(store.create("quote", Map.of("name", "First")).get("number")).isEqualTo("ANG-00001");
        AtomicReference<Object> drawn = new AtomicReference<>();
        assertThatThrownBy(() -> transactions.runInTransaction(() -> {
            drawn.set(inOuter.create("quote", Map.of("name", "Rolled back")).get("number"));
            throw new IllegalStateException("a later step of the same transaction fails");
        })).hasMessageContaining("later step");
        assertThat(drawn.get()).as("the number the failed create had").isEqualTo("ANG-00002");
        assertThatThrownBy(() -> store.create("quote", Map.of()))
                .as("refused by validation: no number drawn").isInstanceOf(ValidationException.class);

        assertThat(store.create("quote", Map.of("name", "Second")).get("number"))
                .as("the rolled-back number is used again").isEqualTo("ANG-00002");
    }

    @Test
    void aPrefixWithTheYearCountsPerYear() {
        MetadataModel model = quotes("ANG-{year}-");
        JdbcRecordStore in2026 = store(model, at(2026, 12, 31));
        JdbcRecordStore in2027 = new JdbcRecordStore(new JdbcTransactions(db.dataSource()), () -> model, at(2027, 1, 1));

        assertThat(in2026.create("quote", Map.of("name", "a")).get("number")).isEqualTo("ANG-2026-00001");
        assertThat(in2026.create("quote", Map.of("name", "b")).get("number")).isEqualTo("ANG-2026-00002");
        assertThat(in2027.create("quote", Map.of("name", "c")).get("number")).isEqualTo("ANG-2027-00001");
        assertThat(in2026.create("quote", Map.of("name", "late")).get("number"))
                .as("each year keeps its own counter").isEqualTo("ANG-2026-00003");
    }

    /** The figure: 8 threads × 1,000 creates, no gap and no duplicate; also with failing creates among them. */
    @Test
    void eightWritersCreatingAThousandEachLeaveNoGapAndNoDuplicate() throws Exception {
        MetadataModel model = quotes("ANG-{year}-");
        JdbcRecordStore store = store(model, at(2026, 6, 1));
        JdbcTransactions transactions = new JdbcTransactions(db.dataSource());
        JdbcRecordStore inOuter = new JdbcRecordStore(transactions, () -> model, at(2026, 6, 1));
        int writers = 8;
        int each = 1000;
        ConcurrentLinkedQueue<String> numbers = new ConcurrentLinkedQueue<>();
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(writers);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int w = 0; w < writers; w++) {
                int writer = w;
                done.add(pool.submit(() -> {
                    start.await();
                    for (int i = 0; i < each; i++) {
                        numbers.add((String) store.create("quote", Map.of("name", "W" + writer + "-" + i)).get("number"));
                        if (i % 100 == 0) { // a create rolled back among them: its number goes to the next one
                            try {
                                transactions.runInTransaction(() -> {
                                    inOuter.create("quote", Map.of("name", "rolled back"));
                                    throw new IllegalStateException("rollback");
                                });
                            } catch (IllegalStateException expected) {
                                // the number is given back
                            }
                        }
                    }
                    return null;
                }));
            }
            start.countDown();
            for (Future<?> f : done) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
        String prefix = "ANG-2026-";
        TreeSet<Integer> counters = new TreeSet<>();
        for (String number : numbers) {
            assertThat(number).startsWith(prefix);
            counters.add(Integer.parseInt(number.substring(prefix.length())));
        }
        assertThat(numbers).as("no duplicate").hasSize(writers * each);
        assertThat(counters).as("no duplicate").hasSize(writers * each);
        assertThat(counters.first()).isEqualTo(1);
        assertThat(counters.last()).as("no gap: 1 to 8000").isEqualTo(writers * each);
    }
}
