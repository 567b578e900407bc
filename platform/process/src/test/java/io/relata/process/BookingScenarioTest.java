package io.relata.process;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetup;
import io.relata.api.process.PhaseOutcome;
import io.relata.api.record.Record;
import io.relata.store.SecuredRecordStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The demo of the issue, end to end with a real SMTP server and a clock we move: a prospect asks for an
 * appointment → booking-link mail; 3 days without booking → reminder; booked → preparation mail; 10 days
 * without booking → expired (only for the one who never booked).
 */
class BookingScenarioTest {

    private static final ServerSetup SMTP = Mails.smtpOnLoopback();

    @RegisterExtension
    static final GreenMailExtension GREEN_MAIL = new GreenMailExtension(SMTP);

    private Kit kit;

    @AfterEach
    void close() {
        if (kit != null) {
            kit.close();
        }
    }

    private final List<String> seen = new ArrayList<>();

    /** Mails received since the last call (GreenMail lists them by mailbox, not in order of arrival). */
    private List<String> newMails() {
        List<String> fresh = new ArrayList<>(Arrays.stream(GREEN_MAIL.getReceivedMessages()).map(Mails::describe).toList());
        seen.forEach(fresh::remove);
        seen.addAll(fresh);
        return fresh;
    }

    @ParameterizedTest
    @EnumSource(TestDb.Kind.class)
    void requestReminderBookingPreparationAndExpiry(TestDb.Kind kind) {
        kit = Kit.open(kind, BookingModel.model(), Mails.settings(SMTP), Outbox.Policy.DEFAULT);
        SecuredRecordStore anna = kit.node.as(Kit.ANNA);

        Record eva = anna.create("meeting_request", Map.of("name", "Eva", "email", "eva@example.com", "language", "en"));
        Record frank = anna.create("meeting_request", Map.of("name", "Frank", "email", "frank@example.com",
                "language", "de"));
        kit.node.outbox.deliver();
        assertThat(newMails()).containsExactlyInAnyOrder(
                "eva@example.com | Your appointment with us | Hello Eva,\nplease book your appointment: "
                        + "https://crm.example.com/book/" + eva.id(),
                "frank@example.com | Ihr Termin mit uns | Guten Tag Frank,\nbitte buchen Sie Ihren Termin: "
                        + "https://crm.example.com/book/" + frank.id());

        kit.advance(Duration.ofDays(3));
        assertThat(kit.node.timers.fireDue()).isEqualTo(2);
        kit.node.outbox.deliver();
        assertThat(newMails()).containsExactlyInAnyOrder(
                "eva@example.com | Reminder: your appointment | Hello Eva,\nyou have not booked yet: "
                        + "https://crm.example.com/book/" + eva.id(),
                "frank@example.com | Erinnerung: Ihr Termin | Guten Tag Frank,\nSie haben noch keinen Termin gebucht: "
                        + "https://crm.example.com/book/" + frank.id());

        kit.advance(Duration.ofDays(1));
        Record current = kit.find("meeting_request", eva.id());
        Record booked = anna.update("meeting_request", eva.id(), current.version(),
                Map.of("meeting_at", "2026-03-10T14:00:00Z"));
        assertThat(booked.get("phase")).as("booking moves the request by itself").isEqualTo("booked");
        kit.node.outbox.deliver();
        assertThat(newMails()).containsExactly("eva@example.com | Preparing our meeting | Hello Eva,\n"
                + "we meet on 2026-03-10T14:00:00Z (booking: Booked).");

        kit.advance(Duration.ofDays(6));
        assertThat(kit.node.timers.fireDue()).as("only Frank's expiry: Eva's was cancelled when she booked").isEqualTo(1);
        kit.node.outbox.deliver();
        assertThat(newMails()).isEmpty();

        assertThat(kit.find("meeting_request", eva.id()).get("phase")).isEqualTo("booked");
        assertThat(kit.find("meeting_request", frank.id()).get("phase")).isEqualTo("expired");
        assertThat(kit.node.cases.current("meeting_request", frank.id()).orElseThrow().outcome())
                .isEqualTo(PhaseOutcome.FAILURE);
        assertThat(kit.node.cases.timers("meeting_request", eva.id()))
                .extracting(ProcessCases.Timer::timer, ProcessCases.Timer::state)
                .containsExactly(tuple("reminder", "fired"), tuple("expiry", "cancelled"));
        assertThat(kit.node.cases.history("meeting_request", eva.id()))
                .extracting(ProcessCases.Stamp::fromPhase, ProcessCases.Stamp::toPhase, ProcessCases.Stamp::username)
                .containsExactly(tuple(null, "requested", "anna"), tuple("requested", "booked", "anna"));
        assertThat(kit.node.cases.history("meeting_request", frank.id()))
                .extracting(ProcessCases.Stamp::fromPhase, ProcessCases.Stamp::toPhase, ProcessCases.Stamp::username)
                .containsExactly(tuple(null, "requested", "anna"), tuple("requested", "expired", "system"));
        assertThat(GREEN_MAIL.getReceivedMessages()).hasSize(5);
    }
}
