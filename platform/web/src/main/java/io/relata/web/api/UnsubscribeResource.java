package io.relata.web.api;

import io.relata.runtime.Platform;
import io.relata.runtime.marketing.Consents;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;

/**
 * The unsubscribe address of campaign mails, reached without a login by the secret token in it: the one-click POST a
 * mail program sends for the {@code List-Unsubscribe} and {@code List-Unsubscribe-Post} headers (RFC 8058) withdraws
 * the consent at once; a GET (a person following the link) is sent to the unsubscribe page, whose button does it. An
 * unknown token is a 404 like any unknown address.
 */
@Path("/v1/public/unsubscribe")
public class UnsubscribeResource {

    static final String ONE_CLICK = "List-Unsubscribe=One-Click";

    @Inject
    Platform platform;

    @Context
    UriInfo uri;

    @POST
    @Path("{token}")
    @Operation(summary = "One-click unsubscribe (RFC 8058)", description = "The body is 'List-Unsubscribe=One-Click' "
            + "(application/x-www-form-urlencoded or multipart/form-data, as mail programs send it). Withdraws the "
            + "consent the mail was sent under; again it changes nothing.")
    public Response oneClick(@PathParam("token") String token, String body) {
        if (body == null || !body.contains(ONE_CLICK)) {
            throw new ApiProblem(400, "one_click_body", "Not a one-click unsubscribe",
                    "Send the body '" + ONE_CLICK + "' (RFC 8058), or open the address in a browser", List.of());
        }
        Consents.LinkState state = platform.consents().withdraw(token).orElseThrow(NotFoundException::new);
        return Response.ok(state == Consents.LinkState.OPEN ? "Unsubscribed.\n" : "Already unsubscribed.\n",
                "text/plain; charset=utf-8").build();
    }

    @GET
    @Path("{token}")
    @Operation(summary = "The unsubscribe page", description = "Redirects (303) to the page whose button withdraws the "
            + "consent: following a link changes nothing by itself.")
    public Response page(@PathParam("token") String token) {
        return Response.seeOther(uri.getBaseUriBuilder().replacePath("/unsubscribe.xhtml").queryParam("t", token).build())
                .build();
    }
}
