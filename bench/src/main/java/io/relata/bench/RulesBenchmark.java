package io.relata.bench;

import io.relata.api.rules.RuleInput;
import io.relata.api.model.EntityDefinition;
import io.relata.rules.RuleEngine;
import io.relata.rules.RuleLimits;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * One operation = one record through one rule, the records taken in turn from {@link Records}. The engine
 * variants do what a record write does: {@link RuleEngine#evaluate} with the whole sandbox path (values in,
 * frozen objects, deadline and statement limit, result conversion); the Nashorn variants call the compiled function and
 * convert the result the same way; the Java variants compute the result directly. bench/run.sh sets forks,
 * iterations and the JVM flags for compiled GraalJS; the defaults below are the same.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(1)
@Warmup(iterations = 5, time = 10)
@Measurement(iterations = 5, time = 5)
public class RulesBenchmark {

    private static final int MASK = Records.COUNT - 1;

    /** The input records and the cursor over them. */
    @State(Scope.Thread)
    public static class Inputs {
        final Map<String, Object>[] leads = array(Records.leads());
        final Map<String, Object>[] opportunities = array(Records.opportunities());
        int next;

        Map<String, Object> lead() {
            return leads[next++ & MASK];
        }

        Map<String, Object> opportunity() {
            return opportunities[next++ & MASK];
        }

        @SuppressWarnings("unchecked")
        private static Map<String, Object>[] array(List<Map<String, Object>> records) {
            return records.toArray(new Map[0]);
        }
    }

    /**
     * The platform's engine, as the application creates it, with a fixed clock and the default statement limit,
     * but a deadline of 5 s instead of 200 ms: on the shared 2-core machine a single evaluation during warm-up
     * (JIT compilation, GC, other builds) has taken more than 200 ms, and one failed evaluation aborts the whole
     * JMH benchmark. The deadline machinery costs the same whatever its length.
     */
    @State(Scope.Benchmark)
    public static class Engine {
        static final RuleLimits LIMITS = new RuleLimits(RuleLimits.DEFAULT.statementLimit(), Duration.ofSeconds(5));
        RuleEngine engine;
        final EntityDefinition lead = BenchRules.lead();
        final EntityDefinition opportunity = BenchRules.opportunity();

        @Setup(Level.Trial)
        public void start() {
            engine = new RuleEngine(LIMITS, BenchRules.CLOCK);
            System.out.println();
            System.out.println("# Relata: " + engine.mode());
        }

        @TearDown(Level.Trial)
        public void stop() {
            engine.close();
        }
    }

    /** Nashorn standalone with both rules compiled once. */
    @State(Scope.Thread)
    public static class Nashorn {
        final NashornRules rules = new NashornRules(BenchRules.TODAY);
    }

    /** The lower bound of a per-record sandboxed call (see {@link GraalFloor}). */
    @State(Scope.Thread)
    public static class Floor {
        GraalFloor floor;

        @Setup(Level.Trial)
        public void start() {
            floor = new GraalFloor(BenchRules.TODAY);
        }

        @TearDown(Level.Trial)
        public void stop() {
            floor.close();
        }
    }

    @Benchmark
    public void scoreEngine(Engine engine, Inputs inputs, Blackhole bh) {
        bh.consume(engine.engine.evaluate(new RuleInput(engine.lead, inputs.lead(), null, null, null)));
    }

    @Benchmark
    public void scoreNashorn(Nashorn nashorn, Inputs inputs, Blackhole bh) {
        bh.consume(nashorn.rules.leadScore(inputs.lead()));
    }

    @Benchmark
    public void scoreGraalFloor(Floor floor, Inputs inputs, Blackhole bh) {
        bh.consume(floor.floor.score(inputs.lead()));
    }

    @Benchmark
    public void scoreJava(Inputs inputs, Blackhole bh) {
        bh.consume(JavaRules.leadScore(inputs.lead()));
    }

    @Benchmark
    public void validationEngine(Engine engine, Inputs inputs, Blackhole bh) {
        bh.consume(engine.engine.evaluate(new RuleInput(engine.opportunity, inputs.opportunity(), null, null, null)));
    }

    @Benchmark
    public void validationNashorn(Nashorn nashorn, Inputs inputs, Blackhole bh) {
        bh.consume(nashorn.rules.opportunityErrors(inputs.opportunity()));
    }

    @Benchmark
    public void validationGraalFloor(Floor floor, Inputs inputs, Blackhole bh) {
        bh.consume(floor.floor.validation(inputs.opportunity()));
    }

    @Benchmark
    public void crossingGraalFloor(Floor floor, Inputs inputs, Blackhole bh) {
        bh.consume(floor.floor.crossing(inputs.opportunity()));
    }

    @Benchmark
    public void validationJava(Inputs inputs, Blackhole bh) {
        bh.consume(JavaRules.opportunityErrors(inputs.opportunity(), BenchRules.TODAY));
    }
}
