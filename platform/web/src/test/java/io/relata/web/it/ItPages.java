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
import java.util.List;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * What the browser tests of the demo do on every page: give a demo user a password, log in, wait for an element or
 * a dialog's field, click once the element takes it, keep a screenshot, read a successful API answer.
 */
final class ItPages {

    private final WebDriver browser;
    private final URL base;
    private final String password;
    private final Path screenshots;

    ItPages(WebDriver browser, URL base, String password, Path screenshots) {
        this.browser = browser;
        this.base = base;
        this.password = password;
        this.screenshots = screenshots;
    }

    /** Sets the password of a user the demo seeded without one. */
    void givePassword(String username) {
        Http admin = new Http(URI.create(base.toString())).basic("admin", ItServer.ADMIN_PASSWORD);
        long id = ok(admin.get("api/v1/admin/users")).getJsonArray("items").stream().map(JsonValue::asJsonObject)
                .filter(u -> u.getString("username").equals(username)).findFirst().orElseThrow()
                .getJsonNumber("id").longValue();
        ok(admin.post("api/v1/admin/users/" + id + "/password", "{\"password\": \"" + password + "\"}"));
    }

    void logIn(String user, String page) {
        browser.manage().deleteAllCookies();
        browser.get(base + page);
        waitFor(By.id("loginForm:username")).sendKeys(user);
        browser.findElement(By.id("loginForm:password")).sendKeys(password);
        browser.findElement(By.id("loginForm:login")).click();
        waitFor(By.id("userForm:account"));
    }

    WebElement waitFor(By locator) {
        return ItServer.patientWait(browser).until(d -> d.findElement(locator));
    }

    /** An element of a dialog, once the dialog shows (typing into it while it fades in is lost). */
    WebElement visible(By locator) {
        return ItServer.patientWait(browser).until(d -> {
            WebElement element = d.findElement(locator);
            return element.isDisplayed() ? element : null;
        });
    }

    void click(By locator) {
        ItServer.patientWait(browser).until(d -> {
            d.findElement(locator).click();
            return true;
        });
    }

    void screenshot(String name) throws IOException {
        File shot = ((TakesScreenshot) browser).getScreenshotAs(OutputType.FILE);
        Files.copy(shot.toPath(), Files.createDirectories(screenshots).resolve(name + ".png"),
                StandardCopyOption.REPLACE_EXISTING);
    }

    /**
     * Picks the entry showing {@code label} in the PrimeFaces dropdown {@code id}, opening it as needed, until the
     * dropdown shows it (a click while the panel still slides open can miss).
     */
    static void choose(WebDriverWait wait, String id, String label) {
        String items = "#" + id.replace(":", "\\:") + "_items li";
        wait.until(d -> {
            if (d.findElement(By.id(id + "_label")).getText().equals(label)) {
                return true;
            }
            List<WebElement> entries = d.findElements(By.cssSelector(items)).stream()
                    .filter(item -> item.isDisplayed() && item.getText().equals(label)).toList();
            if (entries.isEmpty()) {
                d.findElement(By.id(id)).click();
            } else {
                entries.get(0).click();
            }
            return false;
        });
    }

    static JsonObject ok(Http.Reply reply) {
        assertThat(reply.status()).as(reply.body()).isBetween(200, 299);
        return Json.createReader(new StringReader(reply.body())).readObject();
    }

    static jakarta.json.JsonArray okArray(Http.Reply reply) {
        assertThat(reply.status()).as(reply.body()).isBetween(200, 299);
        return Json.createReader(new StringReader(reply.body())).readArray();
    }
}
