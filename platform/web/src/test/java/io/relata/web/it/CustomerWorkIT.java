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
import java.nio.file.StandardCopyOption;
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
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
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
    }

    @AfterAll
    static void stopBrowser() {
        if (browser != null) {
            browser.quit();
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
        assertThat(panels()).containsExactly("facts", "sales_figures", "open_todos", "contacts", "opportunities",
                "contact_activities", "timeline");
        assertThat(figure("open_pipeline")).as("negotiation 185,000 + proposal 58,000").isEqualTo("€243,000.00");
        assertThat(figure("won_revenue")).isEqualTo("€162,000.00");
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
        assertThat(figure("open_tickets")).isEqualTo("1");
        assertThat(figure("tickets_total")).isEqualTo("2");
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

    private List<String> panels() {
        return browser.findElements(By.cssSelector("section.customer-panel")).stream()
                .map(e -> e.getAttribute("data-panel")).toList();
    }

    private WebElement panel(String name) {
        return browser.findElement(By.cssSelector("section.customer-panel[data-panel='" + name + "']"));
    }

    private String figure(String name) {
        return browser.findElement(By.cssSelector("[data-figure='" + name + "'] .figure-value")).getText();
    }

    private void givePassword(String username) {
        Http admin = new Http(URI.create(base.toString())).basic("admin", ItServer.ADMIN_PASSWORD);
        long id = ok(admin.get("api/v1/admin/users")).getJsonArray("items").stream().map(JsonValue::asJsonObject)
                .filter(u -> u.getString("username").equals(username)).findFirst().orElseThrow()
                .getJsonNumber("id").longValue();
        ok(admin.post("api/v1/admin/users/" + id + "/password", "{\"password\": \"" + PASSWORD + "\"}"));
    }

    private void logIn(String user, String page) {
        browser.manage().deleteAllCookies();
        browser.get(base + page);
        wait(By.id("loginForm:username")).sendKeys(user);
        browser.findElement(By.id("loginForm:password")).sendKeys(PASSWORD);
        browser.findElement(By.id("loginForm:login")).click();
        wait(By.id("userForm:account"));
    }

    private WebElement wait(By locator) {
        return ItServer.patientWait(browser).until(d -> d.findElement(locator));
    }

    private void click(By locator) {
        ItServer.patientWait(browser).until(d -> {
            d.findElement(locator).click();
            return true;
        });
    }

    private void screenshot(String name) throws IOException {
        File shot = ((TakesScreenshot) browser).getScreenshotAs(OutputType.FILE);
        Files.copy(shot.toPath(), SCREENSHOTS.resolve(name + ".png"), StandardCopyOption.REPLACE_EXISTING);
    }

    private static JsonObject ok(Http.Reply reply) {
        assertThat(reply.status()).as(reply.body()).isBetween(200, 299);
        return Json.createReader(new StringReader(reply.body())).readObject();
    }
}
