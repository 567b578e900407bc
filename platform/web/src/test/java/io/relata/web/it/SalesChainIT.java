package io.relata.web.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import com.sun.net.httpserver.HttpServer;
import jakarta.json.JsonObject;
import jakarta.mail.Multipart;
import jakarta.mail.internet.MimeMessage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URL;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.time.LocalDate;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.text.PDFTextStripper;
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
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;

/**
 * The sales chain end to end on the demo data, in headless Chromium and over the API: a rep's quote with three lines
 * and a discount above the limit cannot go out before sales management approved it (a to-do for the manager); the
 * PDF reads as the quote (text extracted with PDFBox); sent from the quote page it reaches the mail server (GreenMail)
 * with the PDF attached; accepted, it becomes an order whose credit check passes and whose hand-over reaches the ERP
 * (a local HTTP server) and comes back confirmed; a contract from the order comes up for renewal when the platform
 * clock is moved on (to-do and mail to the owner), and "Renew" makes the renewal quote with the contract's lines.
 * Every step a user takes is taken in the browser (quote, lines, moves, sending, contract, Renew); the API checks what
 * came of it.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class SalesChainIT {

    private static final Path SCREENSHOTS = Path.of(System.getProperty("crm.it.screenshots", "target/screenshots"));
    private static final String PASSWORD = "amber-orchard-lighthouse-2026";
    private static final int SMTP_PORT = Integer.getInteger("crm.it.smtp.port", 25525);
    private static final int ERP_PORT = Integer.getInteger("crm.it.erp.port", 25180);

    private static WebDriver browser;
    private static GreenMail mail;
    private static HttpServer erp;
    private static final List<String> erpOrders = new CopyOnWriteArrayList<>();

    @org.junit.jupiter.api.extension.RegisterExtension
    static final org.junit.jupiter.api.extension.TestWatcher SCREENSHOT_ON_FAILURE = ItServer.screenshotOnFailure(() -> browser,
            SCREENSHOTS);

    @ArquillianResource
    URL base;

    private ItPages pages;

    @Deployment(testable = false)
    static WebArchive deployment() throws SQLException {
        return ItServer.deployment();
    }

    @BeforeAll
    static void start() throws IOException {
        Files.createDirectories(SCREENSHOTS);
        browser = ItServer.browser();
        mail = new GreenMail(new ServerSetup(SMTP_PORT, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
        mail.start();
        // the ERP the server hands orders to (arquillian.xml: crm.integration.erp_orders.url)
        erp = HttpServer.create(new InetSocketAddress("127.0.0.1", ERP_PORT), 0);
        erp.createContext("/erp/orders", exchange -> {
            erpOrders.add(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            byte[] answer = ("{\"order_number\": \"SAP-" + (90000 + erpOrders.size()) + "\", \"status\": \"created\"}")
                    .getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, answer.length);
            exchange.getResponseBody().write(answer);
            exchange.close();
        });
        erp.start();
    }

    @AfterAll
    static void stop() {
        if (browser != null) {
            browser.quit();
        }
        if (mail != null) {
            mail.stop();
        }
        if (erp != null) {
            erp.stop(0);
        }
    }

    @Test
    void fromTheQuoteThroughApprovalMailOrderAndErpToTheContractsRenewal() throws Exception {
        pages = new ItPages(browser, base, PASSWORD, SCREENSHOTS);
        Http admin = new Http(URI.create(base.toString())).basic("admin", ItServer.ADMIN_PASSWORD);
        pages.givePassword("anna.berger");
        ok(admin.post("api/v1/admin/users", "{\"username\": \"mara.chef\", \"displayName\": \"Mara Chef\", \"email\":"
                + " \"mara.chef@relata.example\", \"password\": \"" + PASSWORD + "\", \"roles\": [\"sales_manager\"]}"));
        Http anna = new Http(URI.create(base.toString())).basic("anna.berger", PASSWORD);

        // the quote of the demo's CNC maintenance deal, made on its page ("New" in its Quotes), with three lines made
        // on the quote's page: 15 % on consulting is above the limit
        JsonObject opportunity = first(anna, "opportunity", "name:eq:Wartungsvertrag CNC");
        logIn("anna.berger", "record.xhtml?entity=opportunity&id=" + opportunity.getInt("id"));
        click(By.cssSelector("section.related[data-entity='quote'] a.related-new"));
        wait(By.id("recordForm:f_name")).sendKeys("Wartung und Schulung 2027");
        pick("f_contact", "Wagner", "Michael Wagner");
        click(By.id("recordForm:save"));
        wait(By.id("quoteForm:quotePdf"));
        long quote = Long.parseLong(browser.getCurrentUrl().replaceAll(".*[?&]id=(\\d+).*", "$1"));
        line(quote, "Premium-Support", "12", "0");
        line(quote, "Beratungstag", "3", "15");
        line(quote, "Schulung (Tagesseminar)", "2", "0");
        screenshot("quote-lines");
        JsonObject values = ok(anna.get("api/v1/records/quote/" + quote)).getJsonObject("values");
        assertThat(values.getJsonNumber("net_total").bigDecimalValue()).as("10,680 + 3,187.50 + 3,800")
                .isEqualByComparingTo("17667.50");
        assertThat(values.getBoolean("needs_approval")).isTrue();
        String number = values.getString("number");
        assertThat(number).matches("Q-\\d{4}-\\d{5}");

        // no sending before the approval, in the API as in the page
        Http.Reply refused = anna.post("api/v1/quotes/" + quote + "/send", "{\"version\": "
                + ok(anna.get("api/v1/records/quote/" + quote)).getInt("version") + "}");
        assertThat(refused.status()).isEqualTo(422);
        assertThat(refused.body()).contains("A discount above 10 % needs the approval of sales management");
        logIn("anna.berger", "record.xhtml?entity=quote&id=" + quote);
        assertThat(browser.findElements(By.id("quoteForm:quoteSend"))).as("offered: the page checks on sending").isNotEmpty();
        move("in_approval");
        assertThat(currentPhase()).isEqualTo("In approval");
        Http mara = new Http(URI.create(base.toString())).basic("mara.chef", PASSWORD);
        assertThat(ok(mara.get("api/v1/records/activity?filter=" + enc("subject:contains:" + number)))
                .getJsonArray("items")).extracting(v -> v.asJsonObject().getJsonObject("values").getString("subject"))
                .containsExactly("Approve the discount: " + number + " Wartung und Schulung 2027");

        logIn("mara.chef", "record.xhtml?entity=quote&id=" + quote);
        click(By.cssSelector("#phaseForm button[data-phase='approved']"));
        visible(By.cssSelector("#moveForm .move-field[data-field='approval_note'] input")).sendKeys("Strategischer Kunde");
        click(By.id("moveForm:confirmMove"));
        ItServer.awaitAjaxIdle(browser);
        assertThat(currentPhase()).isEqualTo("Approved");

        // the PDF, as the rep downloads it
        logIn("anna.berger", "record.xhtml?entity=quote&id=" + quote);
        WebElement pdfLink = wait(By.cssSelector("#quoteForm a[href$='/api/v1/quotes/" + quote + "/pdf']"));
        String pdf = pdfText(download("anna.berger", pdfLink.getAttribute("href")));
        assertThat(pdf).contains("Relata Demo GmbH", "Angebot " + number, "Wartung und Schulung 2027",
                "Rhein Metallbau GmbH & Co. KG", "Michael Wagner", "Premium-Support", "Beratungstag", "Schulung (Tagesseminar)",
                "3.187,50", "17.667,50", "Bruttosumme", "21.024,33 EUR", "Seite 1 von 1");

        // sent from the page: the mail with the PDF reaches the mail server, the quote is frozen
        click(By.id("quoteForm:quoteSend"));
        WebElement subject = visible(By.id("quoteSendForm:quoteSubject"));
        assertThat(browser.findElement(By.id("quoteSendForm:quoteTo")).getAttribute("value"))
                .isEqualTo("m.wagner@rhein-metallbau.example");
        assertThat(subject.getAttribute("value")).isEqualTo("Angebot " + number + ": Wartung und Schulung 2027");
        screenshot("quote-send");
        click(By.id("quoteSendForm:quoteSendNow"));
        assertThat(wait(By.cssSelector(".ui-messages-info")).getText()).contains("The quote went to m.wagner@rhein-metallbau.example");
        assertThat(currentPhase()).isEqualTo("Sent");
        MimeMessage sent = awaitMail("m.wagner@rhein-metallbau.example", "Angebot " + number);
        assertThat(sent.getSubject()).isEqualTo("Angebot " + number + ": Wartung und Schulung 2027");
        Multipart parts = (Multipart) sent.getContent();
        assertThat(parts.getBodyPart(1).getFileName()).isEqualTo(number + ".pdf");
        ByteArrayOutputStream attached = new ByteArrayOutputStream();
        parts.getBodyPart(1).getInputStream().transferTo(attached);
        assertThat(pdfText(attached.toByteArray())).contains("Angebot " + number, "21.024,33 EUR");
        screenshot("quote-sent");

        // accepted: the order, its credit check and the ERP's confirmation
        move("accepted");
        assertThat(currentPhase()).isEqualTo("Accepted");
        JsonObject order = awaitRecord(anna, "sales_order", "quote:eq:" + quote, "status", "confirmed");
        assertThat(order.getJsonObject("values").getString("credit_decision")).isEqualTo("approved");
        assertThat(order.getJsonObject("values").getString("erp_order_number")).startsWith("SAP-");
        assertThat(erpOrders).anySatisfy(body -> assertThat(body).contains("\"product_code\":\"SVC-DAY\"",
                "\"number\":\"" + order.getJsonObject("values").getString("number") + "\""));

        // the contract, made on the order's page ("New" in its Contracts: today, 12 months, 90 days' notice), its
        // renewal when the time comes (the platform clock moved on), and Renew
        browser.get(base + "record.xhtml?entity=sales_order&id=" + order.getInt("id"));
        click(By.cssSelector("section.related[data-entity='contract'] a.related-new"));
        wait(By.id("recordForm:f_name")).sendKeys("Wartung Rhein Metallbau");
        click(By.id("recordForm:save"));
        ItServer.patientWait(browser).until(d -> d.getCurrentUrl().matches(".*entity=contract.*[?&]id=\\d+.*")
                || d.getCurrentUrl().matches(".*[?&]id=\\d+.*entity=contract.*"));
        long contract = Long.parseLong(browser.getCurrentUrl().replaceAll(".*[?&]id=(\\d+).*", "$1"));
        JsonObject terms = ok(anna.get("api/v1/records/contract/" + contract)).getJsonObject("values");
        assertThat(terms.getString("status")).isEqualTo("active");
        assertThat(terms.getString("end_date")).as("a year from its start (today, by default)")
                .isEqualTo(LocalDate.parse(terms.getString("start_date")).plusYears(1).minusDays(1).toString());
        String contractNumber = terms.getString("number");
        // 30 days before the notice deadline (end less 90 days) lies some 245 days ahead
        ok(admin.post("api/v1/admin/clock/advance", "{\"by\": \"P250D\"}"));
        awaitRecord(anna, "contract", "id:eq:" + contract, "status", "renewal_due");
        assertThat(ok(anna.get("api/v1/records/activity?filter=" + enc("subject:contains:" + contractNumber)))
                .getJsonArray("items")).extracting(v -> v.asJsonObject().getJsonObject("values").getString("subject"))
                .singleElement().asString().startsWith("Discuss the renewal: " + contractNumber + " Wartung Rhein Metallbau");
        assertThat(awaitMail("anna.berger@relata.example", "Up for renewal: " + contractNumber).getSubject())
                .as("the demo's own contract is up for renewal too").isEqualTo("Up for renewal: " + contractNumber
                        + " Wartung Rhein Metallbau");

        logIn("anna.berger", "record.xhtml?entity=contract&id=" + contract);
        click(By.id("contractForm:contractRenew"));
        wait(By.id("quoteForm:quotePdf"));
        assertThat(browser.getCurrentUrl()).contains("entity=quote");
        long renewalQuote = Long.parseLong(browser.getCurrentUrl().replaceAll(".*[?&]id=(\\d+).*", "$1"));
        assertThat(ok(anna.get("api/v1/records/quote_line?filter=" + enc("quote:eq:" + renewalQuote)))
                .getJsonArray("items")).as("the contract's three lines").hasSize(3);
        assertThat(ok(anna.get("api/v1/records/contract/" + contract)).getJsonObject("values").getString("status"))
                .isEqualTo("renewed");

        logIn("anna.berger", "forecast.xhtml?measure=pipeline&months=6");
        wait(By.id("forecastTable"));
        screenshot("forecast");
    }

    // ---- helpers ----

    /** A line made as a user makes it: "New" in the quote's Lines, the product picked, quantity and discount typed. */
    private void line(long quote, String product, String quantity, String discount) {
        click(By.cssSelector("section.related[data-entity='quote_line'] a.related-new"));
        pick("f_product", product.substring(0, 6), product);
        type(By.id("recordForm:f_quantity_input"), quantity);
        type(By.id("recordForm:f_discount_percent_input"), discount);
        click(By.id("recordForm:save"));
        ItServer.patientWait(browser).until(d -> d.getCurrentUrl().matches(".*entity=quote_line.*[?&]id=\\d+.*")
                || d.getCurrentUrl().matches(".*[?&]id=\\d+.*entity=quote_line.*"));
        browser.get(base + "record.xhtml?entity=quote&id=" + quote);
        wait(By.id("quoteForm:quotePdf"));
    }

    /** Replaces what a number input holds (its formatting keeps a plain clear() from emptying it). */
    private void type(By input, String value) {
        WebElement element = wait(input);
        element.click();
        element.sendKeys(org.openqa.selenium.Keys.chord(org.openqa.selenium.Keys.CONTROL, "a"));
        element.sendKeys(org.openqa.selenium.Keys.DELETE);
        element.sendKeys(value);
    }

    /** Types into a reference field's picker and chooses the suggestion {@code choice}. */
    private void pick(String field, String typed, String choice) {
        wait(By.id("recordForm:" + field + "_input")).sendKeys(typed);
        WebElement suggestion = ItServer.patientWait(browser).until(d -> d.findElements(By.cssSelector("#recordForm\\:"
                + field + "_panel li.ui-autocomplete-item")).stream().filter(e -> e.isDisplayed()
                && e.getText().contains(choice)).findFirst().orElse(null));
        suggestion.click();
        ItServer.awaitAjaxIdle(browser);
    }

    private JsonObject first(Http http, String entity, String filter) {
        return ok(http.get("api/v1/records/" + entity + "?filter=" + enc(filter))).getJsonArray("items").get(0).asJsonObject();
    }

    /**
     * The shipped sales dashboard in the browser: it renders its charts (screenshot), and a click on a bar of the funnel
     * opens the list of exactly the records behind it (as many as the API counts with the bar's filters, their amounts
     * adding up to the bar). Over the API: a role sees only its dashboards, a figure counts only its rows, the CSV holds
     * the figures, pins come first.
     */
    @Test
    void theSalesDashboardsFunnelBarOpensTheListOfItsRecords() throws Exception {
        pages = new ItPages(browser, base, PASSWORD, SCREENSHOTS);
        pages.givePassword("anna.berger");
        pages.givePassword("jonas.keller");
        Http anna = new Http(URI.create(base.toString())).basic("anna.berger", PASSWORD);
        Http jonas = new Http(URI.create(base.toString())).basic("jonas.keller", PASSWORD);
        Http admin = new Http(URI.create(base.toString())).basic("admin", ItServer.ADMIN_PASSWORD);

        assertThat(ItPages.okArray(anna.get("api/v1/dashboards"))).extracting(d -> d.asJsonObject().getString("name"))
                .containsExactly("sales");
        assertThat(jonas.get("api/v1/dashboards/sales").status()).as("not for service").isEqualTo(404);
        assertThat(anna.send("PUT", "api/v1/dashboards/management/pin", null, null).status()).isEqualTo(404);
        assertThat(admin.send("PUT", "api/v1/dashboards/service/pin", null, null).status()).isEqualTo(204);
        assertThat(ItPages.okArray(admin.get("api/v1/dashboards")).get(0).asJsonObject().getString("name"))
                .as("pinned first").isEqualTo("service");

        JsonObject funnel = ok(anna.get("api/v1/dashboards/sales/widgets/funnel"));
        assertThat(funnel.getJsonArray("categories")).extracting(c -> c.asJsonObject().getString("label"))
                .containsExactly("Qualification", "Needs analysis", "Proposal", "Negotiation");
        JsonObject everyone = ok(admin.get("api/v1/dashboards/sales/widgets/funnel"));
        assertThat(everyone.getJsonObject("total").getJsonNumber("value").bigDecimalValue())
                .as("the admin's funnel holds Lukas Brandt's deals too, which Anna's team may not read")
                .isGreaterThan(funnel.getJsonObject("total").getJsonNumber("value").bigDecimalValue());
        String csv = anna.get("api/v1/dashboards/sales/widgets/funnel/csv").body();
        assertThat(csv.lines().toList()).hasSize(5).first().asString().startsWith("Phase,");
        assertThat(csv).contains("Proposal,");

        // the bar of the first phase with deals, clicked in the chart
        var cells = funnel.getJsonArray("series").getJsonObject(0).getJsonArray("cells");
        int bar = 0;
        while (cells.getJsonObject(bar).isNull("value")) {
            bar++;
        }
        JsonObject cell = cells.getJsonObject(bar);
        StringBuilder filters = new StringBuilder();
        cell.getJsonArray("filters").forEach(f -> filters.append("&filter=").append(enc(((jakarta.json.JsonString) f).getString())));
        JsonObject behind = ok(anna.get("api/v1/records/opportunity?count=true&limit=1000" + filters));
        java.math.BigDecimal sum = behind.getJsonArray("items").stream()
                .map(i -> i.asJsonObject().getJsonObject("values").getJsonNumber("amount").bigDecimalValue())
                .reduce(java.math.BigDecimal.ZERO, java.math.BigDecimal::add);
        assertThat(sum).isEqualByComparingTo(cell.getJsonNumber("value").bigDecimalValue());

        logIn("anna.berger", "dashboard.xhtml?name=sales");
        WebElement canvas = wait(By.cssSelector("section[data-widget='funnel'] canvas"));
        wait(By.cssSelector("section[data-widget='won_per_month'] canvas"));
        @SuppressWarnings("unchecked")
        List<Number> centre = (List<Number>) ((org.openqa.selenium.JavascriptExecutor) browser).executeScript(
                "var chart = Chart.getChart(arguments[0]); var bar = chart.getDatasetMeta(0).data[arguments[1]];"
                        + " return [(bar.x + bar.base) / 2 - arguments[0].clientWidth / 2, bar.y - arguments[0].clientHeight / 2];",
                canvas, bar);
        screenshot("dashboard-sales");
        new org.openqa.selenium.interactions.Actions(browser)
                .moveToElement(canvas, centre.get(0).intValue(), centre.get(1).intValue()).click().perform();
        WebElement count = wait(By.id("listForm:recordCount"));
        assertThat(browser.getCurrentUrl()).contains("list.xhtml?entity=opportunity");
        assertThat(count.getText()).startsWith(behind.getInt("totalCount") + " record");
        screenshot("dashboard-funnel-drill-down");
    }

    /** The record of {@code entity} matching {@code filter}, once its {@code field} is {@code value} (the outbox and timers run every few seconds). */
    private JsonObject awaitRecord(Http http, String entity, String filter, String field, String value) throws InterruptedException {
        JsonObject last = null;
        for (int i = 0; i < 240; i++) {
            var items = ok(http.get("api/v1/records/" + entity + "?filter=" + enc(filter))).getJsonArray("items");
            if (!items.isEmpty()) {
                last = items.get(0).asJsonObject();
                if (value.equals(last.getJsonObject("values").get(field) instanceof jakarta.json.JsonString s ? s.getString() : null)) {
                    return last;
                }
            }
            Thread.sleep(500);
        }
        throw new AssertionError(entity + " " + filter + " never reached " + field + " = " + value + ": " + last);
    }

    /** The first mail to {@code to} whose subject starts with {@code subject} (others, e.g. of the demo, are there too). */
    private MimeMessage awaitMail(String to, String subject) throws Exception {
        for (int i = 0; i < 240; i++) {
            for (MimeMessage message : mail.getReceivedMessages()) {
                if (java.util.Arrays.stream(message.getAllRecipients()).anyMatch(a -> a.toString().equals(to))
                        && message.getSubject() != null && message.getSubject().startsWith(subject)) {
                    return message;
                }
            }
            Thread.sleep(500);
        }
        throw new AssertionError("no mail to " + to + " about " + subject);
    }

    private byte[] download(String user, String href) throws Exception {
        HttpResponse<byte[]> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(href))
                .header("Authorization", "Basic " + Base64.getEncoder().encodeToString((user + ":" + PASSWORD)
                        .getBytes(StandardCharsets.UTF_8))).timeout(Duration.ofSeconds(60)).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type").orElse("")).startsWith("application/pdf");
        return response.body();
    }

    private static String pdfText(byte[] pdf) throws IOException {
        try (PDDocument document = Loader.loadPDF(pdf)) {
            return new PDFTextStripper().getText(document);
        }
    }

    private void move(String phase) {
        click(By.cssSelector("#phaseForm button[data-phase='" + phase + "']"));
        ItServer.awaitAjaxIdle(browser);
    }

    private String currentPhase() {
        return wait(By.cssSelector("#phaseForm\\:phaseBar .phase-current .phase-label")).getText();
    }

    private static String enc(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    private WebElement wait(By locator) {
        return pages.waitFor(locator);
    }

    private WebElement visible(By locator) {
        return pages.visible(locator);
    }

    private void click(By locator) {
        pages.click(locator);
    }

    private void logIn(String user, String page) {
        pages.logIn(user, page);
    }

    private void screenshot(String name) throws IOException {
        pages.screenshot(name);
    }

    private static JsonObject ok(Http.Reply reply) {
        return ItPages.ok(reply);
    }
}
