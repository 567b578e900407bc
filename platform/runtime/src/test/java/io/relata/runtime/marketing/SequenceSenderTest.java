package io.relata.runtime.marketing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetupTest;
import io.relata.api.record.Filter;
import io.relata.api.record.FilterOperator;
import io.relata.api.record.Record;
import io.relata.api.record.RecordQuery;
import io.relata.api.security.Actor;
import io.relata.process.MailSettings;
import io.relata.runtime.PlatformClock;
import io.relata.runtime.TestPlatform;
import io.relata.store.SecuredRecordStore;
import jakarta.mail.internet.MimeMessage;
import java.io.ByteArrayOutputStream;
import java.time.Clock;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * E-mail sequences on the shipped metadata, on H2 and PostgreSQL, with GreenMail: a target group is enrolled; each
 * person gets the steps in turn at their days, in their language, each step once; those without consent, who
 * unsubscribe or reply are stopped; a step being sent when the server stopped is not sent again.
 */
@ParameterizedClass(name = "{0}")
@ValueSource(strings = {"h2", "postgresql"})
class SequenceSenderTest {

    private static final OffsetDateTime NOW = OffsetDateTime.of(2026, 12, 7, 9, 0, 0, 0, ZoneOffset.UTC);

    @RegisterExtension
    static final GreenMailExtension SMTP = new GreenMailExtension(
            ServerSetupTest.SMTP.dynamicPort()).withPerMethodLifecycle(true);

    @Parameter
    String databaseKind;

    private PlatformClock clock;
    private MarketingPlatform fixture;
    private TestPlatform platform;
    private Consents consents;
    private CampaignMail mails;
    private SequenceSender sender;
    private SecuredRecordStore mia;
    private long newsletter;

    @BeforeEach
    void start() throws Exception {
        clock = new PlatformClock(Clock.fixed(NOW.toInstant(), ZoneOffset.UTC), true);
        fixture = new MarketingPlatform(databaseKind, clock);
        platform = fixture.platform;
        consents = fixture.consents;
        mails = new CampaignMail(() -> platform.as(Actor.SYSTEM), id -> id == 5
                ? java.util.Optional.of(new CampaignMail.Sender("Mia Marketing", "mia@relata.example"))
                : java.util.Optional.empty(), () -> MarketingPlatform.BASE_URL);
        sender = newSender();
        mia = platform.as(Actor.user(5, "mia", java.util.Set.of("marketing"), List.of()));
        newsletter = platform.system.create("consent_purpose", Map.of("name", "newsletter", "label_de", "Newsletter",
                "label_en", "Newsletter", "text_de", "Ja", "text_en", "Yes", "double_opt_in", false)).id();
    }

    private SequenceSender newSender() {
        MailSettings smtp = new MailSettings("127.0.0.1", SMTP.getSmtp().getPort(), "news@relata.example", null, null,
                false, Duration.ofSeconds(10));
        return new SequenceSender(() -> platform.as(Actor.SYSTEM), platform.transactions, consents, mails, () -> smtp,
                () -> MarketingPlatform.BASE_URL, "en", clock);
    }

    @AfterEach
    void stop() throws Exception {
        fixture.close();
    }

    private long person(String first, String language, boolean agreed) {
        String email = first.toLowerCase(java.util.Locale.ROOT) + "@example.org";
        long contact = platform.system.create("contact", Map.of("first_name", first, "last_name", "Serie", "email", email,
                "language", language)).id();
        if (agreed) {
            consents.request(new Consents.Request(email, "newsletter", new io.relata.api.record.RecordLink("contact",
                    contact), language, "web_form", null, null, null));
        }
        return contact;
    }

