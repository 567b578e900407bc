package io.relata.runtime.marketing;

import io.relata.api.model.LocalizedText;
import io.relata.api.record.ErrorCodes;
import io.relata.api.record.FieldError;
import io.relata.api.record.Filter;
import io.relata.api.record.FilterOperator;
import io.relata.api.record.Record;
import io.relata.api.record.RecordPage;
import io.relata.api.record.RecordQuery;
import io.relata.api.record.Sort;
import io.relata.api.record.ValidationException;
import io.relata.process.MailSettings;
import io.relata.store.JdbcTransactions;
import io.relata.store.SecuredRecordStore;
import jakarta.mail.MessagingException;
import jakarta.mail.SendFailedException;
import jakarta.mail.Transport;
import jakarta.mail.internet.MimeMessage;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Sends the mails of e-mail sequences ({@code mail_sequence}): each enrolled person ({@code sequence_enrollment}) gets
 * the sequence's steps one after another, each step's mail template {@code wait_days} after the step before (the first
 * after the enrollment), in their language, signed by the sequence's owner, with their own unsubscribe link. An active
 * sequence sends at its rate in every round of the platform's background work.
 *
 * <p>Each step is sent <b>at most once</b>, as campaign mails are: the enrollment is claimed ({@code active →
 * sending}, committed) before the mail goes out, and moved on to the next step (or {@code completed}) after. A
 * round that stops between the two leaves it {@code sending}; at the next start {@link #markInDoubt} moves it on
 * without sending that step again, noting that whether it went out is not known.
 *
 * <p>Before each mail the person is checked again, and stopped instead: without a granted consent for the sequence's
 * purpose (they unsubscribed), with an address that bounced for good, a lead that was converted. A reply to one of its
 * mails stops it too ({@link CampaignMailbox}).
 */
public final class SequenceSender {

    public static final String SEQUENCE = "mail_sequence";
    public static final String STEP = "mail_sequence_step";
    public static final String ENROLLMENT = "sequence_enrollment";
    private static final Logger LOG = Logger.getLogger(SequenceSender.class.getName());
    private static final int PAGE = 500;
    private static final List<String> PEOPLE = List.of("contact", "lead");

    /** How many people were enrolled, and how many were already. */
    public record Enrolled(int enrolled, int already) {
    }

    private final Supplier<SecuredRecordStore> platformRecords;
    private final JdbcTransactions transactions;
    private final Consents consents;
    private final CampaignMail mails;
    private final Supplier<MailSettings> mail;
    private final Supplier<String> baseUrl;
    /** The platform's language, of the notes it writes on enrollments. */
    private final String language;
    private final Clock clock;
    private final SendingRate rate;

    public SequenceSender(Supplier<SecuredRecordStore> platformRecords, JdbcTransactions transactions, Consents consents,
                          CampaignMail mails, Supplier<MailSettings> mail, Supplier<String> baseUrl, String language,
                          Clock clock) {
        this.platformRecords = Objects.requireNonNull(platformRecords, "platformRecords");
        this.transactions = Objects.requireNonNull(transactions, "transactions");
        this.consents = Objects.requireNonNull(consents, "consents");
        this.mails = Objects.requireNonNull(mails, "mails");
        this.mail = Objects.requireNonNull(mail, "mail");
        this.baseUrl = Objects.requireNonNull(baseUrl, "baseUrl");
        this.language = Consents.language(language);
        this.clock = Objects.requireNonNull(clock, "clock");
        this.rate = new SendingRate(clock);
    }

    /**
     * Enrolls the people of a target group ({@link CampaignAudience#people}) that {@code by} may read, in one
     * transaction, written with {@code by}'s rights; someone who is or was in the sequence (also completed or stopped)
     * is not enrolled again: they would get its mails twice. Whether each may be written to is decided before each mail.
     *
     * @throws ValidationException if the sequence or group does not exist for {@code by}, or the group's conditions are
     *                             not valid filters for them
     */
    public Enrolled enroll(SecuredRecordStore by, long sequenceId, long groupId) {
        return transactions.inTransaction(() -> {
            by.find(SEQUENCE, sequenceId).orElseThrow(() -> refused("sequence", LocalizedText.format(
                    "Die E-Mail-Serie {0} gibt es nicht", "There is no e-mail sequence {0}", sequenceId)));
            Record group = by.find(CampaignAudience.TARGET_GROUP, groupId).orElseThrow(() -> refused("targetGroup",
                    LocalizedText.format("Die Zielgruppe {0} gibt es nicht", "There is no target group {0}", groupId)));
            CampaignAudience.People people = CampaignAudience.people(group);
            Set<Long> enrolled = enrolledIn(sequenceId, people.entity());
            int added = 0;
            int already = 0;
            String cursor = null;
            do {
                RecordPage page = by.query(people.entity(), new RecordQuery(people.filters(), List.of(Sort.asc("id")),
                        null, PAGE, cursor));
                for (Record person : page.records()) {
                    if (!enrolled.add(person.id())) {
                        already++;
                        continue;
                    }
                    by.create(ENROLLMENT, Map.of("sequence", sequenceId, people.entity(), person.id()));
                    added++;
                }
                cursor = page.nextCursor();
            } while (cursor != null);
            return new Enrolled(added, already);
        });
    }

    /** The people ({@code entity}: contact or lead) who are or were in the sequence. */
    private Set<Long> enrolledIn(long sequenceId, String entity) {
        Set<Long> ids = new HashSet<>();
        String cursor = null;
        do {
            RecordPage page = platformRecords.get().query(ENROLLMENT, new RecordQuery(List.of(
                    new Filter("sequence", FilterOperator.EQ, sequenceId),
                    new Filter(entity, FilterOperator.IS_NOT_NULL, null)), List.of(Sort.asc("id")), null,
                    RecordQuery.MAX_LIMIT, cursor));
            page.records().forEach(e -> ids.add(((Number) e.get(entity)).longValue()));
            cursor = page.nextCursor();
        } while (cursor != null);
        return ids;
    }

    /**
     * One round: each active sequence schedules the first mail of those newly enrolled and sends the due ones its rate
     * allows. Without a mail server nothing happens.
     *
     * @return how many mails went out
     */
    public int sendDue() {
        if (!mail.get().isConfigured()) {
            return 0;
        }
        SecuredRecordStore records = platformRecords.get();
        int sent = 0;
        for (Record sequence : records.query(SEQUENCE, new RecordQuery(List.of(
                new Filter("status", FilterOperator.EQ, "active")), List.of(Sort.asc("id")), null, 100, null)).records()) {
            TreeMap<Integer, Record> steps = steps(records, sequence.id());
            if (steps.isEmpty()) {
                continue; // nobody is scheduled before the sequence has a step
            }
            schedule(records, sequence, steps);
            sent += send(records, sequence, steps);
        }
        return sent;
    }

    /** The sequence's steps by position. */
    private static TreeMap<Integer, Record> steps(SecuredRecordStore records, long sequenceId) {
        TreeMap<Integer, Record> steps = new TreeMap<>();
        for (Record step : records.query(STEP, new RecordQuery(List.of(new Filter("sequence", FilterOperator.EQ,
                sequenceId)), List.of(Sort.asc("position")), null, RecordQuery.MAX_LIMIT, null)).records()) {
            steps.put(((Number) step.get("position")).intValue(), step);
        }
        return steps;
    }

    /**
     * The newly enrolled get their address and language from their contact or lead, and the time of their first mail:
     * the first step's days after they were enrolled. Someone without an address is stopped.
     */
    private void schedule(SecuredRecordStore records, Record sequence, TreeMap<Integer, Record> steps) {
        for (Record enrollment : records.query(ENROLLMENT, new RecordQuery(List.of(
                new Filter("sequence", FilterOperator.EQ, sequence.id()),
                new Filter("status", FilterOperator.EQ, "active"),
                new Filter("next_at", FilterOperator.IS_NULL, null)), List.of(Sort.asc("id")), null, PAGE, null)).records()) {
            Optional<Record> person = personOf(records, enrollment);
            String email = enrollment.get("email") instanceof String e && !e.isBlank() ? e
                    : person.map(p -> p.get("email")).filter(e -> e instanceof String s && !s.isBlank())
                    .map(Object::toString).orElse(null);
            Map<String, Object> values = new LinkedHashMap<>();
            if (email == null) {
                values.put("status", "stopped");
                values.put("stop_reason", "no_address");
            } else {
                Map.Entry<Integer, Record> first = Optional.ofNullable(steps.ceilingEntry(number(enrollment.get("step"), 1)))
                        .orElse(steps.firstEntry());
                values.put("email", email.strip().toLowerCase(java.util.Locale.ROOT));
                values.put("language", Consents.language(enrollment.get("language") != null ? enrollment.get("language")
                        : person.map(p -> p.get("language")).orElse(null)));
                values.put("step", first.getKey());
                values.put("next_at", enrollment.createdAt().plusDays(number(first.getValue().get("wait_days"), 0)));
            }
            try {
                records.update(ENROLLMENT, enrollment.id(), enrollment.version(), values);
            } catch (RuntimeException e) {
                // changed a moment ago (another node scheduled it): the next round looks again
            }
        }
    }

    private int send(SecuredRecordStore records, Record sequence, TreeMap<Integer, Record> steps) {
        int due = rate.due(sequence.id(), CampaignSender.perMinute(sequence));
        List<Record> waiting = due == 0 ? List.of() : records.query(ENROLLMENT, new RecordQuery(List.of(
                new Filter("sequence", FilterOperator.EQ, sequence.id()),
                new Filter("status", FilterOperator.EQ, "active"),
                new Filter("next_at", FilterOperator.LE, OffsetDateTime.now(clock))), List.of(Sort.asc("next_at")), null,
                due, null)).records();
        if (waiting.isEmpty()) {
            return 0;
        }
        MailSettings settings = mail.get();
        int sent = 0;
        try (Transport transport = settings.session().getTransport("smtp")) {
            transport.connect(settings.host(), settings.port(), settings.username(), settings.password());
            Round round = new Round(sequence, steps, mails.sender(sequence), settings, transport,
                    MarketingMessage.host(baseUrl.get()), new HashMap<>());
            for (Record enrollment : waiting) {
                if (sendOne(records, round, enrollment)) {
                    sent++;
                }
            }
        } catch (MessagingException e) {
            LOG.log(Level.WARNING, "E-mail sequence " + sequence.id() + ": the mail server did not take the mails ("
                    + e.getMessage() + "); trying again in the next round");
        }
        return sent;
    }

    /** What every mail of one round of a sequence shares; the templates' texts are read once each. */
    private record Round(Record sequence, TreeMap<Integer, Record> steps, CampaignMail.Sender sender,
                         MailSettings settings, Transport transport, String host, Map<Long, CampaignMail.Content> texts) {
    }

    /**
     * Claims, checks, sends and moves on one enrollment; true if its mail went out.
     *
     * @throws MessagingException if the server did not take the mail: the enrollment waits for the next round
     */
    private boolean sendOne(SecuredRecordStore records, Round round, Record enrollment) throws MessagingException {
        Record claimed;
        try {
            claimed = transactions.inTransaction(() -> records.update(ENROLLMENT, enrollment.id(), enrollment.version(),
                    Map.of("status", "sending")));
        } catch (RuntimeException e) {
            return false; // claimed by another node, or changed: it is theirs
        }
        int position = number(claimed.get("step"), 1);
        Map.Entry<Integer, Record> step = round.steps().ceilingEntry(position);
        if (step == null) { // the steps after the last one sent were removed
            records.update(ENROLLMENT, claimed.id(), claimed.version(), Map.of("status", "completed"));
            return false;
        }
        Optional<Record> person = personOf(records, claimed);
        String email = String.valueOf(claimed.get("email"));
        String stop = person.isPresent() && Boolean.TRUE.equals(person.get().get("email_bounced")) ? "bounced"
                : person.isPresent() && claimed.get("lead") != null && "converted".equals(person.get().get("status"))
                ? "converted" : null;
        Optional<Record> consent = stop != null ? Optional.empty()
                : consents.granted(email, ((Number) round.sequence().get("purpose")).longValue());
        if (stop != null || consent.isEmpty()) {
            records.update(ENROLLMENT, claimed.id(), claimed.version(), Map.of("status", "stopped",
                    "stop_reason", stop != null ? stop : "no_consent"));
            return false;
        }
        String messageId = "<sequence-" + round.sequence().id() + "-enrollment-" + claimed.id() + "-step-" + step.getKey()
                + "@" + round.host() + ">";
        try {
            long templateId = ((Number) step.getValue().get("template")).longValue();
            CampaignMail.Content content = round.texts().computeIfAbsent(templateId, id ->
                    CampaignMail.contentOf(records.get(CampaignMail.TEMPLATE, id)));
            String token = consents.unsubscribeToken(consent.get().id());
            CampaignMail.Text text = mails.of(content, round.sender(), claimed, consents.unsubscribeUrl(token),
                    CampaignMail.Links.AS_WRITTEN);
            MimeMessage message = MarketingMessage.of(round.settings().session(), round.settings().from(), email, text,
                    messageId, consents.oneClickUrl(token), clock.instant());
            round.transport().sendMessage(message, message.getAllRecipients());
        } catch (SendFailedException e) {
            if (e.getInvalidAddresses() == null || e.getInvalidAddresses().length == 0) {
                throw waitAgain(records, claimed, e);
            }
            records.update(ENROLLMENT, claimed.id(), claimed.version(), Map.of("status", "stopped",
                    "stop_reason", "bounced", "error", MarketingMessage.shorten(LocalizedText.format(
                            "Der Mailserver lehnte die Adresse ab: {0}", "The mail server refused the address: {0}",
                            e.getMessage()).in(language))));
            return false;
        } catch (MessagingException e) {
            throw waitAgain(records, claimed, e);
        } catch (RuntimeException e) { // the text could not be made (a placeholder): this person waits, with the reason
            records.update(ENROLLMENT, claimed.id(), claimed.version(), Map.of("status", "active", "error",
                    MarketingMessage.shorten(LocalizedText.format("Die E-Mail konnte nicht erstellt werden: {0}",
                            "The mail could not be made: {0}", e.getMessage()).in(language))));
            return false;
        }
        Map<String, Object> sent = new HashMap<>(movedOn(round.steps(), step.getKey()));
        sent.put("last_sent_at", OffsetDateTime.now(clock));
        sent.put("message_id", messageId);
        records.update(ENROLLMENT, claimed.id(), claimed.version(), sent);
        return true;
    }

    /** After step {@code position}: the next step and when it is due, or completed after the last. */
    private Map<String, Object> movedOn(TreeMap<Integer, Record> steps, int position) {
        Map.Entry<Integer, Record> next = steps.higherEntry(position);
        if (next == null) {
            return Map.of("status", "completed");
        }
        return Map.of("status", "active", "step", next.getKey(),
                "next_at", OffsetDateTime.now(clock).plusDays(number(next.getValue().get("wait_days"), 0)));
    }

    /** The server did not take the mail: the enrollment is active again and the round ends. */
    private static MessagingException waitAgain(SecuredRecordStore records, Record claimed, MessagingException cause) {
        records.update(ENROLLMENT, claimed.id(), claimed.version(), Map.of("status", "active"));
        return cause;
    }

    /**
     * At start: the enrollments a stopped server left being sent move on to their next step without that mail being
     * sent again (whether it went out is not known), with a note saying so.
     *
     * @return how many were moved on
     */
    public int markInDoubt() {
        SecuredRecordStore records = platformRecords.get();
        int marked = 0;
        for (Record enrollment : records.query(ENROLLMENT, new RecordQuery(List.of(
                new Filter("status", FilterOperator.EQ, "sending")), List.of(), null, 1000, null)).records()) {
            int position = number(enrollment.get("step"), 1);
            Map<String, Object> values = new HashMap<>(movedOn(steps(records, ((Number) enrollment.get("sequence"))
                    .longValue()), position));
            values.put("error", LocalizedText.format("Der Server hielt an, während Schritt {0} gesendet wurde: Ob diese"
                    + " E-Mail hinausging, ist nicht bekannt; sie wird nicht noch einmal gesendet", "The server stopped"
                    + " while step {0} was being sent: whether that mail went out is not known; it is not sent again",
                    position).in(language));
            records.update(ENROLLMENT, enrollment.id(), enrollment.version(), values);
            marked++;
        }
        return marked;
    }

    private static Optional<Record> personOf(SecuredRecordStore records, Record enrollment) {
        for (String entity : PEOPLE) {
            if (enrollment.get(entity) instanceof Number id) {
                return records.find(entity, id.longValue());
            }
        }
        return Optional.empty();
    }

    private static int number(Object value, int otherwise) {
        return value instanceof Number n ? n.intValue() : otherwise;
    }

    private static ValidationException refused(String field, LocalizedText text) {
        return new ValidationException(List.of(new FieldError(field, ErrorCodes.REFERENCE_NOT_FOUND, text)));
    }
}
