/**
 * The rule benchmark (issue 4): the same lead score rule and opportunity validation rule run three ways,
 * through the platform's {@link io.relata.rules.RuleEngine} (GraalJS sandbox), through Nashorn standalone
 * ({@link io.relata.bench.NashornRules}) and as plain Java ({@link io.relata.bench.JavaRules}), over the same
 * seeded records ({@link io.relata.bench.Records}). {@link io.relata.bench.RulesBenchmark} holds the JMH
 * benchmarks; bench/run.sh runs them. Nothing here is used by the platform at run time.
 */
package io.relata.bench;
