/**
 * Users, teams, passwords, API tokens and the login log: who may log in and as whom. The entry point is
 * {@link io.relata.identity.UserDirectory}; the runtime creates it on the platform's {@link io.relata.identity.PersistenceUnit}.
 */
package io.relata.identity;
