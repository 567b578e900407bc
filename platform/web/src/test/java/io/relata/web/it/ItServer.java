package io.relata.web.it;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import org.jboss.shrinkwrap.api.ShrinkWrap;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.openqa.selenium.NoSuchElementException;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebDriverException;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

/** What every end-to-end test class sets up: the deployed build, its database, a browser. */
final class ItServer {

    static final String ADMIN_PASSWORD = System.getProperty("crm.it.admin.password", "it-chief-passphrase-2026");

    private ItServer() {
    }

    /**
     * The real artifact of this build, exactly as the run command deploys it. On PostgreSQL the tests first get
     * an empty schema of their own: done here because the deployment method runs after the server has started
     * and before the application creates its tables.
     */
    static WebArchive deployment() throws SQLException {
        resetPostgresSchema();
        removeInstalledPluginsAndSiteMetadata();
        return ShrinkWrap.createFromZipFile(WebArchive.class, new File(System.getProperty("crm.war", "target/relata.war")));
    }

    /**
     * The plugins directory and the site metadata layer belong to the database of the last run: a fresh database
     * starts without plugins and without the designer's files.
     */
    private static void removeInstalledPluginsAndSiteMetadata() {
        for (String folder : java.util.List.of("plugins", "site-metadata")) {
            java.nio.file.Path dir = java.nio.file.Path.of(System.getProperty("crm.it.dir", "target/it"), folder);
            if (!Files.exists(dir)) {
                continue;
            }
            try (var paths = Files.walk(dir)) {
                for (java.nio.file.Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                    Files.delete(p);
                }
            } catch (IOException e) {
                throw new java.io.UncheckedIOException("Cannot empty the directory " + dir, e);
            }
        }
    }

    private static void resetPostgresSchema() throws SQLException {
        String url = System.getProperty("crm.it.db.url", "");
        if (!url.startsWith("jdbc:postgresql:")) {
            return;
        }
        String schema = url.replaceAll(".*currentSchema=([a-z_]+).*", "$1");
        try (Connection connection = DriverManager.getConnection(url.replaceAll("\\?.*", ""), System.getProperty("crm.it.db.user"), "");
             Statement statement = connection.createStatement()) {
            statement.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
            // pg_trgm in public, not in the IT schema: dropping that schema at the next start would take the extension
            // and the trigram indexes of every other schema with it (it deadlocked tests running at the same time)
            statement.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm SCHEMA public");
            statement.execute("CREATE SCHEMA " + schema);
        }
    }

    /** Headless Debian Chromium with the flags of docs/architecture.md ("Payara Micro traps"); never lets Selenium download a driver. */
    static WebDriver browser() throws IOException {
        return browser("en-US");
    }

    /** The same browser, preferring {@code language} (e.g. "de-DE"), as a user's browser would. */
    static WebDriver browser(String language) throws IOException {
        ChromeOptions options = new ChromeOptions();
        options.setBinary(System.getProperty("crm.it.chromium", "/usr/bin/chromium"));
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run",
                "--window-size=1400,1000", "--lang=" + language,
                "--user-data-dir=" + Files.createTempDirectory("chromium-profile"));
        // --lang alone does not reach the Accept-Language header of headless Chromium on Linux; the preference does
        options.setExperimentalOption("prefs", java.util.Map.of("intl.accept_languages", language));
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(new File(System.getProperty("crm.it.chromedriver", "/usr/bin/chromedriver")))
                .build();
        return new ChromeDriver(service, options);
    }

    /**
     * Waits up to 60 s: a save on a busy 2-core machine (load 8) once took longer than 20 s. While a page or an
     * AJAX update replaces elements, they vanish under a condition's feet (Chromium 156 reports that as "Node
     * with given id does not belong to the document", a plain WebDriverException): the wait asks again.
     */
    static WebDriverWait patientWait(WebDriver browser) {
        WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(60));
        wait.ignoring(StaleElementReferenceException.class).ignoring(NoSuchElementException.class)
                .ignoring(WebDriverException.class);
        return wait;
    }

    /**
     * Waits until PrimeFaces has no Ajax request queued or running: a click while a field's change event still
     * re-renders the form can land on a button that is replaced the moment after, and is lost.
     */
    static void awaitAjaxIdle(WebDriver browser) {
        patientWait(browser).until(b -> Boolean.TRUE.equals(((org.openqa.selenium.JavascriptExecutor) b).executeScript(
                "return !window.PrimeFaces || PrimeFaces.ajax.Queue.isEmpty();")));
    }

    /**
     * A failed test leaves a screenshot of the page it failed on ({@code failed-<test>.png} in {@code directory}): browser
     * tests are hard to read from a trace alone.
     */
    static org.junit.jupiter.api.extension.TestWatcher screenshotOnFailure(java.util.function.Supplier<WebDriver> browser,
                                                                             java.nio.file.Path directory) {
        return new org.junit.jupiter.api.extension.TestWatcher() {
            @Override
            public void testFailed(org.junit.jupiter.api.extension.ExtensionContext context, Throwable cause) {
                try {
                    File shot = ((org.openqa.selenium.TakesScreenshot) browser.get())
                            .getScreenshotAs(org.openqa.selenium.OutputType.FILE);
                    Files.copy(shot.toPath(), directory.resolve("failed-" + context.getDisplayName().replaceAll("\\W", "")
                            + ".png"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                } catch (IOException | RuntimeException e) {
                    cause.addSuppressed(e);
                }
            }
        };
    }
}
