package io.relata.web.api;

import io.relata.runtime.Platform;
import io.relata.runtime.orders.Contracts;
import jakarta.inject.Inject;
import jakarta.json.JsonObject;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;

/** Renewing a contract ({@code /v1/records/contract/{id}} is the record), with the caller's rights. */
@Path("/v1/contracts/{id}")
public class ContractsResource {

    @Inject
    Platform platform;

    @POST
    @Path("renewal")
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Renew the contract", description = "Of an active contract or one up for renewal: a renewal "
            + "opportunity with a draft quote holding the contract's current lines; the contract becomes renewed. "
            + "Answers {contract, opportunity, quote}.")
    public JsonObject renew(@PathParam("id") long id) {
        if (!platform.contracts().available()) {
            throw new NotFoundException("This CRM has no contracts made from quotes");
        }
        Contracts.Renewal renewal = platform.contracts().renew(platform.securedRecords(), id);
        return io.relata.runtime.Jsons.createObjectBuilder().add("contract", JsonMapping.record(renewal.contract()))
                .add("opportunity", JsonMapping.record(renewal.opportunity()))
                .add("quote", JsonMapping.record(renewal.quote())).build();
    }
}