    /**
     * A sequence of mia's at 600 mails a minute with a step per {@code days} entry (days after the step before), each
     * its own template ("Schritt n"), at positions 10, 20, …
     */
    private long sequence(int... days) {
        long sequence = mia.create("mail_sequence", Map.of("name", "Willkommen", "purpose", newsletter,
                "messages_per_minute", 600)).id();
        for (int i = 0; i < days.length; i++) {
            int n = i + 1;
            long template = mia.create("mail_template", Map.of("name", "Schritt " + n, "subject_de",
                    "Schritt " + n + " für {{record.first_name}}", "subject_en", "Step " + n + " for {{record.first_name}}",
                    "body_de", "Hallo {{record.first_name}}", "body_en", "Hello {{record.first_name}}")).id();
            mia.create("mail_sequence_step", Map.of("name", "Schritt " + n, "sequence", sequence, "position", n * 10,
                    "wait_days", days[i], "template", template));
        }
        return sequence;
    }

    private long group() {
        return mia.create("target_group", Map.of("name", "Serie", "audience", "contact", "conditions",
                "last_name:eq:Serie")).id();
    }

    /** The subjects each address got, in order. */
    private static Map<String, List<String>> received() throws Exception {
        Map<String, List<String>> subjects = new TreeMap<>();
        for (MimeMessage mail : SMTP.getReceivedMessages()) {
            subjects.computeIfAbsent(mail.getAllRecipients()[0].toString(), a -> new ArrayList<>()).add(mail.getSubject());
        }
        return subjects;
    }

    private Map<String, String> enrollments() {
        Map<String, String> states = new TreeMap<>();
        for (Record e : platform.system.query("sequence_enrollment", RecordQuery.all()).records()) {
            String name = String.valueOf(platform.system.get("contact", ((Number) e.get("contact")).longValue())
                    .get("first_name"));
            states.put(name, e.get("status") + (e.get("stop_reason") == null ? "" : " " + e.get("stop_reason")));
        }
        return states;
    }

