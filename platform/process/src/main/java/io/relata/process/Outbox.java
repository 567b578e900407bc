package io.relata.process;

import io.relata.api.plugin.ProcessExtension;
import io.relata.api.record.ConcurrentUpdateException;
import io.relata.api.record.RecordException;
import io.relata.api.record.RecordLink;
import io.relata.api.record.ValidationException;
import io.relata.store.JdbcRecordStore;
import io.relata.store.JdbcTransactions;
import io.relata.store.StoreException;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.SendFailedException;
import jakarta.mail.Transport;
import jakarta.mail.internet.AddressException;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeSet;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Side effects of processes that leave the database: e-mails, webhook calls and plugin extension calls.
 * They are {@link #queue queued} in the transaction of the write (or timer) that causes them, so they exist
 * exactly when that write committed, and {@link #deliver() delivered} afterwards by a scheduler (every few
 * seconds) on any node.
 *
 * <p>Delivery is <b>at most once</b>: an item is claimed ({@code pending → sending}, committed) before it is
 * sent, so two nodes never send it both. A failed send goes back to {@code pending} with a growing delay
 * ({@link Policy}) until {@link Policy#maxAttempts()}, then {@code failed}; a send that cannot succeed (unknown
 * extension, bad address) fails at once. An item still {@code sending} long after its claim means the node
 * died during the send: whether the mail went out is unknown, so it is not sent again by itself; {@link #stuck}
 * lists such items for an administrator, who may {@link #requeue} them. (At-least-once would mean duplicate
 * mails to customers after every crash; for reminders and notifications, a rare loss the admin sees is the
 * lesser evil.)
 *
 * <p>Without a mail server ({@link MailSettings#isConfigured()} false) mails stay pending; the other kinds are
 * delivered.
 */
public final class Outbox {

    private static final Logger LOG = Logger.getLogger(Outbox.class.getName());
    private static final int BATCH = 100;

    /** What an item does. */
    public enum Kind {
        /**
         * payload {to, subject, body, language, template, attachments}: a plain-text mail, rendered when queued;
         * attachments (optional) [{name, contentType, base64}] are kept in the item, so the mail goes out exactly as
         * queued (a quote's PDF as it was when sent)
         */
        MAIL,
        /** payload {url, body}: POST body as JSON to url */
        WEBHOOK,
        /** payload {extension, entity, record, parameters, source}: calls a {@link ProcessExtension} */
        EXTENSION,
        /**
         * payload {integration, operation, entity, record (id), payload, answer (field → key), process, source}:
         * asks an {@link io.relata.api.plugin.Integration} and writes the answer into the record
         */
        INTEGRATION;

        public String dbName() {
            return name().toLowerCase(Locale.ROOT);
        }

        static Kind of(String dbName) {
            return valueOf(dbName.toUpperCase(Locale.ROOT));
        }
    }

    /**
     * Retries and timeouts.
     *
     * @param maxAttempts sends tried before an item is {@code failed}
     * @param firstRetry  delay after the first failure; doubled after each further one
     * @param maxRetry    the longest delay between two tries
     * @param sendTimeout for connecting to and talking with the mail server or webhook receiver
     */
    public record Policy(int maxAttempts, Duration firstRetry, Duration maxRetry, Duration sendTimeout) {

        public static final Policy DEFAULT = new Policy(5, Duration.ofMinutes(1), Duration.ofHours(1), Duration.ofSeconds(10));

        public Policy {
            if (maxAttempts < 1) {
                throw new IllegalArgumentException("maxAttempts must be at least 1");
            }
            Objects.requireNonNull(firstRetry, "firstRetry");
            Objects.requireNonNull(maxRetry, "maxRetry");
            Objects.requireNonNull(sendTimeout, "sendTimeout");
        }

        /** The delay after the {@code attempts}-th failed send. */
        Duration delayAfter(int attempts) {
            Duration delay = firstRetry;
            for (int i = 1; i < attempts && delay.compareTo(maxRetry) < 0; i++) {
                delay = delay.multipliedBy(2);
            }
            return delay.compareTo(maxRetry) > 0 ? maxRetry : delay;
        }
    }

    /** A row of the outbox, for the admin UI and tests. */
    public record Item(long id, Kind kind, String description, String state, int attempts, OffsetDateTime nextAttemptAt,
                       OffsetDateTime createdAt, OffsetDateTime claimedAt, String claimedBy, OffsetDateTime sentAt,
                       String error, String payload) {
    }

    public static final String PENDING = "pending";
    public static final String SENDING = "sending";
    public static final String SENT = "sent";
    public static final String FAILED = "failed";

    private final JdbcTransactions transactions;
    private final Clock clock;
    private final MailSettings mail;
    private final Supplier<Map<String, ProcessExtension>> extensions;
    private final Policy policy;
    private final String node;
    private final HttpClient http;
    private final IntegrationGateway integrations;
    private final Supplier<JdbcRecordStore> records;
    private final String language;

    /**
     * @param transactions on the platform's data source (the one records live in)
     * @param extensions   the process extensions of the plugins now loaded, by name; asked on every call
     *                     (plugins come and go: extensions are never kept)
     * @param node         this server's name, recorded as {@code claimed_by}
     */
    public Outbox(JdbcTransactions transactions, Clock clock, MailSettings mail,
                  Supplier<Map<String, ProcessExtension>> extensions, Policy policy, String node) {
        this(transactions, clock, mail, extensions, policy, node, IntegrationGateway.NONE, () -> null, "en");
    }

    private Outbox(JdbcTransactions transactions, Clock clock, MailSettings mail,
                   Supplier<Map<String, ProcessExtension>> extensions, Policy policy, String node,
                   IntegrationGateway integrations, Supplier<JdbcRecordStore> records, String language) {
        this.transactions = Objects.requireNonNull(transactions, "transactions");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.mail = Objects.requireNonNull(mail, "mail");
        this.extensions = Objects.requireNonNull(extensions, "extensions");
        this.policy = Objects.requireNonNull(policy, "policy");
        this.node = Objects.requireNonNull(node, "node");
        this.http = HttpClient.newBuilder().connectTimeout(policy.sendTimeout())
                .followRedirects(HttpClient.Redirect.NEVER).build();
        this.integrations = Objects.requireNonNull(integrations, "integrations");
        this.records = Objects.requireNonNull(records, "records");
        this.language = Objects.requireNonNull(language, "language");
    }

    /**
     * This outbox, delivering integration calls too.
     *
     * @param records  the system store the answers are written with (asked at delivery: it may be built later)
     * @param language the platform's default language, for an answer's {@code message} written into a field
     */
    public Outbox withIntegrations(IntegrationGateway integrations, Supplier<JdbcRecordStore> records, String language) {
        return new Outbox(transactions, clock, mail, extensions, policy, node, integrations, records, language);
    }

    // ---- queueing (inside the causing transaction) ----

    /**
     * Adds an item in the transaction of {@code connection}: it is delivered only if that transaction commits.
     *
     * @param payload     JSON as described on {@link Kind}
     * @param description one line for the admin: what, to whom, why
     * @return the item's id
     */
    public long queue(Connection connection, Kind kind, String payload, String description) throws SQLException {
        return queue(connection, kind, payload, description, null);
    }

    /** Like {@link #queue(Connection, Kind, String, String)} for an item about a record (null: about none). */
    public long queue(Connection connection, Kind kind, String payload, String description, RecordLink about)
            throws SQLException {
        OffsetDateTime now = now();
        return ProcessTables.insert(connection, "INSERT INTO crm_outbox (kind, payload, description, state, attempts, "
                + "next_attempt_at, created_at, entity, record_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", kind.dbName(),
                payload, shortDescription(description), PENDING, 0, now, now, about == null ? null : about.entity(),
                about == null ? null : about.id());
    }

    /** Records an item that cannot be delivered (e.g. a mail to nobody), so the admin sees it among the failures. */
    long queueFailed(Connection connection, Kind kind, String payload, String description, String error, RecordLink about)
            throws SQLException {
        OffsetDateTime now = now();
        LOG.log(Level.WARNING, "Not delivered: {0}: {1}", new Object[] {description, error});
        return ProcessTables.insert(connection, "INSERT INTO crm_outbox (kind, payload, description, state, attempts, "
                + "next_attempt_at, created_at, error, entity, record_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                kind.dbName(), payload, shortDescription(description), FAILED, 0, now, now, ProcessTables.shorten(error),
                about == null ? null : about.entity(), about == null ? null : about.id());
    }

    /**
     * A mail queued about a record: its template, the subject as rendered, its state and when it was sent (or queued,
     * while not sent).
     */
    public record RecordMail(long id, String entity, long recordId, String template, String subject, String state,
                             OffsetDateTime at) {
    }

    /** The mails about the given records of {@code entity}, newest first, at most {@code limit}. */
    public List<RecordMail> mailsAbout(String entity, java.util.Collection<Long> recordIds, int limit) {
        if (recordIds.isEmpty()) {
            return List.of();
        }
        List<Long> ids = List.copyOf(recordIds);
        return sql(c -> {
            List<Object> params = new ArrayList<>();
            params.add(entity);
            params.addAll(ids);
            params.add(Kind.MAIL.dbName());
            List<RecordMail> mails = new ArrayList<>();
            try (PreparedStatement statement = ProcessTables.prepare(c, "SELECT id, record_id, payload, state, created_at, "
                    + "sent_at FROM crm_outbox WHERE entity = ? AND record_id IN (" + "?, ".repeat(ids.size() - 1)
                    + "?) AND kind = ? ORDER BY created_at DESC, id DESC FETCH FIRST " + Math.max(1, limit) + " ROWS ONLY",
                    params.toArray()); ResultSet rs = statement.executeQuery()) {
                while (rs.next()) {
                    Map<String, Object> payload = ProcessJson.read(rs.getString(3));
                    OffsetDateTime sent = rs.getObject(6, OffsetDateTime.class);
                    mails.add(new RecordMail(rs.getLong(1), entity, rs.getLong(2), String.valueOf(payload.get("template")),
                            String.valueOf(payload.getOrDefault("subject", "")), rs.getString(4),
                            sent != null ? sent : rs.getObject(5, OffsetDateTime.class)));
                }
            }
            return mails;
        });
    }

    // ---- delivery (after commit) ----

    /**
     * Sends the pending items that are due, each claimed in its own committed transaction first.
     *
     * @return how many were sent
     * @throws IllegalStateException if called inside a transaction (claims must commit before sending)
     */
    public int deliver() {
        if (transactions.isActive()) {
            throw new IllegalStateException("Outbox.deliver() must run outside a transaction: items are claimed and "
                    + "marked in transactions of their own");
        }
        OffsetDateTime now = now();
        List<Long> due = sql(c -> {
            List<Long> ids = new ArrayList<>();
            String sql = "SELECT id FROM crm_outbox WHERE state = ? AND next_attempt_at <= ?"
                    + (mail.isConfigured() ? "" : " AND kind <> '" + Kind.MAIL.dbName() + "'")
                    + " ORDER BY id FETCH FIRST " + BATCH + " ROWS ONLY";
            try (PreparedStatement statement = ProcessTables.prepare(c, sql, PENDING, now);
                 ResultSet rs = statement.executeQuery()) {
                while (rs.next()) {
                    ids.add(rs.getLong(1));
                }
            }
            return ids;
        });
        int sent = 0;
        for (long id : due) {
            Optional<Item> claimed = claim(id);
            if (claimed.isEmpty()) {
                continue; // another node took it
            }
            Result result = send(claimed.get());
            finish(claimed.get(), result);
            if (result.outcome == Outcome.SENT) {
                sent++;
            }
        }
        return sent;
    }

    private Optional<Item> claim(long id) {
        OffsetDateTime now = now();
        return sql(c -> {
            int claimed = ProcessTables.update(c, "UPDATE crm_outbox SET state = ?, attempts = attempts + 1, claimed_at = ?, "
                    + "claimed_by = ? WHERE id = ? AND state = ?", SENDING, now, node, id, PENDING);
            if (claimed == 0) {
                return Optional.empty();
            }
            return read(c, " WHERE id = ?", id).stream().findFirst();
        });
    }

    private void finish(Item item, Result result) {
        OffsetDateTime now = now();
        sql(c -> switch (result.outcome) {
            case SENT -> ProcessTables.update(c, "UPDATE crm_outbox SET state = ?, sent_at = ?, error = NULL WHERE id = ?",
                    SENT, now, item.id());
            case RETRY -> {
                if (item.attempts() >= policy.maxAttempts()) {
                    LOG.log(Level.WARNING, "Outbox item {0} ({1}) failed after {2} attempts: {3}",
                            new Object[] {item.id(), item.description(), item.attempts(), result.error});
                    yield ProcessTables.update(c, "UPDATE crm_outbox SET state = ?, error = ? WHERE id = ?", FAILED,
                            ProcessTables.shorten("Gave up after " + item.attempts() + " attempts: " + result.error), item.id());
                }
                yield ProcessTables.update(c, "UPDATE crm_outbox SET state = ?, next_attempt_at = ?, error = ? WHERE id = ?",
                        PENDING, now.plus(policy.delayAfter(item.attempts())), ProcessTables.shorten(result.error),
                        item.id());
            }
            case FAILED -> {
                LOG.log(Level.WARNING, "Outbox item {0} ({1}) cannot be delivered: {2}",
                        new Object[] {item.id(), item.description(), result.error});
                yield ProcessTables.update(c, "UPDATE crm_outbox SET state = ?, error = ? WHERE id = ?", FAILED,
                        ProcessTables.shorten(result.error), item.id());
            }
        });
    }

    private enum Outcome { SENT, RETRY, FAILED }

    private record Result(Outcome outcome, String error) {
        static final Result SENT = new Result(Outcome.SENT, null);

        static Result retry(String error) {
            return new Result(Outcome.RETRY, error);
        }

        static Result failed(String error) {
            return new Result(Outcome.FAILED, error);
        }
    }

    private Result send(Item item) {
        Map<String, Object> payload;
        try {
            payload = ProcessJson.read(item.payload());
        } catch (RuntimeException e) {
            return Result.failed("The payload is not valid JSON: " + e.getMessage());
        }
        try {
            return switch (item.kind()) {
                case MAIL -> sendMail(payload);
                case WEBHOOK -> callWebhook(payload);
                case EXTENSION -> callExtension(payload);
                case INTEGRATION -> callIntegration(payload);
            };
        } catch (RuntimeException e) {
            return Result.retry(e.toString());
        }
    }

    private Result sendMail(Map<String, Object> payload) {
        if (!mail.isConfigured()) {
            return Result.retry("No mail server is configured (CRM_SMTP_HOST)");
        }
        String to = String.valueOf(payload.get("to"));
        InternetAddress[] recipients;
        try {
            recipients = InternetAddress.parse(to, true);
        } catch (AddressException e) {
            return Result.failed("'" + to + "' is not an e-mail address: " + e.getMessage());
        }
        try {
            MimeMessage message = new MimeMessage(mail.session());
            message.setFrom(new InternetAddress(mail.from()));
            message.setRecipients(Message.RecipientType.TO, recipients);
            message.setSubject(String.valueOf(payload.get("subject")), "UTF-8");
            List<?> attachments = payload.get("attachments") instanceof List<?> list ? list : List.of();
            if (attachments.isEmpty()) {
                message.setText(String.valueOf(payload.get("body")), "UTF-8");
            } else {
                message.setContent(withAttachments(String.valueOf(payload.get("body")), attachments));
            }
            message.setSentDate(Date.from(clock.instant()));
            if (mail.username() != null) {
                Transport.send(message, mail.username(), mail.password());
            } else {
                Transport.send(message);
            }
            return Result.SENT;
        } catch (SendFailedException e) {
            if (e.getInvalidAddresses() != null && e.getInvalidAddresses().length > 0) {
                return Result.failed("The mail server refused the address " + to + ": " + e.getMessage());
            }
            return Result.retry("The mail server did not accept the mail: " + e.getMessage());
        } catch (MessagingException e) {
            return Result.retry("Mail server " + mail.host() + ":" + mail.port() + ": " + e.getMessage());
        }
    }

    /** The body as the first part, then each attachment of the payload. */
    private static jakarta.mail.Multipart withAttachments(String body, List<?> attachments) throws MessagingException {
        jakarta.mail.internet.MimeMultipart parts = new jakarta.mail.internet.MimeMultipart();
        jakarta.mail.internet.MimeBodyPart text = new jakarta.mail.internet.MimeBodyPart();
        text.setText(body, "UTF-8");
        parts.addBodyPart(text);
        for (Object item : attachments) {
            Map<?, ?> attachment = (Map<?, ?>) item;
            byte[] content = java.util.Base64.getDecoder().decode(String.valueOf(attachment.get("base64")));
            jakarta.mail.internet.MimeBodyPart part = new jakarta.mail.internet.MimeBodyPart();
            part.setDataHandler(new jakarta.activation.DataHandler(new jakarta.mail.util.ByteArrayDataSource(content,
                    String.valueOf(attachment.get("contentType")))));
            try {
                part.setFileName(jakarta.mail.internet.MimeUtility.encodeText(String.valueOf(attachment.get("name")),
                        "UTF-8", null));
            } catch (java.io.UnsupportedEncodingException e) {
                throw new IllegalStateException("UTF-8 is part of every Java runtime", e);
            }
            part.setDisposition(jakarta.mail.Part.ATTACHMENT);
            parts.addBodyPart(part);
        }
        return parts;
    }

    private Result callWebhook(Map<String, Object> payload) {
        String url = String.valueOf(payload.get("url"));
        URI uri;
        try {
            uri = URI.create(url);
        } catch (IllegalArgumentException e) {
            return Result.failed("'" + url + "' is not a URL: " + e.getMessage());
        }
        if (!"http".equalsIgnoreCase(uri.getScheme()) && !"https".equalsIgnoreCase(uri.getScheme())) {
            return Result.failed("Webhooks are called over http or https, not '" + url + "'");
        }
        HttpRequest request = HttpRequest.newBuilder(uri).timeout(policy.sendTimeout())
                .header("Content-Type", "application/json; charset=utf-8")
                .POST(HttpRequest.BodyPublishers.ofString(ProcessJson.toJson(payload.get("body")).toString()))
                .build();
        try {
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            int status = response.statusCode();
            if (status >= 200 && status < 300) {
                return Result.SENT;
            }
            String body = response.body() == null ? "" : response.body().strip();
            return Result.retry("POST " + url + " answered HTTP " + status
                    + (body.isEmpty() ? "" : ": " + (body.length() > 300 ? body.substring(0, 300) + "…" : body)));
        } catch (IOException e) {
            return Result.retry("POST " + url + " failed: " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Result.retry("POST " + url + " was interrupted");
        }
    }

    @SuppressWarnings("unchecked")
    private Result callExtension(Map<String, Object> payload) {
        String name = String.valueOf(payload.get("extension"));
        Map<String, ProcessExtension> installed = extensions.get();
        ProcessExtension extension = installed == null ? null : installed.get(name);
        if (extension == null) {
            return Result.failed("No process extension named '" + name + "' is installed (installed: "
                    + (installed == null || installed.isEmpty() ? "none" : String.join(", ", new TreeSet<>(installed.keySet())))
                    + "). Install and enable the plugin that provides it, or remove the action at " + payload.get("source")
                    + "; then requeue this item.");
        }
        try {
            extension.run(String.valueOf(payload.get("entity")), (Map<String, Object>) payload.get("record"),
                    (Map<String, Object>) payload.get("parameters"));
            return Result.SENT;
        } catch (Exception | LinkageError e) {
            // LinkageError: the plugin was unloaded or is missing a class; retried like any failure
            return Result.retry("The extension '" + name + "' failed: " + e);
        }
    }

    @SuppressWarnings("unchecked")
    private Result callIntegration(Map<String, Object> payload) {
        String name = String.valueOf(payload.get("integration"));
        String entity = String.valueOf(payload.get("entity"));
        long recordId = ((Number) payload.get("record")).longValue();
        Optional<io.relata.api.plugin.Integration.Response> answer;
        try {
            answer = integrations.call(name, String.valueOf(payload.get("operation")),
                    (Map<String, Object>) payload.get("payload"), entity, recordId, "process:" + payload.get("process"));
        } catch (Exception | LinkageError e) {
            return Result.retry("The integration '" + name + "' failed: " + (e.getMessage() == null ? e : e.getMessage()));
        }
        if (answer.isEmpty()) {
            return Result.failed("No enabled plugin offers the integration '" + name + "'. Install and enable the plugin "
                    + "that provides it, or remove the action at " + payload.get("source") + "; then requeue this item.");
        }
        Map<String, Object> mapping = (Map<String, Object>) payload.get("answer");
        if (mapping == null || mapping.isEmpty()) {
            return Result.SENT;
        }
        Map<String, Object> changes = new java.util.LinkedHashMap<>();
        io.relata.api.plugin.Integration.Response response = answer.get();
        mapping.forEach((field, key) -> {
            if ("ok".equals(key)) {
                changes.put(field, response.ok());
            } else if ("message".equals(key)) {
                changes.put(field, response.message() == null ? null : response.message().in(language));
            } else if (response.data().containsKey(String.valueOf(key))) {
                changes.put(field, response.data().get(String.valueOf(key)));
            }
        });
        return writeAnswer(name, entity, recordId, changes, String.valueOf(payload.get("source")));
    }

    /** The answer's fields, written with the platform's rights; a concurrent edit is read again, not overwritten. */
    private Result writeAnswer(String integration, String entity, long recordId, Map<String, Object> changes,
                               String source) {
        JdbcRecordStore store = records.get();
        if (store == null || changes.isEmpty()) {
            return Result.SENT;
        }
        for (int attempt = 1; ; attempt++) {
            try {
                store.transactions().runInTransaction(() -> store.find(entity, recordId).ifPresent(current ->
                        store.update(entity, recordId, current.version(), changes)));
                return Result.SENT;
            } catch (ConcurrentUpdateException e) {
                if (attempt == 3) {
                    return Result.failed("The answer of the integration '" + integration + "' could not be written into "
                            + entity + " " + recordId + ": it was changed by others three times meanwhile (" + source + ")");
                }
            } catch (ValidationException e) {
                return Result.failed("The answer of the integration '" + integration + "' does not fit " + entity + " "
                        + recordId + " (" + e.errors().stream().map(ProcessActions::describe)
                        .collect(java.util.stream.Collectors.joining("; ")) + "); fix the 'answer' of the action at "
                        + source + " or the rules of the entity");
            } catch (RecordException e) {
                return Result.failed("The answer of the integration '" + integration + "' could not be written into "
                        + entity + " " + recordId + ": " + e.getMessage() + " (" + source + ")");
            }
        }
    }

    // ---- administration ----

    /** Items in a state (newest first), e.g. {@link #FAILED} for the admin page. */
    public List<Item> items(String state, int limit) {
        return sql(c -> read(c, " WHERE state = ? ORDER BY id DESC FETCH FIRST " + Math.max(1, limit) + " ROWS ONLY",
                state));
    }

    /** All items, oldest first (tests, small installations). */
    public List<Item> all() {
        return sql(c -> read(c, " ORDER BY id"));
    }

    /**
     * Items claimed for sending more than {@code olderThan} ago and never marked sent or failed: their node
     * stopped during the send. They are not resent by themselves (see the class comment).
     */
    public List<Item> stuck(Duration olderThan) {
        OffsetDateTime before = now().minus(olderThan);
        return sql(c -> read(c, " WHERE state = ? AND claimed_at < ? ORDER BY id", SENDING, before));
    }

    /**
     * An administrator's decision to try a failed or stuck item again now (a stuck mail may then arrive twice).
     *
     * @return false if the item is not failed or sending
     */
    public boolean requeue(long id) {
        OffsetDateTime now = now();
        return sql(c -> ProcessTables.update(c, "UPDATE crm_outbox SET state = ?, next_attempt_at = ?, attempts = 0 "
                + "WHERE id = ? AND state IN (?, ?)", PENDING, now, id, FAILED, SENDING)) == 1;
    }

    private static List<Item> read(Connection c, String where, Object... params) throws SQLException {
        List<Item> items = new ArrayList<>();
        try (PreparedStatement statement = ProcessTables.prepare(c, "SELECT id, kind, description, state, attempts, "
                + "next_attempt_at, created_at, claimed_at, claimed_by, sent_at, error, payload FROM crm_outbox" + where,
                params); ResultSet rs = statement.executeQuery()) {
            while (rs.next()) {
                items.add(new Item(rs.getLong(1), Kind.of(rs.getString(2)), rs.getString(3), rs.getString(4), rs.getInt(5),
                        ProcessTables.timestamp(rs, 6), ProcessTables.timestamp(rs, 7), ProcessTables.timestamp(rs, 8),
                        rs.getString(9), ProcessTables.timestamp(rs, 10), rs.getString(11), rs.getString(12)));
            }
        }
        return items;
    }

    private <T> T sql(JdbcTransactions.SqlWork<T> work) {
        try {
            return transactions.withConnection(work);
        } catch (SQLException e) {
            throw new StoreException(null, "process outbox", e);
        }
    }

    private OffsetDateTime now() {
        return OffsetDateTime.now(clock).withOffsetSameInstant(ZoneOffset.UTC).truncatedTo(ChronoUnit.MICROS);
    }

    private static String shortDescription(String description) {
        return description.length() <= 500 ? description : description.substring(0, 499) + "…";
    }
}
