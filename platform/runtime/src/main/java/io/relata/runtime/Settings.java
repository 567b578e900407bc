package io.relata.runtime;

import io.relata.metadata.MetadataLimits;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Every setting of the CRM, in the order of the README's configuration table, which is made from this list
 * ({@link #readmeTable()}; ReadmeConfigurationTest keeps them equal). To add a setting: one line here, its
 * value in {@link CrmConfig}, and the row the test then asks for in the README.
 */
final class Settings {

    private static final List<Setting<?>> ALL = new ArrayList<>();

    static final Setting<Integer> HTTP_PORT = add(Setting.port("crm.http.port", 8080,
            "HTTP port, always bound to 127.0.0.1"));
    static final Setting<Path> DATA_DIR = add(Setting.path("crm.data.dir", "./data", "`./data`",
            "H2 database file, server work files"));
    static final Setting<String> DB_URL = add(Setting.jdbcUrl("crm.db.url", "H2 file in `CRM_DATA_DIR`",
            "JDBC URL, e.g. `jdbc:postgresql://127.0.0.1:5432/test`"));
    static final Setting<String> DB_USER = add(Setting.text("crm.db.user", null, "`sa` for H2, else empty",
            "database user"));
    static final Setting<String> DB_PASSWORD = add(Setting.text("crm.db.password", "", "empty", "database password"));
    static final Setting<Path> METADATA_BASE = add(Setting.path("crm.metadata.base", null, "`./metadata`",
            "the shipped metadata directory"));
    static final Setting<List<Path>> METADATA_PATH = add(Setting.paths("crm.metadata.path",
            "extra metadata directories, colon-separated, loaded after the base"));
    static final Setting<Path> METADATA_SITE = add(Setting.path("crm.metadata.site", null, "`metadata-site` in `CRM_DATA_DIR`",
            "the site's own metadata layer, loaded last, that the admin designer writes (plain YAML: edit it by hand or in the designer)"));
    static final Setting<Path> PLUGINS_DIR = add(Setting.path("crm.plugins.dir", null, "`plugins` in `CRM_DATA_DIR`",
            "installed plugin jars and their metadata layers (install them on the admin page or `POST /api/v1/admin/plugins`)"));
    static final Setting<List<Path>> PLUGINS_INSTALL = add(Setting.paths("crm.plugins.install",
            "plugin jars installed at start if their plugin was never installed, or upgraded if they are newer than the"
                    + " installed and enabled version (`run.sh` passes the shipped ones; one an admin uninstalled or disabled"
                    + " stays as it is), colon-separated"));
    static final Setting<Duration> PLUGIN_TIMEOUT_MS = add(Setting.millis("crm.plugin.timeout.ms", 5000,
            "how long one call into a plugin (a rule function, an integration, a panel) may take before it fails"));
    static final Setting<Integer> METADATA_MAX_ALIASES = add(Setting.count(MetadataLimits.ALIASES_SETTING,
            MetadataLimits.DEFAULT_ALIASES, 0, "alias uses (`*name`) one metadata file may have"));
    static final Setting<Integer> METADATA_MAX_DEPTH = add(Setting.count(MetadataLimits.DEPTH_SETTING,
            MetadataLimits.DEFAULT_DEPTH, 1, "levels of nested lists and mappings in one metadata file, aliases expanded"));
    static final Setting<Integer> METADATA_MAX_NODES = add(Setting.count(MetadataLimits.NODES_SETTING,
            MetadataLimits.DEFAULT_NODES, 1, "values (keys, texts, lists, mappings) of one metadata file, aliases expanded"));
    static final Setting<Integer> METADATA_MAX_FILE_KB = add(Setting.count(MetadataLimits.FILE_SETTING,
            MetadataLimits.DEFAULT_FILE_KB, 1, "size of one metadata or rule script file in KiB"));
    static final Setting<Integer> METADATA_MAX_SCALAR_KB = add(Setting.count(MetadataLimits.SCALAR_SETTING,
            MetadataLimits.DEFAULT_SCALAR_KB, 1, "length of one value of a metadata file (a label, a script) in KiB of"
                    + " characters"));
    static final Setting<Boolean> DEMO_DATA = add(Setting.flag("crm.demo.data", true,
            "seed `metadata/demo/*.yaml` once into an empty database"));
    static final Setting<Duration> RULES_TIMEOUT_MS = add(Setting.millis("crm.rules.timeout.ms", 2000,
            "CPU time one rule run may use (the statement limit stops loops first; a busy machine does not count);"
                    + " on a save a run is also stopped after ten times this on the wall clock"));
    static final Setting<String> ADMIN_PASSWORD = add(Setting.text("crm.admin.password", null, "generated",
            "password of the `admin` user created on the first start; if unset, a random one is printed once in the log"));
    static final Setting<String> BASE_URL = add(Setting.webAddress("crm.base.url", "`http://localhost:<port>`",
            "where users reach the CRM; links in process mails (`{{settings.base_url}}`)"));
    static final Setting<String> DEFAULT_LANGUAGE = add(Setting.oneOf("crm.default.language", List.of("de", "en"),
            "language of process to-dos, of mails whose record names no language, and of the notes the platform writes on campaign members"));
    static final Setting<String> SMTP_HOST = add(Setting.text("crm.smtp.host", null, "none",
            "mail server for process mails; without a host, mails wait in the outbox (admin: `GET /api/v1/admin/outbox`)"));
    static final Setting<Integer> SMTP_PORT = add(Setting.port("crm.smtp.port", 25, "port of the mail server"));
    static final Setting<String> SMTP_FROM = add(Setting.text("crm.smtp.from", "crm@localhost", "`crm@localhost`",
            "sender of process mails"));
    static final Setting<String> SMTP_USER = add(Setting.text("crm.smtp.user", null, "none", "login at the mail server"));
    static final Setting<String> SMTP_PASSWORD = add(Setting.text("crm.smtp.password", null, "none",
            "password at the mail server"));
    static final Setting<Boolean> SMTP_STARTTLS = add(Setting.flag("crm.smtp.starttls", false,
            "talk to the mail server over STARTTLS"));
    static final Setting<Duration> TIMER_INTERVAL_MS = add(Setting.millis("crm.timer.interval.ms", 5000,
            "how often due process timers fire and the outbox is delivered"));
    static final Setting<Long> MAX_BODY_BYTES = add(Setting.bytes("crm.max.body.bytes", 1_048_576, "`1048576` (1 MiB)",
            "largest request body the API accepts; a larger one gets 413 before it is read"));
    static final Setting<Integer> LIST_COUNT_LIMIT = add(Setting.count("crm.list.count.limit", 10_000, 1,
            "lists count their records up to this many and show more as e.g. \"10,000+\": an exact count of a large"
                    + " table reads all of it on every page"));
    static final Setting<List<String>> TRUSTED_PROXIES = add(Setting.addresses("crm.trusted.proxies",
            CrmConfig.LOOPBACK,
            "reverse proxies whose `X-Forwarded-For` names the client address (login throttling, login log); `none` to"
                    + " use the connection's address"));
    static final Setting<String> FILES_STORAGE = add(Setting.oneOf("crm.files.storage", List.of("database", "directory"),
            "where the content of uploaded files is kept: in the database, or in `files` in `CRM_DATA_DIR` (files"
                    + " stored before a change stay where they are)"));
    static final Setting<Long> FILES_MAX_BYTES = add(Setting.bytes("crm.files.max.bytes", 26_214_400, "`26214400` (25 MiB)",
            "largest file users may upload to a record"));
    static final Setting<List<String>> FILES_TYPES = add(Setting.extensions("crm.files.types", List.of("pdf", "png", "jpg",
            "jpeg", "gif", "webp", "txt", "csv", "eml", "msg", "doc", "docx", "xls", "xlsx", "ppt", "pptx", "odt", "ods", "zip"),
            "the types of files (by the name's extension) users may upload; images and PDFs must also start as one"));
    static final Setting<String> MAIL_CAPTURE_HOST = add(Setting.text("crm.mail.capture.host", null, "none",
            "IMAP server of the mailbox users put in BCC or forward customer mails to; none: no mail capture"));
    static final Setting<Integer> MAIL_CAPTURE_PORT = add(Setting.port("crm.mail.capture.port", 993, "port of that IMAP server"));
    static final Setting<Boolean> MAIL_CAPTURE_SSL = add(Setting.flag("crm.mail.capture.ssl", true,
            "talk to the IMAP server over TLS (imaps)"));
    static final Setting<String> MAIL_CAPTURE_USER = add(Setting.text("crm.mail.capture.user", null, "none",
            "login at the IMAP server"));
    static final Setting<String> MAIL_CAPTURE_PASSWORD = add(Setting.text("crm.mail.capture.password", null, "none",
            "password at the IMAP server"));
    static final Setting<String> MAIL_CAPTURE_ADDRESS = add(Setting.text("crm.mail.capture.address", null, "none",
            "the mailbox's e-mail address, e.g. `crm@example.com`: each user's capture address is `crm+<token>@example.com`"
                    + " (the mail server must deliver such addresses to the mailbox)"));
    static final Setting<Duration> MAIL_CAPTURE_INTERVAL_MS = add(Setting.millis("crm.mail.capture.interval.ms", 60_000,
            "how often the mailbox is read"));
    static final Setting<String> CAMPAIGN_MAILBOX_HOST = add(Setting.text("crm.campaign.mailbox.host", null, "none",
            "IMAP server of the mailbox campaign mails are sent from (`CRM_SMTP_FROM`): bounces mark addresses, replies are"
                    + " filed with the recipient; none: not read"));
    static final Setting<Integer> CAMPAIGN_MAILBOX_PORT = add(Setting.port("crm.campaign.mailbox.port", 993,
            "port of that IMAP server"));
    static final Setting<Boolean> CAMPAIGN_MAILBOX_SSL = add(Setting.flag("crm.campaign.mailbox.ssl", true,
            "talk to that IMAP server over TLS (imaps)"));
    static final Setting<String> CAMPAIGN_MAILBOX_USER = add(Setting.text("crm.campaign.mailbox.user", null, "none",
            "login at that IMAP server"));
    static final Setting<String> CAMPAIGN_MAILBOX_PASSWORD = add(Setting.text("crm.campaign.mailbox.password", null,
            "none", "password at that IMAP server"));
    static final Setting<String> COMPANY_NAME = add(Setting.text("crm.company.name", "Relata Demo GmbH",
            "`Relata Demo GmbH`", "your company's name, at the head of quote PDFs"));
    static final Setting<String> COMPANY_ADDRESS = add(Setting.text("crm.company.address",
            "Musterstraße 1; 10115 Berlin; Deutschland", "a sample address",
            "your company's address on quote PDFs, lines separated by `;`"));
    static final Setting<String> COMPANY_CONTACT = add(Setting.text("crm.company.contact",
            "Tel. +49 30 1234567; vertrieb@relata.example; www.relata.example", "sample contact details",
            "phone, e-mail and web address in the footer of quote PDFs, separated by `;`"));
    static final Setting<String> COMPANY_REGISTRATION = add(Setting.text("crm.company.registration",
            "Amtsgericht Berlin HRB 000000; USt-IdNr. DE000000000", "sample register entries",
            "commercial register and VAT ID in the footer of quote PDFs, separated by `;`"));
    static final Setting<String> COMPANY_BANK = add(Setting.text("crm.company.bank",
            "Musterbank; IBAN DE00 0000 0000 0000 0000 00; BIC MUSTDEXXXXX", "a sample bank account",
            "bank account in the footer of quote PDFs, separated by `;`"));
    static final Setting<Boolean> CLOCK_ADJUSTABLE = add(Setting.flag("crm.clock.adjustable", false,
            "tests and demos only: lets an admin move the platform clock forward (`POST /api/v1/admin/clock/advance"
                    + " {\"by\":\"P3D\"}`) to see timers fire"));
    static final Setting<Boolean> EXIT_ON_STARTUP_FAILURE = add(Setting.flag("crm.exit.on.startup.failure", false,
            "set by the run command: a failed start ends the process (exit status 2 for invalid metadata, 3 for an"
                    + " invalid setting or another failure) instead of leaving a server without the CRM"));

    private Settings() {
    }

    private static <T> Setting<T> add(Setting<T> setting) {
        ALL.add(setting);
        return setting;
    }

    /** All settings in table order. */
    static List<Setting<?>> all() {
        return Collections.unmodifiableList(ALL);
    }

    /** The README's configuration table: one row per setting. */
    static String readmeTable() {
        StringBuilder table = new StringBuilder("| variable | default | meaning |\n|---|---|---|\n");
        for (Setting<?> setting : ALL) {
            table.append("| `").append(setting.variable()).append("` | ").append(setting.defaultText()).append(" | ")
                    .append(setting.meaning()).append(" |\n");
        }
        return table.toString();
    }
}
