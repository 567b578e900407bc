package io.relata.runtime.marketing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetupTest;
import io.relata.api.record.Filter;
import io.relata.api.record.FilterOperator;
import io.relata.api.record.Record;
import io.relata.api.record.RecordQuery;
import io.relata.api.record.ValidationException;
import io.relata.api.security.Actor;
import io.relata.process.MailSettings;
import io.relata.runtime.PlatformClock;
import io.relata.runtime.TestPlatform;
import jakarta.mail.internet.MimeMessage;
import java.time.Clock;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Sending a prepared campaign on the shipped metadata through GreenMail, on H2 and PostgreSQL: at its rate per
 * minute, each member at most once across a pause, a stop in the middle of a round and a resume; in the member's
 * language with their own unsubscribe link and the RFC 8058 headers; someone who unsubscribed after the preparation
 * gets nothing; a member whose round died is in doubt, not sent again.
 */
@ParameterizedClass(name = "{0}")
@ValueSource(strings = {"h2", "postgresql"})
class CampaignSenderTest {

    private static final OffsetDateTime NOW = OffsetDateTime.of(2026, 12, 7, 9, 0, 0, 0, ZoneOffset.UTC);
    private static final int PEOPLE = 30;
    private static final Pattern UNSUBSCRIBE = Pattern.compile("/unsubscribe\\.xhtml\\?t=([A-Za-z0-9_-]{43})");

    @RegisterExtension
    static final GreenMailExtension SMTP = new GreenMailExtension(ServerSetupTest.SMTP.dynamicPort())
            .withPerMethodLifecycle(true);

    @Parameter
    String databaseKind;

    private PlatformClock clock;
    private MarketingPlatform fixture;
    private TestPlatform platform;
    private Consents consents;
    private CampaignSender sender;
    private long campaign;

    @BeforeEach
    void start() throws Exception {
        clock = new PlatformClock(Clock.fixed(NOW.toInstant(), ZoneOffset.UTC), true);
        fixture = new MarketingPlatform(databaseKind, clock);
        platform = fixture.platform;
        consents = fixture.consents;
        MailSettings smtp = new MailSettings("127.0.0.1", SMTP.getSmtp().getPort(), "news@relata.example", null, null,
                false, Duration.ofSeconds(10));
        sender = new CampaignSender(() -> platform.as(Actor.SYSTEM), platform.transactions, consents, () -> smtp,
                () -> "http://crm.example.test", clock);
        long newsletter = platform.system.create("consent_purpose", Map.of("name", "newsletter", "label_de", "Newsletter",
                "label_en", "Newsletter", "text_de", "Ja", "text_en", "Yes", "double_opt_in", false)).id();
        for (int i = 1; i <= PEOPLE; i++) {
            String email = "person" + i + "@example.org";
            long contact = platform.system.create("contact", Map.of("first_name", "P" + i, "last_name", "Person",
                    "email", email, "language", i % 3 == 0 ? "en" : "de", "lifecycle_stage", "customer")).id();
            if (i != 7) { // person 7 never agreed
                consents.request(new Consents.Request(email, "newsletter", new io.relata.api.record.RecordLink("contact",
                        contact), "de", "web_form", null, null, null));
            }
        }
        long group = platform.system.create("target_group", Map.of("name", "Customers", "audience", "contact",
                "conditions", "lifecycle_stage:eq:customer")).id();
        campaign = platform.system.create("campaign", Map.of("name", "Winter news", "channel", "email",
                "purpose", newsletter, "target_group", group, "messages_per_minute", 600,
                "subject_de", "Neuigkeiten für {{record.first_name}}", "subject_en", "News for {{record.first_name}}",
                "body_de", "Guten Tag {{record.first_name}} {{record.last_name}},\n\nunsere Winterangebote.",
                "body_en", "Hello {{record.first_name}} {{record.last_name}},\n\nour winter offers.")).id();
        CampaignAudience audience = new CampaignAudience(() -> platform.as(Actor.SYSTEM), platform.transactions,
                consents, clock);
        assertThat(audience.prepare(platform.as(Actor.user(5, "mia", java.util.Set.of("marketing"), List.of())), campaign)
                .queued()).isEqualTo(PEOPLE - 1);
    }

    @AfterEach
    void stop() throws Exception {
        fixture.close();
    }

