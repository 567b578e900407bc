package io.relata.web.api;

import io.relata.api.record.Record;
import io.relata.runtime.Jsons;
import io.relata.runtime.Platform;
import io.relata.runtime.marketing.CampaignAudience;
import io.relata.runtime.marketing.CampaignProgress;
import io.relata.runtime.marketing.CampaignResults;
import io.relata.store.SecuredRecordStore;
import jakarta.inject.Inject;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.EntityTag;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;

/**
 * What a campaign does beyond its record ({@code /v1/records/campaign/{id}}): prepare its members, start, pause or
 * cancel the sending. Each needs the caller's right to change the campaign; one they may not read is a 404.
 */
@Path("/v1/campaigns/{id}")
@Produces(MediaType.APPLICATION_JSON)
public class CampaignsResource {

    @Inject
    Platform platform;

    @POST
    @Path("prepare")
    @Operation(summary = "Prepare the campaign", description = "Makes a member per person of its target group that "
            + "the caller may read, queued or skipped with the reason (no_address, duplicate_address, bounced, no_consent, recently_contacted); the "
            + "campaign moves from planned to prepared. Answers {queued, skipped: {reason: count}}.")
    public JsonObject prepare(@PathParam("id") long id) {
        mayChange(id);
        CampaignAudience.Prepared prepared = platform.campaignAudience().prepare(platform.securedRecords(), id);
        return Jsons.createObjectBuilder().add("queued", prepared.queued()).add("skipped", counts(prepared.skipped()))
                .build();
    }

    @POST
    @Path("start")
    @Operation(summary = "Start or resume sending", description = "A prepared or paused campaign sends at its "
            + "messages_per_minute, each member at most once.")
    public Response start(@PathParam("id") long id) {
        mayChange(id);
        return answer(platform.campaignSender().start(id));
    }

    @POST
    @Path("pause")
    @Operation(summary = "Pause sending", description = "Nothing more goes out until it is started again.")
    public Response pause(@PathParam("id") long id) {
        mayChange(id);
        return answer(platform.campaignSender().pause(id));
    }

    @POST
    @Path("cancel")
    @Operation(summary = "Cancel the campaign", description = "Its queued members are never sent.")
    public Response cancel(@PathParam("id") long id) {
        mayChange(id);
        return answer(platform.campaignSender().cancel(id));
    }

    @GET
    @Path("progress")
    @Operation(summary = "The sending's progress", description = "Its members per status (of those the caller may "
            + "read), the share done in percent and the seconds the queued ones take at the campaign's rate: "
            + "{status, members: {status: count}, percent, etaSeconds}.")
    public JsonObject progress(@PathParam("id") long id) {
        Record campaign = readable(id);
        CampaignProgress progress = CampaignProgress.of(platform.securedRecords(), campaign);
        return Jsons.createObjectBuilder().add("status", String.valueOf(campaign.get("status")))
                .add("members", counts(progress.byStatus()))
                .add("percent", progress.percent()).add("etaSeconds", progress.eta().toSeconds()).build();
    }

    @GET
    @Path("results")
    @Operation(summary = "What the campaign brought", description = "Its members per response and per bounce, the "
            + "opportunities attributed to it and those won, the won revenue and the cost (actual, else budget), as far "
            + "as the caller may see them (no revenue without the right to see amounts): {responses, bounces, "
            + "opportunities, won, wonRevenue?, cost?}.")
    public JsonObject results(@PathParam("id") long id) {
        CampaignResults results = CampaignResults.of(platform.securedRecords(), platform.model(), readable(id));
        JsonObjectBuilder answer = Jsons.createObjectBuilder().add("responses", counts(results.responses()))
                .add("bounces", counts(results.bounces()))
                .add("opportunities", results.opportunities()).add("won", results.won());
        results.wonRevenue().ifPresent(v -> answer.add("wonRevenue", v));
        results.cost().ifPresent(v -> answer.add("cost", v));
        return answer.build();
    }

    @POST
    @Path("in-doubt")
    @Operation(summary = "Settle the mails in doubt", description = "Members whose mail was being sent when the server "
            + "stopped: {\"resend\": true} queues them again (a campaign that was done pauses, to be started), false "
            + "counts them as sent. Answers {settled}.")
    @Consumes(MediaType.APPLICATION_JSON)
    public JsonObject settleInDoubt(@PathParam("id") long id, JsonObject body) {
        mayChange(id);
        if (body == null || !body.containsKey("resend")) {
            throw ApiProblem.badRequest("resend", "required", "Say {\"resend\": true} to queue the mails in doubt again "
                    + "or {\"resend\": false} to count them as sent");
        }
        int settled = platform.campaignSender().settleInDoubt(platform.securedRecords(), id,
                Bodies.flag(body, "resend"));
        return Jsons.createObjectBuilder().add("settled", settled).build();
    }

    /** The campaign, if the caller may read it; else a 404. */
    private Record readable(long id) {
        return platform.securedRecords().find(CampaignAudience.CAMPAIGN, id).orElseThrow(NotFoundException::new);
    }

    private static JsonObjectBuilder counts(java.util.Map<String, ? extends Number> counts) {
        JsonObjectBuilder object = Jsons.createObjectBuilder();
        counts.forEach((key, count) -> object.add(key, count.longValue()));
        return object;
    }

    private void mayChange(long id) {
        SecuredRecordStore records = platform.securedRecords();
        Record campaign = readable(id);
        if (!records.policy().allows(CampaignAudience.CAMPAIGN, io.relata.store.access.Operation.UPDATE, campaign)) {
            throw new ApiProblem(403, "access_denied", "Not allowed", "Your roles do not let you change this campaign",
                    List.of());
        }
    }

    private static Response answer(Record campaign) {
        return Response.ok(JsonMapping.record(campaign)).tag(new EntityTag(Long.toString(campaign.version()))).build();
    }
}
