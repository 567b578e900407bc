package io.relata.runtime.marketing;

import io.relata.api.model.LocalizedText;
import io.relata.api.model.MetadataModel;
import io.relata.api.record.Filter;
import io.relata.api.record.FilterOperator;
import io.relata.api.record.Record;
import io.relata.api.record.RecordLink;
import io.relata.api.record.RecordQuery;
import io.relata.api.record.Sort;
import io.relata.runtime.mail.ImapMailbox;
import io.relata.runtime.mail.MailCapture;
import io.relata.store.JdbcTransactions;
import io.relata.store.SecuredRecordStore;
import jakarta.mail.BodyPart;
import jakarta.mail.MessagingException;
import jakarta.mail.Multipart;
import jakarta.mail.Part;
import jakarta.mail.Session;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.InternetHeaders;
import jakarta.mail.internet.MimeMessage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PushbackInputStream;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Properties;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The mailbox campaign mails are sent from, read over IMAP: what comes back to a campaign mail is matched to its
 * member by the mail's own Message-ID ({@code <campaign-C-member-M@host>}).
 *
 * <ul>
 *   <li>A <b>bounce</b> (a delivery status notification, RFC 3464): a permanent failure (status 5.x.x) is a hard
 *   bounce — the member is marked, and the contacts and leads with that address get {@code email_bounced}, so later
 *   campaigns leave it out; a temporary one (4.x.x, or "delayed") is a soft bounce, marked on the member only.</li>
 *   <li>A <b>reply</b> to a sequence's mail ({@code <sequence-S-enrollment-E-step-N@host>}) stops the sequence for
 *   that person and is filed as below.</li>
 *   <li>A <b>reply</b> (its In-Reply-To or References name the campaign mail): the member's response is
 *   {@code replied}, and the reply is filed as a done e-mail activity with the contact or about the lead, so it is in
 *   their history. Automatic answers (out of office, RFC 3834 {@code Auto-Submitted}) are not replies.</li>
 * </ul>
 * Anything else is left alone. Each mail is taken once: it is marked read after it was processed.
 */
public final class CampaignMailbox {

    static final int MAX_PER_POLL = 500;
    private static final Pattern CAMPAIGN_MESSAGE_ID = Pattern.compile("<campaign-(\\d+)-member-(\\d+)@[^>\\s]+>");
    private static final Pattern SEQUENCE_MESSAGE_ID = Pattern.compile(
            "<sequence-(\\d+)-enrollment-(\\d+)-step-\\d+@[^>\\s]+>");

    /** What a round of the mailbox did. */
    public record Read(int hardBounces, int softBounces, int replies, int other) {
    }

    enum Outcome { HARD_BOUNCE, SOFT_BOUNCE, REPLY, OTHER }

    private final Supplier<MetadataModel> models;
    private final Supplier<SecuredRecordStore> platformRecords;
    private final JdbcTransactions transactions;
    private final CampaignResponses responses;
    private final Supplier<ImapMailbox> mailbox;
    /** The platform's language, of what it writes on members and activities. */
    private final String language;
    private final Clock clock;

