/**
 * The REST API (JSON, version 1): metadata, records and admin actions, errors as RFC 9457
 * problem+json. Resources translate HTTP to calls on the runtime and the record store; they hold no
 * business rules of their own.
 */
package io.relata.web.api;
