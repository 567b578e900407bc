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
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
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
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CampaignSenderTest {

    private static final OffsetDateTime NOW = OffsetDateTime.of(2026, 12, 7, 9, 0, 0, 0, ZoneOffset.UTC);
    private static final int PEOPLE = 30;
    private static final Pattern UNSUBSCRIBE = Pattern.compile("/unsubscribe\\.xhtml\\?t=([A-Za-z0-9_-]{43})");

    @RegisterExtension
    static final GreenMailExtension SMTP = new GreenMailExtension(
            com.icegreen.greenmail.util.ServerSetup.dynamicPort(ServerSetupTest.SMTP_IMAP))
            .withPerMethodLifecycle(true);

    @Parameter
    String databaseKind;

    private PlatformClock clock;
    private MarketingPlatform fixture;
    private TestPlatform platform;
    private Consents consents;
    private CampaignMail mails;
    private CampaignLinks links;
    private CampaignSender sender;
    private long campaign;

    private String fixtureKind;
    private long newsletter;
    private int run;

    /** One platform per database for all tests (made by the first, once the database is injected): each test has its own people and campaign. */
    private void startPlatform() throws Exception {
        fixtureKind = databaseKind;
        run = 0;
        clock = new PlatformClock(Clock.fixed(NOW.toInstant(), ZoneOffset.UTC), true);
        fixture = new MarketingPlatform(databaseKind, clock);
        platform = fixture.platform;
        consents = fixture.consents;
        newsletter = platform.system.create("consent_purpose", Map.of("name", "newsletter", "label_de", "Newsletter",
                "label_en", "Newsletter", "text_de", "Ja", "text_en", "Yes", "double_opt_in", false)).id();
    }

    @AfterAll
    void stopPlatform() throws Exception {
        if (fixture != null) {
            fixture.close();
            fixture = null;
        }
    }

    @BeforeEach
    void prepareACampaign() throws Exception {
        if (fixture == null || !databaseKind.equals(fixtureKind)) { // JUnit may keep the instance across the databases
            stopPlatform();
            startPlatform();
        }
        run++;
        MailSettings smtp = new MailSettings("127.0.0.1", SMTP.getSmtp().getPort(), "news@relata.example", null, null,
                false, Duration.ofSeconds(10));
        mails = new CampaignMail(() -> platform.as(Actor.SYSTEM), id -> id == 5
                ? java.util.Optional.of(new CampaignMail.Sender("Mia Marketing", "mia@relata.example"))
                : java.util.Optional.empty(), () -> "http://crm.example.test");
        links = new CampaignLinks(() -> platform.as(Actor.SYSTEM), platform.transactions,
                new CampaignResponses(() -> platform.as(Actor.SYSTEM), clock), () -> "http://crm.example.test", clock);
        sender = new CampaignSender(() -> platform.as(Actor.SYSTEM), platform.transactions, consents, mails, links, () -> smtp,
                () -> "http://crm.example.test", "en", clock);
        for (int i = 1; i <= PEOPLE; i++) {
            String email = address(i);
            long contact = platform.system.create("contact", Map.of("first_name", "P" + i, "last_name", "Person",
                    "email", email, "language", i % 3 == 0 ? "en" : "de", "lifecycle_stage", "customer",
                    "position", "run " + run)).id();
            if (i != 7) { // person 7 never agreed
                consents.request(new Consents.Request(email, "newsletter", new io.relata.api.record.RecordLink("contact",
                        contact), "de", "web_form", null, null, null));
            }
        }
        long group = platform.system.create("target_group", Map.of("name", "Customers " + run, "audience", "contact",
                "conditions", "lifecycle_stage:eq:customer\nposition:eq:run " + run)).id();
        campaign = platform.system.create("campaign", Map.of("name", "Winter news", "channel", "email",
                "purpose", newsletter, "target_group", group, "messages_per_minute", 600,
                "subject_de", "Neuigkeiten für {{record.first_name}}", "subject_en", "News for {{record.first_name}}",
                "body_de", "Guten Tag {{record.first_name}} {{record.last_name}},\n\nunsere Winterangebote.",
                "body_en", "Hello {{record.first_name}} {{record.last_name}},\n\nour winter offers.")).id();
        CampaignAudience audience = new CampaignAudience(() -> platform.model, () -> platform.as(Actor.SYSTEM), platform.transactions,
                consents, clock);
        assertThat(audience.prepare(platform.as(Actor.user(5, "mia", java.util.Set.of("marketing"), List.of())), campaign)
                .queued()).isEqualTo(PEOPLE - 1);
    }

    /** Person {@code i}'s address in this test: each test has its own people. */
    private String address(int i) {
        return "person" + i + "-" + run + "@example.org";
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
        Record twenty = consents.granted(address(20), "newsletter").orElseThrow();
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
                .doesNotContainKeys(address(7), address(20));
        assertThat(statuses()).containsExactly(Map.entry("sent", 28), Map.entry("skipped", 2));
        assertThat(platform.system.find("campaign", campaign).orElseThrow().get("status")).isEqualTo("sent");

        MimeMessage three = mailTo(mails, address(3));
        assertThat(three.getSubject()).isEqualTo("News for P3");
        String body = String.valueOf(three.getContent()).replace("\r\n", "\n"); // SMTP sends CRLF
        assertThat(body).startsWith("Hello P3 Person,\n\nour winter offers.").contains("Unsubscribe: http://crm.example.test/unsubscribe.xhtml?t=");
        assertThat(three.getHeader("List-Unsubscribe")[0]).matches("<http://crm\\.example\\.test/api/v1/public/unsubscribe/[A-Za-z0-9_-]{43}>");
        assertThat(three.getHeader("List-Unsubscribe-Post")[0]).isEqualTo("List-Unsubscribe=One-Click");
        assertThat(three.getMessageID()).matches("<campaign-\\d+-member-\\d+@crm\\.example\\.test>");
        assertThat(mailTo(mails, address(4)).getSubject()).isEqualTo("Neuigkeiten für P4");

        // each mail's own link withdraws that person's consent only
        Matcher own = UNSUBSCRIBE.matcher(body);
        assertThat(own.find()).isTrue();
        assertThat(consents.withdraw(own.group(1))).contains(Consents.LinkState.OPEN);
        assertThat(consents.granted(address(3), "newsletter")).isEmpty();
        assertThat(consents.granted(address(4), "newsletter")).isPresent();
    }

    /**
     * The figure: a campaign to 2,000 people at its rate, the sender dying in the middle (after a mail went out,
     * before it was marked sent) and a new one taking over: everyone got exactly one mail; the one whose round died is
     * in doubt, not sent again.
     */
    @Test
    void twoThousandPeopleEachGetExactlyOneMailAtTheCampaignsRateThoughTheSenderDiesHalfway() throws Exception {
        // the 2,000 on PostgreSQL, the production database; the same path with fewer on H2 (36 s a run here)
        int people = databaseKind.equals("postgresql") ? 2000 : 300;
        for (int i = 1; i <= people; i++) {
            String email = "bulk" + i + "-" + run + "@example.org";
            long contact = platform.system.create("contact", Map.of("last_name", "Bulk", "email", email,
                    "position", "bulk " + run)).id();
            consents.request(new Consents.Request(email, "newsletter", new io.relata.api.record.RecordLink("contact",
                    contact), "de", "import", null, null, null));
        }
        long group = platform.system.create("target_group", Map.of("name", "Bulk " + run, "audience", "contact",
                "conditions", "position:eq:bulk " + run)).id();
        long bulk = platform.system.create("campaign", Map.of("name", "Bulk news", "channel", "email",
                "purpose", newsletter, "target_group", group, "messages_per_minute", 1200,
                "subject_de", "Neu", "subject_en", "New", "body_de", "Text", "body_en", "Text")).id();
        assertThat(new CampaignAudience(() -> platform.model, () -> platform.as(Actor.SYSTEM), platform.transactions, consents, clock)
                .prepare(platform.as(Actor.SYSTEM), bulk).queued()).isEqualTo(people);
        sender.cancel(campaign); // this test's own campaign of 30 stays out of the way
        sender.start(bulk);

        java.util.concurrent.atomic.AtomicInteger marked = new java.util.concurrent.atomic.AtomicInteger();
        fixture.onWritten = written -> {
            if (written.entity().name().equals("campaign_member") && written.after() != null
                    && "sent".equals(written.after().get("status")) && marked.incrementAndGet() == people / 3) {
                throw new IllegalStateException("the server dies after sending, before marking the mail sent");
            }
        };
        int died = 0;
        CampaignSender current = sender;
        for (int round = 1; round <= 200 && !"sent".equals(platform.system.get("campaign", bulk).get("status")); round++) {
            clock.advance(Duration.ofSeconds(5)); // 1,200 a minute: 100 per round
            try {
                current.sendDue();
            } catch (IllegalStateException e) {
                died++;
                fixture.onWritten = written -> { };
                current = new CampaignSender(() -> platform.as(Actor.SYSTEM), platform.transactions, consents, mails,
                        links, () -> new MailSettings("127.0.0.1", SMTP.getSmtp().getPort(), "news@relata.example", null, null,
                                false, Duration.ofSeconds(10)), () -> "http://crm.example.test", "en", clock);
                assertThat(current.markInDoubt()).as("the new server finds the mail it cannot know about").isOne();
            }
            // a second's worth at the start, then 100 per 5 seconds
            assertThat(SMTP.getReceivedMessages().length).as("never more than the rate allows, round " + round)
                    .isLessThanOrEqualTo(20 + 100 * round);
        }
        assertThat(died).isOne();
        Map<String, Integer> perAddress = new TreeMap<>();
        for (MimeMessage mail : SMTP.getReceivedMessages()) {
            perAddress.merge(mail.getAllRecipients()[0].toString(), 1, Integer::sum);
        }
        assertThat(perAddress).hasSize(people).allSatisfy((address, count) -> assertThat(count).as(address).isOne());
        CampaignProgress progress = CampaignProgress.of(platform.as(Actor.SYSTEM), platform.system.get("campaign", bulk));
        assertThat(progress.byStatus()).containsOnly(Map.entry("in_doubt", 1L), Map.entry("sent", (long) people - 1));
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

        // a marketing user checks the mail server's log and decides: send it again
        var mia = platform.as(Actor.user(5, "mia", java.util.Set.of("marketing"), List.of()));
        CampaignProgress progress = CampaignProgress.of(mia, platform.system.get("campaign", campaign));
        assertThat(progress.count("in_doubt")).isOne();
        assertThat(progress.addressed()).isEqualTo(29);
        assertThat(progress.percent()).isEqualTo(100);
        assertThat(sender.settleInDoubt(mia, campaign, true)).isOne();
        assertThat(platform.system.find("campaign", campaign).orElseThrow().get("status")).as("to be started again")
                .isEqualTo("paused");
        progress = CampaignProgress.of(mia, platform.system.get("campaign", campaign));
        assertThat(progress.count("queued")).isOne();
        assertThat(progress.eta()).isEqualTo(Duration.ofSeconds(1)); // 1 at 600 a minute, rounded up
        assertThat(progress.percent()).isEqualTo(28 * 100 / 29);
        sender.start(campaign);
        assertThat(sender.sendDue()).isOne();
        assertThat(statuses()).containsExactly(Map.entry("sent", 29), Map.entry("skipped", 1));
        assertThat(platform.system.query("campaign_member", new RecordQuery(List.of(new Filter("status",
                FilterOperator.EQ, "sent"), new Filter("id", FilterOperator.EQ, next.id())), List.of(), null, 1, null))
                .records()).as("the resent member, settled by mia").hasSize(1);
        assertThat(sender.settleInDoubt(mia, campaign, false)).as("nothing left in doubt").isZero();
    }

    @Test
    void thePreviewIsTheMailAPersonWouldGetWithTheSenderAndWithoutAWorkingUnsubscribeLink() {
        var mia = platform.as(Actor.user(5, "mia", java.util.Set.of("marketing"), List.of()));
        Record mine = mia.create("campaign", Map.of("name", "Mia's", "channel", "letter",
                "subject_en", "For {{record.first_name}}", "body_en", "Kind regards, {{sender.name}} <{{sender.email}}>",
                "subject_de", "Für {{record.first_name}}", "body_de", "Grüße, {{sender.name}}"));
        Record three = platform.system.query("contact", new RecordQuery(List.of(new Filter("email", FilterOperator.EQ,
                address(3))), List.of(), null, 1, null)).records().get(0);
        CampaignMail.Text preview = mails.preview(mine, three);
        assertThat(preview.language()).isEqualTo("en");
        assertThat(preview.subject()).isEqualTo("For P3");
        assertThat(preview.body()).startsWith("Kind regards, Mia Marketing <mia@relata.example>")
                .endsWith("Unsubscribe: (personal unsubscribe link)");
        Record broken = mia.update("campaign", mine.id(), mine.version(), Map.of("body_en", "Hello {{#record}"));
        assertThatThrownBy(() -> mails.preview(broken, three)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("campaign " + mine.id() + ", text (en) is not a valid template");
    }

    @Test
    void bouncesMarkTheAddressAndRepliesAreFiledWithTheRecipientFromTheCampaignMailbox() throws Exception {
        sender.start(campaign);
        clock.advance(Duration.ofMinutes(1));
        sender.sendDue();
        MimeMessage[] sent = SMTP.getReceivedMessages();
        com.icegreen.greenmail.user.GreenMailUser mailbox = SMTP.setUser("news@relata.example", "news", "mailbox-secret");
        // person 3: the address does not exist (5.1.1) and the report returns the mail's headers
        mailbox.deliver(report(mailTo(sent, address(3)), "failed", "5.1.1", true));
        // person 4: the server tries again later (4.4.1)
        mailbox.deliver(report(mailTo(sent, address(4)), "delayed", "4.4.1", true));
        // person 8: a report without the original's headers is matched by the address
        mailbox.deliver(report(mailTo(sent, address(8)), "failed", "5.2.1", false));
        // person 5 answers; person 6 is on holiday (an automatic answer is not a reply)
        mailbox.deliver(answer(mailTo(sent, address(5)), "Gern, rufen Sie mich an.", null));
        mailbox.deliver(answer(mailTo(sent, address(6)), "Ich bin bis Montag nicht im Büro.", "auto-replied"));

        CampaignMailbox campaignMailbox = new CampaignMailbox(() -> platform.model, () -> platform.as(Actor.SYSTEM),
                platform.transactions, new CampaignResponses(() -> platform.as(Actor.SYSTEM), clock),
                () -> new io.relata.runtime.mail.ImapMailbox("127.0.0.1",
                SMTP.getImap().getPort(), false, "news", "mailbox-secret", null), "en", clock);
        assertThat(campaignMailbox.poll()).isEqualTo(new CampaignMailbox.Read(2, 1, 1, 1));
        assertThat(campaignMailbox.poll()).as("each mail once").isEqualTo(new CampaignMailbox.Read(0, 0, 0, 0));

        assertThat(member(address(3)).get("bounce")).isEqualTo("hard");
        assertThat(String.valueOf(member(address(3)).get("error"))).contains("5.1.1");
        assertThat(member(address(4)).get("bounce")).isEqualTo("soft");
        assertThat(member(address(8)).get("bounce")).isEqualTo("hard");
        assertThat(person(address(3)).get("email_bounced")).isEqualTo(true);
        assertThat(person(address(8)).get("email_bounced")).isEqualTo(true);
        assertThat(person(address(4)).get("email_bounced")).as("a soft bounce marks no address").isNotEqualTo(true);
        assertThat(member(address(5)).get("response")).isEqualTo("replied");
        assertThat(member(address(6)).get("response")).isNull();
        List<Record> filed = platform.system.query("activity", new RecordQuery(List.of(new Filter("contact",
                FilterOperator.EQ, person(address(5)).id())), List.of(), null, 10, null)).records();
        assertThat(filed).singleElement().satisfies(activity -> {
            assertThat(activity.get("type")).isEqualTo("email");
            assertThat(activity.get("done")).isEqualTo(true);
            assertThat(String.valueOf(activity.get("subject"))).startsWith("Re: ");
            assertThat(String.valueOf(activity.get("description"))).contains(address(5), "Gern, rufen Sie mich an.");
        });

        // the next campaign leaves the bounced addresses out
        long next = platform.system.create("campaign", Map.of("name", "Spring news", "channel", "email",
                "purpose", platform.system.find("campaign", campaign).orElseThrow().get("purpose"),
                "target_group", platform.system.find("campaign", campaign).orElseThrow().get("target_group"),
                "subject_de", "Frühling", "subject_en", "Spring", "body_de", "Text", "body_en", "Text")).id();
        CampaignAudience.Prepared prepared = new CampaignAudience(() -> platform.model, () -> platform.as(Actor.SYSTEM), platform.transactions,
                consents, clock).prepare(platform.as(Actor.SYSTEM), next);
        assertThat(prepared.skipped()).containsEntry("bounced", 2);
    }

    @Test
    void responsesOnlyMoveForwardAndTheCampaignWeighsItsWonRevenueAgainstItsCost() {
        sender.start(campaign);
        clock.advance(Duration.ofMinutes(1));
        sender.sendDue();
        // person 5 signs up: a lead with the campaign as its source; later the lead is converted
        Record lead = platform.system.create("lead", Map.of("last_name", "Person", "first_name", "P5",
                "email", address(5).replace("person", "Person"), "source", "campaign", "campaign", campaign));
        assertThat(member(address(5)).get("response")).isEqualTo("registered");
        lead = platform.system.update("lead", lead.id(), lead.version(), Map.of("status", "qualified", "company", "Five AG"));
        assertThat(member(address(5)).get("response")).isEqualTo("registered");
        platform.system.update("lead", lead.id(), lead.version(), Map.of("status", "converted", // as the conversion does
                "converted_contact", person(address(5)).id()));
        assertThat(member(address(5)).get("response")).isEqualTo("converted");
        CampaignResponses responses = new CampaignResponses(() -> platform.as(Actor.SYSTEM), clock);
        assertThat(responses.respond(platform.as(Actor.SYSTEM), member(address(5)), "replied")
                .get("response")).as("a reply after the conversion").isEqualTo("converted");

        // an opportunity of person 6 is attributed to the campaign and won; another one stays open
        long account = platform.system.create("account", Map.of("name", "Six GmbH")).id();
        for (String phase : List.of("won", "proposal")) {
            platform.system.create("opportunity", Map.of("name", "Six " + phase, "account", account,
                    "contact", person(address(6)).id(), "campaign", campaign, "phase", phase,
                    "amount", new java.math.BigDecimal("12000"), "probability", 50, "forecast_category", "pipeline",
                    "close_date", "2026-12-20"));
        }
        assertThat(member(address(6)).get("response")).isEqualTo("converted");
        Record done = platform.system.get("campaign", campaign);
        platform.system.update("campaign", campaign, done.version(), Map.of("budget", new java.math.BigDecimal("5000"),
                "actual_cost", new java.math.BigDecimal("2500")));

        CampaignResults manager = CampaignResults.of(platform.as(Actor.user(9, "sam", java.util.Set.of("sales_manager"),
                List.of())), platform.model, platform.system.get("campaign", campaign));
        assertThat(manager.responses()).containsExactly(Map.entry("converted", 2L));
        assertThat(manager.opportunities()).isEqualTo(2);
        assertThat(manager.won()).isOne();
        assertThat(manager.wonRevenue()).hasValueSatisfying(v -> assertThat(v).isEqualByComparingTo("12000"));
        assertThat(manager.cost()).hasValueSatisfying(v -> assertThat(v).isEqualByComparingTo("2500"));
        assertThat(manager.net()).hasValueSatisfying(v -> assertThat(v).isEqualByComparingTo("9500"));
        // marketing reads deals but not their amounts: the responses and the deals, but no revenue
        CampaignResults marketing = CampaignResults.of(platform.as(Actor.user(5, "mia", java.util.Set.of("marketing"),
                List.of())), platform.model, platform.system.get("campaign", campaign));
        assertThat(marketing.responses()).containsExactly(Map.entry("converted", 2L));
        assertThat(marketing.opportunities()).isEqualTo(2);
        assertThat(marketing.won()).isOne();
        assertThat(marketing.wonRevenue()).isEmpty();
        assertThat(marketing.net()).isEmpty();
    }

    @Test
    void theSignUpFormMakesALeadOfTheCampaignWithTheTickedConsentsAndTurnsAwayBotsAndFloods() {
        LeadCapture capture = new LeadCapture(() -> platform.as(Actor.SYSTEM), platform.transactions, consents, clock);
        assertThat(capture.form(campaign, "en")).as("not offered").isEmpty();
        Record offered = platform.system.get("campaign", campaign);
        platform.system.update("campaign", campaign, offered.version(), Map.of("lead_form", true));
        LeadCapture.Form form = capture.form(campaign, "en").orElseThrow();
        assertThat(form.title()).isEqualTo("Winter news");
        assertThat(form.purposes()).first().isEqualTo(new LeadCapture.Purpose("newsletter", "Newsletter", "Yes"));

        String ip = "203.0.113." + run;
        Record lead = capture.submit(campaign, new LeadCapture.Submission("P5", "Person", "Five AG", address(5), null,
                "Please call me", java.util.Set.of("newsletter"), ""), "en", ip, "Firefox/133").orElseThrow();
        assertThat(lead.get("source")).isEqualTo("campaign");
        assertThat(lead.get("campaign")).isEqualTo(campaign);
        assertThat(lead.get("description")).isEqualTo("Please call me");
        assertThat(member(address(5)).get("response")).as("a recipient signed up").isEqualTo("registered");
        List<Record> given = platform.system.query("consent", new RecordQuery(List.of(new Filter("lead",
                FilterOperator.EQ, lead.id())), List.of(), null, 10, null)).records();
        assertThat(given).singleElement().satisfies(consent -> {
            assertThat(consent.get("ip_address")).isEqualTo(ip);
            assertThat(consent.get("user_agent")).isEqualTo("Firefox/133");
            assertThat(consent.get("source")).isEqualTo("web_form");
        });

        long leads = platform.system.count("lead", new RecordQuery(List.of(), List.of(), null, 1, null));
        assertThat(capture.submit(campaign, new LeadCapture.Submission("Bot", "Bot", null, "bot@example.org", null, null,
                java.util.Set.of("newsletter"), "http://spam.example"), "en", ip, "bot")).as("the trap").isEmpty();
        assertThatThrownBy(() -> capture.submit(campaign, new LeadCapture.Submission("No", "", null, "no-name@example.org",
                null, null, java.util.Set.of("newsletter"), null), "en", ip, "Firefox/133"))
                .isInstanceOfSatisfying(ValidationException.class, e -> assertThat(e.errors())
                        .extracting(io.relata.api.record.FieldError::field).contains("last_name"));
        assertThat(platform.system.count("lead", new RecordQuery(List.of(), List.of(), null, 1, null))).isEqualTo(leads);
        assertThat(consents.granted("no-name@example.org", "newsletter")).as("nothing half-stored").isEmpty();

        for (int i = 0; i < 2; i++) {
            capture.submit(campaign, new LeadCapture.Submission(null, "Many" + i, null, "many" + i + "-" + run
                    + "@example.org", null, null, java.util.Set.of(), null), "de", ip, "Firefox/133");
        }
        assertThatThrownBy(() -> capture.submit(campaign, new LeadCapture.Submission(null, "Sixth", null, "sixth-" + run
                + "@example.org", null, null, java.util.Set.of(), null), "de", ip, "Firefox/133"))
                .isInstanceOf(LeadCapture.TooManySubmissions.class);
        assertThat(capture.submit(campaign, new LeadCapture.Submission(null, "Elsewhere", null, "elsewhere-" + run
                + "@example.org", null, null, java.util.Set.of(), null), "de", ip + "1", "Firefox/133")).isPresent();
        clock.advance(LeadCapture.WINDOW);
        assertThat(capture.submit(campaign, new LeadCapture.Submission(null, "Later", null, "later-" + run
                + "@example.org", null, null, java.util.Set.of(), null), "de", ip, "Firefox/133")).isPresent();

        sender.cancel(campaign);
        assertThat(capture.form(campaign, "de")).as("a cancelled campaign takes no sign-ups").isEmpty();
    }

    @Test
    void linksStayAsWrittenUnlessTheCampaignCountsClicksThenEachLeadsThroughTheCrmOnce() throws Exception {
        Record plain = platform.system.get("campaign", campaign);
        platform.system.update("campaign", campaign, plain.version(), Map.of("body_en",
                "Hello {{record.first_name}}, see https://shop.example.com/winter?from=mail."));
        sender.start(campaign);
        assertThat(sender.sendDue()).isEqualTo(10);
        MimeMessage untracked = mailTo(SMTP.getReceivedMessages(), address(3)); // English, in the first round
        assertThat(String.valueOf(untracked.getContent())).as("tracking-free by default")
                .contains("see https://shop.example.com/winter?from=mail.").doesNotContain("/api/v1/public/r/");

        sender.pause(campaign);
        Record counting = platform.system.get("campaign", campaign);
        platform.system.update("campaign", campaign, counting.version(), Map.of("track_clicks", true));
        sender.start(campaign);
        clock.advance(Duration.ofMinutes(1));
        sender.sendDue();
        String later = String.valueOf(mailTo(SMTP.getReceivedMessages(), address(21)).getContent());
        Matcher tracked = Pattern.compile("see http://crm\\.example\\.test/api/v1/public/r/([A-Za-z0-9_-]{43})\\.")
                .matcher(later);
        assertThat(tracked.find()).as(later).isTrue();
        assertThat(later).as("the unsubscribe link is not counted").contains("/unsubscribe.xhtml?t=");
        assertThat(member(address(21)).get("response")).isNull();
        assertThat(links.follow(tracked.group(1))).contains("https://shop.example.com/winter?from=mail");
        assertThat(member(address(21)).get("response")).isEqualTo("clicked");
        assertThat(links.follow(tracked.group(1))).as("again").contains("https://shop.example.com/winter?from=mail");
        assertThat(links.follow("A".repeat(43))).isEmpty();
        assertThat(links.follow("../" + tracked.group(1))).isEmpty();
    }

    @Test
    void aMailTemplatesHtmlGoesOutWithItsPlainTextAlternativeCleanedAndWithTheValuesEscaped() throws Exception {
        long template = platform.as(Actor.user(5, "mia", java.util.Set.of("marketing"), List.of())).create("mail_template",
                Map.of("name", "Winter", "subject_de", "Winter für {{record.first_name}}", "subject_en",
                        "Winter for {{record.first_name}}", "body_de", "Hallo {{record.first_name}}: https://shop.example.com/w",
                        "body_en", "Hello {{record.first_name}}: https://shop.example.com/w",
                        "html_de", "<h1 onclick=\"steal()\">Hallo {{record.first_name}}</h1><script>steal()</script>"
                                + "<p style=\"color:#c00\">Zum <a href=\"https://shop.example.com/w\">Shop</a></p>",
                        "html_en", "<h1>Hello {{record.first_name}}</h1><p>To the <a href=\"https://shop.example.com/w\">shop</a></p>"))
                .id();
        Record person = platform.system.query("contact", new RecordQuery(List.of(new Filter("email", FilterOperator.EQ,
                address(4))), List.of(), null, 1, null)).records().get(0);
        platform.system.update("contact", person.id(), person.version(), Map.of("first_name", "Ann & <b>Bo</b>"));
        Record plain = platform.system.get("campaign", campaign);
        platform.system.update("campaign", campaign, plain.version(), Map.of("template", template, "track_clicks", true));

        CampaignMail.Text preview = mails.preview(platform.system.get("campaign", campaign), platform.system.get("contact",
                person.id()));
        assertThat(preview.subject()).as("the template's, not the campaign's").isEqualTo("Winter für Ann & <b>Bo</b>");
        assertThat(preview.html()).contains("<h1>Hallo Ann &amp; &lt;b&gt;Bo&lt;/b&gt;</h1>")
                .contains("<p style=\"color:#c00\">Zum <a href=\"https://shop.example.com/w\">Shop</a></p>")
                .doesNotContain("script", "onclick", "steal");

        sender.start(campaign);
        sender.sendDue();
        MimeMessage four = mailTo(SMTP.getReceivedMessages(), address(4));
        assertThat(four.getContentType()).startsWith("multipart/alternative");
        jakarta.mail.internet.MimeMultipart parts = (jakarta.mail.internet.MimeMultipart) four.getContent();
        assertThat(parts.getCount()).isEqualTo(2);
        assertThat(parts.getBodyPart(0).getContentType()).startsWith("text/plain");
        String text = String.valueOf(parts.getBodyPart(0).getContent());
        assertThat(text).startsWith("Hallo Ann & <b>Bo</b>: http://crm.example.test/api/v1/public/r/")
                .contains("Abmelden: http://crm.example.test/unsubscribe.xhtml?t=");
        assertThat(parts.getBodyPart(1).getContentType()).startsWith("text/html");
        String html = String.valueOf(parts.getBodyPart(1).getContent());
        Matcher tracked = Pattern.compile("<a href=\"http://crm\\.example\\.test/api/v1/public/r/([A-Za-z0-9_-]{43})\">Shop</a>")
                .matcher(html);
        assertThat(tracked.find()).as(html).isTrue();
        assertThat(html).contains("<h1>Hallo Ann &amp; &lt;b&gt;Bo&lt;/b&gt;</h1>").doesNotContain("script", "onclick")
                .as("the unsubscribe link is never counted").containsPattern("<a href=\"http://crm\\.example\\.test/"
                        + "unsubscribe\\.xhtml\\?t=[A-Za-z0-9_-]{43}\">Abmelden</a>");
        assertThat(links.follow(tracked.group(1))).contains("https://shop.example.com/w");
        assertThat(member(address(4)).get("response")).isEqualTo("clicked");
        assertThat(String.valueOf(mailTo(SMTP.getReceivedMessages(), address(3)).getContent() instanceof
                jakarta.mail.internet.MimeMultipart english ? english.getBodyPart(1).getContent() : ""))
                .as("in the recipient's language").contains("<h1>Hello P3</h1>");
        sender.cancel(campaign); // the platform is shared: the next test's rounds send only its own campaign
    }

    /** A delivery status notification (RFC 3464) for a campaign mail, as a receiving server writes it. */
    private static MimeMessage report(MimeMessage original, String action, String status, boolean withHeaders)
            throws Exception {
        String recipient = original.getAllRecipients()[0].toString();
        String boundary = "report-" + status;
        StringBuilder raw = new StringBuilder()
                .append("From: MAILER-DAEMON@mx.example.org\r\nTo: news@relata.example\r\n")
                .append("Subject: Undelivered Mail Returned to Sender\r\nMIME-Version: 1.0\r\n")
                .append("Content-Type: multipart/report; report-type=delivery-status; boundary=\"").append(boundary)
                .append("\"\r\n\r\n--").append(boundary).append("\r\nContent-Type: text/plain\r\n\r\n")
                .append("Your message could not be delivered.\r\n\r\n--").append(boundary)
                .append("\r\nContent-Type: message/delivery-status\r\n\r\n")
                .append("Reporting-MTA: dns; mx.example.org\r\nArrival-Date: Mon, 7 Dec 2026 09:00:00 +0000\r\n\r\n")
                .append("Final-Recipient: rfc822; ").append(recipient).append("\r\nAction: ").append(action)
                .append("\r\nStatus: ").append(status).append("\r\nDiagnostic-Code: smtp; 550 no such user\r\n\r\n");
        if (withHeaders) {
            raw.append("--").append(boundary).append("\r\nContent-Type: text/rfc822-headers\r\n\r\n")
                    .append("From: news@relata.example\r\nTo: ").append(recipient).append("\r\nMessage-ID: ")
                    .append(original.getMessageID()).append("\r\nSubject: ").append(original.getSubject()).append("\r\n\r\n");
        }
        raw.append("--").append(boundary).append("--\r\n");
        return new MimeMessage(jakarta.mail.Session.getInstance(new java.util.Properties()),
                new java.io.ByteArrayInputStream(raw.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    }

    private static MimeMessage answer(MimeMessage original, String text, String autoSubmitted) throws Exception {
        MimeMessage reply = (MimeMessage) original.reply(false);
        reply.setFrom(new jakarta.mail.internet.InternetAddress(original.getAllRecipients()[0].toString()));
        reply.setRecipients(jakarta.mail.Message.RecipientType.TO, "news@relata.example");
        reply.setText(text + "\n\n> " + String.valueOf(original.getContent()).lines().findFirst().orElse(""), "UTF-8");
        if (autoSubmitted != null) {
            reply.setHeader("Auto-Submitted", autoSubmitted);
        }
        reply.saveChanges();
        return reply;
    }

    private Record member(String email) {
        return platform.system.query("campaign_member", new RecordQuery(List.of(new Filter("campaign", FilterOperator.EQ,
                campaign), new Filter("email", FilterOperator.EQ, email)), List.of(), null, 1, null)).records().get(0);
    }

    private Record person(String email) {
        return platform.system.query("contact", new RecordQuery(List.of(new Filter("email", FilterOperator.EQ, email)),
                List.of(), null, 1, null)).records().get(0);
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