    public CampaignMailbox(Supplier<MetadataModel> models, Supplier<SecuredRecordStore> platformRecords,
                           JdbcTransactions transactions, CampaignResponses responses, Supplier<ImapMailbox> mailbox,
                           String language, Clock clock) {
        this.language = Consents.language(language);
        this.models = Objects.requireNonNull(models, "models");
        this.platformRecords = Objects.requireNonNull(platformRecords, "platformRecords");
        this.transactions = Objects.requireNonNull(transactions, "transactions");
        this.responses = Objects.requireNonNull(responses, "responses");
        this.mailbox = Objects.requireNonNull(mailbox, "mailbox");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    public boolean enabled() {
        return mailbox.get().configured();
    }

    /**
     * Reads the mailbox's unread mails (at most {@value #MAX_PER_POLL}).
     *
     * @throws MessagingException if the mailbox cannot be reached
     */
    public Read poll() throws MessagingException {
        int[] counts = new int[Outcome.values().length];
        if (enabled()) {
            mailbox.get().readUnread(MAX_PER_POLL, raw -> counts[take(raw).ordinal()]++);
        }
        return new Read(counts[Outcome.HARD_BOUNCE.ordinal()], counts[Outcome.SOFT_BOUNCE.ordinal()],
                counts[Outcome.REPLY.ordinal()], counts[Outcome.OTHER.ordinal()]);
    }

    /** Processes one mail given as its RFC 5322 bytes, in one transaction. */
    Outcome take(byte[] raw) throws MessagingException, IOException {
        MimeMessage mail = new MimeMessage(Session.getInstance(new Properties()), new ByteArrayInputStream(raw));
        if (mail.isMimeType("multipart/report")) {
            Optional<Bounce> bounce = bounce(mail);
            if (bounce.isPresent()) {
                return transactions.inTransaction(() -> bounced(bounce.get()));
            }
            return Outcome.OTHER;
        }
        String automatic = mail.getHeader("Auto-Submitted", null);
        if (automatic != null && !automatic.strip().toLowerCase(Locale.ROOT).startsWith("no")) {
            return Outcome.OTHER;
        }
        String answered = String.join(" ", headers(mail, "In-Reply-To"), headers(mail, "References"));
        Optional<Record> member = memberOf(answered);
        Optional<Record> enrollment = member.isPresent() ? Optional.empty() : enrollmentOf(answered);
        if (member.isEmpty() && enrollment.isEmpty()) {
            return Outcome.OTHER;
        }
        String subject = Optional.ofNullable(mail.getSubject()).orElse("");
        String from = Optional.ofNullable(mail.getFrom()).filter(a -> a.length > 0).map(a -> a[0].toString()).orElse("");
        String text = MailCapture.text(mail);
        return transactions.inTransaction(() -> member.isPresent() ? replied(member.get(), from, subject, text)
                : repliedInSequence(enrollment.get(), from, subject, text));
    }

    // ---- bounces

    /** A delivery status notification: the campaign mail it is about, and whether the failure is permanent. */
    private record Bounce(Optional<Record> member, String recipient, boolean hard, String status) {
    }

    private Optional<Bounce> bounce(MimeMessage report) throws MessagingException, IOException {
        if (!(report.getContent() instanceof Multipart parts)) {
            return Optional.empty();
        }
        List<InternetHeaders> recipients = List.of();
        String original = "";
        for (int i = 0; i < parts.getCount(); i++) {
            BodyPart part = parts.getBodyPart(i);
            if (part.isMimeType("message/delivery-status")) {
                recipients = recipientFields(part);
            } else if (part.isMimeType("message/rfc822") || part.isMimeType("text/rfc822-headers")) {
                original = originalMessageId(part);
            }
        }
        // the first recipient that failed or is delayed: a campaign mail has one recipient
        for (InternetHeaders fields : recipients) {
            String action = field(fields, "Action").toLowerCase(Locale.ROOT);
            String status = field(fields, "Status");
            String recipient = address(field(fields, "Final-Recipient"));
            if (recipient.isEmpty()) {
                recipient = address(field(fields, "Original-Recipient"));
            }
            boolean hard = action.equals("failed") && status.startsWith("5");
            boolean soft = action.equals("delayed") || status.startsWith("4");
            if (hard || soft) {
                Optional<Record> member = memberOf(original);
                if (member.isEmpty() && !recipient.isEmpty()) {
                    member = lastSentTo(recipient); // a server that does not return the original's headers
                }
                return Optional.of(new Bounce(member, recipient, hard, status));
            }
        }
        return Optional.empty();
    }

    /**
     * The per-recipient field groups of a {@code message/delivery-status} part (RFC 3464 §2.1): groups of header
     * fields separated by blank lines; the first group is about the message, each further one about a recipient.
     */
    private static List<InternetHeaders> recipientFields(Part part) throws MessagingException, IOException {
        List<InternetHeaders> groups = new ArrayList<>();
        try (PushbackInputStream in = new PushbackInputStream(part.getInputStream(), 2)) {
            while (true) {
                skipBlankLines(in);
                int next = in.read();
                if (next < 0) {
                    break;
                }
                in.unread(next);
                groups.add(new InternetHeaders(in));
            }
        }
        return groups.size() <= 1 ? List.of() : groups.subList(1, groups.size());
    }

    private static void skipBlankLines(PushbackInputStream in) throws IOException {
        int c;
        while ((c = in.read()) == '\r' || c == '\n') {
            // a blank line between groups
        }
        if (c >= 0) {
            in.unread(c);
        }
    }

    private static String originalMessageId(Part part) throws MessagingException, IOException {
        if (part.getContent() instanceof MimeMessage original) {
            return Optional.ofNullable(original.getMessageID()).orElse("");
        }
        try (InputStream in = part.getInputStream()) {
            return Optional.ofNullable(new InternetHeaders(in).getHeader("Message-ID", null)).orElse("");
        }
    }

    private Outcome bounced(Bounce bounce) {
        SecuredRecordStore records = platformRecords.get();
        if (bounce.member().isPresent()) {
            Record member = records.get(CampaignAudience.MEMBER, bounce.member().get().id());
            if (!"hard".equals(member.get("bounce"))) { // a soft bounce after a hard one changes nothing
                records.update(CampaignAudience.MEMBER, member.id(), member.version(), Map.of(
                        "bounce", bounce.hard() ? "hard" : "soft",
                        "error", shorten(LocalizedText.format("Vom empfangenden Mailserver zurückgewiesen: Status {0}",
                                "Returned by the receiving mail server: status {0}", bounce.status()).in(language))));
            }
        }
        if (!bounce.hard()) {
            return Outcome.SOFT_BOUNCE;
        }
        String address = bounce.member().map(m -> String.valueOf(m.get("email"))).orElse(bounce.recipient());
        for (String entity : List.of("contact", "lead")) {
            if (models.get().entity(entity).flatMap(e -> e.field("email_bounced")).isEmpty()) {
                continue;
            }
            for (Record person : records.query(entity, new RecordQuery(List.of(
                    new Filter("email", FilterOperator.EQ, address)), List.of(), null, 100, null)).records()) {
                if (!Boolean.TRUE.equals(person.get("email_bounced"))) {
                    records.update(entity, person.id(), person.version(), Map.of("email_bounced", true));
                }
            }
        }
        return Outcome.HARD_BOUNCE;
    }

    // ---- replies

    private Outcome replied(Record found, String from, String subject, String text) {
        SecuredRecordStore records = platformRecords.get();
        Record member = responses.respond(records, records.get(CampaignAudience.MEMBER, found.id()), "replied");
        file(records, member, from, subject, text);
        return Outcome.REPLY;
    }

    /** A reply to a sequence's mail ends the sequence for that person: they are talking to us now. */
    private Outcome repliedInSequence(Record found, String from, String subject, String text) {
        SecuredRecordStore records = platformRecords.get();
        Record enrollment = records.get(SequenceSender.ENROLLMENT, found.id());
        if ("active".equals(enrollment.get("status"))) {
            enrollment = records.update(SequenceSender.ENROLLMENT, enrollment.id(), enrollment.version(), Map.of(
                    "status", "stopped", "stop_reason", "replied"));
        }
        file(records, enrollment, from, subject, text);
        return Outcome.REPLY;
    }

    /** The reply as a done e-mail activity with the contact (and its account), or about the lead, of {@code about}. */
    private void file(SecuredRecordStore records, Record about, String from, String subject, String text) {
        if (models.get().entity("activity").isPresent()) {
            Map<String, Object> activity = new LinkedHashMap<>();
            activity.put("subject", shorten(subject.isBlank()
                    ? LocalizedText.of("(ohne Betreff)", "(no subject)").in(language) : subject, 200));
            activity.put("type", "email");
            activity.put("done", true);
            activity.put("due_at", OffsetDateTime.now(clock));
            activity.put("description", shorten(LocalizedText.format("Von: {0}", "From: {0}", from).in(language)
                    + "\n\n" + text, 20_000));
            if (about.get("contact") instanceof Number contact) {
                activity.put("contact", contact.longValue());
                records.find("contact", contact.longValue()).map(c -> c.get("account"))
                        .ifPresent(account -> activity.put("account", account));
            } else if (about.get("lead") instanceof Number lead) {
                activity.put("regarding", new RecordLink("lead", lead.longValue()).toString());
            }
            records.create("activity", activity);
        }
    }

    // ---- matching

    /** The member whose campaign mail the text names by its Message-ID. */
    private Optional<Record> memberOf(String text) {
        Matcher id = CAMPAIGN_MESSAGE_ID.matcher(text == null ? "" : text);
        while (id.find()) {
            Optional<Record> member = platformRecords.get().find(CampaignAudience.MEMBER, Long.parseLong(id.group(2)))
                    .filter(m -> id.group().equals(m.get("message_id")));
            if (member.isPresent()) {
                return member;
            }
        }
        return Optional.empty();
    }

    /** The enrollment whose sequence mail the text names by its Message-ID. */
    private Optional<Record> enrollmentOf(String text) {
        Matcher id = SEQUENCE_MESSAGE_ID.matcher(text == null ? "" : text);
        while (id.find()) {
            long sequence = Long.parseLong(id.group(1));
            Optional<Record> enrollment = platformRecords.get().find(SequenceSender.ENROLLMENT, Long.parseLong(id.group(2)))
                    .filter(e -> e.get("sequence") instanceof Number s && s.longValue() == sequence);
            if (enrollment.isPresent()) {
                return enrollment;
            }
        }
        return Optional.empty();
    }

    private Optional<Record> lastSentTo(String address) {
        return platformRecords.get().query(CampaignAudience.MEMBER, new RecordQuery(List.of(
                new Filter("email", FilterOperator.EQ, address), new Filter("status", FilterOperator.EQ, "sent")),
                List.of(Sort.desc("sent_at")), null, 1, null)).records().stream().findFirst();
    }

    private static String headers(MimeMessage mail, String name) throws MessagingException {
        String[] values = mail.getHeader(name);
        return values == null ? "" : String.join(" ", values);
    }

    private static String field(InternetHeaders fields, String name) {
        String value = fields.getHeader(name, null);
        return value == null ? "" : value.strip();
    }

    /** The address of an RFC 3464 recipient field, {@code rfc822; someone@example.org}. */
    private static String address(String field) {
        String value = field.contains(";") ? field.substring(field.indexOf(';') + 1) : field;
        try {
            return new InternetAddress(value.strip()).getAddress().toLowerCase(Locale.ROOT);
        } catch (MessagingException e) {
            return "";
        }
    }

    private static String shorten(String value) {
        return shorten(value, 1000);
    }

    private static String shorten(String value, int length) {
        return value.length() <= length ? value : value.substring(0, length);
    }
}
