package io.relata.web.api;

import io.relata.runtime.Platform;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import org.eclipse.microprofile.openapi.annotations.Operation;

/**
 * The links of campaign mails that count clicks (a campaign with {@code track_clicks}), reached without a login by
 * the secret token in them: the click is the member's response, and the browser goes on to the link as written. An
 * unknown token is a 404 like any unknown address.
 */
@Path("/v1/public/r")
public class CampaignLinksResource {

    @Inject
    Platform platform;

    @GET
    @Path("{token}")
    @Operation(summary = "Follow a campaign mail's link", description = "Counts the click as the recipient's response "
            + "and redirects (302) to the link.")
    public Response follow(@PathParam("token") String token) {
        String url = platform.campaignLinks().follow(token).orElseThrow(NotFoundException::new);
        return Response.status(Response.Status.FOUND).location(URI.create(url)).build();
    }
}
