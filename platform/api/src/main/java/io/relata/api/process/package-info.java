/**
 * Processes (pipeline phases of an entity, with guards, actions and timers) and guided dialogs, as read
 * from {@code metadata/processes/*.yaml}, {@code metadata/dialogs/*.yaml} and {@code metadata/templates/*.yaml}.
 * Immutable values; the running platform interprets them (platform/process).
 */
package io.relata.api.process;
