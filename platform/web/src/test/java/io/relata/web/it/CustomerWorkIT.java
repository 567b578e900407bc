package io.relata.web.it;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import java.io.File;
import java.io.IOException;
import java.io.StringReader;
import java.net.URI;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.List;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;

/**
 * Customer work in headless Chromium on the demo data, as a sales rep, a service agent and a sales manager use it: the
 * customer view (360°) of the demo's full customer, each role seeing the panels of its work and figures over what it
 * may read. The screenshots illustrate docs/customer-view.md.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class CustomerWorkIT {

    private static final Path SCREENSHOTS = Path.of(System.getProperty("crm.it.screenshots", "target/screenshots"));
    private static final String PASSWORD = "amber-orchard-lighthouse-2026";
    private static final String CUSTOMER = "Allsecur Versicherung AG";

    private static WebDriver browser;
    /** The CRM's capture mailbox, read by the server under test over IMAP (arquillian.xml names it). */
    private static com.icegreen.greenmail.util.GreenMail mailbox;
    private static final String MAILBOX = "crm@crm.example.test";

    @org.junit.jupiter.api.extension.RegisterExtension
    static final org.junit.jupiter.api.extension.TestWatcher SCREENSHOT_ON_FAILURE = ItServer.screenshotOnFailure(() -> browser,
            SCREENSHOTS);

    @ArquillianResource
    URL base;

    @Deployment(testable = false)
    static WebArchive deployment() throws SQLException {
        return ItServer.deployment();
    }

    @BeforeAll
    static void startBrowser() throws IOException {
        Files.createDirectories(SCREENSHOTS);
        browser = ItServer.browser();
        mailbox = new com.icegreen.greenmail.util.GreenMail(new com.icegreen.greenmail.util.ServerSetup(
                Integer.getInteger("crm.it.imap.port", 25143), "127.0.0.1", com.icegreen.greenmail.util.ServerSetup.PROTOCOL_IMAP));
        mailbox.setUser(MAILBOX, MAILBOX, "capture-secret");
        mailbox.start();
    }

    @AfterAll
    static void stopBrowser() {
        if (browser != null) {
            browser.quit();
        }
        if (mailbox != null) {
            mailbox.stop();
        }
    }

    @Test
    @Order(1)
    void aSalesRepOpensTheCustomerViewAndSeesThePipelineOfTheirTeamWithContactsOpportunitiesAndTimeline() throws IOException {
        givePassword("anna.berger");
        logIn("anna.berger", "list.xhtml?entity=account");
        click(By.linkText(CUSTOMER));
        click(By.id("openCustomerView"));
        wait(By.id("customerTitle"));
        assertThat(panels()).containsExactly("facts", "sales_figures", "customer_value", "open_todos", "contacts",
                "opportunities", "contact_activities", "timeline");
        assertThat(figure("open_pipeline")).as("negotiation 185,000 + proposal 58,000; Lukas's deal is another team's")
                .isEqualTo("€243,000.00");
        assertThat(figure("won_revenue")).as("162,000 + 74,000 of the demo history").isEqualTo("€236,000.00");
        assertThat(figure("lifetime_value")).isEqualTo("€236,000.00");
        assertThat(figure("open_opportunities")).isEqualTo("2");
        assertThat(panel("contacts").getText()).contains("Müller", "Schmidt", "Yilmaz", "Brandt");
        assertThat(panel("open_todos").getText()).contains("Angebot Cyber-Police versenden");
        assertThat(panel("timeline").getText()).contains("Opportunity: Kfz-Flottenversicherung 2027",
                "Process \"Sales pipeline\" started in Negotiation", "Activity: Rückruf Schadenquote Flotte");
        screenshot("customer-view-sales");
        // a related record opens in its own view (contacts have one), a record without a view on its record page
        click(By.linkText("Derya"));
        wait(By.id("customerTitle"));
        assertThat(browser.getCurrentUrl()).contains("customer.xhtml", "entity=contact");
    }

    @Test
    @Order(2)
    void aServiceAgentSeesTicketsAndServiceFiguresButNoSalesFigure() throws IOException {
        givePassword("jonas.keller");
        logIn("jonas.keller", "list.xhtml?entity=account");
        click(By.linkText(CUSTOMER));
        click(By.id("openCustomerView"));
        wait(By.id("customerTitle"));
        assertThat(panels()).containsExactly("facts", "service_figures", "open_todos", "contacts", "tickets", "timeline");
        assertThat(figure("open_tickets")).as("open, in progress, waiting for the customer").isEqualTo("3");
        assertThat(figure("tickets_total")).as("and one resolved, one rejected").isEqualTo("5");
        assertThat(panel("tickets").getText()).contains("Schadenmeldung erscheint nicht im Portal",
                "Zugang zum Schadenportal gesperrt");
        assertThat(browser.findElement(By.tagName("main")).getText()).doesNotContain("Open pipeline", "243,000");
        screenshot("customer-view-service");
    }

    @Test
    @Order(3)
    void aSalesManagerSeesSalesAndServiceAndTheViewAnswersNotFoundForWhatIsNotThere() throws IOException {
        Http admin = new Http(URI.create(base.toString())).basic("admin", ItServer.ADMIN_PASSWORD);
        ok(admin.post("api/v1/admin/users", "{\"username\": \"mara.lead\", \"password\": \"" + PASSWORD
                + "\", \"roles\": [\"sales_manager\"]}"));
        logIn("mara.lead", "list.xhtml?entity=account");
        click(By.linkText(CUSTOMER));
        click(By.id("openCustomerView"));
        wait(By.id("customerTitle"));
        assertThat(panels()).contains("sales_figures", "service_figures", "opportunities", "tickets");
        String url = browser.getCurrentUrl();
        Http asManager = new Http(URI.create(base.toString())).basic("mara.lead", PASSWORD);
        assertThat(asManager.get("customer.xhtml?entity=opportunity&id=1").status()).as("opportunities have no view")
                .isEqualTo(404);
        assertThat(asManager.get("customer.xhtml?entity=account&id=999999").status()).isEqualTo(404);
        assertThat(asManager.get(url.substring(base.toString().length())).status()).isEqualTo(200);
    }

    @Test
    @Order(4)
    void aSalesRepLogsACallInTwoClicksAndWorksThroughTheirToDos() throws IOException {
        logIn("anna.berger", "list.xhtml?entity=account");
        String due = browser.findElement(By.id("navWork")).getText();
        assertThat(due).as("the demo's overdue to-dos are counted in the navigation").matches("(?s).*My work\\s*\\d+.*");
        click(By.linkText(CUSTOMER));
        click(By.id("openCustomerView"));
        click(By.cssSelector("button.capture-call"));
        visible(By.id("captureForm:notes")).sendKeys("Renewal terms agreed");
        click(By.id("captureForm:saveCapture"));
        ItServer.patientWait(browser).until(d -> d.findElement(By.id("customerMessages")).getText()
                .contains("Logged: Call: " + CUSTOMER));
        assertThat(panel("timeline").getText()).contains("Activity: Call: " + CUSTOMER);

        browser.get(base + "work.xhtml");
        WebElement overdue = wait(By.cssSelector("section[data-section='overdue']"));
        assertThat(overdue.getText()).contains("Verhandlungstermin Flotte 2027");
        screenshot("my-work");
        String row = overdue.findElement(By.xpath(".//tr[.//a[text()='Verhandlungstermin Flotte 2027']]")).getAttribute("data-id");
        click(By.cssSelector("section[data-section='overdue'] tr[data-id='" + row + "'] button[id$='complete']"));
        visible(By.id("completeForm:outcome")).sendKeys("Terms for 420 vehicles agreed");
        click(By.id("completeForm:confirmComplete"));
        ItServer.patientWait(browser).until(d -> d.findElement(By.id("workForm:messages")).getText()
                .contains("Completed: Verhandlungstermin Flotte 2027"));
        assertThat(wait(By.cssSelector("section[data-section='overdue']")).getText()).doesNotContain("Verhandlungstermin");
        Http asAnna = new Http(URI.create(base.toString())).basic("anna.berger", PASSWORD);
        JsonObject done = ok(asAnna.get("api/v1/records/activity/" + row));
        assertThat(done.toString()).contains("\"done\":true", "Terms for 420 vehicles agreed", "completed_at");

        // postpone one by a week, delegate another to the service colleague
        String postponed = wait(By.cssSelector("section[data-section='overdue'] tbody tr")).getAttribute("data-id");
        click(By.cssSelector("tr[data-id='" + postponed + "'] button[id$='postponeWeek']"));
        ItServer.patientWait(browser).until(d -> d.findElement(By.id("workForm:messages")).getText().contains("Postponed"));
        assertThat(browser.findElement(By.cssSelector("section[data-section='overdue']")).getText())
                .doesNotContain(ok(asAnna.get("api/v1/records/activity/" + postponed)).getJsonObject("values").getString("subject"));
        String handed = wait(By.cssSelector("section[data-section='overdue'] tbody tr")).getAttribute("data-id");
        click(By.cssSelector("tr[data-id='" + handed + "'] button[id$='delegate']"));
        visible(By.id("delegateForm:colleague"));
        // chosen through the menu's own widget: a click into its fading-in panel is sometimes lost on a busy machine
        ((org.openqa.selenium.JavascriptExecutor) browser).executeScript("PF('colleagueMenu').selectValue('jonas.keller')");
        assertThat(browser.findElement(By.id("delegateForm:colleague_label")).getText()).isEqualTo("Jonas Keller");
        click(By.id("delegateForm:confirmDelegate"));
        ItServer.patientWait(browser).until(d -> d.findElement(By.id("workForm:messages")).getText().contains("Handed over"));
        Http admin = new Http(URI.create(base.toString())).basic("admin", ItServer.ADMIN_PASSWORD);
        JsonObject delegated = ok(admin.get("api/v1/records/activity/" + handed));
        assertThat(delegated.toString()).contains("\"delegated_by\":\"anna.berger\"");
    }

    @Test
    @Order(5)
    void aSalesRepMovesAnAppointmentByDragAndSubscribesToTheirCalendarFeed() throws Exception {
        Http asAnna = new Http(URI.create(base.toString())).basic("anna.berger", PASSWORD);
        // an open appointment moves; what has taken place (the demo's past visit) stays where it was
        String id = ok(asAnna.get("api/v1/records/activity?q=Jahresgespr")).getJsonArray("items").getJsonObject(0)
                .get("id").toString();
        String before = ok(asAnna.get("api/v1/records/activity/" + id)).getJsonObject("values").getString("due_at");
        logIn("anna.berger", "calendar.xhtml?date=" + java.time.OffsetDateTime.parse(before).toLocalDate());
        WebElement visit = ItServer.patientWait(browser).until(d -> d.findElements(By.cssSelector(".fc-event")).stream()
                .filter(e -> e.getText().contains("Jahresgespräch")).findFirst().orElse(null));
        screenshot("calendar");
        ((org.openqa.selenium.JavascriptExecutor) browser).executeScript("arguments[0].scrollIntoView({block: 'center'})", visit);
        // as a hand drags: press, a first small move that starts the drag, the rest, release
        new org.openqa.selenium.interactions.Actions(browser).clickAndHold(visit).pause(java.time.Duration.ofMillis(300))
                .moveByOffset(0, 10).pause(java.time.Duration.ofMillis(300)).moveByOffset(0, 110)
                .pause(java.time.Duration.ofMillis(300)).release().perform();
        ItServer.patientWait(browser).until(d -> d.findElements(By.cssSelector(".ui-growl-message")).stream()
                .anyMatch(g -> g.getText().contains("Moved: Jahresgespräch")));
        JsonObject moved = ok(asAnna.get("api/v1/records/activity/" + id)).getJsonObject("values");
        assertThat(moved.getString("due_at")).as("a drag down moves the start later").isGreaterThan(before);

        click(By.id("calendarForm:renewFeed"));
        String feed = wait(By.id("feedUrl")).getText();
        String path = feed.substring(feed.indexOf("/api/v1/public/calendar/") + 1);
        Http anonymous = new Http(URI.create(base.toString()));
        Http.Reply reply = anonymous.get(path);
        assertThat(reply.status()).as("the feed needs no login, only its secret address").isEqualTo(200);
        net.fortuna.ical4j.model.Calendar calendar = new net.fortuna.ical4j.data.CalendarBuilder()
                .build(new StringReader(reply.body()));
        calendar.validate();
        assertThat(reply.body()).contains("SUMMARY:Erstgespräch Cyber-Risiken", "BEGIN:VTODO", "SUMMARY:Angebot Cyber-Police v")
                .doesNotContain("Schadenmeldung");
        assertThat(anonymous.get(path.replace(".ics", "x.ics")).status()).isEqualTo(404);
        click(By.id("calendarForm:revokeFeed"));
        ItServer.patientWait(browser).until(d -> d.findElements(By.cssSelector(".ui-growl-message")).stream()
                .anyMatch(g -> g.getText().contains("no longer works")));
        assertThat(anonymous.get(path).status()).as("a stopped address is unknown").isEqualTo(404);
    }

    @Test
    @Order(6)
    void aQualifiedLeadIsConvertedLinkingTheAccountThatExistsAlready() throws IOException {
        Http asAnna = new Http(URI.create(base.toString())).basic("anna.berger", PASSWORD);
        long existing = ok(asAnna.post("api/v1/records/account", "{\"values\": {\"name\": \"Bergmann Bau\", \"city\": \"Kassel\"}}"))
                .getJsonNumber("id").longValue();
        JsonObject lead = ok(asAnna.get("api/v1/records/lead?q=Bergmann")).getJsonArray("items").getJsonObject(0);
        long leadId = lead.getJsonNumber("id").longValue();
        logIn("anna.berger", "record.xhtml?entity=lead&id=" + leadId);
        click(By.id("recordForm:convertLead"));
        WebElement accounts = wait(By.id("convertForm:account"));
        assertThat(accounts.getText()).as("the similar account is offered first").contains("Bergmann Bau (Kassel)",
                "Create a new account");
        assertThat(browser.findElement(By.cssSelector("[id='convertForm:account'] input[value='" + existing + "']"))
                .isSelected()).isTrue();
        screenshot("lead-conversion");
        click(By.id("convertForm:convert"));
        WebElement result = wait(By.id("convertForm:result"));
        assertThat(result.getText()).contains("Linked: Bergmann Bau", "Created: Bergmann", "Created: Bergmann Bau AG");
        JsonObject converted = ok(asAnna.get("api/v1/records/lead/" + leadId)).getJsonObject("values");
        assertThat(converted.getString("status")).isEqualTo("converted");
        assertThat(converted.getJsonNumber("converted_account").longValue()).isEqualTo(existing);
        assertThat(converted.isNull("converted_contact")).isFalse();
        assertThat(converted.isNull("converted_opportunity")).isFalse();
        click(By.id("convertForm:resultAccount"));
        assertThat(wait(By.cssSelector("section.customer-panel[data-panel='opportunities']")).getText())
                .contains("Bergmann Bau AG");
        assertThat(browser.findElement(By.cssSelector("section.customer-panel[data-panel='facts']")).getText())
                .as("the conversion moved the account on in its lifecycle").contains("Lifecycle stage", "Opportunity");
        browser.get(base + "lifecycle.xhtml");
        WebElement lifecycle = wait(By.cssSelector("section.lifecycle[data-entity='account']"));
        assertThat(lifecycle.findElement(By.cssSelector(".lifecycle-moves tbody tr:last-child")).getText())
                .as("this month's moves").containsPattern("[1-9]");
        screenshot("lifecycle");
    }

    @Test
    @Order(7)
    void aProspectBooksOnThePublicPageAndTheSlotIsGoneForTheNext() throws IOException {
        Http admin = new Http(URI.create(base.toString())).basic("admin", ItServer.ADMIN_PASSWORD);
        JsonObject request = ok(admin.get("api/v1/records/meeting_request?filter=phase:eq:requested")).getJsonArray("items")
                .getJsonObject(0);
        String token = request.getJsonObject("values").getString("booking_token");
        assertThat(token).hasSize(43);
        browser.manage().deleteAllCookies();
        browser.get(base + "book.xhtml?t=" + token);
        WebElement choose = wait(By.id("bookingForm:choose"));
        assertThat(choose.getText()).as("in the request's language").contains("Guten Tag Sophie Wagner");
        screenshot("booking");
        WebElement slot = browser.findElements(By.cssSelector("button.booking-slot")).get(1);
        String start = slot.getAttribute("data-slot");
        slot.click();
        assertThat(wait(By.id("bookingForm:booked")).getText()).contains("Ihr Termin ist gebucht für");
        JsonObject booked = ok(admin.get("api/v1/records/meeting_request/" + request.getJsonNumber("id"))).getJsonObject("values");
        assertThat(booked.getString("phase")).as("moved on by its process").isEqualTo("booked");
        assertThat(java.time.Instant.parse(booked.getString("meeting_at"))).isEqualTo(java.time.Instant.parse(start));
        // the next prospect of the same owner no longer sees that slot; a wrong or used-up link shows nothing
        Http asAnna = new Http(URI.create(base.toString())).basic("anna.berger", PASSWORD);
        String next = ok(asAnna.post("api/v1/records/meeting_request", "{\"values\": {\"name\": \"Max Muster\", "
                + "\"email\": \"max@example.com\", \"language\": \"en\", \"phase\": \"requested\"}}"))
                .getJsonObject("values").getString("booking_token");
        browser.get(base + "book.xhtml?t=" + next);
        wait(By.id("bookingForm:choose"));
        assertThat(browser.findElements(By.cssSelector("button.booking-slot")).stream()
                .map(b -> b.getAttribute("data-slot")).toList()).as("anna's free slots, without the booked one")
                .isNotEmpty().doesNotContain(start);
        browser.get(base + "book.xhtml?t=" + token.substring(1) + "x");
        assertThat(wait(By.id("bookingForm:invalid")).getText()).contains("no longer valid");
    }

    private List<String> panels() {
        return browser.findElements(By.cssSelector("section.customer-panel")).stream()
                .map(e -> e.getAttribute("data-panel")).toList();
    }

    @Test
    @Order(8)
    void aSalesRepsCalendarAppSyncsBothWaysThroughCalDavAndTheirPhoneReadsTheirContactsThroughCardDav() throws Exception {
        Http asAnna = new Http(URI.create(base.toString())).basic("anna.berger", PASSWORD);
        String due = java.time.OffsetDateTime.now(java.time.ZoneOffset.UTC).plusDays(2).withHour(9)
                .truncatedTo(java.time.temporal.ChronoUnit.HOURS).toString();
        long id = ok(asAnna.post("api/v1/records/activity", "{\"values\": {\"subject\": \"Termin aus dem CRM\", \"type\": "
                + "\"meeting\", \"done\": false, \"due_at\": \"" + due + "\"}}")).getJsonNumber("id").longValue();
        String calendar = "api/dav/calendars/anna.berger/activities/";
        Http.Reply crmObject = asAnna.get(calendar + "activity-" + id + ".ics");
        assertThat(crmObject.status()).isEqualTo(200);
        String crmUid = new net.fortuna.ical4j.data.CalendarBuilder().build(new StringReader(crmObject.body()))
                .getComponents().get(0).getProperty("UID").orElseThrow().getValue();

        // an independent CalDAV client finds the calendar from the server's address, creates, reads and moves
        Process client = new ProcessBuilder("/usr/bin/python3", "src/test/resources/dav/caldav_client.py",
                base.toString().replaceAll("/$", ""), "anna.berger", PASSWORD, crmUid).redirectErrorStream(true).start();
        String output = new String(client.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        assertThat(client.waitFor()).as(output).isZero();
        JsonObject seen = Json.createReader(new StringReader(output.lines().reduce((a, b) -> b).orElse("{}"))).readObject();
        assertThat(seen.getJsonArray("calendars").getString(0)).isEqualTo("Relata – Activities");
        assertThat(seen.getJsonArray("event_uids").getValuesAs(jakarta.json.JsonString::getString))
                .contains(crmUid, "it-client-1@python-caldav");
        assertThat(seen.getJsonArray("in_range_uids").getValuesAs(jakarta.json.JsonString::getString))
                .containsExactly("it-client-1@python-caldav");
        assertThat(seen.getString("crm_summary")).isEqualTo("Termin aus dem CRM");
        assertThat(seen.getString("client_summary")).isEqualTo("Made in the calendar app");

        // what the app did is in the CRM: its appointment, and the CRM's one moved by an hour
        JsonObject moved = ok(asAnna.get("api/v1/records/activity/" + id));
        assertThat(moved.getJsonObject("values").getString("subject")).isEqualTo("Moved in the calendar app");
        assertThat(java.time.OffsetDateTime.parse(moved.getJsonObject("values").getString("due_at")))
                .isEqualTo(java.time.OffsetDateTime.parse(due).plusHours(1));
        JsonObject made = ok(asAnna.get("api/v1/records/activity?q=Made%20in%20the%20calendar%20app"))
                .getJsonArray("items").getJsonObject(0);
        assertThat(made.getJsonObject("values").getString("type")).isEqualTo("meeting");

        // conflicts by ETag: a change based on what the app read before the CRM's change is refused
        String stale = "\"a" + id + "-1\"";
        String changed = crmObject.body().replace("SUMMARY:Termin aus dem CRM", "SUMMARY:Stale change");
        Http.Reply refused = asAnna.send("PUT", calendar + "activity-" + id + ".ics", "text/calendar", changed, "If-Match", stale);
        assertThat(refused.status()).as(refused.body()).isEqualTo(412);
        assertThat(refused.body()).contains("read it again");
        String current = asAnna.get(calendar + "activity-" + id + ".ics").header("ETag");
        Http.Reply accepted = asAnna.send("PUT", calendar + "activity-" + id + ".ics", "text/calendar", changed, "If-Match", current);
        assertThat(accepted.status()).isEqualTo(204);
        assertThat(accepted.header("ETag")).isNotEqualTo(current);
        Http.Reply created = asAnna.send("PUT", calendar + "it-client-1%40python-caldav.ics", "text/calendar", changed,
                "If-None-Match", "*");
        assertThat(created.status()).as("If-None-Match: * on an existing object").isEqualTo(412);
        String clientEtag = asAnna.get(calendar + "it-client-1%40python-caldav.ics").header("ETag");
        assertThat(asAnna.send("DELETE", calendar + "it-client-1%40python-caldav.ics", null, null, "If-Match", clientEtag)
                .status()).isEqualTo(204);
        assertThat(ok(asAnna.get("api/v1/records/activity?q=Made%20in%20the%20calendar%20app")).getJsonArray("items")).isEmpty();

        // a colleague reaches neither anna's calendar nor her address book; without credentials, the app is asked
        givePassword("jonas.keller");
        Http asJonas = new Http(URI.create(base.toString())).basic("jonas.keller", PASSWORD);
        assertThat(asJonas.send("PROPFIND", calendar, "application/xml", null, "Depth", "1").status()).isEqualTo(404);
        assertThat(asJonas.get(calendar + "activity-" + id + ".ics").status()).isEqualTo(404);
        Http.Reply anonymous = new Http(URI.create(base.toString())).send("PROPFIND", "api/dav/", "application/xml", null);
        assertThat(anonymous.status()).isEqualTo(401);
        assertThat(anonymous.header("WWW-Authenticate")).startsWith("Basic");
        // a phone need not hold the password: a personal API token is one, for its own user only
        String token = asAnna.post("api/v1/me/tokens", "{\"name\": \"phone\"}").json().getString("token");
        Http phone = new Http(URI.create(base.toString())).basic("anna.berger", token);
        assertThat(phone.send("PROPFIND", calendar, "application/xml", null, "Depth", "0").status()).isEqualTo(207);
        assertThat(new Http(URI.create(base.toString())).basic("jonas.keller", token)
                .send("PROPFIND", "api/dav/", "application/xml", null).status()).isEqualTo(401);

        // CardDAV: the contacts anna owns, as vCard 4, read by ez-vcard; the address book is read-only
        String book = "api/dav/addressbooks/anna.berger/contacts/";
        Http.Reply listing = asAnna.send("PROPFIND", book, "application/xml", "<d:propfind xmlns:d=\"DAV:\"><d:prop>"
                + "<d:getetag/><d:resourcetype/></d:prop></d:propfind>", "Depth", "1");
        assertThat(listing.status()).isEqualTo(207);
        List<String> hrefs = java.util.regex.Pattern.compile("<d:href>([^<]*contact-\\d+\\.vcf)</d:href>").matcher(listing.body())
                .results().map(m -> m.group(1)).toList();
        assertThat(hrefs).hasSizeGreaterThanOrEqualTo(3);
        StringBuilder multiget = new StringBuilder("<card:addressbook-multiget xmlns:d=\"DAV:\" xmlns:card=\"urn:ietf:params:"
                + "xml:ns:carddav\"><d:prop><d:getetag/><card:address-data/></d:prop>");
        hrefs.forEach(href -> multiget.append("<d:href>").append(href).append("</d:href>"));
        Http.Reply cards = asAnna.send("REPORT", book, "application/xml", multiget.append("</card:addressbook-multiget>").toString(),
                "Depth", "1");
        assertThat(cards.status()).isEqualTo(207);
        javax.xml.parsers.DocumentBuilderFactory xml = javax.xml.parsers.DocumentBuilderFactory.newInstance();
        xml.setNamespaceAware(true);
        org.w3c.dom.NodeList data = xml.newDocumentBuilder().parse(new org.xml.sax.InputSource(new StringReader(cards.body())))
                .getElementsByTagNameNS("urn:ietf:params:xml:ns:carddav", "address-data");
        StringBuilder vcards = new StringBuilder();
        for (int i = 0; i < data.getLength(); i++) {
            vcards.append(data.item(i).getTextContent());
        }
        List<ezvcard.VCard> parsed = ezvcard.Ezvcard.parse(vcards.toString()).all();
        assertThat(parsed).hasSize(hrefs.size());
        assertThat(parsed).allMatch(card -> card.getVersion() == ezvcard.VCardVersion.V4_0);
        assertThat(parsed).extracting(card -> card.getFormattedName().getValue()).contains("Anna Müller", "Thomas Schmidt");
        assertThat(asAnna.send("PUT", book + hrefs.get(0).substring(hrefs.get(0).lastIndexOf('/') + 1), "text/vcard", "BEGIN:VCARD\r\nVERSION:4.0\r\nFN:x\r\nEND:VCARD\r\n")
                .status()).isEqualTo(403);
        assertThat(asJonas.send("PROPFIND", book, "application/xml", null, "Depth", "1").status()).isEqualTo(404);
    }

    @Test
    @Order(9)
    void aSalesRepAddsAPhotoToTheCustomerWhichColleaguesMayDownloadButNotChange() throws Exception {
        Http asAnna = new Http(URI.create(base.toString())).basic("anna.berger", PASSWORD);
        String account = ok(asAnna.get("api/v1/records/account?q=" + CUSTOMER.split(" ")[0])).getJsonArray("items")
                .getJsonObject(0).get("id").toString();
        Path photo = SCREENSHOTS.resolve("site-photo.png");
        java.awt.image.BufferedImage image = new java.awt.image.BufferedImage(640, 480, java.awt.image.BufferedImage.TYPE_INT_RGB);
        java.awt.Graphics2D paint = image.createGraphics();
        paint.setColor(new java.awt.Color(79, 70, 229));
        paint.fillRect(0, 0, 640, 240);
        paint.dispose();
        javax.imageio.ImageIO.write(image, "png", photo.toFile());

        logIn("anna.berger", "record.xhtml?entity=account&id=" + account);
        WebElement input = ItServer.patientWait(browser).until(d -> d.findElement(By.cssSelector("#filesForm input[type=file]")));
        input.sendKeys(photo.toAbsolutePath().toString());
        ItServer.patientWait(browser).until(d -> d.findElements(By.cssSelector("#filesForm .file-name")).stream()
                .anyMatch(e -> e.getText().equals("site-photo.png")));
        WebElement thumbnail = wait(By.cssSelector("#filesForm img.file-thumbnail"));
        ItServer.patientWait(browser).until(d -> Boolean.TRUE.equals(((org.openqa.selenium.JavascriptExecutor) d)
                .executeScript("return arguments[0].complete && arguments[0].naturalWidth === 160", thumbnail)));
        ((org.openqa.selenium.JavascriptExecutor) browser).executeScript("arguments[0].scrollIntoView({block: 'center'})",
                browser.findElement(By.id("filesForm")));
        screenshot("files");

        JsonObject listed = ok(asAnna.get("api/v1/records/account/" + account + "/files")).getJsonArray("items").stream()
                .map(JsonValue::asJsonObject).filter(f -> f.getString("name").equals("site-photo.png")).findFirst().orElseThrow();
        assertThat(listed.getString("contentType")).isEqualTo("image/png");
        assertThat(listed.getBoolean("thumbnail")).isTrue();
        String file = "api/v1/files/" + listed.getJsonNumber("id").longValue();
        HttpResponseBytes download = bytes(asAnna, file);
        assertThat(download.status()).isEqualTo(200);
        assertThat(download.body()).isEqualTo(Files.readAllBytes(photo));
        assertThat(download.disposition()).startsWith("attachment");

        // the service agent reads the customer and its files, but may not change them
        givePassword("jonas.keller");
        Http asJonas = new Http(URI.create(base.toString())).basic("jonas.keller", PASSWORD);
        assertThat(bytes(asJonas, file).status()).isEqualTo(200);
        assertThat(asJonas.send("POST", "api/v1/records/account/" + account + "/files?name=mine.txt", "text/plain", "x")
                .status()).isEqualTo(403);
        assertThat(asJonas.send("DELETE", file, null, null).status()).isEqualTo(403);
        assertThat(new Http(URI.create(base.toString())).get(file).status()).isEqualTo(401);
        Http.Reply wrongType = asAnna.send("POST", "api/v1/records/account/" + account + "/files?name=tool.exe",
                "application/octet-stream", "MZ");
        assertThat(wrongType.status()).isEqualTo(415);
        assertThat(wrongType.body()).contains("CRM_FILES_TYPES");

        // the timeline of the customer view shows it; a deleted record takes its files along
        browser.get(base + "customer.xhtml?entity=account&id=" + account);
        ItServer.patientWait(browser).until(d -> d.findElements(By.cssSelector("li.moment-file")).stream()
                .anyMatch(e -> e.getText().contains("File added: site-photo.png")));
        long note = ok(asAnna.post("api/v1/records/activity", "{\"values\": {\"subject\": \"Scan\", \"type\": \"note\", "
                + "\"done\": true}}")).getJsonNumber("id").longValue();
        String scan = ok(asAnna.send("POST", "api/v1/records/activity/" + note + "/files?name=scan.pdf", "application/pdf",
                "%PDF-1.7 scan")).getString("download");
        assertThat(bytes(asAnna, scan).status()).isEqualTo(200);
        assertThat(asAnna.delete("api/v1/records/activity/" + note).status()).isEqualTo(204);
        assertThat(bytes(asAnna, scan).status()).isEqualTo(404);
    }

    @Test
    @Order(10)
    void aSalesRepsMailToACustomerLandsInItsTimelineAndAnUnknownOneIsFiledByHand() throws Exception {
        Http asAnna = new Http(URI.create(base.toString())).basic("anna.berger", PASSWORD);
        String address = ok(asAnna.get("api/v1/me/mail")).getString("address");
        assertThat(address).matches("crm\\+[a-z0-9]{10}@crm\\.example\\.test");

        // anna wrote to her contact with the capture address in BCC; the mail server noted it as Delivered-To
        jakarta.mail.Session session = jakarta.mail.Session.getInstance(new java.util.Properties());
        jakarta.mail.internet.MimeMessage sent = new jakarta.mail.internet.MimeMessage(session);
        sent.setFrom(new jakarta.mail.internet.InternetAddress("anna.berger@relata.example", "Anna Berger"));
        sent.setRecipients(jakarta.mail.Message.RecipientType.TO, "anna.mueller@allsecur.example");
        sent.setSubject("Rahmenvertrag 2027", "UTF-8");
        jakarta.mail.internet.MimeMultipart parts = new jakarta.mail.internet.MimeMultipart();
        jakarta.mail.internet.MimeBodyPart text = new jakarta.mail.internet.MimeBodyPart();
        text.setText("Guten Tag Frau Müller,\nanbei der Entwurf.", "UTF-8");
        parts.addBodyPart(text);
        jakarta.mail.internet.MimeBodyPart draft = new jakarta.mail.internet.MimeBodyPart();
        draft.setDataHandler(new jakarta.activation.DataHandler(new jakarta.mail.util.ByteArrayDataSource(
                "%PDF-1.7 Entwurf".getBytes(java.nio.charset.StandardCharsets.US_ASCII), "application/pdf")));
        draft.setFileName("Entwurf.pdf");
        parts.addBodyPart(draft);
        sent.setContent(parts);
        sent.setHeader("Delivered-To", address);
        sent.saveChanges();
        mailbox.getUserManager().getUser(MAILBOX).deliver(sent);

        JsonObject filed = ItServer.patientWait(browser).until(d -> {
            var items = ok(asAnna.get("api/v1/records/activity?q=Rahmenvertrag%202027")).getJsonArray("items");
            return items.isEmpty() ? null : items.getJsonObject(0);
        });
        assertThat(filed.getJsonObject("values").getString("type")).isEqualTo("email");
        String activity = filed.get("id").toString();
        assertThat(ok(asAnna.get("api/v1/records/activity/" + activity + "/files")).getJsonArray("items").getJsonObject(0)
                .getString("name")).isEqualTo("Entwurf.pdf");

        // a forwarded mail of someone the CRM does not know waits for anna, who files it to a contact
        jakarta.mail.internet.MimeMessage forwarded = new jakarta.mail.internet.MimeMessage(session);
        forwarded.setFrom(new jakarta.mail.internet.InternetAddress("anna.berger@relata.example"));
        forwarded.setRecipients(jakarta.mail.Message.RecipientType.TO, MAILBOX);
        forwarded.setSubject("Fwd: Anfrage Flottenversicherung", "UTF-8");
        forwarded.setText("---------- Weitergeleitete Nachricht ----------\nVon: Kurt Neu <kurt@neu.example>\n\n"
                + "Wir haben 40 Fahrzeuge und suchen eine Flottenversicherung.", "UTF-8");
        forwarded.saveChanges();
        mailbox.getUserManager().getUser(MAILBOX).deliver(forwarded);
        ItServer.patientWait(browser).until(d -> !ok(asAnna.get("api/v1/me/mail")).getJsonArray("waiting").isEmpty());

        logIn("anna.berger", "mail.xhtml");
        assertThat(wait(By.id("captureAddress")).getText()).isEqualTo(address);
        assertThat(wait(By.id("mailCount")).getText()).isEqualTo("1");
        WebElement waiting = wait(By.cssSelector("article.captured-mail"));
        assertThat(waiting.getText()).contains("Fwd: Anfrage Flottenversicherung", "40 Fahrzeuge");
        WebElement contact = waiting.findElement(By.cssSelector("input[id$='contact_input']"));
        contact.sendKeys("Schmidt");
        click(By.cssSelector(".ui-autocomplete-panel .ui-autocomplete-item"));
        screenshot("mail-review");
        click(By.cssSelector("article.captured-mail button[id$='file']"));
        ItServer.patientWait(browser).until(d -> d.findElements(By.cssSelector("#mailForm .ui-messages-info")).stream()
                .anyMatch(m -> m.getText().contains("Filed")));
        assertThat(browser.findElements(By.cssSelector("article.captured-mail"))).isEmpty();
        JsonObject byHand = ok(asAnna.get("api/v1/records/activity?q=Flottenversicherung")).getJsonArray("items").getJsonObject(0);
        String schmidt = ok(asAnna.get("api/v1/records/contact?q=Schmidt")).getJsonArray("items").getJsonObject(0).get("id").toString();
        assertThat(byHand.getJsonObject("values").get("contact").toString()).isEqualTo(schmidt);
    }

    @Test
    @Order(11)
    void aSalesRepUploadsTheSignedContractIntoTheOpportunitysFileField() throws Exception {
        Http asAnna = new Http(URI.create(base.toString())).basic("anna.berger", PASSWORD);
        String account = ok(asAnna.get("api/v1/records/account?q=" + CUSTOMER.split(" ")[0])).getJsonArray("items")
                .getJsonObject(0).get("id").toString();
        long deal = ok(asAnna.post("api/v1/records/opportunity", "{\"values\": {\"name\": \"Cyber-Police 2027\", "
                + "\"account\": " + account + "}}")).getJsonNumber("id").longValue();
        Path contract = SCREENSHOTS.resolve("Vertrag-unterschrieben.pdf");
        Files.writeString(contract, "%PDF-1.7 signed contract");

        logIn("anna.berger", "record.xhtml?entity=opportunity&id=" + deal);
        // "Upload as: Signed contract", and its change event as a user's pick sends it (the widget's selectValue is silent;
        // clicking the opening list's item raced its animation)
        ItServer.patientWait(browser).until(d -> Boolean.TRUE.equals(((org.openqa.selenium.JavascriptExecutor) d)
                .executeScript("return !!(window.PF && PF('filesTarget'))")));
        ((org.openqa.selenium.JavascriptExecutor) browser).executeScript(
                "var target = PF('filesTarget'); target.selectValue('signed_contract'); target.callBehavior('change');");
        ItServer.patientWait(browser).until(d -> d.findElement(By.id("filesForm:target_label")).getText().equals("Signed contract"));
        ItServer.patientWait(browser).until(d -> Boolean.TRUE.equals(((org.openqa.selenium.JavascriptExecutor) d)
                .executeScript("return PrimeFaces.ajax.Queue.isEmpty()"))); // the change request before the upload's own
        browser.findElement(By.cssSelector("#filesForm input[type=file]")).sendKeys(contract.toAbsolutePath().toString());
        WebElement link = ItServer.patientWait(browser).until(d -> d.findElements(By.cssSelector(".file-field-link")).stream()
                .filter(e -> e.getText().contains("Vertrag-unterschrieben.pdf")).findFirst().orElse(null));
        assertThat(link.getAttribute("href")).contains("/api/v1/files/");
        JsonObject values = ok(asAnna.get("api/v1/records/opportunity/" + deal)).getJsonObject("values");
        long file = values.getJsonNumber("signed_contract").longValue();
        assertThat(link.getAttribute("href")).endsWith("/api/v1/files/" + file);
        // pointing the field at a file of another record is refused
        String photo = ok(asAnna.get("api/v1/records/account/" + account + "/files")).getJsonArray("items").getJsonObject(0)
                .get("id").toString();
        Http.Reply refused = asAnna.patch("api/v1/records/opportunity/" + deal, "{\"values\": {\"signed_contract\": " + photo + "}}",
                "\"" + ok(asAnna.get("api/v1/records/opportunity/" + deal)).getJsonNumber("version") + "\"");
        assertThat(refused.status()).as(refused.body()).isEqualTo(422);
        assertThat(refused.body()).contains("not_a_file_of_the_record");
    }

    private record HttpResponseBytes(int status, byte[] body, String disposition) {
    }

    private static HttpResponseBytes bytes(Http as, String path) throws Exception {
        java.net.http.HttpRequest.Builder request = java.net.http.HttpRequest.newBuilder(as.uri(path)).GET();
        as.authorization().ifPresent(value -> request.header("Authorization", value));
        java.net.http.HttpResponse<byte[]> response = java.net.http.HttpClient.newHttpClient().send(request.build(),
                java.net.http.HttpResponse.BodyHandlers.ofByteArray());
        return new HttpResponseBytes(response.statusCode(), response.body(),
                response.headers().firstValue("Content-Disposition").orElse(""));
    }

    private WebElement panel(String name) {
        return browser.findElement(By.cssSelector("section.customer-panel[data-panel='" + name + "']"));
    }

    private String figure(String name) {
        return browser.findElement(By.cssSelector("[data-figure='" + name + "'] .figure-value")).getText();
    }

    private ItPages pages() {
        return new ItPages(browser, base, PASSWORD, SCREENSHOTS);
    }

    private void givePassword(String username) {
        pages().givePassword(username);
    }

    private void logIn(String user, String page) {
        pages().logIn(user, page);
    }

    private WebElement wait(By locator) {
        return pages().waitFor(locator);
    }

    /** An element of a dialog, once the dialog shows (typing into it while it fades in is lost). */
    private WebElement visible(By locator) {
        return pages().visible(locator);
    }

    private void click(By locator) {
        pages().click(locator);
    }

    private void screenshot(String name) throws IOException {
        pages().screenshot(name);
    }

    private static JsonObject ok(Http.Reply reply) {
        return ItPages.ok(reply);
    }
}
