package io.relata.runtime.marketing;

import io.relata.api.record.Aggregate;
import io.relata.api.record.Filter;
import io.relata.api.record.FilterOperator;
import io.relata.api.record.Grouping;
import io.relata.api.record.Record;
import io.relata.api.record.RecordQuery;
import io.relata.store.SecuredRecordStore;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Where a campaign's sending stands, counted from its members (so a reload, another user or another node sees the
 * same): how many are queued, sent, failed, in doubt or skipped, and when the queued ones will have gone out at the
 * campaign's rate.
 *
 * @param byStatus the members per status, of those the reader may read
 * @param eta      how long the queued members take at the campaign's rate; zero when none is queued
 */
public record CampaignProgress(Map<String, Long> byStatus, Duration eta) {

    public CampaignProgress {
        byStatus = Map.copyOf(byStatus);
    }

    /** The progress of {@code campaign} as {@code reader} may see it (their rows of the campaign's members). */
    public static CampaignProgress of(SecuredRecordStore reader, Record campaign) {
        Map<String, Long> byStatus = new TreeMap<>();
        for (Grouping.Group group : reader.groups(CampaignAudience.MEMBER, new RecordQuery(List.of(
                new Filter("campaign", FilterOperator.EQ, campaign.id())), List.of(), null, 1, null),
                new Grouping(List.of(Grouping.Key.of("status")), List.of(new Grouping.Measure(Aggregate.COUNT, null))))) {
            byStatus.put(String.valueOf(group.keys().get(0)), ((Number) group.values().get(0)).longValue());
        }
        long queued = byStatus.getOrDefault("queued", 0L);
        return new CampaignProgress(byStatus, Duration.ofSeconds((long) Math.ceil(queued * 60.0
                / CampaignSender.perMinute(campaign))));
    }

    public long count(String status) {
        return byStatus.getOrDefault(status, 0L);
    }

    /** The members a mail is meant for: all but those skipped. */
    public long addressed() {
        return byStatus.values().stream().mapToLong(Long::longValue).sum() - count("skipped");
    }

    /** The members whose mail is done: sent, failed or in doubt. */
    public long done() {
        return count("sent") + count("failed") + count("in_doubt");
    }

    /** The share of the addressed members whose mail is done, 0 to 100. */
    public int percent() {
        long addressed = addressed();
        return addressed == 0 ? 0 : (int) (done() * 100 / addressed);
    }
}
