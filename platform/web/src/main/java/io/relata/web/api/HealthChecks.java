package io.relata.web.api;

import io.relata.runtime.Platform;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * Ready when the metadata is loaded and the database answers; served by Payara at /health/ready, without login
 * (monitors probe it), so the answer holds nothing but the state: the database's error goes to the log.
 */
@Readiness
@ApplicationScoped
public class HealthChecks implements HealthCheck {

    private static final Logger LOG = Logger.getLogger(HealthChecks.class.getName());

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
            LOG.log(Level.WARNING, "Readiness: the database does not answer", e);
            return response.down().withData("database", "not answering").build();
        }
    }
}
