package io.relata.runtime.mail;

import io.relata.api.model.EntityDefinition;
import io.relata.api.model.FieldDefinition;
import io.relata.api.model.FieldType;
import io.relata.api.model.LocalizedText;
import io.relata.api.model.MetadataModel;
import io.relata.api.record.Filter;
import io.relata.api.record.FilterOperator;
import io.relata.api.record.Record;
import io.relata.api.record.RecordQuery;
import io.relata.api.record.Sort;
import io.relata.api.security.Actor;
import io.relata.runtime.customer.Todos;
import io.relata.runtime.files.RecordFiles;
import io.relata.store.SecuredRecordStore;
import jakarta.mail.Address;
import jakarta.mail.BodyPart;
import jakarta.mail.MessagingException;
import jakarta.mail.Multipart;
import jakarta.mail.Part;
import jakarta.mail.Session;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeUtility;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Supplier;
import javax.sql.DataSource;
import org.jsoup.Jsoup;

/**
 * E-mail to the customer record: users put their capture address (the CRM mailbox's address with a token of theirs,
 * {@code crm+k7q2m9@example.com}) in BCC or forward mails to it; the mailbox is read over IMAP. A mail is the user's
 * whose token it names, or, forwarded without one, whose e-mail address sent it; mails of nobody are left alone. Its
 * other addresses are looked up among the contacts the user may read: a match files the mail as a done activity of
 * type e-mail with the contact and its account, the text of the mail and its attachments as files (those the file
 * limits refuse are listed by name); without a match it waits in the user's review list until they file it to a
 * contact or discard it. Each mail once: per user and Message-ID.
 */
public final class MailCapture {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final String TOKEN_LETTERS = "abcdefghjkmnpqrstuvwxyz23456789";
    static final int PREVIEW_LENGTH = 2000;
    /** Mails larger than this are filed without their attachments (they are listed by name). */
    static final long MAX_RAW_BYTES = 30L * 1024 * 1024;
    static final int MAX_PER_POLL = 200;

    /** The IMAP mailbox; {@code address} is its e-mail address, to which the tokens are added. */
    public record Settings(String host, int port, boolean ssl, String user, String password, String folder, String address) {
        public static final Settings NONE = new Settings(null, 0, false, null, null, "INBOX", null);

        public boolean enabled() {
            return host != null && !host.isBlank() && address != null && address.contains("@");
        }

        @Override
        public String toString() {
            return "MailCapture.Settings[host=" + host + ", port=" + port + ", ssl=" + ssl + ", user=" + user + ", folder="
                    + folder + ", address=" + address + "]"; // no password in logs
        }
    }

    /** The CRM's users as the capture needs them. */
    public interface Users {
        Optional<Actor> byId(long userId);

        /** The active user with this e-mail address, if exactly one has it. */
        Optional<Actor> byEmail(String email);

        Optional<String> emailOf(long userId);
    }

    /** A mail read from the mailbox as the review list shows it. */
    public record CapturedMail(long id, long userId, String from, String recipients, String subject, OffsetDateTime sentAt,
                               String state, Long activityId, String preview, List<String> attachments) {
    }

    /** What a poll did: filed as activities, waiting for review, left alone (no user), already read before. */
    public record PollResult(int filed, int unmatched, int ignored, int duplicates) {
    }

    /** Why filing was refused; the text in German and English. */
    public static final class RefusedException extends RuntimeException {
        private final LocalizedText text;

        RefusedException(LocalizedText text) {
            super(text.in(LocalizedText.FALLBACK_LANGUAGE));
            this.text = text;
        }

        public LocalizedText text() {
            return text;
        }
    }

    private final DataSource dataSource;
    private final Supplier<Settings> settings;
    private final Supplier<MetadataModel> models;
    private final Users users;
    private final Function<Actor, SecuredRecordStore> storeOf;
    private final RecordFiles files;
    private final Clock clock;

