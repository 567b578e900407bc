package io.relata.runtime;

import io.relata.api.model.MetadataModel;
import io.relata.identity.UserDirectory;
import io.relata.plugins.PluginEngine;
import io.relata.process.dialog.DialogRunner;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Dependent;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Inject;

/**
 * The parts of the running platform that views and resources use, as beans to inject instead of asking
 * {@link Platform} each time. Each is produced when the bean that needs it is created, after the start; none of
 * them changes for the life of the platform (a metadata reload swaps the model inside {@link MetadataRuntime}).
 */
@ApplicationScoped
class PlatformServices {

    @Inject
    Platform platform;

    @Produces
    @Dependent
    UserDirectory users() {
        return platform.users();
    }

    @Produces
    @Dependent
    PluginEngine plugins() {
        return platform.plugins();
    }

    @Produces
    @Dependent
    MetadataRuntime metadata() {
        return platform.metadata();
    }

    @Produces
    @Dependent
    MetadataPublisher publisher() {
        return platform.publisher();
    }

    /** Dialogs run for the user of the request that uses the runner. */
    @Produces
    @Dependent
    DialogRunner dialogs() {
        return platform.dialogs();
    }
}
