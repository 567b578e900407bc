package io.relata.web.it;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.json.Json;
import jakarta.json.JsonObject;
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
import java.util.function.Function;
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
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;

/**
 * The admin designer in headless Chromium against the deployed application: an admin creates an entity with fields of
 * five types, publishes, and its form is served at once; a core field is relabelled and reordered through an
 * overlay; a draft with a problem is refused with the file, line and column; a roll-back restores the previous form;
 * two administrators change one file at once (merged) and the same key (refused). The screenshots illustrate
 * docs/designer.md.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DesignerIT {

    private static final Path SCREENSHOTS = Path.of(System.getProperty("crm.it.screenshots", "target/screenshots"));
    private static final Path SITE = Path.of(System.getProperty("crm.it.dir", "target/it"), "site-metadata");
    private static final String SECOND_ADMIN = "erika.designer";
    private static final String SECOND_PASSWORD = "violet-harbour-lantern-2026";
    private static final String SELLER_PASSWORD = "copper-meadow-compass-2026";

    private static WebDriver browser;

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
    }

    @AfterAll
    static void stopBrowser() {
        if (browser != null) {
            browser.quit();
        }
    }

    @Test
    @Order(1)
    void anAdminCreatesAnEntityWithFiveFieldTypesAndItsFormIsServedRightAfterThePublish() throws IOException {
        logIn(browser, "admin", ItServer.ADMIN_PASSWORD, "admin/designer.xhtml");
        type(By.id("newEntity:entityName"), "vehicle");
        type(By.id("newEntity:entityNameDe"), "Fahrzeug");
        type(By.id("newEntity:entityNameEn"), "Vehicle");
        type(By.id("newEntity:entityPluralDe"), "Fahrzeuge");
        type(By.id("newEntity:entityPluralEn"), "Vehicles");
        click(By.id("newEntity:createEntity"));
        waitFor(d -> messages().contains("The entity vehicle is in your draft"));

        addField("kind", "choice", "Art", "Kind", f -> {
            type(By.id("newField:fieldOptions"), "car = PKW | Car\ntruck = LKW | Truck");
            return null;
        });
        addField("seats", "integer", "Sitze", "Seats", f -> null);
        addField("registered_on", "date", "Zulassung", "Registered on", f -> null);
        addField("list_price", "money", "Listenpreis", "List price", f -> null);
        addField("electric", "boolean", "Elektrisch", "Electric", f -> null);
        assertThat(fieldNames()).containsExactly("name", "kind", "seats", "registered_on", "list_price", "electric");
        scrollTo(By.id("fieldsForm:fields"));
        screenshot("designer-entity");

        click(By.id("draftForm:check"));
        waitFor(d -> messages().contains("Check passed"));
        scrollTo(By.id("draft"));
        assertThat(browser.findElement(By.id("draftForm:checkResult")).getText())
                .contains("+++ b/entities/vehicle.yaml", "+  kind:", "rec_vehicle");
        screenshot("designer-check");

        type(By.id("draftForm:comment"), "Fleet: vehicles");
        long published = System.nanoTime();
        click(By.id("draftForm:publish"));
        waitFor(d -> messages().contains("it is in force now"));
        browser.get(base + "record.xhtml?entity=vehicle");
        wait(By.id("recordForm:f_seats"));
        long servedMillis = (System.nanoTime() - published) / 1_000_000;
        System.out.println("FIGURE designer publish-to-form-served: " + servedMillis + " ms");
        assertThat(labelOf("kind")).isEqualTo("Kind");
        assertThat(browser.findElements(By.cssSelector("[id^='recordForm:f_']"))).isNotEmpty();
        assertThat(Files.readString(SITE.resolve("entities/vehicle.yaml"))).startsWith(
                "# yaml-language-server: $schema=../schema/entity.schema.json\nname: vehicle\n");
        screenshot("designer-new-form");

        JsonObject created = ok(admin().post("api/v1/records/vehicle",
                "{\"values\": {\"name\": \"B-RX 100\", \"kind\": \"car\", \"seats\": 5, \"electric\": true}}"));
        assertThat(created.getJsonObject("values").getInt("seats")).isEqualTo(5);

        // a field with values is not renamed (they would stay behind); one without is, in the draft
        browser.get(base + "admin/designer.xhtml");
        openEntity("Vehicle");
        choose("changeField:changedField", "seats");
        type(By.id("changeField:changedName"), "seat_count");
        click(By.id("changeField:change"));
        waitFor(d -> messages().contains("The field seats holds 1 value(s)"));
        choose("changeField:changedField", "registered_on");
        type(By.id("changeField:changedName"), "first_registration");
        click(By.id("changeField:change"));
        waitFor(d -> messages().contains("Saved to your draft (entities/vehicle.yaml)"));
        assertThat(fieldNames()).contains("first_registration").doesNotContain("registered_on");
        click(By.id("draftForm:discard"));
        click(By.id("draftForm:confirmYes"));
        waitFor(d -> messages().contains("Your draft was discarded"));
    }

    @Test
    @Order(2)
    void aSalesUserUsesTheNewEntityAsSoonAsTheirRoleIsGrantedIt() throws IOException {
        ok(admin().post("api/v1/admin/users", "{\"username\": \"sam.seller\", \"password\": \"" + SELLER_PASSWORD
                + "\", \"roles\": [\"sales\"]}"));
        logIn(browser, "admin", ItServer.ADMIN_PASSWORD, "admin/designer-roles.xhtml");
        click(By.xpath("//a[contains(@id,'roleList:roles') and normalize-space(.)='Sales']"));
        String row = wait(By.xpath("//tbody[@id='grantsForm:grants_data']/tr[td[1]/small/code[text()='vehicle']]"))
                .getAttribute("data-ri");
        click(By.cssSelector("[id='grantsForm:grants:" + row + ":create'] .ui-chkbox-box"));
        choose("grantsForm:grants:" + row + ":read", "all");
        choose("grantsForm:grants:" + row + ":update", "own");
        click(By.id("grantsForm:saveGrants"));
        waitFor(d -> messages().contains("Saved to your draft (role-extensions/sales.yaml)"));
        scrollTo(By.id("grantsForm:grants"));
        screenshot("designer-roles");

        // what the seller would see under the draft, before it is published
        choose("seeForm:user", "sam.seller");
        click(By.id("seeForm:show"));
        String seen = wait(By.id("seeForm:seen")).getText();
        assertThat(seen).contains("Vehicle", "Account");
        type(By.id("draftForm:comment"), "Sales may work with vehicles");
        click(By.id("draftForm:publish"));
        waitFor(d -> messages().contains("it is in force now"));
        assertThat(Files.readString(SITE.resolve("role-extensions/sales.yaml")))
                .contains("extends: sales", "vehicle: {create: true, read: all, update: own, delete: none, export: false}");

        logIn(browser, "sam.seller", SELLER_PASSWORD, "record.xhtml?entity=vehicle");
        type(By.id("recordForm:f_name"), "M-SL 42");
        type(By.id("recordForm:f_seats_input"), "2");
        click(By.id("recordForm:save"));
        waitFor(d -> d.findElement(By.id("growl_container")).getText().contains("Saved"));
        Http asSeller = new Http(URI.create(base.toString())).basic("sam.seller", SELLER_PASSWORD);
        JsonObject seller = ok(asSeller.get("api/v1/records/vehicle"));
        assertThat(seller.toString()).contains("M-SL 42");
        for (String page : List.of("designer", "designer-forms", "designer-rules", "designer-roles")) {
            assertThat(asSeller.get("admin/" + page + ".xhtml").status()).as("the designer is for administrators: " + page)
                    .isEqualTo(404);
        }
    }

    /**
     * Picks a value of a PrimeFaces select menu as a user does: open it, click the item, until the menu shows it. The
     * item is brought into view inside the panel only: scrolling the page closes the panel.
     */
    private void choose(String menu, String label) {
        By shown = By.id(menu + "_label");
        ItServer.patientWait(browser).until(d -> {
            if (label.equals(d.findElement(shown).getText())) {
                return true;
            }
            WebElement panel = d.findElement(By.id(menu + "_panel"));
            if (!panel.isDisplayed()) {
                WebElement opener = d.findElement(By.id(menu));
                ((JavascriptExecutor) d).executeScript("arguments[0].scrollIntoView({block: 'center'});", opener);
                opener.click();
                return false;
            }
            WebElement item = panel.findElement(By.cssSelector("li[data-label='" + label + "']"));
            ((JavascriptExecutor) d).executeScript(
                    "var w = arguments[0].closest('.ui-selectonemenu-items-wrapper'); w.scrollTop = arguments[0].offsetTop - 8;",
                    item);
            item.click();
            ItServer.awaitAjaxIdle(d);
            return label.equals(d.findElement(shown).getText());
        });
        ItServer.awaitAjaxIdle(browser);
    }

    @Test
    @Order(3)
    void aFormLayoutForSalesIsArrangedPreviewedAndServedToTheSalesUser() throws IOException {
        logIn(browser, "admin", ItServer.ADMIN_PASSWORD, "admin/designer-forms.xhtml");
        choose("formsForm:entity", "Account (account)");
        type(By.id("formsForm:newLayout"), "sales_view");
        tick("formsForm:newRoles", "Sales");
        click(By.id("formsForm:createLayout"));
        waitFor(d -> messages().contains("Saved to your draft (forms/account.yaml)"));
        // what a drop of 'city' on the top of the first section sends
        ((JavascriptExecutor) browser).executeScript("relataDrop('city', 0, 0, 0);");
        waitFor(d -> d.findElement(By.cssSelector("ol.designer-form-fields li")).getAttribute("data-field").equals("city"));
        click(By.xpath("//li[@data-field='annual_revenue']//button[contains(@id,':unplace')]"));
        waitFor(d -> !d.findElements(By.cssSelector("ul.designer-unplaced li[data-field='annual_revenue']")).isEmpty());
        type(By.id("formsForm:tabDe"), "Zahlen");
        type(By.id("formsForm:tabEn"), "Figures");
        click(By.id("formsForm:addTab"));
        waitFor(d -> d.findElements(By.cssSelector("h3.designer-form-tab")).stream().anyMatch(h -> h.getText().equals("Figures")));
        scrollTo(By.cssSelector(".designer-forms"));
        browser.switchTo().frame(wait(By.id("preview")));
        try {
            waitFor(d -> d.findElements(By.cssSelector(".form-tab-button")).stream().anyMatch(b -> b.getText().equals("Figures")));
        } finally {
            browser.switchTo().defaultContent();
        }
        screenshot("designer-forms");
        type(By.id("draftForm:comment"), "Sales see figures on a tab of their own");
        click(By.id("draftForm:publish"));
        waitFor(d -> messages().contains("it is in force now"));
        assertThat(Files.readString(SITE.resolve("forms/account.yaml"))).contains("name: sales_view", "roles: [sales]");

        logIn(browser, "sam.seller", SELLER_PASSWORD, "record.xhtml?entity=account&id=1");
        assertThat(wait(By.cssSelector(".form-tab-button.active")).getText()).isNotBlank();
        assertThat(browser.findElements(By.cssSelector(".form-tab-button"))).extracting(WebElement::getText).contains("Figures");
        assertThat(browser.findElement(By.cssSelector(".form-grid label")).getText()).startsWith("City");
        logIn(browser, "admin", ItServer.ADMIN_PASSWORD, "record.xhtml?entity=account&id=1");
        assertThat(browser.findElements(By.cssSelector(".form-tab-button"))).as("the admin has no layout: no tabs").isEmpty();
    }

    @Test
    @Order(4)
    void aRuleWithPassingExamplesIsPublishedAndOneWithAFailingExampleIsNot() throws IOException {
        logIn(browser, "admin", ItServer.ADMIN_PASSWORD, "admin/designer-rules.xhtml");
        choose("rulesForm:entity", "Vehicle (vehicle)");
        click(By.id("rulesForm:newRule"));
        type(By.id("rulesForm:name"), "seats_plausible");
        code("ruleScript", "record.seats > 9 ? 'Zu viele Sitze' : null");
        code("ruleExamples", "- name: a bus needs another entity\n  record: {name: B-X 1, seats: 40}\n  expect: {errors: [record]}\n"
                + "- name: a car is fine\n  record: {name: B-X 2, seats: 5}\n  expect: {noErrors: true}\n");
        click(By.id("rulesForm:run"));
        waitFor(d -> messages().contains("2 of 2 examples passed"));
        assertThat(browser.findElement(By.id("rulesForm:exampleResults")).getText()).contains("a car is fine", "passed");
        scrollTo(By.id("rulesForm:editor"));
        screenshot("designer-rules");
        click(By.id("rulesForm:save"));
        waitFor(d -> messages().contains("Saved to your draft (entities/vehicle.yaml)"));
        type(By.id("draftForm:comment"), "At most 9 seats");
        click(By.id("draftForm:publish"));
        waitFor(d -> messages().contains("it is in force now"));
        Http.Reply refused = admin().post("api/v1/records/vehicle", "{\"values\": {\"name\": \"B-BUS 1\", \"seats\": 40}}");
        assertThat(refused.status()).as(refused.body()).isEqualTo(422);
        assertThat(refused.body()).contains("Zu viele Sitze");

        // a changed rule whose example fails is shown as failed, and the draft cannot be published
        browser.get(base + "admin/designer-rules.xhtml");
        choose("rulesForm:entity", "Vehicle (vehicle)");
        click(By.xpath("//tbody[@id='rulesForm:rules_data']/tr[td[1]/code[text()='seats_plausible']]//button[contains(@id,':edit')]"));
        code("ruleScript", "record.seats > 50 ? 'Zu viele Sitze' : null");
        click(By.id("rulesForm:run"));
        waitFor(d -> messages().contains("Only 1 of 2 examples passed"));
        assertThat(browser.findElement(By.id("rulesForm:exampleResults")).getText()).contains("a bus needs another entity", "failed");
        click(By.id("rulesForm:save"));
        waitFor(d -> messages().contains("Saved to your draft"));
        click(By.id("draftForm:publish"));
        waitFor(d -> messages().contains("cannot be published"));
        assertThat(browser.findElement(By.id("draftForm:checkResult")).getText()).contains("entities/vehicle.yaml:", "RULE_EXAMPLE_FAILED");
        click(By.id("draftForm:discard"));
        click(By.id("draftForm:confirmYes"));
        waitFor(d -> messages().contains("Your draft was discarded"));
    }

    /** Ticks an item of a PrimeFaces check box menu by its label, as a user does, and closes the menu. */
    private void tick(String menu, String label) {
        click(By.id(menu));
        ItServer.patientWait(browser).until(d -> {
            d.findElement(By.xpath("//*[@id='" + menu + "_panel']//li[normalize-space(.)='" + label + "']//div[contains(@class,'ui-chkbox-box')]"))
                    .click();
            return true;
        });
        browser.findElement(By.tagName("body")).sendKeys(org.openqa.selenium.Keys.ESCAPE);
        ItServer.awaitAjaxIdle(browser);
    }

    /** Brings an element to the top of the window (below the bar), for a screenshot of it. */
    private void scrollTo(By locator) {
        ((JavascriptExecutor) browser).executeScript("arguments[0].scrollIntoView({block: 'start'}); window.scrollBy(0, -70);",
                wait(locator));
    }

    /** Puts text into a code editor as an admin pasting it would. */
    private void code(String widget, String text) {
        ((JavascriptExecutor) browser).executeScript("PF(arguments[0]).instance.setValue(arguments[1]);", widget, text);
    }

    @Test
    @Order(5)
    void aCoreFieldIsRelabelledAndMovedByAnOverlayAndARollBackRestoresThePreviousForm() throws IOException {
        logIn(browser, "admin", ItServer.ADMIN_PASSWORD, "admin/designer.xhtml");
        openEntity("Account");
        WebElement cityEn = fieldInput("city", "labelEn");
        cityEn.clear();
        cityEn.sendKeys("Town");
        click(By.id("fieldsForm:saveFields"));
        waitFor(d -> messages().contains("Saved to your draft (extensions/account.yaml)"));
        click(rowButton("city", "up"));
        waitFor(d -> messages().contains("Saved to your draft"));
        assertThat(Files.exists(SITE.resolve("extensions/account.yaml"))).as("a draft is not published").isFalse();
        type(By.id("draftForm:comment"), "Town instead of city");
        click(By.id("draftForm:publish"));
        waitFor(d -> messages().contains("it is in force now"));
        assertThat(Files.readString(SITE.resolve("extensions/account.yaml")))
                .contains("extends: account", "city: {label: {de: Ort, en: Town}}", "fieldOrder:");

        browser.get(base + "record.xhtml?entity=account");
        assertThat(labelOf("city")).isEqualTo("Town");

        browser.get(base + "admin/designer.xhtml");
        screenshot("designer-revisions");
        // the newest revision is the relabel; the one before it the seat rule: roll back to that
        click(By.id("revisionsForm:revisionTable:1:rollBack"));
        click(By.id("draftForm:confirmYes"));
        waitFor(d -> messages().contains("is in force again"));
        assertThat(Files.exists(SITE.resolve("extensions/account.yaml"))).isFalse();
        browser.get(base + "record.xhtml?entity=account");
        assertThat(labelOf("city")).isEqualTo("City");
        browser.get(base + "record.xhtml?entity=vehicle");
        wait(By.id("recordForm:f_seats"));
    }

    @Test
    @Order(6)
    void aDraftWithAProblemIsRefusedWithItsPlaceAndNothingChanges() throws IOException {
        logIn(browser, "admin", ItServer.ADMIN_PASSWORD, "admin/designer.xhtml");
        openEntity("Vehicle");
        addField("owner_account", "reference", "Halter", "Keeper", f -> {
            type(By.id("newField:reverseName"), "Keeper's vehicles"); // no valid name of a list
            return null;
        });
        click(By.id("draftForm:publish"));
        waitFor(d -> messages().contains("cannot be published"));
        assertThat(browser.findElement(By.id("draftForm:checkResult")).getText()).contains("entities/vehicle.yaml:");
        screenshot("designer-refused");
        assertThat(browser.findElement(By.id("draftProblems")).getText()).contains("entities/vehicle.yaml:");
        click(By.id("draftForm:discard"));
        click(By.id("draftForm:confirmYes"));
        waitFor(d -> messages().contains("Your draft was discarded"));
    }

    @Test
    @Order(7)
    void twoAdministratorsEditingAtOnceAreMergedOrRefusedWithTheKeyBothChanged() throws IOException {
        ok(admin().post("api/v1/admin/users", "{\"username\": \"" + SECOND_ADMIN + "\", \"password\": \"" + SECOND_PASSWORD
                + "\", \"roles\": [\"administrator\"]}"));
        WebDriver second = ItServer.browser();
        try {
            logIn(browser, "admin", ItServer.ADMIN_PASSWORD, "admin/designer.xhtml");
            logIn(second, SECOND_ADMIN, SECOND_PASSWORD, "admin/designer.xhtml");
            relabel(browser, "Account", "phone", "Telephone");
            relabel(second, "Account", "website", "Homepage");
            relabel(browser, "Account", "email", "Mail");
            publish(browser, "phone and mail");
            // the second admin's draft began before: different keys of the same file are merged
            publish(second, "homepage");
            waitFor(second, d -> messages(second).contains("it is in force now"));
            String overlay = Files.readString(SITE.resolve("extensions/account.yaml"));
            assertThat(overlay).contains("en: Telephone", "en: Homepage", "en: Mail");

            relabel(browser, "Account", "notes", "Remarks");
            relabel(second, "Account", "notes", "Comments");
            publish(browser, "remarks");
            click(second, By.id("draftForm:publish"));
            waitFor(second, d -> messages(second).contains("Another administrator published changes to the same places"));
            assertThat(second.findElement(By.id("draftForm:checkResult")).getText())
                    .contains("extensions/account.yaml: /changes/notes/label/en");
            assertThat(Files.readString(SITE.resolve("extensions/account.yaml"))).contains("en: Remarks")
                    .doesNotContain("Comments");
        } finally {
            second.quit();
        }
    }

    @Test
    @Order(8)
    void aProcessIsDrawnEditedAndSimulatedAndItsGuardHoldsAfterThePublish() throws IOException {
        logIn(browser, "admin", ItServer.ADMIN_PASSWORD, "admin/designer.xhtml");
        openEntity("Vehicle");
        addField("stage", "choice", "Stufe", "Stage", f -> {
            type(By.id("newField:fieldOptions"), "offered = Angeboten | Offered\nordered = Bestellt | Ordered\n"
                    + "cancelled = Storniert | Cancelled");
            return null;
        });

        browser.get(base + "admin/designer-processes.xhtml");
        type(By.id("processForm:newName"), "vehicle_sale");
        choose("processForm:newEntity", "Vehicle (vehicle)");
        choose("processForm:newPhaseField", "Stage (stage)");
        type(By.id("processForm:newDe"), "Fahrzeugverkauf");
        type(By.id("processForm:newEn"), "Vehicle sale");
        click(By.id("processForm:createProcess"));
        waitFor(d -> messages().contains("Saved to your draft (processes/vehicle_sale.yaml)"));
        assertThat(wait(By.id("processForm:phases")).getText()).contains("Offered", "Ordered", "Cancelled");

        click(By.id("processForm:newTransition"));
        check("processForm:from", "Offered");
        check("processForm:to", "Ordered");
        code("transitionGuard", "record.list_price > 0 || {list_price: {de: 'Ohne Preis keine Bestellung', "
                + "en: 'No order without a price'}}");
        click(By.id("processForm:saveTransition"));
        waitFor(d -> messages().contains("Saved to your draft"));
        click(By.id("processForm:newTransition"));
        check("processForm:from", "every open phase");
        check("processForm:to", "Cancelled");
        click(By.id("processForm:saveTransition"));
        waitFor(d -> wait(By.id("processForm:transitions")).getText().contains("every open phase"));

        type(By.id("processForm:addedPhase"), "delivered");
        type(By.id("processForm:addedDe"), "Geliefert");
        type(By.id("processForm:addedEn"), "Delivered");
        choose("processForm:addedOutcome", "Closed: success");
        choose("processForm:addedFrom", "Ordered");
        click(By.id("processForm:addPhaseButton"));
        waitFor(d -> messages().contains("Saved to your draft"));
        // the diagram is drawn again from the draft: the new phase is in it
        waitFor(d -> d.findElement(By.id("diagram")).getAttribute("innerHTML").contains("Delivered"));

        // a sample record: the guard refuses the order without a price, and lets it pass with one
        type(sampleInput("Name"), "Van 1");
        click(By.id("processForm:startSimulation"));
        waitFor(d -> d.findElement(By.id("samplePhase")).getText().contains("Offered"));
        assertThat(moveRow("Ordered").getText()).contains("refused", "No order without a price");
        assertThat(moveRow("Cancelled").getText()).contains("would be made");
        type(sampleInput("List price"), "25000");
        click(moveRow("Ordered"), By.cssSelector("button"));
        waitFor(d -> d.findElement(By.id("samplePhase")).getText().contains("Ordered"));
        assertThat(moveRow("Delivered").getText()).contains("would be made");
        scrollTo(By.id("processForm:simulation"));
        screenshot("designer-process-simulation");
        scrollTo(By.id("processForm:processEditor"));
        screenshot("designer-process");

        publish(browser, "vehicle sale process");
        String file = Files.readString(SITE.resolve("processes/vehicle_sale.yaml"));
        assertThat(file).startsWith("# yaml-language-server: $schema=../schema/process.schema.json\nname: vehicle_sale\n")
                .contains("No order without a price", "{name: delivered, outcome: success}");
        // the published process runs at once: the guard refuses the move a user asks for without a price
        long id = ok(admin().post("api/v1/records/vehicle", "{\"values\": {\"name\": \"Van 2\"}}"))
                .getJsonNumber("id").longValue();
        assertThat(ok(admin().get("api/v1/records/vehicle/" + id)).getJsonObject("values").getString("stage"))
                .isEqualTo("offered");
        Http.Reply refused = admin().post("api/v1/records/vehicle/" + id + "/process/move",
                "{\"phase\": \"ordered\", \"version\": " + vehicleVersion(id) + "}");
        assertThat(refused.status()).as(refused.body()).isEqualTo(422);
        assertThat(refused.body()).contains("No order without a price");
        Http.Reply ordered = admin().post("api/v1/records/vehicle/" + id + "/process/move",
                "{\"phase\": \"ordered\", \"version\": " + vehicleVersion(id) + ", \"values\": {\"list_price\": 25000}}");
        assertThat(ordered.status()).as(ordered.body()).isEqualTo(200);

        // a shipped process is customised for the site: a replacing copy goes into the draft and is edited here
        browser.get(base + "admin/designer-processes.xhtml");
        choose("processForm:process", "Sales pipeline (opportunity_sales) – core");
        assertThat(browser.findElements(By.cssSelector("[id$=':editPhase']"))).as("the core's process is read only").isEmpty();
        click(By.id("processForm:customise"));
        waitFor(d -> messages().contains("Saved to your draft (processes/opportunity_sales.yaml)"));
        waitFor(d -> !d.findElements(By.cssSelector("[id$=':editPhase']")).isEmpty());
        click(By.id("draftForm:check"));
        waitFor(d -> messages().contains("Check passed"));
        assertThat(browser.findElement(By.id("draftForm:checkResult")).getText()).contains("+replaces: true");
        click(By.id("draftForm:discard"));
        click(By.id("draftForm:confirmYes"));
        waitFor(d -> messages().contains("Your draft was discarded"));
    }

    @Test
    @Order(9)
    void aDialogIsBuiltStepByStepAndItsPreviewRunsWithoutSavingAnything() throws IOException {
        logIn(browser, "admin", ItServer.ADMIN_PASSWORD, "admin/designer-dialogs.xhtml");
        type(By.id("dialogForm:newName"), "vehicle_check");
        choose("dialogForm:newEntity", "Vehicle (vehicle)");
        type(By.id("dialogForm:newDe"), "Fahrzeugprüfung");
        type(By.id("dialogForm:newEn"), "Vehicle check");
        click(By.id("dialogForm:createDialog"));
        waitFor(d -> messages().contains("Saved to your draft (dialogs/vehicle_check.yaml)"));

        type(By.id("dialogForm:addedStep"), "price");
        type(By.id("dialogForm:addedDe"), "Preis");
        type(By.id("dialogForm:addedEn"), "Price");
        click(By.id("dialogForm:addStepButton"));
        waitFor(d -> !d.findElements(By.id("dialogForm:stepEditor")).isEmpty());
        code("stepFields", "- {field: list_price, required: true}\n");
        code("stepFinish", "set: {electric: true}\n");
        click(By.id("dialogForm:saveStep"));
        waitFor(d -> messages().contains("Saved to your draft"));
        assertThat(wait(By.id("dialogForm:steps")).getText()).contains("Vehicle check", "Price", "List price");

        // the preview: a new, empty vehicle; the required price is asked for, and the finish only says what it would do
        long vehiclesBefore = ok(admin().get("api/v1/records/vehicle?limit=1&count=true")).getJsonNumber("totalCount").longValue();
        click(By.id("dialogForm:startPreview"));
        waitFor(d -> d.findElement(By.id("previewStep")).getText().contains("Vehicle check"));
        type(previewInput("Name"), "Van 3");
        click(By.id("dialogForm:previewNext"));
        waitFor(d -> d.findElement(By.id("previewStep")).getText().contains("Price"));
        click(By.id("dialogForm:previewNext"));
        waitFor(d -> d.findElement(By.id("previewErrors")).getText().contains("List price: Enter a value for List price"));
        type(previewInput("List price"), "25000");
        click(By.id("dialogForm:previewNext"));
        waitFor(d -> d.findElement(By.id("previewStep")).getText().contains("the summary"));
        assertThat(wait(By.id("previewFinish")).getText()).contains("set Name to Van 3",
                "set List price to 25000", "set Electric to Yes");
        scrollTo(By.id("dialogForm:preview"));
        screenshot("designer-dialog");
        assertThat(ok(admin().get("api/v1/records/vehicle?limit=1&count=true")).getJsonNumber("totalCount").longValue())
                .as("nothing saved").isEqualTo(vehiclesBefore);

        publish(browser, "vehicle check");
        assertThat(Files.readString(SITE.resolve("dialogs/vehicle_check.yaml")))
                .startsWith("# yaml-language-server: $schema=../schema/dialog.schema.json\nname: vehicle_check\n")
                .contains("fields: [{field: list_price, required: true}]", "finish: {set: {electric: true}}");
        // in force at once: a user starts it on a vehicle, at its first step
        long vehicle = ok(admin().post("api/v1/records/vehicle", "{\"values\": {\"name\": \"Van 4\"}}"))
                .getJsonNumber("id").longValue();
        JsonObject session = ok(admin().post("api/v1/dialogs/vehicle_check/sessions",
                "{\"entity\": \"vehicle\", \"id\": " + vehicle + "}"));
        assertThat(session.getString("step")).isEqualTo("start");
    }

    /** The previewed step's input for the field labelled {@code label}. */
    private By previewInput(String label) {
        String id = wait(By.xpath("//div[@id='dialogForm:previewFields']/label[starts-with(normalize-space(.), '" + label
                + "')]")).getAttribute("for");
        return By.id(id);
    }

    private long vehicleVersion(long id) {
        return ok(admin().get("api/v1/records/vehicle/" + id)).getJsonNumber("version").longValue();
    }

    /** The simulated record's input for the field labelled {@code label}. */
    private By sampleInput(String label) {
        String id = wait(By.xpath("//div[@id='processForm:sample']/label[normalize-space(.)='" + label + "']"))
                .getAttribute("for");
        return By.id(id);
    }

    private WebElement moveRow(String phase) {
        return wait(By.xpath("//tbody[@id='processForm:moves_data']/tr[starts-with(normalize-space(td[1]), '" + phase + "')]"));
    }

    private void click(WebElement within, By locator) {
        ItServer.awaitAjaxIdle(browser);
        WebElement element = within.findElement(locator);
        ((JavascriptExecutor) browser).executeScript("arguments[0].scrollIntoView({block: 'center'});", element);
        element.click();
        ItServer.awaitAjaxIdle(browser);
    }

    /** Ticks the items labelled {@code labels} in a checkbox menu and closes it. */
    private void check(String menu, String... labels) {
        click(By.id(menu));
        WebElement panel = wait(By.id(menu + "_panel"));
        for (String label : labels) {
            panel.findElement(By.xpath(".//li[normalize-space(.)='" + label + "']//div[contains(@class, 'ui-chkbox-box')]"))
                    .click();
        }
        panel.findElement(By.cssSelector(".ui-selectcheckboxmenu-close")).click();
        ItServer.awaitAjaxIdle(browser);
    }

    // ---- helpers ----------------------------------------------------------------------------------------

    private void relabel(WebDriver driver, String entity, String field, String english) {
        driver.get(base + "admin/designer.xhtml");
        openEntity(driver, entity);
        WebElement input = driver.findElement(fieldInputLocator(field, "labelEn"));
        input.clear();
        input.sendKeys(english);
        click(driver, By.id("fieldsForm:saveFields"));
        waitFor(driver, d -> messages(d).contains("Saved to your draft"));
    }

    private void publish(WebDriver driver, String comment) {
        type(driver, By.id("draftForm:comment"), comment);
        click(driver, By.id("draftForm:publish"));
        waitFor(driver, d -> messages(d).contains("it is in force now"));
    }

    private void addField(String name, String type, String de, String en, Function<WebDriver, Void> more) {
        type(By.id("newField:fieldName"), name);
        choose("newField:fieldType", TYPE_LABELS.get(type));
        waitFor(d -> selectedType(d).equals(type));
        type(By.id("newField:fieldDe"), de);
        type(By.id("newField:fieldEn"), en);
        more.apply(browser);
        click(By.id("newField:addField"));
        waitFor(d -> messages().contains("in your draft") || messages().contains("problem"));
    }

    private static final java.util.Map<String, String> TYPE_LABELS = java.util.Map.of("choice", "Choice", "integer",
            "Whole number", "date", "Date", "money", "Amount of money", "boolean", "Yes/no", "reference",
            "Reference to a record");

    private static String selectedType(WebDriver driver) {
        return String.valueOf(((JavascriptExecutor) driver).executeScript(
                "return PrimeFaces.getWidgetById('newField:fieldType').getSelectedValue();"));
    }

    private java.util.List<String> fieldNames() {
        return browser.findElements(By.cssSelector("#fieldsForm\\:fields_data > tr > td:first-child code"))
                .stream().map(WebElement::getText).toList();
    }

    private void openEntity(String label) {
        openEntity(browser, label);
    }

    private void openEntity(WebDriver driver, String label) {
        click(driver, By.xpath("//a[contains(@id,'entityList:entities') and normalize-space(.)='" + label + "']"));
        waitFor(driver, d -> !d.findElements(By.id("fieldsForm:fields")).isEmpty());
    }

    private By fieldInputLocator(String field, String input) {
        return By.xpath("//tbody[@id='fieldsForm:fields_data']/tr[td[1]/code[text()='" + field + "']]"
                + "//input[contains(@id,':" + input + "')]");
    }

    private WebElement fieldInput(String field, String input) {
        return wait(fieldInputLocator(field, input));
    }

    private By rowButton(String field, String button) {
        return By.xpath("//tbody[@id='fieldsForm:fields_data']/tr[td[1]/code[text()='" + field + "']]"
                + "//button[contains(@id,':" + button + "')]");
    }

    private String labelOf(String field) {
        return wait(By.cssSelector("label[for^='recordForm:f_" + field + "']")).getText().replace("*", "").strip();
    }

    private String messages() {
        return messages(browser);
    }

    private static String messages(WebDriver driver) {
        return driver.findElements(By.id("designerMessages")).stream().map(WebElement::getText).findFirst().orElse("");
    }

    private void logIn(WebDriver driver, String user, String password, String page) {
        driver.manage().deleteAllCookies();
        driver.get(base + page);
        ItServer.patientWait(driver).until(d -> d.findElement(By.id("loginForm:username"))).sendKeys(user);
        driver.findElement(By.id("loginForm:password")).sendKeys(password);
        driver.findElement(By.id("loginForm:login")).click();
        ItServer.patientWait(driver).until(d -> d.findElement(By.id("userForm:account")));
    }

    private void type(By locator, String text) {
        type(browser, locator, text);
    }

    private static void type(WebDriver driver, By locator, String text) {
        WebElement element = ItServer.patientWait(driver).until(d -> d.findElement(locator));
        element.clear();
        element.sendKeys(text);
    }

    private void click(By locator) {
        click(browser, locator);
    }

    private static void click(WebDriver driver, By locator) {
        ItServer.awaitAjaxIdle(driver);
        ItServer.patientWait(driver).until(d -> {
            WebElement element = d.findElement(locator);
            // below the sticky top bar, where a click lands on the element and not on the bar
            ((JavascriptExecutor) d).executeScript("arguments[0].scrollIntoView({block: 'center'});", element);
            element.click();
            return true;
        });
        ItServer.awaitAjaxIdle(driver);
    }

    private WebElement wait(By locator) {
        return ItServer.patientWait(browser).until(d -> d.findElement(locator));
    }

    private void waitFor(Function<WebDriver, Boolean> condition) {
        waitFor(browser, condition);
    }

    private static void waitFor(WebDriver driver, Function<WebDriver, Boolean> condition) {
        ItServer.patientWait(driver).until(condition::apply);
    }

    private void screenshot(String name) throws IOException {
        File shot = ((TakesScreenshot) browser).getScreenshotAs(OutputType.FILE);
        Files.copy(shot.toPath(), SCREENSHOTS.resolve(name + ".png"), StandardCopyOption.REPLACE_EXISTING);
    }

    private Http admin() {
        return new Http(URI.create(base.toString())).basic("admin", ItServer.ADMIN_PASSWORD);
    }

    private static JsonObject ok(Http.Reply reply) {
        assertThat(reply.status()).as(reply.body()).isBetween(200, 299);
        return Json.createReader(new StringReader(reply.body())).readObject();
    }
}
