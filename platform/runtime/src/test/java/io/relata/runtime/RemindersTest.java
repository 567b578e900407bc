package io.relata.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import io.relata.api.record.Record;
import io.relata.process.Outbox;
import io.relata.runtime.customer.Reminders;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Reminders of open activities, on H2 and PostgreSQL: a due reminder is mailed to the owner once, in their language;
 * a done activity, one not due yet and an owner without an address get none; a postponed reminder goes out again.
 */
@ParameterizedClass(name = "{0}")
@ValueSource(strings = {"h2", "postgresql"})
class RemindersTest {

    private static final OffsetDateTime NOW = OffsetDateTime.of(2026, 12, 2, 10, 0, 0, 0, ZoneOffset.UTC);
    /** Reminders.BATCH: how many one round reads. */
    private static final int BATCH = 200;
    private static final long ANNA = 11;
    private static final long KLAUS = 12;
    private static final long NOBODY = 13;

    @Parameter
    String databaseKind;

    private TestPlatform platform;
    private Reminders reminders;
    private OffsetDateTime now = NOW;

    @BeforeEach
    void start() throws Exception {
        platform = new TestPlatform(databaseKind, List.of(), Clock.fixed(NOW.toInstant(), ZoneOffset.UTC),
                p -> io.relata.store.RecordWriteHook.NONE);
        Clock moving = new Clock() {
            @Override
            public ZoneOffset getZone() {
                return ZoneOffset.UTC;
            }

            @Override
            public Clock withZone(java.time.ZoneId zone) {
                return this;
            }

            @Override
            public java.time.Instant instant() {
                return now.toInstant();
            }
        };
        reminders = new Reminders(() -> platform.model, () -> platform.system, platform.transactions, platform.outbox,
                user -> user == ANNA ? Optional.of(new Reminders.Recipient("anna@example.com", "en"))
                        : user == KLAUS ? Optional.of(new Reminders.Recipient("klaus@example.com", "de"))
                        : Optional.of(new Reminders.Recipient(null, "en")),
                moving, () -> "https://crm.example.com");
    }

    @AfterEach
    void stop() throws Exception {
        platform.close();
    }

    private Record activity(String subject, long owner, OffsetDateTime reminder, boolean done) {
        return platform.system.create("activity", Map.of("subject", subject, "type", "todo", "done", done,
                "due_at", reminder.plusHours(1), "reminder_at", reminder), owner, 1L);
    }

    private List<Outbox.Item> mails() {
        return platform.outbox.all().stream().filter(i -> i.kind() == Outbox.Kind.MAIL).toList();
    }

    @Test
    void aDueReminderIsMailedOnceToTheOwnerInTheirLanguage() {
        Record call = activity("Call back", ANNA, NOW.minusMinutes(5), false);
        activity("Rückruf", KLAUS, NOW.minusMinutes(1), false);
        activity("Later", ANNA, NOW.plusHours(2), false);
        activity("Done", ANNA, NOW.minusHours(1), true);
        activity("Nobody's", NOBODY, NOW.minusHours(1), false);
        assertThat(reminders.sendDue()).isEqualTo(2);
        assertThat(mails()).extracting(Outbox.Item::payload).satisfiesExactlyInAnyOrder(
                payload -> assertThat(payload).contains("anna@example.com", "Reminder: Call back",
                        "https://crm.example.com/record.xhtml?entity=activity&id=" + call.id()),
                payload -> assertThat(payload).contains("klaus@example.com", "Erinnerung: Rückruf"));
        assertThat(reminders.sendDue()).as("once").isZero();
        assertThat(mails()).hasSize(2);
        // postponed: the new reminder goes out when its time has come
        Record current = platform.system.get("activity", call.id());
        platform.system.update("activity", call.id(), current.version(), Map.of("reminder_at", NOW.plusHours(1)));
        assertThat(reminders.sendDue()).isZero();
        now = NOW.plusHours(2);
        assertThat(reminders.sendDue()).as("the postponed reminder, and 'Later' now due").isEqualTo(2);
        assertThat(mails()).hasSize(4);
    }

    @Test
    void remindersSentEarlierDoNotKeepANewOneWaitingAndAStartCatchesUpADayBack() {
        // more reminders sent and still open than one round reads
        for (int i = 0; i <= BATCH; i++) {
            activity("Sent " + i, ANNA, NOW.minusHours(5).plusSeconds(i), false);
        }
        activity("Last week", ANNA, NOW.minusDays(7), false);
        assertThat(reminders.sendDue()).isEqualTo(BATCH);
        assertThat(reminders.sendDue()).as("the rest of the first ones").isEqualTo(1);
        now = NOW.plusMinutes(10);
        activity("New", ANNA, NOW.plusMinutes(5), false);
        assertThat(reminders.sendDue()).as("the new one, not the ones sent before").isEqualTo(1);
        assertThat(mails()).hasSize(BATCH + 2)
                .noneMatch(mail -> mail.payload().contains("Last week"));
    }
}
