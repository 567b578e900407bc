package io.relata.runtime;

import io.relata.metadata.MetadataLimits;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Settings of one running CRM, read once at start-up. Each is read from a system property ({@code crm.db.url})
 * first, then from the environment ({@code CRM_DB_URL}), then a default; {@link Settings} lists, parses and
 * documents them all.
 */
public record CrmConfig(
        int httpPort,
        Path dataDir,
        String dbUrl,
        String dbUser,
        String dbPassword,
        Optional<Path> metadataBase,
        List<Path> metadataPath,
        Path metadataSite,
        Path pluginsDir,
        List<Path> pluginsInstall,
        java.time.Duration pluginTimeout,
        MetadataLimits metadataLimits,
        boolean demoData,
        boolean exitOnStartupFailure,
        String adminPassword,
        java.time.Duration rulesTimeout,
        String baseUrl,
        String defaultLanguage,
        Smtp smtp,
        boolean clockAdjustable,
        java.time.Duration timerInterval,
        long maxBodyBytes,
        int listCountLimit,
        List<String> trustedProxies,
        io.relata.runtime.files.RecordFiles.Settings files,
        io.relata.runtime.mail.MailCapture.Settings mailCapture,
        java.time.Duration mailCaptureInterval,
        io.relata.runtime.mail.ImapMailbox campaignMailbox,
        io.relata.runtime.orders.Letterhead letterhead) {

    /** What a reverse proxy on the same machine connects from: the trusted proxies unless configured otherwise. */
    public static final List<String> LOOPBACK = List.of("127.0.0.1", "::1", "0:0:0:0:0:0:0:1");

    /**
     * The mail server processes send through ({@code CRM_SMTP_HOST} …); without a host, mails stay queued in
     * the outbox and the admin page says why.
     */
    public record Smtp(String host, int port, String from, String user, String password, boolean startTls) {

        @Override
        public String toString() {
            return "Smtp[host=" + host + ", port=" + port + ", from=" + from + ", user=" + user + ", startTls=" + startTls + "]";
        }
    }

    /**
     * The settings of this process's system properties and environment.
     *
     * @throws InvalidSettingException naming every setting whose value cannot be used
     */
    public static CrmConfig fromEnvironment() {
        return from(Setting.Source.SYSTEM);
    }

    static CrmConfig from(Setting.Source source) {
        Values values = new Values(source);
        int port = values.get(Settings.HTTP_PORT);
        Path dataDir = values.get(Settings.DATA_DIR).toAbsolutePath().normalize();
        String url = values.given(Settings.DB_URL)
                // H2 waits 1 s for a row lock by default; creates of a gapless number queue on its counter row
                // until the one before commits, which on a busy machine can take longer
                .orElse("jdbc:h2:file:" + dataDir.resolve("crm") + ";AUTO_SERVER=FALSE;LOCK_TIMEOUT=10000");
        boolean embedded = url.startsWith("jdbc:h2:");
        CrmConfig config = new CrmConfig(
                port,
                dataDir,
                url,
                values.given(Settings.DB_USER).orElse(embedded ? "sa" : ""),
                values.get(Settings.DB_PASSWORD),
                values.given(Settings.METADATA_BASE),
                values.get(Settings.METADATA_PATH),
                values.given(Settings.METADATA_SITE).map(d -> d.toAbsolutePath().normalize())
                        .orElse(dataDir.resolve("metadata-site")),
                values.given(Settings.PLUGINS_DIR).map(d -> d.toAbsolutePath().normalize()).orElse(dataDir.resolve("plugins")),
                values.get(Settings.PLUGINS_INSTALL),
                values.get(Settings.PLUGIN_TIMEOUT_MS),
                new MetadataLimits(values.get(Settings.METADATA_MAX_ALIASES), values.get(Settings.METADATA_MAX_DEPTH),
                        values.get(Settings.METADATA_MAX_NODES), values.get(Settings.METADATA_MAX_FILE_KB) * 1024L,
                        (int) Math.min(Integer.MAX_VALUE, values.get(Settings.METADATA_MAX_SCALAR_KB) * 1024L)),
                values.get(Settings.DEMO_DATA),
                values.get(Settings.EXIT_ON_STARTUP_FAILURE),
                values.get(Settings.ADMIN_PASSWORD),
                values.get(Settings.RULES_TIMEOUT_MS),
                values.given(Settings.BASE_URL).orElse("http://localhost:" + port),
                values.get(Settings.DEFAULT_LANGUAGE),
                new Smtp(values.get(Settings.SMTP_HOST), values.get(Settings.SMTP_PORT), values.get(Settings.SMTP_FROM),
                        values.get(Settings.SMTP_USER), values.get(Settings.SMTP_PASSWORD),
                        values.get(Settings.SMTP_STARTTLS)),
                values.get(Settings.CLOCK_ADJUSTABLE),
                values.get(Settings.TIMER_INTERVAL_MS),
                values.get(Settings.MAX_BODY_BYTES),
                values.get(Settings.LIST_COUNT_LIMIT),
                values.get(Settings.TRUSTED_PROXIES),
                new io.relata.runtime.files.RecordFiles.Settings(
                        io.relata.runtime.files.RecordFiles.Storage.of(values.get(Settings.FILES_STORAGE)),
                        dataDir.resolve("files"), values.get(Settings.FILES_MAX_BYTES),
                        java.util.Set.copyOf(values.get(Settings.FILES_TYPES))),
                new io.relata.runtime.mail.MailCapture.Settings(values.get(Settings.MAIL_CAPTURE_HOST),
                        values.get(Settings.MAIL_CAPTURE_PORT), values.get(Settings.MAIL_CAPTURE_SSL),
                        values.get(Settings.MAIL_CAPTURE_USER), values.get(Settings.MAIL_CAPTURE_PASSWORD), "INBOX",
                        values.get(Settings.MAIL_CAPTURE_ADDRESS)),
                values.get(Settings.MAIL_CAPTURE_INTERVAL_MS),
                new io.relata.runtime.mail.ImapMailbox(values.get(Settings.CAMPAIGN_MAILBOX_HOST),
                        values.get(Settings.CAMPAIGN_MAILBOX_PORT), values.get(Settings.CAMPAIGN_MAILBOX_SSL),
                        values.get(Settings.CAMPAIGN_MAILBOX_USER), values.get(Settings.CAMPAIGN_MAILBOX_PASSWORD), "INBOX"),
                new io.relata.runtime.orders.Letterhead(values.get(Settings.COMPANY_NAME),
                        io.relata.runtime.orders.Letterhead.lines(values.get(Settings.COMPANY_ADDRESS)),
                        io.relata.runtime.orders.Letterhead.lines(values.get(Settings.COMPANY_CONTACT)),
                        io.relata.runtime.orders.Letterhead.lines(values.get(Settings.COMPANY_REGISTRATION)),
                        io.relata.runtime.orders.Letterhead.lines(values.get(Settings.COMPANY_BANK))));
        if (!values.problems.isEmpty()) {
            throw new InvalidSettingException(values.problems);
        }
        return config;
    }

    /** Reads settings, collecting every unusable value (with its default meanwhile) to report them together. */
    private static final class Values {
        private final Setting.Source source;
        private final List<String> problems = new ArrayList<>();

        Values(Setting.Source source) {
            this.source = source;
        }

        <T> T get(Setting<T> setting) {
            return given(setting).orElse(setting.fallback());
        }

        <T> Optional<T> given(Setting<T> setting) {
            try {
                return setting.given(source);
            } catch (InvalidSettingException e) {
                problems.addAll(e.problems());
                return Optional.empty();
            }
        }
    }

    @Override
    public String toString() {
        return "CrmConfig[dataDir=" + dataDir + ", dbUrl=" + dbUrl + ", dbUser=" + dbUser + ", metadataBase=" + metadataBase
                + ", metadataPath=" + metadataPath + ", metadataSite=" + metadataSite + ", demoData=" + demoData + ", baseUrl=" + baseUrl + ", smtp=" + smtp
                + "]"; // no passwords in logs
    }

    public boolean isH2File() {
        return dbUrl.startsWith("jdbc:h2:file:");
    }

    public void ensureDataDir() throws java.io.IOException {
        Files.createDirectories(dataDir);
    }
}
