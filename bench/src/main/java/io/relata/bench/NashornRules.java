package io.relata.bench;

import io.relata.api.record.FieldError;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.script.ScriptEngine;
import javax.script.ScriptException;
import org.openjdk.nashorn.api.scripting.NashornScriptEngineFactory;
import org.openjdk.nashorn.api.scripting.ScriptObjectMirror;

/**
 * The two rules on Nashorn standalone, set up to be fast: one {@link ScriptEngine}, each rule's text wrapped
 * into the same strict-mode function as the platform wraps it and compiled once; a call passes the record as
 * a plain {@link Map} (Nashorn reads {@code record.email} from it) and converts the result to the Java values
 * the platform stores. Not thread-safe: one instance per thread.
 */
public final class NashornRules {

    /** The parameters the platform's engine gives every rule (see RuleScript in platform/rules). */
    private static final String PARAMETERS = "record, previous, user, today, lookup, addDays, daysBetween";

    private final ScriptObjectMirror leadScore;
    private final ScriptObjectMirror opportunityValidation;
    private final String today;

    public NashornRules(LocalDate today) {
        ScriptEngine engine = new NashornScriptEngineFactory().getScriptEngine();
        this.leadScore = function(engine, BenchRules.LEAD_SCORE_JS);
        this.opportunityValidation = function(engine, BenchRules.OPPORTUNITY_VALIDATION_JS);
        this.today = today.toString();
    }

    private static ScriptObjectMirror function(ScriptEngine engine, String body) {
        try {
            Object fn = engine.eval("(function (" + PARAMETERS + ") {'use strict'; " + body + "\n})");
            if (!(fn instanceof ScriptObjectMirror mirror) || !mirror.isFunction()) {
                throw new IllegalStateException("the script does not evaluate to a function");
            }
            return mirror;
        } catch (ScriptException e) {
            throw new IllegalStateException("Nashorn cannot compile a rule: " + e.getMessage(), e);
        }
    }

    public Score leadScore(Map<String, Object> record) {
        Object result = leadScore.call(null, scriptValues(record), null, null, today, null, null, null);
        ScriptObjectMirror object = (ScriptObjectMirror) result;
        long value = ((Number) object.getMember("score")).longValue();
        ScriptObjectMirror reasons = (ScriptObjectMirror) object.getMember("reasons");
        int size = ((Number) reasons.getMember("length")).intValue();
        if (size == 0) {
            return new Score(value, null);
        }
        StringBuilder lines = new StringBuilder();
        for (int i = 0; i < size; i++) {
            ScriptObjectMirror reason = (ScriptObjectMirror) reasons.getSlot(i);
            long points = ((Number) reason.getMember("points")).longValue();
            if (i > 0) {
                lines.append('\n');
            }
            lines.append(points >= 0 ? "+" : "").append(points).append(' ').append((String) reason.getMember("reason"));
        }
        return new Score(value, lines.toString());
    }

    public List<FieldError> opportunityErrors(Map<String, Object> record) {
        Object result = opportunityValidation.call(null, scriptValues(record), null, null, today, null, null, null);
        if (!(result instanceof ScriptObjectMirror object)) {
            return List.of();
        }
        List<FieldError> errors = new ArrayList<>(4);
        for (Map.Entry<String, Object> e : object.entrySet()) {
            errors.add(new FieldError(e.getKey(), "rule", (String) e.getValue()));
        }
        return errors;
    }

    /**
     * The record with values a script can compare: dates as ISO text and money as numbers, as the platform's
     * engine passes them too. Part of every call, like the engine's conversion of the record.
     */
    static Map<String, Object> scriptValues(Map<String, Object> record) {
        Map<String, Object> values = new HashMap<>(record.size() * 2);
        for (Map.Entry<String, Object> e : record.entrySet()) {
            Object v = e.getValue();
            if (v instanceof LocalDate d) {
                v = d.toString();
            } else if (v instanceof BigDecimal d) {
                v = d.doubleValue();
            }
            values.put(e.getKey(), v);
        }
        return values;
    }
}
