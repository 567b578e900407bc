package io.relata.process;

import io.relata.api.plugin.Integration;
import java.util.Map;
import java.util.Optional;

/**
 * How the {@link Outbox} reaches the integrations of the enabled plugins. The platform's implementation adds the
 * integration's settings, applies the timeout and records every call; the outbox only asks and writes the answer.
 */
@FunctionalInterface
public interface IntegrationGateway {

    /** No integrations: every call is answered "none offers it". */
    IntegrationGateway NONE = (integration, operation, payload, entity, recordId, actor) -> Optional.empty();

    /**
     * @param actor who asks, for the call log, e.g. {@code process:policy_lifecycle}
     * @return the answer, or empty when no enabled plugin offers the integration
     * @throws Exception when the integration failed, timed out or answered garbage (the outbox tries again later)
     */
    Optional<Integration.Response> call(String integration, String operation, Map<String, Object> payload, String entity,
                                        Long recordId, String actor) throws Exception;
}
