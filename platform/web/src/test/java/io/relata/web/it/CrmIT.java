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
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
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
import org.openqa.selenium.Dimension;
import org.openqa.selenium.Keys;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
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

    private static final String ADMIN_PASSWORD = ItServer.ADMIN_PASSWORD;

    /** The administrator, over HTTP Basic. */
    private Http http() {
        return anonymous().basic("admin", ADMIN_PASSWORD);
    }

    private Http anonymous() {
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
    void valuesOutsideAFieldsLimitsAreRefusedAndTheMetadataApiNamesTheLimits() {
        JsonObject probability = field(http().get("api/v1/metadata/entities/opportunity").json(), "probability");
        assertThat(probability.getInt("min")).isZero();
        assertThat(probability.getInt("max")).isEqualTo(100);
        JsonObject postalCode = field(http().get("api/v1/metadata/entities/account").json(), "postal_code");
        assertThat(postalCode.getString("pattern")).isEqualTo("[0-9]{4,5}");
        assertThat(postalCode.getJsonObject("patternMessage").getString("de")).isEqualTo("4 oder 5 Ziffern, z. B. 10115");

        long account = id(http().post("api/v1/records/account", "{\"values\": {\"name\": \"Grenzwert AG\"}}"));
        long before = count("opportunity", "");
        for (String value : List.of("150", "504041")) {
            Http.Reply tooLikely = http().post("api/v1/records/opportunity", "{\"values\": {\"name\": \"Too likely\", "
                    + "\"account\": " + account + ", \"probability\": " + value + "}}");
            assertThat(tooLikely.status()).as(tooLikely.toString()).isEqualTo(422);
            JsonObject error = tooLikely.json().getJsonArray("errors").getJsonObject(0);
            assertThat(error.getString("field")).isEqualTo("probability");
            assertThat(error.getString("code")).isEqualTo("too_large");
            assertThat(error.getString("message")).isEqualTo("Enter a value of at most 100");
        }
        Http.Reply negative = http().post("api/v1/records/opportunity", "{\"values\": {\"name\": \"Negative\", "
                + "\"account\": " + account + ", \"amount\": -1}}");
        assertThat(negative.status()).isEqualTo(422);
        assertThat(negative.body()).contains("\"too_small\"", "amount");
        assertThat(count("opportunity", "")).isEqualTo(before);

        Http.Reply badCode = http().patch("api/v1/records/account/" + account, "{\"values\": {\"postal_code\": \"D-1\"}}", "\"1\"");
        assertThat(badCode.status()).isEqualTo(422);
        assertThat(badCode.body()).contains("\"pattern\"", "4 or 5 digits, e.g. 10115");
        assertThat(http().get("api/v1/records/opportunity?filter=probability:gt:150").status())
                .as("a filter compares with any value").isEqualTo(200);
    }

    @Test
    void theProcessSetsWhatTheUserDidNotGiveComputedValuesFollowAndTheResponseSaysWhatItSet() {
        long account = id(http().post("api/v1/records/account", "{\"values\": {\"name\": \"Pipeline KG\"}}"));
        JsonObject created = http().post("api/v1/records/opportunity", "{\"values\": {\"name\": \"Big deal\", "
                + "\"account\": " + account + ", \"amount\": 50000}}").json();
        assertThat(created.getJsonObject("values").getInt("probability")).isEqualTo(10);
        assertThat(created.getJsonObject("values").getJsonNumber("weighted_amount").bigDecimalValue())
                .as("computed after qualification set 10 %").isEqualByComparingTo("5000");
        assertThat(changes(created)).containsExactly("phase=qualification", "probability=10");
        assertThat(created.getJsonArray("processChanges").getJsonObject(1).getString("process")).isEqualTo("opportunity_sales");
        String path = "api/v1/records/opportunity/" + created.getJsonNumber("id").longValue();

        JsonObject typed = http().patch(path, "{\"values\": {\"phase\": \"needs_analysis\", \"probability\": 20}}",
                "\"1\"").json();
        assertThat(typed.getJsonObject("values").getInt("probability")).as("the user's 20, not the phase's 25").isEqualTo(20);
        assertThat(typed.getJsonObject("values").getJsonNumber("weighted_amount").bigDecimalValue()).isEqualByComparingTo("10000");
        assertThat(changes(typed)).isEmpty();

        JsonObject proposal = http().patch(path, "{\"values\": {\"phase\": \"proposal\"}}", "\"2\"").json();
        assertThat(proposal.getJsonObject("values").getJsonNumber("weighted_amount").bigDecimalValue()).isEqualByComparingTo("25000");
        assertThat(changes(proposal)).containsExactly("probability=50");
        assertThat(proposal.getJsonArray("processChanges").getJsonObject(0).getInt("previous")).isEqualTo(20);

        JsonObject lost = http().post(path + "/process/move", "{\"phase\": \"lost\", \"version\": 3, \"values\": "
                + "{\"loss_reason\": \"No budget\", \"probability\": 30}}").json();
        assertThat(lost.getJsonObject("values").getInt("probability")).as("lost forces 0").isZero();
        assertThat(changes(lost)).containsExactly("probability=0");
        assertThat(http().get(path).json().getJsonObject("values").getJsonNumber("weighted_amount").bigDecimalValue())
                .isEqualByComparingTo("0");
    }

    private static List<String> changes(JsonObject written) {
        return written.getJsonArray("processChanges").stream().map(v -> v.asJsonObject())
                .map(c -> c.getString("field") + "=" + c.get("value").toString().replace("\"", "")).toList();
    }

    private static JsonObject field(JsonObject entity, String name) {
        return entity.getJsonArray("fields").stream().map(v -> v.asJsonObject())
                .filter(f -> f.getString("name").equals(name)).findFirst().orElseThrow();
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
    void errorPagesRevealNoInternals() {
        Http.Reply missingPage = http().get("list.xhtml?entity=nope");
        assertThat(missingPage.status()).isEqualTo(404);
        assertThat(missingPage.body()).doesNotContain("Exception", "at io.relata", "Payara");
        Http.Reply missingRecord = http().get("record.xhtml?entity=account&id=987654");
        assertThat(missingRecord.status()).isEqualTo(404);
    }

    @Test
    void badInputIsAProblemThatSaysWhereNeverAServerError() {
        // PostgreSQL cannot store NUL in text; both databases answer the same
        Http.Reply nul = http().post("api/v1/records/account", "{\"values\": {\"name\": \"Nul\\u0000GmbH\"}}");
        assertProblem(nul, 422);
        assertThat(nul.json().getJsonArray("errors").getJsonObject(0).getString("field")).isEqualTo("name");
        assertThat(nul.json().getJsonArray("errors").getJsonObject(0).getString("code")).isEqualTo("invalid_character");
        assertThat(nul.json().getString("detail")).contains("NUL character", "position 4");
        Http.Reply nulFilter = http().get("api/v1/records/account?filter=name:eq:Nul%00GmbH");
        assertProblem(nulFilter, 422);
        assertThat(nulFilter.body()).contains("\"field\":\"name\"", "invalid_character");
        Http.Reply nulSearch = http().get("api/v1/records/account?q=Nul%00");
        assertProblem(nulSearch, 422);
        assertThat(nulSearch.body()).contains("\"field\":\"q\"", "invalid_character");
        Http.Reply nulTeam = http().post("api/v1/admin/teams", "{\"name\": \"Nul\\u0000Team\"}");
        assertProblem(nulTeam, 400);
        assertThat(nulTeam.body()).contains("\"field\":\"name\"", "NUL character");

        Http.Reply array = http().post("api/v1/records/account", "[{\"values\": {\"name\": \"In an array\"}}]");
        assertProblem(array, 400);
        assertThat(array.json().getString("detail")).contains("The body is an array", "send a JSON object");
        Http.Reply deep = http().post("api/v1/records/account", "{\"values\": " + "[".repeat(1_500) + "]".repeat(1_500) + "}");
        assertProblem(deep, 400);
        assertThat(deep.json().getString("detail")).contains("nests objects and arrays more than 32 levels deep");

        Http.Reply longName = http().post("api/v1/admin/users", "{\"username\": \"long.name\", \"password\": \""
                + PASSWORD + "\", \"displayName\": \"" + "x".repeat(300) + "\"}");
        assertProblem(longName, 400);
        assertThat(longName.json().getString("detail")).contains("display name may have at most 200 characters");
        assertThat(http().get("api/v1/admin/users").body()).doesNotContain("long.name");
        long userId = createUser("vera.valid", List.of("read_only"), List.of());
        assertProblem(http().patch("api/v1/admin/users/" + userId, "{\"active\": \"yes\"}", null), 400);
    }

    @Test
    void requestBodiesAreLimitedAndAProblemListsAtMostAHundredErrors() {
        // over CRM_MAX_BODY_BYTES (1 MiB by default): refused by its announced length, before any of it is read
        Http.Raw tooLarge = http().postAnnounced("api/v1/records/account", 10_000_000, "{\"values\": ");
        assertThat(tooLarge.status()).as(tooLarge.head()).isEqualTo(413);
        assertThat(tooLarge.head()).containsIgnoringCase("Content-Type: application/problem+json")
                .containsIgnoringCase("Connection: close");
        assertThat(tooLarge.body()).contains("larger than 1048576 bytes", "CRM_MAX_BODY_BYTES");
        // without a Content-Length the body is cut off at the same limit while it is read
        Http.Reply chunked = http().postChunked("api/v1/records/account", "{\"values\": {\"name\": \""
                + "x".repeat(1_100_000) + "\"}}");
        assertProblem(chunked, 413);

        StringBuilder keys = new StringBuilder("{\"values\": {\"name\": \"Many keys\"");
        for (int i = 0; i < 50_000; i++) {
            keys.append(", \"k").append(i).append("\": 1");
        }
        Http.Reply unknown = http().post("api/v1/records/account", keys.append("}}").toString());
        assertProblem(unknown, 422);
        assertThat(unknown.json().getJsonArray("errors")).hasSize(100);
        assertThat(unknown.json().getInt("moreErrors")).isEqualTo(49_900);
        assertThat(unknown.json().getString("detail")).contains("the first 100 are listed, and 49900 more");
    }

    private static void assertProblem(Http.Reply reply, int status) {
        assertThat(reply.status()).as(reply.toString()).isEqualTo(status);
        assertThat(reply.header("Content-Type")).startsWith("application/problem+json");
        assertThat(reply.json().getInt("status")).isEqualTo(status);
    }

    @Test
    void healthIsOpenToMonitorsWhileMetricsOpenApiAndWadlAreForAdministratorsOnly() {
        Http.Reply ready = anonymous().get("health/ready");
        assertThat(ready.status()).as(ready.toString()).isEqualTo(200);
        assertThat(ready.body()).contains("\"status\":\"UP\"");
        assertThat(anonymous().get("health").status()).isEqualTo(200);

        for (String endpoint : List.of("metrics", "openapi")) {
            Http.Reply anonymousCall = anonymous().get(endpoint);
            assertThat(anonymousCall.status()).as(endpoint).isEqualTo(302);
            assertThat(anonymousCall.header("Location")).contains("/login.xhtml");
        }
        createUser("olga.ops", List.of("read_only"), List.of());
        assertThat(as("olga.ops").get("metrics").status()).isEqualTo(404);
        assertThat(as("olga.ops").get("openapi").status()).isEqualTo(404);
        assertThat(http().get("metrics").status()).isEqualTo(200);
        assertThat(http().get("openapi").body()).contains("/api/v1/records/{entity}");
        assertThat(http().get("api/application.wadl").status()).as("no WADL").isEqualTo(404);
    }

    @Test
    void everyAnswerCarriesTheSecurityHeadersAndAnswersWithDataAreNotStored() {
        Http.Reply challenge = anonymous().get("api/v1/records/account");
        Http.Reply toLogin = anonymous().get("list.xhtml?entity=account");
        Http.Reply apiAnswer = http().get("api/v1/records/account?limit=1");
        Http.Reply page = http().get("list.xhtml?entity=account");
        assertThat(challenge.status()).isEqualTo(401);
        assertThat(toLogin.status()).isEqualTo(302);
        for (Http.Reply reply : List.of(challenge, toLogin, apiAnswer, page)) {
            assertThat(reply.header("X-Frame-Options")).as(reply.toString()).isEqualTo("DENY");
            assertThat(reply.header("X-Content-Type-Options")).isEqualTo("nosniff");
            assertThat(reply.header("Referrer-Policy")).isEqualTo("same-origin");
            assertThat(reply.header("Cache-Control")).as(reply.toString()).isEqualTo("no-store");
        }
        assertThat(challenge.header("Content-Security-Policy")).isEqualTo("default-src 'none'; frame-ancestors 'none'");
    }

    // ---- security ----------------------------------------------------------------------------------

    private static final String PASSWORD = "a-long-test-password";

    private long createUser(String username, List<String> roles, List<Long> teams) {
        String body = "{\"username\": \"" + username + "\", \"password\": \"" + PASSWORD + "\", \"roles\": ["
                + String.join(",", roles.stream().map(r -> "\"" + r + "\"").toList()) + "], \"teams\": "
                + teams + "}";
        Http.Reply created = http().post("api/v1/admin/users", body);
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        return created.json().getJsonNumber("id").longValue();
    }

    private long team(String name) {
        Http.Reply created = http().post("api/v1/admin/teams", "{\"name\": \"" + name + "\"}");
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        return created.json().getJsonNumber("id").longValue();
    }

    private Http as(String username) {
        return anonymous().basic(username, PASSWORD);
    }

    private static long id(Http.Reply reply) {
        assertThat(reply.status()).as(reply.toString()).isBetween(200, 201);
        return reply.json().getJsonNumber("id").longValue();
    }

    @Test
    void nothingIsReachableWithoutLoggingIn() {
        Http.Reply api = anonymous().get("api/v1/records/account");
        assertThat(api.status()).isEqualTo(401);
        assertThat(api.header("WWW-Authenticate")).as("no Basic prompt for browsers").startsWith("Bearer");
        assertThat(anonymous().basic("nobody", "wrong").get("api/v1/me").header("WWW-Authenticate")).startsWith("Basic");
        assertThat(api.header("Content-Type")).startsWith("application/problem+json");
        assertThat(api.body()).doesNotContain("Allsecur");
        assertThat(anonymous().post("api/v1/records/account", "{\"values\": {\"name\": \"Anonymous\"}}").status()).isEqualTo(401);
        assertThat(anonymous().post("api/v1/admin/metadata/reload", "").status()).isEqualTo(401);
        assertThat(anonymous().get("api/v1/metadata/entities").status()).isEqualTo(401);
        assertThat(anonymous().basic("admin", "not-the-password").get("api/v1/me").status()).isEqualTo(401);
        assertThat(anonymous().bearer("rlt_invented").get("api/v1/me").status()).isEqualTo(401);

        Http.Reply page = anonymous().get("list.xhtml?entity=account");
        assertThat(page.status()).isEqualTo(302);
        assertThat(page.header("Location")).contains("/login.xhtml");
        assertThat(anonymous().get("record.xhtml?entity=account&id=1").status()).isEqualTo(302);

        Http.Reply login = anonymous().get("login.xhtml");
        assertThat(login.status()).isEqualTo(200);
        assertThat(login.header("Content-Security-Policy")).contains("frame-ancestors 'none'", "script-src 'self' 'nonce-");
        assertThat(login.header("X-Frame-Options")).isEqualTo("DENY");
        assertThat(login.header("X-Powered-By")).isNull();
        assertThat(login.header("Server")).isNull();
        assertThat(login.header("Set-Cookie")).contains("HttpOnly").containsIgnoringCase("SameSite=Lax");
    }

    @Test
    void apiTokensWorkUntilRevokedOrTheUserIsDeactivatedAndAPasswordChangeMayRevokeThemAll() {
        long userId = createUser("tessa.token", List.of("read_only"), List.of());
        Http tessa = as("tessa.token");
        Http.Reply created = tessa.post("api/v1/me/tokens", "{\"name\": \"integration\"}");
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        String token = created.json().getString("token");
        assertThat(token).startsWith("rlt_");
        Http bearer = anonymous().bearer(token);
        assertThat(bearer.get("api/v1/me").json().getString("username")).isEqualTo("tessa.token");
        assertThat(bearer.get("api/v1/records/account?limit=1").status()).isEqualTo(200);
        assertThat(tessa.get("api/v1/me/tokens").body()).doesNotContain(token);
        assertThat(tessa.delete("api/v1/me/tokens/" + created.json().getJsonNumber("id").longValue()).status()).isEqualTo(204);
        assertThat(bearer.get("api/v1/me").status()).isEqualTo(401);
        assertThat(tessa.get("api/v1/admin/users").status()).as("not an administrator").isEqualTo(403);

        // deactivated: the token stops at once, and works again when the user is reactivated
        Http second = anonymous().bearer(tessa.post("api/v1/me/tokens", "{\"name\": \"second\"}").json().getString("token"));
        assertThat(second.get("api/v1/me").status()).isEqualTo(200);
        assertThat(http().patch("api/v1/admin/users/" + userId, "{\"active\": false}", null).status()).isEqualTo(200);
        assertThat(second.get("api/v1/me").status()).as("token of a deactivated user").isEqualTo(401);
        assertThat(second.get("api/v1/records/account?limit=1").status()).isEqualTo(401);
        assertThat(tessa.get("api/v1/me").status()).as("cached Basic login of a deactivated user").isEqualTo(401);
        assertThat(http().patch("api/v1/admin/users/" + userId, "{\"active\": true}", null).status()).isEqualTo(200);
        assertThat(second.get("api/v1/me").status()).isEqualTo(200);

        // a password change that keeps the tokens, then one that revokes them
        Http.Reply kept = tessa.post("api/v1/me/password", "{\"currentPassword\": \"" + PASSWORD + "\", \"newPassword\": "
                + "\"an-even-longer-secret\"}");
        assertThat(kept.status()).as(kept.toString()).isEqualTo(200);
        assertThat(kept.json().getInt("revokedTokens")).isZero();
        assertThat(tessa.get("api/v1/me").status()).as("the old password stops working at once").isEqualTo(401);
        assertThat(second.get("api/v1/me").status()).isEqualTo(200);
        Http renewed = anonymous().basic("tessa.token", "an-even-longer-secret");
        Http.Reply revoked = renewed.post("api/v1/me/password", "{\"currentPassword\": \"an-even-longer-secret\", "
                + "\"newPassword\": \"" + PASSWORD + "\", \"revokeTokens\": true}");
        assertThat(revoked.json().getInt("revokedTokens")).isEqualTo(1);
        assertThat(second.get("api/v1/me").status()).isEqualTo(401);
        assertThat(tessa.get("api/v1/me/tokens").json().getJsonArray("items").stream()
                .map(t -> t.asJsonObject().get("revokedAt").getValueType().toString())).containsOnly("STRING");
        assertThat(http().get("api/v1/admin/logins?limit=200").body()).contains("tessa.token", "TOKEN_REJECTED", "INACTIVE");
    }

    /** The login log entries of one user, newest first. */
    private List<String> loginOutcomes(String username) {
        return http().get("api/v1/admin/logins?limit=1000").json().getJsonArray("items").stream().map(v -> v.asJsonObject())
                .filter(e -> e.getString("username").equals(username)).map(e -> e.getString("outcome")).toList();
    }

    @Test
    void parallelPasswordGuessesAreCheckedAtMostFiveTimes() {
        createUser("gina.guess", List.of("read_only"), List.of());
        Http guesser = anonymous().from("203.0.113.20");
        List<java.util.concurrent.CompletableFuture<Http.Reply>> replies = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            replies.add(guesser.basic("gina.guess", "parallel-guess-" + i).getAsync("api/v1/me"));
        }
        List<Integer> statuses = replies.stream().map(r -> r.join().status()).toList();
        assertThat(statuses.stream().filter(s -> s == 401)).as("checked and wrong").hasSize(5);
        assertThat(statuses.stream().filter(s -> s == 429)).as("not checked at all").hasSize(15);
        List<String> outcomes = loginOutcomes("gina.guess");
        assertThat(outcomes.stream().filter(o -> o.equals("BAD_CREDENTIALS"))).hasSize(5);
        assertThat(outcomes.stream().filter(o -> o.equals("THROTTLED"))).hasSize(15);

        Http.Reply right = guesser.basic("gina.guess", PASSWORD).get("api/v1/me");
        assertThat(right.status()).as("the right password is not checked either while attempts wait").isEqualTo(429);
        assertThat(right.header("Retry-After")).isNotNull();
        assertThat(right.header("Content-Type")).startsWith("application/problem+json");
        assertThat(right.json().getString("detail")).contains("not checked");
    }

    @Test
    void wrongPasswordsHoldBackOnlyTheGuessersAddressAndLockingIsTheAdministratorsDecision() {
        long vera = createUser("vera.victim", List.of("read_only"), List.of());
        logInAs("vera.victim", PASSWORD, "index.xhtml"); // her browser session, from the local address
        Http attacker = anonymous().from("203.0.113.66");
        for (int i = 0; i < 5; i++) {
            assertThat(attacker.basic("vera.victim", "guess-" + i).get("api/v1/me").status()).isEqualTo(401);
        }
        assertThat(attacker.basic("vera.victim", PASSWORD).get("api/v1/me").status()).isEqualTo(429);

        browser.navigate().refresh();
        assertThat(ItServer.patientWait(browser).until(ExpectedConditions.visibilityOfElementLocated(By.id("userForm:account"))))
                .as("her open session is untouched").isNotNull();
        assertThat(anonymous().from("198.51.100.20").basic("vera.victim", PASSWORD).get("api/v1/me").status())
                .as("a new login from her own address").isEqualTo(200);

        JsonObject waiting = http().get("api/v1/admin/login-throttles").json().getJsonArray("items").stream()
                .map(v -> v.asJsonObject()).filter(b -> "vera.victim".equals(b.getString("username", null))).findFirst().orElseThrow();
        assertThat(waiting.getString("remote")).isEqualTo("203.0.113.66");
        assertThat(waiting.getInt("failures")).isEqualTo(5);
        assertThat(waiting.getString("heldUntil")).isNotBlank();
        assertThat(loginOutcomes("vera.victim")).contains("THROTTLED", "BAD_CREDENTIALS", "SUCCESS").doesNotContain("LOCKED");
        JsonObject user = http().get("api/v1/admin/users").json().getJsonArray("items").stream().map(v -> v.asJsonObject())
                .filter(u -> u.getString("username").equals("vera.victim")).findFirst().orElseThrow();
        assertThat(user.getBoolean("locked")).isFalse();

        // releasing lets the address try again at once
        assertThat(http().post("api/v1/admin/users/" + vera + "/unlock", "").status()).isEqualTo(204);
        assertThat(attacker.basic("vera.victim", PASSWORD).get("api/v1/me").status()).isEqualTo(200);

        // an administrator's lock ends everything at once, until unlocked
        assertThat(http().post("api/v1/admin/users/" + vera + "/lock", "").status()).isEqualTo(204);
        assertThat(anonymous().from("198.51.100.20").basic("vera.victim", PASSWORD).get("api/v1/me").status()).isEqualTo(401);
        browser.navigate().refresh();
        ItServer.patientWait(browser).until(ExpectedConditions.visibilityOfElementLocated(By.id("loginForm:username")));
        assertThat(loginOutcomes("vera.victim")).contains("LOCKED");
        assertThat(http().get("api/v1/admin/users").body()).contains("\"lockedBy\":\"admin\"");
        assertThat(http().post("api/v1/admin/users/" + vera + "/unlock", "").status()).isEqualTo(204);
        assertThat(anonymous().from("198.51.100.20").basic("vera.victim", PASSWORD).get("api/v1/me").status()).isEqualTo(200);

        long adminId = http().get("api/v1/me").json().getJsonNumber("id").longValue();
        assertThat(http().post("api/v1/admin/users/" + adminId + "/lock", "").status()).as("no self lock-out").isEqualTo(400);
    }

    @Test
    void manyFailuresFromOneAddressHoldBackAnonymousAttemptsFromThereOnly() {
        createUser("walt.proxy", List.of("read_only"), List.of());
        Http sprayer = anonymous().from("203.0.113.99");
        for (int i = 0; i < 20; i++) {
            assertThat(sprayer.basic("sprayed-name-" + i, "Summer2026!").get("api/v1/me").status()).isEqualTo(401);
        }
        assertThat(sprayer.basic("walt.proxy", PASSWORD).get("api/v1/me").status()).isEqualTo(429);
        assertThat(anonymous().from("198.51.100.21").basic("walt.proxy", PASSWORD).get("api/v1/me").status()).isEqualTo(200);
        assertThat(http().get("api/v1/admin/login-throttles").body()).contains("203.0.113.99");
    }

    @Test
    void weakPasswordsAreRefusedSayingWhyInTheCallersLanguage() {
        Http.Reply aaa = http().post("api/v1/admin/users", "{\"username\": \"wanda.weak\", \"password\": \"aaaaaaaaaaaa\"}");
        assertThat(aaa.status()).as(aaa.toString()).isEqualTo(400);
        assertThat(aaa.header("Content-Type")).startsWith("application/problem+json");
        assertThat(aaa.json().getJsonArray("errors").getJsonObject(0).getString("code")).isEqualTo("password_repetitive");
        assertThat(aaa.json().getString("detail")).contains("repeated", "NIST SP 800-63B");
        Http.Reply common = http().header("Accept-Language", "de-DE,de;q=0.9")
                .post("api/v1/admin/users", "{\"username\": \"wanda.weak\", \"password\": \"Passwort2024!\"}");
        assertThat(common.json().getJsonArray("errors").getJsonObject(0).getString("code")).isEqualTo("password_common");
        assertThat(common.json().getString("detail")).contains("geleakter Passwörter");
        Http.Reply named = http().post("api/v1/admin/users", "{\"username\": \"wanda.weak\", \"password\": \"wanda.weak-2026\"}");
        assertThat(named.json().getJsonArray("errors").getJsonObject(0).getString("code")).isEqualTo("password_contains_user_name");
        assertThat(http().get("api/v1/admin/users").body()).doesNotContain("wanda.weak");

        long id = createUser("wanda.weak", List.of("read_only"), List.of());
        Http.Reply change = as("wanda.weak").post("api/v1/me/password", "{\"currentPassword\": \"" + PASSWORD + "\", "
                + "\"newPassword\": \"password1234\"}");
        assertThat(change.status()).isEqualTo(400);
        assertThat(change.json().getJsonArray("errors").getJsonObject(0).getString("field")).isEqualTo("newPassword");
        Http.Reply reset = http().post("api/v1/admin/users/" + id + "/password", "{\"password\": \"qwertzuiop12\"}");
        assertThat(reset.status()).isEqualTo(400);
        assertThat(as("wanda.weak").get("api/v1/me").status()).as("the password is unchanged").isEqualTo(200);
    }

    @Test
    void rolesDecideWhatEachUserMaySeeAndChangeThroughTheApi() {
        long north = team("North");
        long south = team("South");
        createUser("anna.sales", List.of("sales"), List.of(north));
        createUser("bert.sales", List.of("sales"), List.of(south));
        createUser("carla.service", List.of("service"), List.of(north));
        Http anna = as("anna.sales");
        Http bert = as("bert.sales");
        Http carla = as("carla.service");

        // account: sales read all, update team
        long account = id(anna.post("api/v1/records/account", "{\"values\": {\"name\": \"Nordlicht GmbH\"}}"));
        assertThat(bert.get("api/v1/records/account/" + account).status()).isEqualTo(200);
        assertThat(bert.patch("api/v1/records/account/" + account, "{\"values\": {\"city\": \"Kiel\"}}", "\"1\"").status()).isEqualTo(403);
        assertThat(anna.patch("api/v1/records/account/" + account, "{\"values\": {\"city\": \"Kiel\"}}", "\"1\"").status()).isEqualTo(200);
        assertThat(anna.delete("api/v1/records/account/" + account).status()).as("sales may not delete accounts").isEqualTo(403);

        // opportunity: sales read team; service read team with the amount hidden
        long opportunity = id(anna.post("api/v1/records/opportunity", "{\"values\": {\"name\": \"Leuchtturm-Projekt\", "
                + "\"account\": " + account + ", \"amount\": 125000, \"phase\": \"qualification\"}}"));
        String path = "api/v1/records/opportunity/" + opportunity;
        assertThat(bert.get(path).status()).as("id tampering across teams").isEqualTo(404);
        assertThat(bert.patch(path, "{\"values\": {\"name\": \"Taken over\"}}", "\"1\"").status()).isEqualTo(404);
        assertThat(bert.delete(path).status()).isEqualTo(404);
        assertThat(bert.get("api/v1/records/opportunity?q=leuchtturm&count=true").json().getJsonNumber("totalCount").longValue()).isZero();
        assertThat(anna.get("api/v1/records/opportunity?q=leuchtturm&count=true").json().getJsonNumber("totalCount").longValue()).isEqualTo(1);
        assertThat(bert.post("api/v1/records/activity", "{\"values\": {\"subject\": \"Call\", \"type\": \"call\", "
                + "\"regarding\": \"opportunity:" + opportunity + "\"}}").body()).as("a link to a record bert cannot see")
                .contains("reference_not_found");

        JsonObject seenByCarla = carla.get(path).json().getJsonObject("values");
        assertThat(seenByCarla.getString("name")).isEqualTo("Leuchtturm-Projekt");
        assertThat(seenByCarla.containsKey("amount")).as("hidden field").isFalse();
        assertThat(carla.get("api/v1/records/opportunity?filter=amount:gt:100").status()).isEqualTo(422);
        assertThat(carla.get("api/v1/records/opportunity?sort=amount").status()).isEqualTo(422);
        assertThat(carla.patch(path, "{\"values\": {\"name\": \"Renamed\"}}", "\"1\"").status()).isEqualTo(403);
        assertThat(carla.get("api/v1/records/lead").status()).as("service has no leads").isEqualTo(404);
        assertThat(carla.get("api/v1/metadata/entities").body()).doesNotContain("\"lead\"");

        // a read-only field for sales
        Http.Reply readOnly = anna.patch(path, "{\"values\": {\"weighting\": 0.5}}", "\"1\"");
        assertThat(readOnly.status()).isEqualTo(422);
        assertThat(readOnly.body()).contains("read_only_field");

        // history and the explanation
        assertThat(anna.patch(path, "{\"values\": {\"name\": \"Leuchtturm 2027\"}}", "\"1\"").status()).isEqualTo(200);
        JsonObject latest = anna.get(path + "/history").json().getJsonArray("items").getJsonObject(0);
        assertThat(latest.getString("action")).isEqualTo("UPDATE");
        assertThat(latest.getString("actor")).isEqualTo("anna.sales");
        assertThat(latest.getJsonObject("changes").getJsonObject("name").getString("old")).isEqualTo("Leuchtturm-Projekt");
        assertThat(latest.getJsonObject("changes").getJsonObject("name").getString("new")).isEqualTo("Leuchtturm 2027");
        assertThat(carla.get(path + "/history").body()).doesNotContain("125000");

        JsonObject why = carla.get(path + "/access").json();
        assertThat(why.getBoolean("visible")).isTrue();
        assertThat(why.getString("text")).contains("service").doesNotContain("amount: hidden").doesNotContainPattern("(?m)^amount");
        assertThat(http().get(path + "/access?user=carla.service").json().getString("text")).contains("amount: hidden");
        assertThat(http().get(path + "/access?user=bert.sales").json().getBoolean("visible")).isFalse();
        assertThat(carla.get(path + "/access?user=anna.sales").status()).as("only admins ask for others").isEqualTo(403);
    }

    @Test
    void marketingQualifiesItsLeadsAndOnlyWhoMayReadALeadSeesItsToDos() {
        long team = team("Nord-Ost");
        createUser("mia.marketing", List.of("marketing"), List.of(team));
        createUser("sven.service", List.of("service"), List.of(team));
        Http mia = as("mia.marketing");
        Http sven = as("sven.service");

        long lead = id(mia.post("api/v1/records/lead", "{\"values\": {\"last_name\": \"Quist\", \"company\": "
                + "\"Quist Reisen\", \"email\": \"info@quist.example\", \"status\": \"new\"}}"));
        assertThat(mia.patch("api/v1/records/lead/" + lead, "{\"values\": {\"status\": \"contacted\"}}", "\"1\"")
                .status()).isEqualTo(200);
        String toDos = "api/v1/records/activity?filter=regarding:eq:lead:" + lead + "&count=true";
        JsonObject seenByMia = mia.get(toDos).json();
        assertThat(seenByMia.getJsonNumber("totalCount").longValue()).as("the to-do of its lead, assigned to mia").isEqualTo(1);
        long toDo = seenByMia.getJsonArray("items").getJsonObject(0).getJsonNumber("id").longValue();
        assertThat(sven.get(toDos).json().getJsonNumber("totalCount").longValue())
                .as("service reads activities of its team, but not those about leads it cannot read").isZero();
        assertThat(sven.get("api/v1/records/activity/" + toDo).status()).isEqualTo(404);
        assertThat(mia.get("api/v1/records/activity/" + toDo + "/access").json().getString("text")).contains("you own it");

        // the guided dialog: marketing may start it on its lead, so it can finish it (it creates an activity)
        long session = id(mia.post("api/v1/dialogs/lead_qualification/sessions", "{\"entity\":\"lead\",\"id\":" + lead + "}"));
        String steps = "api/v1/dialogs/sessions/" + session + "/steps/";
        assertThat(mia.post(steps + "contact", "{}").status()).isEqualTo(200);
        assertThat(mia.post(steps + "budget", "{\"has_budget\": false}").status()).isEqualTo(200);
        assertThat(mia.post(steps + "nurture", "{\"follow_up_reason\": \"too_early\"}").status()).isEqualTo(200);
        Http.Reply finished = mia.post("api/v1/dialogs/sessions/" + session + "/finish", "{}");
        assertThat(finished.status()).as(finished.toString()).isEqualTo(200);
        assertThat(mia.get("api/v1/records/lead/" + lead).json().getJsonObject("values").getString("status"))
                .as("no budget: the lead stays in contact, it is not qualified").isEqualTo("contacted");
        assertThat(mia.get(toDos).json().getJsonNumber("totalCount").longValue()).as("and the call is logged").isEqualTo(2);
        assertThat(sven.get(toDos).json().getJsonNumber("totalCount").longValue()).isZero();
    }

    @Test
    void aFieldComputedFromAHiddenFieldIsHiddenTooAndNothingIsEditableInARecordTheUserMayNotChange() {
        long team = team("Derived North");
        createUser("fritz.sales", List.of("sales"), List.of(team));
        createUser("gina.service", List.of("service"), List.of(team));
        Http fritz = as("fritz.sales");
        Http gina = as("gina.service");
        long account = id(fritz.post("api/v1/records/account", "{\"values\": {\"name\": \"Ableitung GmbH\"}}"));
        long opportunity = id(fritz.post("api/v1/records/opportunity", "{\"values\": {\"name\": \"Ableitung\", "
                + "\"account\": " + account + ", \"amount\": 80000, \"probability\": 10, \"phase\": \"qualification\"}}"));
        String path = "api/v1/records/opportunity/" + opportunity;
        assertThat(fritz.get(path).json().getJsonObject("values").getJsonNumber("weighted_amount").bigDecimalValue())
                .isEqualByComparingTo("8000");

        // amount = weighted_amount / probability: service sees the probability, so not the weighted amount
        JsonObject seenByGina = gina.get(path).json().getJsonObject("values");
        assertThat(seenByGina.getJsonNumber("probability").intValue()).isEqualTo(10);
        assertThat(seenByGina).doesNotContainKeys("amount", "weighted_amount");
        assertThat(gina.get("api/v1/records/opportunity?filter=weighted_amount:gt:7000").body()).contains("unknown_field");
        assertThat(gina.get("api/v1/records/opportunity?sort=weighted_amount").status()).isEqualTo(422);
        assertThat(fritz.patch(path, "{\"values\": {\"amount\": 90000}}", "\"1\"").status()).isEqualTo(200);
        assertThat(fritz.get(path + "/history").body()).contains("weighted_amount");
        assertThat(gina.get(path + "/history").json().getJsonArray("items").stream()
                .flatMap(item -> item.asJsonObject().getJsonObject("changes").keySet().stream()))
                .contains("name", "probability").doesNotContain("amount", "weighted_amount");

        // the explanation: nothing is editable for service (it may not change opportunities), the hidden field says why
        JsonObject why = gina.get(path + "/access").json();
        assertThat(why.getBoolean("canUpdate")).isFalse();
        assertThat(why.getJsonArray("fields").stream().map(f -> f.asJsonObject().getString("access")))
                .doesNotContain("editable");
        assertThat(why.getString("text")).contains("name: read-only (no role lets you change this record)")
                .doesNotContain("weighted_amount");
        assertThat(fritz.get(path + "/access").json().getString("text")).contains("name: editable (role 'sales')");
        assertThat(http().get(path + "/access?user=gina.service").json().getString("text")).contains(
                "weighted_amount: hidden (role 'service'; computed from amount by the rule 'weighted_amount.computed')");

        // the admin is told, at the role's entry that hides the amount
        Http.Reply reloaded = http().post("api/v1/admin/metadata/reload", "");
        assertThat(reloaded.status()).as(reloaded.toString()).isEqualTo(200);
        assertThat(reloaded.body()).contains("roles/service.yaml:10:38: [DERIVED_FIELD_HIDDEN] Role 'service' cannot see "
                + "'amount' of entity 'opportunity', so it cannot see 'weighted_amount' either");
        assertThat(http().get("admin/metadata.xhtml").body()).contains("DERIVED_FIELD_HIDDEN");
    }

    @Test
    void hiddenFieldsAreAbsentFromThePageAndLogoutEndsTheSession() throws IOException {
        long team = team("Service West");
        createUser("dora.service", List.of("service"), List.of(team));
        createUser("emil.sales", List.of("sales"), List.of(team));
        long account = id(as("emil.sales").post("api/v1/records/account", "{\"values\": {\"name\": \"Westwind AG\"}}"));
        long opportunity = id(as("emil.sales").post("api/v1/records/opportunity", "{\"values\": {\"name\": \"Wartung West\", "
                + "\"account\": " + account + ", \"amount\": 98765.43, \"phase\": \"proposal\"}}"));

        WebDriverWait wait = ItServer.patientWait(browser);
        browser.manage().deleteAllCookies();
        browser.get(base + "index.xhtml");
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("loginForm:username"))).sendKeys("dora.service");
        browser.findElement(By.id("loginForm:password")).sendKeys("not-her-password");
        browser.findElement(By.id("loginForm:login")).click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("loginForm:messages"), "not correct"));

        logInAs("dora.service", PASSWORD, "record.xhtml?entity=opportunity&id=" + opportunity);
        assertThat(browser.findElement(By.id("recordTitle")).getText()).isEqualTo("Wartung West");
        String source = browser.getPageSource();
        assertThat(source).doesNotContain("f_amount", "98765", "98.765");
        assertThat(browser.findElements(By.id("recordForm:save"))).as("service may not change opportunities").isEmpty();
        assertThat(browser.findElement(By.tagName("nav")).getText()).doesNotContain("Leads");
        assertThat(browser.findElement(By.id("why")).getText()).contains("service");
        screenshot("service-user-opportunity");

        browser.findElement(By.id("userForm:logout")).click();
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("loginForm:username")));
        browser.get(base + "record.xhtml?entity=opportunity&id=" + opportunity);
        assertThat(browser.getCurrentUrl()).contains("login.xhtml");
        assertThat(browser.getPageSource()).doesNotContain("Wartung West");
    }

    // ---- rules -------------------------------------------------------------------------------------

    @Test
    void rulesComputeDefaultScoreAndValidateOnEverySave() {
        long account = id(http().post("api/v1/records/account", "{\"values\": {\"name\": \"Regelwerk GmbH\"}}"));
        JsonObject opportunity = http().post("api/v1/records/opportunity", "{\"values\": {\"name\": \"Rules demo\", "
                + "\"account\": " + account + ", \"amount\": 1000, \"probability\": 40, \"phase\": \"proposal\"}}").json();
        JsonObject values = opportunity.getJsonObject("values");
        assertThat(values.getJsonNumber("weighted_amount").bigDecimalValue()).isEqualByComparingTo("400");
        assertThat(values.getString("close_date")).as("default: 30 days ahead").isEqualTo(java.time.LocalDate.now().plusDays(30).toString());
        String path = "api/v1/records/opportunity/" + opportunity.getJsonNumber("id").longValue();

        JsonObject updated = http().patch(path, "{\"values\": {\"probability\": 75}}", "\"1\"").json();
        assertThat(updated.getJsonObject("values").getJsonNumber("weighted_amount").bigDecimalValue()).isEqualByComparingTo("750");
        assertThat(http().patch(path, "{\"values\": {\"weighted_amount\": 1}}", "\"2\"").body()).contains("read_only_field");

        Http.Reply lostWithoutReason = http().patch(path, "{\"values\": {\"phase\": \"lost\"}}", "\"2\"");
        assertThat(lostWithoutReason.status()).isEqualTo(422);
        assertThat(lostWithoutReason.body()).contains("loss_reason", "required");
        Http.Reply pastCloseDate = http().patch(path, "{\"values\": {\"close_date\": \"2020-01-01\"}}", "\"2\"");
        assertThat(pastCloseDate.status()).isEqualTo(422);
        assertThat(pastCloseDate.body()).contains("\"code\":\"rule\"", "close_date");

        JsonObject lead = http().post("api/v1/records/lead", "{\"values\": {\"last_name\": \"Score\", \"company\": \"Punkte AG\", "
                + "\"email\": \"info@punkte-ag.de\", \"source\": \"trade_fair\", \"status\": \"new\"}}").json().getJsonObject("values");
        assertThat(lead.getInt("score")).isPositive();
        assertThat(lead.getString("score_reasons")).contains("Company given", "trade fair");
    }

    @Test
    void aBrokenRuleOrAFailingExampleBlocksTheReloadWithItsPosition() throws IOException {
        Path entities = Files.createDirectories(EXTRA_METADATA.resolve("entities"));
        Path entity = entities.resolve("incident.yaml");
        Path script = entities.resolve("incident.priority.js");
        try {
            Files.writeString(entity, """
                    name: incident
                    label: {de: Incident, en: Incident}
                    pluralLabel: {de: Incidents, en: Incidents}
                    fields:
                      subject: {type: text, label: {en: Subject}, required: true}
                      urgent: {type: boolean, label: {en: Urgent}}
                      priority: {type: integer, label: {en: Priority}}
                    rules:
                      - name: priority_score
                        score: {file: incident.priority.js}
                        field: priority
                    examples:
                      - name: urgent incidents come first
                        record: {subject: Down, urgent: true}
                        expect: {score: 10}
                    """);
            Files.writeString(script, "// priority\nif (record.urgent) {\n  return 10;\n}\nreturn 1 +;\n");
            Http.Reply syntax = http().post("api/v1/admin/metadata/reload", "");
            assertThat(syntax.status()).as(syntax.toString()).isEqualTo(422);
            JsonObject problem = syntax.json().getJsonArray("problems").getJsonObject(0);
            assertThat(problem.getString("file")).endsWith("entities/incident.priority.js");
            assertThat(problem.getInt("line")).isEqualTo(5);
            assertThat(problem.getString("code")).isEqualTo("RULE_SYNTAX");
            assertThat(http().get("api/v1/records/incident").status()).as("nothing of the broken model is in force").isEqualTo(404);

            Files.writeString(script, "// priority\nif (record.urgent) {\n  return 5;\n}\nreturn 1;\n");
            Http.Reply example = http().post("api/v1/admin/metadata/reload", "");
            assertThat(example.status()).isEqualTo(422);
            assertThat(example.body()).contains("RULE_EXAMPLE_FAILED", "urgent incidents come first");
            assertThat(example.json().getJsonArray("problems").getJsonObject(0).getString("file")).endsWith("entities/incident.yaml");

            Files.writeString(script, "// priority\nif (record.urgent) {\n  return 10;\n}\nreturn 1;\n");
            assertThat(http().post("api/v1/admin/metadata/reload", "").status()).isEqualTo(200);
            assertThat(http().post("api/v1/records/incident", "{\"values\": {\"subject\": \"Printer\", \"urgent\": true}}")
                    .json().getJsonObject("values").getInt("priority")).isEqualTo(10);
        } finally {
            Files.deleteIfExists(entity);
            Files.deleteIfExists(script);
            http().post("api/v1/admin/metadata/reload", "");
        }
    }

    @Test
    void theFormShowsTheLossReasonOnlyOnceThePhaseIsLost() throws IOException {
        WebDriverWait wait = ItServer.patientWait(browser);
        long account = id(http().post("api/v1/records/account", "{\"values\": {\"name\": \"Formular KG\"}}"));
        long opportunity = id(http().post("api/v1/records/opportunity", "{\"values\": {\"name\": \"Live rules\", "
                + "\"account\": " + account + ", \"amount\": 2000, \"probability\": 50, \"phase\": \"proposal\"}}"));
        logInAs("admin", ADMIN_PASSWORD, "record.xhtml?entity=opportunity&id=" + opportunity);
        WebElement lossReason = browser.findElement(By.id("recordForm:w_loss_reason"));
        assertThat(lossReason.isDisplayed()).isFalse();
        assertThat(browser.findElement(By.id("recordForm:f_weighted_amount_input")).getAttribute("value")).startsWith("1,000");

        try {
            // Through the widget, like a user's pick (it fires the same change event): clicking into the
            // animated overlay list proved unreliable on a busy machine.
            ((org.openqa.selenium.JavascriptExecutor) browser).executeScript(
                    "var menu = PrimeFaces.getWidgetById('recordForm:f_phase'); menu.selectValue('lost'); menu.callBehavior('change');");
            wait.until(ExpectedConditions.textToBe(By.id("recordForm:f_phase_label"), "Lost"));
            wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("recordForm:w_loss_reason")));
        } catch (org.openqa.selenium.TimeoutException e) {
            screenshot("opportunity-live-rules-failed");
            Files.writeString(SCREENSHOTS.resolve("opportunity-live-rules-failed.html"), browser.getPageSource());
            throw e;
        }
        assertThat(browser.findElement(By.id("recordForm:w_loss_reason")).findElement(By.tagName("label")).getText()).contains("*");
        screenshot("opportunity-live-rules");

        browser.findElement(By.id("recordForm:save")).click();
        WebElement error = wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("recordForm:e_loss_reason")));
        assertThat(error.getText()).isNotBlank();
        browser.findElement(By.id("recordForm:f_loss_reason")).sendKeys("Went with a competitor", org.openqa.selenium.Keys.TAB);
        ItServer.awaitAjaxIdle(browser);
        browser.findElement(By.id("recordForm:save")).click();
        try {
            wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("growl_container"), "Saved"));
        } catch (org.openqa.selenium.TimeoutException e) {
            screenshot("opportunity-lost-save-failed");
            Files.writeString(SCREENSHOTS.resolve("opportunity-lost-save-failed.html"), browser.getPageSource());
            throw e;
        }
        assertThat(http().get("api/v1/records/opportunity/" + opportunity).json().getJsonObject("values").getString("loss_reason"))
                .isEqualTo("Went with a competitor");
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

    @Test
    void aReloadThatStoredDataContradictsIsRefusedAtTheKeyAndAnAdministratorDropsTheOrphanLeftBehind() throws IOException {
        Path entities = Files.createDirectories(EXTRA_METADATA.resolve("entities"));
        Path parcel = entities.resolve("parcel.yaml");
        String yaml = """
                name: parcel
                label: {de: Paket, en: Parcel}
                pluralLabel: {de: Pakete, en: Parcels}
                fields:
                  subject: {type: text, label: {de: Betreff, en: Subject}}
                  code:
                    type: text
                    label: {de: Code, en: Code}
                """;
        try {
            Files.writeString(parcel, yaml);
            Http.Reply loaded = http().post("api/v1/admin/metadata/reload", "");
            assertThat(loaded.status()).as(loaded.toString()).isEqualTo(200);
            String revision = loaded.json().getString("revision");
            for (String code : List.of("T-1", "T-1", "T-2")) {
                assertThat(http().post("api/v1/records/parcel", "{\"values\": {\"subject\": \"Printer\", \"code\": \""
                        + code + "\"}}").status()).isEqualTo(201);
            }

            Files.writeString(parcel, yaml + "    unique: true\n");
            Http.Reply refused = http().post("api/v1/admin/metadata/reload", "");

            assertThat(refused.status()).as(refused.toString()).isEqualTo(409);
            assertThat(refused.json().getString("type")).endsWith("/schema-conflict");
            JsonObject problem = refused.json().getJsonArray("problems").getJsonObject(0);
            assertThat(problem.getString("file")).endsWith("entities/parcel.yaml");
            assertThat(problem.getInt("line")).isEqualTo(9);
            assertThat(problem.getInt("column")).isEqualTo(5);
            assertThat(problem.getString("code")).isEqualTo("SCHEMA_DUPLICATE_VALUES");
            assertThat(problem.getString("message")).contains("'code' of 'parcel' cannot become unique", "in 2 records",
                    "'T-1' (#");
            assertThat(problem.getString("fix")).startsWith("clean these 2 records first");
            assertThat(refused.body()).doesNotContain("CREATE", "INDEX", "ux_rec_parcel");
            // the old model keeps serving: no unique index was made
            assertThat(http().get("api/v1/metadata/entities").json().getString("revision")).isEqualTo(revision);
            assertThat(http().post("api/v1/records/parcel", "{\"values\": {\"code\": \"T-2\"}}").status()).isEqualTo(201);
        } finally {
            Files.deleteIfExists(parcel);
        }
        assertThat(http().post("api/v1/admin/metadata/reload", "").status()).isEqualTo(200);

        Http.Reply orphans = http().get("api/v1/admin/schema/orphans");
        assertThat(orphans.status()).as(orphans.toString()).isEqualTo(200);
        JsonObject parcelTable = orphans.json().getJsonArray("items").getValuesAs(JsonObject.class).stream()
                .filter(o -> o.getString("table").equals("rec_parcel")).findFirst().orElseThrow();
        assertThat(parcelTable.getString("kind")).isEqualTo("table");
        assertThat(parcelTable.getJsonNumber("values").longValue()).isGreaterThanOrEqualTo(4);
        assertThat(anonymous().get("api/v1/admin/schema/orphans").status()).isEqualTo(401);

        Http.Reply inUse = http().delete("api/v1/admin/schema/orphans/rec_account");
        assertThat(inUse.status()).as(inUse.toString()).isEqualTo(409);
        assertThat(inUse.json().getString("type")).endsWith("/not-an-orphan");
        assertThat(inUse.json().getString("detail")).contains("holds the records of entity 'account'");
        assertThat(http().delete("api/v1/admin/schema/orphans/rec_account/name").status()).isEqualTo(409);
        assertThat(http().delete("api/v1/admin/schema/orphans/rec_nothing_here").status()).isEqualTo(404);
        assertThat(http().get("api/v1/records/account?limit=1").status()).isEqualTo(200);
        String adminPage = http().get("admin/metadata.xhtml").body();
        assertThat(adminPage).contains("rec_parcel").containsAnyOf("Tables and columns no longer in the metadata",
                "Tabellen und Spalten, die nicht mehr in den Metadaten stehen");

        Http.Reply dropped = http().delete("api/v1/admin/schema/orphans/rec_parcel");
        assertThat(dropped.status()).as(dropped.toString()).isEqualTo(200);
        assertThat(dropped.json().getJsonObject("dropped").getJsonNumber("values").longValue())
                .isEqualTo(parcelTable.getJsonNumber("values").longValue());
        assertThat(http().get("api/v1/admin/schema/orphans").body()).doesNotContain("rec_parcel");
    }

    // ---- generated UI ------------------------------------------------------------------------------

    /** Logs the browser in (after a logout, if someone is logged in) and lands on {@code page}. */
    private void logInAs(String username, String password, String page) {
        WebDriverWait wait = ItServer.patientWait(browser);
        browser.manage().deleteAllCookies();
        browser.get(base + page);
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("loginForm:username"))).sendKeys(username);
        browser.findElement(By.id("loginForm:password")).sendKeys(password);
        browser.findElement(By.id("loginForm:login")).click();
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("userForm:account")));
    }

    @Test
    void userCreatesFindsAndEditsAContactThroughTheGeneratedUi() throws IOException {
        WebDriverWait wait = ItServer.patientWait(browser);
        logInAs("admin", ADMIN_PASSWORD, "list.xhtml?entity=contact");
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

        wait.until(ExpectedConditions.textToBe(By.id("recordTitle"), "Greta Zauberfeld"));
        assertThat(browser.getCurrentUrl()).contains("id=");
        assertThat(browser.findElement(By.id("recordForm:f_account_input")).getAttribute("value")).isEqualTo("Allsecur Versicherung AG");

        browser.get(base + "list.xhtml?entity=contact");
        WebElement search = wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("listForm:records:globalFilter")));
        search.sendKeys("zauber");
        // Every key press filters; wait for the last answer, then click (a late answer may redraw the rows).
        By rows = By.cssSelector("#listForm\\:records_data tr");
        // the row as redrawn by the last answer: first and last name, and the account's title
        wait.ignoring(StaleElementReferenceException.class).until(d -> d.findElements(rows).size() == 1
                && d.findElement(rows).getText().contains("Zauberfeld")
                && d.findElement(rows).getText().contains("Greta")
                && d.findElement(rows).getText().contains("Allsecur Versicherung AG"));
        screenshot("contact-list-search");
        wait.ignoring(StaleElementReferenceException.class).until(d -> {
            d.findElement(By.cssSelector("#listForm\\:records_data tr a.record-link")).click();
            return true;
        });

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
    void aFieldsLimitsShowUnderItsInputAndRefusalsSpeakTheUsersLanguage() throws IOException {
        WebDriverWait wait = ItServer.patientWait(browser);
        long account = id(http().post("api/v1/records/account", "{\"values\": {\"name\": \"Formgrenzen GmbH\"}}"));
        logInAs("admin", ADMIN_PASSWORD, "record.xhtml?entity=account&id=" + account);
        assertThat(browser.findElement(By.id("recordForm:l_postal_code")).getText()).isEqualTo("Format: 4 or 5 digits, e.g. 10115");
        assertThat(browser.findElement(By.id("recordForm:l_employees")).getText()).isEqualTo("At least 0");
        browser.findElement(By.linkText("DE")).click();
        wait.until(ExpectedConditions.textToBe(By.id("recordForm:l_employees"), "Mindestens 0"));
        assertThat(browser.findElement(By.id("recordForm:l_postal_code")).getText())
                .isEqualTo("Format: 4 oder 5 Ziffern, z. B. 10115");

        browser.findElement(By.id("recordForm:f_postal_code")).sendKeys("D-1");
        browser.findElement(By.id("recordForm:save")).click();
        WebElement error = wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("recordForm:e_postal_code")));
        assertThat(error.getText()).isEqualTo("Erwartetes Format: 4 oder 5 Ziffern, z. B. 10115");
        screenshot("account-pattern-error-de");
        assertThat(http().get("api/v1/records/account/" + account).json().getJsonObject("values").isNull("postal_code")).isTrue();
        browser.findElement(By.linkText("EN")).click();
        wait.until(ExpectedConditions.textToBe(By.id("recordForm:save"), "Save"));
    }

    @Test
    void switchingLanguageKeepsTheUserOnTheSameRecord() {
        WebDriverWait wait = ItServer.patientWait(browser);
        logInAs("admin", ADMIN_PASSWORD, "record.xhtml?entity=account&id=1");
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

    @Test
    void aSiteIconRequestWhileTheLoginPageShowsDoesNotChangeWhereTheLoginContinues() {
        WebDriverWait wait = ItServer.patientWait(browser);
        browser.manage().deleteAllCookies();
        browser.get(base + "record.xhtml?entity=account&id=1");
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("loginForm:username")));
        // What browsers do by themselves for every site (headless Chromium does not): fetch /favicon.ico. Before
        // logging in, it too is sent to the login page, and the login then continued to it: an error page.
        browser.get(base + "favicon.ico");
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("loginForm:username"))).sendKeys("admin");
        browser.findElement(By.id("loginForm:password")).sendKeys(ADMIN_PASSWORD);
        browser.findElement(By.id("loginForm:login")).click();
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("recordTitle")));
        assertThat(browser.getCurrentUrl()).contains("record.xhtml?entity=account&id=1");
    }

    @Test
    void myAccountRefusesAWeakPasswordAndOffersToRevokeTheTokensWithTheChange() {
        createUser("ida.account", List.of("read_only"), List.of());
        Http token = anonymous().bearer(as("ida.account").post("api/v1/me/tokens", "{\"name\": \"laptop\"}").json().getString("token"));
        WebDriverWait wait = ItServer.patientWait(browser);
        logInAs("ida.account", PASSWORD, "account.xhtml");
        assertThat(browser.findElement(By.id("passwordHelp")).getText()).contains("NIST SP 800-63B");
        browser.findElement(By.id("accountForm:current")).sendKeys(PASSWORD);
        browser.findElement(By.id("accountForm:new")).sendKeys("aaaaaaaaaaaa");
        browser.findElement(By.id("accountForm:repeat")).sendKeys("aaaaaaaaaaaa");
        browser.findElement(By.id("accountForm:changePassword")).click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("accountForm:messages"), "repeated or sequential"));
        assertThat(token.get("api/v1/me").status()).isEqualTo(200);

        browser.findElement(By.id("accountForm:current")).sendKeys(PASSWORD);
        browser.findElement(By.id("accountForm:new")).sendKeys("granite-swan-hums-at-dawn");
        browser.findElement(By.id("accountForm:repeat")).sendKeys("granite-swan-hums-at-dawn");
        assertThat(browser.findElement(By.cssSelector("#accountForm\\:revokeTokens .ui-chkbox-label")).getText()).contains("1 active");
        browser.findElement(By.cssSelector("#accountForm\\:revokeTokens .ui-chkbox-box")).click();
        browser.findElement(By.id("accountForm:changePassword")).click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("accountForm:messages"), "1 API token(s) revoked"));
        assertThat(token.get("api/v1/me").status()).isEqualTo(401);
        assertThat(anonymous().basic("ida.account", "granite-swan-hums-at-dawn").get("api/v1/me").status()).isEqualTo(200);
    }

    // ---- list filters, narrowed pickers, small screens ----------------------------------------------------

    /** Waits for {@code condition}; if it never holds, keeps a screenshot of what the page showed instead. */
    private static <T> T untilOrScreenshot(WebDriverWait wait, String name,
                                           java.util.function.Function<? super WebDriver, T> condition) throws IOException {
        try {
            return wait.until(condition);
        } catch (org.openqa.selenium.TimeoutException e) {
            screenshot(name + "-failed");
            throw e;
        }
    }


    @Test
    void aChoiceColumnIsFilteredByItsLabelFromADropdown() throws IOException {
        WebDriverWait wait = ItServer.patientWait(browser);
        http().post("api/v1/records/activity", "{\"values\": {\"subject\": \"Filterbrief\", \"type\": \"letter\"}}");
        http().post("api/v1/records/activity", "{\"values\": {\"subject\": \"Filteranruf\", \"type\": \"call\"}}");
        logInAs("admin", ADMIN_PASSWORD, "list.xhtml?entity=activity");
        By rows = By.cssSelector("#listForm\\:records_data tr");
        By types = By.cssSelector("#listForm\\:records_data td.column-type");
        wait.until(d -> d.findElement(By.id("listForm:records")).getText().contains("Filteranruf"));

        ItPages.choose(wait, "listForm:records:filter_type", "Letter");
        wait.until(d -> d.findElements(types).stream().allMatch(t -> t.getText().equals("Letter"))
                && d.findElement(By.id("listForm:records")).getText().contains("Filterbrief"));
        assertThat(browser.findElement(By.id("listForm:records")).getText()).doesNotContain("Filteranruf");
        assertThat(browser.findElements(rows)).hasSize((int) count("activity", "&filter=type:eq:letter"));
        screenshot("activity-list-choice-filter");

        ItPages.choose(wait, "listForm:records:filter_type", "All");
        wait.until(d -> d.findElement(By.id("listForm:records")).getText().contains("Filteranruf"));
        ItPages.choose(wait, "listForm:records:filter_done", "No");
        untilOrScreenshot(wait, "activity-list-boolean-filter", d -> d.findElement(By.id("listForm:records")).getText()
                .contains("Filteranruf") && d.findElements(By.cssSelector("#listForm\\:records_data td.column-done"))
                .stream().noneMatch(t -> t.getText().equals("Yes")));
    }

    @Test
    void aNarrowWindowShowsAMenuButtonThatOpensTheNavigation() throws IOException {
        WebDriverWait wait = ItServer.patientWait(browser);
        logInAs("admin", ADMIN_PASSWORD, "index.xhtml");
        Dimension wide = browser.manage().window().getSize();
        try {
            browser.manage().window().setSize(new Dimension(600, 900));
            WebElement toggle = wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("menuToggle")));
            assertThat(browser.findElement(By.id("sidebar")).isDisplayed()).as("navigation hidden at 600 px").isFalse();
            assertThat(toggle.getAttribute("aria-label")).isEqualTo("Menu");
            assertThat(toggle.getAttribute("aria-expanded")).isEqualTo("false");

            toggle.click();
            wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("sidebar")));
            assertThat(toggle.getAttribute("aria-expanded")).isEqualTo("true");
            assertThat(browser.findElement(By.id("sidebar")).getText()).contains("Contacts", "Activities");
            screenshot("narrow-window-menu-open");

            browser.switchTo().activeElement().sendKeys(Keys.ESCAPE);
            wait.until(ExpectedConditions.invisibilityOfElementLocated(By.id("sidebar")));
            assertThat(toggle.getAttribute("aria-expanded")).isEqualTo("false");
            toggle.sendKeys(Keys.ENTER);
            wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("sidebar")));
        } finally {
            browser.manage().window().setSize(wide);
        }
        assertThat(browser.findElement(By.id("menuToggle")).isDisplayed()).as("no menu button on a wide window").isFalse();
        assertThat(browser.findElement(By.id("sidebar")).isDisplayed()).isTrue();
    }

    @Test
    void theContactPickerOffersTheContactsOfTheChosenAccountByFullNameAndADateTimeNeedsNoSeconds() throws IOException {
        WebDriverWait wait = ItServer.patientWait(browser);
        long narrow = id(http().post("api/v1/records/account", "{\"values\": {\"name\": \"Schmalfilter GmbH\"}}"));
        long wide = id(http().post("api/v1/records/account", "{\"values\": {\"name\": \"Breitfilter AG\"}}"));
        long ida = id(http().post("api/v1/records/contact", "{\"values\": {\"first_name\": \"Ida\", \"last_name\": \"Enge\", \"account\": " + narrow + "}}"));
        http().post("api/v1/records/contact", "{\"values\": {\"first_name\": \"Udo\", \"last_name\": \"Enge\", \"account\": " + narrow + "}}");
        http().post("api/v1/records/contact", "{\"values\": {\"first_name\": \"Max\", \"last_name\": \"Enge\", \"account\": " + wide + "}}");

        logInAs("admin", ADMIN_PASSWORD, "record.xhtml?entity=activity");
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("recordForm:f_subject"))).sendKeys("Enger Kreis");
        ItPages.choose(wait, "recordForm:f_type", "Call");
        browser.findElement(By.id("recordForm:f_account_input")).sendKeys("Schmalfilter");
        wait.until(ExpectedConditions.elementToBeClickable(
                By.cssSelector("#recordForm\\:f_account_panel li.ui-autocomplete-item"))).click();

        browser.findElement(By.id("recordForm:f_contact_input")).sendKeys("Enge");
        By suggestions = By.cssSelector("#recordForm\\:f_contact_panel li.ui-autocomplete-item");
        wait.until(d -> d.findElements(suggestions).size() == 2);
        assertThat(browser.findElements(suggestions)).extracting(WebElement::getText)
                .as("the contacts of the chosen account, by first and last name").containsExactly("Ida Enge", "Udo Enge");
        screenshot("activity-contact-picker-narrowed");
        browser.findElements(suggestions).get(0).click();

        WebElement due = browser.findElement(By.id("recordForm:f_due_at_input"));
        due.sendKeys("2026-12-04 14:30");
        due.sendKeys(Keys.TAB);
        browser.findElement(By.tagName("h1")).click(); // a click outside closes the calendar that typing opened
        screenshot("activity-date-time-typed");
        browser.findElement(By.id("recordForm:save")).click();
        untilOrScreenshot(wait, "activity-date-time-saved", ExpectedConditions.textToBe(By.id("recordTitle"), "Enger Kreis"));
        assertThat(browser.findElement(By.id("recordForm:f_contact_input")).getAttribute("value")).isEqualTo("Ida Enge");
        assertThat(browser.findElement(By.id("recordForm:f_due_at_input")).getAttribute("value")).isEqualTo("2026-12-04 14:30");

        JsonObject stored = http().get("api/v1/records/activity?filter=subject:eq:Enger%20Kreis").json()
                .getJsonArray("items").getJsonObject(0).getJsonObject("values");
        assertThat(stored.getJsonNumber("contact").longValue()).isEqualTo(ida);
        assertThat(java.time.OffsetDateTime.parse(stored.getString("due_at")).toInstant())
                .isEqualTo(java.time.LocalDateTime.parse("2026-12-04T14:30").atZone(java.time.ZoneId.systemDefault()).toInstant());
        String day = java.time.LocalDate.parse("2026-12-04").atStartOfDay(java.time.ZoneId.systemDefault())
                .toOffsetDateTime().withOffsetSameInstant(java.time.ZoneOffset.UTC).toLocalDateTime().toString().replace('T', ' ');
        assertThat(count("activity", "&filter=subject:eq:Enger%20Kreis&filter=due_at:ge:" + day.replace(" ", "%20")))
                .as("an API date-time filter in minutes, with a space").isEqualTo(1);
    }

    private long count(String entity, String query) {
        return http().get("api/v1/records/" + entity + "?count=true&limit=1" + query).json().getJsonNumber("totalCount").longValue();
    }

    private static void screenshot(String name) throws IOException {
        File file = ((TakesScreenshot) browser).getScreenshotAs(OutputType.FILE);
        Files.copy(file.toPath(), SCREENSHOTS.resolve(name + ".png"), StandardCopyOption.REPLACE_EXISTING);
    }
}
