package io.relata.web.api;

import io.relata.plugins.PluginEngine;
import io.relata.runtime.Platform;
import io.relata.plugins.PluginLedger;
import io.relata.plugins.PluginRefusedException;
import io.relata.runtime.Jsons;
import io.relata.web.security.CurrentActor;
import jakarta.inject.Inject;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;

/**
 * Plugins, for administrators: list, install (the jar as the request body), upgrade, enable, disable, remove, and
 * each plugin's history. Every change is checked whole first; a refused one answers 422 with every reason and
 * changes nothing.
 */
@Path("/v1/admin/plugins")
@Produces(MediaType.APPLICATION_JSON)
public class PluginsResource {

    /** The largest plugin jar accepted (plugins bundle their libraries). */
    static final long MAX_JAR_BYTES = 64L * 1024 * 1024;

    @Inject
    Platform platform;

    @Inject
    PluginEngine engine;

    @Inject
    CurrentActor me;

    @GET
    @Operation(summary = "Installed plugins", description = "Each with version, provider, state (ENABLED, DISABLED, "
            + "FAILED with its reason), what it provides, the files of its metadata layer, who installed it when, the "
            + "jar's SHA-256 and the version it replaced.")
    public JsonObject list() {
        AdminResource.requireAdministrator(platform, me);
        JsonArrayBuilder items = Jsons.createArrayBuilder();
        engine.plugins().forEach(p -> items.add(plugin(p)));
        return Jsons.createObjectBuilder().add("items", items).build();
    }

    @GET
    @Path("{id}/history")
    @Operation(summary = "What happened to a plugin", description = "Installs, upgrades, enables, disables, removals, "
            + "refusals and failures to start, newest first.")
    public JsonObject history(@PathParam("id") String id) {
        AdminResource.requireAdministrator(platform, me);
        JsonArrayBuilder items = Jsons.createArrayBuilder();
        for (PluginLedger.Event event : engine.history(id, 200)) {
            JsonObjectBuilder item = Jsons.createObjectBuilder()
                    .add("action", event.action().name())
                    .add("actor", event.actor())
                    .add("at", event.at().toString());
            optional(item, "version", event.version());
            optional(item, "previousVersion", event.previousVersion());
            optional(item, "sha256", event.sha256());
            optional(item, "detail", event.detail());
            items.add(item);
        }
        return Jsons.createObjectBuilder().add("items", items).build();
    }

    @POST
    @Consumes({"application/java-archive", MediaType.APPLICATION_OCTET_STREAM})
    @Operation(summary = "Install a plugin", description = "The body is the plugin jar. The manifest, the platform "
            + "version, the dependencies, the plugin's start and the metadata of all layers together are checked "
            + "first; refused: 422 with every reason (file:line:col for metadata), nothing changed.")
    public JsonObject install(@QueryParam("fileName") String fileName, InputStream jar) throws PluginRefusedException {
        AdminResource.requireAdministrator(platform, me);
        return withUpload(jar, fileName, (upload, name) -> engine.install(upload, name, me.actor().username()));
    }

    @PUT
    @Path("{id}")
    @Consumes({"application/java-archive", MediaType.APPLICATION_OCTET_STREAM})
    @Operation(summary = "Upgrade a plugin", description = "The body is the new version's jar; its Plugin-Id must be "
            + "{id}. Without a restart: new calls reach the new version at once, calls running on the old one finish on "
            + "it, then the old version is closed.")
    public JsonObject upgrade(@PathParam("id") String id, @QueryParam("fileName") String fileName, InputStream jar)
            throws PluginRefusedException {
        AdminResource.requireAdministrator(platform, me);
        return withUpload(jar, fileName, (upload, name) -> {
            String uploadedId = io.relata.plugins.PluginManifest.idOf(upload, name);
            if (!id.equals(uploadedId)) {
                throw ApiProblem.badRequest("id", "plugin_id_mismatch", "The jar is the plugin '" + uploadedId
                        + "', not '" + id + "': upgrade it at /api/v1/admin/plugins/" + uploadedId);
            }
            return engine.upgrade(upload, name, me.actor().username());
        });
    }

