package io.relata.runtime.marketing;

import io.relata.api.model.LocalizedText;
import io.relata.api.record.ErrorCodes;
import io.relata.api.record.FieldError;
import io.relata.api.record.Filter;
import io.relata.api.record.FilterOperator;
import io.relata.api.record.Record;
import io.relata.api.record.RecordLink;
import io.relata.api.record.RecordQuery;
import io.relata.api.record.Sort;
import io.relata.api.record.ValidationException;
import io.relata.store.JdbcTransactions;
import io.relata.store.SecuredRecordStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * A campaign's public sign-up form (no login): who fills it in becomes a lead with the campaign as its source, and
 * gets a consent request for each purpose they ticked (none is ticked for them), with the address and browser they
 * sent it from as proof; a double opt-in purpose sends its confirmation mail. Offered only while the campaign has
 * {@code lead_form} set and is not cancelled.
 *
 * <p>Against abuse: a hidden field people leave empty and programs fill in (the submission is then answered as if it
 * went in, and dropped), and at most {@value #PER_ADDRESS} submissions per client address in {@link #WINDOW} on each
 * node. The page's form is a server-side view: a post from another site has no valid view state and is refused.
 */
public final class LeadCapture {

    static final int PER_ADDRESS = 5;
    static final Duration WINDOW = Duration.ofMinutes(10);

    /** A consent purpose the form asks for, in the form's language. */
    public record Purpose(String key, String label, String wording) {
    }

    /** The form as the page shows it. */
    public record Form(long campaignId, String title, String language, List<Purpose> purposes) {
    }

    /** What was filled in; {@code purposes} the keys of the ticked purposes; {@code trap} the hidden field. */
    public record Submission(String firstName, String lastName, String company, String email, String phone,
                             String message, Set<String> purposes, String trap) {
    }

    /** Too many submissions from one client address. */
    public static final class TooManySubmissions extends RuntimeException {
        public TooManySubmissions() {
            super("Too many sign-ups from this address; try again in a few minutes");
        }
    }

    private final Supplier<SecuredRecordStore> platformRecords;
    private final JdbcTransactions transactions;
    private final Consents consents;
    private final Clock clock;
    private final Map<String, Deque<Instant>> recent = new ConcurrentHashMap<>();

    public LeadCapture(Supplier<SecuredRecordStore> platformRecords, JdbcTransactions transactions, Consents consents,
                       Clock clock) {
        this.platformRecords = Objects.requireNonNull(platformRecords, "platformRecords");
        this.transactions = Objects.requireNonNull(transactions, "transactions");
        this.consents = Objects.requireNonNull(consents, "consents");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** The campaign's form in {@code language} (de or en), if it offers one. */
    public Optional<Form> form(long campaignId, String language) {
        String lang = Consents.language(language);
        return offering(campaignId).map(campaign -> {
            List<Purpose> purposes = new ArrayList<>();
            Object own = campaign.get("purpose");
            for (Record purpose : platformRecords.get().query(Consents.PURPOSE_ENTITY, new RecordQuery(List.of(
                    new Filter("active", FilterOperator.EQ, true)), List.of(Sort.asc("id")), null, 50, null)).records()) {
                Purpose shown = new Purpose(String.valueOf(purpose.get("name")), text(purpose.get("label_" + lang)),
                        text(purpose.get("text_" + lang)));
                if (own instanceof Number id && id.longValue() == purpose.id()) {
                    purposes.add(0, shown); // the campaign's own purpose first
                } else {
                    purposes.add(shown);
                }
            }
            return new Form(campaignId, text(campaign.get("name")), lang, List.copyOf(purposes));
        });
    }

    /**
     * Takes a submission: the lead and its consent requests in one transaction.
     *
     * @return the lead; empty if the hidden field was filled in (nothing stored)
     * @throws TooManySubmissions  if the address sent {@value #PER_ADDRESS} in the last {@link #WINDOW}
     * @throws ValidationException naming the fields to fix (a name, an address, an unknown purpose, no such form)
     */
    public Optional<Record> submit(long campaignId, Submission submission, String language, String ipAddress,
                                   String userAgent) {
        admit(ipAddress == null ? "unknown" : ipAddress);
        if (submission.trap() != null && !submission.trap().isBlank()) {
            return Optional.empty();
        }
        Record campaign = offering(campaignId).orElseThrow(() -> refused("campaign", ErrorCodes.REFERENCE_NOT_FOUND,
                LocalizedText.of("Dieses Formular gibt es nicht (mehr)", "This form does not exist (any more)")));
        String lang = Consents.language(language);
        return Optional.of(transactions.inTransaction(() -> {
            Map<String, Object> lead = new LinkedHashMap<>();
            put(lead, "first_name", submission.firstName());
            put(lead, "last_name", submission.lastName());
            put(lead, "company", submission.company());
            put(lead, "email", submission.email());
            put(lead, "phone", submission.phone());
            put(lead, "description", submission.message());
            lead.put("language", lang);
            lead.put("source", "campaign");
            lead.put(CampaignResponses.FIELD, campaignId);
            Record created = platformRecords.get().create("lead", lead);
            for (String purpose : submission.purposes()) {
                consents.request(new Consents.Request(submission.email(), purpose, new RecordLink("lead", created.id()),
                        lang, "web_form", "Kampagne / campaign: " + campaign.get("name"), ipAddress, userAgent));
            }
            return created;
        }));
    }

    private Optional<Record> offering(long campaignId) {
        return platformRecords.get().find(CampaignAudience.CAMPAIGN, campaignId)
                .filter(c -> Boolean.TRUE.equals(c.get("lead_form")) && !"cancelled".equals(c.get("status")));
    }

    /** Counts the submission against its address; too many in the window are refused. */
    private void admit(String address) {
        Instant now = clock.instant();
        Deque<Instant> times = recent.computeIfAbsent(address, a -> new ArrayDeque<>());
        synchronized (times) {
            while (!times.isEmpty() && !times.peekFirst().isAfter(now.minus(WINDOW))) {
                times.pollFirst();
            }
            if (times.size() >= PER_ADDRESS) {
                throw new TooManySubmissions();
            }
            times.addLast(now);
        }
        if (recent.size() > 10_000) { // forget addresses that are quiet, so the map does not grow for ever
            recent.entrySet().removeIf(e -> {
                synchronized (e.getValue()) {
                    return e.getValue().isEmpty() || !e.getValue().peekLast().isAfter(now.minus(WINDOW));
                }
            });
        }
    }

    private static void put(Map<String, Object> values, String field, String value) {
        if (value != null && !value.isBlank()) {
            values.put(field, value.strip());
        }
    }

    private static String text(Object value) {
        return value == null ? "" : value.toString();
    }

    private static ValidationException refused(String field, String code, LocalizedText text) {
        return new ValidationException(List.of(new FieldError(field, code, text)));
    }
}
