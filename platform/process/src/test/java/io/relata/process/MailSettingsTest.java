package io.relata.process;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class MailSettingsTest {

    @Test
    void readsTheServerFromTheEnvironment() {
        MailSettings settings = MailSettings.fromEnvironment(Map.of("CRM_SMTP_HOST", "smtp.example.com",
                "CRM_SMTP_PORT", "587", "CRM_SMTP_FROM", "crm@example.com", "CRM_SMTP_USER", "crm",
                "CRM_SMTP_PASSWORD", "s3cret", "CRM_SMTP_STARTTLS", "true"));

        assertThat(settings.isConfigured()).isTrue();
        assertThat(settings).extracting(MailSettings::host, MailSettings::port, MailSettings::from,
                MailSettings::username, MailSettings::password, MailSettings::startTls)
                .containsExactly("smtp.example.com", 587, "crm@example.com", "crm", "s3cret", true);
        assertThat(settings.toString()).doesNotContain("s3cret");
    }

    @Test
    void withoutAHostMailsAreNotSentAndDefaultsApply() {
        MailSettings settings = MailSettings.fromEnvironment(Map.of("CRM_SMTP_HOST", " "));

        assertThat(settings.isConfigured()).isFalse();
        assertThat(settings.port()).isEqualTo(25);
        assertThat(settings.from()).isEqualTo("crm@localhost");
        assertThat(settings.username()).isNull();
    }

    @Test
    void unusableValuesNameTheVariable() {
        assertThatThrownBy(() -> MailSettings.fromEnvironment(Map.of("CRM_SMTP_PORT", "smtp")))
                .hasMessage("CRM_SMTP_PORT must be a port number such as 25 or 587, not 'smtp'");
        assertThatThrownBy(() -> MailSettings.fromEnvironment(Map.of("CRM_SMTP_STARTTLS", "yes")))
                .hasMessage("CRM_SMTP_STARTTLS must be true or false, not 'yes'");
        assertThatThrownBy(() -> MailSettings.fromEnvironment(Map.of("CRM_SMTP_PORT", "70000")))
                .hasMessageContaining("between 1 and 65535");
    }
}
