package io.relata.web.ui;

import io.relata.runtime.Platform;
import jakarta.enterprise.inject.spi.CDI;

/** Lookup for view-state objects that are serialised between requests and so cannot hold the platform. */
final class Platforms {

    private Platforms() {
    }

    static Platform current() {
        return CDI.current().select(Platform.class).get();
    }
}