    public MailCapture(DataSource dataSource, Supplier<Settings> settings, Supplier<MetadataModel> models, Users users,
                       Function<Actor, SecuredRecordStore> storeOf, RecordFiles files, Clock clock) {
        this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
        this.settings = Objects.requireNonNull(settings, "settings");
        this.models = Objects.requireNonNull(models, "models");
        this.users = Objects.requireNonNull(users, "users");
        this.storeOf = Objects.requireNonNull(storeOf, "storeOf");
        this.files = Objects.requireNonNull(files, "files");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    public boolean enabled() {
        return settings.get().enabled();
    }

    /** The user's capture address (made on first use); empty when no mailbox is configured. */
    public Optional<String> addressOf(long userId) {
        if (!enabled()) {
            return Optional.empty();
        }
        String token = sql(c -> {
            try (PreparedStatement query = c.prepareStatement("SELECT token FROM crm_mail_capture_user WHERE user_id = ?")) {
                query.setLong(1, userId);
                try (ResultSet rs = query.executeQuery()) {
                    if (rs.next()) {
                        return rs.getString(1);
                    }
                }
            }
            String fresh = newToken();
            try (PreparedStatement insert = c.prepareStatement("INSERT INTO crm_mail_capture_user (user_id, token) VALUES (?, ?)")) {
                insert.setLong(1, userId);
                insert.setString(2, fresh);
                insert.executeUpdate();
            }
            return fresh;
        });
        String address = settings.get().address();
        int at = address.indexOf('@');
        return Optional.of(address.substring(0, at) + "+" + token + address.substring(at));
    }

    // ---- reading the mailbox

    /** Reads the mailbox's unread mails (at most {@value #MAX_PER_POLL}), files or queues each and marks it read. */
    public PollResult poll() throws MessagingException {
        Settings mailbox = settings.get();
        if (!mailbox.enabled()) {
            return new PollResult(0, 0, 0, 0);
        }
        int[] counts = new int[Outcome.values().length];
        new ImapMailbox(mailbox.host(), mailbox.port(), mailbox.ssl(), mailbox.user(), mailbox.password(), mailbox.folder())
                .readUnread(MAX_PER_POLL, raw -> counts[take(raw).ordinal()]++);
        return new PollResult(counts[Outcome.FILED.ordinal()], counts[Outcome.UNMATCHED.ordinal()],
                counts[Outcome.IGNORED.ordinal()], counts[Outcome.DUPLICATE.ordinal()]);
    }

    enum Outcome { FILED, UNMATCHED, IGNORED, DUPLICATE }

    /** Files or queues one mail given as its RFC 5322 bytes. */
    Outcome take(byte[] raw) throws MessagingException, IOException {
        MimeMessage message = parse(raw);
        Optional<Actor> owner = ownerOf(message);
        if (owner.isEmpty()) {
            return Outcome.IGNORED;
        }
        Actor user = owner.get();
        String messageId = messageId(message, raw);
        if (known(user.userId(), messageId)) {
            return Outcome.DUPLICATE;
        }
        SecuredRecordStore records = storeOf.apply(user);
        Set<String> others = participants(message, user);
        Optional<Record> contact = contactOf(records, others);
        if (contact.isEmpty()) {
            remember(user.userId(), messageId, message, raw);
            return Outcome.UNMATCHED;
        }
        // filed first, remembered after: a mail whose filing failed stays unread and unknown, and is tried again
        Record activity = file(records, message, contact.get(), user);
        markFiled(remember(user.userId(), messageId, message, null), activity.id());
        return Outcome.FILED;
    }

    // ---- the review list

    /** The user's mails waiting to be filed, newest first. */
    public List<CapturedMail> waiting(long userId) {
        return sql(c -> {
            try (PreparedStatement query = c.prepareStatement("SELECT id, user_id, sender, recipients, subject, sent_at, state, "
                    + "activity_id, preview, attachments FROM crm_captured_mail WHERE user_id = ? AND state = 'unmatched' "
                    + "ORDER BY received_at DESC, id DESC")) {
                query.setLong(1, userId);
                List<CapturedMail> mails = new ArrayList<>();
                try (ResultSet rs = query.executeQuery()) {
                    while (rs.next()) {
                        long activity = rs.getLong(8);
                        Long activityId = rs.wasNull() ? null : activity;
                        String attachments = rs.getString(10);
                        mails.add(new CapturedMail(rs.getLong(1), rs.getLong(2), rs.getString(3), rs.getString(4),
                                rs.getString(5), rs.getObject(6, OffsetDateTime.class), rs.getString(7), activityId,
                                rs.getString(9), attachments == null || attachments.isEmpty() ? List.of()
                                : List.of(attachments.split("\n"))));
                    }
                }
                return mails;
            }
        });
    }

    public long waitingCount(long userId) {
        return sql(c -> {
            try (PreparedStatement query = c.prepareStatement(
                    "SELECT COUNT(*) FROM crm_captured_mail WHERE user_id = ? AND state = 'unmatched'")) {
                query.setLong(1, userId);
                try (ResultSet rs = query.executeQuery()) {
                    rs.next();
                    return rs.getLong(1);
                }
            }
        });
    }

    /** Files a waiting mail of the user to a contact they may read: the activity as if the contact had matched. */
    public Record fileTo(SecuredRecordStore records, Actor user, long mailId, long contactId) {
        byte[] raw = waitingRaw(user.userId(), mailId);
        Record contact = records.find(contactEntity().name(), contactId).orElseThrow(() -> new RefusedException(
                LocalizedText.format("Kein Kontakt {0}, den Sie lesen dürfen", "No contact {0} that you may read", contactId)));
        try {
            Record activity = file(records, parse(raw), contact, user);
            markFiled(mailId, activity.id());
            return activity;
        } catch (MessagingException | IOException e) {
            throw new IllegalStateException("The stored mail " + mailId + " cannot be read again: " + e.getMessage(), e);
        }
    }

    /** Discards a waiting mail of the user (its content is deleted). */
    public void discard(long userId, long mailId) {
        waitingRaw(userId, mailId);
        sql(c -> {
            try (PreparedStatement update = c.prepareStatement(
                    "UPDATE crm_captured_mail SET state = 'discarded', raw = NULL WHERE id = ? AND user_id = ?")) {
                update.setLong(1, mailId);
                update.setLong(2, userId);
                return update.executeUpdate();
            }
        });
    }

    private byte[] waitingRaw(long userId, long mailId) {
        return sql(c -> {
            try (PreparedStatement query = c.prepareStatement(
                    "SELECT raw FROM crm_captured_mail WHERE id = ? AND user_id = ? AND state = 'unmatched'")) {
                query.setLong(1, mailId);
                query.setLong(2, userId);
                try (ResultSet rs = query.executeQuery()) {
                    if (rs.next() && rs.getBytes(1) != null) {
                        return rs.getBytes(1);
                    }
                }
            }
            throw new RefusedException(LocalizedText.format("Keine wartende E-Mail {0}", "No waiting mail {0}", mailId));
        });
    }

    // ---- whose, with whom

    private Optional<Actor> ownerOf(MimeMessage message) throws MessagingException {
        Settings mailbox = settings.get();
        String local = mailbox.address().substring(0, mailbox.address().indexOf('@')).toLowerCase(Locale.ROOT) + "+";
        for (String address : addresses(message, "To", "Cc", "Bcc", "Delivered-To", "X-Original-To", "Envelope-To")) {
            if (address.startsWith(local)) {
                String token = address.substring(local.length(), address.indexOf('@'));
                Optional<Long> user = userOfToken(token);
                if (user.isPresent()) {
                    return user.flatMap(users::byId);
                }
            }
        }
        // forwarded by a user without the token: the sender is the user
        for (String from : addresses(message, "From", "Sender")) {
            Optional<Actor> user = users.byEmail(from);
            if (user.isPresent()) {
                return user;
            }
        }
        return Optional.empty();
    }

    /** Everyone on the mail but the user and the CRM's mailbox, in lower case. */
    private Set<String> participants(MimeMessage message, Actor user) throws MessagingException {
        String own = users.emailOf(user.userId()).map(e -> e.toLowerCase(Locale.ROOT)).orElse("");
        String mailbox = settings.get().address().toLowerCase(Locale.ROOT);
        String mailboxLocal = mailbox.substring(0, mailbox.indexOf('@'));
        Set<String> participants = new LinkedHashSet<>();
        for (String address : addresses(message, "From", "Reply-To", "To", "Cc")) {
            boolean crm = address.equals(mailbox) || address.startsWith(mailboxLocal + "+")
                    && address.endsWith(mailbox.substring(mailbox.indexOf('@')));
            if (!crm && !address.equals(own)) {
                participants.add(address);
            }
        }
        // a forwarded mail names the original sender in its text: "From: Anna Müller <anna@example.com>"
        if (participants.isEmpty()) {
            try {
                java.util.regex.Matcher forwarded = java.util.regex.Pattern.compile("(?im)^\\s*(?:from|von):.*?<?([^\\s<>]+@[^\\s<>]+)>?\\s*$")
                        .matcher(text(message));
                while (forwarded.find()) {
                    String address = forwarded.group(1).toLowerCase(Locale.ROOT);
                    if (!address.equals(own) && !address.equals(mailbox)) {
                        participants.add(address);
                    }
                }
            } catch (IOException e) {
                // no text to look in
            }
        }
        return participants;
    }

    private Optional<Record> contactOf(SecuredRecordStore records, Set<String> addresses) {
        if (addresses.isEmpty()) {
            return Optional.empty();
        }
        EntityDefinition contact = contactEntity();
        for (FieldDefinition field : contact.fields()) {
            if (field.type() != FieldType.EMAIL) {
                continue;
            }
            if (records.policy().fieldAccess(contact.name(), field.name()) == io.relata.api.security.FieldAccess.HIDDEN) {
                continue; // a hidden address is no match for this user
            }
            for (String address : addresses) {
                // stored addresses may have capitals: the store's prefix filter ignores case, the rest is compared here
                Optional<Record> found = records.query(contact.name(), new RecordQuery(List.of(new Filter(field.name(),
                        FilterOperator.STARTS_WITH, address)), List.of(Sort.desc("updated_at")), null, 20, null)).records()
                        .stream().filter(r -> address.equalsIgnoreCase(String.valueOf(r.get(field.name())))).findFirst();
                if (found.isPresent()) {
                    return found;
                }
            }
        }
        return Optional.empty();
    }

    private EntityDefinition contactEntity() {
        return models.get().entity("contact").orElseThrow(() -> new RefusedException(LocalizedText.of(
                "Dieses CRM hat keine Kontakte", "This CRM has no contacts")));
    }

    // ---- filing

    private Record file(SecuredRecordStore records, MimeMessage message, Record contact, Actor user)
            throws MessagingException, IOException {
        EntityDefinition activity = models.get().entity(Todos.ENTITY).orElseThrow(() -> new RefusedException(
                LocalizedText.of("Dieses CRM hat keine Aktivitäten", "This CRM has no activities")));
        Map<String, Object> values = new LinkedHashMap<>();
        String language = user.language();
        String subject = Optional.ofNullable(message.getSubject()).filter(s -> !s.isBlank())
                .orElse(LocalizedText.of("(ohne Betreff)", "(no subject)").in(language));
        int subjectLimit = activity.field("subject").map(f -> f.maxLength() == null ? 200 : f.maxLength()).orElse(200);
        values.put("subject", subject.length() > subjectLimit ? subject.substring(0, subjectLimit) : subject);
        values.put("type", "email");
        put(activity, values, "done", true);
        put(activity, values, "due_at", sentAt(message));
        String header = LocalizedText.format("Von: {0}\nAn: {1}\n\n", "From: {0}\nTo: {1}\n\n",
                String.join(", ", addresses(message, "From")), String.join(", ", addresses(message, "To", "Cc"))).in(language);
        put(activity, values, "description", limit(activity, "description", header + text(message)));
        put(activity, values, "contact", contact.id());
        if (contact.get("account") != null) {
            put(activity, values, "account", contact.get("account"));
        }
        Record created = records.create(Todos.ENTITY, values);
        List<String> notKept = new ArrayList<>();
        for (Attachment attachment : attachments(message)) {
            try (InputStream content = attachment.part().getInputStream()) {
                files.add(records, Todos.ENTITY, created.id(), null, attachment.name(), content);
            } catch (RecordFiles.RefusedException e) {
                notKept.add(attachment.name() + " (" + e.text().in(language) + ")");
            } catch (IOException | java.io.UncheckedIOException | MessagingException e) {
                // the mail is filed all the same; the attachment that could not be read or stored is named
                notKept.add(attachment.name() + " (" + e.getMessage() + ")");
            }
        }
        if (!notKept.isEmpty() && activity.field("description").isPresent()) {
            String description = created.get("description") + "\n\n" + LocalizedText.format("Nicht übernommene Anhänge: {0}",
                    "Attachments not kept: {0}", String.join("; ", notKept)).in(language);
            created = records.update(Todos.ENTITY, created.id(), created.version(),
                    Map.of("description", limit(activity, "description", description)));
        }
        return created;
    }

    private static void put(EntityDefinition activity, Map<String, Object> values, String field, Object value) {
        if (activity.field(field).isPresent() && value != null) {
            values.put(field, value);
        }
    }

    private static String limit(EntityDefinition activity, String field, String text) {
        Integer max = activity.field(field).map(FieldDefinition::maxLength).orElse(null);
        int limit = max == null ? 20_000 : max;
        return text.length() > limit ? text.substring(0, limit - 1) + "…" : text;
    }

    private OffsetDateTime sentAt(MimeMessage message) throws MessagingException {
        java.util.Date sent = message.getSentDate();
        return (sent == null ? clock.instant() : sent.toInstant()).atOffset(ZoneOffset.UTC);
    }

    // ---- reading a mail

    private static MimeMessage parse(byte[] raw) throws MessagingException {
        return new MimeMessage(Session.getInstance(new Properties()), new ByteArrayInputStream(raw));
    }

    private static String messageId(MimeMessage message, byte[] raw) throws MessagingException {
        String id = message.getMessageID();
        if (id != null && !id.isBlank()) {
            return id.length() > 500 ? id.substring(0, 500) : id;
        }
        // a mail without Message-ID is known by its content
        return "sha256:" + io.relata.identity.UserDirectory.sha256(new String(raw, java.nio.charset.StandardCharsets.ISO_8859_1));
    }

    /** The addresses of the headers, in lower case, each once. */
    private static List<String> addresses(MimeMessage message, String... headers) throws MessagingException {
        Set<String> found = new LinkedHashSet<>();
        for (String header : headers) {
            String[] values = message.getHeader(header);
            if (values == null) {
                continue;
            }
            for (String value : values) {
                try {
                    for (Address address : InternetAddress.parseHeader(value, false)) {
                        if (address instanceof InternetAddress internet && internet.getAddress() != null) {
                            found.add(internet.getAddress().toLowerCase(Locale.ROOT));
                        }
                    }
                } catch (MessagingException e) {
                    // an unreadable header names no one
                }
            }
        }
        return List.copyOf(found);
    }

    /** The mail's text: its plain-text part, else the text of its HTML part. */
    public static String text(Part part) throws MessagingException, IOException {
        String plain = firstText(part, "text/plain");
        if (plain != null) {
            return plain.strip();
        }
        String html = firstText(part, "text/html");
        return html == null ? "" : Jsoup.parse(html).wholeText().replaceAll("[ \\t]+\\n", "\n").replaceAll("\\n{3,}", "\n\n").strip();
    }

    private static String firstText(Part part, String type) throws MessagingException, IOException {
        if (isAttachment(part)) {
            return null;
        }
        if (part.isMimeType(type) && part.getContent() instanceof String text) {
            return text;
        }
        if (part.isMimeType("multipart/*") && part.getContent() instanceof Multipart multipart) {
            for (int i = 0; i < multipart.getCount(); i++) {
                String found = firstText(multipart.getBodyPart(i), type);
                if (found != null) {
                    return found;
                }
            }
        }
        return null;
    }

    private record Attachment(String name, Part part) {
    }

    private static List<Attachment> attachments(Part part) throws MessagingException, IOException {
        List<Attachment> found = new ArrayList<>();
        if (part.isMimeType("multipart/*") && part.getContent() instanceof Multipart multipart) {
            for (int i = 0; i < multipart.getCount(); i++) {
                BodyPart child = multipart.getBodyPart(i);
                if (isAttachment(child)) {
                    String name = child.getFileName() == null ? "attachment-" + (found.size() + 1)
                            : MimeUtility.decodeText(child.getFileName());
                    found.add(new Attachment(name, child));
                } else {
                    found.addAll(attachments(child));
                }
            }
        }
        return found;
    }

    private static boolean isAttachment(Part part) throws MessagingException {
        return Part.ATTACHMENT.equalsIgnoreCase(part.getDisposition())
                || part.getFileName() != null && !part.isMimeType("multipart/*");
    }

    // ---- rows

    private boolean known(long userId, String messageId) {
        return sql(c -> {
            try (PreparedStatement query = c.prepareStatement(
                    "SELECT 1 FROM crm_captured_mail WHERE user_id = ? AND message_id = ?")) {
                query.setLong(1, userId);
                query.setString(2, messageId);
                try (ResultSet rs = query.executeQuery()) {
                    return rs.next();
                }
            }
        });
    }

    private long remember(long userId, String messageId, MimeMessage message, byte[] rawIfWaiting)
            throws MessagingException, IOException {
        String from = String.join(", ", addresses(message, "From"));
        String recipients = String.join(", ", addresses(message, "To", "Cc"));
        String subject = Optional.ofNullable(message.getSubject()).orElse("");
        String preview = text(message);
        List<String> names = new ArrayList<>();
        for (Attachment attachment : attachments(message)) {
            names.add(attachment.name());
        }
        OffsetDateTime sent = sentAt(message);
        return sql(c -> {
            try (PreparedStatement insert = c.prepareStatement("INSERT INTO crm_captured_mail (user_id, message_id, sender, "
                    + "recipients, subject, sent_at, received_at, state, preview, attachments, raw) "
                    + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", Statement.RETURN_GENERATED_KEYS)) {
                insert.setLong(1, userId);
                insert.setString(2, messageId);
                insert.setString(3, cut(from, 500));
                insert.setString(4, cut(recipients, 4000));
                insert.setString(5, cut(subject, 1000));
                insert.setObject(6, sent);
                insert.setObject(7, OffsetDateTime.now(clock));
                insert.setString(8, rawIfWaiting == null ? "filed" : "unmatched");
                insert.setString(9, cut(preview, PREVIEW_LENGTH));
                insert.setString(10, cut(String.join("\n", names), 4000));
                if (rawIfWaiting != null && rawIfWaiting.length <= MAX_RAW_BYTES) {
                    insert.setBytes(11, rawIfWaiting);
                } else {
                    insert.setNull(11, java.sql.Types.BINARY);
                }
                insert.executeUpdate();
                try (ResultSet keys = insert.getGeneratedKeys()) {
                    keys.next();
                    return keys.getLong(1);
                }
            }
        });
    }

    private void markFiled(long mailId, long activityId) {
        sql(c -> {
            try (PreparedStatement update = c.prepareStatement(
                    "UPDATE crm_captured_mail SET state = 'filed', activity_id = ?, raw = NULL WHERE id = ?")) {
                update.setLong(1, activityId);
                update.setLong(2, mailId);
                return update.executeUpdate();
            }
        });
    }

    private Optional<Long> userOfToken(String token) {
        return sql(c -> {
            try (PreparedStatement query = c.prepareStatement("SELECT user_id FROM crm_mail_capture_user WHERE token = ?")) {
                query.setString(1, token);
                try (ResultSet rs = query.executeQuery()) {
                    return rs.next() ? Optional.of(rs.getLong(1)) : Optional.<Long>empty();
                }
            }
        });
    }

    private static String newToken() {
        StringBuilder token = new StringBuilder();
        for (int i = 0; i < 10; i++) {
            token.append(TOKEN_LETTERS.charAt(RANDOM.nextInt(TOKEN_LETTERS.length())));
        }
        return token.toString();
    }

    private static String cut(String text, int max) {
        return text == null || text.length() <= max ? text : text.substring(0, max);
    }

    private interface Work<T> {
        T run(Connection connection) throws SQLException;
    }

    private <T> T sql(Work<T> work) {
        try (Connection connection = dataSource.getConnection()) {
            return work.run(connection);
        } catch (SQLException e) {
            throw new IllegalStateException("Could not read or write captured mails: " + e.getMessage(), e);
        }
    }
}