    @Test
    void eachPersonGetsTheStepsInTurnAtTheirDaysUntilTheyUnsubscribeOrReply() throws Exception {
        person("Anna", "de", true);
        person("Ben", "en", true);
        person("Cora", "de", false);
        person("Dirk", "de", true);
        long sequence = sequence(0, 2, 5);
        long group = group();

        assertThat(sender.enroll(mia, sequence, group)).isEqualTo(new SequenceSender.Enrolled(4, 0));
        assertThat(sender.enroll(mia, sequence, group)).as("each once").isEqualTo(new SequenceSender.Enrolled(0, 4));

        assertThat(sender.sendDue()).as("the first step at once, not to Cora: no consent").isEqualTo(3);
        assertThat(sender.sendDue()).as("nothing due").isZero();
        MimeMessage toBen = SMTP.getReceivedMessages()[1];
        assertThat(received()).containsEntry("ben@example.org", List.of("Step 1 for Ben"))
                .containsEntry("anna@example.org", List.of("Schritt 1 für Anna"));
        assertThat(String.valueOf(toBen.getContent())).contains("Unsubscribe: http://crm.example.test/unsubscribe.xhtml?t=");
        assertThat(toBen.getHeader("List-Unsubscribe-Post")[0]).isEqualTo("List-Unsubscribe=One-Click");

        // Dirk answers his first mail: the sequence stops for him, and his answer is in his history
        MimeMessage toDirk = java.util.Arrays.stream(SMTP.getReceivedMessages()).filter(m -> {
            try {
                return m.getAllRecipients()[0].toString().equals("dirk@example.org");
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }).findFirst().orElseThrow();
        MimeMessage reply = (MimeMessage) toDirk.reply(false);
        reply.setFrom(new jakarta.mail.internet.InternetAddress("dirk@example.org"));
        reply.setText("Gern, rufen Sie mich an.", "UTF-8");
        ByteArrayOutputStream raw = new ByteArrayOutputStream();
        reply.writeTo(raw);
        CampaignMailbox mailbox = new CampaignMailbox(() -> platform.model, () -> platform.as(Actor.SYSTEM),
                platform.transactions, new CampaignResponses(() -> platform.as(Actor.SYSTEM), clock), () -> null, "en", clock);
        assertThat(mailbox.take(raw.toByteArray())).isEqualTo(CampaignMailbox.Outcome.REPLY);
        assertThat(platform.system.query("activity", new RecordQuery(List.of(new Filter("description",
                FilterOperator.CONTAINS, "rufen Sie mich an")), List.of(), null, 5, null)).records()).hasSize(1);

        clock.advance(Duration.ofDays(1));
        assertThat(sender.sendDue()).as("the second step is two days after the first").isZero();
        clock.advance(Duration.ofDays(1));
        assertThat(sender.sendDue()).as("Anna and Ben").isEqualTo(2);

        // Anna unsubscribes before her third mail
        Record annas = consents.granted("anna@example.org", "newsletter").orElseThrow();
        assertThat(consents.withdraw(consents.unsubscribeToken(annas.id()))).contains(Consents.LinkState.OPEN);
        clock.advance(Duration.ofDays(5));
        assertThat(sender.sendDue()).as("Ben's third").isOne();
        assertThat(sender.sendDue()).isZero();

        assertThat(received()).containsExactly(
                Map.entry("anna@example.org", List.of("Schritt 1 für Anna", "Schritt 2 für Anna")),
                Map.entry("ben@example.org", List.of("Step 1 for Ben", "Step 2 for Ben", "Step 3 for Ben")),
                Map.entry("dirk@example.org", List.of("Schritt 1 für Dirk")));
        assertThat(enrollments()).containsExactly(Map.entry("Anna", "stopped no_consent"), Map.entry("Ben", "completed"),
                Map.entry("Cora", "stopped no_consent"), Map.entry("Dirk", "stopped replied"));
        assertThat(sender.enroll(mia, sequence, group)).as("completed or stopped: never again")
                .isEqualTo(new SequenceSender.Enrolled(0, 4));
    }

    @Test
    void aStepBeingSentWhenTheServerStoppedIsNotSentAgainAndAPausedSequenceWaits() throws Exception {
        person("Erik", "de", true);
        long sequence = sequence(0, 1);
        assertThat(sender.enroll(mia, sequence, group()).enrolled()).isOne();
        fixture.onWritten = written -> {
            if (written.entity().name().equals("sequence_enrollment") && written.after() != null
                    && written.after().get("last_sent_at") != null) {
                throw new IllegalStateException("the server dies after sending, before moving on");
            }
        };
        assertThatThrownBy(sender::sendDue).isInstanceOf(IllegalStateException.class);
        fixture.onWritten = written -> { };
        assertThat(SMTP.getReceivedMessages()).hasSize(1);
        assertThat(enrollments()).containsExactly(Map.entry("Erik", "sending"));

        sender = newSender(); // the next start
        assertThat(sender.markInDoubt()).isOne();
        Record moved = platform.system.query("sequence_enrollment", RecordQuery.all()).records().get(0);
        assertThat(moved.get("status")).isEqualTo("active");
        assertThat(moved.get("step")).as("on to the second step").isEqualTo(20L);
        assertThat(String.valueOf(moved.get("error"))).contains("whether that mail went out is not known");
        assertThat(sender.sendDue()).as("the first step is not sent again").isZero();

        Record paused = mia.get("mail_sequence", sequence);
        mia.update("mail_sequence", sequence, paused.version(), Map.of("status", "paused"));
        clock.advance(Duration.ofDays(1));
        assertThat(sender.sendDue()).as("paused").isZero();
        Record active = mia.get("mail_sequence", sequence);
        mia.update("mail_sequence", sequence, active.version(), Map.of("status", "active"));
        assertThat(sender.sendDue()).isOne();
        assertThat(received()).containsExactly(Map.entry("erik@example.org", List.of("Schritt 1 für Erik",
                "Schritt 2 für Erik")));
        assertThat(enrollments()).containsExactly(Map.entry("Erik", "completed"));
    }
}
