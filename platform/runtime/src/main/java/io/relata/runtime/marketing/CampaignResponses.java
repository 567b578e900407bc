package io.relata.runtime.marketing;

import io.relata.api.record.Filter;
import io.relata.api.record.FilterOperator;
import io.relata.api.record.Record;
import io.relata.api.record.RecordQuery;
import io.relata.store.RecordWriteHook;
import io.relata.store.SecuredRecordStore;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * How the people a campaign reached responded, kept on their campaign members: {@code clicked}, {@code replied}
 * (the campaign mailbox), {@code registered} (a lead came in with the campaign as its source, from its form or
 * entered by a user), {@code attended} (an event's member, set by a user) and {@code converted} (that lead was converted, or an opportunity names the campaign and the
 * member's contact). A response only moves forward: a converted member stays converted when they reply later.
 */
public final class CampaignResponses {

    /** The responses in the order they count. */
    static final List<String> ORDER = List.of("clicked", "replied", "registered", "attended", "converted");
    static final String FIELD = "campaign";

    private final Supplier<SecuredRecordStore> platformRecords;
    private final Clock clock;

    public CampaignResponses(Supplier<SecuredRecordStore> platformRecords, Clock clock) {
        this.platformRecords = Objects.requireNonNull(platformRecords, "platformRecords");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** Sets the member's response if it counts more than the one it has; the member as stored after. */
    Record respond(SecuredRecordStore records, Record member, String response) {
        String current = member.get("response") instanceof String r ? r : null;
        if (current != null && ORDER.indexOf(current) >= ORDER.indexOf(response)) {
            return member;
        }
        return records.update(CampaignAudience.MEMBER, member.id(), member.version(), Map.of("response", response,
                "responded_at", OffsetDateTime.now(clock)));
    }

    /** The write hook that follows leads and opportunities naming a campaign. */
    public RecordWriteHook hook() {
        return new RecordWriteHook() {
            @Override
            public void written(Written written) {
                Record after = written.after();
                if (after == null || !(after.get(FIELD) instanceof Number campaign)) {
                    return;
                }
                String entity = written.entity().name();
                if (entity.equals("lead")) {
                    boolean converted = "converted".equals(after.get("status"))
                            && (written.before() == null || !"converted".equals(written.before().get("status")));
                    if (written.before() == null || converted) {
                        memberOf(campaign.longValue(), "lead", after.id(), after.get("email"))
                                .ifPresent(m -> respond(platformRecords.get(), m, converted ? "converted" : "registered"));
                    }
                } else if (entity.equals("opportunity") && written.before() == null
                        && after.get("contact") instanceof Number contact) {
                    memberOf(campaign.longValue(), "contact", contact.longValue(), null)
                            .ifPresent(m -> respond(platformRecords.get(), m, "converted"));
                }
            }
        };
    }

    /** The campaign's member for the person: by their record, else by their address. */
    private Optional<Record> memberOf(long campaign, String entity, long id, Object email) {
        SecuredRecordStore records = platformRecords.get();
        Optional<Record> member = first(records, List.of(new Filter("campaign", FilterOperator.EQ, campaign),
                new Filter(entity, FilterOperator.EQ, id)));
        if (member.isEmpty() && email instanceof String address && !address.isBlank()) {
            member = first(records, List.of(new Filter("campaign", FilterOperator.EQ, campaign),
                    new Filter("email", FilterOperator.EQ, address.strip().toLowerCase(java.util.Locale.ROOT))));
        }
        return member;
    }

    private static Optional<Record> first(SecuredRecordStore records, List<Filter> filters) {
        return records.query(CampaignAudience.MEMBER, new RecordQuery(filters, List.of(), null, 1, null)).records()
                .stream().findFirst();
    }
}