    @Test
    void sendsAtItsRateInTheMembersLanguageWithTheirOwnUnsubscribeLinkAndEveryoneOnce() throws Exception {
        assertThat(sender.sendDue()).as("not started").isZero();
        assertThatThrownBy(() -> sender.pause(campaign)).isInstanceOf(ValidationException.class);
        sender.start(campaign);

        // 600 a minute is 10 a second: the first round sends a second's worth, the next what the time since allows
        assertThat(sender.sendDue()).isEqualTo(10);
        assertThat(sender.sendDue()).as("no time passed").isZero();
        clock.advance(Duration.ofMillis(500));
        assertThat(sender.sendDue()).isEqualTo(5);

        // person 20 unsubscribes (through the link of an earlier mail) before their own goes out
        Record twenty = consents.granted("person20@example.org", "newsletter").orElseThrow();
        assertThat(consents.withdraw(consents.unsubscribeToken(twenty.id()))).contains(Consents.LinkState.OPEN);

        sender.pause(campaign);
        clock.advance(Duration.ofMinutes(5));
        assertThat(sender.sendDue()).as("paused").isZero();
        sender.start(campaign);
        clock.advance(Duration.ofSeconds(10));
        assertThat(sender.sendDue()).as("the rest: 13 of 14, person 20 is skipped").isEqualTo(13);

        MimeMessage[] mails = SMTP.getReceivedMessages();
        Map<String, Integer> perAddress = new TreeMap<>();
        for (MimeMessage mail : mails) {
            perAddress.merge(mail.getAllRecipients()[0].toString(), 1, Integer::sum);
        }
        assertThat(perAddress).hasSize(PEOPLE - 2).allSatisfy((address, count) -> assertThat(count).isOne())
                .doesNotContainKeys("person7@example.org", "person20@example.org");
        assertThat(statuses()).containsExactly(Map.entry("sent", 28), Map.entry("skipped", 2));
        assertThat(platform.system.find("campaign", campaign).orElseThrow().get("status")).isEqualTo("sent");

        MimeMessage three = mailTo(mails, "person3@example.org");
        assertThat(three.getSubject()).isEqualTo("News for P3");
        String body = String.valueOf(three.getContent()).replace("\r\n", "\n"); // SMTP sends CRLF
        assertThat(body).startsWith("Hello P3 Person,\n\nour winter offers.").contains("Unsubscribe: http://crm.example.test/unsubscribe.xhtml?t=");
        assertThat(three.getHeader("List-Unsubscribe")[0]).matches("<http://crm\\.example\\.test/api/v1/public/unsubscribe/[A-Za-z0-9_-]{43}>");
        assertThat(three.getHeader("List-Unsubscribe-Post")[0]).isEqualTo("List-Unsubscribe=One-Click");
        assertThat(three.getMessageID()).matches("<campaign-\\d+-member-\\d+@crm\\.example\\.test>");
        assertThat(mailTo(mails, "person4@example.org").getSubject()).isEqualTo("Neuigkeiten für P4");

        // each mail's own link withdraws that person's consent only
        Matcher own = UNSUBSCRIBE.matcher(body);
        assertThat(own.find()).isTrue();
        assertThat(consents.withdraw(own.group(1))).contains(Consents.LinkState.OPEN);
        assertThat(consents.granted("person3@example.org", "newsletter")).isEmpty();
        assertThat(consents.granted("person4@example.org", "newsletter")).isPresent();
    }

    @Test
    void aMemberWhoseRoundDiedIsInDoubtAndNotSentAgain() throws Exception {
        sender.start(campaign);
        assertThat(sender.sendDue()).isEqualTo(10);
        // the server dies after claiming the next member, before its mail is marked sent
        Record next = platform.system.query("campaign_member", new RecordQuery(List.of(
                new Filter("campaign", FilterOperator.EQ, campaign), new Filter("status", FilterOperator.EQ, "queued")),
                List.of(io.relata.api.record.Sort.asc("id")), null, 1, null)).records().get(0);
        platform.system.update("campaign_member", next.id(), next.version(), Map.of("status", "sending"));

        assertThat(sender.markInDoubt()).isEqualTo(1);
        clock.advance(Duration.ofMinutes(1));
        assertThat(sender.sendDue()).isEqualTo(PEOPLE - 1 - 10 - 1);
        assertThat(statuses()).containsExactly(Map.entry("in_doubt", 1), Map.entry("sent", 28), Map.entry("skipped", 1));
        assertThat(new ArrayList<>(List.of(SMTP.getReceivedMessages())).stream()
                .map(m -> { try { return m.getAllRecipients()[0].toString(); } catch (Exception e) { throw new IllegalStateException(e); } })
                .distinct().count()).isEqualTo(28);
        assertThat(platform.system.find("campaign", campaign).orElseThrow().get("status")).as("nothing queued").isEqualTo("sent");
    }

    private Map<String, Integer> statuses() {
        Map<String, Integer> counts = new TreeMap<>();
        for (Record member : platform.system.query("campaign_member", new RecordQuery(List.of(
                new Filter("campaign", FilterOperator.EQ, campaign)), List.of(), null, 500, null)).records()) {
            counts.merge(String.valueOf(member.get("status")), 1, Integer::sum);
        }
        return counts;
    }

    private static MimeMessage mailTo(MimeMessage[] mails, String address) throws Exception {
        Map<String, MimeMessage> byAddress = new HashMap<>();
        for (MimeMessage mail : mails) {
            byAddress.put(mail.getAllRecipients()[0].toString(), mail);
        }
        return byAddress.get(address);
    }
}
