/**
 * The platform assembled from its modules, wired in one place ({@link io.relata.runtime.Platform}): configuration
 * from the environment, the database pool and platform tables, the live metadata model (load, validate, migrate
 * the schema, swap), the record store with processes, timers and outbox, the plugin engine, users and the audit
 * log. REST resources and Faces views call into this package; it knows nothing about HTTP or pages (the request's
 * user reaches it through {@link io.relata.runtime.RequestActor}).
 */
package io.relata.runtime;
