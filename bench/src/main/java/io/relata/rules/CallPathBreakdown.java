package io.relata.rules;

import io.relata.api.model.EntityDefinition;
import io.relata.api.model.FieldDefinition;
import io.relata.api.rules.RuleInput;
import io.relata.api.rules.RuleOutcome;
import io.relata.api.security.Actor;
import io.relata.bench.BenchRules;
import io.relata.bench.Records;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import org.graalvm.polyglot.Value;

/**
 * Where the time of one engine evaluation goes: times the pieces of {@link RuleEngine#evaluate} one by one on
 * a pooled Context (package-private access, hence this package), for the benchmark's score or validation rule.
 * Not a JMH benchmark: a plain loop after a long warm-up, figures in ns per operation, good to a few tens of
 * percent. Run with the benchmark's class path and JVM flags (see bench/README.md):
 * {@code java ... io.relata.rules.CallPathBreakdown score|validation [warm-up seconds]}.
 */
public final class CallPathBreakdown {

    private static long sink;

    private CallPathBreakdown() {
    }

    public static void main(String[] args) {
        boolean score = args.length > 0 && args[0].equals("score");
        long warmUp = args.length > 1 ? Long.parseLong(args[1]) : 60;
        RuleLimits limits = new RuleLimits(RuleLimits.DEFAULT.statementLimit(), Duration.ofSeconds(5));
        EntityDefinition entity = score ? BenchRules.lead() : BenchRules.opportunity();
        List<Map<String, Object>> records = score ? Records.leads() : Records.opportunities();
        FieldDefinition scoreField = entity.field("score").orElse(null);
        Set<String> names = new HashSet<>();
        entity.fields().forEach(f -> names.add(f.name()));
        int kind = score ? ContextPool.SCORE : ContextPool.VALIDATION;
        int mask = Records.COUNT - 1;
        int[] next = {0};

        try (RuleEngine engine = new RuleEngine(limits, BenchRules.CLOCK);
             ContextPool pool = new ContextPool(limits, ZoneOffset.UTC)) {
            ContextPool.Slot slot = pool.lease();
            Value fn = slot.function(RuleScript.of(entity.rules().get(0), 0));
            Value user = slot.user(Actor.SYSTEM);
            Value today = slot.today(BenchRules.TODAY.toString());
            StringBuilder literal = new StringBuilder("(function () { const freeze = Object.freeze; return {");
            List<String> keys = List.copyOf(records.get(0).keySet());
            StringBuilder params = new StringBuilder();
            StringBuilder object = new StringBuilder();
            for (int i = 0; i < keys.size(); i++) {
                params.append(i == 0 ? "" : ", ").append('a').append(i);
                object.append(i == 0 ? "" : ", ").append('"').append(keys.get(i)).append("\": a").append(i);
            }
            literal.append("plain: (").append(params).append(") => ({").append(object).append("}), ")
                    .append("frozen: (").append(params).append(") => freeze({").append(object).append("})}; })()");
            Value makers = slot.context.eval("js", literal.toString());
            Value plain = makers.getMember("plain");
            Value frozen = makers.getMember("frozen");

            Map<String, Supplier<Object>> cases = new LinkedHashMap<>();
            cases.put("RuleEngine.evaluate (whole operation)", () -> engine.evaluate(
                    new RuleInput(entity, records.get(next[0]++ & mask), null, null, null)));
            cases.put("record object only (maker: values in, freeze)", () -> {
                slot.context.resetLimits();
                return slot.record(records.get(next[0]++ & mask));
            });
            cases.put("  same literal without freeze", () -> {
                slot.context.resetLimits();
                return plain.execute(arguments(records.get(next[0]++ & mask), keys));
            });
            cases.put("  same literal with freeze", () -> {
                slot.context.resetLimits();
                return frozen.execute(arguments(records.get(next[0]++ & mask), keys));
            });
            cases.put("maker + rule + reduction (one call)", () -> {
                slot.context.resetLimits();
                return slot.run(kind, fn, records.get(next[0]++ & mask), null, user, today);
            });
            cases.put("  + result to Java", () -> {
                slot.context.resetLimits();
                Value v = slot.run(kind, fn, records.get(next[0]++ & mask), null, user, today);
                return score ? RuleResults.reducedScore(v, scoreField) : RuleResults.validation(v, entity, names, "x");
            });
            cases.put("rule alone on a made record, raw result", () -> {
                slot.context.resetLimits();
                return slot.run(ContextPool.RESULT, fn, null, null, user, today);
            });
            cases.put("rule alone on a made record, reduced", () -> {
                slot.context.resetLimits();
                return slot.run(kind, fn, null, null, user, today);
            });
            cases.put("deadline start + stop (incl. resetLimits)", () -> {
                long started = slot.start();
                slot.stop(started);
                return started;
            });
            cases.put("pool lease + close", () -> {
                ContextPool.Slot s = pool.lease();
                s.close();
                return s;
            });
            cases.put("new RuleOutcome (empty)", () -> new RuleOutcome(Map.of(), List.of(), Map.of(), Set.of(), Set.of()));

            long end = System.nanoTime() + warmUp * 1_000_000_000L;
            while (System.nanoTime() < end) {
                for (Supplier<Object> c : cases.values()) {
                    run(c, 2_000);
                }
            }
            System.out.println("# " + engine.mode());
            System.out.println("# " + (score ? "lead score" : "opportunity validation") + ", ns per operation, 3 rounds");
            for (Map.Entry<String, Supplier<Object>> c : cases.entrySet()) {
                StringBuilder line = new StringBuilder(String.format("%-48s", c.getKey()));
                for (int round = 0; round < 3; round++) {
                    long t0 = System.nanoTime();
                    long n = 0;
                    while (System.nanoTime() - t0 < 1_000_000_000L) {
                        run(c.getValue(), 500);
                        n += 500;
                    }
                    line.append(String.format(" %7.0f", (System.nanoTime() - t0) / (double) n));
                }
                System.out.println(line);
            }
            slot.close();
        }
        if (sink == 42) {
            System.out.println();
        }
    }

    private static Object[] arguments(Map<String, Object> record, List<String> keys) {
        Object[] values = new Object[keys.size()];
        for (int i = 0; i < values.length; i++) {
            values[i] = Json.primitive(record.get(keys.get(i)));
        }
        return values;
    }

    private static void run(Supplier<Object> c, int times) {
        for (int i = 0; i < times; i++) {
            Object o = c.get();
            sink += o == null ? 0 : 1;
        }
    }
}
