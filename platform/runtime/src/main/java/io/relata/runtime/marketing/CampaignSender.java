package io.relata.runtime.marketing;

import io.relata.api.model.LocalizedText;
import io.relata.api.record.ErrorCodes;
import io.relata.api.record.FieldError;
import io.relata.api.record.Filter;
import io.relata.api.record.FilterOperator;
import io.relata.api.record.Record;
import io.relata.api.record.RecordQuery;
import io.relata.api.record.Sort;
import io.relata.api.record.ValidationException;
import io.relata.process.MailSettings;
import io.relata.store.JdbcTransactions;
import io.relata.store.SecuredRecordStore;
import jakarta.mail.MessagingException;
import jakarta.mail.SendFailedException;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.MimeMessage;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Sends a prepared campaign's mails, throttled to its {@code messages_per_minute}, and can be paused, resumed and
 * cancelled.
 *
 * <p>Each member is sent <b>at most once</b>, as the outbox sends: it is claimed ({@code queued → sending},
 * committed) before its mail goes out, and marked {@code sent} (or {@code failed}) after. A round that stops between
 * the two (the server died) leaves the member {@code sending}; at the next start {@link #markInDoubt} makes such
 * members {@code in_doubt}, shown on the campaign for a person to decide: whether that mail went out is not known,
 * and sending it again could write to someone twice.
 *
 * <p>Consent is checked again for every mail: someone who unsubscribed after the campaign was prepared gets nothing
 * (skipped, no consent). Every mail carries the person's own unsubscribe link and the one-click headers of RFC 8058,
 * and is plain text without tracking.
 */
public final class CampaignSender {

    private static final Logger LOG = Logger.getLogger(CampaignSender.class.getName());
    private static final Set<String> STARTABLE = Set.of("prepared", "paused");
    /** What settling a member in doubt writes on the user's behalf; they may not set a member's status themselves. */
    private static final Set<String> SETTLED_FIELDS = Set.of("status", "error");

    private final Supplier<SecuredRecordStore> platformRecords;
    private final JdbcTransactions transactions;
    private final Consents consents;
    private final CampaignMail mails;
    private final CampaignLinks links;
    private final Supplier<MailSettings> mail;
    private final Supplier<String> baseUrl;
    /** The platform's language, of the notes it writes on members (why a mail failed or is in doubt). */
    private final String language;
    private final Clock clock;
    /** Each sending campaign's allowance (per node: several nodes keep to the rate each). */
    private final SendingRate rate;

    public CampaignSender(Supplier<SecuredRecordStore> platformRecords, JdbcTransactions transactions, Consents consents,
                          CampaignMail mails, CampaignLinks links, Supplier<MailSettings> mail, Supplier<String> baseUrl,
                          String language, Clock clock) {
        this.language = Consents.language(language);
        this.platformRecords = Objects.requireNonNull(platformRecords, "platformRecords");
        this.transactions = Objects.requireNonNull(transactions, "transactions");
        this.consents = Objects.requireNonNull(consents, "consents");
        this.mails = Objects.requireNonNull(mails, "mails");
        this.links = Objects.requireNonNull(links, "links");
        this.mail = Objects.requireNonNull(mail, "mail");
        this.baseUrl = Objects.requireNonNull(baseUrl, "baseUrl");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.rate = new SendingRate(clock);
    }

    /** A prepared or paused campaign starts (again) sending. */
    public Record start(long campaignId) {
        return move(campaignId, STARTABLE, "sending");
    }

    public Record pause(long campaignId) {
        return move(campaignId, Set.of("sending"), "paused");
    }

    /** A campaign not yet sent stops for good; its queued members are never sent. */
    public Record cancel(long campaignId) {
        return move(campaignId, Set.of("planned", "prepared", "sending", "paused"), "cancelled");
    }

    private Record move(long campaignId, Set<String> from, String to) {
        SecuredRecordStore records = platformRecords.get();
        Record campaign = records.find(CampaignAudience.CAMPAIGN, campaignId).orElseThrow(() -> refused("campaign",
                LocalizedText.format("Die Kampagne {0} gibt es nicht", "There is no campaign {0}", campaignId)));
        if (!from.contains(String.valueOf(campaign.get("status")))) {
            throw refused("status", LocalizedText.format("Eine Kampagne im Status \u201e{0}\u201c kann das nicht",
                    "A campaign in the status ''{0}'' cannot do that", String.valueOf(campaign.get("status"))));
        }
        rate.forget(campaignId);
        if (to.equals("sending")) { // it begins at once with a second's worth, then at its rate
            rate.begin(campaignId, perMinute(campaign));
        }
        return records.update(CampaignAudience.CAMPAIGN, campaignId, campaign.version(), Map.of("status", to));
    }

    /**
     * Members claimed for sending by a round that never finished (the node died): {@code in_doubt}. Call at start,
     * before the first round of any node.
     */
    public int markInDoubt() {
        SecuredRecordStore records = platformRecords.get();
        int marked = 0;
        for (Record member : records.query(CampaignAudience.MEMBER, new RecordQuery(List.of(
                new Filter("status", FilterOperator.EQ, "sending")), List.of(), null, 1000, null)).records()) {
            records.update(CampaignAudience.MEMBER, member.id(), member.version(), Map.of("status", "in_doubt",
                    "error", LocalizedText.of("Der Server hielt an, während diese E-Mail gesendet wurde: Ob sie hinausging,"
                            + " ist nicht bekannt", "The server stopped while this mail was being sent: whether it went out"
                            + " is not known").in(language)));
            marked++;
        }
        return marked;
    }

    /**
     * Settles the campaign's members in doubt, as a person decided after checking (the mail server's log, the
     * recipient): {@code resend} queues them again, and a campaign that was done pauses, to be started again;
     * otherwise they count as sent. Either is written to each member's history with the user who decided.
     *
     * @return how many members were settled
     */
    public int settleInDoubt(SecuredRecordStore decidedBy, long campaignId, boolean resend) {
        SecuredRecordStore records = platformRecords.get();
        return transactions.inTransaction(() -> {
            int settled = 0;
            String cursor = null;
            do {
                var page = decidedBy.query(CampaignAudience.MEMBER, new RecordQuery(List.of(
                        new Filter("campaign", FilterOperator.EQ, campaignId),
                        new Filter("status", FilterOperator.EQ, "in_doubt")), List.of(Sort.asc("id")), null, 500, cursor));
                for (Record member : page.records()) {
                    decidedBy.updateOnBehalf(CampaignAudience.MEMBER, member.id(), member.version(), resend
                            ? Map.of("status", "queued")
                            : Map.of("status", "sent", "error", LocalizedText.of("Nach Prüfung als gesendet gezählt: sie war"
                                    + " ungewiss", "Counted as sent after checking: it was in doubt").in(language)),
                            SETTLED_FIELDS, null, null);
                    settled++;
                }
                cursor = page.nextCursor();
            } while (cursor != null);
            Record campaign = records.find(CampaignAudience.CAMPAIGN, campaignId).orElseThrow();
            if (resend && settled > 0 && "sent".equals(campaign.get("status"))) {
                records.update(CampaignAudience.CAMPAIGN, campaignId, campaign.version(), Map.of("status", "paused"));
            }
            return settled;
        });
    }

    /**
     * One round: each sending campaign sends what its rate allows since its last round (at most a minute's worth);
     * a campaign with nobody left to send to is {@code sent}. Without a mail server nothing happens.
     *
     * @return how many mails went out
     */
    public int sendDue() {
        if (!mail.get().isConfigured()) {
            return 0;
        }
        int sent = 0;
        for (Record campaign : platformRecords.get().query(CampaignAudience.CAMPAIGN, new RecordQuery(List.of(
                new Filter("status", FilterOperator.EQ, "sending")), List.of(), null, 100, null)).records()) {
            sent += send(campaign);
        }
        return sent;
    }

    private int send(Record campaign) {
        int due = due(campaign);
        SecuredRecordStore records = platformRecords.get();
        List<Record> queued = due == 0 ? List.of() : records.query(CampaignAudience.MEMBER, new RecordQuery(List.of(
                new Filter("campaign", FilterOperator.EQ, campaign.id()),
                new Filter("status", FilterOperator.EQ, "queued")), List.of(Sort.asc("id")), null, due, null)).records();
        int sent = 0;
        if (!queued.isEmpty()) {
            MailSettings settings = mail.get();
            Session session = settings.session();
            try (Transport transport = session.getTransport("smtp")) {
                transport.connect(settings.host(), settings.port(), settings.username(), settings.password());
                Round round = new Round(campaign, mails.content(campaign), mails.sender(campaign), settings, session,
                        transport, host());
                for (Record member : queued) {
                    if (sendOne(records, round, member)) {
                        sent++;
                    }
                }
            } catch (MessagingException e) {
                LOG.log(Level.WARNING, "Campaign " + campaign.id() + ": the mail server did not take the mails ("
                        + e.getMessage() + "); trying again in the next round");
                return sent;
            }
        }
        finishIfDone(records, campaign);
        return sent;
    }

    /** The mails the campaign's rate allows now: its rate per second times the seconds since it was last counted. */
    private int due(Record campaign) {
        return rate.due(campaign.id(), perMinute(campaign));
    }

    static int perMinute(Record campaign) {
        return campaign.get("messages_per_minute") instanceof Number n ? Math.max(1, n.intValue()) : 60;
    }

    /**
     * Claims, sends and marks one member; true if its mail went out.
     *
     * @throws MessagingException if the server did not take the mail: the member is queued again
     */
    private boolean sendOne(SecuredRecordStore records, Round round, Record member) throws MessagingException {
        Record campaign = round.campaign();
        Record claimed;
        try {
            claimed = transactions.inTransaction(() -> records.update(CampaignAudience.MEMBER, member.id(),
                    member.version(), Map.of("status", "sending")));
        } catch (RuntimeException e) {
            return false; // claimed by another node, or changed: it is theirs
        }
        String email = String.valueOf(member.get("email"));
        Optional<Record> consent = campaign.get("purpose") instanceof Number purpose
                ? consents.granted(email, purpose.longValue()) : Optional.empty();
        if (consent.isEmpty()) {
            records.update(CampaignAudience.MEMBER, claimed.id(), claimed.version(), Map.of("status", "skipped",
                    "skip_reason", "no_consent"));
            return false;
        }
        String messageId = "<campaign-" + campaign.id() + "-member-" + member.id() + "@" + round.host() + ">";
        try {
            MimeMessage message = message(round, claimed, consent.get(), messageId);
            round.transport().sendMessage(message, message.getAllRecipients());
        } catch (SendFailedException e) {
            if (e.getInvalidAddresses() == null || e.getInvalidAddresses().length == 0) {
                throw requeue(records, claimed, e);
            }
            records.update(CampaignAudience.MEMBER, claimed.id(), claimed.version(), Map.of("status", "failed",
                    "error", shorten(LocalizedText.format("Der Mailserver lehnte die Adresse ab: {0}",
                            "The mail server refused the address: {0}", e.getMessage()).in(language))));
            return false;
        } catch (MessagingException e) {
            throw requeue(records, claimed, e);
        } catch (RuntimeException e) { // the text could not be made (a placeholder): this member only
            records.update(CampaignAudience.MEMBER, claimed.id(), claimed.version(), Map.of("status", "failed",
                    "error", shorten(LocalizedText.format("Die E-Mail konnte nicht erstellt werden: {0}",
                            "The mail could not be made: {0}", e.getMessage()).in(language))));
            return false;
        }
        records.update(CampaignAudience.MEMBER, claimed.id(), claimed.version(), Map.of("status", "sent",
                "sent_at", OffsetDateTime.now(clock), "message_id", messageId));
        return true;
    }

    /**
     * The server did not take the mail (the connection broke, it is busy): the member goes back to the queue and the
     * round ends, as the outbox retries such a send; the rest of the round stays queued.
     */
    private static MessagingException requeue(SecuredRecordStore records, Record claimed, MessagingException cause) {
        records.update(CampaignAudience.MEMBER, claimed.id(), claimed.version(), Map.of("status", "queued"));
        return cause;
    }

    /** What every mail of one round shares: read once, not per mail. */
    private record Round(Record campaign, CampaignMail.Content content, CampaignMail.Sender sender,
                         MailSettings settings, Session session, Transport transport, String host) {
    }

    private MimeMessage message(Round round, Record member, Record consent, String messageId) throws MessagingException {
        Record campaign = round.campaign();
        String token = consents.unsubscribeToken(consent.id());
        CampaignMail.Links tracked = Boolean.TRUE.equals(campaign.get("track_clicks"))
                ? new CampaignMail.Links(body -> links.tracked(member.id(), body), html -> links.trackedHtml(member.id(), html))
                : CampaignMail.Links.AS_WRITTEN; // tracking-free by default
        CampaignMail.Text text = mails.of(round.content(), round.sender(), member, consents.unsubscribeUrl(token), tracked);
        // the campaign's own Message-ID, to match bounces and replies to the member
        return MarketingMessage.of(round.session(), round.settings().from(), String.valueOf(member.get("email")), text,
                messageId, consents.oneClickUrl(token), clock.instant());
    }

    private void finishIfDone(SecuredRecordStore records, Record campaign) {
        long open = records.count(CampaignAudience.MEMBER, new RecordQuery(List.of(
                new Filter("campaign", FilterOperator.EQ, campaign.id()),
                new Filter("status", FilterOperator.IN, List.of("queued", "sending"))), List.of(), null, 1, null));
        if (open == 0) {
            Record current = records.find(CampaignAudience.CAMPAIGN, campaign.id()).orElseThrow();
            if ("sending".equals(current.get("status"))) {
                records.update(CampaignAudience.CAMPAIGN, campaign.id(), current.version(), Map.of("status", "sent"));
                rate.forget(campaign.id());
            }
        }
    }

    private String host() {
        return MarketingMessage.host(baseUrl.get());
    }

    private static String shorten(String value) {
        return MarketingMessage.shorten(value);
    }

    private static ValidationException refused(String field, LocalizedText text) {
        return new ValidationException(List.of(new FieldError(field, ErrorCodes.RULE, text)));
    }
}
