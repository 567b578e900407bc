package io.relata.rules;

import static io.relata.rules.Fixtures.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.relata.api.model.EntityDefinition;
import io.relata.api.record.FieldError;
import io.relata.api.rules.RuleFailedException;
import io.relata.api.rules.RuleInput;
import io.relata.api.rules.RuleKind;
import io.relata.api.rules.RuleOutcome;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Attempts to break out of the rule sandbox or to leave traces for later rules. Each must fail (the rule
 * fails) or have no effect, the host must be untouched, and the engine must keep working afterwards.
 */
class SandboxEscapeTest {

    /**
     * A runaway rule must be stopped within the wall-clock limit of a save plus this much (slow CI machines,
     * interpreted mode); on an idle machine it stops after its CPU time limit.
     */
    private static final Duration SLACK = Duration.ofMillis(1500);
    private static RuleEngine engine;

    @TempDir
    Path temp;

    @BeforeAll
    static void start() {
        engine = new RuleEngine(RuleLimits.DEFAULT, CLOCK);
    }

    @AfterAll
    static void stop() {
        engine.close();
    }

    @AfterEach
    void engineStillWorks() {
        assertThat(probe("return 'still ' + user.name + ' on ' + today")).isEqualTo("still maria on 2025-03-14");
        assertThat(System.getProperty("relata.pwned")).isNull();
    }

    /** Runs a validation rule; its result (a message) or "FAILED: detail" when the rule failed. */
    private static String probe(String body) {
        return probe(body, values("name", "Anna", "amount", new BigDecimal("10.00"), "tags", List.of("a")));
    }

    private static String probe(String body, Map<String, Object> record) {
        try {
            List<FieldError> errors = engine.evaluate(newRecord(lead(validation("probe", body)), record)).errors();
            return errors.isEmpty() ? "" : String.join("|", errors.stream().map(FieldError::message).toList());
        } catch (RuleFailedException e) {
            return "FAILED: " + e.getMessage();
        }
    }

    private static void assertFailsWithin(String body, String detail) {
        probe("return null"); // a Context ready in the pool: measure the rule, not the creation of a Context
        long started = System.nanoTime();
        String result = probe(body);
        Duration took = Duration.ofNanos(System.nanoTime() - started);
        assertThat(result).startsWith("FAILED").contains(detail);
        assertThat(took).isLessThan(engine.limits().wallClockLimit().plus(SLACK));
    }

    // --- host access ---------------------------------------------------------------------------------

    @Test
    void javaTypeIsNotAvailable() {
        assertThat(probe("return String(Java.type('java.lang.Runtime'))")).startsWith("FAILED").contains("Java");
        assertThat(probe("return typeof Java")).isEqualTo("undefined");
    }

    @Test
    void javaTypeThroughGlobalThisIsNotAvailable() {
        assertThat(probe("return typeof globalThis.Java + typeof globalThis['Packages']")).isEqualTo("undefinedundefined");
        assertThat(probe("return String(globalThis.Java.type('java.lang.System'))")).startsWith("FAILED");
    }

    @Test
    void packagesCannotReachJavaClasses() {
        assertThat(probe("Packages.java.lang.System.setProperty('relata.pwned', '1'); return 'x'"))
                .startsWith("FAILED");
    }

    @Test
    void javaPackageGlobalIsNotAvailable() {
        assertThat(probe("return String(java.lang)")).startsWith("FAILED").contains("java");
        assertThat(probe("return typeof java + typeof javax + typeof com + typeof org")).isEqualTo(
                "undefinedundefinedundefinedundefined");
    }

    @Test
    void runtimeExecCannotRunProcesses() {
        Path marker = temp.resolve("pwned");
        assertThat(probe("Java.type('java.lang.Runtime').getRuntime().exec(['touch', '" + marker + "']); return 'x'"))
                .startsWith("FAILED");
        assertThat(marker).doesNotExist();
    }

    @Test
    void polyglotEvalImportAndExportAreNotAvailable() {
        assertThat(probe("return typeof Polyglot")).isEqualTo("undefined");
        assertThat(probe("return Polyglot.eval('js', '1')")).startsWith("FAILED");
        assertThat(probe("return Polyglot.import('secret')")).startsWith("FAILED");
        assertThat(probe("Polyglot.export('x', 1); return 'x'")).startsWith("FAILED");
    }

