package io.relata.identity;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
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

/** Every refusal of the identity module has its text in German and English, and the bundles keep the same keys. */
class IdentityMessagesTest {

    private static final Pattern REFUSAL_KEY = Pattern.compile("RefusedException\\(\"([a-zA-Z.]+)\"");

    @Test
    void theBundlesHoldTheSameKeys() throws IOException {
        Set<String> fallback = keys("messages.properties");
        assertThat(keys("messages_de.properties")).isEqualTo(fallback);
        assertThat(keys("messages_en.properties")).isEqualTo(fallback);
    }

    @Test
    void everyKeyTheCodeUsesHasAGermanAndAnEnglishText() throws IOException {
        Set<String> used = new TreeSet<>();
        try (Stream<Path> sources = Files.walk(Path.of("src/main/java/io/relata/identity"))) {
            for (Path source : sources.filter(p -> p.toString().endsWith(".java")).toList()) {
                Matcher m = REFUSAL_KEY.matcher(Files.readString(source));
                while (m.find()) {
                    used.add(m.group(1));
                }
            }
        }
        for (PasswordPolicy.Reason reason : PasswordPolicy.Reason.values()) {
            used.add(reason.messageKey());
        }
        assertThat(used).as("keys found in the code").contains("users.error.noUser", "password.tooShort");
        for (Locale locale : new Locale[] {Locale.GERMAN, Locale.ENGLISH}) {
            ResourceBundle bundle = ResourceBundle.getBundle("io.relata.identity.messages", locale);
            assertThat(bundle.getLocale().getLanguage()).isEqualTo(locale.getLanguage());
            assertThat(used).allSatisfy(key -> assertThat(bundle.getString(key)).isNotBlank());
        }
        assertThat(new UserDirectory.RefusedException("users.error.teamTaken", "taken", "Vertrieb").message(Locale.GERMAN))
                .isEqualTo("Der Teamname Vertrieb ist vergeben.");
    }

    private static Set<String> keys(String file) throws IOException {
        Properties properties = new Properties();
        try (InputStream in = IdentityMessagesTest.class.getResourceAsStream("/io/relata/identity/" + file)) {
            properties.load(new java.io.InputStreamReader(in, java.nio.charset.StandardCharsets.UTF_8));
        }
        return new TreeSet<>(properties.stringPropertyNames());
    }
}
