package io.relata.runtime.customer;

import io.relata.api.model.LocalizedText;
import io.relata.api.model.MetadataModel;
import io.relata.api.record.Filter;
import io.relata.api.record.FilterOperator;
import io.relata.api.record.Record;
import io.relata.api.record.RecordLink;
import io.relata.api.record.RecordQuery;
import io.relata.api.record.Sort;
import io.relata.process.Outbox;
import io.relata.process.ProcessJson;
import io.relata.store.JdbcRecordStore;
import io.relata.store.JdbcTransactions;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.format.FormatStyle;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Mails the owner of an open activity when its reminder time has come ("Reminder: Call back"), once per activity and
 * reminder time: the reminder is written as sent in the same transaction as the mail is queued (the outbox sends it
 * after commit, at most once), so a second node or round skips it; a postponed reminder (a new time) goes out again.
 * In the owner's language; an owner without an e-mail address gets none (logged).
 */
public final class Reminders {

    private static final Logger LOG = Logger.getLogger(Reminders.class.getName());
    static final int BATCH = 200;
    /** How far back a start looks for reminders not sent yet (a server that was down a night still sends them). */
    static final java.time.Duration CATCH_UP = java.time.Duration.ofDays(1);
    private static final LocalizedText SUBJECT = LocalizedText.of("Erinnerung: {0}", "Reminder: {0}");
    private static final LocalizedText BODY = LocalizedText.of("Erinnerung an „{0}“, fällig {1}.\n\n{2}",
            "A reminder of \"{0}\", due {1}.\n\n{2}");

    /** Where a user's reminders go, in which language. */
    public record Recipient(String email, String language) {
    }

    private final Supplier<MetadataModel> models;
    private final Supplier<JdbcRecordStore> system;
    private final JdbcTransactions transactions;
    private final Outbox outbox;
    private final Function<Long, Optional<Recipient>> recipients;
    private final Clock clock;
    private final Supplier<String> baseUrl;
    /** The reminder time the last round got to (each reminder's sending is recorded, so a repeat sends nothing). */
    private volatile OffsetDateTime sentUpTo;

    public Reminders(Supplier<MetadataModel> models, Supplier<JdbcRecordStore> system, JdbcTransactions transactions,
                     Outbox outbox, Function<Long, Optional<Recipient>> recipients, Clock clock, Supplier<String> baseUrl) {
        this.models = Objects.requireNonNull(models, "models");
        this.system = Objects.requireNonNull(system, "system");
        this.transactions = Objects.requireNonNull(transactions, "transactions");
        this.outbox = Objects.requireNonNull(outbox, "outbox");
        this.recipients = Objects.requireNonNull(recipients, "recipients");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.baseUrl = Objects.requireNonNull(baseUrl, "baseUrl");
    }

    /** Queues the reminders that are due and not sent yet, at most {@value #BATCH} a round; returns how many. */
    public int sendDue() {
        if (models.get().entity(Todos.ENTITY).flatMap(e -> e.field("reminder_at")).isEmpty()) {
            return 0;
        }
        OffsetDateTime now = OffsetDateTime.now(clock);
        // from where the last round got to: reminders sent before stay open (and due) for days, and read from the
        // oldest on they would fill every batch and keep newer ones waiting; after a start, from a day back
        OffsetDateTime from = sentUpTo != null ? sentUpTo : now.minus(CATCH_UP);
        List<Record> due = system.get().query(Todos.ENTITY, new RecordQuery(List.of(
                new Filter("done", FilterOperator.EQ, false), new Filter("reminder_at", FilterOperator.GE, from),
                new Filter("reminder_at", FilterOperator.LE, now)),
                List.of(Sort.asc("reminder_at")), null, BATCH, null)).records();
        int sent = 0;
        for (Record activity : due) {
            if (remind(activity)) {
                sent++;
            }
            sentUpTo = (OffsetDateTime) activity.get("reminder_at");
        }
        return sent;
    }

    private boolean remind(Record activity) {
        OffsetDateTime reminderAt = (OffsetDateTime) activity.get("reminder_at");
        Optional<Recipient> recipient = activity.ownerUser() == null ? Optional.empty() : recipients.apply(activity.ownerUser());
        return transactions.inTransaction(() -> {
            Connection c = transactions.currentConnection().orElseThrow();
            try (PreparedStatement mark = c.prepareStatement("INSERT INTO crm_reminder_sent (activity_id, reminder_at, sent_at) "
                    + "SELECT ?, ?, ? WHERE NOT EXISTS (SELECT 1 FROM crm_reminder_sent WHERE activity_id = ? AND reminder_at = ?)")) {
                mark.setLong(1, activity.id());
                mark.setObject(2, reminderAt);
                mark.setObject(3, OffsetDateTime.now(clock));
                mark.setLong(4, activity.id());
                mark.setObject(5, reminderAt);
                if (mark.executeUpdate() == 0) {
                    return false; // sent before, by this node or another
                }
            } catch (SQLException e) {
                return false; // another node marked it a moment ago (the primary key)
            }
            if (recipient.isEmpty() || recipient.get().email() == null || recipient.get().email().isBlank()) {
                LOG.log(Level.INFO, "No reminder for activity {0}: its owner has no e-mail address", activity.id());
                return false;
            }
            String language = recipient.get().language();
            String subject = String.valueOf(activity.get("subject"));
            Object due = activity.get("due_at");
            String when = due instanceof OffsetDateTime at ? at.atZoneSameInstant(ZoneId.systemDefault())
                    .format(DateTimeFormatter.ofLocalizedDateTime(FormatStyle.MEDIUM, FormatStyle.SHORT)
                            .withLocale(Locale.forLanguageTag(language))) : "–";
            String link = baseUrl.get() + "/record.xhtml?entity=" + Todos.ENTITY + "&id=" + activity.id();
            Map<String, Object> payload = new LinkedHashMap<>();
            payload.put("to", recipient.get().email());
            payload.put("subject", java.text.MessageFormat.format(SUBJECT.in(language).replace("'", "''"), subject));
            payload.put("body", java.text.MessageFormat.format(BODY.in(language).replace("'", "''"), subject, when, link));
            payload.put("language", language);
            payload.put("template", "reminder");
            try {
                outbox.queue(c, Outbox.Kind.MAIL, ProcessJson.write(payload), "reminder of activity " + activity.id()
                        + " to " + recipient.get().email(), new RecordLink(Todos.ENTITY, activity.id()));
            } catch (SQLException e) {
                throw new IllegalStateException("The reminder of activity " + activity.id() + " could not be queued", e);
            }
            return true;
        });
    }
}