    @Test
    void loadCannotReadFiles() throws Exception {
        Path secret = Files.writeString(temp.resolve("secret.js"), "globalThis.leaked = 'secret'");
        assertThat(probe("load('" + secret + "'); return 'x'")).startsWith("FAILED");
        assertThat(probe("return typeof load + typeof loadWithNewGlobal")).isEqualTo("undefinedundefined");
    }

    @Test
    void printAndConsoleDoNotExistAndNothingReachesStandardOutput() {
        PrintStream original = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setOut(new PrintStream(captured));
        try {
            assertThat(probe("print('leak'); return 'x'")).startsWith("FAILED");
            assertThat(probe("console.log('leak'); return 'x'")).startsWith("FAILED");
            assertThat(probe("return typeof print + typeof console + typeof printErr")).isEqualTo(
                    "undefinedundefinedundefined");
        } finally {
            System.setOut(original);
        }
        assertThat(captured.toString()).doesNotContain("leak");
    }

    @Test
    void requireIsNotAvailable() {
        assertThat(probe("return require('fs').readFileSync('/etc/passwd')")).startsWith("FAILED");
    }

    @Test
    void dynamicImportCannotLoadModules() throws Exception {
        Path module = Files.writeString(temp.resolve("m.mjs"), "export default 1");
        assertThat(probe("return import('" + module.toUri() + "')")).startsWith("FAILED");
        assertThat(probe("import('" + module.toUri() + "').then(m => { globalThis.loaded = m }); return null"))
                .isEmpty();
        assertThat(probe("return typeof loaded")).isEqualTo("undefined");
    }

    @Test
    void evalCannotReachTheHost() {
        assertThat(probe("return eval(\"String(Java.type('java.lang.System'))\")")).startsWith("FAILED");
        assertThat(probe("return (0, eval)('typeof Java')")).isEqualTo("undefined");
    }

    @Test
    void functionConstructorReachesOnlyAFrozenGlobal() {
        assertThat(probe("const g = Function('return this')(); return Object.isFrozen(g) + ' ' + typeof g.Java"))
                .isEqualTo("true undefined");
        assertThat(probe("Function('globalThis.leak = 1')(); return typeof globalThis.leak")).isEqualTo("undefined");
    }

    // --- the objects scripts are given -----------------------------------------------------------------

    @Test
    void recordHasNoJavaMethods() {
        assertThat(probe("return typeof record.getClass")).isEqualTo("undefined");
        assertThat(probe("return String(record.getClass().forName('java.lang.System'))")).startsWith("FAILED");
    }

    @Test
    void constructorChainOfRecordReachesOnlyAFrozenGlobal() {
        assertThat(probe("const g = record.constructor.constructor('return this')();"
                + " return Object.isFrozen(g) + ' ' + typeof g.Java + ' ' + typeof g.Polyglot"))
                .isEqualTo("true undefined undefined");
    }

    @Test
    void userRolesAreAPlainFrozenArray() {
        assertThat(probe("return String(user.roles.getClass())")).startsWith("FAILED");
        assertThat(probe("return Array.isArray(user.roles) + ' ' + Object.isFrozen(user.roles)")).isEqualTo("true true");
        assertThat(probe("user.roles.push('admin'); return 'pushed'")).startsWith("FAILED").contains("TypeError");
    }

    @Test
    void writingToRecordFailsAndTheHostMapIsUnchanged() {
        Map<String, Object> record = values("name", "Anna", "amount", new BigDecimal("10.00"), "tags", List.of("a"));
        assertThat(probe("record.amount = 1e9; return 'written'", record)).startsWith("FAILED").contains("TypeError");
        assertThat(probe("record.tags.push('b'); return 'written'", record)).startsWith("FAILED");
        assertThat(record).containsEntry("amount", new BigDecimal("10.00")).containsEntry("tags", List.of("a"));
    }

