/**
 * Where records of metadata-defined entities are stored: one table per entity ({@code rec_<entity>}),
 * one column per field, on H2 and PostgreSQL over plain JDBC.
 *
 * <ul>
 *   <li>{@link io.relata.store.SchemaPlanner} diffs a {@link io.relata.api.model.MetadataModel} against
 *       {@link java.sql.DatabaseMetaData} into a reviewable {@link io.relata.store.SchemaPlan}, after
 *       checking stored values against every change they could contradict ({@link io.relata.store.SchemaConflict});
 *       {@link io.relata.store.SchemaMigrator} applies it in one transaction and undoes it on H2 if a statement
 *       fails.</li>
 *   <li>{@link io.relata.store.JdbcRecordStore} implements {@link io.relata.api.record.RecordStore}: it
 *       converts and validates values ({@link io.relata.store.ValueConverter}), generates SQL from the
 *       metadata and locks optimistically on the {@code version} column.</li>
 *   <li>{@link io.relata.store.JdbcTransactions} lets callers run several store calls in one
 *       transaction.</li>
 *   <li>{@link io.relata.store.SecuredRecordStore} is the store for users: the JDBC store restricted by an
 *       {@link io.relata.store.access.AccessPolicy} (row scopes on the {@code owner_user}/{@code owner_team}
 *       columns in the SQL, hidden and read-only fields), each write audited through an
 *       {@link io.relata.store.AuditSink} in its transaction. {@code JdbcRecordStore} itself stays
 *       unrestricted, for platform work.</li>
 *   <li>Both run the entities' rules through the {@link io.relata.api.rules.RecordRules} contract on every
 *       create, update and replace, inside the write's transaction; the JavaScript engine lives elsewhere
 *       and is passed in. {@link io.relata.store.WritePipeline} decides what a write stores (input, rules,
 *       the {@link io.relata.store.RecordWriteHook} of processes, the rules again on the final record,
 *       checks); {@code SecuredRecordStore.preview} runs it for forms as the user types, and
 *       {@code SecuredRecordStore.reportingTo} tells the writer what processes set.</li>
 * </ul>
 *
 * <p>What this package must not do: drop data or narrow a column on its own (the planner adds and widens, drops
 * only constraints, indexes and empty columns it recreates, and reports the rest as conflicts or warnings; an
 * orphaned table or column is dropped only at an administrator's request); put anything but metadata names into SQL text (every value
 * is a bind parameter, every identifier is checked by {@link io.relata.store.Names}); know about HTTP,
 * sessions or the UI (access decisions come from {@code io.relata.store.access}, the actor from the
 * caller); hold on to a {@link io.relata.api.model.MetadataModel} across calls (the model is swapped on
 * reload, so it is read once per call).
 */
package io.relata.store;
