/**
 * Rules: JavaScript that admins and partners attach to entities in metadata (validation, computed
 * fields, defaults, visible/required/read-only conditions, scores), the examples that test them, and the
 * {@link io.relata.api.rules.RecordRules} contract through which the record store runs them. What a rule
 * script can see is documented in docs/rules.md; nothing of the host is reachable from a script.
 */
package io.relata.api.rules;