    @Test
    void writingToPreviousUserAndTodayHasNoEffectOutsideTheRule() {
        EntityDefinition lead = lead(
                validation("write previous", "previous.stage = 'won'; return 'x'"));
        Map<String, Object> previous = values("stage", "new");
        assertThatThrownBy(() -> engine.evaluate(update(lead, values(), previous)))
                .isInstanceOf(RuleFailedException.class).hasMessageContaining("TypeError");
        assertThat(previous).containsEntry("stage", "new");

        assertThat(probe("user.name = 'admin'; return user.name")).startsWith("FAILED");
        EntityDefinition twoRules = lead(validation("reassign", "today = '1999-01-01'; record = null; return null"),
                validation("read", "today + ' ' + record.name"));
        assertThat(engine.evaluate(newRecord(twoRules, values("name", "Anna"))).errors())
                .extracting(FieldError::message).containsExactly("2025-03-14 Anna");
    }

    @Test
    void deletingPropertiesFails() {
        assertThat(probe("delete record.name; return 'deleted'")).startsWith("FAILED").contains("TypeError");
        assertThat(probe("delete user.roles; return 'deleted'")).startsWith("FAILED");
    }

    @Test
    void definePropertyOnRecordFails() {
        assertThat(probe("Object.defineProperty(record, 'amount', {get() { return 0 }}); return 'defined'"))
                .startsWith("FAILED").contains("TypeError");
        assertThat(probe("Object.setPrototypeOf(record, {evil: 1}); return 'set'")).startsWith("FAILED");
    }

    @Test
    void theRecordsGettersCannotCarryStateToTheNextEvaluation() {
        // record objects are reused per shape; their getters are the only functions a rule gets from them
        assertThat(probe("""
                const d = Object.getOwnPropertyDescriptor(record, 'name');
                return [typeof d.get, d.set, d.configurable, Object.isFrozen(d.get), Reflect.set(d.get, 'x', 1),
                        Reflect.defineProperty(d.get, 'y', {value: 1}), d.get.call({})].join(',');"""))
                .isEqualTo("function,,false,true,false,false,Anna");
        assertThat(probe("Object.getOwnPropertyDescriptor(record, 'name').get.stash = user.name; return 'kept'"))
                .startsWith("FAILED").contains("TypeError");
    }

    @Test
    void proxyAndReflectCannotChangePassedObjects() {
        assertThat(probe("""
                const p = new Proxy(record, {});
                return [Reflect.set(record, 'amount', 0), Reflect.deleteProperty(record, 'name'),
                        Reflect.defineProperty(record, 'x', {value: 1}), Reflect.set(p, 'amount', 0), record.amount].join(',');"""))
                .isEqualTo("false,false,false,false,10");
        // record fields are getters, so a Proxy may report other values, but only to the rule that made it
        assertThat(probe("return new Proxy(record, { get: () => 'fake' }).amount + ' ' + record.amount"))
                .isEqualTo("fake 10");
    }

    // --- traces between rules, evaluations and threads ------------------------------------------------

    @Test
    void prototypePollutionFailsAndDoesNotReachLaterRules() {
        assertThat(probe("Object.prototype.isAdmin = true; return 'polluted'")).startsWith("FAILED");
        assertThat(probe("Array.prototype.includes = () => true; return 'polluted'")).startsWith("FAILED");
        assertThat(probe("record.__proto__.isAdmin = true; return 'polluted'")).startsWith("FAILED");
        assertThat(probe("return [({}).isAdmin, [].includes('x'), record.isAdmin].join(',')")).isEqualTo(",false,");
    }

    @Test
    void dateAndMathTamperingDoesNotPersist() {
        assertThat(probe("Date.now = () => 0; return 'x'")).startsWith("FAILED");
        assertThat(probe("Math.random = () => 4; return 'x'")).startsWith("FAILED");
        assertThat(probe("Date.prototype.toISOString = () => 'fake'; return 'x'")).startsWith("FAILED");
        assertThat(probe("return [Date.now() > 0, Math.random() < 1, addDays('2025-01-01', 1)].join(',')"))
                .isEqualTo("true,true,2025-01-02");
    }

