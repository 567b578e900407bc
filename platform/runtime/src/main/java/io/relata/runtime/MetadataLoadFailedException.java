package io.relata.runtime;

/**
 * Loading the metadata at start-up failed for a reason other than problems in the files: the database refused
 * the schema change, or the loader itself failed. Like invalid metadata, it stops the start with exit status 2,
 * so that a start never hangs half-deployed with the port open.
 */
public class MetadataLoadFailedException extends RuntimeException {

    public MetadataLoadFailedException(String message, Throwable cause) {
        super(message, cause);
    }
}
