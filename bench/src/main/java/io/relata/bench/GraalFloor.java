package io.relata.bench;

import java.io.InputStream;
import java.io.OutputStream;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.Map;
import org.graalvm.polyglot.Context;
import org.graalvm.polyglot.Engine;
import org.graalvm.polyglot.HostAccess;
import org.graalvm.polyglot.ResourceLimits;
import org.graalvm.polyglot.SandboxPolicy;
import org.graalvm.polyglot.Source;
import org.graalvm.polyglot.Value;
import org.graalvm.polyglot.io.IOAccess;

/**
 * What one record costs in GraalJS without any of the engine's bookkeeping: the lower bound of a sandboxed,
 * per-record rule call, measured in the same run as the engine so that the README can say how much of the
 * engine's time is the platform's and how much is the polyglot boundary and the rule itself.
 * <p>
 * One Context with the engine's sandbox settings (CONSTRAINED, statement limit, no host access) and three
 * generated functions: {@link #crossing} takes an opportunity's six values and {@code today} and returns null
 * (the boundary crossing alone); {@link #validation} and {@link #score} fill a read-only record object with
 * the values, run the benchmark's rule on it and reduce its result to one string as the engine does. No pool,
 * deadline, statement-limit reset, record shapes, result checks or decoding into Java objects. Not
 * thread-safe: one per thread.
 */
public final class GraalFloor implements AutoCloseable {

    private static final String[] OPPORTUNITY = {"name", "amount", "probability", "close_date", "stage", "loss_reason"};
    private static final String[] LEAD = {"company", "email", "phone", "source", "description", "status"};
    private static final String VALIDATION_RESULT = "if (r === undefined || r === null) { return null; }"
            + " const keys = Object.keys(r); let out = 'F';"
            + " for (let i = 0; i < keys.length; i++) { out += keys[i] + '\\u0000' + r[keys[i]] + '\\u0000'; }"
            + " return out;";
    private static final String SCORE_RESULT = "let lines = '';"
            + " for (let i = 0; i < r.reasons.length; i++) { const x = r.reasons[i];"
            + " lines += (i > 0 ? '\\n' : '') + (x.points >= 0 ? '+' : '') + x.points + ' ' + x.reason; }"
            + " return 'S' + r.score + '\\u0000' + (r.reasons.length > 0 ? '1' : '0') + lines;";

    private final Engine engine;
    private final Context context;
    private final Value crossing;
    private final Value validation;
    private final Value score;
    private final String today;

    public GraalFloor(LocalDate today) {
        this.today = today.toString();
        engine = Engine.newBuilder("js").sandbox(SandboxPolicy.CONSTRAINED).out(OutputStream.nullOutputStream())
                .err(OutputStream.nullOutputStream()).option("engine.WarnInterpreterOnly", "false").build();
        context = Context.newBuilder("js").engine(engine).sandbox(SandboxPolicy.CONSTRAINED)
                .allowHostAccess(HostAccess.newBuilder(HostAccess.CONSTRAINED).build())
                .allowHostClassLookup(className -> false).allowIO(IOAccess.NONE).allowValueSharing(false)
                .resourceLimits(ResourceLimits.newBuilder().statementLimit(Long.MAX_VALUE, s -> !s.isInternal()).build())
                .out(OutputStream.nullOutputStream()).err(OutputStream.nullOutputStream()).in(InputStream.nullInputStream())
                .option("js.strict", "true").build();
        crossing = context.eval(internal("(function (today, a0, a1, a2, a3, a4, a5) { return null; })"));
        validation = ruleCall(OPPORTUNITY, BenchRules.OPPORTUNITY_VALIDATION_JS, BenchRules.OPPORTUNITY_VALIDATION_FILE,
                VALIDATION_RESULT);
        score = ruleCall(LEAD, BenchRules.LEAD_SCORE_JS, BenchRules.LEAD_SCORE_FILE, SCORE_RESULT);
    }

    /** {@code (today, a0 … a5) => reduce(rule(record filled with a0 … a5))}, {@code r} being the rule's result. */
    private Value ruleCall(String[] fields, String ruleText, String file, String reduce) {
        Value rule = context.eval(Source.newBuilder("js", "(function (record, previous, user, today, lookup, addDays, "
                + "daysBetween) {'use strict'; " + ruleText + "\n})", file).buildLiteral());
        StringBuilder names = new StringBuilder();
        for (String field : fields) {
            names.append(names.isEmpty() ? "'" : ", '").append(field).append('\'');
        }
        return context.eval(internal("(function (rule) {'use strict'; const values = [], record = {};"
                + " [" + names + "].forEach((k, i) => { values.push(null); Object.defineProperty(record, k,"
                + " {get: Object.freeze(() => values[i]), enumerable: true}); }); Object.freeze(record);"
                + " return function (today, a0, a1, a2, a3, a4, a5) {"
                + " values[0] = a0; values[1] = a1; values[2] = a2; values[3] = a3; values[4] = a4; values[5] = a5;"
                + " const r = rule(record, null, null, today, null, null, null); " + reduce + " }; })")).execute(rule);
    }

    private static Source internal(String js) {
        return Source.newBuilder("js", js, "floor.js").internal(true).buildLiteral();
    }

    /** The boundary crossing alone: an opportunity's values converted as the engine converts them, null back. */
    public boolean crossing(Map<String, Object> opportunity) {
        return crossing.execute(opportunityArguments(opportunity)).isNull();
    }

    /** The validation on a record object filled with the values: its errors as one string, null when valid. */
    public String validation(Map<String, Object> opportunity) {
        Value result = validation.execute(opportunityArguments(opportunity));
        return result.isNull() ? null : result.asString();
    }

    /** The score on a record object filled with the lead's values: 'S' score NUL, '1' and the reasons or '0'. */
    public String score(Map<String, Object> lead) {
        return score.execute(today, lead.get("company"), lead.get("email"), lead.get("phone"), lead.get("source"),
                lead.get("description"), lead.get("status")).asString();
    }

    private Object[] opportunityArguments(Map<String, Object> record) {
        return new Object[] {today, record.get("name"), money(record.get("amount")),
            number(record.get("probability")), date(record.get("close_date")), record.get("stage"),
            record.get("loss_reason")};
    }

    private static Object money(Object value) {
        return value == null ? null : (Object) ((BigDecimal) value).doubleValue();
    }

    private static Object number(Object value) {
        return value == null ? null : (Object) ((Long) value).intValue();
    }

    private static Object date(Object value) {
        return value == null ? null : value.toString();
    }

    @Override
    public void close() {
        context.close();
        engine.close();
    }
}