    @Test
    void globalThisMutationDoesNotLeakToOtherRulesOrThreads() throws Exception {
        assertThat(probe("globalThis.shared = 'leak'; return 'x'")).startsWith("FAILED");
        assertThat(probe("leak = 1; return 'x'")).startsWith("FAILED").contains("ReferenceError");
        assertThat(probe("var declared = 1; return typeof globalThis.declared")).isEqualTo("undefined");
        ExecutorService other = Executors.newSingleThreadExecutor();
        try {
            Future<String> seen = other.submit(() -> probe("return typeof shared + typeof leak + typeof declared"));
            assertThat(seen.get()).isEqualTo("undefinedundefinedundefined");
        } finally {
            other.shutdownNow();
        }
    }

    @Test
    void closingTheWrapperEarlyCannotKeepStateBetweenEvaluations() {
        String escape = "return 'x' }); let seen = []; (function (record) { seen.push(record.name); return seen.join(',');";
        assertThat(probe(escape, values("name", "alice-secret"))).startsWith("FAILED")
                .contains("closes the function it is wrapped in");
        assertThat(probe(escape, values("name", "bob"))).startsWith("FAILED").doesNotContain("alice");
        assertThat(probe("return 1 }), (function () { return 'second'", values())).startsWith("FAILED")
                .contains("closes the function");
        assertThat(probe("return 1 }); let z = (function () {", values())).startsWith("FAILED")
                .contains("closes the function");
        assertThat(probe("return 1 }); let thrown = 1; throw new Error('at the top'); (function () {", values()))
                .startsWith("FAILED").contains("at the top");
        assertThat(probe("return typeof seen + typeof z + typeof thrown")).isEqualTo("undefinedundefinedundefined");
        assertThat(engine.check(lead(validation("escape", escape)))).singleElement()
                .satisfies(p -> assertThat(p.message()).contains("closes the function it is wrapped in"));
        // braces and parentheses in strings, comments and regular expressions are fine
        assertThat(probe("const s = '})'; /* }) */ // })\n return s + /\\}\\)/.source")).isEqualTo("})\\}\\)");
    }

    @Test
    void thisIsUndefinedInARule() {
        assertThat(probe("return typeof this")).isEqualTo("undefined");
    }

    @Test
    void argumentsCalleeCallerIsRefused() {
        assertThat(probe("return String(arguments.callee.caller)")).startsWith("FAILED").contains("TypeError");
        assertThat(probe("function f() { return f.caller } return String(f())")).startsWith("FAILED");
    }

    @Test
    void symbolTricksCannotPatchBuiltIns() {
        assertThat(probe("Object.prototype[Symbol.toPrimitive] = () => 1; return 'x'")).startsWith("FAILED");
        assertThat(probe("Array.prototype[Symbol.iterator] = function* () { yield 'evil' }; return 'x'"))
                .startsWith("FAILED");
        assertThat(probe("return [...record.tags].join(',') + ' ' + Symbol.for('a').toString()")).isEqualTo("a Symbol(a)");
    }

    @Test
    void asyncResultsAreRefusedAndLaterCallbacksChangeNothing() {
        assertThat(probe("return (async () => 'later')()")).startsWith("FAILED").contains("not a Promise");
        assertThat(probe("return Promise.resolve('later')")).startsWith("FAILED").contains("not a Promise");
        assertThat(probe("Promise.resolve().then(() => { Object.prototype.late = 1 }); return null")).isEmpty();
        assertThat(probe("return typeof ({}).late")).isEqualTo("undefined");
    }

    @Test
    void setTimeoutWorkersAndSharedMemoryDoNotExist() {
        assertThat(probe("return [typeof setTimeout, typeof setInterval, typeof Worker, typeof SharedArrayBuffer,"
                + " typeof Atomics, typeof WeakRef, typeof FinalizationRegistry].join(',')"))
                .isEqualTo("undefined,undefined,undefined,undefined,undefined,undefined,undefined");
    }

    @Test
    void generatorRunningForeverIsStopped() {
        assertFailsWithin("function* g() { while (true) yield 1 } return [...g()].length", "could not be applied");
    }

    @Test
    void returnedGetterThatThrowsFailsTheRule() {
        assertThat(probe("return { get name() { throw new Error('from getter') } }"))
                .startsWith("FAILED").contains("from getter");
    }

