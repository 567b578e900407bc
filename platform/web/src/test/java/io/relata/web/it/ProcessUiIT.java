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
import java.time.LocalDate;
import java.util.List;
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
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.TimeoutException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.interactions.Actions;
import org.openqa.selenium.support.ui.ExpectedConditions;

/**
 * The process and guided-dialog UI in headless Chromium against the deployed application (shipped metadata and
 * demo data): the phase bar on the record page (refused and accepted moves, the reason asked for a closing
 * phase), the lead qualification dialog left mid-way and resumed, the kanban board with drag and drop, and the
 * process page with its diagram and figures. Records are made through the REST API so that each test starts
 * from what it needs.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class ProcessUiIT {

    private static final Path SCREENSHOTS = Path.of(System.getProperty("crm.it.screenshots", "target/screenshots"));
    private static final String ADMIN_PASSWORD = ItServer.ADMIN_PASSWORD;
    private static final By CURRENT_PHASE = By.cssSelector("#phaseForm\\:phaseBar .phase-current .phase-label");

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

    // ---- record page: phase bar and process card ----------------------------------------------------

    @Test
    void aMoveAsksForWhatItsGuardNeedsAndAnAcceptedOneShowsWhatItsActionsSet() throws IOException {
        long opportunity = opportunity("Phase bar test", "proposal", "\"amount\": 12000, ");
        logIn("record.xhtml?entity=opportunity&id=" + opportunity);
        assertThat(wait(CURRENT_PHASE).getText()).isEqualTo("Proposal");
        assertThat(phaseStates()).as("it started in proposal: the phases before it were skipped, not done")
                .containsExactly("skipped", "skipped", "current", "upcoming", "ending", "ending", "ending");
        assertThat(browser.findElement(By.id("phaseForm:processLink")).getText()).contains("Sales pipeline");

        // the guard names the field it needs: the move asks for it (as required) instead of failing
        moveButton("won").click();
        wait(By.id("moveDialog"));
        assertThat(browser.findElements(By.cssSelector("#moveForm .move-field"))).extracting(e -> e.getAttribute("data-field"))
                .containsExactly("contract_signed_on");
        // the date field has the focus and its calendar covers the button, as for a user who clicks past it
        ((org.openqa.selenium.JavascriptExecutor) browser).executeScript("arguments[0].click()",
                browser.findElement(By.id("moveForm:confirmMove")));
        waitFor(d -> moveField("contract_signed_on").getText().contains("Please fill in Contract signed on."));
        screenshot("phase-bar-guard-refused");
        browser.findElement(By.id("moveForm:cancelMove")).click();
        waitFor(d -> !d.findElement(By.id("moveDialog")).isDisplayed());
        assertThat(values("opportunity", opportunity).getString("phase")).isEqualTo("proposal");
        assertThat(browser.findElement(CURRENT_PHASE).getText()).isEqualTo("Proposal");

        moveButton("negotiation").click();
        waitFor(d -> d.findElement(CURRENT_PHASE).getText().equals("Negotiation"));
        // the phase's set action changed the probability: the form shows the stored record after the move
        assertThat(browser.findElement(By.id("recordForm:f_probability_input")).getAttribute("value")).isEqualTo("75");
        assertThat(browser.findElement(By.id("growl_container")).getText()).contains("Moved to Negotiation");
        assertThat(browser.findElement(By.id("phaseStamps")).getText()).contains("Proposal → Negotiation", "admin");
        assertThat(browser.findElement(By.id("pendingTimers")).getText()).contains("Stale negotiation", "Negotiation");
        assertThat(phaseStates()).containsExactly("skipped", "skipped", "done", "current", "ending", "ending", "ending");
        screenshot("phase-bar-moved");
    }

    @Test
    void theFormShowsWhatTheProcessWillSetAndSaysAfterSavingWhatItSet() throws IOException {
        long opportunity = opportunity("Form preview", "qualification", "\"amount\": 50000, ");
        assertThat(values("opportunity", opportunity).getJsonNumber("weighted_amount").bigDecimalValue())
                .as("computed after the phase set 10 %").isEqualByComparingTo("5000");
        logIn("record.xhtml?entity=opportunity&id=" + opportunity);
        By probability = By.id("recordForm:f_probability_input");
        By weighted = By.id("recordForm:f_weighted_amount_input");
        assertThat(wait(probability).getAttribute("value")).isEqualTo("10");
        assertThat(browser.findElement(By.id("recordForm:l_probability")).getText()).isEqualTo("From 0 to 100");

        choosePhase("needs_analysis");
        waitFor(d -> "25".equals(d.findElement(probability).getAttribute("value")));
        assertThat(browser.findElement(weighted).getAttribute("value")).startsWith("12,500");
        assertThat(browser.findElement(By.id("recordForm:p_probability")).getText())
                .isEqualTo("Set by the process \"Sales pipeline\" when you save.");
        screenshot("form-process-preview");
        save();
        assertThat(browser.findElement(By.id("growl_container")).getText())
                .contains("Process \"Sales pipeline\" set Probability (%) to 25.");
        JsonObject moved = values("opportunity", opportunity);
        assertThat(moved.getInt("probability")).isEqualTo(25);
        assertThat(moved.getJsonNumber("weighted_amount").bigDecimalValue()).isEqualByComparingTo("12500");

        choosePhase("proposal");
        waitFor(d -> "50".equals(d.findElement(probability).getAttribute("value")));
        WebElement typed = browser.findElement(probability);
        typed.click();
        typed.sendKeys(org.openqa.selenium.Keys.chord(org.openqa.selenium.Keys.CONTROL, "a"), "30", org.openqa.selenium.Keys.TAB);
        waitFor(d -> d.findElement(weighted).getAttribute("value").startsWith("15,000"));
        assertThat(browser.findElements(By.id("recordForm:p_probability"))).as("the user's value, no process note").isEmpty();
        save();
        assertThat(browser.findElement(By.id("growl_container")).getText()).doesNotContain("set Probability");
        JsonObject proposal = values("opportunity", opportunity);
        assertThat(proposal.getString("phase")).isEqualTo("proposal");
        assertThat(proposal.getInt("probability")).as("typed with the move: the user's word wins").isEqualTo(30);
        assertThat(proposal.getJsonNumber("weighted_amount").bigDecimalValue()).isEqualByComparingTo("15000");
    }

    @Test
    void closingWithAReasonAsksForItAndRecordsItInThePhaseHistory() throws IOException {
        long opportunity = opportunity("Reason test", "qualification", "");
        logIn("record.xhtml?entity=opportunity&id=" + opportunity);
        assertThat(wait(CURRENT_PHASE).getText()).isEqualTo("Qualification");

        moveButton("lost").click();
        WebElement dialog = wait(By.id("moveDialog"));
        assertThat(dialog.findElement(By.id("movePhase")).getText()).isEqualTo("Lost");
        browser.findElement(By.id("moveForm:confirmMove")).click();
        waitFor(d -> moveField("loss_reason").getText().contains("Please fill in Loss reason."));
        assertThat(values("opportunity", opportunity).getString("phase")).isEqualTo("qualification");

        moveField("loss_reason").findElement(By.tagName("textarea")).sendKeys("Went with a competitor");
        screenshot("phase-bar-reason-dialog");
        browser.findElement(By.id("moveForm:confirmMove")).click();
        waitFor(d -> d.findElement(CURRENT_PHASE).getText().equals("Lost"));
        WebElement lost = browser.findElement(By.cssSelector("#phaseForm\\:phaseBar .phase-current"));
        assertThat(lost.getAttribute("class")).contains("outcome-failure");
        assertThat(browser.findElement(By.id("phaseStamps")).getText())
                .contains("Qualification → Lost", "Went with a competitor");
        JsonObject stored = values("opportunity", opportunity);
        assertThat(stored.getString("phase")).isEqualTo("lost");
        assertThat(stored.getString("loss_reason")).isEqualTo("Went with a competitor");
        assertThat(stored.getInt("probability")).isZero();
    }

    @Test
    void aMoveAsksForWhatItNeedsEvenIfTheFormHidesItAndAChoiceOfReasonsAsAList() throws IOException {
        long resolved = ticket("Printer jams");
        logIn("record.xhtml?entity=ticket&id=" + resolved);
        assertThat(wait(CURRENT_PHASE).getText()).isEqualTo("In progress");
        assertThat(browser.findElement(By.id("recordForm:w_resolution")).getAttribute("class"))
                .as("the form shows the resolution only once the ticket is resolved").contains("rule-hidden");

        moveButton("resolved").click();
        wait(By.id("moveDialog"));
        assertThat(browser.findElements(By.cssSelector("#moveForm .move-field"))).extracting(e -> e.getAttribute("data-field"))
                .containsExactly("resolution");
        browser.findElement(By.id("moveForm:confirmMove")).click();
        waitFor(d -> moveField("resolution").getText().contains("Please fill in Resolution."));
        assertThat(values("ticket", resolved).getString("phase")).isEqualTo("in_progress");
        moveField("resolution").findElement(By.tagName("textarea")).sendKeys("Replaced the feed roller");
        screenshot("move-dialog-required-field");
        browser.findElement(By.id("moveForm:confirmMove")).click();
        waitFor(d -> d.findElement(CURRENT_PHASE).getText().equals("Resolved"));
        assertThat(values("ticket", resolved).getString("resolution")).isEqualTo("Replaced the feed roller");

        long rejected = ticket("Wants a new printer");
        logIn("record.xhtml?entity=ticket&id=" + rejected);
        wait(CURRENT_PHASE);
        moveButton("rejected").click();
        wait(By.id("moveDialog"));
        WebElement reason = moveField("rejection_reason");
        assertThat(reason.findElements(By.tagName("textarea"))).as("a choice is no free text").isEmpty();
        reason.findElement(By.cssSelector(".ui-selectonemenu")).click();
        assertThat(waitForOptions()).containsExactly("Choose...", "Duplicate", "Not a defect", "Out of scope",
                "No response");
        browser.findElement(By.cssSelector(".ui-selectonemenu-panel:not([style*='display: none']) li[data-label='Out of scope']"))
                .click();
        // the option list closes with an animation; on a busy machine it may still cover the button
        waitFor(d -> d.findElements(By.cssSelector(".ui-selectonemenu-panel")).stream().noneMatch(WebElement::isDisplayed));
        screenshot("move-dialog-choice-reason");
        browser.findElement(By.id("moveForm:confirmMove")).click();
        waitFor(d -> d.findElement(CURRENT_PHASE).getText().equals("Rejected"));
        assertThat(values("ticket", rejected).getString("rejection_reason")).isEqualTo("out_of_scope");
    }

    // ---- guided dialog --------------------------------------------------------------------------------

    @Test
    void openingADialogLinkChangesNothingOnlyTheStartButtonsPostStarts() throws IOException {
        long lead = id(http().post("api/v1/records/lead",
                "{\"values\": {\"last_name\": \"Linkfollower\", \"status\": \"new\", \"source\": \"web\"}}"));
        String link = "dialog.xhtml?dialog=lead_qualification&entity=lead&id=" + lead;

        // a plain link, as another site could put it on a page: shows the start page, starts nothing
        Http.Reply startPage = http().get(link);
        assertThat(startPage.status()).isEqualTo(200);
        assertThat(startPage.body()).contains("startForm:start").doesNotContain("dialogForm");
        assertThat(sessionsOn(lead)).isEmpty();
        // a cross-site form post without the page's view state starts nothing either
        Http.Reply forged = http().postForm("dialog.xhtml", "startForm=startForm&startForm%3Astart=&dialog=lead_qualification"
                + "&entity=lead&id=" + lead);
        assertThat(forged.status()).isLessThan(500);
        assertThat(sessionsOn(lead)).isEmpty();

        // an open session: the link shows it where it stands and leaves it as it is
        JsonObject started = http().post("api/v1/dialogs/lead_qualification/sessions", "{\"entity\":\"lead\",\"id\":" + lead + "}")
                .json();
        long session = started.getJsonNumber("id").longValue();
        assertThat(http().post("api/v1/dialogs/sessions/" + session + "/steps/contact",
                "{\"company\": \"Link AG\", \"email\": \"info@link.example\"}").status()).isEqualTo(200);
        JsonObject before = http().get("api/v1/dialogs/sessions/" + session).json();
        assertThat(before.getString("step")).isEqualTo("budget");
        assertThat(http().get(link).body()).contains("data-step=\"budget\"").doesNotContain("startForm:start");
        assertThat(http().get("api/v1/dialogs/sessions/" + session).json()).isEqualTo(before);
        assertThat(sessionsOn(lead)).containsExactly(session);

        // the start page's button starts the dialog
        http().post("api/v1/dialogs/sessions/" + session + "/abandon", "{}");
        logIn(link);
        browser.get(base + link);
        wait(By.id("startForm:start")).click();
        waitForStep("contact");
        assertThat(sessionsOn(lead)).hasSize(1).doesNotContain(session);
        screenshot("dialog-started-from-start-page");
    }

    /** The ids of the administrator's open dialog sessions on the lead. */
    private List<Long> sessionsOn(long lead) {
        return http().get("api/v1/dialogs/sessions").json().getJsonArray("items").stream().map(v -> v.asJsonObject())
                .filter(s -> s.getString("entity").equals("lead") && s.getJsonNumber("recordId").longValue() == lead)
                .map(s -> s.getJsonNumber("id").longValue()).toList();
    }

    @Test
    void leadQualificationValidatesEachStepBranchesResumesWhereTheUserLeftAndQualifiesTheLead() throws IOException {
        long lead = id(http().post("api/v1/records/lead",
                "{\"values\": {\"last_name\": \"Lindqvist\", \"status\": \"new\", \"source\": \"web\"}}"));
        logIn("record.xhtml?entity=lead&id=" + lead);
        assertThat(wait(CURRENT_PHASE).getText()).isEqualTo("New");
        wait(By.cssSelector("[id$='startDialog']")).click();

        waitForStep("contact");
        assertThat(browser.findElement(By.id("dialogTitle")).getText()).isEqualTo("Qualify lead");
        assertThat(browser.findElement(By.id("dialogForm:f_last_name")).getAttribute("value")).isEqualTo("Lindqvist");
        next();
        assertThat(wait(By.id("dialogForm:e_company")).getText()).containsIgnoringCase("required");
        screenshot("dialog-step-required");

        browser.findElement(By.id("dialogForm:f_company")).sendKeys("Nordlicht Consulting");
        next();
        // required fields pass, now the step's own rule speaks
        assertThat(wait(By.id("dialogForm:e_email")).getText()).contains("Give an e-mail address or a phone number");
        assertThat(browser.findElement(By.id("stepTitle")).getAttribute("data-step")).isEqualTo("contact");

        browser.findElement(By.id("dialogForm:f_email")).sendKeys("info@nordlicht.example");
        next();
        waitForStep("budget");
        browser.findElement(By.cssSelector("#dialogForm\\:f_has_budget .ui-toggleswitch-slider")).click();
        browser.findElement(By.id("dialogForm:f_budget_input")).sendKeys("5000");
        next();
        // with a budget the dialog branches to the needs, not to "follow up later"
        waitForStep("needs");
        assertThat(browser.findElement(By.id("dialogSteps")).getText()).contains("Contact", "Budget", "Needs", "Summary")
                .doesNotContain("Follow up later");

        // leave mid-way; the record page offers to continue where the user stopped
        browser.get(base + "record.xhtml?entity=lead&id=" + lead);
        WebElement resume = wait(By.cssSelector("[id$='resumeDialog']"));
        assertThat(resume.getText()).contains("Qualify lead", "Needs");
        screenshot("dialog-resume-on-record");
        resume.click();
        waitForStep("needs");
        browser.findElement(By.id("dialogForm:back")).click();
        waitForStep("budget");
        assertThat(browser.findElement(By.id("dialogForm:f_budget_input")).getAttribute("value")).startsWith("5,000");
        assertThat(browser.findElement(By.id("dialogForm:f_has_budget_input")).isSelected()).isTrue();
        next();
        waitForStep("needs");

        browser.findElement(By.id("dialogForm:f_needs")).sendKeys("Customer portal for 40 branches");
        ((JavascriptExecutor) browser).executeScript(
                "PrimeFaces.getWidgetById('dialogForm:f_timeline').selectValue('this_quarter');");
        next();
        waitForStep("");
        String summary = wait(By.id("summaryTable")).getText();
        assertThat(summary).contains("Nordlicht Consulting", "info@nordlicht.example", "Customer portal for 40 branches",
                "This quarter", "Yes");
        assertThat(browser.findElement(By.id("dialogForm:finishPreview")).getText())
                .as("the way through the needs ends qualified").contains("creates: Activity", "moves the record to Qualified");
        screenshot("dialog-summary");

        browser.findElement(By.id("dialogForm:finish")).click();
        waitFor(d -> d.getCurrentUrl().contains("record.xhtml"));
        assertThat(wait(CURRENT_PHASE).getText()).isEqualTo("Qualified");
        assertThat(browser.findElement(By.id("recordTitle")).getText()).isEqualTo("Nordlicht Consulting");
        assertThat(browser.findElement(By.id("recordForm:f_email")).getAttribute("value")).isEqualTo("info@nordlicht.example");
        assertThat(browser.findElement(By.id("growl_container")).getText()).contains("Qualify lead: done");
        assertThat(browser.findElements(By.cssSelector("[id$='resumeDialog']"))).isEmpty();
        screenshot("dialog-finished-record");

        JsonObject stored = values("lead", lead);
        assertThat(stored.getString("status")).isEqualTo("qualified");
        assertThat(stored.getString("company")).isEqualTo("Nordlicht Consulting");
        assertThat(stored.getJsonNumber("budget").bigDecimalValue()).isEqualByComparingTo("5000");
        assertThat(browser.findElement(By.cssSelector("section.related[data-entity='activity'][data-field='regarding']"))
                .getText()).as("the lead's page lists the activities about it")
                .contains("Activities about this record", "Follow-up call: Lindqvist, Nordlicht Consulting");
        JsonObject followUps = http().get("api/v1/records/activity?filter=regarding:eq:lead:" + lead + "&count=true").json();
        assertThat(followUps.getJsonNumber("totalCount").longValue()).isEqualTo(1);
        assertThat(followUps.getJsonArray("items").getJsonObject(0).getJsonObject("values").getString("subject"))
                .isEqualTo("Follow-up call: Lindqvist, Nordlicht Consulting");
    }

    // ---- kanban ---------------------------------------------------------------------------------------

    @Test
    void theBoardShowsAColumnPerPhaseAndMovesADroppedCardUnlessTheProcessRefuses() throws IOException {
        long opportunity = opportunity("Kanban card", "qualification", "\"amount\": 9000, ");
        logIn("kanban.xhtml?process=opportunity_sales");
        List<String> phases = wait(By.id("kanbanForm")).findElements(By.cssSelector("section.kanban-column")).stream()
                .map(c -> c.getAttribute("data-phase")).toList();
        assertThat(phases).containsExactly("qualification", "needs_analysis", "proposal", "negotiation", "won", "lost",
                "cancelled");
        assertThat(column("won").getAttribute("class")).contains("closing");
        long standardInQualification = http().get("api/v1/records/opportunity?filter=phase:eq:qualification"
                + "&filter=product_line:eq:standard&count=true&limit=1").json().getJsonNumber("totalCount").longValue();
        assertThat(count("qualification")).isEqualTo(standardInQualification).isPositive();
        assertThat(card(opportunity).getText()).contains("Kanban card");
        screenshot("kanban-board");

        long inNeedsAnalysis = count("needs_analysis");
        drag(card(opportunity), column("needs_analysis"));
        waitFor(d -> column("needs_analysis").findElements(cardSelector(opportunity)).size() == 1);
        assertThat(count("needs_analysis")).isEqualTo(inNeedsAnalysis + 1);
        assertThat(values("opportunity", opportunity).getString("phase")).isEqualTo("needs_analysis");
        assertThat(browser.findElement(By.id("growl_container")).getText()).contains("Kanban card moved to Needs analysis");

        // needs analysis → won is no transition of the process: refused, the card stays
        drag(card(opportunity), column("won"));
        waitFor(d -> d.findElement(By.id("growl_container")).getText().contains("does not allow"));
        screenshot("kanban-refused");
        assertThat(column("needs_analysis").findElements(cardSelector(opportunity))).hasSize(1);
        assertThat(values("opportunity", opportunity).getString("phase")).isEqualTo("needs_analysis");

        // a closing phase that records a reason asks for it before the card moves
        drag(card(opportunity), column("lost"));
        wait(By.id("kanbanMoveDialog"));
        wait(By.cssSelector("#kanbanMoveForm [data-field='loss_reason'] textarea")).sendKeys("No budget this year");
        screenshot("kanban-reason");
        browser.findElement(By.id("kanbanMoveForm:confirmMove")).click();
        waitFor(d -> column("lost").findElements(cardSelector(opportunity)).size() == 1);
        JsonObject lost = values("opportunity", opportunity);
        assertThat(lost.getString("phase")).isEqualTo("lost");
        assertThat(lost.getString("loss_reason")).isEqualTo("No budget this year");
    }

    // ---- process page ----------------------------------------------------------------------------------

    @Test
    void theProcessPageDrawsTheDiagramAndShowsTheFiguresOfThePeriod() throws IOException {
        logIn("index.xhtml");
        wait(By.id("navProcesses")).click();
        WebElement table = wait(By.id("processTable"));
        assertThat(table.getText()).contains("Lead management", "Sales pipeline", "Insurance sales", "Customer service",
                "Meeting booking");
        table.findElement(By.linkText("Sales pipeline")).click();

        WebElement diagram = wait(By.cssSelector("#processDiagram svg"));
        assertThat(diagram.getText()).contains("Qualification", "Needs analysis", "Proposal", "Negotiation", "Won",
                "Lost", "Cancelled");
        assertThat(browser.findElement(By.cssSelector("a[id$='bpmnLink'], [id$='bpmnLink'] a")).getAttribute("href"))
                .endsWith("/api/v1/processes/opportunity_sales/bpmn?lang=en");
        assertThat(http().get("api/v1/processes/opportunity_sales/bpmn").status()).isEqualTo(200);

        // twelve months up to this one; the demo opportunities started their cases when they were seeded
        List<WebElement> months = browser.findElements(By.cssSelector("#periodTable tbody tr"));
        assertThat(months).hasSize(12);
        String thisMonth = months.get(11).getText();
        assertThat(thisMonth).startsWith(LocalDate.now().format(java.time.format.DateTimeFormatter.ofPattern("MMM yyyy",
                java.util.Locale.ENGLISH)));
        assertThat(Integer.parseInt(months.get(11).findElements(By.tagName("td")).get(1).getText())).isPositive();
        assertThat(browser.findElement(By.id("outcomeTable")).getText()).contains("Won");
        assertThat(browser.findElement(By.id("conversionTable")).getText()).contains("Qualification", "Negotiation");
        assertThat(browser.findElement(By.id("phaseTimeTable")).getText()).contains("Proposal");
        assertThat(browser.findElement(By.id("cycleTable")).getText()).contains("Qualification → Won");
        screenshot("process-page");
        ((JavascriptExecutor) browser).executeScript("document.getElementById('kpiForm:kpis').scrollIntoView()");
        screenshot("process-figures");

        ((JavascriptExecutor) browser).executeScript(
                "PrimeFaces.getWidgetById('kpiForm:cycleTo').selectValue('negotiation');"
                        + "PrimeFaces.getWidgetById('kpiForm:granularity').selectValue('week');");
        browser.findElement(By.id("kpiForm:measureCycle")).click();
        waitFor(d -> d.findElement(By.id("cycleTable")).getText().contains("Qualification → Negotiation"));
        assertThat(browser.findElements(By.cssSelector("#periodTable tbody tr")).size()).isGreaterThan(40);

        browser.findElement(By.linkText("DE")).click();
        waitFor(d -> d.findElement(By.id("kpiForm")).getText().contains("Kennzahlen"));
        assertThat(browser.findElement(By.cssSelector("#processDiagram svg")).getText())
                .contains("Qualifizierung", "Bedarfsanalyse", "Gewonnen");
        assertThat(browser.findElement(By.id("conversionTable")).getText()).contains("Verhandlung");
    }

    // ---- helpers --------------------------------------------------------------------------------------

    private Http http() {
        return new Http(URI.create(base.toString())).basic("admin", ADMIN_PASSWORD);
    }

    private static long id(Http.Reply reply) {
        assertThat(reply.status()).as(reply.toString()).isBetween(200, 201);
        return reply.json().getJsonNumber("id").longValue();
    }

    private JsonObject values(String entity, long id) {
        return http().get("api/v1/records/" + entity + "/" + id).json().getJsonObject("values");
    }

    /** A standard opportunity of a new account, starting in {@code phase}; {@code more} adds JSON members. */
    private long opportunity(String name, String phase, String more) {
        long account = id(http().post("api/v1/records/account", "{\"values\": {\"name\": \"" + name + " GmbH\"}}"));
        return id(http().post("api/v1/records/opportunity", "{\"values\": {\"name\": \"" + name + "\", " + more
                + "\"account\": " + account + ", \"close_date\": \"" + LocalDate.now().plusDays(30) + "\", "
                + "\"phase\": \"" + phase + "\"}}"));
    }

    /** Logs the browser in as the administrator (after a logout) and lands on {@code page}. */
    private void logIn(String page) {
        browser.manage().deleteAllCookies();
        browser.get(base + page);
        wait(By.id("loginForm:username")).sendKeys("admin");
        browser.findElement(By.id("loginForm:password")).sendKeys(ADMIN_PASSWORD);
        browser.findElement(By.id("loginForm:login")).click();
        wait(By.id("userForm:account"));
    }

    /** Saves the record form and waits for the page it leads to (a new page: no message of an earlier one). */
    private void save() {
        WebElement button = browser.findElement(By.id("recordForm:save"));
        button.click();
        waitFor(d -> ExpectedConditions.stalenessOf(button).apply(d));
        waitFor(d -> d.findElement(By.id("growl_container")).getText().contains("Saved"));
    }

    /** Picks a phase in the form's phase field through its widget, as a user's pick does (same change event). */
    private void choosePhase(String phase) {
        wait(By.id("recordForm:f_phase"));
        ((JavascriptExecutor) browser).executeScript("var menu = PrimeFaces.getWidgetById('recordForm:f_phase'); "
                + "menu.selectValue(arguments[0]); menu.callBehavior('change');", phase);
    }

    /** A new ticket of a new account, in progress. */
    private long ticket(String subject) {
        long account = id(http().post("api/v1/records/account", "{\"values\": {\"name\": \"" + subject + " AG\"}}"));
        return id(http().post("api/v1/records/ticket", "{\"values\": {\"subject\": \"" + subject + "\", "
                + "\"account\": " + account + ", \"phase\": \"in_progress\"}}"));
    }

    /** The block of one field in the move dialog. */
    private WebElement moveField(String field) {
        return wait(By.cssSelector("#moveForm [data-field='" + field + "']"));
    }

    /** The labels of the open dropdown's options. */
    private List<String> waitForOptions() {
        By items = By.cssSelector(".ui-selectonemenu-panel li.ui-selectonemenu-item");
        waitFor(d -> d.findElements(items).stream().anyMatch(WebElement::isDisplayed));
        return browser.findElements(items).stream().filter(WebElement::isDisplayed).map(e -> e.getAttribute("data-label"))
                .toList();
    }

    private List<String> phaseStates() {
        return browser.findElements(By.cssSelector("#phaseForm\\:phaseBar .phase")).stream()
                .map(p -> p.getAttribute("data-state")).toList();
    }

    private WebElement moveButton(String phase) {
        return wait(By.cssSelector("#phaseForm button.phase-move[data-phase='" + phase + "']"));
    }

    private void next() {
        browser.findElement(By.id("dialogForm:next")).click();
    }

    /** Waits for the dialog page to show {@code step} (empty: the summary). */
    private void waitForStep(String step) {
        // no step (the summary) renders no attribute
        waitFor(d -> step.equals(java.util.Objects.toString(d.findElement(By.id("stepTitle")).getAttribute("data-step"), "")));
    }

    private WebElement column(String phase) {
        return browser.findElement(By.cssSelector("section.kanban-column[data-phase='" + phase + "']"));
    }

    private long count(String phase) {
        return Long.parseLong(column(phase).findElement(By.cssSelector(".kanban-count")).getText().trim());
    }

    private static By cardSelector(long record) {
        return By.cssSelector(".kanban-card[data-record='" + record + "']");
    }

    private WebElement card(long record) {
        return wait(cardSelector(record));
    }

    /** Drags like a user: press, move a little so the drag starts, move over the target, release. */
    private void drag(WebElement card, WebElement column) {
        WebElement target = column.findElement(By.cssSelector(".kanban-cards"));
        new Actions(browser).clickAndHold(card).moveByOffset(8, 8).moveToElement(target).moveByOffset(0, 4)
                .release().perform();
    }

    private WebElement wait(By locator) {
        try {
            return ItServer.patientWait(browser).until(ExpectedConditions.visibilityOfElementLocated(locator));
        } catch (TimeoutException e) {
            failureEvidence();
            throw e;
        }
    }

    private void waitFor(java.util.function.Function<WebDriver, Boolean> condition) {
        try {
            ItServer.patientWait(browser).until(condition::apply);
        } catch (TimeoutException e) {
            failureEvidence();
            throw e;
        }
    }

    /** The page as it was when a wait gave up, next to the screenshots. */
    private static void failureEvidence() {
        try {
            String name = "failed-" + System.currentTimeMillis();
            screenshot(name);
            Files.writeString(SCREENSHOTS.resolve(name + ".html"), browser.getPageSource());
        } catch (IOException | RuntimeException ignored) {
            // the original failure is what matters
        }
    }

    private static void screenshot(String name) throws IOException {
        File file = ((TakesScreenshot) browser).getScreenshotAs(OutputType.FILE);
        Files.copy(file.toPath(), SCREENSHOTS.resolve(name + ".png"), StandardCopyOption.REPLACE_EXISTING);
    }
}
