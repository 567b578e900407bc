package io.relata.runtime;

import io.relata.metadata.MetadataException;
import io.relata.store.SchemaMigrationException;

/**
 * How a failed start ends the process when the run command asks for it ({@code crm.exit.on.startup.failure}):
 * status 2 for metadata that is invalid or cannot be loaded, whatever the cause, 3 for invalid settings and every
 * other failure, so that nobody mistakes a half-started CRM for a running one.
 */
public final class StartFailure {

    public static final int EXIT_INVALID_METADATA = 2;
    public static final int EXIT_START_FAILED = 3;

    private StartFailure() {
    }

    /** The exit status for what stopped a start. */
    public static int exitStatus(Throwable failure) {
        return failure instanceof MetadataException || failure instanceof MetadataLoadFailedException
                || failure instanceof SchemaConflictException || failure instanceof SchemaMigrationException
                ? EXIT_INVALID_METADATA : EXIT_START_FAILED;
    }

    /** Whether a failed start ends the process; read on its own, since another setting may be what is invalid. */
    public static boolean exitRequested() {
        try {
            return Settings.EXIT_ON_STARTUP_FAILURE.value(Setting.Source.SYSTEM);
        } catch (InvalidSettingException e) {
            return false;
        }
    }
}