    @POST
    @Path("{id}/enable")
    @Operation(summary = "Enable a plugin")
    public JsonObject enable(@PathParam("id") String id) throws PluginRefusedException {
        AdminResource.requireAdministrator(platform, me);
        return plugin(engine.enable(id, me.actor().username())).build();
    }

    @POST
    @Path("{id}/disable")
    @Operation(summary = "Disable a plugin", description = "Its entities are hidden; their data stays.")
    public JsonObject disable(@PathParam("id") String id) throws PluginRefusedException {
        AdminResource.requireAdministrator(platform, me);
        return plugin(engine.disable(id, me.actor().username())).build();
    }

    @DELETE
    @Path("{id}")
    @Operation(summary = "Uninstall a plugin", description = "Removes the jar. The data of its entities stays in the "
            + "database (as orphaned tables) and is there again when the plugin is installed again; its history stays.")
    public JsonObject uninstall(@PathParam("id") String id) throws PluginRefusedException {
        AdminResource.requireAdministrator(platform, me);
        engine.uninstall(id, me.actor().username());
        return Jsons.createObjectBuilder().add("uninstalled", id).build();
    }

    @FunctionalInterface
    private interface UploadWork {
        PluginEngine.PluginInfo apply(java.nio.file.Path upload, String fileName) throws PluginRefusedException;
    }

    private JsonObject withUpload(InputStream body, String fileName, UploadWork work) throws PluginRefusedException {
        String name = fileName == null || fileName.isBlank() ? "upload.jar" : java.nio.file.Path.of(fileName).getFileName().toString();
        java.nio.file.Path upload = null;
        try {
            upload = Files.createTempFile("relata-plugin-upload-", ".jar");
            long copied = copyAtMost(body, upload, MAX_JAR_BYTES);
            if (copied == 0) {
                throw ApiProblem.badRequest("body", "empty_body", "Send the plugin jar as the request body "
                        + "(Content-Type: application/java-archive), e.g. curl --data-binary @plugin.jar");
            }
            return plugin(work.apply(upload, name)).build();
        } catch (IOException e) {
            throw ApiProblem.badRequest("body", "unreadable_body", "The plugin jar could not be received: " + e.getMessage());
        } finally {
            if (upload != null) {
                try {
                    Files.deleteIfExists(upload);
                } catch (IOException ignored) {
                    // a temp file; the OS cleans up
                }
            }
        }
    }

    private static long copyAtMost(InputStream in, java.nio.file.Path target, long max) throws IOException {
        long total = 0;
        byte[] buffer = new byte[64 * 1024];
        try (OutputStream out = Files.newOutputStream(target)) {
            for (int read; (read = in.read(buffer)) != -1; ) {
                total += read;
                if (total > max) {
                    throw new ApiProblem(413, "body-too-large", "Plugin jar too large", "A plugin jar may have at most "
                            + max + " bytes", List.of());
                }
                out.write(buffer, 0, read);
            }
        }
        return total;
    }

    private JsonObjectBuilder plugin(PluginEngine.PluginInfo info) {
        PluginLedger.Installed recorded = info.recorded();
        JsonObjectBuilder item = Jsons.createObjectBuilder()
                .add("id", recorded.id())
                .add("version", recorded.version())
                .add("provider", recorded.provider())
                .add("state", info.state().name())
                .add("enabled", recorded.enabled())
                .add("installedBy", recorded.installedBy())
                .add("installedAt", recorded.installedAt().toString())
                .add("sha256", recorded.sha256())
                .add("extensions", strings(info.extensions()))
                .add("layerFiles", strings(info.layerFiles()));
        optional(item, "previousVersion", recorded.previousVersion());
        optional(item, "description", info.description());
        if (info.problem() != null) {
            item.add("problem", info.problem().in(me.actor().language()));
        }
        return item;
    }

    private static JsonArrayBuilder strings(List<String> values) {
        JsonArrayBuilder array = Jsons.createArrayBuilder();
        values.forEach(array::add);
        return array;
    }

    private static void optional(JsonObjectBuilder item, String name, String value) {
        if (value != null) {
            item.add(name, value);
        }
    }
}
