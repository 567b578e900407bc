package io.relata.web.runtime;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Settings of one running CRM. Each is read from a system property ({@code crm.db.url}) first, then from
 * the environment ({@code CRM_DB_URL}), then a default; see the README for the list.
 */
public record CrmConfig(
        Path dataDir,
        String dbUrl,
        String dbUser,
        String dbPassword,
        Optional<Path> metadataBase,
        List<Path> metadataPath,
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
        List<String> trustedProxies) {

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

    public static CrmConfig fromEnvironment() {
        Path dataDir = Path.of(setting("crm.data.dir", "./data")).toAbsolutePath().normalize();
        String defaultUrl = "jdbc:h2:file:" + dataDir.resolve("crm") + ";AUTO_SERVER=FALSE";
        String url = setting("crm.db.url", defaultUrl);
        boolean embedded = url.startsWith("jdbc:h2:");
        return new CrmConfig(
                dataDir,
                url,
                setting("crm.db.user", embedded ? "sa" : ""),
                setting("crm.db.password", ""),
                Optional.ofNullable(emptyToNull(setting("crm.metadata.base", ""))).map(Path::of),
                paths(setting("crm.metadata.path", "")),
                Boolean.parseBoolean(setting("crm.demo.data", "true")),
                Boolean.parseBoolean(setting("crm.exit.on.startup.failure", "false")),
                emptyToNull(setting("crm.admin.password", "")),
                java.time.Duration.ofMillis(Long.parseLong(setting("crm.rules.timeout.ms", "2000"))),
                stripTrailingSlash(setting("crm.base.url", "http://localhost:" + setting("crm.http.port", "8080"))),
                setting("crm.default.language", "de"),
                new Smtp(emptyToNull(setting("crm.smtp.host", "")), Integer.parseInt(setting("crm.smtp.port", "25")),
                        setting("crm.smtp.from", "crm@localhost"), emptyToNull(setting("crm.smtp.user", "")),
                        emptyToNull(setting("crm.smtp.password", "")),
                        Boolean.parseBoolean(setting("crm.smtp.starttls", "false"))),
                // only for tests and demos: lets an admin move the platform clock forward (timers)
                Boolean.parseBoolean(setting("crm.clock.adjustable", "false")),
                java.time.Duration.ofMillis(Long.parseLong(setting("crm.timer.interval.ms", "5000"))),
                // the largest request body the API reads (bytes); a larger one is refused with 413 before parsing
                Long.parseLong(setting("crm.max.body.bytes", "1048576")),
                // the reverse proxies whose X-Forwarded-For is believed (login throttling per client address)
                trustedProxies(setting("crm.trusted.proxies", String.join(",", io.relata.web.security.ClientAddress.LOOPBACK))));
    }

    @Override
    public String toString() {
        return "CrmConfig[dataDir=" + dataDir + ", dbUrl=" + dbUrl + ", dbUser=" + dbUser + ", metadataBase=" + metadataBase
                + ", metadataPath=" + metadataPath + ", demoData=" + demoData + ", baseUrl=" + baseUrl + ", smtp=" + smtp
                + "]"; // no passwords in logs
    }

    public boolean isH2File() {
        return dbUrl.startsWith("jdbc:h2:file:");
    }

    public void ensureDataDir() throws java.io.IOException {
        Files.createDirectories(dataDir);
    }

    static String setting(String property, String defaultValue) {
        String value = System.getProperty(property);
        if (value == null || value.isBlank()) {
            value = System.getenv(property.toUpperCase(Locale.ROOT).replace('.', '_'));
        }
        return value == null || value.isBlank() ? defaultValue : value.trim();
    }

    private static List<Path> paths(String colonSeparated) {
        return Arrays.stream(colonSeparated.split(":"))
                .map(String::trim)
                .filter(s -> !s.isEmpty())
                .map(Path::of)
                .toList();
    }

    private static List<String> trustedProxies(String commaSeparated) {
        return commaSeparated.equalsIgnoreCase("none") ? List.of()
                : Arrays.stream(commaSeparated.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
    }

    private static String stripTrailingSlash(String url) {
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }

    private static String emptyToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }
}
