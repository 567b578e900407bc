/**
 * The running platform: configuration from the environment, the database pool and platform tables,
 * and the live metadata model (load, validate, migrate the schema, swap). REST resources and Faces views
 * call into this package; it knows nothing about HTTP or pages.
 */
package io.relata.web.runtime;
