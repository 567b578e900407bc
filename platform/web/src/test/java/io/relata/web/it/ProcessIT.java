package io.relata.web.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.GreenMailUtil;
import com.icegreen.greenmail.util.ServerSetup;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import jakarta.mail.Message;
import jakarta.mail.internet.MimeMessage;
import java.io.StringReader;
import java.net.URI;
import java.net.URL;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import javax.xml.parsers.DocumentBuilderFactory;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.openqa.selenium.By;
import org.w3c.dom.Document;
import org.xml.sax.InputSource;

/**
 * Processes on the deployed application, through the REST API: guarded phase moves with their stamps, KPIs,
 * diagrams of every shipped process, and the booking-link example end to end with a real SMTP server
 * (GreenMail on 127.0.0.1) and the platform clock moved forward instead of waiting days.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class ProcessIT {

    private static final String ADMIN_PASSWORD = ItServer.ADMIN_PASSWORD;
    private static final int SMTP_PORT = Integer.getInteger("crm.it.smtp.port", 25525);

    private static GreenMail mail;

    @ArquillianResource
    URL base;

    @Deployment(testable = false)
    static WebArchive deployment() throws SQLException {
        return ItServer.deployment();
    }


    @BeforeAll
    static void startMailServer() {
        mail = new GreenMail(new ServerSetup(SMTP_PORT, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
        mail.start();
    }

    @AfterAll
    static void stopMailServer() {
        if (mail != null) {
            mail.stop();
        }
    }

    private Http http() {
        return new Http(URI.create(base.toString())).basic("admin", ADMIN_PASSWORD);
    }

    @Test
    void everyShippedProcessIsDrawnAsSvgAndExportedAsBpmn() throws Exception {
        JsonObject list = ok(http().get("/api/v1/processes"));
        List<String> names = list.getJsonArray("items").stream().map(v -> v.asJsonObject().getString("name")).toList();
        assertThat(names).contains("lead_management", "opportunity_sales", "opportunity_insurance", "ticket_service",
                "meeting_booking");
        for (String name : names) {
            JsonObject process = ok(http().get("/api/v1/processes/" + name));
            Http.Reply svg = http().get("/api/v1/processes/" + name + "/diagram.svg?lang=en");
            assertThat(svg.status()).as(name).isEqualTo(200);
            assertThat(svg.header("Content-Type")).startsWith("image/svg+xml");
            Document drawing = xml(svg.body());
            assertThat(drawing.getDocumentElement().getLocalName()).isEqualTo("svg");
            for (JsonValue phase : process.getJsonArray("phases")) {
                String label = phase.asJsonObject().getJsonObject("label").getString("en");
                assertThat(drawing.getDocumentElement().getTextContent()).as(name + " draws " + label).contains(label);
            }
            Http.Reply bpmn = http().get("/api/v1/processes/" + name + "/bpmn");
            assertThat(bpmn.status()).as(name).isEqualTo(200);
            Document model = xml(bpmn.body());
            assertThat(model.getDocumentElement().getNamespaceURI()).isEqualTo("http://www.omg.org/spec/BPMN/20100524/MODEL");
            assertThat(model.getElementsByTagNameNS("http://www.omg.org/spec/BPMN/20100524/MODEL", "userTask").getLength())
                    .as(name).isEqualTo(process.getJsonArray("phases").size());
        }
        assertThat(http().get("/api/v1/processes/no_such_process/diagram.svg").status()).isEqualTo(404);
    }

    @Test
    void phaseMovesFollowTheTransitionsGuardsRequiredFieldsAndReasonsAndAreStamped() {
        long account = firstId("account");
        JsonObject created = ok(http().post("/api/v1/records/opportunity",
                "{\"values\": {\"name\":\"Process IT deal\",\"account\":" + account + ",\"phase\":\"qualification\"}}"));
        long id = created.getJsonNumber("id").longValue();
        JsonObject process = ok(http().get("/api/v1/records/opportunity/" + id + "/process"));
        assertThat(process.getString("process")).isEqualTo("opportunity_sales");
        assertThat(process.getString("phase")).isEqualTo("qualification");
        assertThat(phases(process.getJsonArray("next"))).contains("needs_analysis").doesNotContain("won");

        Http.Reply skip = move(id, "won", version(id), null);
        assertThat(skip.status()).isEqualTo(422);
        assertThat(skip.body()).contains("phase_move");

        assertThat(move(id, "needs_analysis", version(id), null).status()).isEqualTo(200);
        Http.Reply guarded = move(id, "proposal", version(id), null);
        assertThat(guarded.status()).as(guarded.toString()).isEqualTo(422);
        assertThat(guarded.json().getJsonArray("errors").stream().map(e -> e.asJsonObject().getString("code")).toList())
                .containsAnyOf("guard", "required");
        assertThat(move(id, "proposal", version(id), "{\"amount\": 12000, \"close_date\": \"2099-01-31\"}").status())
                .isEqualTo(200);

        Http.Reply noReason = move(id, "lost", version(id), null);
        assertThat(noReason.status()).isEqualTo(422);
        assertThat(noReason.body()).contains("reason_required");
        assertThat(move(id, "lost", version(id), "{\"loss_reason\": \"Budget moved to next year\"}").status())
                .isEqualTo(200);

        JsonObject after = ok(http().get("/api/v1/records/opportunity/" + id + "/process"));
        assertThat(after.getString("phase")).isEqualTo("lost");
        assertThat(after.getString("outcome")).isEqualTo("failure");
        List<String> moves = after.getJsonArray("history").stream().map(JsonValue::asJsonObject)
                .map(s -> s.getString("from", "-") + ">" + s.getString("to")).toList();
        assertThat(moves).containsExactly("->qualification", "qualification>needs_analysis",
                "needs_analysis>proposal", "proposal>lost");
        JsonObject lost = after.getJsonArray("history").getJsonObject(3);
        assertThat(lost.getString("by")).isEqualTo("admin");
        assertThat(lost.getString("reason")).isEqualTo("Budget moved to next year");

        JsonObject kpis = ok(http().get("/api/v1/processes/opportunity_sales/kpis?granularity=month&cycle=qualification:proposal"));
        assertThat(kpis.toString()).contains("Budget moved to next year");
        assertThat(http().get("/api/v1/processes/opportunity_sales/kpis?cycle=nowhere:lost").status()).isEqualTo(400);
        assertThat(http().get("/api/v1/processes/opportunity_sales/kpis?from=yesterday").status()).isEqualTo(400);
    }

    @Test
    void anAccountCountsItsOpenTicketsAndAWonDealMakesItACustomerWithAKickOff() {
        long account = ok(http().post("/api/v1/records/account",
                "{\"values\": {\"name\":\"Related Records IT GmbH\",\"is_customer\":false}}")).getJsonNumber("id").longValue();
        assertThat(accountValues(account).getInt("open_tickets")).isZero();
        long first = ok(http().post("/api/v1/records/ticket", "{\"values\": {\"subject\":\"Printer on fire\",\"account\":"
                + account + ",\"phase\":\"open\"}}")).getJsonNumber("id").longValue();
        ok(http().post("/api/v1/records/ticket", "{\"values\": {\"subject\":\"Invoice missing\",\"account\":" + account
                + ",\"phase\":\"open\"}}"));
        assertThat(accountValues(account).getInt("open_tickets")).as("recounted when each ticket was created").isEqualTo(2);

        long ticketVersion = ok(http().get("/api/v1/records/ticket/" + first)).getJsonNumber("version").longValue();
        Http.Reply rejected = http().post("/api/v1/records/ticket/" + first + "/process/move", "{\"phase\":\"rejected\","
                + "\"version\":" + ticketVersion + ",\"values\":{\"rejection_reason\":\"duplicate\"}}");
        assertThat(rejected.status()).as(rejected.toString()).isEqualTo(200);
        assertThat(accountValues(account).getInt("open_tickets")).as("a rejected ticket is no longer open").isEqualTo(1);

        // a salesperson reads no tickets, yet saving the account keeps its count: the value is kept by the platform
        long team = ok(http().post("/api/v1/admin/teams", "{\"name\": \"Related IT sales\"}")).getJsonNumber("id").longValue();
        String password = "Seven quiet harbours hum at dusk";
        ok(http().post("/api/v1/admin/users", "{\"username\": \"rita.related\", \"password\": \"" + password
                + "\", \"roles\": [\"sales\"], \"teams\": [" + team + "]}"));
        Http rita = new Http(URI.create(base.toString())).basic("rita.related", password);
        long ritas = ok(rita.post("/api/v1/records/account", "{\"values\": {\"name\":\"Rita's Related GmbH\"}}"))
                .getJsonNumber("id").longValue();
        ok(http().post("/api/v1/records/ticket", "{\"values\": {\"subject\":\"Rita's ticket\",\"account\":" + ritas
                + ",\"phase\":\"open\"}}"));
        JsonObject seen = ok(rita.get("/api/v1/records/account/" + ritas));
        assertThat(seen.getJsonNumber("version").longValue()).as("recounted when the ticket was created").isEqualTo(2);
        Http.Reply renamed = rita.patch("/api/v1/records/account/" + ritas, "{\"values\": {\"city\": \"Kassel\"}}",
                "\"" + seen.getJsonNumber("version").longValue() + "\"");
        assertThat(renamed.status()).as(renamed.toString()).isEqualTo(200);
        assertThat(renamed.json().getJsonObject("values").getInt("open_tickets")).isEqualTo(1);

        long deal = ok(http().post("/api/v1/records/opportunity", "{\"values\": {\"name\":\"Related IT deal\",\"account\":"
                + account + ",\"phase\":\"qualification\"}}")).getJsonNumber("id").longValue();
        assertThat(move(deal, "proposal", version(deal), "{\"amount\": 5000, \"close_date\": \"2099-01-31\"}").status())
                .isEqualTo(200);
        Http.Reply won = move(deal, "won", version(deal), "{\"contract_signed_on\": \"2026-01-15\"}");
        assertThat(won.status()).as(won.toString()).isEqualTo(200);
        assertThat(accountValues(account).getBoolean("is_customer")).as("the won deal's update action").isTrue();
        JsonObject kickOff = ok(http().get("/api/v1/records/activity?filter=regarding:eq:opportunity:" + deal + "&count=true"));
        assertThat(kickOff.getJsonArray("items").stream().map(v -> v.asJsonObject().getJsonObject("values").getString("subject")))
                .as("the won deal's create action, pointing back to the deal")
                .anySatisfy(subject -> assertThat(subject).endsWith(": Related IT deal").containsAnyOf("kick-off", "Projektstart"));
    }

    private JsonObject accountValues(long id) {
        return ok(http().get("/api/v1/records/account/" + id)).getJsonObject("values");
    }

    @Test
    void kpisCountOnlyTheRecordsTheViewerMayRead() {
        long north = ok(http().post("/api/v1/admin/teams", "{\"name\": \"KPI North\"}")).getJsonNumber("id").longValue();
        long south = ok(http().post("/api/v1/admin/teams", "{\"name\": \"KPI South\"}")).getJsonNumber("id").longValue();
        Http northRep = user("kpi.north", "sales", north);
        Http southRep = user("kpi.south", "sales", south);
        Http service = user("kpi.service", "service", north);
        Http marketing = user("kpi.marketing", "marketing", north);
        String northReason = "North: the price was too high";
        String southReason = "South: the customer chose a competitor";
        closeAsLost(northRep, "KPI North deal", northReason);
        closeAsLost(southRep, "KPI South deal", southReason);
        String kpis = "/api/v1/processes/opportunity_sales/kpis";

        JsonObject seenByNorth = ok(northRep.get(kpis));
        assertThat(seenByNorth.getInt("casesStarted")).as("only the team's own deal").isEqualTo(1);
        assertThat(seenByNorth.getJsonObject("outcomes").getInt("ended")).isEqualTo(1);
        assertThat(seenByNorth.toString()).contains(northReason).doesNotContain(southReason);
        JsonObject seenBySouth = ok(southRep.get(kpis));
        assertThat(seenBySouth.getInt("casesStarted")).isEqualTo(1);
        assertThat(seenBySouth.toString()).contains(southReason).doesNotContain(northReason);
        JsonObject seenByService = ok(service.get(kpis));
        assertThat(seenByService.getInt("casesStarted")).as("service reads its team's deals").isEqualTo(1);
        assertThat(seenByService.toString()).doesNotContain(southReason);
        assertThat(ok(http().get(kpis)).toString()).contains(northReason, southReason);

        // marketing reads every deal (not its amount), and no ticket: the service process is none of its business
        assertThat(ok(marketing.get(kpis)).toString()).contains(northReason, southReason);
        assertThat(marketing.get("/api/v1/processes/ticket_service/kpis").status()).as("marketing may not read tickets")
                .isEqualTo(404);
        assertThat(marketing.get("/api/v1/processes").body()).contains("opportunity_sales").doesNotContain("ticket_service");
        assertThat(marketing.get("process.xhtml?name=ticket_service").status()).isEqualTo(404);
        assertThat(northRep.get("processes.xhtml").status()).isEqualTo(200);
    }

    private Http user(String username, String role, long team) {
        String password = "teal otter sings quietly " + team; // must not contain the user name (PasswordPolicy)
        ok(http().post("/api/v1/admin/users", "{\"username\": \"" + username + "\", \"password\": \"" + password
                + "\", \"roles\": [\"" + role + "\"], \"teams\": [" + team + "]}"));
        return new Http(URI.create(base.toString())).basic(username, password);
    }

    /** The user creates a deal and closes it as lost with the reason, through the API as they may. */
    private void closeAsLost(Http user, String name, String reason) {
        long id = ok(user.post("/api/v1/records/opportunity", "{\"values\": {\"name\": \"" + name + "\", \"account\": "
                + firstId("account") + "}}")).getJsonNumber("id").longValue();
        long version = ok(user.get("/api/v1/records/opportunity/" + id)).getJsonNumber("version").longValue();
        ok(user.post("/api/v1/records/opportunity/" + id + "/process/move", "{\"phase\": \"lost\", \"version\": "
                + version + ", \"values\": {\"loss_reason\": \"" + reason + "\"}}"));
    }

    @Test
    void bookingLinkReminderAndPreparationMailsGoOutOnceEach() throws Exception {
        // one prospect books after the reminder ...
        JsonObject created = ok(http().post("/api/v1/records/meeting_request",
                "{\"values\": {\"name\":\"Petra Booker\",\"email\":\"petra.booker@example.net\",\"language\":\"en\",\"topic\":\"Fleet insurance\"}}"));
        long booked = created.getJsonNumber("id").longValue();
        String token = created.getJsonObject("values").getString("booking_token");
        // ... the other never books
        long silent = ok(http().post("/api/v1/records/meeting_request",
                "{\"values\": {\"name\":\"Stefan Still\",\"email\":\"stefan.still@example.net\",\"language\":\"de\"}}"))
                .getJsonNumber("id").longValue();
        runDue();
        assertThat(subjects("petra.booker@example.net")).containsExactly("Your appointment with us");
        assertThat(subjects("stefan.still@example.net")).containsExactly("Ihr Termin mit uns");
        assertThat(body("petra.booker@example.net", 0)).contains("Hello Petra Booker", "Fleet insurance",
                "http://crm.example.test/book.xhtml?t=" + token);

        advance("P2D");
        assertThat(subjects("petra.booker@example.net")).hasSize(1);
        advance("P1DT1H");
        assertThat(subjects("petra.booker@example.net")).hasSize(2);
        assertThat(subjects("stefan.still@example.net")).hasSize(2);

        JsonObject record = ok(http().get("/api/v1/records/meeting_request/" + booked));
        assertThat(http().patch("/api/v1/records/meeting_request/" + booked,
                "{\"values\": {\"meeting_at\":\"2099-05-04T10:00:00Z\",\"meeting_link\":\"https://meet.example.com/petra\"}}",
                "\"" + record.getJsonNumber("version").longValue() + "\"").status()).isEqualTo(200);
        assertThat(ok(http().get("/api/v1/records/meeting_request/" + booked)).getJsonObject("values").getString("phase")).isEqualTo("booked");
        runDue();
        List<String> petra = subjects("petra.booker@example.net");
        assertThat(petra).hasSize(3);
        assertThat(petra.get(2)).startsWith("Your meeting on");
        assertThat(body("petra.booker@example.net", 2)).contains("https://meet.example.com/petra");

        advance("P8D"); // day 11: the unbooked request expires, the booked one is not touched
        assertThat(ok(http().get("/api/v1/records/meeting_request/" + silent)).getJsonObject("values").getString("phase")).isEqualTo("expired");
        assertThat(ok(http().get("/api/v1/records/meeting_request/" + booked)).getJsonObject("values").getString("phase")).isEqualTo("booked");
        advance("P30D");
        assertThat(subjects("petra.booker@example.net")).hasSize(3);
        assertThat(subjects("stefan.still@example.net")).hasSize(2);

        JsonObject timers = ok(http().get("/api/v1/records/meeting_request/" + booked + "/process"));
        assertThat(timers.getJsonArray("timers").stream().map(t -> t.asJsonObject().getString("timer") + "="
                + t.asJsonObject().getString("state")).toList())
                .containsExactlyInAnyOrder("booking_reminder=fired", "booking_expired=cancelled");
    }

    @Test
    void aGuidedDialogRunsOverTheApiAndResumes() {
        long lead = firstId("lead");
        Http.Reply start = http().post("/api/v1/dialogs/lead_qualification/sessions", "{\"entity\":\"lead\",\"id\":" + lead + "}");
        assertThat(start.status()).as(start.toString()).isEqualTo(201);
        JsonObject session = start.json();
        String firstStep = session.getString("step");
        Http.Reply again = http().post("/api/v1/dialogs/lead_qualification/sessions", "{\"entity\":\"lead\",\"id\":" + lead + "}");
        assertThat(again.status()).isEqualTo(200);
        assertThat(again.json().getJsonNumber("id").longValue()).isEqualTo(session.getJsonNumber("id").longValue());
        Http.Reply wrongStep = http().post("/api/v1/dialogs/sessions/" + session.getJsonNumber("id") + "/steps/no_such_step", "{}");
        assertThat(wrongStep.status()).isEqualTo(409);
        assertThat(http().get("/api/v1/dialogs/sessions/" + session.getJsonNumber("id")).json().getString("step"))
                .isEqualTo(firstStep);
        assertThat(http().post("/api/v1/dialogs/no_such_dialog/sessions", "{\"entity\":\"lead\",\"id\":" + lead + "}").status())
                .isEqualTo(404);
        assertThat(http().post("/api/v1/dialogs/sessions/" + session.getJsonNumber("id") + "/abandon", "{}").status())
                .isEqualTo(200);
    }

    @Test
    void aDoubleOptInIsConfirmedOnItsPageWithoutALoginAndTheUnsubscribeAddressRefusesWhatIsNotOneClick() throws Exception {
        // the demo's purposes are there too: this one has a key of its own
        Http.Reply purpose = http().post("/api/v1/records/consent_purpose", "{\"values\": {\"name\":\"it_newsletter\","
                + "\"label_de\":\"IT-Newsletter\",\"label_en\":\"IT newsletter\",\"text_de\":\"Ja, den Newsletter bitte.\","
                + "\"text_en\":\"Yes, the monthly newsletter by e-mail, please.\"}}");
        assertThat(purpose.status()).as(purpose.toString()).isEqualTo(201);
        long contact = ok(http().post("/api/v1/records/contact", "{\"values\": {\"last_name\":\"Optin\","
                + "\"email\":\"olga.optin@example.net\",\"language\":\"en\"}}")).getJsonNumber("id").longValue();
        Http.Reply asked = http().post("/api/v1/consents/requests", "{\"email\":\"olga.optin@example.net\","
                + "\"purpose\":\"it_newsletter\",\"source\":\"phone\",\"language\":\"en\",\"contact\":" + contact + "}");
        assertThat(asked.status()).as(asked.toString()).isEqualTo(201);
        long consent = asked.json().getJsonNumber("id").longValue();
        assertThat(asked.json().getJsonObject("values").getString("status")).isEqualTo("pending");
        Http.Reply refused = http().post("/api/v1/consents/requests", "{\"email\":\"not an address\","
                + "\"purpose\":\"it_newsletter\",\"source\":\"phone\"}");
        assertThat(refused.status()).isEqualTo(422);
        assertThat(refused.body()).contains("\"email\"");

        runDue();
        assertThat(subjects("olga.optin@example.net")).containsExactly("Please confirm your consent: IT newsletter");
        String mail = String.valueOf(messagesTo("olga.optin@example.net").get(0).getContent());
        java.util.regex.Matcher link = java.util.regex.Pattern
                .compile("http://crm\\.example\\.test(/consent\\.xhtml\\?t=[A-Za-z0-9_-]{43})").matcher(mail);
        assertThat(link.find()).as(mail).isTrue();

        org.openqa.selenium.WebDriver browser = ItServer.browser();
        try {
            browser.get(base + link.group(1).substring(1)); // no login: the page is public
            assertThat(browser.findElement(org.openqa.selenium.By.tagName("h1")).getText()).isEqualTo("Confirm your consent");
            assertThat(browser.findElement(org.openqa.selenium.By.id("consentForm")).getText())
                    .contains("olga.optin@example.net", "Yes, the monthly newsletter by e-mail, please.");
            assertThat(status(consent)).as("opening the page changes nothing").isEqualTo("pending");
            browser.findElement(org.openqa.selenium.By.id("consentForm:confirm")).click();
            new org.openqa.selenium.support.ui.WebDriverWait(browser, java.time.Duration.ofSeconds(30)).until(
                    d -> !d.findElements(org.openqa.selenium.By.id("confirmed")).isEmpty());
            assertThat(status(consent)).isEqualTo("granted");
            browser.get(base + link.group(1).substring(1));
            assertThat(browser.findElement(org.openqa.selenium.By.id("consentForm")).getText())
                    .contains("This consent is already confirmed.");
            browser.get(base + "consent.xhtml?t=" + "x".repeat(43));
            assertThat(browser.findElement(org.openqa.selenium.By.id("consentForm")).getText()).contains("not valid");
        } finally {
            browser.quit();
        }
        JsonObject values = ok(http().get("/api/v1/records/consent/" + consent)).getJsonObject("values");
        assertThat(values.getString("confirmed_ip_address")).isEqualTo("127.0.0.1");
        assertThat(values.getString("confirmed_user_agent")).contains("Chrome");

        // the one-click address (RFC 8058), without a login: an unknown token is not found, a POST that is not a
        // one-click is refused with what to send, a GET goes to the page whose button unsubscribes
        Http anonymous = new Http(URI.create(base.toString()));
        String unknown = "/api/v1/public/unsubscribe/" + "A".repeat(43);
        assertThat(anonymous.postForm(unknown, "List-Unsubscribe=One-Click").status()).isEqualTo(404);
        Http.Reply notOneClick = anonymous.postForm(unknown, "unsubscribe=yes");
        assertThat(notOneClick.status()).isEqualTo(400);
        assertThat(notOneClick.body()).contains("List-Unsubscribe=One-Click");
        Http.Reply page = anonymous.get(unknown);
        assertThat(page.status()).isEqualTo(303);
        assertThat(page.response().headers().firstValue("Location").orElseThrow()).endsWith("/unsubscribe.xhtml?t=" + "A".repeat(43));
    }

    @Test
    void aCampaignIsPreparedSentOnceToThoseWhoConsentedAndAMailProgramUnsubscribesWithOneClick() throws Exception {
        long purpose = ok(http().post("/api/v1/records/consent_purpose", "{\"values\": {\"name\":\"it_offers\","
                + "\"label_de\":\"Angebote\",\"label_en\":\"Offers\",\"text_de\":\"Ja, Angebote.\","
                + "\"text_en\":\"Yes, offers.\",\"double_opt_in\":false}}")).getJsonNumber("id").longValue();
        contactsWhoAgreed("Campaigner", "it_offers", List.of("Ada", "Bob"), "Cy"); // Cy never agreed
        long group = ok(http().post("/api/v1/records/target_group", "{\"values\": {\"name\":\"Campaigners\","
                + "\"audience\":\"contact\",\"conditions\":\"last_name:eq:Campaigner\"}}")).getJsonNumber("id").longValue();
        long campaign = ok(http().post("/api/v1/records/campaign", "{\"values\": {\"name\":\"IT offers\","
                + "\"channel\":\"email\",\"purpose\":" + purpose + ",\"target_group\":" + group + ","
                + "\"messages_per_minute\":6000,\"subject_en\":\"Offers for {{record.first_name}}\","
                + "\"body_en\":\"Hello {{record.first_name}}, our offers.\",\"subject_de\":\"Angebote\","
                + "\"body_de\":\"Angebote\"}}")).getJsonNumber("id").longValue();

        Http.Reply prepared = http().post("/api/v1/campaigns/" + campaign + "/prepare", "{}");
        assertThat(prepared.status()).as(prepared.toString()).isEqualTo(200);
        assertThat(prepared.json().getInt("queued")).isEqualTo(2);
        assertThat(prepared.json().getJsonObject("skipped").getInt("no_consent")).isEqualTo(1);
        assertThat(http().post("/api/v1/campaigns/" + campaign + "/prepare", "{}").status()).as("once").isEqualTo(422);
        assertThat(http().post("/api/v1/campaigns/" + campaign + "/start", "{}").status()).isEqualTo(200);
        runDue();

        assertThat(subjects("ada.campaigner@example.net")).containsExactly("Offers for Ada");
        assertThat(subjects("bob.campaigner@example.net")).containsExactly("Offers for Bob");
        assertThat(subjects("cy.campaigner@example.net")).isEmpty();
        assertThat(ok(http().get("/api/v1/records/campaign/" + campaign)).getJsonObject("values").getString("status"))
                .isEqualTo("sent");
        runDue();
        assertThat(subjects("ada.campaigner@example.net")).as("once").hasSize(1);
        JsonObject progress = ok(http().get("/api/v1/campaigns/" + campaign + "/progress"));
        assertThat(progress.getString("status")).isEqualTo("sent");
        assertThat(progress.getJsonObject("members").getInt("sent")).isEqualTo(2);
        assertThat(progress.getJsonObject("members").getInt("skipped")).isEqualTo(1);
        assertThat(progress.getInt("percent")).isEqualTo(100);
        Http.Reply unsaid = http().post("/api/v1/campaigns/" + campaign + "/in-doubt", "{}");
        assertThat(unsaid.status()).isEqualTo(400);
        assertThat(unsaid.json().getString("detail")).contains("{\"resend\": true}");
        assertThat(ok(http().post("/api/v1/campaigns/" + campaign + "/in-doubt", "{\"resend\": false}")).getInt("settled"))
                .as("nothing in doubt").isZero();

        // Bob's mail program unsubscribes with the address of the List-Unsubscribe header
        jakarta.mail.internet.MimeMessage bob = messagesTo("bob.campaigner@example.net").get(0);
        assertThat(bob.getHeader("List-Unsubscribe-Post")[0]).isEqualTo("List-Unsubscribe=One-Click");
        String oneClick = bob.getHeader("List-Unsubscribe")[0].replaceAll("^<http://crm\\.example\\.test|>$", "");
        Http anonymous = new Http(URI.create(base.toString()));
        Http.Reply unsubscribed = anonymous.postForm(oneClick, "List-Unsubscribe=One-Click");
        assertThat(unsubscribed.status()).as(unsubscribed.toString()).isEqualTo(200);
        assertThat(anonymous.postForm(oneClick, "List-Unsubscribe=One-Click").body()).startsWith("Already unsubscribed");
        assertThat(http().get("/api/v1/records/consent?filter=email:eq:bob.campaigner@example.net").json()
                .getJsonArray("items").getJsonObject(0).getJsonObject("values").getString("status")).isEqualTo("withdrawn");
    }

    @Test
    void aTargetGroupEnrolledInASequenceGetsItsFirstStepFromTheBackgroundWork() throws Exception {
        long purpose = ok(http().post("/api/v1/records/consent_purpose", "{\"values\": {\"name\":\"it_series\","
                + "\"label_de\":\"Serie\",\"label_en\":\"Series\",\"text_de\":\"Ja.\",\"text_en\":\"Yes.\","
                + "\"double_opt_in\":false}}")).getJsonNumber("id").longValue();
        contactsWhoAgreed("Sequencer", "it_series", List.of("Gina", "Hugo"), "Ivo"); // Ivo never agreed
        long group = ok(http().post("/api/v1/records/target_group", "{\"values\": {\"name\":\"Sequencers\","
                + "\"audience\":\"contact\",\"conditions\":\"last_name:eq:Sequencer\"}}")).getJsonNumber("id").longValue();
        long template = ok(http().post("/api/v1/records/mail_template", "{\"values\": {\"name\":\"Welcome\","
                + "\"subject_de\":\"Willkommen\",\"subject_en\":\"Welcome, {{record.first_name}}\",\"body_de\":\"Hallo\","
                + "\"body_en\":\"Hello {{record.first_name}}\"}}")).getJsonNumber("id").longValue();
        long sequence = ok(http().post("/api/v1/records/mail_sequence", "{\"values\": {\"name\":\"Onboarding\","
                + "\"purpose\":" + purpose + ",\"messages_per_minute\":6000}}")).getJsonNumber("id").longValue();
        ok(http().post("/api/v1/records/mail_sequence_step", "{\"values\": {\"name\":\"Welcome\",\"sequence\":"
                + sequence + ",\"position\":1,\"wait_days\":0,\"template\":" + template + "}}"));

        // nina of marketing enrolls the group on the sequence's page
        String password = "quiet-harbour-sequence-2026";
        org.openqa.selenium.WebDriver browser = ItServer.browser();
        try {
            ItPages pages = new ItPages(browser, base, password,
                    Path.of(System.getProperty("crm.it.screenshots", "target/screenshots")));
            pages.givePassword("nina.vogel");
            pages.logIn("nina.vogel", "record.xhtml?entity=mail_sequence&id=" + sequence);
            ItPages.choose(ItServer.patientWait(browser), "sequenceForm:sequenceGroup", "Sequencers");
            pages.click(By.id("sequenceForm:sequenceEnroll"));
            ItServer.patientWait(browser).until(d -> d.findElement(By.id("sequenceForm:sequenceMessages")).getText()
                    .contains("3 enrolled, 0 already in the sequence"));
        } finally {
            browser.quit();
        }
        assertThat(ok(http().post("/api/v1/sequences/" + sequence + "/enroll", "{\"targetGroup\": " + group + "}"))
                .getInt("already")).as("each once").isEqualTo(3);
        assertThat(http().post("/api/v1/sequences/" + sequence + "/enroll", "{}").status()).isEqualTo(400);
        assertThat(http().post("/api/v1/sequences/999999/enroll", "{\"targetGroup\": " + group + "}").status())
                .isEqualTo(404);
        runDue();

        assertThat(subjects("gina.sequencer@example.net")).containsExactly("Welcome, Gina");
        assertThat(subjects("hugo.sequencer@example.net")).containsExactly("Welcome, Hugo");
        assertThat(subjects("ivo.sequencer@example.net")).isEmpty();
        assertThat(http().get("/api/v1/records/sequence_enrollment?filter=sequence:eq:" + sequence
                + "&filter=status:eq:completed&count=true").json().getInt("totalCount")).isEqualTo(2);
        assertThat(http().get("/api/v1/records/sequence_enrollment?filter=sequence:eq:" + sequence
                + "&filter=stop_reason:eq:no_consent&count=true").json().getInt("totalCount")).isEqualTo(1);
    }

    /**
     * A marketing user on the campaign's page: the target group counted live, the mail previewed as a real person of
     * it gets it (with the sender's name), preparing, sending at the campaign's rate with the progress updating by
     * itself and surviving a reload, pausing and finishing.
     */
    @Test
    void aMarketingUserPreviewsACampaignAndWatchesItsSendingOnItsPage() throws Exception {
        long purpose = ok(http().post("/api/v1/records/consent_purpose", "{\"values\": {\"name\":\"it_events\","
                + "\"label_de\":\"Veranstaltungen\",\"label_en\":\"Events\",\"text_de\":\"Ja, Einladungen.\","
                + "\"text_en\":\"Yes, invitations.\",\"double_opt_in\":false}}")).getJsonNumber("id").longValue();
        contactsWhoAgreed("Pagesender", "it_events", List.of("Dora", "Emil"), "Fynn");
        String password = "quiet-harbour-campaign-2026";
        org.openqa.selenium.WebDriver browser = ItServer.browser();
        try {
            ItPages pages = new ItPages(browser, base, password,
                    Path.of(System.getProperty("crm.it.screenshots", "target/screenshots")));
            pages.givePassword("nina.vogel");
            Http nina = new Http(URI.create(base.toString())).basic("nina.vogel", password);
            pages.logIn("nina.vogel", "record.xhtml?entity=target_group");
            pages.waitFor(By.id("recordForm:f_name")).sendKeys("Page senders");
            browser.findElement(By.id("recordForm:f_conditions")).sendKeys("last_name:eq:Pagesender");
            pages.click(By.id("recordForm:save"));
            assertThat(pages.waitFor(By.id("targetGroupCount")).getText()).startsWith("3 Contacts");
            long group = Long.parseLong(browser.getCurrentUrl().replaceAll(".*[?&]id=(\\d+).*", "$1"));

            long campaign = ok(nina.post("/api/v1/records/campaign", "{\"values\": {\"name\":\"Page events\","
                    + "\"channel\":\"email\",\"purpose\":" + purpose + ",\"target_group\":" + group + ","
                    + "\"messages_per_minute\":1,\"subject_en\":\"Invitation for {{record.first_name}}\","
                    + "\"body_en\":\"Dear {{record.first_name}},\\nwe invite you.\\n{{sender.name}}\","
                    + "\"subject_de\":\"Einladung\",\"body_de\":\"Einladung\"}}")).getJsonNumber("id").longValue();
            browser.get(base + "record.xhtml?entity=campaign&id=" + campaign);
            assertThat(pages.waitFor(By.id("campaignCount")).getText()).startsWith("3 Contacts");
            assertThat(browser.findElement(By.id("campaignForm:campaignReachable")).getText())
                    .startsWith("2 of them can be reached now"); // Fynn never agreed
            pages.click(By.id("campaignForm:campaignShowPreview"));
            assertThat(pages.visible(By.id("campaignPreviewSubject")).getText()).isEqualTo("Invitation for Dora");
            assertThat(browser.findElement(By.id("campaignPreviewBody")).getText())
                    .startsWith("Dear Dora,\nwe invite you.\nNina Vogel").endsWith("Unsubscribe: (personal unsubscribe link)");
            assertThat(browser.findElements(By.id("campaignPreviewHtml"))).as("a mail of plain text only").isEmpty();

            // a mail template with an HTML part, made on its generated form, replaces the campaign's own texts
            browser.get(base + "record.xhtml?entity=mail_template");
            pages.waitFor(By.id("recordForm:f_name")).sendKeys("Invitation");
            browser.findElement(By.id("recordForm:f_subject_de")).sendKeys("Einladung für {{record.first_name}}");
            browser.findElement(By.id("recordForm:f_subject_en")).sendKeys("Invitation for {{record.first_name}}");
            browser.findElement(By.id("recordForm:f_body_de")).sendKeys("Liebe/r {{record.first_name}}, wir laden Sie ein.");
            browser.findElement(By.id("recordForm:f_body_en")).sendKeys("Dear {{record.first_name}}, we invite you.");
            browser.findElement(By.id("recordForm:f_html_en")).sendKeys("<h1>Welcome, {{record.first_name}}</h1>"
                    + "<p onmouseover=\"alert(1)\">See <a href=\"https://events.example.com\">the programme</a>.</p>"
                    + "<script>alert(2)</script>");
            pages.click(By.id("recordForm:save"));
            ItServer.patientWait(browser).until(d -> d.getCurrentUrl().matches(".*[?&]id=\\d+.*"));
            long template = Long.parseLong(browser.getCurrentUrl().replaceAll(".*[?&]id=(\\d+).*", "$1"));
            long withTemplate = ok(nina.get("/api/v1/records/campaign/" + campaign)).getJsonNumber("version").longValue();
            ok(nina.patch("/api/v1/records/campaign/" + campaign, "{\"version\": " + withTemplate
                    + ", \"values\": {\"template\": " + template + "}}", null));
            browser.get(base + "record.xhtml?entity=campaign&id=" + campaign);
            pages.click(By.id("campaignForm:campaignShowPreview"));
            pages.visible(By.id("campaignPreviewHtml"));
            assertThat(browser.findElement(By.id("campaignPreviewHtml")).getAttribute("sandbox")).as("runs nothing").isEmpty();
            assertThat(browser.findElement(By.id("campaignPreviewHtml")).getAttribute("srcdoc"))
                    .contains("<h1>Welcome, Dora</h1>", "<a href=\"https://events.example.com\">the programme</a>",
                            ">Unsubscribe</a>").doesNotContain("alert", "onmouseover", "script");
            browser.switchTo().frame("campaignPreviewHtml");
            assertThat(pages.waitFor(By.tagName("h1")).getText()).isEqualTo("Welcome, Dora");
            browser.switchTo().defaultContent();
            assertThat(browser.findElement(By.id("campaignPreviewBody")).getText())
                    .startsWith("Dear Dora, we invite you.").endsWith("Unsubscribe: (personal unsubscribe link)");

            pages.click(By.id("campaignForm:campaignPrepare"));
            ItServer.patientWait(browser).until(d -> d.findElement(By.id("campaignForm:campaignMessages")).getText()
                    .contains("2 recipients are queued, 1 skipped"));
            pages.click(By.id("campaignForm:campaignStart"));
            pages.visible(By.id("campaignQuestions:startYes")).click();
            ItServer.patientWait(browser).until(d -> d.findElement(By.id("campaignStatus")).getText().equals("Sending"));
            assertThat(browser.findElement(By.id("campaignForm:campaignBar")).isDisplayed()).isTrue();
            ItServer.patientWait(browser).until(d -> !d.findElement(By.id("campaignQuestions:campaignStartDialog"))
                    .isDisplayed()); // the question is gone

            advance("PT1M"); // one a minute: the first mail is due
            runDue();
            ItServer.patientWait(browser).until(d -> d.findElement(By.cssSelector(".campaign-figure-sent .campaign-figure-count"))
                    .getText().equals("1"));
            pages.screenshot("campaign-sending");
            browser.navigate().refresh(); // the progress is the members', not the page's
            String progress = pages.waitFor(By.id("campaignForm:campaignProgress")).getText();
            assertThat(progress).contains("Sending", "50 %", "about 1 min left");
            pages.click(By.id("campaignForm:campaignPause"));
            ItServer.patientWait(browser).until(d -> d.findElement(By.id("campaignStatus")).getText().equals("Paused"));
            pages.click(By.id("campaignForm:campaignStart"));
            pages.visible(By.id("campaignQuestions:startYes")).click();
            ItServer.patientWait(browser).until(d -> d.findElement(By.id("campaignStatus")).getText().equals("Sending"));
            advance("PT1M");
            runDue();
            ItServer.patientWait(browser).until(d -> d.findElement(By.id("campaignStatus")).getText().equals("Sent"));
            assertThat(browser.findElement(By.id("campaignForm:campaignProgress")).getText()).contains("100 %");
            assertThat(browser.findElements(By.id("campaignForm:campaignCancel"))).as("nothing left to cancel").isEmpty();

            // the campaign dashboard counts the mails sent, as the list its figure leads to does
            browser.get(base + "dashboard.xhtml?name=campaigns");
            String sentFigure = pages.waitFor(By.cssSelector("section[data-widget='mails_sent'] .kpi-value")).getText();
            long figure = Long.parseLong(sentFigure.replaceAll("[^0-9]", ""));
            assertThat(figure).as("at least the two of this campaign").isGreaterThanOrEqualTo(2);
            String drillDown = browser.findElement(By.cssSelector("section[data-widget='mails_sent'] .kpi-link"))
                    .getAttribute("href");
            StringBuilder sameList = new StringBuilder("/api/v1/records/campaign_member?count=true&limit=1");
            for (String parameter : drillDown.substring(drillDown.indexOf('?') + 1).split("&")) {
                if (parameter.startsWith("filter=")) {
                    sameList.append('&').append(parameter);
                }
            }
            assertThat(ok(nina.get(sameList.toString())).getJsonNumber("totalCount").longValue()).as(drillDown)
                    .isEqualTo(figure);

            // Dora signs up on the campaign's public form, without a login
            long version = ok(nina.get("/api/v1/records/campaign/" + campaign)).getJsonNumber("version").longValue();
            ok(nina.patch("/api/v1/records/campaign/" + campaign, "{\"version\": " + version
                    + ", \"values\": {\"lead_form\": true}}", null));
            browser.manage().deleteAllCookies();
            browser.get(base + "signup.xhtml?campaign=" + campaign);
            assertThat(pages.waitFor(By.tagName("h1")).getText()).isEqualTo("Page events");
            browser.findElement(By.id("signupForm:last_name")).sendKeys("Pagesender");
            browser.findElement(By.id("signupForm:email")).sendKeys("dora.pagesender@example.net");
            browser.findElement(By.id("signupForm:company")).sendKeys("Dora & Co");
            browser.findElement(By.cssSelector("input[value='it_events']")).click();
            browser.findElement(By.id("signupForm:signUp")).click();
            pages.waitFor(By.id("signedUp"));
            JsonObject lead = http().get("/api/v1/records/lead?filter=email:eq:dora.pagesender@example.net").json()
                    .getJsonArray("items").getJsonObject(0).getJsonObject("values");
            assertThat(lead.getString("company")).isEqualTo("Dora & Co");
            assertThat(lead.getJsonNumber("campaign").longValue()).isEqualTo(campaign);
            assertThat(ok(http().get("/api/v1/campaigns/" + campaign + "/results")).getJsonObject("responses")
                    .getInt("registered")).isEqualTo(1);
            browser.get(base + "signup.xhtml?campaign=999999");
            assertThat(pages.waitFor(By.id("noForm")).getText()).isEqualTo("This form does not exist (any more).");
        } finally {
            browser.quit();
        }
        assertThat(subjects("dora.pagesender@example.net")).containsExactly("Invitation for Dora");
        assertThat(subjects("emil.pagesender@example.net")).containsExactly("Invitation for Emil");
        assertThat(subjects("fynn.pagesender@example.net")).isEmpty();
    }

    /** English-speaking contacts of {@code lastName}: those {@code agreed} with a consent for {@code purpose}, one without. */
    private void contactsWhoAgreed(String lastName, String purpose, List<String> agreed, String without) {
        for (String name : java.util.stream.Stream.concat(agreed.stream(), java.util.stream.Stream.of(without)).toList()) {
            String email = name.toLowerCase(java.util.Locale.ROOT) + "." + lastName.toLowerCase(java.util.Locale.ROOT)
                    + "@example.net";
            long contact = ok(http().post("/api/v1/records/contact", "{\"values\": {\"first_name\":\"" + name
                    + "\",\"last_name\":\"" + lastName + "\",\"email\":\"" + email + "\",\"language\":\"en\"}}"))
                    .getJsonNumber("id").longValue();
            if (agreed.contains(name)) {
                assertThat(http().post("/api/v1/consents/requests", "{\"email\":\"" + email + "\",\"purpose\":\""
                        + purpose + "\",\"source\":\"phone\",\"contact\":" + contact + "}").status()).isEqualTo(201);
            }
        }
    }

    private String status(long consent) {
        return ok(http().get("/api/v1/records/consent/" + consent)).getJsonObject("values").getString("status");
    }

    // ---- helpers ----

    private void runDue() {
        assertThat(http().post("/api/v1/admin/processes/run-due", "{}").status()).isEqualTo(200);
    }

    private void advance(String duration) {
        Http.Reply reply = http().post("/api/v1/admin/clock/advance", "{\"by\":\"" + duration + "\"}");
        assertThat(reply.status()).as(reply.toString()).isEqualTo(200);
    }

    private Http.Reply move(long id, String phase, long version, String values) {
        return http().post("/api/v1/records/opportunity/" + id + "/process/move", "{\"phase\":\"" + phase + "\",\"version\":"
                + version + (values == null ? "" : ",\"values\":" + values) + "}");
    }

    private long version(long id) {
        return ok(http().get("/api/v1/records/opportunity/" + id)).getJsonNumber("version").longValue();
    }

    private long firstId(String entity) {
        return ok(http().get("/api/v1/records/" + entity + "?limit=1")).getJsonArray("items").getJsonObject(0)
                .getJsonNumber("id").longValue();
    }

    private static List<String> phases(jakarta.json.JsonArray next) {
        return next.stream().map(v -> v.asJsonObject().getString("phase")).toList();
    }

    private static JsonObject ok(Http.Reply reply) {
        assertThat(reply.status()).as(reply.toString()).isBetween(200, 201);
        return reply.json();
    }

    private static List<MimeMessage> messagesTo(String address) throws Exception {
        return Arrays.stream(mail.getReceivedMessages()).filter(m -> {
            try {
                return Arrays.stream(m.getRecipients(Message.RecipientType.TO)).anyMatch(a -> a.toString().contains(address));
            } catch (jakarta.mail.MessagingException e) {
                throw new IllegalStateException(e);
            }
        }).collect(Collectors.toList());
    }

    private static List<String> subjects(String address) throws Exception {
        return messagesTo(address).stream().map(m -> {
            try {
                return m.getSubject();
            } catch (jakarta.mail.MessagingException e) {
                throw new IllegalStateException(e);
            }
        }).toList();
    }

    private static String body(String address, int index) throws Exception {
        return GreenMailUtil.getBody(messagesTo(address).get(index));
    }

    private static Document xml(String text) throws Exception {
        DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        factory.setNamespaceAware(true);
        factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        return factory.newDocumentBuilder().parse(new InputSource(new StringReader(text)));
    }
}
