/**
 * Process figures computed from the phase stamps ({@code crm_phase_stamp}), without any report building:
 * cases started and ended per day/week/month, outcomes and closing reasons, duration per case, cycle time
 * between two phases, conversion per phase and time spent per phase. {@link io.relata.process.kpi.ProcessKpis}
 * aggregates the stamps in the database with one statement (window functions, then GROUP BY) and reads back a few
 * rows per figure; the results are immutable records that the web layer shows on the KPI page, in the API and in
 * dashboard widgets.
 *
 * <p>It only reads: it never writes stamps or cases. Figures are always those of one viewer: computed over
 * the records they may read, without what they may not see (the store's {@link io.relata.store.ReadScope}).
 */
package io.relata.process.kpi;
