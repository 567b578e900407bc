package io.relata.rules;

import static io.relata.rules.Fixtures.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.relata.api.model.EntityDefinition;
import io.relata.api.rules.RuleExample;
import io.relata.api.rules.RuleFailedException;
import io.relata.api.rules.RuleKind;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * Which clock stops a rule: checks and examples at metadata load never depend on the wall clock (a busy
 * machine starts slowly, it does not fail), runs on saves do, at ten times the timeout; CPU time bounds both.
 * The clocks the watchdog reads are replaced here so that the outcome does not depend on this machine's load.
 */
class RuleTimeLimitsTest {

    /** 1 ms per run: the watchdog looks every millisecond. */
    private static final RuleLimits TINY = new RuleLimits(100_000, Duration.ofMillis(1));

    /** A score rule that works for a while (a few milliseconds, far more than the watchdog's period). */
    private static final String BUSY_SCORE = "let s = 0; for (let i = 0; i < 20000; i++) { s += i % 3; } return s > 0 ? 7 : 0;";

    /** Every reading of the wall clock is an hour after the last; the rule's thread never gets a CPU. */
    private static final class Starved implements ContextPool.RunClocks {
        private final AtomicLong wall = new AtomicLong();

        @Override
        public long wallNanos() {
            return wall.addAndGet(Duration.ofHours(1).toNanos());
        }

        @Override
        public long cpuNanos(Thread thread) {
            return 0;
        }
    }

    /** The wall clock stands still; every reading of a thread's CPU time is a second after the last. */
    private static final class Spinning implements ContextPool.RunClocks {
        private final AtomicLong cpu = new AtomicLong();

        @Override
        public long wallNanos() {
            return 0;
        }

        @Override
        public long cpuNanos(Thread thread) {
            return cpu.addAndGet(Duration.ofSeconds(1).toNanos());
        }
    }

    private static EntityDefinition leadWithScore(String score, Map<String, Object> expect) {
        return lead(List.of(rule("score", RuleKind.SCORE, "score", score)),
                List.of(new RuleExample("busy", Map.of("name", "Anna"), null, List.of(), expect, START)));
    }

    @Test
    void examplesAtLoadPassHoweverLateTheWallClockSaysItIs() {
        EntityDefinition lead = leadWithScore(BUSY_SCORE, Map.of("score", 7));
        try (RuleEngine engine = new RuleEngine(TINY, CLOCK, new Starved())) {
            assertThat(engine.check(lead)).isEmpty();
            assertThat(engine.runExamples(lead)).isEmpty();
        }
    }

    @Test
    void anEndlessLoopInAnExampleIsStoppedByItsStatementsNotByTime() {
        EntityDefinition lead = leadWithScore("while (true) {} return 1;", Map.of("score", 1));
        try (RuleEngine engine = new RuleEngine(TINY, CLOCK, new Starved())) {
            assertThat(engine.runExamples(lead)).singleElement().satisfies(p -> {
                assertThat(p.code()).isEqualTo(RuleProblem.RULE_FAILED);
                assertThat(p.file()).isEqualTo(FILE);
                assertThat(p.line()).isEqualTo(START.line());
                assertThat(p.message()).isEqualTo(
                        "Example 'busy': The rule 'score' failed: it ran more than 100000 statements.");
            });
        }
    }

    @Test
    void afterAnExampleRunsOverALimitTheExamplesAfterItAreNotRun() {
        List<RuleExample> examples = List.of(
                new RuleExample("first", Map.of("name", "Anna"), null, List.of(), Map.of("score", 1), START),
                new RuleExample("second", Map.of("name", "Bea"), null, List.of(), Map.of("score", 1), START),
                new RuleExample("third", Map.of("name", "Cleo"), null, List.of(), Map.of("score", 1), START));
        EntityDefinition lead = lead(List.of(rule("score", RuleKind.SCORE, "score", "while (true) {} return 1;")),
                examples);
        try (RuleEngine engine = new RuleEngine(TINY, CLOCK, new Starved())) {
            assertThat(engine.runExamples(lead)).extracting(RuleProblem::message).containsExactly(
                    "Example 'first': The rule 'score' failed: it ran more than 100000 statements.",
                    "This example and the 1 after it were not run: the rule 'score' ran over its limit in example "
                            + "'first'.");
        }
    }

    @Test
    void aRunOnASaveThatWaitsTooLongIsStoppedByTheWallClock() {
        // few statements, much work per statement: the statement limit would take many seconds to stop it
        EntityDefinition lead = leadWithScore("while (true) { 'x'.repeat(100000).indexOf('y'); } return 1;", Map.of());
        try (RuleEngine engine = new RuleEngine(new RuleLimits(2_000_000, Duration.ofMillis(1)), CLOCK, new Starved())) {
            assertThatThrownBy(() -> engine.evaluate(newRecord(lead, values("name", "Anna"))))
                    .isInstanceOf(RuleFailedException.class)
                    .hasMessageContaining("it did not finish within 10 ms (the server is overloaded, or the rule "
                            + "waited for something)");
        }
    }

    @Test
    void aRuleThatComputesTooLongIsStoppedByItsCpuTimeAlsoAtLoad() {
        EntityDefinition lead = leadWithScore("while (true) { 'x'.repeat(100000).indexOf('y'); } return 1;",
                Map.of("score", 1));
        try (RuleEngine engine = new RuleEngine(new RuleLimits(2_000_000, Duration.ofMillis(200)), CLOCK,
                new Spinning())) {
            assertThat(engine.runExamples(lead)).singleElement().satisfies(p -> assertThat(p.message())
                    .isEqualTo("Example 'busy': The rule 'score' failed: it ran longer than 200 ms."));
            assertThatThrownBy(() -> engine.evaluate(newRecord(lead, values("name", "Anna"))))
                    .hasMessageContaining("it ran longer than 200 ms");
        }
    }

    @Test
    void aRunOnASaveIsNotStoppedWhileItGetsNoCpu() {
        EntityDefinition lead = leadWithScore(BUSY_SCORE, Map.of());
        // the wall clock stands still and no CPU is used: neither limit is reached, however long it takes
        ContextPool.RunClocks idle = new ContextPool.RunClocks() {
            @Override
            public long wallNanos() {
                return 0;
            }

            @Override
            public long cpuNanos(Thread thread) {
                return 0;
            }
        };
        try (RuleEngine engine = new RuleEngine(TINY, CLOCK, idle)) {
            assertThat(engine.evaluate(newRecord(lead, values("name", "Anna"))).values()).containsEntry("score", 7L);
        }
    }
}
