package io.relata.web.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.relata.plugins.PluginJar;
import jakarta.json.JsonObject;
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
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Plugins on the running server, through the admin REST API: a plugin jar built in this test (metadata with a new
 * entity, a rule function its rules call, a record listener) is installed, used, upgraded, disabled, enabled,
 * uninstalled and installed again without a restart; bad jars and bad metadata are refused with their reasons.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class PluginIT {

    private static Path jars;

    @ArquillianResource
    URL base;

    @Deployment(testable = false)
    static WebArchive deployment() throws SQLException {
        return ItServer.deployment();
    }

    @BeforeAll
    static void folder() throws Exception {
        jars = Files.createTempDirectory("plugin-it-");
    }

    private Http admin() {
        return new Http(URI.create(base.toString())).basic("admin", ItServer.ADMIN_PASSWORD);
    }

    /**
     * The test's insurance plugin: entity {@code it_policy} whose premium a rule computes with
     * {@code it_tariff.premium(sum)} (rate per version), and a listener refusing sums over 10 million.
     */
    private static Path insurance(String version, String rate, String extraField) throws Exception {
        String pkg = "it.insurance.v" + version.replace('.', '_');
        return new PluginJar(jars, "it-insurance", version)
                .attribute("Plugin-Requires", ">=0.1.0")
                .extension(pkg + ".Tariff", """
                        package %s;
                        import io.relata.api.plugin.RuleFunctions;
                        import java.math.BigDecimal;
                        import java.util.Map;
                        @org.pf4j.Extension
                        public class Tariff implements RuleFunctions {
                            public String namespace() { return "it_tariff"; }
                            public Map<String, RuleFunction> functions() {
                                return Map.of("premium", args -> ((BigDecimal) args.get(0)).multiply(new BigDecimal("%s")));
                            }
                        }
                        """.formatted(pkg, rate))
                .extension(pkg + ".SumLimit", """
                        package %s;
                        import io.relata.api.model.LocalizedText;
                        import io.relata.api.plugin.RecordChange;
                        import io.relata.api.plugin.RecordListener;
                        import java.math.BigDecimal;
                        import java.util.Set;
                        @org.pf4j.Extension
                        public class SumLimit implements RecordListener {
                            public Set<String> entities() { return Set.of("it_policy"); }
                            public void beforeSave(RecordChange change) {
                                Object sum = change.values().get("sum_insured");
                                if (sum instanceof BigDecimal b && b.compareTo(new BigDecimal("10000000")) > 0) {
                                    change.reject("sum_insured", "sum_too_high", LocalizedText.of(
                                        "Über 10 Mio. versichern wir nur mit Einzelprüfung.",
                                        "Above 10 million we insure only after an individual review."));
                                }
                                if (change.values().get("number") instanceof String n && !n.equals(n.toUpperCase())) {
                                    change.set("number", n.toUpperCase());
                                }
                            }
                        }
                        """.formatted(pkg))
                .extension(pkg + ".Underwriting", """
                        package %s;
                        import io.relata.api.model.LocalizedText;
                        import io.relata.api.plugin.Integration;
                        import java.math.BigDecimal;
                        import java.util.Map;
                        @org.pf4j.Extension
                        public class Underwriting implements Integration {
                            public String name() { return "it_underwriting"; }
                            public Response call(Request request) {
                                boolean accepted = ((BigDecimal) request.payload().get("sum")).compareTo(new BigDecimal("5000000")) <= 0;
                                return new Response(accepted, Map.of("risk", accepted ? "standard" : "refer"),
                                        accepted ? null : LocalizedText.of("Zur Einzelprüfung", "Refer to an underwriter"));
                            }
                        }
                        """.formatted(pkg))
                .resource("metadata/demo/it.yaml", """
                        - entity: it_policy
                          values: {number: DEMO-1, sum_insured: 100000, holder_account: 'find:account.name=Allsecur Versicherung AG'}
                        """)
                .resource("metadata/extensions/account.yaml", """
                        extends: account
                        fields:
                          it_customer_since: {type: date, label: {de: Kunde seit, en: Customer since}}
                        options:
                          industry:
                            - {value: it_reinsurance, label: {de: Rückversicherung, en: Reinsurance}}
                        """)
                .resource("metadata/entities/it_policy.yaml", """
                        name: it_policy
                        label: {de: Testpolice, en: Test policy}
                        pluralLabel: {de: Testpolicen, en: Test policies}
                        titleField: number
                        fields:
                          number: {type: text, label: {de: Nummer, en: Number}, required: true, listed: true, maxLength: 40}
                          sum_insured: {type: money, label: {de: Versicherungssumme, en: Sum insured}, required: true}
                          holder_account: {type: reference, entity: account, label: {de: Firma, en: Account}}
                          premium:
                            type: money
                            label: {de: Prämie, en: Premium}
                            computed: "record.sum_insured == null ? null : it_tariff.premium(record.sum_insured)"
                        %s
                        examples:
                          - name: the premium comes from the tariff
                            record: {number: P-1, sum_insured: 1000}
                            expect: {values: {premium: %s}}
                        """.formatted(extraField, new java.math.BigDecimal(rate).multiply(new java.math.BigDecimal(1000)).stripTrailingZeros().toPlainString()))
                .build();
    }

    @Test
    void aPluginIsInstalledUsedUpgradedDisabledUninstalledAndInstalledAgainWithoutARestart() throws Exception {
        JsonObject installed = ok(admin().postJar("api/v1/admin/plugins?fileName=it-insurance-1.0.0.jar",
                insurance("1.0.0", "0.015", "")));
        assertThat(installed.getString("state")).isEqualTo("ENABLED");
        assertThat(installed.getString("installedBy")).isEqualTo("admin");
        assertThat(installed.getString("sha256")).hasSize(64);
        assertThat(installed.getJsonArray("layerFiles").getValuesAs(jakarta.json.JsonString.class))
                .extracting(jakarta.json.JsonString::getString)
                .containsExactly("demo/it.yaml", "entities/it_policy.yaml", "extensions/account.yaml");
        assertThat(installed.getJsonArray("extensions").getValuesAs(jakarta.json.JsonString.class))
                .extracting(jakarta.json.JsonString::getString)
                .containsExactlyInAnyOrder("RuleFunctions: it_tariff", "RecordListener: it.insurance.v1_0_0.SumLimit",
                        "Integration: it_underwriting");

        // its demo records came with it (demo data is on in these tests), computed with its function
        JsonObject demo = ok(admin().get("api/v1/records/it_policy?filter=number:eq:DEMO-1")).getJsonArray("items").getJsonObject(0);
        assertThat(demo.getJsonObject("values").getJsonNumber("premium").bigDecimalValue()).isEqualByComparingTo("1500");
        assertThat(demo.getJsonObject("values").getJsonNumber("holder_account").longValue()).isPositive();

        // the metadata API says where each element comes from
        JsonObject entity = ok(admin().get("api/v1/metadata/entities/it_policy"));
        assertThat(entity.getString("layer")).isEqualTo("plugin:it-insurance 1.0.0");
        assertThat(entity.getJsonArray("fields").getJsonObject(0).getString("layer")).isEqualTo("plugin:it-insurance 1.0.0");
        JsonObject account = ok(admin().get("api/v1/metadata/entities/account"));
        assertThat(account.getString("layer")).isEqualTo("core");
        // the plugin's extension of a core entity: its field, its option, from its layer
        JsonObject customerSince = account.getJsonArray("fields").stream().map(v -> v.asJsonObject())
                .filter(f -> f.getString("name").equals("it_customer_since")).findFirst().orElseThrow();
        assertThat(customerSince.getString("layer")).isEqualTo("plugin:it-insurance 1.0.0");
        assertThat(account.toString()).contains("it_reinsurance");
        long reinsurer = ok(admin().post("api/v1/records/account", "{\"values\": {\"name\": \"IT Re AG\","
                + " \"industry\": \"it_reinsurance\", \"it_customer_since\": \"2020-01-01\"}}")).getJsonNumber("id").longValue();
        assertThat(reinsurer).isPositive();

        // the plugin's entity exists at once, its rule calls the plugin's function, its listener refuses
        JsonObject policy = ok(admin().post("api/v1/records/it_policy",
                "{\"values\": {\"number\": \"P-100\", \"sum_insured\": 200000}}"));
        long id = policy.getJsonNumber("id").longValue();
        assertThat(policy.getJsonObject("values").getJsonNumber("premium").bigDecimalValue()).isEqualByComparingTo("3000");
        Http.Reply tooHigh = admin().header("Accept-Language", "de")
                .post("api/v1/records/it_policy", "{\"values\": {\"number\": \"P-101\", \"sum_insured\": 20000000}}");
        assertThat(tooHigh.status()).as(tooHigh.toString()).isEqualTo(422);
        assertThat(tooHigh.body()).contains("sum_too_high", "Über 10 Mio. versichern wir nur mit Einzelprüfung.");
        // what the listener sets is stored and attributed to its plugin
        JsonObject normalised = ok(admin().post("api/v1/records/it_policy",
                "{\"values\": {\"number\": \"p-102\", \"sum_insured\": 1000}}"));
        assertThat(normalised.getJsonObject("values").getString("number")).isEqualTo("P-102");
        JsonObject byPlugin = normalised.getJsonArray("processChanges").getJsonObject(0);
        assertThat(byPlugin.getString("field")).isEqualTo("number");
        assertThat(byPlugin.getString("previous")).isEqualTo("p-102");
        assertThat(byPlugin.getString("plugin")).isEqualTo("it-insurance");
        assertThat(byPlugin.isNull("process")).isTrue();

        // the integration: called, answered, recorded with the plugin's version
        JsonObject underwriting = ok(admin().post("api/v1/admin/integrations/it_underwriting",
                "{\"operation\": \"assess\", \"payload\": {\"sum\": 8000000}, \"entity\": \"it_policy\", \"recordId\": " + id + "}"));
        assertThat(underwriting.getBoolean("ok")).isFalse();
        assertThat(underwriting.getString("message")).isEqualTo("Refer to an underwriter");
        assertThat(underwriting.getString("plugin")).isEqualTo("it-insurance 1.0.0");
        JsonObject recordedCall = ok(admin().get("api/v1/admin/integrations/calls?entity=it_policy&recordId=" + id))
                .getJsonArray("items").getJsonObject(0);
        assertThat(recordedCall.getString("outcome")).isEqualTo("NO");
        assertThat(recordedCall.getString("request")).contains("8000000");
        assertThat(recordedCall.getString("actor")).isEqualTo("admin");
        assertThat(admin().post("api/v1/admin/integrations/nothing_like_it", "{\"operation\": \"x\"}").status()).isEqualTo(404);

        // an upgrade with another rate and one more field, while users keep writing and reading policies: not one of
        // their requests fails (each is served by the old version or the new one), and the next call uses the new
        Path next = insurance("1.1.0", "0.02", "  risk_class: {type: text, label: {de: Risikoklasse, en: Risk class}, maxLength: 10}");
        java.util.concurrent.atomic.AtomicBoolean upgrading = new java.util.concurrent.atomic.AtomicBoolean(true);
        java.util.concurrent.ExecutorService users = java.util.concurrent.Executors.newFixedThreadPool(4);
        List<java.util.concurrent.Future<List<String>>> load = new java.util.ArrayList<>();
        for (int user = 0; user < 4; user++) {
            int number = user;
            load.add(users.submit(() -> {
                List<String> failures = new java.util.ArrayList<>();
                int sent = 0;
                while (upgrading.get() || sent < 5) {
                    Http.Reply created = admin().post("api/v1/records/it_policy", "{\"values\": {\"number\": \"L-"
                            + number + "-" + sent + "\", \"sum_insured\": 100000}}");
                    Http.Reply read = admin().get("api/v1/records/it_policy/" + id);
                    sent++;
                    for (Http.Reply reply : List.of(created, read)) {
                        if (reply.status() >= 300) {
                            failures.add(reply.toString());
                        }
                    }
                }
                failures.add("sent " + sent);
                return failures;
            }));
        }
        Thread.sleep(300);
        JsonObject upgraded;
        try {
            upgraded = ok(admin().putJar("api/v1/admin/plugins/it-insurance?fileName=it-insurance-1.1.0.jar", next));
        } finally {
            upgrading.set(false);
        }
        int requests = 0;
        for (var user : load) {
            List<String> failures = user.get(2, java.util.concurrent.TimeUnit.MINUTES);
            requests += 2 * Integer.parseInt(failures.remove(failures.size() - 1).substring("sent ".length()));
            assertThat(failures).as("requests failed during the upgrade").isEmpty();
        }
        users.shutdown();
        assertThat(requests).as("requests during the upgrade").isGreaterThanOrEqualTo(40);
        assertThat(upgraded.getString("version")).isEqualTo("1.1.0");
        assertThat(upgraded.getString("previousVersion")).isEqualTo("1.0.0");
        JsonObject second = ok(admin().post("api/v1/records/it_policy",
                "{\"values\": {\"number\": \"P-102\", \"sum_insured\": 200000, \"risk_class\": \"B\"}}"));
        assertThat(second.getJsonObject("values").getJsonNumber("premium").bigDecimalValue()).isEqualByComparingTo("4000");
        assertThat(second.getJsonObject("values").getString("risk_class")).isEqualTo("B");

        // disabled: the entity is gone, its data stays; enabled again: it is back
        assertThat(ok(admin().post("api/v1/admin/plugins/it-insurance/disable", "{}")).getString("state")).isEqualTo("DISABLED");
        assertThat(admin().get("api/v1/records/it_policy/" + id).status()).isEqualTo(404);
        // the core account keeps the plugin's option, retired: stored values stay, new ones are refused
        assertThat(ok(admin().get("api/v1/records/account/" + reinsurer)).getJsonObject("values").getString("industry"))
                .isEqualTo("it_reinsurance");
        assertThat(admin().post("api/v1/records/account", "{\"values\": {\"name\": \"Other Re\","
                + " \"industry\": \"it_reinsurance\"}}").status()).isEqualTo(422);
        assertThat(ok(admin().post("api/v1/admin/plugins/it-insurance/enable", "{}")).getString("state")).isEqualTo("ENABLED");
        assertThat(ok(admin().get("api/v1/records/account/" + reinsurer)).getJsonObject("values").getString("it_customer_since"))
                .as("the extension's column kept its data").isEqualTo("2020-01-01");
        assertThat(ok(admin().get("api/v1/records/it_policy/" + id)).getJsonObject("values").getString("number")).isEqualTo("P-100");

        // uninstalled and installed again (the older jar): the records are still there
        assertThat(admin().delete("api/v1/admin/plugins/it-insurance").status()).isEqualTo(200);
        assertThat(ok(admin().get("api/v1/admin/plugins")).getJsonArray("items")).isEmpty();
        assertThat(admin().get("api/v1/metadata/entities/it_policy").status()).isEqualTo(404);
        ok(admin().postJar("api/v1/admin/plugins", insurance("1.1.0", "0.02",
                "  risk_class: {type: text, label: {de: Risikoklasse, en: Risk class}, maxLength: 10}")));
        assertThat(ok(admin().get("api/v1/records/it_policy/" + id)).getJsonObject("values").getString("number")).isEqualTo("P-100");

        List<String> actions = ok(admin().get("api/v1/admin/plugins/it-insurance/history")).getJsonArray("items")
                .stream().map(v -> v.asJsonObject().getString("action")).toList();
        assertThat(actions).containsExactly("INSTALL", "UNINSTALL", "ENABLE", "DISABLE", "UPGRADE", "INSTALL");
    }

    @Test
    void badJarsAndBadMetadataAreRefusedWithTheirReasonsAndNothingChanges() throws Exception {
        Http.Reply noManifest = admin().postJar("api/v1/admin/plugins?fileName=broken.jar",
                new PluginJar(jars, "Not an id", "x").attribute("Plugin-Provider", null).build());
        assertThat(noManifest.status()).as(noManifest.toString()).isEqualTo(422);
        assertThat(noManifest.json().getString("type")).endsWith("plugin-refused");
        assertThat(noManifest.body()).contains("broken.jar: the manifest has no Plugin-Provider", "Plugin-Id 'Not an id' is not valid");

        Http.Reply badMetadata = admin().postJar("api/v1/admin/plugins?fileName=bad-metadata.jar",
                new PluginJar(jars, "it-bad-metadata", "1.0.0").resource("metadata/entities/it_broken.yaml", """
                        name: it_broken
                        label: {de: Kaputt, en: Broken}
                        pluralLabel: {de: Kaputte, en: Broken ones}
                        fields:
                          size: {type: sizeable, label: {de: Größe, en: Size}}
                        """).build());
        assertThat(badMetadata.status()).as(badMetadata.toString()).isEqualTo(422);
        assertThat(badMetadata.body()).contains("it_broken.yaml:5:");
        assertThat(admin().get("api/v1/metadata/entities/it_broken").status()).isEqualTo(404);

        Http.Reply notAJar = admin().postJar("api/v1/admin/plugins?fileName=notes.txt",
                Files.writeString(jars.resolve("notes.txt"), "plain text"));
        assertThat(notAJar.status()).isEqualTo(422);
        assertThat(notAJar.body()).contains("notes.txt is not a readable jar file");

        assertThat(ok(admin().get("api/v1/admin/plugins")).getJsonArray("items").stream()
                .map(v -> v.asJsonObject().getString("id"))).doesNotContain("it-bad-metadata");
    }

    @Test
    void onlyAdministratorsManagePlugins() throws Exception {
        ok(admin().post("api/v1/admin/users", "{\"username\": \"rita.rep\", \"password\": \"a-long-test-password\","
                + " \"roles\": [\"sales\"]}"));
        Http rep = new Http(URI.create(base.toString())).basic("rita.rep", "a-long-test-password");

        assertThat(rep.get("api/v1/admin/plugins").status()).isEqualTo(403);
        assertThat(rep.postJar("api/v1/admin/plugins", insurance("9.0.0", "1", "")).status()).isEqualTo(403);
    }

    @Test
    void anAdministratorInstallsAndDisablesAPluginOnTheAdminPage() throws Exception {
        Path jar = new PluginJar(jars, "it-page", "1.0.0").attribute("Plugin-Description", "Shown on the page")
                .extension("it.page.NoteFacts", """
                        package it.page;
                        import io.relata.api.model.LocalizedText;
                        import io.relata.api.plugin.PanelContent;
                        import io.relata.api.plugin.RecordPanel;
                        import java.util.Set;
                        @org.pf4j.Extension
                        public class NoteFacts implements RecordPanel {
                            public String id() { return "it_note_facts"; }
                            public Set<String> entities() { return Set.of("it_page_note"); }
                            public LocalizedText title() { return LocalizedText.of("Notizfakten", "Note facts"); }
                            public PanelContent render(Request request) {
                                String text = String.valueOf(request.record().get("text"));
                                if (text.equals("boom")) { throw new IllegalStateException("the fact service is down"); }
                                return PanelContent.builder()
                                        .fact(LocalizedText.of("Länge", "Length"), text.length())
                                        .columns(LocalizedText.of("Wort", "Word"))
                                        .row("<b>" + text + "</b>")
                                        .build();
                            }
                        }
                        """)
                .resource("metadata/entities/it_page_note.yaml", """
                        name: it_page_note
                        label: {de: Seitennotiz, en: Page note}
                        pluralLabel: {de: Seitennotizen, en: Page notes}
                        titleField: text
                        fields:
                          text: {type: text, label: {de: Text, en: Text}, required: true, listed: true, maxLength: 100}
                        """).build();
        org.openqa.selenium.WebDriver browser = ItServer.browser();
        try {
            var wait = ItServer.patientWait(browser);
            browser.get(base + "admin/plugins.xhtml");
            wait.until(visible("loginForm:username")).sendKeys("admin");
            browser.findElement(org.openqa.selenium.By.id("loginForm:password")).sendKeys(ItServer.ADMIN_PASSWORD);
            browser.findElement(org.openqa.selenium.By.id("loginForm:login")).click();
            wait.until(visible("uploadForm:jar"));
            assertThat(browser.findElement(org.openqa.selenium.By.tagName("h1")).getText()).isEqualTo("Plugins");

            browser.findElement(org.openqa.selenium.By.id("uploadForm:jar")).sendKeys(jar.toAbsolutePath().toString());
            browser.findElement(org.openqa.selenium.By.id("uploadForm:installOrUpgrade")).click();
            wait.until(org.openqa.selenium.support.ui.ExpectedConditions.textToBePresentInElementLocated(
                    org.openqa.selenium.By.id("pluginMessages"), "Plugin it-page 1.0.0 installed."));
            assertThat(row(browser, "it-page").getText()).contains("Shown on the page", "Enabled",
                    "entities/it_page_note.yaml", "admin on");
            // the metadata page tells which layer defines each element
            browser.get(base + "admin/metadata.xhtml");
            assertThat(wait.until(visible("layers")).getText()).contains("it_page_note", "plugin:it-page 1.0.0",
                    "account", "core");
            // the entity is in the navigation at once
            browser.get(base + "list.xhtml?entity=it_page_note");
            wait.until(org.openqa.selenium.support.ui.ExpectedConditions.textToBe(
                    org.openqa.selenium.By.tagName("h1"), "Page notes"));

            // the plugin's panel on a record page: its facts, escaped; a failing panel says why in its place
            Http admin = admin();
            long note = ok(admin.post("api/v1/records/it_page_note", "{\"values\": {\"text\": \"Hello\"}}"))
                    .getJsonNumber("id").longValue();
            long broken = ok(admin.post("api/v1/records/it_page_note", "{\"values\": {\"text\": \"boom\"}}"))
                    .getJsonNumber("id").longValue();
            browser.get(base + "record.xhtml?entity=it_page_note&id=" + note);
            org.openqa.selenium.WebElement panel = wait.until(org.openqa.selenium.support.ui.ExpectedConditions
                    .visibilityOfElementLocated(org.openqa.selenium.By.cssSelector("section[data-panel='it_note_facts']")));
            assertThat(panel.getText()).contains("Note facts", "Length", "5", "<b>Hello</b>");
            assertThat(panel.findElements(org.openqa.selenium.By.tagName("b"))).as("plugin text is escaped").isEmpty();
            browser.get(base + "record.xhtml?entity=it_page_note&id=" + broken);
            assertThat(wait.until(org.openqa.selenium.support.ui.ExpectedConditions.visibilityOfElementLocated(
                    org.openqa.selenium.By.cssSelector("section[data-panel='it_note_facts']"))).getText())
                    .contains("The plugin it-page 1.0.0 failed in it_note_facts: the fact service is down");
            assertThat(browser.findElement(org.openqa.selenium.By.id("history")).isDisplayed()).isTrue();

            browser.get(base + "admin/plugins.xhtml");
            wait.until(visible("pluginsForm:plugins"));
            row(browser, "it-page").findElement(org.openqa.selenium.By.cssSelector("button[id$=':disable']")).click();
            wait.until(org.openqa.selenium.support.ui.ExpectedConditions.textToBePresentInElementLocated(
                    org.openqa.selenium.By.id("pluginMessages"), "Plugin it-page disabled."));
            assertThat(row(browser, "it-page").getText()).contains("Disabled");
            assertThat(browser.findElement(org.openqa.selenium.By.id("history")).getText()).contains("Installed", "Disabled");

            // a jar that is no plugin: every reason on the page, nothing changed
            browser.findElement(org.openqa.selenium.By.id("uploadForm:jar")).sendKeys(
                    new PluginJar(jars, "Bad Id", "1.0.0").build().toAbsolutePath().toString());
            browser.findElement(org.openqa.selenium.By.id("uploadForm:installOrUpgrade")).click();
            wait.until(org.openqa.selenium.support.ui.ExpectedConditions.textToBePresentInElementLocated(
                    org.openqa.selenium.By.id("problems"), "Plugin-Id 'Bad Id' is not valid"));
        } finally {
            browser.quit();
        }
    }

    /** The jar {@code mvn} built for a shipped plugin (the reactor builds plugins/* before this module). */
    private static Path shipped(String plugin) throws java.io.IOException {
        try (var jars = Files.list(Path.of("../../plugins", plugin, "target"))) {
            return jars.filter(p -> p.getFileName().toString().matches(plugin + "-[0-9.]+\\.jar")).findFirst()
                    .orElseThrow(() -> new AssertionError("build plugins/" + plugin + " first (mvn package)"));
        }
    }

    /** The record, read again until {@code done} holds for it (process steps run through the outbox, every 5 s). */
    private JsonObject awaitRecord(String entity, long id, java.util.function.Predicate<JsonObject> done)
            throws InterruptedException {
        JsonObject values = null;
        for (int i = 0; i < 240; i++) {
            values = ok(admin().get("api/v1/records/" + entity + "/" + id)).getJsonObject("values");
            if (done.test(values)) {
                return values;
            }
            Thread.sleep(500);
        }
        throw new AssertionError(entity + " " + id + " did not get there in two minutes: " + values);
    }

    @Test
    void theShippedInsuranceAndTelcoPluginsSellAPolicyAndActivateASubscriptionThroughTheirIntegrations()
            throws Exception {
        Http admin = admin();
        assertThat(ok(admin.postJar("api/v1/admin/plugins?fileName=insurance.jar", shipped("insurance")))
                .getString("state")).isEqualTo("ENABLED");
        assertThat(ok(admin.postJar("api/v1/admin/plugins?fileName=telco.jar", shipped("telco")))
                .getString("state")).isEqualTo("ENABLED");
        try {
            // the needs analysis ends with a quote: numbered by the platform, priced from the plugin's tariff
            long holder = ok(admin.post("api/v1/records/contact", "{\"values\": {\"first_name\": \"Ida\", "
                    + "\"last_name\": \"Quote\", \"email\": \"ida.quote@example.com\"}}")).getJsonNumber("id").longValue();
            Http agent = admin().header("Accept-Language", "de");
            String analysis = "api/v1/dialogs/sessions/" + ok(agent.post("api/v1/dialogs/needs_analysis/sessions",
                    "{\"entity\": \"contact\", \"id\": " + holder + "}")).getJsonNumber("id").longValue();
            assertThat(ok(agent.post(analysis + "/steps/situation", "{\"household_type\": \"family\", "
                    + "\"owns_home\": true, \"need\": \"life\"}")).getString("step")).isEqualTo("insured_person");
            Http.Reply tooOld = agent.post(analysis + "/steps/insured_person", "{\"age\": 80}");
            assertThat(tooOld.status()).as(tooOld.toString()).isEqualTo(422);
            assertThat(tooOld.body()).contains("18 bis 75");
            ok(agent.post(analysis + "/back", "{}"));
            assertThat(ok(agent.post(analysis + "/steps/situation", "{\"household_type\": \"family\", "
                    + "\"owns_home\": true, \"need\": \"liability\"}")).getString("step")).isEqualTo("cover");
            ok(agent.post(analysis + "/steps/cover", "{\"sum\": 1000000, \"frequency\": \"monthly\"}"));
            ok(agent.post(analysis + "/finish", "{}"));
            JsonObject quote = ok(admin.get("api/v1/records/policy?filter=holder:eq:" + holder))
                    .getJsonArray("items").getJsonObject(0);
            String number = quote.getJsonObject("values").getString("number");
            assertThat(number).matches("POL-\\d{6}");
            assertThat(quote.getJsonObject("values").getString("status")).isEqualTo("quote");
            assertThat(quote.getJsonObject("values").getString("line")).isEqualTo("liability");
            assertThat(quote.getJsonObject("values").getJsonNumber("premium").bigDecimalValue())
                    .isEqualByComparingTo("630");
            assertThat(quote.getJsonObject("values").getJsonNumber("instalment").bigDecimalValue())
                    .isEqualByComparingTo("52.50");
            assertThat(ok(admin.get("api/v1/records/activity?filter=regarding:eq:contact:" + holder)).toString())
                    .as("the talk is history, in the agent's language, with labels")
                    .contains("Bedarfsanalyse: Haftpflicht (Schäden an anderen), Mit Kindern");
            long policy = quote.getJsonNumber("id").longValue();
            Http.Reply typed = admin.post("api/v1/records/policy", "{\"values\": {\"number\": \"MINE-1\", "
                    + "\"holder\": " + holder + ", \"line\": \"liability\", \"sum_insured\": 1000, "
                    + "\"payment_frequency\": \"yearly\"}}");
            assertThat(typed.status()).as("nobody types a policy number: " + typed).isEqualTo(422);
            assertThat(typed.body()).contains("read_only_field", "number");
            JsonObject next = ok(admin.post("api/v1/records/policy", "{\"values\": {\"holder\": " + holder
                    + ", \"line\": \"household\", \"sum_insured\": 50000, \"payment_frequency\": \"yearly\"}}"));
            assertThat(next.getJsonObject("values").getString("number")).as("the next number")
                    .isEqualTo(String.format("POL-%06d", Integer.parseInt(number.substring(4)) + 1));

            // underwriting: entering the phase asks the integration; its answer lands in the policy
            ok(admin.patch("api/v1/records/policy/" + policy, "{\"values\": {\"status\": \"underwriting\"}}",
                    "\"" + quote.getJsonNumber("version") + "\""));
            JsonObject underwritten = awaitRecord("policy", policy, v -> !v.isNull("underwriting_decision"));
            assertThat(underwritten.getString("underwriting_decision")).isEqualTo("accepted");
            assertThat(underwritten.getString("risk_class")).isEqualTo("a");
            assertThat(underwritten.getString("underwriting_note")).as("the default language of the IT server")
                    .isEqualTo("Accepted.");
            JsonObject call = ok(admin.get("api/v1/admin/integrations/calls?entity=policy&recordId=" + policy))
                    .getJsonArray("items").getJsonObject(0);
            assertThat(call.getString("integration")).isEqualTo("insurance_underwriting");
            assertThat(call.getString("actor")).isEqualTo("process:policy_lifecycle");
            assertThat(call.getString("plugin")).startsWith("insurance 1.");
            assertThat(call.getString("outcome")).isEqualTo("OK");

            // in the browser: the premium in the policy's form, the household's share-of-wallet panel
            long household = ok(admin.post("api/v1/records/household", "{\"values\": {\"name\": \"Familie Quote\"}}"))
                    .getJsonNumber("id").longValue();
            ok(admin.patch("api/v1/records/contact/" + holder, "{\"values\": {\"household\": " + household + "}}",
                    "\"" + ok(admin.get("api/v1/records/contact/" + holder)).getJsonNumber("version") + "\""));
            org.openqa.selenium.WebDriver browser = ItServer.browser();
            try {
                var wait = ItServer.patientWait(browser);
                browser.get(base + "record.xhtml?entity=policy&id=" + policy);
                wait.until(visible("loginForm:username")).sendKeys("admin");
                browser.findElement(org.openqa.selenium.By.id("loginForm:password")).sendKeys(ItServer.ADMIN_PASSWORD);
                browser.findElement(org.openqa.selenium.By.id("loginForm:login")).click();
                wait.until(org.openqa.selenium.support.ui.ExpectedConditions.textToBePresentInElementLocated(
                        org.openqa.selenium.By.tagName("h1"), number));
                assertThat(browser.getPageSource()).contains("630", "52.5");
                browser.get(base + "record.xhtml?entity=policy");
                var numberInput = wait.until(org.openqa.selenium.support.ui.ExpectedConditions.presenceOfElementLocated(
                        org.openqa.selenium.By.id("recordForm:f_number")));
                assertThat(numberInput.isEnabled()).as("nobody types a policy number").isFalse();
                assertThat(numberInput.getAttribute("placeholder")).isEqualTo("Numbered automatically on save");
                browser.get(base + "record.xhtml?entity=household&id=" + household);
                assertThat(wait.until(org.openqa.selenium.support.ui.ExpectedConditions.visibilityOfElementLocated(
                        org.openqa.selenium.By.cssSelector("section[data-panel='household_wallet']"))).getText())
                        .contains("Share of wallet", "Members", "Ida Quote", number, "Liability", "Underwriting");
            } finally {
                browser.quit();
            }

            // the cancellation dialog: who leaves for a competitor is offered something first; who still leaves
            // is cancelled, and the history says why in the language of the agent, with labels, not raw values
            ok(admin.patch("api/v1/records/policy/" + policy, "{\"values\": {\"status\": \"issued\", "
                    + "\"start_date\": \"2026-01-01\", \"end_date\": \"2027-12-31\"}}",
                    "\"" + ok(admin.get("api/v1/records/policy/" + policy)).getJsonNumber("version") + "\""));
            long cancellation = ok(agent.post("api/v1/dialogs/policy_cancellation/sessions",
                    "{\"entity\": \"policy\", \"id\": " + policy + "}")).getJsonNumber("id").longValue();
            String cancel = "api/v1/dialogs/sessions/" + cancellation;
            assertThat(ok(agent.post(cancel + "/steps/request", "{\"motive\": \"competitor\", "
                    + "\"received_on\": \"2026-12-01\"}")).getString("step")).isEqualTo("retention");
            assertThat(ok(agent.post(cancel + "/steps/retention", "{\"offer\": \"discount\", "
                    + "\"customer_stays\": false}")).getString("step")).isEqualTo("confirm");
            Http.Reply noCause = agent.post(cancel + "/steps/confirm", "{\"end_date\": \"2026-12-31\"}");
            assertThat(noCause.status()).as(noCause.toString()).isEqualTo(422);
            assertThat(noCause.body()).contains("cancellation_cause");
            ok(agent.post(cancel + "/steps/confirm", "{\"cancellation_cause\": \"better_offer\", "
                    + "\"cancellation_reason\": \"Günstiger beim Mitbewerber\", \"end_date\": \"2026-12-31\"}"));
            ok(agent.post(cancel + "/finish", "{}"));
            JsonObject cancelled = ok(admin.get("api/v1/records/policy/" + policy)).getJsonObject("values");
            assertThat(cancelled.getString("status")).isEqualTo("cancelled");
            assertThat(cancelled.getString("cancellation_cause")).isEqualTo("better_offer");
            assertThat(cancelled.getString("end_date")).isEqualTo("2026-12-31");
            assertThat(ok(admin.get("api/v1/records/activity?filter=regarding:eq:policy:" + policy)).toString())
                    .contains("Police storniert (Wechsel zu einem anderen Versicherer, eingegangen 2026-12-01): " + number);

            // a mobile order runs credit check → porting → activation by itself, one integration per step
            long customer = ok(admin.post("api/v1/records/account", "{\"values\": {\"name\": \"IT Mobile GmbH\", "
                    + "\"telco_segment\": \"small_business\"}}")).getJsonNumber("id").longValue();
            long plan = ok(admin.post("api/v1/records/rate_plan", "{\"values\": {\"name\": \"IT Plan\", "
                    + "\"code\": \"IT-PLAN\", \"monthly_fee\": 24.99, \"term_months\": 24}}")).getJsonNumber("id").longValue();
            assertThat(admin.post("api/v1/records/subscription", "{\"values\": {\"msisdn\": \"+491709990001\", "
                    + "\"customer\": " + customer + ", \"rate_plan\": " + plan + ", \"iccid\": \"8949020000001234567\", "
                    + "\"start_date\": \"2026-12-01\"}}").body()).as("a mistyped SIM number is refused")
                    .contains("iccid", "The ICCID is not valid");
            JsonObject order = ok(admin.post("api/v1/records/subscription", "{\"values\": {\"msisdn\": \"+491709990001\", "
                    + "\"customer\": " + customer + ", \"rate_plan\": " + plan + ", \"iccid\": \"8949020000001234562\", "
                    + "\"start_date\": \"2026-12-01\", \"port_number\": true, \"previous_provider\": \"Telekom\", "
                    + "\"port_date\": \"2026-12-15\"}}"));
            assertThat(order.getJsonObject("values").getString("status")).isEqualTo("credit_check");
            assertThat(order.getJsonObject("values").getString("minimum_term_end")).isEqualTo("2028-11-30");
            assertThat(order.getJsonObject("values").getJsonNumber("monthly_fee").bigDecimalValue())
                    .isEqualByComparingTo("24.99");
            long subscription = order.getJsonNumber("id").longValue();
            JsonObject active = awaitRecord("subscription", subscription, v -> "active".equals(v.getString("status")));
            assertThat(active.getString("credit_decision")).isEqualTo("approved");
            assertThat(active.getString("porting_status")).isEqualTo("confirmed");
            assertThat(active.getString("port_date")).isEqualTo("2026-12-15");
            assertThat(active.getString("activation_status")).isEqualTo("activated");
            List<String> steps = ok(admin.get("api/v1/admin/integrations/calls?entity=subscription&recordId=" + subscription))
                    .getJsonArray("items").getValuesAs(JsonObject.class).stream()
                    .map(c -> c.getString("integration") + " " + c.getString("outcome")).toList();
            assertThat(steps).containsExactly("telco_provisioning OK", "telco_number_porting OK", "telco_credit_check OK");

            // the churn score follows billing's and service's figures and opens a retention task
            JsonObject unhappy = ok(admin.patch("api/v1/records/subscription/" + subscription, "{\"values\": "
                    + "{\"data_usage_trend\": -50, \"complaints_90d\": 4}}", "\"" + ok(admin.get(
                    "api/v1/records/subscription/" + subscription)).getJsonNumber("version") + "\""))
                    .getJsonObject("values");
            assertThat(unhappy.getInt("churn_score")).isEqualTo(60);
            assertThat(unhappy.getString("churn_reasons")).contains("Data usage fell by 50 %", "4 complaints in 90 days");
            assertThat(unhappy.getString("status")).isEqualTo("at_risk");
            assertThat(ok(admin.get("api/v1/records/activity?filter=regarding:eq:subscription:" + subscription)).toString())
                    .contains("Retain the customer: +491709990001 has churn risk 60");

            // a stolen SIM is blocked before the new card is entered; a mistyped new card is refused
            long swap = ok(admin.post("api/v1/dialogs/sim_swap/sessions", "{\"entity\": \"subscription\", \"id\": "
                    + subscription + "}")).getJsonNumber("id").longValue();
            String swapSteps = "api/v1/dialogs/sessions/" + swap + "/steps/";
            assertThat(ok(admin.post(swapSteps + "identify", "{\"identity_check\": \"id_card\", "
                    + "\"swap_reason\": \"stolen\"}")).getString("step")).isEqualTo("block");
            Http.Reply notBlocked = admin.post(swapSteps + "block", "{\"blocked\": false}");
            assertThat(notBlocked.status()).isEqualTo(422);
            assertThat(notBlocked.body()).contains("Block the old card first");
            ok(admin.post(swapSteps + "block", "{\"blocked\": true, \"police_report\": \"K-2026-17\"}"));
            Http.Reply mistyped = admin.post(swapSteps + "new_sim", "{\"iccid\": \"8949020000007654320\"}");
            assertThat(mistyped.status()).as("a wrong check digit is refused at its step").isEqualTo(422);
            assertThat(mistyped.body()).contains("The ICCID is not valid");
            ok(admin.post(swapSteps + "new_sim", "{\"iccid\": \"8949020000007654326\"}"));
            ok(admin.post("api/v1/dialogs/sessions/" + swap + "/finish", "{}"));
            assertThat(ok(admin.get("api/v1/records/subscription/" + subscription)).getJsonObject("values")
                    .getString("iccid")).isEqualTo("8949020000007654326");
            assertThat(ok(admin.get("api/v1/records/activity?filter=regarding:eq:subscription:" + subscription)).toString())
                    .contains("SIM swap +491709990001 (Stolen): new card 8949020000007654326",
                            "Identity checked: ID card in the shop; police report K-2026-17");
        } finally {
            admin.delete("api/v1/admin/plugins/telco");
            admin.delete("api/v1/admin/plugins/insurance");
        }
    }

    /** The row of the plugins table that shows {@code pluginId}. */
    private static org.openqa.selenium.WebElement row(org.openqa.selenium.WebDriver browser, String pluginId) {
        return browser.findElement(org.openqa.selenium.By.xpath(
                "//tbody[@id='pluginsForm:plugins_data']/tr[.//strong[normalize-space()='" + pluginId + "']]"));
    }

    private static org.openqa.selenium.support.ui.ExpectedCondition<org.openqa.selenium.WebElement> visible(String id) {
        return org.openqa.selenium.support.ui.ExpectedConditions.visibilityOfElementLocated(org.openqa.selenium.By.id(id));
    }

    private static JsonObject ok(Http.Reply reply) {
        assertThat(reply.status()).as(reply.toString()).isBetween(200, 201);
        return reply.json();
    }
}
