/**
 * The metadata model: entities, fields and their types, as admins write them in YAML and as the
 * platform interprets them at runtime. Immutable values only; loading, validating and storing live in
 * other modules. Plugins may read these types; they must not depend on how they are loaded.
 */
package io.relata.api.model;
