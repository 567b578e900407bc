package io.relata.web.security;

import io.relata.runtime.Platform;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Dependent;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Inject;

/** Gives the web layer the client address of a request, read behind the proxies the configuration trusts. */
@ApplicationScoped
public class ClientAddressProducer {

    @Inject
    Platform platform;

    @Produces
    @Dependent
    ClientAddress clientAddress() {
        return new ClientAddress(platform.config().trustedProxies());
    }
}
