package io.relata.admin;

import static org.assertj.core.api.Assertions.assertThat;

import io.relata.identity.LoginEvent;
import io.relata.plugins.PluginEngine;
import io.relata.plugins.PluginLedger;
import io.relata.runtime.MetadataRevision;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Properties;
import java.util.ResourceBundle;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The administration pages speak German and English: every text their pages and views ask for is in this module's
 * bundle, in both languages, including the ones put together from a state (plugin states, ledger actions, login
 * outcomes and channels, revision triggers). A key missing here would show as "???key???" or fail the page.
 */
class AdminTextsTest {

    private static final Pattern PAGE_KEY = Pattern.compile("adminText\\['([a-zA-Z.]+)'\\]");
    private static final Pattern CODE_KEY = Pattern.compile("\"((?:admin|plugins|users|login|designer)\\.[a-zA-Z.]*[a-zA-Z])\"");

    @Test
    void theBundlesHoldTheSameKeys() throws IOException {
        Set<String> fallback = keys("messages.properties");
        assertThat(fallback).hasSizeGreaterThan(100);
        assertThat(keys("messages_de.properties")).isEqualTo(fallback);
        assertThat(keys("messages_en.properties")).isEqualTo(fallback);
    }

    @Test
    void everyTextOfThePagesAndViewsIsThereInGermanAndEnglish() throws IOException {
        Set<String> used = new TreeSet<>();
        collect(Path.of("src/main/resources/META-INF/resources/admin"), PAGE_KEY, used);
        collect(Path.of("src/main/java/io/relata/admin"), CODE_KEY, used);
        assertThat(used).as("keys found in pages and views").contains("admin.reload", "plugins.install", "users.create");
        for (PluginEngine.State state : PluginEngine.State.values()) {
            used.add("plugins.state." + state.name());
        }
        for (PluginLedger.Action action : PluginLedger.Action.values()) {
            used.add("plugins.action." + action.name());
        }
        for (LoginEvent.Outcome outcome : LoginEvent.Outcome.values()) {
            used.add("login.outcome." + outcome.name());
        }
        for (LoginEvent.Channel channel : LoginEvent.Channel.values()) {
            used.add("login.channel." + channel.name());
        }
        for (MetadataRevision.Trigger trigger : MetadataRevision.Trigger.values()) {
            used.add("admin.trigger." + trigger.name());
        }
        for (io.relata.api.security.AccessScope scope : io.relata.api.security.AccessScope.values()) {
            used.add("designer.scope." + scope.yamlName());
        }
        for (io.relata.api.security.FieldAccess access : io.relata.api.security.FieldAccess.values()) {
            used.add("designer.access." + access.yamlName());
        }
        for (io.relata.api.model.FieldType type : io.relata.api.model.FieldType.values()) {
            used.add("designer.type." + type.yamlName());
        }
        for (io.relata.api.rules.RuleKind kind : io.relata.api.rules.RuleKind.values()) {
            used.add("designer.rules.kind." + kind.yamlName());
        }
        used.add("designer.layer.core");
        used.add("designer.layer.site");
        Set<String> german = keys("messages_de.properties");
        for (Locale locale : new Locale[] {Locale.GERMAN, Locale.ENGLISH}) {
            ResourceBundle bundle = ResourceBundle.getBundle(AdminTexts.BUNDLE, locale);
            assertThat(bundle.getLocale().getLanguage()).isEqualTo(locale.getLanguage());
            assertThat(used).allSatisfy(key -> assertThat(bundle.getString(key)).as(key + " in " + locale).isNotBlank());
        }
        assertThat(german).containsAll(used);
    }

    private static void collect(Path dir, Pattern pattern, Set<String> into) throws IOException {
        assertThat(dir).as("run in admin-ui").isDirectory();
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                Matcher m = pattern.matcher(Files.readString(file));
                while (m.find()) {
                    into.add(m.group(1));
                }
            }
        }
    }

    private static Set<String> keys(String file) throws IOException {
        Properties properties = new Properties();
        try (InputStream in = AdminTextsTest.class.getResourceAsStream("/io/relata/admin/" + file)) {
            properties.load(new InputStreamReader(in, StandardCharsets.UTF_8));
        }
        return new TreeSet<>(properties.stringPropertyNames());
    }
}