    @Test
    void returnedGetterThatRunsForeverIsStopped() {
        assertFailsWithin("return { get name() { while (true) {} } }", "could not be applied");
    }

    @Test
    void returningFunctionsOrTheLookupIsRefused() {
        assertThat(probe("return lookup")).startsWith("FAILED").contains("a function");
        EntityDefinition lead = lead(rule("host", RuleKind.COMPUTED, "name", "lookup"));
        assertThatThrownBy(() -> engine.evaluate(newRecord(lead, values()))).isInstanceOf(RuleFailedException.class)
                .hasMessageContaining("a function");
    }

    @Test
    void lookupReachesOnlyWhatTheInputAllows() {
        List<String> asked = new ArrayList<>();
        RuleInput.RecordLookup records = (entity, id) -> {
            asked.add(entity + "#" + id);
            return Optional.empty();
        };
        EntityDefinition lead = lead(validation("snoop", """
                return [lookup('user', 1), lookup({toString() { return 'account' }}, '2'), lookup('x', 'y'),
                        lookup.constructor('return typeof Java')()].join(',');"""));

        RuleOutcome outcome = engine.evaluate(new RuleInput(lead, values(), null, MARIA, records));

        assertThat(outcome.errors()).extracting(FieldError::message).containsExactly(",,,undefined");
        assertThat(asked).containsExactly("user#1", "account#2");
    }

    // --- resources -----------------------------------------------------------------------------------

    @Test
    void endlessLoopIsStoppedAtTheDeadline() {
        assertFailsWithin("while (true) {} return 1", "could not be applied");
    }

    @Test
    void statementLimitStopsBusyLoopsAndTheContextIsReplaced() {
        String result = probe("let i = 0; while (true) { i++ } return i");
        assertThat(result).startsWith("FAILED").containsAnyOf("statements", "longer than");
    }

    @Test
    void deepRecursionFails() {
        assertFailsWithin("function f(n) { return f(n + 1) + 1 } return f(0)", "could not be applied");
    }

    @Test
    void hugeStringFails() {
        assertFailsWithin("return 'x'.repeat(1e9).length", "Invalid string length");
        assertFailsWithin("return ''.padStart(1e9, 'x').length + ''.padEnd(1e9).length", "Invalid string length");
        assertThat(probe("return 'ab'.repeat(3) + '7'.padStart(3, '0') + '7'.padEnd(2, '!')")).isEqualTo("ababab0077!");
        assertFailsWithin("let s = 'x'; while (true) s += s; return s.length", "Invalid string length");
        assertFailsWithin("return new Uint8Array(1e9).length", "Uint8Array is not defined");
        assertThat(probe("return [typeof ArrayBuffer, typeof DataView, typeof Float64Array].join(',')"))
                .isEqualTo("undefined,undefined,undefined");
    }

    @Test
    void hugeArrayAllocationIsStopped() {
        assertFailsWithin("const a = []; while (true) a.push(new Array(1e5).fill(1)); return 1", "could not be applied");
        assertFailsWithin("return new Array(2 ** 32).length", "Invalid array length");
    }

    @Test
    void catastrophicRegexBacktrackingIsStopped() {
        probe("return null");
        long started = System.nanoTime();
        String result = probe("return String(/^(a|a)*\\1b$/.test('a'.repeat(5000)) + /^((a+)+)\\2$/.test('a'.repeat(64) + '!'))");
        Duration took = Duration.ofNanos(System.nanoTime() - started);
        assertThat(result).satisfiesAnyOf(r -> assertThat(r).startsWith("FAILED"), r -> assertThat(r).isEqualTo("falsefalse"));
        assertThat(took).isLessThan(engine.limits().wallClockLimit().plus(SLACK));
    }

    @Test
    void runawayRuleDoesNotBlockOtherThreads() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            Future<String> runaway = pool.submit(() -> probe("while (true) {} return 1"));
            Future<String> normal = pool.submit(() -> probe("return record.name"));
            assertThat(normal.get()).isEqualTo("Anna");
            assertThat(runaway.get()).startsWith("FAILED");
        } finally {
            pool.shutdownNow();
        }
    }
}
