/**
 * Who may do what with records, decided without touching the database: {@link
 * io.relata.store.access.AccessPolicy} combines an {@link io.relata.api.security.Actor}'s roles from the
 * {@link io.relata.api.model.MetadataModel} into scopes per operation and access per field, and explains a
 * decision for one record ({@link io.relata.store.access.AccessExplanation}).
 *
 * <p>What this package must not do: enforce anything (that is {@link io.relata.store.SecuredRecordStore}'s
 * job, in SQL), read the database, log, or cache a policy across calls (roles change with the model).
 */
package io.relata.store.access;
