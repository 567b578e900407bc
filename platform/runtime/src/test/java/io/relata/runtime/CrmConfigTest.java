package io.relata.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Settings are read, checked and defaulted in one place; an unusable value names its variable. */
class CrmConfigTest {

    private static Setting.Source source(Map<String, String> properties, Map<String, String> environment) {
        return new Setting.Source() {
            @Override
            public String systemProperty(String name) {
                return properties.get(name);
            }

            @Override
            public String environment(String name) {
                return environment.get(name);
            }
        };
    }

    private static CrmConfig config(Map<String, String> environment) {
        return CrmConfig.from(source(Map.of(), environment));
    }

    @Test
    void aBadNumberNamesTheVariableTheValueAndTheExpectedForm() {
        assertThatThrownBy(() -> config(Map.of("CRM_RULES_TIMEOUT_MS", "2s")))
                .isInstanceOf(InvalidSettingException.class)
                .hasMessage("CRM_RULES_TIMEOUT_MS (or -Dcrm.rules.timeout.ms) is '2s'; expected a whole number of "
                        + "milliseconds greater than 0, e.g. 2000.");
    }

    @Test
    void everyUnusableSettingIsReportedAtOnce() {
        assertThatThrownBy(() -> config(Map.of("CRM_HTTP_PORT", "70000", "CRM_DEMO_DATA", "yes",
                "CRM_DB_URL", "postgresql://localhost/crm", "CRM_BASE_URL", "crm.example.com", "CRM_DEFAULT_LANGUAGE", "fr",
                "CRM_TIMER_INTERVAL_MS", "0")))
                .isInstanceOfSatisfying(InvalidSettingException.class, e -> assertThat(e.problems()).containsExactly(
                        "CRM_HTTP_PORT (or -Dcrm.http.port) is '70000'; expected a port number from 1 to 65535, e.g. 8080.",
                        "CRM_DB_URL (or -Dcrm.db.url) is 'postgresql://localhost/crm'; expected a JDBC URL starting with "
                                + "'jdbc:', e.g. jdbc:postgresql://127.0.0.1:5432/crm.",
                        "CRM_DEMO_DATA (or -Dcrm.demo.data) is 'yes'; expected true or false.",
                        "CRM_BASE_URL (or -Dcrm.base.url) is 'crm.example.com'; expected an http:// or https:// address, "
                                + "e.g. https://crm.example.com.",
                        "CRM_DEFAULT_LANGUAGE (or -Dcrm.default.language) is 'fr'; expected one of de, en.",
                        "CRM_TIMER_INTERVAL_MS (or -Dcrm.timer.interval.ms) is '0'; expected a whole number of milliseconds "
                                + "greater than 0, e.g. 5000."));
    }

    @Test
    void withNothingGivenTheDefaultsApply() {
        CrmConfig config = config(Map.of());

        assertThat(config.httpPort()).isEqualTo(8080);
        assertThat(config.dataDir()).isEqualTo(Path.of("./data").toAbsolutePath().normalize());
        assertThat(config.dbUrl()).isEqualTo("jdbc:h2:file:" + config.dataDir().resolve("crm") + ";AUTO_SERVER=FALSE;LOCK_TIMEOUT=10000");
        assertThat(config.dbUser()).isEqualTo("sa");
        assertThat(config.dbPassword()).isEmpty();
        assertThat(config.metadataBase()).isEmpty();
        assertThat(config.metadataPath()).isEmpty();
        assertThat(config.demoData()).isTrue();
        assertThat(config.exitOnStartupFailure()).isFalse();
        assertThat(config.adminPassword()).isNull();
        assertThat(config.rulesTimeout()).isEqualTo(Duration.ofMillis(2000));
        assertThat(config.baseUrl()).isEqualTo("http://localhost:8080");
        assertThat(config.defaultLanguage()).isEqualTo("de");
        assertThat(config.smtp()).isEqualTo(new CrmConfig.Smtp(null, 25, "crm@localhost", null, null, false));
        assertThat(config.clockAdjustable()).isFalse();
        assertThat(config.timerInterval()).isEqualTo(Duration.ofSeconds(5));
        assertThat(config.metadataLimits()).isEqualTo(io.relata.metadata.MetadataLimits.DEFAULT);
    }

    @Test
    void metadataLimitsAreReadInTheirUnitsAndAZeroDepthIsRefused() {
        CrmConfig config = config(Map.of("CRM_METADATA_MAX_ALIASES", "0", "CRM_METADATA_MAX_DEPTH", "20",
                "CRM_METADATA_MAX_NODES", "5000", "CRM_METADATA_MAX_FILE_KB", "64", "CRM_METADATA_MAX_SCALAR_KB", "8"));

        assertThat(config.metadataLimits()).isEqualTo(new io.relata.metadata.MetadataLimits(0, 20, 5000, 64 * 1024,
                8 * 1024));
        assertThatThrownBy(() -> config(Map.of("CRM_METADATA_MAX_DEPTH", "0")))
                .hasMessage("CRM_METADATA_MAX_DEPTH (or -Dcrm.metadata.max.depth) is '0'; expected a whole number of "
                        + "at least 1, e.g. 50.");
    }

    @Test
    void givenValuesAreParsedAndSystemPropertiesWinOverTheEnvironment() {
        CrmConfig config = CrmConfig.from(source(Map.of("crm.http.port", "9090", "crm.smtp.starttls", "TRUE"),
                Map.of("CRM_HTTP_PORT", "8081", "CRM_DB_URL", "jdbc:postgresql://127.0.0.1:5432/crm",
                        "CRM_METADATA_PATH", "/opt/a: /opt/b", "CRM_BASE_URL", "https://crm.example.com/",
                        "CRM_RULES_TIMEOUT_MS", " 500 ", "CRM_SMTP_HOST", "smtp.example.com", "CRM_SMTP_PORT", "587")));

        assertThat(config.httpPort()).isEqualTo(9090);
        assertThat(config.dbUser()).isEmpty();
        assertThat(config.metadataPath()).containsExactly(Path.of("/opt/a"), Path.of("/opt/b"));
        assertThat(config.baseUrl()).isEqualTo("https://crm.example.com");
        assertThat(config.rulesTimeout()).isEqualTo(Duration.ofMillis(500));
        assertThat(config.smtp()).extracting(CrmConfig.Smtp::host, CrmConfig.Smtp::port, CrmConfig.Smtp::startTls)
                .containsExactly("smtp.example.com", 587, true);
        assertThat(config.metadataBase()).isEqualTo(Optional.empty());
    }

    @Test
    void everySettingHasAMeaningADefaultAndAnExpectedForm() {
        assertThat(Settings.all()).allSatisfy(setting -> {
            assertThat(setting.property()).matches("crm(\\.[a-z]+)+");
            assertThat(setting.meaning()).isNotBlank();
            assertThat(setting.defaultText()).isNotBlank();
            assertThat(setting.expected()).isNotBlank();
        });
        assertThat(Settings.all()).extracting(Setting::variable).doesNotHaveDuplicates()
                .contains("CRM_HTTP_PORT", "CRM_RULES_TIMEOUT_MS", "CRM_EXIT_ON_STARTUP_FAILURE");
        assertThat(List.copyOf(Settings.all())).hasSizeGreaterThan(20);
    }
}
