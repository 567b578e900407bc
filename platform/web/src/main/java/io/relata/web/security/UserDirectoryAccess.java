package io.relata.web.security;

import io.relata.web.runtime.Platform;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/** Hands beans and resources the user directory of the running platform. */
@ApplicationScoped
public class UserDirectoryAccess {

    @Inject
    Platform platform;

    public UserDirectory directory() {
        return platform.users();
    }

    public ClientAddress clientAddress() {
        return platform.clientAddress();
    }
}
