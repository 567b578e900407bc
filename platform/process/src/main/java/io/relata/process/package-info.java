/**
 * Runs the processes and guided dialogs of the metadata model.
 * <ul>
 *   <li>{@link io.relata.process.ProcessEngine} takes part in every record write (a
 *       {@link io.relata.store.RecordWriteHook}): chooses a record's process, checks phase moves (transitions,
 *       required fields, closing reasons, guards), makes automatic moves, stamps every change, runs the phases'
 *       actions and starts their timers, all in the write's transaction.</li>
 *   <li>{@link io.relata.process.Timers} fires due timers exactly once, also with several nodes.</li>
 *   <li>{@link io.relata.process.Outbox} delivers e-mails, webhooks and extension calls after commit, at most
 *       once, with retries.</li>
 *   <li>{@link io.relata.process.ProcessCases} is what the UI and the API read: case, next phases, history,
 *       timers.</li>
 *   <li>Sub-packages: {@code kpi} computes process figures from the stamps, {@code diagram} draws processes
 *       (SVG, BPMN 2.0), {@code dialog} runs guided dialogs.</li>
 * </ul>
 * Plain Java over the record store's JDBC transactions: no CDI, no container resources, no user tables. The web
 * module wires it (data source, clock, users through {@link io.relata.process.Assignees}, SMTP from the
 * environment) and calls {@code Timers.fireDue()} and {@code Outbox.deliver()} from a scheduler. Nothing here
 * checks who may see or change a record: writes go through the caller's (secured) store, reads are shown only
 * for records the caller may read.
 */
package io.relata.process;
