/**
 * Who may do what: roles as admins declare them in metadata ({@code metadata/roles/*.yaml}), the grants
 * they hold per entity and field, and the {@link io.relata.api.security.Actor} a call runs for. An
 * allow-list throughout: what no role grants is denied. Values only; enforcement lives in the record store.
 */
package io.relata.api.security;
