package io.relata.web.it;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import java.io.IOException;
import java.net.URI;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.ResourceBundle;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.stream.Stream;
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
import org.openqa.selenium.WebDriver;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

/**
 * Every page of the demo, rendered in German, shows no English text of the platform. "English text of the
 * platform" is taken from its sources, so the check grows with them: every English text of the UI's message
 * bundle and every English text of the shipped metadata ({de, en} pairs: labels, help, options, phases, to-dos,
 * messages) that differs from its German counterpart, and the technical names of options, phases and roles,
 * which a page must show as labels. Demo data is allowed to be English (a contact's position "Head of
 * Procurement" is data, not platform text).
 *
 * <p>The crawl starts at the home page and the pages the metadata implies (a list, a record and a new-record form
 * per entity, each process, its board), then follows every link to a page of the CRM, as an administrator and as
 * a sales rep; it reads all text of a page, also of collapsed panels and dialogs, and the titles, placeholders
 * and labels of elements. Not read: identifiers and metadata diagnostics for administrators ({@code code},
 * {@code pre}, {@code translate="no"}: YAML names and the loader's messages with file positions, which are
 * English like a compiler's), and the texts of to-dos, of records a process creates and of mails, which are data
 * written in the record's or the platform's default language when the process acts (English in the ITs:
 * {@code crm.default.language=en}).
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class GermanUiIT {

    private static final Path METADATA = Path.of(System.getProperty("crm.it.metadata", "../../metadata"));
    /** The administrator's crawl stops after so many pages: enough for every kind of page, bounded in time. */
    private static final int MAX_PAGES = 70;
    /**
     * The sales user's crawl: its start pages and the lists, forms and records of its first entities, as a role without
     * the administration sees them; the administrator's crawl has been through every kind of page. A page took 0.75 s
     * here: 40 pages fewer are half a minute of the suite.
     */
    private static final int MAX_PAGES_OF_A_ROLE = 30;
    /** Record pages per entity: the first two show each kind of record page; more only repeat them. */
    private static final int RECORDS_PER_ENTITY = 2;

    private static WebDriver browser;

    @ArquillianResource
    URL base;

    @Deployment(testable = false)
    static WebArchive deployment() throws SQLException {
        return ItServer.deployment();
    }

    @BeforeAll
    static void startBrowser() throws IOException {
        browser = ItServer.browser("de-DE");
    }

    @AfterAll
    static void stopBrowser() {
        if (browser != null) {
            browser.quit();
        }
    }

    @Test
    void everyPageOfTheDemoIsGermanThroughout() throws IOException {
        EnglishTexts english = EnglishTexts.collect(METADATA, demoText());
        assertThat(english.size()).as("English texts to look for").isGreaterThan(300);

        Map<String, List<String>> findings = new LinkedHashMap<>();
        findings.putAll(crawl("admin", ItServer.ADMIN_PASSWORD, english, MAX_PAGES));
        findings.putAll(crawl(salesUser(), "sales-password-2026-x", english, MAX_PAGES_OF_A_ROLE));

        assertThat(findings).as("English text on German pages (page → texts found)").isEmpty();
    }

    @Test
    void theStoresAndTheProcessesRefusalsAreWordedInTheCallersLanguage() {
        String contact = "{\"values\": {\"last_name\": \"Sprachtest\", \"email\": \"keine-adresse\", "
                + "\"birthday\": \"gestern\", \"no_such_field\": 1}}";
        Http admin = new Http(URI.create(base.toString())).basic("admin", ItServer.ADMIN_PASSWORD);
        Http.Reply german = admin.header("Accept-Language", "de-DE,de;q=0.9").post("api/v1/records/contact", contact);
        Http.Reply english = admin.header("Accept-Language", "en").post("api/v1/records/contact", contact);
        assertThat(german.status()).as(german.body()).isEqualTo(422);
        assertThat(messages(german)).contains("Geben Sie eine E-Mail-Adresse wie name@example.com ein",
                "Geben Sie ein Datum als JJJJ-MM-TT ein, wie 2024-05-31", "contact hat kein Feld 'no_such_field'");
        assertThat(messages(english)).contains("Enter an email address like name@example.com",
                "Enter a date as YYYY-MM-DD, like 2024-05-31", "contact has no field 'no_such_field'");

        long lead = admin.post("api/v1/records/lead", "{\"values\": {\"last_name\": \"Phasentest\", \"company\": "
                + "\"Sprach GmbH\"}}").json().getJsonNumber("id").longValue();
        Http.Reply move = admin.header("Accept-Language", "de").patch("api/v1/records/lead/" + lead,
                "{\"values\": {\"status\": \"converted\"}}", "\"1\"");
        assertThat(move.status()).as(move.body()).isEqualTo(422);
        assertThat(String.join(" ", messages(move))).contains("erlaubt nicht, von Neu nach Umgewandelt zu wechseln")
                .doesNotContain("does not allow");

        Http.Reply missing = admin.header("Accept-Language", "de").get("api/v1/records/lead/999999");
        assertThat(missing.json().getString("detail")).isEqualTo("Kein Datensatz lead mit der ID 999999");
    }

    private static List<String> messages(Http.Reply reply) {
        return reply.json().getJsonArray("errors").stream().map(e -> e.asJsonObject().getString("message")).toList();
    }

    private Map<String, List<String>> crawl(String username, String password, EnglishTexts english, int maxPages) {
        browser.manage().deleteAllCookies();
        browser.get(base + "login.xhtml");
        ItServer.patientWait(browser).until(d -> !d.findElements(By.id("loginForm:username")).isEmpty());
        browser.findElement(By.id("loginForm:username")).sendKeys(username);
        browser.findElement(By.id("loginForm:password")).sendKeys(password);
        browser.findElement(By.id("loginForm:login")).click();
        ItServer.patientWait(browser).until(d -> !d.findElements(By.id("userForm:account")).isEmpty());
        assertThat(browser.findElement(By.tagName("html")).getAttribute("lang")).isEqualTo("de");

        Map<String, List<String>> findings = new LinkedHashMap<>();
        Deque<String> queue = new ArrayDeque<>(seeds(username, password));
        Set<String> seen = new LinkedHashSet<>(queue);
        Map<String, Integer> recordPages = new LinkedHashMap<>();
        int visited = 0;
        while (!queue.isEmpty() && visited < maxPages) {
            String page = queue.removeFirst();
            browser.get(base + page);
            ItServer.patientWait(browser).until(d -> "complete".equals(
                    ((JavascriptExecutor) d).executeScript("return document.readyState")));
            visited++;
            List<String> found = english.foundIn(pageText());
            if (!found.isEmpty()) {
                findings.put(username + " · " + page, found);
            }
            for (String link : links()) {
                String key = pageKey(link);
                if (key == null || !seen.add(key)) {
                    continue;
                }
                if (key.startsWith("record.xhtml") && key.contains("id=")) {
                    String entity = parameter(key, "entity");
                    if (recordPages.merge(entity, 1, Integer::sum) > RECORDS_PER_ENTITY) {
                        continue;
                    }
                }
                // every figure of a dashboard links to its list: the same page with other filters
                if (key.startsWith("list.xhtml") && key.contains("filter=")
                        && recordPages.merge("filtered " + parameter(key, "entity"), 1, Integer::sum) > RECORDS_PER_ENTITY) {
                    continue;
                }
                queue.addLast(key);
            }
        }
        assertThat(visited).as("pages visited as " + username).isGreaterThan(10);
        return findings;
    }

    /** The pages the metadata implies, so that none depends on a link being found. */
    private List<String> seeds(String username, String password) {
        Http http = new Http(URI.create(base.toString())).basic(username, password);
        List<String> pages = new ArrayList<>(List.of("index.xhtml", "account.xhtml", "processes.xhtml"));
        for (JsonValue item : http.get("api/v1/metadata/entities").json().getJsonArray("items")) {
            String entity = item.asJsonObject().getString("name");
            pages.add("list.xhtml?entity=" + entity);
            pages.add("record.xhtml?entity=" + entity);
            Http.Reply records = http.get("api/v1/records/" + entity + "?limit=1");
            if (records.status() == 200) {
                for (JsonValue record : records.json().getJsonArray("items")) {
                    pages.add("record.xhtml?entity=" + entity + "&id=" + record.asJsonObject().getJsonNumber("id").longValue());
                }
            }
        }
        Http.Reply processes = http.get("api/v1/processes");
        if (processes.status() == 200) {
            for (JsonValue process : processes.json().getJsonArray("items")) {
                String name = process.asJsonObject().getString("name");
                pages.add("process.xhtml?name=" + name);
                pages.add("kanban.xhtml?process=" + name);
            }
        }
        return pages;
    }

    private String salesUser() {
        Http admin = new Http(URI.create(base.toString())).basic("admin", ItServer.ADMIN_PASSWORD);
        Http.Reply created = admin.post("api/v1/admin/users", "{\"username\": \"vertrieb.de\", \"displayName\": \"Vera Vertrieb\","
                + " \"password\": \"sales-password-2026-x\", \"roles\": [\"sales\"]}");
        assertThat(created.status()).as(created.body()).isIn(200, 201);
        return "vertrieb.de";
    }

    /** All text of the page, visible or not (collapsed panels, dialogs), and what elements say about themselves. */
    private String pageText() {
        Object text = ((JavascriptExecutor) browser).executeScript("""
                const parts = [];
                const code = 'code, pre, [translate=no]';
                const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT, {acceptNode: n =>
                    ['SCRIPT', 'STYLE', 'NOSCRIPT', 'TEMPLATE', 'TEXTAREA'].includes(n.parentNode.nodeName)
                        || n.parentElement.closest(code) ? NodeFilter.FILTER_REJECT : NodeFilter.FILTER_ACCEPT});
                while (walker.nextNode()) parts.push(walker.currentNode.nodeValue);
                for (const e of Array.from(document.querySelectorAll('[title],[placeholder],[aria-label],[alt]'))
                        .filter(e => !e.closest(code)))
                    for (const a of ['title', 'placeholder', 'aria-label', 'alt'])
                        if (e.getAttribute(a)) parts.push(e.getAttribute(a));
                for (const e of document.querySelectorAll('input[type=submit],input[type=button]')) parts.push(e.value);
                parts.push(document.title);
                return parts.join('\\n');
                """);
        return String.valueOf(text);
    }

    @SuppressWarnings("unchecked")
    private List<String> links() {
        Object hrefs = ((JavascriptExecutor) browser).executeScript(
                "return Array.from(document.querySelectorAll('a[href]')).map(a => a.href);");
        return (List<String>) hrefs;
    }

    /** The page and its query, relative to the CRM, or null for what is not a page to crawl. */
    private String pageKey(String href) {
        String root = base.toString();
        if (!href.startsWith(root)) {
            return null;
        }
        String page = href.substring(root.length()).replaceAll("#.*", "").replaceAll("[?&]jfwid=[^&]*", "");
        if (!page.contains(".xhtml") || page.contains("logout") || page.startsWith("api/")) {
            return null;
        }
        return page;
    }

    private static String parameter(String page, String name) {
        var matcher = Pattern.compile("[?&]" + name + "=([^&]*)").matcher(page);
        return matcher.find() ? matcher.group(1) : "";
    }

    /** Every text of the demo records: data may be in any language. */
    private static String demoText() throws IOException {
        StringBuilder text = new StringBuilder();
        try (Stream<Path> files = Files.walk(METADATA.resolve("demo"))) {
            for (Path file : files.filter(f -> f.toString().endsWith(".yaml")).toList()) {
                for (Object document : new Load(LoadSettings.builder().build()).loadAllFromString(Files.readString(file))) {
                    strings(document, text::append, s -> true);
                }
            }
        }
        return text.toString();
    }

    private static void strings(Object node, java.util.function.Consumer<String> sink, java.util.function.Predicate<String> keep) {
        if (node instanceof Map<?, ?> map) {
            map.forEach((k, v) -> {
                strings(k, sink, keep);
                strings(v, sink, keep);
            });
        } else if (node instanceof Collection<?> list) {
            list.forEach(v -> strings(v, sink, keep));
        } else if (node instanceof String s && keep.test(s)) {
            sink.accept(s + "\n");
        }
    }

    /** English texts of the platform that must not appear on a German page, each matched as whole words. */
    static final class EnglishTexts {

        private static final Pattern PLACEHOLDER = Pattern.compile("\\{\\{[^}]*}}|\\{[^}]*}|<[^>]*>|'[^']*'");
        private static final Pattern TECHNICAL = Pattern.compile("[a-z]+(_[a-z0-9]+)+");

        private final Map<String, Pattern> texts = new LinkedHashMap<>();

        static EnglishTexts collect(Path metadata, String demoText) throws IOException {
            Set<String> german = new TreeSet<>();
            Map<String, String> candidates = new LinkedHashMap<>();
            ResourceBundle en = ResourceBundle.getBundle("io.relata.web.ui.messages", Locale.ENGLISH);
            ResourceBundle de = ResourceBundle.getBundle("io.relata.web.ui.messages", Locale.GERMAN);
            for (String key : en.keySet()) {
                german.add(de.getString(key));
                if (!en.getString(key).equals(de.getString(key))) {
                    candidates.put(en.getString(key), "messages: " + key);
                }
            }
            Set<String> technical = new TreeSet<>();
            try (Stream<Path> files = Files.walk(metadata)) {
                for (Path file : files.filter(f -> f.toString().endsWith(".yaml") && !f.toString().contains("/demo/")).toList()) {
                    Object document = new Load(LoadSettings.builder().build()).loadFromString(Files.readString(file));
                    pairs(document, german, candidates, technical, metadata.relativize(file).toString());
                }
            }
            EnglishTexts texts = new EnglishTexts();
            String germanText = String.join("\n", german);
            candidates.forEach((text, source) -> {
                for (String segment : PLACEHOLDER.split(text)) {
                    String phrase = segment.strip().replaceAll("^[\\p{Punct}\\s–—…]+|[\\p{Punct}\\s–—…]+$", "");
                    if (phrase.length() >= 3 && phrase.chars().anyMatch(Character::isLetter)
                            && !wholeWord(phrase).matcher(germanText).find() && !demoText.contains(phrase)) {
                        texts.texts.putIfAbsent(phrase, wholeWord(phrase));
                    }
                }
            });
            technical.stream().filter(name -> !demoText.contains(name))
                    .forEach(name -> texts.texts.putIfAbsent(name, wholeWord(name)));
            return texts;
        }

        /** Collects {de, en} pairs (English ones that differ) and technical names (option values, phases, roles). */
        private static void pairs(Object node, Set<String> german, Map<String, String> english, Set<String> technical, String file) {
            if (node instanceof Map<?, ?> map) {
                if (map.get("todo") instanceof Map<?, ?> || map.get("create") instanceof Map<?, ?>
                        || map.containsKey("subject") && map.containsKey("body")) {
                    return; // to-dos, created records and mails: data, in the default language when they are written
                }
                if (map.get("integration") instanceof Map<?, ?> || map.get("extension") instanceof Map<?, ?>) {
                    return; // the name of an integration or extension is an identifier, like an entity's, with no label
                }
                if (map.get("de") instanceof String de && map.get("en") instanceof String en) {
                    german.add(de);
                    if (!de.equals(en)) {
                        english.putIfAbsent(en, file);
                    }
                    return;
                }
                for (String key : List.of("name", "value")) {
                    if (map.get(key) instanceof String name && TECHNICAL.matcher(name).matches()) {
                        technical.add(name);
                    }
                }
                map.values().forEach(v -> pairs(v, german, english, technical, file));
            } else if (node instanceof Collection<?> list) {
                list.forEach(v -> pairs(v, german, english, technical, file));
            }
        }

        private static Pattern wholeWord(String phrase) {
            return Pattern.compile("(?<![\\p{L}\\p{N}_])" + Pattern.quote(phrase) + "(?![\\p{L}\\p{N}_])");
        }

        int size() {
            return texts.size();
        }

        List<String> foundIn(String pageText) {
            List<String> found = new ArrayList<>();
            texts.forEach((phrase, pattern) -> {
                var matcher = pattern.matcher(pageText);
                if (matcher.find()) {
                    int from = Math.max(0, matcher.start() - 30);
                    int to = Math.min(pageText.length(), matcher.end() + 30);
                    found.add(phrase + "  ⟨" + pageText.substring(from, to).replace('\n', ' ') + "⟩");
                }
            });
            return found;
        }
    }
}
