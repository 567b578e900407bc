/**
 * The rule engine: runs the JavaScript rules of metadata entities in a GraalJS sandbox and checks them on
 * metadata load. {@link io.relata.rules.RuleEngine} is the entry point (the platform's
 * {@link io.relata.api.rules.RecordRules}); {@link io.relata.rules.RuleProblem} reports load-time problems,
 * {@link io.relata.rules.RuleLimits} bounds each run.
 * <p>
 * This package must never hand a host object to a script: values cross as JavaScript primitives (lists and
 * maps as JSON text) into frozen objects made in the guest, results come back through the polyglot
 * {@code Value} API. It does not read or write records itself: related records come
 * through {@link io.relata.api.rules.RuleInput.RecordLookup}, and the record store applies the outcome.
 * The script API is documented for admins in docs/rules.md, the sandbox design in
 * docs/decisions/0004-rules-sandbox.md.
 */
package io.relata.rules;
