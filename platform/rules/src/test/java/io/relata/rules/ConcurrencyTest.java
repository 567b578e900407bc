package io.relata.rules;

import static io.relata.rules.Fixtures.*;
import static org.assertj.core.api.Assertions.assertThat;

import io.relata.api.model.EntityDefinition;
import io.relata.api.rules.RuleDefinition;
import io.relata.api.rules.RuleFailedException;
import io.relata.api.rules.RuleInput;
import io.relata.api.rules.RuleKind;
import io.relata.api.rules.RuleOutcome;
import io.relata.api.security.Actor;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/** Evaluations from several threads at once: each sees only its own record and user. */
class ConcurrencyTest {

    @Test
    void parallelEvaluationsGiveIsolatedResults() throws Exception {
        RuleDefinition computed = rule("employees", RuleKind.COMPUTED, "employees", """
                let sum = 0;
                for (let i = 0; i < record.name.length; i++) { sum += record.name.charCodeAt(i) % 7; }
                return Number(record.name.substring(1)) * 2;""");
        RuleDefinition check = validation("who", "user.name + ':' + record.name + ':' + record.employees");
        EntityDefinition lead = lead(computed, check);
        int threads = 6;
        int perThread = 150;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        // more threads than cores: a wall-clock deadline of 200 ms would measure the machine's load, not the rules
        try (RuleEngine engine = new RuleEngine(new RuleLimits(100_000, java.time.Duration.ofSeconds(3)), CLOCK)) {
            List<Future<List<String>>> futures = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int thread = t;
                Callable<List<String>> work = () -> {
                    List<String> wrong = new ArrayList<>();
                    Actor actor = Actor.user(thread, "user" + thread, Set.of(), List.of());
                    for (int i = 0; i < perThread; i++) {
                        long n = thread * 10_000L + i;
                        RuleOutcome outcome = engine.evaluate(new RuleInput(lead, values("name", "n" + n), null, actor,
                                RuleInput.RecordLookup.NONE));
                        String expected = "user" + thread + ":n" + n + ":" + (n * 2);
                        if (!outcome.values().get("employees").equals(n * 2)
                                || !outcome.errors().get(0).message().equals(expected)) {
                            wrong.add(expected + " but got " + outcome);
                        }
                        if (i % 50 == 0) {
                            // a runaway rule on this thread now and then: other threads must not notice
                            try {
                                engine.evaluate(newRecord(lead(validation("loop", "while (true) {} return 1")), values()));
                                wrong.add("runaway rule was not stopped");
                            } catch (RuleFailedException expectedFailure) {
                                // stopped
                            }
                        }
                    }
                    return wrong;
                };
                futures.add(pool.submit(work));
            }
            for (Future<List<String>> future : futures) {
                assertThat(future.get()).isEmpty();
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
