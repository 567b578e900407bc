package io.relata.runtime.marketing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetupTest;
import io.relata.api.record.Record;
import io.relata.api.record.RecordLink;
import io.relata.api.record.ValidationException;
import io.relata.api.security.Actor;
import io.relata.process.MailSettings;
import io.relata.process.Outbox;
import io.relata.runtime.AuditLog;
import io.relata.runtime.PlatformClock;
import io.relata.runtime.TestPlatform;
import io.relata.runtime.marketing.Consents.LinkState;
import io.relata.store.RecordWriteHook;
import jakarta.mail.internet.MimeMessage;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Consents on the shipped metadata, on H2 and PostgreSQL: a double opt-in waits for the click on the mailed link and
 * keeps its proof; the link expires after seven days and the consent with it; an unsubscribe link withdraws once;
 * forged, unknown and misused tokens change nothing; bad requests say what to fix.
 */
@ParameterizedClass(name = "{0}")
@ValueSource(strings = {"h2", "postgresql"})
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ConsentsTest {

    private static final Pattern LINK = Pattern.compile("http://crm\\.example\\.test/consent\\.xhtml\\?t=([A-Za-z0-9_-]+)");

    @RegisterExtension
    static final GreenMailExtension SMTP = new GreenMailExtension(ServerSetupTest.SMTP.dynamicPort())
            .withPerMethodLifecycle(true);

    @Parameter
    String databaseKind;

    private PlatformClock clock;
    private MarketingPlatform fixture;
    private TestPlatform platform;
    private Consents consents;
    private long contact;

    private String fixtureKind;
    private int run;
    private String eva;

    /** One platform per database for all tests (made by the first, once the database is injected). */
    @BeforeEach
    void start() throws Exception {
        if (fixture == null || !databaseKind.equals(fixtureKind)) { // JUnit may keep the instance across the databases
            stop();
            fixtureKind = databaseKind;
            clock = new PlatformClock(Clock.fixed(Instant.parse("2026-12-07T09:00:00Z"), java.time.ZoneOffset.UTC), true);
            fixture = new MarketingPlatform(databaseKind, clock);
            platform = fixture.platform;
            consents = fixture.consents;
            platform.system.create("consent_purpose", Map.of("name", "newsletter", "label_de", "Newsletter",
                    "label_en", "Newsletter", "text_de", "Ja, ich möchte den monatlichen Newsletter per E-Mail erhalten.",
                    "text_en", "Yes, I would like the monthly newsletter by e-mail."));
            platform.system.create("consent_purpose", Map.of("name", "events", "label_de", "Einladungen",
                    "label_en", "Event invitations", "text_de", "Einladungen zu Veranstaltungen", "text_en", "Event invitations",
                    "double_opt_in", false));
            platform.system.create("consent_purpose", Map.of("name", "offers", "label_de", "Angebote",
                    "label_en", "Offers", "text_de", "Angebote", "text_en", "Offers", "active", false));
        }
        run++; // each test has its own person
        eva = "eva.krause." + run + "@example.org";
        contact = platform.system.create("contact", Map.of("last_name", "Krause", "email", eva, "language", "de")).id();
    }

    @AfterAll
    void stop() throws Exception {
        if (fixture != null) {
            fixture.close();
            fixture = null;
        }
    }

    private Consents.Request newsletter(String email) {
        return new Consents.Request(email, "newsletter", new RecordLink("contact", contact), "de", "web_form",
                "Footer of www.example.org", "203.0.113.7", "Mozilla/5.0 (X11; Linux x86_64) Firefox/133.0");
    }

    @Test
    void aDoubleOptInWaitsForTheClickOnTheMailedLinkAndKeepsItsProof() throws Exception {
        Record asked = consents.request(newsletter(" " + eva.replace("eva.krause", "Eva.Krause") + " "));

        assertThat(asked.get("status")).isEqualTo("pending");
        assertThat(asked.get("email")).isEqualTo(eva);
        assertThat(asked.get("contact")).isEqualTo(contact);
        assertThat(asked.get("text_shown")).isEqualTo("Ja, ich möchte den monatlichen Newsletter per E-Mail erhalten.");
        assertThat(asked.get("ip_address")).isEqualTo("203.0.113.7");
        assertThat(consents.granted(eva, "newsletter")).as("not before the click").isEmpty();

        MimeMessage mail = deliverOne();
        assertThat(mail.getAllRecipients()[0].toString()).isEqualTo(eva);
        assertThat(mail.getSubject()).isEqualTo("Bitte bestätigen Sie Ihre Einwilligung: Newsletter");
        String body = String.valueOf(mail.getContent());
        assertThat(body).contains("„Ja, ich möchte den monatlichen Newsletter per E-Mail erhalten.“", "innerhalb von 7 Tagen");
        Matcher link = LINK.matcher(body);
        assertThat(link.find()).as(body).isTrue();
        String token = link.group(1);

        // opening the page shows what the click will do, and changes nothing (mail scanners open every link)
        Consents.LinkView page = consents.view(token).orElseThrow();
        assertThat(page).isEqualTo(new Consents.LinkView("confirm", LinkState.OPEN, eva,
                "Newsletter", "Ja, ich möchte den monatlichen Newsletter per E-Mail erhalten.", "de"));
        assertThat(platform.system.find("consent", asked.id()).orElseThrow().get("status")).isEqualTo("pending");

        Instant asking = clock.instant();
        clock.advance(Duration.ofHours(3));
        assertThat(consents.confirm(token, "198.51.100.20", "Mail app")).contains(LinkState.OPEN);
        Record granted = platform.system.find("consent", asked.id()).orElseThrow();
        assertThat(granted.get("status")).isEqualTo("granted");
        assertThat(((OffsetDateTime) granted.get("granted_at")).toInstant()).isEqualTo(asking.plus(Duration.ofHours(3)));
        assertThat(granted.get("confirmed_ip_address")).isEqualTo("198.51.100.20");
        assertThat(granted.get("confirmed_user_agent")).isEqualTo("Mail app");
        assertThat(consents.granted(eva.toUpperCase(java.util.Locale.ROOT), "newsletter")).map(Record::id).contains(asked.id());
        assertThat(consents.granted(eva, "events")).as("another purpose").isEmpty();

        assertThat(consents.confirm(token, "198.51.100.20", "Mail app")).as("a second click").contains(LinkState.DONE);
        assertThat(consents.view(token).orElseThrow().state()).isEqualTo(LinkState.DONE);

        // the proof: every step in the consent's history, by the platform
        assertThat(platform.audit.history("consent", asked.id(), 10)).as("newest first")
                .extracting(AuditLog.HistoryEntry::action, AuditLog.HistoryEntry::actor)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("UPDATE", "system"),
                        org.assertj.core.groups.Tuple.tuple("CREATE", "system"));
    }

    @Test
    void aPendingConsentEnteredOnTheListGetsItsConfirmationMailAndTheWordingInItsLanguage() throws Exception {
        long purpose = platform.system.query("consent_purpose", new io.relata.api.record.RecordQuery(List.of(
                new io.relata.api.record.Filter("name", io.relata.api.record.FilterOperator.EQ, "newsletter")), List.of(),
                null, 1, null)).records().get(0).id();
        Actor marketing = Actor.user(5, "mia", java.util.Set.of("marketing"), List.of());
        Record entered = platform.as(marketing).create("consent", Map.of("email", "tom." + run + "@example.org", "purpose", purpose,
                "source", "letter", "language", "en"));

        assertThat(entered.get("status")).isEqualTo("pending");
        assertThat(entered.get("requested_at")).isNotNull();
        assertThat(entered.get("text_shown")).isEqualTo("Yes, I would like the monthly newsletter by e-mail.");
        MimeMessage mail = deliverOne();
        assertThat(mail.getSubject()).isEqualTo("Please confirm your consent: Newsletter");
        assertThat(consents.confirm(tokenOf(mail), null, null)).contains(LinkState.OPEN);
        assertThat(platform.audit.history("consent", entered.id(), 10)).extracting(AuditLog.HistoryEntry::actor)
                .containsExactly("system", "mia");
    }

    @Test
    void aConfirmationLinkExpiresAfterSevenDaysAndTheConsentWithIt() throws Exception {
        Record asked = consents.request(newsletter(eva));
        String token = tokenOf(deliverOne());

        clock.advance(Consents.CONFIRM_WITHIN);
        assertThat(consents.view(token).orElseThrow().state()).isEqualTo(LinkState.EXPIRED);
        assertThat(consents.confirm(token, null, null)).contains(LinkState.EXPIRED);
        assertThat(platform.system.find("consent", asked.id()).orElseThrow().get("status")).isEqualTo("pending");

        assertThat(consents.expireUnconfirmed()).isOne(); // the only pending one: the other tests confirm theirs
        assertThat(platform.system.find("consent", asked.id()).orElseThrow().get("status")).isEqualTo("expired");
        assertThat(consents.expireUnconfirmed()).as("once").isZero();
        assertThat(consents.granted(eva, "newsletter")).isEmpty();
    }

    @Test
    void anUnsubscribeLinkWithdrawsOnceAndForgedOrMisusedTokensChangeNothing() throws Exception {
        Record given = consents.request(new Consents.Request(eva, "events", null, "en", "in_person",
                "Trade fair", null, null));
        assertThat(given.get("status")).as("no double opt-in for this purpose").isEqualTo("granted");
        assertThat(SMTP.getReceivedMessages()).isEmpty();
        assertThat(consents.granted(eva, "events")).isPresent();

        String token = consents.unsubscribeToken(given.id());
        assertThat(consents.unsubscribeUrl(token)).isEqualTo("http://crm.example.test/unsubscribe.xhtml?t=" + token);
        assertThat(consents.oneClickUrl(token)).isEqualTo("http://crm.example.test/api/v1/public/unsubscribe/" + token);
        assertThat(consents.view(token).orElseThrow()).extracting(Consents.LinkView::kind, Consents.LinkView::state,
                Consents.LinkView::purpose, Consents.LinkView::language).containsExactly("withdraw", LinkState.OPEN,
                "Event invitations", "en");
        assertThat(consents.confirm(token, null, null)).as("an unsubscribe token does not confirm").isEmpty();

        assertThat(consents.withdraw(token)).contains(LinkState.OPEN);
        Record withdrawn = platform.system.find("consent", given.id()).orElseThrow();
        assertThat(withdrawn.get("status")).isEqualTo("withdrawn");
        assertThat(withdrawn.get("withdrawn_at")).isNotNull();
        assertThat(consents.granted(eva, "events")).isEmpty();
        assertThat(consents.withdraw(token)).as("again").contains(LinkState.DONE);

        // unknown, malformed and guessed tokens lead nowhere
        assertThat(consents.withdraw("A".repeat(43))).isEmpty();
        assertThat(consents.withdraw(token.substring(1))).isEmpty();
        assertThat(consents.withdraw("../" + token)).isEmpty();
        assertThat(consents.view(null)).isEmpty();

        // the database holds only the hash of a token
        List<String> stored = new ArrayList<>();
        try (Connection c = platform.database.dataSource().getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT token_hash FROM crm_consent_token WHERE consent_id = " + given.id())) {
            while (rs.next()) {
                stored.add(rs.getString(1));
            }
        }
        assertThat(stored).containsExactly(Consents.hash(token)).doesNotContain(token);
    }

    @Test
    void badRequestsSayWhatToFixAndStoreNothing() {
        assertThatThrownBy(() -> consents.request(newsletter("eva.krause at example.org")))
                .isInstanceOfSatisfying(ValidationException.class, e -> assertThat(e.errors()).singleElement()
                        .satisfies(error -> assertThat(error.field()).isEqualTo("email")));
        assertThatThrownBy(() -> consents.request(newsletter("a@example.org, b@example.org")))
                .isInstanceOf(ValidationException.class);
        assertThatThrownBy(() -> consents.request(new Consents.Request("eva@example.org", "offers", null, "de", "web_form",
                null, null, null))).as("an inactive purpose")
                .isInstanceOfSatisfying(ValidationException.class, e -> assertThat(e.errors().get(0).field()).isEqualTo("purpose"));
        assertThatThrownBy(() -> consents.request(new Consents.Request("eva@example.org", "lottery", null, "de", "web_form",
                null, null, null))).isInstanceOf(ValidationException.class)
                .hasMessageContaining("lottery");
        assertThat(platform.system.count("consent", new io.relata.api.record.RecordQuery(List.of(
                new io.relata.api.record.Filter("email", io.relata.api.record.FilterOperator.IN, List.of(eva,
                "a@example.org", "eva@example.org"))), List.of(), null, 1, null))).isZero();
    }

    private MimeMessage deliverOne() throws Exception {
        Outbox smtp = new Outbox(platform.transactions, clock, new MailSettings("127.0.0.1",
                SMTP.getSmtp().getPort(), "crm@relata.example", null, null, false, Duration.ofSeconds(10)),
                Map::of, Outbox.Policy.DEFAULT, "test");
        assertThat(smtp.deliver()).isEqualTo(1);
        MimeMessage[] received = SMTP.getReceivedMessages();
        assertThat(received).hasSize(1);
        return received[0];
    }

    private static String tokenOf(MimeMessage mail) throws Exception {
        String body = String.valueOf(mail.getContent());
        Matcher link = LINK.matcher(body);
        assertThat(link.find()).as(body).isTrue();
        return link.group(1);
    }
}
