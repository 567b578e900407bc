package io.relata.web.it;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.json.JsonObject;
import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.ShrinkWrap;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The built application deployed on Payara Micro (H2 in memory, shipped metadata and demo data), driven
 * from outside as clients do: the REST API, a metadata reload without restart, and the generated UI in
 * headless Chromium. One class so the server boots once.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class CrmIT {

    private static final Path EXTRA_METADATA = Path.of(System.getProperty("crm.it.dir", "target/it"), "extra-metadata");
    private static final Path SCREENSHOTS = Path.of(System.getProperty("crm.it.screenshots", "target/screenshots"));

    private static WebDriver browser;

    @ArquillianResource
    URL base;

    @Deployment(testable = false)
    static WebArchive deployment() throws SQLException {
        resetPostgresSchema();
        // The real artifact of this build, exactly as the run command deploys it.
        return ShrinkWrap.createFromZipFile(WebArchive.class, new File(System.getProperty("crm.war", "target/relata.war")));
    }

    /**
     * On PostgreSQL the tests get an empty schema of their own, every run. Done here because the deployment
     * method runs after the server has started and before the application creates its tables.
     */
    private static void resetPostgresSchema() throws SQLException {
        String url = System.getProperty("crm.it.db.url", "");
        if (!url.startsWith("jdbc:postgresql:")) {
            return;
        }
        String schema = url.replaceAll(".*currentSchema=([a-z_]+).*", "$1");
        try (Connection connection = DriverManager.getConnection(url.replaceAll("\\?.*", ""), System.getProperty("crm.it.db.user"), "");
             Statement statement = connection.createStatement()) {
            statement.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
            statement.execute("CREATE SCHEMA " + schema);
        }
    }

    @BeforeAll
    static void startBrowser() throws IOException {
        Files.createDirectories(SCREENSHOTS);
        ChromeOptions options = new ChromeOptions();
        options.setBinary(System.getProperty("crm.it.chromium", "/usr/bin/chromium"));
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run",
                "--window-size=1400,1000", "--lang=en-US",
                "--user-data-dir=" + Files.createTempDirectory("chromium-profile"));
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(new File(System.getProperty("crm.it.chromedriver", "/usr/bin/chromedriver")))
                .build();
        browser = new ChromeDriver(service, options);
    }

    @AfterAll
    static void stopBrowser() {
        if (browser != null) {
            browser.quit();
        }
    }

    private Http http() {
        return new Http(URI.create(base.toString()));
    }

    // ---- REST API ----------------------------------------------------------------------------------

    @Test
    void metadataApiListsShippedEntitiesWithFieldsAndReverseLists() {
        JsonObject entities = http().get("api/v1/metadata/entities").json();
        assertThat(entities.getJsonArray("items").stream().map(v -> v.asJsonObject().getString("name")))
                .contains("account", "contact", "lead", "opportunity", "activity");

        JsonObject account = http().get("api/v1/metadata/entities/account").json();
        assertThat(account.getJsonObject("label").getString("de")).isEqualTo("Firma");
        assertThat(account.getJsonArray("fields").stream().map(v -> v.asJsonObject().getString("name"))).contains("name", "industry");
        assertThat(account.getJsonArray("reverseLists").stream().map(v -> v.asJsonObject().getString("entity")))
                .contains("contact", "opportunity", "activity");

        Http.Reply unknown = http().get("api/v1/metadata/entities/nope");
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(unknown.header("Content-Type")).startsWith("application/problem+json");
    }

    @Test
    void recordLifecycleWithOptimisticLocking() {
        Http.Reply created = http().post("api/v1/records/account",
                "{\"values\": {\"name\": \"Lifecycle GmbH\", \"industry\": \"telco\", \"employees\": 12, \"annual_revenue\": 1500.5}}");
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        assertThat(created.header("Location")).contains("/api/v1/records/account/");
        assertThat(created.header("ETag")).isEqualTo("\"1\"");
        long id = created.json().getJsonNumber("id").longValue();
        String path = "api/v1/records/account/" + id;

        JsonObject read = http().get(path).json();
        assertThat(read.getJsonObject("values").getString("industry")).isEqualTo("telco");
        assertThat(read.getJsonObject("values").getJsonNumber("annual_revenue").bigDecimalValue()).isEqualByComparingTo("1500.50");

        Http.Reply patched = http().patch(path, "{\"values\": {\"city\": \"Leipzig\"}}", "\"1\"");
        assertThat(patched.status()).as(patched.toString()).isEqualTo(200);
        assertThat(patched.json().getJsonNumber("version").longValue()).isEqualTo(2);
        assertThat(patched.json().getJsonObject("values").getString("name")).isEqualTo("Lifecycle GmbH");

        Http.Reply stale = http().patch(path, "{\"values\": {\"city\": \"Halle\"}}", "\"1\"");
        assertThat(stale.status()).isEqualTo(412);
        Http.Reply staleInBody = http().patch(path, "{\"version\": 1, \"values\": {\"city\": \"Halle\"}}", null);
        assertThat(staleInBody.status()).isEqualTo(409);
        assertThat(stale.json().getString("detail")).contains("changed by someone else");
        assertThat(http().get(path).json().getJsonObject("values").getString("city")).isEqualTo("Leipzig");

        Http.Reply withoutVersion = http().patch(path, "{\"values\": {\"city\": \"Halle\"}}", null);
        assertThat(withoutVersion.status()).isEqualTo(428);

        Http.Reply replaced = http().put(path, "{\"values\": {\"name\": \"Lifecycle AG\"}}", "\"2\"");
        assertThat(replaced.status()).as(replaced.toString()).isEqualTo(200);
        assertThat(replaced.json().getJsonObject("values").isNull("city")).isTrue();

        assertThat(http().delete(path).status()).isEqualTo(204);
        Http.Reply gone = http().get(path);
        assertThat(gone.status()).isEqualTo(404);
        assertThat(gone.json().getString("type")).endsWith("/not-found");
    }

    @Test
    void invalidValuesAreReportedPerFieldAndNothingIsStored() {
        long before = count("account", "");
        Http.Reply invalid = http().post("api/v1/records/account",
                "{\"values\": {\"industry\": \"shipping\", \"email\": \"not-an-email\", \"employees\": \"many\", \"colour\": \"red\"}}");
        assertThat(invalid.status()).isEqualTo(422);
        assertThat(invalid.header("Content-Type")).startsWith("application/problem+json");
        List<String> fields = invalid.json().getJsonArray("errors").stream().map(v -> v.asJsonObject().getString("field")).toList();
        assertThat(fields).contains("name", "industry", "email", "employees", "colour");
        assertThat(invalid.body()).contains("required", "unknown_option", "invalid_email");
        assertThat(count("account", "")).isEqualTo(before);

        assertThat(http().post("api/v1/records/account", "{not json").status()).isEqualTo(400);
        assertThat(http().post("api/v1/records/account", "{\"name\": \"no values wrapper\"}").status()).isEqualTo(400);
        assertThat(http().get("api/v1/records/account?filter=name:like:x").status()).isEqualTo(400);
        assertThat(http().get("api/v1/records/account?filter=employees:gt:many").status()).isEqualTo(422);
        assertThat(http().get("api/v1/records/nope").status()).isEqualTo(404);
        assertThat(http().get("api/v1/records/account?limit=abc").status()).isEqualTo(400);
        Http.Reply huge = http().post("api/v1/records/account", "{\"values\": {\"name\": 1e999999999, \"employees\": 9223372036854775808}}");
        assertThat(huge.status()).isEqualTo(422);
        assertThat(huge.body()).contains("too_long", "too_many_digits");
    }

    @Test
    void listsFilterSortSearchAndPageWithCursors() {
        for (int i = 0; i < 7; i++) {
            assertThat(http().post("api/v1/records/lead", "{\"values\": {\"last_name\": \"Pager" + i
                    + "\", \"company\": \"Keyset KG\", \"status\": \"" + (i % 2 == 0 ? "new" : "contacted") + "\"}}").status())
                    .isEqualTo(201);
        }
        Set<Long> seen = new HashSet<>();
        List<String> names = new ArrayList<>();
        String cursor = null;
        int pages = 0;
        do {
            JsonObject page = http().get("api/v1/records/lead?q=keyset%20kg&sort=-last_name&limit=3&count=true"
                    + (cursor == null ? "" : "&cursor=" + cursor)).json();
            assertThat(page.getJsonNumber("totalCount").longValue()).isEqualTo(7);
            page.getJsonArray("items").forEach(item -> {
                assertThat(seen.add(item.asJsonObject().getJsonNumber("id").longValue())).isTrue();
                names.add(item.asJsonObject().getJsonObject("values").getString("last_name"));
            });
            cursor = page.isNull("nextCursor") ? null : page.getString("nextCursor");
            pages++;
        } while (cursor != null);
        assertThat(pages).isEqualTo(3);
        assertThat(names).containsExactly("Pager6", "Pager5", "Pager4", "Pager3", "Pager2", "Pager1", "Pager0");

        JsonObject onlyNew = http().get("api/v1/records/lead?filter=company:eq:Keyset%20KG&filter=status:eq:new&count=true").json();
        assertThat(onlyNew.getJsonNumber("totalCount").longValue()).isEqualTo(4);
    }

    @Test
    void deletingARecordOthersReferToIsRefused() {
        long account = http().post("api/v1/records/account", "{\"values\": {\"name\": \"Referenced GmbH\"}}").json()
                .getJsonNumber("id").longValue();
        Http.Reply contact = http().post("api/v1/records/contact",
                "{\"values\": {\"last_name\": \"Bound\", \"account\": " + account + "}}");
        assertThat(contact.status()).as(contact.toString()).isEqualTo(201);
        Http.Reply refused = http().delete("api/v1/records/account/" + account);
        assertThat(refused.status()).isEqualTo(409);
        assertThat(http().get("api/v1/records/account/" + account).status()).isEqualTo(200);

        Http.Reply dangling = http().post("api/v1/records/contact", "{\"values\": {\"last_name\": \"Dangling\", \"account\": 999999}}");
        assertThat(dangling.status()).isEqualTo(422);
        assertThat(dangling.body()).contains("reference_not_found");
    }

    @Test
    void healthOpenApiAndErrorPagesRevealNoInternals() {
        URI root = URI.create(base.getProtocol() + "://" + base.getHost() + ":" + base.getPort() + "/");
        Http server = new Http(root);
        assertThat(server.get("health/ready").body()).contains("\"status\":\"UP\"");
        assertThat(server.get("openapi").body()).contains("/api/v1/records/{entity}");

        Http.Reply missingPage = http().get("list.xhtml?entity=nope");
        assertThat(missingPage.status()).isEqualTo(404);
        assertThat(missingPage.body()).doesNotContain("Exception", "at io.relata", "Payara");
        Http.Reply missingRecord = http().get("record.xhtml?entity=account&id=987654");
        assertThat(missingRecord.status()).isEqualTo(404);
    }

    // ---- metadata reload ---------------------------------------------------------------------------

    @Test
    void reloadAddsAnEntityWithoutRestartAndRejectsBrokenMetadata() throws IOException {
        Path entities = Files.createDirectories(EXTRA_METADATA.resolve("entities"));
        Path project = entities.resolve("project.yaml");
        Path broken = entities.resolve("broken.yaml");
        try {
            Files.writeString(project, """
                    name: project
                    label: {de: Projekt, en: Project}
                    pluralLabel: {de: Projekte, en: Projects}
                    fields:
                      title: {type: text, label: {de: Titel, en: Title}, required: true, listed: true, searchable: true}
                      budget: {type: money, label: {de: Budget, en: Budget}, listed: true}
                      account:
                        type: reference
                        entity: account
                        label: {de: Firma, en: Account}
                        reverse: {name: projects, label: {de: Projekte, en: Projects}}
                    """);
            Http.Reply reloaded = http().post("api/v1/admin/metadata/reload", "");
            assertThat(reloaded.status()).as(reloaded.toString()).isEqualTo(200);
            assertThat(reloaded.body()).contains("rec_project");
            String revision = reloaded.json().getString("revision");

            Http.Reply created = http().post("api/v1/records/project", "{\"values\": {\"title\": \"Rollout\", \"budget\": 25000}}");
            assertThat(created.status()).as(created.toString()).isEqualTo(201);
            assertThat(http().get("list.xhtml?entity=project").body()).contains("Rollout");
            assertThat(http().get("api/v1/admin/schema/plan").json().getJsonArray("changes")).isEmpty();

            Files.writeString(broken, """
                    name: broken
                    label: {de: Kaputt, en: Broken}
                    label: {de: Doppelt, en: Twice}
                    pluralLabel: {de: Kaputte, en: Broken ones}
                    fields:
                      title: {type: txt, label: {en: Title}}
                    """);
            Http.Reply rejected = http().post("api/v1/admin/metadata/reload", "");
            assertThat(rejected.status()).isEqualTo(422);
            JsonObject firstProblem = rejected.json().getJsonArray("problems").getJsonObject(0);
            assertThat(firstProblem.getString("file")).endsWith("entities/broken.yaml");
            assertThat(firstProblem.getInt("line")).isEqualTo(3);
            assertThat(firstProblem.getInt("column")).isEqualTo(1);
            assertThat(rejected.body()).contains("DUPLICATE_KEY", "UNKNOWN_FIELD_TYPE");

            assertThat(http().get("api/v1/metadata/entities").json().getString("revision")).isEqualTo(revision);
            assertThat(http().get("api/v1/records/project").status()).isEqualTo(200);
        } finally {
            Files.deleteIfExists(broken);
            Files.deleteIfExists(project); // the PostgreSQL run starts from the same directory
        }
    }

    // ---- generated UI ------------------------------------------------------------------------------

    @Test
    void userCreatesFindsAndEditsAContactThroughTheGeneratedUi() throws IOException {
        WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(20));
        browser.get(base + "list.xhtml?entity=contact");
        assertThat(browser.findElement(By.tagName("h1")).getText()).isEqualTo("Contacts");
        browser.findElement(By.id("newRecord")).click();

        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("recordForm:f_last_name")));
        browser.findElement(By.id("recordForm:f_first_name")).sendKeys("Greta");
        browser.findElement(By.id("recordForm:f_last_name")).sendKeys("Zauberfeld");
        browser.findElement(By.id("recordForm:f_email")).sendKeys("greta.zauberfeld@example.org");
        WebElement accountInput = browser.findElement(By.id("recordForm:f_account_input"));
        accountInput.sendKeys("Allsecur");
        WebElement suggestion = wait.until(ExpectedConditions.elementToBeClickable(
                By.cssSelector("#recordForm\\:f_account_panel li.ui-autocomplete-item")));
        assertThat(suggestion.getText()).contains("Allsecur Versicherung AG");
        suggestion.click();
        screenshot("contact-form");
        browser.findElement(By.id("recordForm:save")).click();

        wait.until(ExpectedConditions.textToBe(By.id("recordTitle"), "Zauberfeld"));
        assertThat(browser.getCurrentUrl()).contains("id=");
        assertThat(browser.findElement(By.id("recordForm:f_account_input")).getAttribute("value")).isEqualTo("Allsecur Versicherung AG");

        browser.get(base + "list.xhtml?entity=contact");
        WebElement search = wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("listForm:records:globalFilter")));
        search.sendKeys("zauber");
        wait.until(ExpectedConditions.numberOfElementsToBe(By.cssSelector("#listForm\\:records_data tr"), 1));
        WebElement row = browser.findElement(By.cssSelector("#listForm\\:records_data tr"));
        assertThat(row.getText()).contains("Greta", "Zauberfeld", "Allsecur Versicherung AG");
        screenshot("contact-list-search");
        row.findElement(By.cssSelector("a.record-link")).click();

        WebElement position = wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("recordForm:f_position")));
        position.sendKeys("Einkauf");
        browser.findElement(By.id("recordForm:save")).click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("growl_container"), "Saved"));
        assertThat(browser.findElement(By.id("recordForm:f_position")).getAttribute("value")).isEqualTo("Einkauf");

        WebElement email = browser.findElement(By.id("recordForm:f_email"));
        email.clear();
        email.sendKeys("not an e-mail");
        browser.findElement(By.id("recordForm:save")).click();
        WebElement error = wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("recordForm:e_email")));
        assertThat(error.getText()).containsIgnoringCase("email address");
        screenshot("contact-validation-error");
        JsonObject stored = http().get("api/v1/records/contact?filter=last_name:eq:Zauberfeld").json()
                .getJsonArray("items").getJsonObject(0).getJsonObject("values");
        assertThat(stored.getString("email")).isEqualTo("greta.zauberfeld@example.org");
        assertThat(stored.getString("position")).isEqualTo("Einkauf");

        browser.get(base + "record.xhtml?entity=account&id=" + stored.getJsonNumber("account").longValue());
        assertThat(browser.findElement(By.tagName("body")).getText()).contains("Contacts", "Zauberfeld");
    }

    @Test
    void switchingLanguageKeepsTheUserOnTheSameRecord() {
        WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(20));
        browser.get(base + "record.xhtml?entity=account&id=1");
        String title = browser.findElement(By.id("recordTitle")).getText();
        browser.findElement(By.linkText("DE")).click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.tagName("nav"), "Firmen"));
        assertThat(browser.findElement(By.tagName("nav")).getText()).contains("Verkaufschancen", "Ansprechpartner");
        assertThat(browser.findElement(By.id("recordTitle")).getText()).isEqualTo(title);
        assertThat(browser.findElement(By.id("recordForm:save")).getText()).isEqualTo("Speichern");
        browser.get(base + "list.xhtml?entity=contact");
        browser.findElement(By.linkText("EN")).click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.tagName("h1"), "Contacts"));
    }

    private long count(String entity, String query) {
        return http().get("api/v1/records/" + entity + "?count=true&limit=1" + query).json().getJsonNumber("totalCount").longValue();
    }

    private static void screenshot(String name) throws IOException {
        File file = ((TakesScreenshot) browser).getScreenshotAs(OutputType.FILE);
        Files.copy(file.toPath(), SCREENSHOTS.resolve(name + ".png"), StandardCopyOption.REPLACE_EXISTING);
    }
}
