package io.relata.runtime.marketing;

import io.relata.api.model.MetadataModel;
import io.relata.api.process.PhaseDefinition;
import io.relata.api.process.PhaseOutcome;
import io.relata.api.process.ProcessDefinition;
import io.relata.api.record.Aggregate;
import io.relata.api.record.Filter;
import io.relata.api.record.FilterOperator;
import io.relata.api.record.Grouping;
import io.relata.api.record.Record;
import io.relata.api.record.RecordException;
import io.relata.api.record.RecordQuery;
import io.relata.store.SecuredRecordStore;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * What a campaign brought, as one reader may see it: its members' responses and bounces, the opportunities
 * attributed to it (their {@code campaign}) and those won, the revenue won against its cost. A figure computed from
 * something the reader may not see is absent: without the right to an opportunity's amount there is no revenue.
 *
 * @param responses    members per response (clicked, replied, registered, converted)
 * @param bounces      members per bounce (hard, soft)
 * @param opportunities the opportunities attributed to the campaign that the reader may read
 * @param won          of those, the ones in a phase whose outcome is success
 * @param wonRevenue   the sum of the won ones' amounts; empty if the reader may not see amounts
 * @param cost         the campaign's actual cost, else its budget; empty if it has neither
 */
public record CampaignResults(Map<String, Long> responses, Map<String, Long> bounces, long opportunities, long won,
                              Optional<BigDecimal> wonRevenue, Optional<BigDecimal> cost) {

    public CampaignResults {
        responses = Map.copyOf(responses);
        bounces = Map.copyOf(bounces);
    }

    public static CampaignResults of(SecuredRecordStore reader, MetadataModel model, Record campaign) {
        Filter ofCampaign = new Filter(CampaignResponses.FIELD, FilterOperator.EQ, campaign.id());
        Map<String, Long> responses = countsBy(reader, CampaignAudience.MEMBER, "response", new Filter("campaign",
                FilterOperator.EQ, campaign.id()));
        Map<String, Long> bounces = countsBy(reader, CampaignAudience.MEMBER, "bounce", new Filter("campaign",
                FilterOperator.EQ, campaign.id()));
        long opportunities = 0;
        long won = 0;
        Optional<BigDecimal> revenue = Optional.empty();
        boolean attributable = model.entity("opportunity").flatMap(e -> e.field(CampaignResponses.FIELD)).isPresent();
        if (attributable) {
            try {
                opportunities = reader.count("opportunity", new RecordQuery(List.of(ofCampaign), List.of(), null, 1, null));
            } catch (RecordException e) {
                attributable = false; // the reader may not read opportunities or their campaign: no figures of them
            }
        }
        if (attributable) {
            List<String> wonPhases = new ArrayList<>();
            String phaseField = "phase";
            for (ProcessDefinition process : model.processesOf("opportunity")) {
                phaseField = process.phaseField();
                for (PhaseDefinition phase : process.phases()) {
                    if (phase.outcome() == PhaseOutcome.SUCCESS) {
                        wonPhases.add(phase.name());
                    }
                }
            }
            if (!wonPhases.isEmpty()) {
                RecordQuery wonQuery = new RecordQuery(List.of(ofCampaign, new Filter(phaseField, FilterOperator.IN,
                        wonPhases)), List.of(), null, 1, null);
                won = reader.count("opportunity", wonQuery);
                try {
                    revenue = Optional.of(reader.aggregate("opportunity", wonQuery, Aggregate.SUM, "amount")
                            .map(v -> new BigDecimal(v.toString())).orElse(BigDecimal.ZERO));
                } catch (RecordException hidden) {
                    revenue = Optional.empty(); // the amount is hidden from the reader, and so is its sum
                }
            }
        }
        Optional<BigDecimal> cost = Optional.ofNullable(campaign.get("actual_cost") instanceof BigDecimal c ? c
                : campaign.get("budget") instanceof BigDecimal b ? b : null);
        return new CampaignResults(responses, bounces, opportunities, won, revenue, cost);
    }

    private static Map<String, Long> countsBy(SecuredRecordStore reader, String entity, String field, Filter filter) {
        Map<String, Long> counts = new TreeMap<>();
        try {
            for (Grouping.Group group : reader.groups(entity, new RecordQuery(List.of(filter, new Filter(field,
                    FilterOperator.IS_NOT_NULL, null)), List.of(), null, 1, null), new Grouping(List.of(Grouping.Key.of(field)),
                    List.of(new Grouping.Measure(Aggregate.COUNT, null))))) {
                counts.put(String.valueOf(group.keys().get(0)), ((Number) group.values().get(0)).longValue());
            }
        } catch (RecordException hidden) {
            // the field is hidden from the reader: no figures of it
        }
        return counts;
    }

    /** The revenue won less the cost, if both are known. */
    public Optional<BigDecimal> net() {
        return wonRevenue.flatMap(r -> cost.map(r::subtract));
    }

    public long responded() {
        return responses.values().stream().mapToLong(Long::longValue).sum();
    }
}
