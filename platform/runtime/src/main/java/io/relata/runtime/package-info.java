/**
 * The platform assembled from its modules. For now: metadata checked by the real rule engine
 * ({@link io.relata.runtime.EngineRuleVerifier}), which the web module and plugins' own tests use alike; the wiring
 * that still lives in the web module ({@code Platform}, {@code MetadataRuntime}, database and settings) moves here.
 */
package io.relata.runtime;
