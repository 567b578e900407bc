package io.relata.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.relata.api.record.Filter;
import io.relata.api.record.FilterOperator;
import io.relata.api.record.Record;
import io.relata.api.record.RecordQuery;
import io.relata.runtime.customer.Bookings;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The public booking page's work on the shipped meeting booking process, on H2 and PostgreSQL, on a fixed Wednesday:
 * every request gets an unguessable token, the owner's free slots leave out their appointments, a booking moves the
 * request on through its process and puts the appointment in the owner's calendar, a booked or expired request offers
 * nothing, and of two prospects booking the same slot at once exactly one gets it.
 */
@ParameterizedClass(name = "{0}")
@ValueSource(strings = {"h2", "postgresql"})
class BookingsTest {

    /** Wednesday, 2 December 2026, 10:00 UTC. */
    private static final OffsetDateTime NOW = OffsetDateTime.of(2026, 12, 2, 10, 0, 0, 0, ZoneOffset.UTC);
    private static final long ANNA = 11;

    @Parameter
    String databaseKind;

    private TestPlatform platform;
    private Bookings bookings;

    @BeforeEach
    void start() throws Exception {
        Clock clock = Clock.fixed(NOW.toInstant(), ZoneOffset.UTC);
        platform = new TestPlatform(databaseKind, List.of(), clock, p -> {
            bookings = new Bookings(() -> p.model, () -> p.system, p.transactions, clock);
            return bookings.hook();
        });
    }

    @AfterEach
    void stop() throws Exception {
        platform.close();
    }

    private Record request(String name) {
        return platform.system.create("meeting_request", Map.of("name", name, "email", name.toLowerCase() + "@example.com",
                "language", "en", "topic", "Fleet insurance", "phase", "requested"), ANNA, 1L);
    }

    @Test
    void aRequestGetsATokenAndOffersTheOwnersFreeSlots() {
        Record sophie = request("Sophie");
        String token = (String) sophie.get("booking_token");
        assertThat(token).hasSize(43);
        assertThat(request("James").get("booking_token")).isNotEqualTo(token);
        // anna has a meeting on Thursday 10:00-11:30: the slots 10 and 11 are taken
        platform.system.create("activity", Map.of("subject", "Busy", "type", "meeting", "done", false,
                "due_at", NOW.plusDays(1), "ends_at", NOW.plusDays(1).plusMinutes(90)), ANNA, 1L);
        Bookings.Offer offer = bookings.offer(token).orElseThrow();
        assertThat(offer.request().id()).isEqualTo(sophie.id());
        List<OffsetDateTime> thursday = offer.slots().stream().filter(s -> s.toLocalDate().equals(NOW.toLocalDate().plusDays(1)))
                .toList();
        assertThat(thursday).extracting(s -> s.getHour()).containsExactly(9, 12, 13, 14, 15, 16);
        assertThat(offer.slots()).as("no weekend").noneMatch(s -> s.getDayOfWeek().getValue() >= 6);
        assertThat(offer.slots()).as("from tomorrow").allMatch(s -> s.isAfter(NOW));
        assertThat(bookings.offer("x".repeat(43))).isEmpty();
        assertThat(bookings.offer(null)).isEmpty();
    }

    @Test
    void bookingMovesTheRequestOnAndPutsTheAppointmentInTheOwnersCalendar() {
        Record sophie = request("Sophie");
        String token = (String) sophie.get("booking_token");
        OffsetDateTime slot = bookings.offer(token).orElseThrow().slots().get(0);
        Record booked = bookings.book(token, slot, "https://crm.example.com/book.xhtml?t=" + token);
        assertThat(booked.get("meeting_at")).isEqualTo(slot);
        assertThat(platform.system.get("meeting_request", sophie.id()).get("phase")).as("moved on by its process")
                .isEqualTo("booked");
        List<Record> appointments = platform.system.query("activity", new RecordQuery(List.of(new Filter("owner_user",
                FilterOperator.EQ, ANNA), new Filter("due_at", FilterOperator.EQ, slot)), List.of(), null, 5, null)).records();
        assertThat(appointments).singleElement().satisfies(a -> {
            assertThat(a.get("subject")).isEqualTo("Sophie: Fleet insurance");
            assertThat(a.get("ends_at")).isEqualTo(slot.plusHours(1));
        });
        assertThat(bookings.offer(token)).as("a booked request offers nothing more").isEmpty();
        Record james = request("James");
        assertThat(bookings.offer((String) james.get("booking_token")).orElseThrow().slots()).as("taken for the next one")
                .doesNotContain(slot);
        assertThatThrownBy(() -> bookings.book((String) james.get("booking_token"), slot, "x"))
                .isInstanceOf(Bookings.SlotTakenException.class);
        assertThatThrownBy(() -> bookings.book((String) james.get("booking_token"), slot.plusMinutes(30), "x"))
                .as("only offered slots").isInstanceOf(Bookings.SlotTakenException.class);
    }

    @Test
    void ofTwoProspectsBookingTheSameSlotAtOnceExactlyOneGetsIt() throws Exception {
        List<String> tokens = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            tokens.add((String) request("Prospect" + i).get("booking_token"));
        }
        OffsetDateTime slot = bookings.offer(tokens.get(0)).orElseThrow().slots().get(3);
        ExecutorService pool = Executors.newFixedThreadPool(tokens.size());
        CountDownLatch go = new CountDownLatch(1);
        List<Future<Boolean>> tries = new ArrayList<>();
        for (String token : tokens) {
            tries.add(pool.submit(() -> {
                go.await();
                try {
                    bookings.book(token, slot, "https://crm.example.com/book");
                    return true;
                } catch (Bookings.SlotTakenException | io.relata.api.record.ConcurrentUpdateException e) {
                    return false;
                }
            }));
        }
        go.countDown();
        int won = 0;
        for (Future<Boolean> attempt : tries) {
            won += attempt.get() ? 1 : 0;
        }
        pool.shutdown();
        assertThat(won).isEqualTo(1);
        assertThat(platform.system.count("meeting_request", new RecordQuery(List.of(new Filter("meeting_at",
                FilterOperator.EQ, slot)), List.of(), null, 1, null))).isEqualTo(1);
        assertThat(platform.system.count("activity", new RecordQuery(List.of(new Filter("due_at", FilterOperator.EQ, slot)),
                List.of(), null, 1, null))).as("one appointment, no double booking").isEqualTo(1);
    }
}
