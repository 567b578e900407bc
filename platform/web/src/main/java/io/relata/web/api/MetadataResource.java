package io.relata.web.api;

import io.relata.api.model.EntityDefinition;
import io.relata.api.model.MetadataModel;
import io.relata.api.security.FieldAccess;
import io.relata.store.access.AccessPolicy;
import io.relata.runtime.Jsons;
import io.relata.web.security.CurrentActor;
import io.relata.api.record.UnknownEntityException;
import io.relata.runtime.Platform;
import jakarta.inject.Inject;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;

/** The entities of the metadata model in force, so clients can build forms and validate before sending. */
@Path("/v1/metadata/entities")
@Produces(MediaType.APPLICATION_JSON)
public class MetadataResource {

    @Inject
    Platform platform;

    @Inject
    CurrentActor me;

    @GET
    @Operation(summary = "List the entities")
    public JsonObject entities() {
        MetadataModel model = platform.model();
        AccessPolicy access = platform.access(me.actor());
        JsonArrayBuilder items = Jsons.createArrayBuilder();
        model.allEntities().stream().filter(e -> access.canRead(e.name())).forEach(e -> items.add(JsonMapping.entitySummary(e, platform.metadata()::layerOf)));
        return Jsons.createObjectBuilder().add("revision", model.revision()).add("items", items).build();
    }

    @GET
    @Path("{entity}")
    @Operation(summary = "One entity with its fields and reverse lists")
    public JsonObject entity(@PathParam("entity") String name) {
        MetadataModel model = platform.model();
        AccessPolicy access = platform.access(me.actor());
        EntityDefinition entity = model.entity(name).filter(e -> access.canRead(e.name()))
                .orElseThrow(() -> new UnknownEntityException(name));
        // Only what this user may see: no hidden fields, no lists of entities they cannot read.
        EntityDefinition visible = entity.withFields(entity.fields().stream()
                .filter(f -> access.fieldAccess(name, f.name()) != FieldAccess.HIDDEN).toList());
        return JsonMapping.entity(visible, model, access, platform.metadata()::layerOf);
    }
}
