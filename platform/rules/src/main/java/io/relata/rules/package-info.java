/**
 * The rules engine: compiles and runs the JavaScript rules of the metadata in a GraalJS sandbox and
 * implements {@link io.relata.api.rules.RecordRules}. Scripts see only the documented rule API (docs/rules.md);
 * no host class, file, thread, process, network or environment is reachable, and a runaway script is stopped.
 */
package io.relata.rules;
