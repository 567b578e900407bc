package io.relata.web.api;

import jakarta.ws.rs.ApplicationPath;
import jakarta.ws.rs.core.Application;
import org.eclipse.microprofile.openapi.annotations.OpenAPIDefinition;
import org.eclipse.microprofile.openapi.annotations.info.Info;

@ApplicationPath("/api")
@OpenAPIDefinition(info = @Info(title = "Relata CRM API", version = "1",
        description = "Records and metadata of a Relata CRM. The entities and fields are defined by the "
                + "metadata: GET /api/v1/metadata/entities lists them."))
public class RestApplication extends Application {
}
