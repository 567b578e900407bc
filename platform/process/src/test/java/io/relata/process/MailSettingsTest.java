package io.relata.process;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** The mail server settings; they are read and checked with the other settings in the web module's CrmConfig. */
class MailSettingsTest {

    @Test
    void aServerWithAHostIsConfiguredAndItsPasswordStaysOutOfLogs() {
        MailSettings settings = new MailSettings("smtp.example.com", 587, "crm@example.com", "crm", "s3cret", true,
                MailSettings.DEFAULT_TIMEOUT);

        assertThat(settings.isConfigured()).isTrue();
        assertThat(settings.toString()).doesNotContain("s3cret");
    }

    @Test
    void withoutAHostMailsAreNotSentAndBlankLoginsAreNone() {
        MailSettings settings = new MailSettings(" ", 25, "crm@localhost", " ", "", false, null);

        assertThat(settings.isConfigured()).isFalse();
        assertThat(settings.username()).isNull();
        assertThat(settings.password()).isNull();
        assertThat(settings.timeout()).isEqualTo(MailSettings.DEFAULT_TIMEOUT);
    }

    @Test
    void unusableValuesAreRefused() {
        assertThatThrownBy(() -> new MailSettings("smtp.example.com", 70000, "crm@localhost", null, null, false, null))
                .hasMessageContaining("between 1 and 65535");
        assertThatThrownBy(() -> new MailSettings("smtp.example.com", 25, " ", null, null, false, null))
                .hasMessageContaining("CRM_SMTP_FROM");
    }
}
