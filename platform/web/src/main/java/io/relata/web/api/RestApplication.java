package io.relata.web.api;

import jakarta.ws.rs.ApplicationPath;
import jakarta.ws.rs.core.Application;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.OpenAPIDefinition;
import org.eclipse.microprofile.openapi.annotations.info.Info;

@ApplicationPath("/api")
@OpenAPIDefinition(info = @Info(title = "Relata CRM API", version = "1",
        description = "Records and metadata of a Relata CRM. The entities and fields are defined by the "
                + "metadata: GET /api/v1/metadata/entities lists them."))
public class RestApplication extends Application {

    /**
     * No WADL: Jersey would describe every endpoint at /api/application.wadl and in answer to any OPTIONS request.
     * The API is described once, by the OpenAPI document at /openapi, for administrators.
     */
    @Override
    public Map<String, Object> getProperties() {
        return Map.of("jersey.config.server.wadl.disableWadl", true);
    }
}
