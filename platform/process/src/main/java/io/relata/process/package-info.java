/**
 * Runs the processes and guided dialogs of the metadata model: {@code ProcessEngine} takes part in every
 * record write (guards, required fields, closing reasons, phase stamps, actions, timers), {@code Timers}
 * fires due timers exactly once, {@code Outbox} delivers e-mails, webhooks and extension calls after commit;
 * {@code kpi} computes process figures from the stamps, {@code diagram} draws processes (SVG, BPMN 2.0).
 */
package io.relata.process;
