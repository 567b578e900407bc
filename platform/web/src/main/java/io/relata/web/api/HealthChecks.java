package io.relata.web.api;

import io.relata.web.runtime.Platform;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** Ready when the metadata is loaded and the database answers; served by Payara at /health/ready. */
@Readiness
@ApplicationScoped
public class HealthChecks implements HealthCheck {

    @Inject
    Platform platform;

    @Override
    public HealthCheckResponse call() {
        var response = HealthCheckResponse.named("crm");
        if (!platform.isStarted()) {
            return response.down().withData("reason", "not started").build();
        }
        try (var connection = platform.database().dataSource().getConnection()) {
            boolean valid = connection.isValid(2);
            return response.status(valid)
                    .withData("metadataRevision", platform.model().revision())
                    .withData("entities", platform.model().entities().size())
                    .build();
        } catch (java.sql.SQLException e) {
            return response.down().withData("database", e.getMessage()).build();
        }
    }
}
