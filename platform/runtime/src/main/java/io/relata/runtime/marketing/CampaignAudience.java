package io.relata.runtime.marketing;

import io.relata.api.model.LocalizedText;
import io.relata.api.model.MetadataModel;
import io.relata.api.record.ErrorCodes;
import io.relata.api.record.FieldError;
import io.relata.api.record.Filter;
import io.relata.api.record.FilterOperator;
import io.relata.api.record.FilterParameters;
import io.relata.api.record.Record;
import io.relata.api.record.RecordPage;
import io.relata.api.record.RecordQuery;
import io.relata.api.record.Sort;
import io.relata.api.record.ValidationException;
import io.relata.store.JdbcTransactions;
import io.relata.store.SecuredRecordStore;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * Prepares a campaign: one campaign member per person of its target group ({@link #people}: the contacts or leads
 * meeting its conditions, the contacts of accounts meeting them, or those on its list), {@code queued} if the campaign may write to them, otherwise {@code skipped} with the reason — no
 * address, the address is already in the campaign, it bounced for good before, no granted consent for the campaign's
 * purpose, or another campaign reached the address within the campaign's contact pause. Whom a campaign skipped, and
 * why, stays visible as its members. A campaign is prepared once, from {@code planned} to {@code prepared}.
 */
public final class CampaignAudience {

    public static final String CAMPAIGN = "campaign";
    public static final String MEMBER = "campaign_member";
    public static final String TARGET_GROUP = "target_group";
    private static final int PAGE = 500;
    private static final String BOUNCED = "email_bounced";
    /** The audience of the contacts of the accounts meeting the conditions. */
    private static final String ACCOUNT_CONTACTS = "account_contacts";
    /** The related list of a contact's or lead's entries on static target groups. */
    private static final String LISTED_IN = "target_group_memberships";

    /** How many members were queued, and how many were skipped for which reason. */
    public record Prepared(int queued, Map<String, Integer> skipped) {
    }

    private final Supplier<MetadataModel> models;
    private final Supplier<SecuredRecordStore> platformRecords;
    private final JdbcTransactions transactions;
    private final Consents consents;
    private final Clock clock;

    public CampaignAudience(Supplier<MetadataModel> models, Supplier<SecuredRecordStore> platformRecords,
                            JdbcTransactions transactions, Consents consents, Clock clock) {
        this.models = Objects.requireNonNull(models, "models");
        this.platformRecords = Objects.requireNonNull(platformRecords, "platformRecords");
        this.transactions = Objects.requireNonNull(transactions, "transactions");
        this.consents = Objects.requireNonNull(consents, "consents");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /**
     * Makes the campaign's members and moves it to {@code prepared}, in one transaction: a failure leaves it planned
     * and without members. The people are read through {@code preparedBy}, the store of the user who prepares it:
     * a campaign reaches only people they may read, and its conditions may name only fields they may see (a hidden
     * field is unknown, as in their lists). The members are written by the platform.
     *
     * @throws ValidationException if the campaign is not planned, has no target group, or the target group's
     *                             conditions name a field or value its people do not have
     */
    public Prepared prepare(SecuredRecordStore preparedBy, long campaignId) {
        SecuredRecordStore records = platformRecords.get();
        return transactions.inTransaction(() -> {
            Record campaign = records.find(CAMPAIGN, campaignId).orElseThrow(() -> refused("campaign", ErrorCodes.REFERENCE_NOT_FOUND,
                    LocalizedText.format("Die Kampagne {0} gibt es nicht", "There is no campaign {0}", campaignId)));
            if (!"planned".equals(campaign.get("status"))) {
                throw refused("status", ErrorCodes.RULE, LocalizedText.of("Nur eine geplante Kampagne wird vorbereitet",
                        "Only a planned campaign is prepared"));
            }
            if (!(campaign.get("target_group") instanceof Number groupId)) {
                throw refused("target_group", ErrorCodes.MISSING_VALUE, LocalizedText.of("Wählen Sie die Zielgruppe der Kampagne",
                        "Choose the campaign's target group"));
            }
            Record group = records.find(TARGET_GROUP, groupId.longValue()).orElseThrow();
            People people = people(group);
            String audience = people.entity();
            List<Filter> conditions = people.filters();
            Long purpose = campaign.get("purpose") instanceof Number id ? id.longValue() : null; // none: a letter
            int pause = campaign.get("skip_contacted_within_days") instanceof Number days ? days.intValue() : 0;

            int queued = 0;
            Map<String, Integer> skipped = new TreeMap<>();
            Set<String> addresses = new HashSet<>();
            String cursor = null;
            do {
                // oldest first: the members are sent in the order the people came in
                RecordPage page = preparedBy.query(audience, new RecordQuery(conditions, List.of(Sort.asc("id")), null,
                        PAGE, cursor));
                // the page's consents in one query, not one per person
                Set<String> consenting = purpose == null ? Set.of() : consents.grantedAmong(page.records().stream()
                        .map(CampaignAudience::address).filter(Objects::nonNull).collect(Collectors.toSet()), purpose);
                Set<Long> bounced = bouncedAmong(records, audience, page.records());
                for (Record person : page.records()) {
                    String email = address(person);
                    String reason = email == null ? "no_address"
                            : !addresses.add(email) ? "duplicate_address"
                            : bounced.contains(person.id()) ? "bounced"
                            : purpose != null && !consenting.contains(email) ? "no_consent"
                            : pause > 0 && reachedWithin(records, email, pause, campaignId) ? "recently_contacted"
                            : null;
                    Map<String, Object> member = new LinkedHashMap<>();
                    member.put("campaign", campaignId);
                    member.put(audience, person.id());
                    if (email != null) {
                        member.put("email", email);
                    }
                    member.put("language", Consents.language(person.get("language")));
                    member.put("status", reason == null ? "queued" : "skipped");
                    if (reason != null) {
                        member.put("skip_reason", reason);
                        skipped.merge(reason, 1, Integer::sum);
                    } else {
                        queued++;
                    }
                    records.create(MEMBER, member);
                }
                cursor = page.nextCursor();
            } while (cursor != null);
            records.update(CAMPAIGN, campaignId, campaign.version(), Map.of("status", "prepared",
                    "prepared_at", OffsetDateTime.now(clock)));
            return new Prepared(queued, skipped);
        });
    }

    /**
     * How many people {@code reader} may read meet the target group's conditions, counted now: before any exclusion
     * (address, consent, contact pause), which preparing the campaign decides per person.
     *
     * @throws ValidationException if the conditions name a field or value the people do not have
     */
    public long count(SecuredRecordStore reader, Record group) {
        People people = people(group);
        return reader.count(people.entity(), new RecordQuery(people.filters(), List.of(), null, 1, null));
    }

    /**
     * How many of the campaign's target group {@code reader} may reach now, counted live in one query: those with an
     * address that has not bounced for good and a granted consent for the campaign's purpose linked to them (the
     * related list {@code consents}). Empty when it cannot be said: no target group, no purpose (a letter), or the
     * reader may not read consents or the bounce flag. Preparing decides per address, and also applies the contact
     * pause; a consent given for the address but not linked to the person counts there and not here.
     *
     * @throws ValidationException if the conditions name a field or value the people do not have
     */
    public java.util.OptionalLong reachable(SecuredRecordStore reader, Record campaign) {
        if (!(campaign.get("target_group") instanceof Number groupId) || !(campaign.get("purpose") instanceof Number purpose)) {
            return java.util.OptionalLong.empty();
        }
        Optional<Record> group = reader.find(TARGET_GROUP, groupId.longValue());
        if (group.isEmpty()) {
            return java.util.OptionalLong.empty();
        }
        People people = people(group.get());
        List<Filter> reachable = new java.util.ArrayList<>(people.filters());
        reachable.add(new Filter("email", FilterOperator.IS_NOT_NULL, null));
        if (models.get().entity(people.entity()).flatMap(e -> e.field(BOUNCED)).isPresent()) {
            reachable.add(new Filter(BOUNCED, FilterOperator.NE, true));
        }
        reachable.add(new Filter("consents.purpose", FilterOperator.EQ, purpose.longValue()));
        reachable.add(new Filter("consents.status", FilterOperator.EQ, Consents.GRANTED));
        try {
            return java.util.OptionalLong.of(reader.count(people.entity(), new RecordQuery(reachable, List.of(), null, 1,
                    null)));
        } catch (ValidationException e) {
            if (e.errors().stream().allMatch(error -> error.field() != null && (error.field().startsWith("consents")
                    || error.field().equals(BOUNCED)))) {
                return java.util.OptionalLong.empty(); // consents or bounces hidden from the reader: nothing to say
            }
            throw e;
        }
    }

    /** The first {@code limit} people of the target group {@code reader} may read, oldest first: whom to preview. */
    public List<Record> sample(SecuredRecordStore reader, Record group, int limit) {
        People people = people(group);
        return reader.query(people.entity(), new RecordQuery(people.filters(), List.of(Sort.asc("id")), null, limit,
                null)).records();
    }

    /**
     * Whom a target group means: records of {@code entity} (contact or lead) meeting {@code filters}.
     *
     * @param entity  the entity of the people, and the campaign member's field that names them
     */
    public record People(String entity, List<Filter> filters) {
    }

    /**
     * The people of a target group: its conditions over its audience; for the contacts of accounts, the conditions
     * are on the contact's account ({@code industry:eq:insurance} as {@code account.industry:eq:insurance}); a static
     * group (a list) only those on its list, through its members ({@code target_group_memberships}).
     *
     * @throws ValidationException if the conditions are not field:operator:value lines
     */
    public static People people(Record group) {
        String audience = String.valueOf(group.get("audience"));
        List<Filter> conditions = conditions(group);
        String entity = audience;
        if (ACCOUNT_CONTACTS.equals(audience)) {
            entity = "contact";
            conditions = conditions.stream().map(f -> new Filter("account." + f.field(), f.operator(), f.value())).toList();
        }
        if ("static".equals(group.get("kind"))) {
            List<Filter> listed = new java.util.ArrayList<>(conditions);
            listed.add(new Filter(LISTED_IN + ".target_group", FilterOperator.EQ, group.id()));
            conditions = listed;
        }
        return new People(entity, conditions);
    }

    /**
     * Which of the people's addresses bounced for good, read by the platform: a preparer from whom the field is hidden
     * must not reach a bounced address either. One query per page.
     */
    private Set<Long> bouncedAmong(SecuredRecordStore records, String audience, List<Record> people) {
        if (people.isEmpty() || models.get().entity(audience).flatMap(e -> e.field(BOUNCED)).isEmpty()) {
            return Set.of();
        }
        return records.query(audience, new RecordQuery(List.of(
                new Filter("id", FilterOperator.IN, people.stream().map(Record::id).toList()),
                new Filter(BOUNCED, FilterOperator.EQ, true)), List.of(), null, PAGE, null)).records().stream()
                .map(Record::id).collect(Collectors.toSet());
    }

    /** The person's address in lower case, or null if they have none. */
    private static String address(Record person) {
        return person.get("email") instanceof String e && !e.isBlank() ? e.strip().toLowerCase(Locale.ROOT) : null;
    }

    private static List<Filter> conditions(Record group) {
        String text = group.get("conditions") instanceof String t ? t : "";
        List<String> lines = text.lines().map(String::strip).filter(l -> !l.isEmpty()).toList();
        try {
            return FilterParameters.parse(lines);
        } catch (IllegalArgumentException e) {
            throw refused("conditions", ErrorCodes.INVALID_OPERATOR, LocalizedText.format("Zielgruppe: {0}", "Target group: {0}", e.getMessage()));
        }
    }

    /** Whether another campaign sent to the address within the last {@code days} days. */
    private boolean reachedWithin(SecuredRecordStore records, String email, int days, long campaignId) {
        return records.query(MEMBER, new RecordQuery(List.of(
                new Filter("email", FilterOperator.EQ, email),
                new Filter("status", FilterOperator.EQ, "sent"),
                new Filter("campaign", FilterOperator.NE, campaignId),
                new Filter("sent_at", FilterOperator.GE, OffsetDateTime.now(clock).minusDays(days))),
                List.of(), null, 1, null)).records().size() > 0;
    }

    private static ValidationException refused(String field, String code, LocalizedText text) {
        return new ValidationException(List.of(new FieldError(field, code, text)));
    }
}
