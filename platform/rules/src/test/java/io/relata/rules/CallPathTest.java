package io.relata.rules;

import static io.relata.rules.Fixtures.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.relata.api.model.EntityDefinition;
import io.relata.api.record.FieldError;
import io.relata.api.rules.RuleDefinition;
import io.relata.api.rules.RuleFailedException;
import io.relata.api.rules.RuleInput;
import io.relata.api.rules.RuleKind;
import io.relata.api.rules.RuleOutcome;
import io.relata.api.security.Actor;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The per-call path: record values cross as primitives into generated, frozen record objects that are
 * reused by the rules of one evaluation; the user, {@code today} and the rule results are cached or reduced
 * per Context. What a rule sees and what an evaluation returns must be exactly what the documented JSON path
 * gave, and none of it may open a way out of the sandbox or between evaluations.
 */
class CallPathTest {

    private static RuleEngine engine;

    @BeforeAll
    static void start() {
        engine = new RuleEngine(RuleLimits.DEFAULT, CLOCK);
    }

    @AfterAll
    static void stop() {
        engine.close();
    }

    @AfterEach
    void nothingLeaked() {
        assertThat(validate("return [typeof ({}).polluted, typeof globalThis.leak, Object.isFrozen(Object.prototype)]"
                + ".join(',')", values("name", "x"))).containsExactly("undefined,undefined,true");
    }

    private static List<String> validate(String body, Map<String, Object> record) {
        return messages(engine.evaluate(newRecord(lead(validation("v", body)), record)));
    }

    private static List<String> messages(RuleOutcome outcome) {
        return outcome.errors().stream().map(e -> (e.field() == null ? "" : e.field() + "=") + e.message()).toList();
    }

    // --- values in ---------------------------------------------------------------------------------------

    @Test
    void valuesOutsideTheEntityAndEveryJavaTypeArriveAsThroughJson() {
        Map<String, Object> record = values("id", 9_007_199_254_740_993L, "big", 1L << 40, "small", -5,
                "short", (short) 3, "bigint", new BigInteger("123456789012345678901234567890"),
                "amount", new BigDecimal("12.340"), "tiny", new BigDecimal("1E-7"), "nan", Double.NaN,
                "inf", Float.POSITIVE_INFINITY, "half", 0.5d, "text", "line\nwith \"quotes\" and \\",
                "date", LocalDate.of(2025, 1, 31), "nested", values("a", List.of(1L, "b"), "c", null),
                "chars", new StringBuilder("built"));
        assertThat(validate("""
                return Object.keys(record).map(k => k + ':' + (record[k] === null ? 'null' : typeof record[k]) + ':'
                  + JSON.stringify(record[k]));""", record)).containsExactly(
                "id:number:9007199254740992", "big:number:1099511627776", "small:number:-5", "short:number:3",
                "bigint:number:1.2345678901234568e+29", "amount:number:12.34", "tiny:number:1e-7", "nan:null:null",
                "inf:null:null", "half:number:0.5", "text:string:\"line\\nwith \\\"quotes\\\" and \\\\\"",
                "date:string:\"2025-01-31\"", "nested:object:{\"a\":[1,\"b\"],\"c\":null}", "chars:string:\"built\"");
    }

    @Test
    void nestedValuesAreDeepFrozen() {
        Map<String, Object> record = values("tags", List.of("a"), "nested", values("list", List.of(values("x", 1L))));
        assertThat(validate("""
                return [Object.isFrozen(record), Object.isFrozen(record.tags), Object.isFrozen(record.nested.list[0]),
                  Reflect.set(record.nested.list[0], 'x', 2), Array.isArray(record.tags)].join(',');""", record))
                .containsExactly("true,true,true,false,true");
    }

    @Test
    void protoAndConstructorAsKeysAreOwnPropertiesAndPolluteNothing() {
        Map<String, Object> record = values("__proto__", "p", "constructor", "c", "toString", "t",
                "hasOwnProperty", 1L, "valueOf", null);
        assertThat(validate("""
                return [Object.getPrototypeOf(record) === Object.prototype, Object.keys(record).join('|'),
                  record.__proto__, record.constructor, record.toString, record.hasOwnProperty, record.valueOf,
                  Object.prototype.hasOwnProperty.call(record, '__proto__'), typeof ({}).constructor,
                  String({}), ({}).hasOwnProperty('x')].join(',');""", record))
                .containsExactly("true,__proto__|constructor|toString|hasOwnProperty|valueOf,p,c,t,1,,true,function,"
                        + "[object Object],false");
    }

    @Test
    void keysThatLookLikeCodeAreJustKeys() {
        String evil = "a\"}); globalThis.leak = 1; ({\"b";
        Map<String, Object> record = values(evil, "v", "\\", "backslash", "'", "quote", "\u2028", "separator",
                "", "empty", "1", "index");
        assertThat(validate("""
                return [Object.keys(record).length, record[Object.keys(record).find(k => k.includes('leak'))],
                  record['\\\\'], record["'"], record['\\u2028'], record[''], record[1], typeof leak].join(',');""",
                record)).containsExactly("6,v,backslash,quote,separator,empty,index,undefined");
    }

    @Test
    void aRecordOfManyValuesCrossesToo() {
        Map<String, Object> record = new LinkedHashMap<>();
        for (int i = 0; i < ContextPool.MAX_MAKER_ARGUMENTS + 50; i++) {
            record.put("f" + i, (long) i);
        }
        // a slow machine in interpreted mode needs more than the default 200 ms for a new shape of this size
        try (RuleEngine patient = new RuleEngine(new RuleLimits(100_000, Duration.ofSeconds(10)), CLOCK)) {
            EntityDefinition lead = lead(validation("v",
                    "return Object.keys(record).length + ' ' + record.f249 + ' ' + Object.isFrozen(record)"));
            for (int size : new int[] {ContextPool.MAX_MAKER_ARGUMENTS, ContextPool.MAX_MAKER_ARGUMENTS + 50}) {
                Map<String, Object> some = new LinkedHashMap<>();
                record.entrySet().stream().limit(size).forEach(e -> some.put(e.getKey(), e.getValue()));
                some.put("f249", 249L);
                assertThat(messages(patient.evaluate(newRecord(lead, some)))).containsExactly(
                        some.size() + " 249 true");
            }
        }
    }

    @Test
    void theSameKeysWithOtherTypesGetTheirOwnShape() {
        EntityDefinition lead = lead(validation("v", "return JSON.stringify(record.tags)"));
        assertThat(messages(engine.evaluate(newRecord(lead, values("tags", List.of("a")))))).containsExactly("[\"a\"]");
        assertThat(messages(engine.evaluate(newRecord(lead, values("tags", null))))).containsExactly("null");
        assertThat(messages(engine.evaluate(newRecord(lead, values("tags", "a,b"))))).containsExactly("\"a,b\"");
        assertThat(messages(engine.evaluate(newRecord(lead, values("tags", List.of())))))
                .containsExactly("[]");
    }

    // --- one record object per evaluation ----------------------------------------------------------------

    @Test
    void rulesOfOneEvaluationShareAFrozenRecordRebuiltOnlyAfterAValueWasSet() {
        EntityDefinition lead = lead(
                validation("first", "record.name = 'changed'; return 'x'"),
                validation("second", "return record.name"));
        assertThatThrownBy(() -> engine.evaluate(newRecord(lead, values("name", "Anna"))))
                .isInstanceOf(RuleFailedException.class).hasMessageContaining("'first'");

        EntityDefinition computed = lead(
                rule("employees", RuleKind.COMPUTED, "employees", "record.name.length"),
                validation("sees", "return record.employees + ' ' + Object.isFrozen(record) + ' '"
                        + " + Object.keys(record).join('|')"));
        assertThat(messages(engine.evaluate(newRecord(computed, values("name", "Anna")))))
                .containsExactly("4 true name|employees");
    }

    @Test
    void laterRulesOfAnEvaluationSeeItsOwnRecordOnly() {
        EntityDefinition lead = lead(validation("a", "return 'a:' + record.name"), validation("b", "return 'b:' + record.name"),
                rule("c", RuleKind.VISIBLE_WHEN, "email", "record.name === 'second'"));
        RuleOutcome first = engine.evaluate(newRecord(lead, values("name", "first")));
        RuleOutcome second = engine.evaluate(newRecord(lead, values("name", "second")));
        assertThat(messages(first)).containsExactly("a:first", "b:first");
        assertThat(first.visible()).containsEntry("email", false);
        assertThat(messages(second)).containsExactly("a:second", "b:second");
        assertThat(second.visible()).containsEntry("email", true);
    }

    @Test
    void aFieldSetTwiceIsSeenWithItsLastValue() {
        EntityDefinition lead = lead(rule("a", RuleKind.COMPUTED, "employees", "1"),
                rule("b", RuleKind.COMPUTED, "employees", "record.employees + 1"),
                rule("c", RuleKind.COMPUTED, "employees", "record.employees * 10"),
                validation("v", "return 'e' + record.employees + ' ' + record.name"));
        RuleOutcome outcome = engine.evaluate(newRecord(lead, values("name", "n", "employees", 5L)));
        assertThat(outcome.values()).containsEntry("employees", 20L);
        assertThat(messages(outcome)).containsExactly("e20 n");
    }

    @Test
    void previousCrossesTheSameWayAndIsFrozen() {
        EntityDefinition lead = lead(validation("prev", """
                return [previous.stage, previous.amount, previous.close_date, Object.isFrozen(previous),
                  Reflect.set(previous, 'stage', 'x'), previous === record].join(',');"""));
        assertThat(messages(engine.evaluate(update(lead, values("stage", "won"),
                values("stage", "new", "amount", new BigDecimal("1.50"), "close_date", LocalDate.of(2025, 2, 1))))))
                .containsExactly("new,1.5,2025-02-01,true,false,false");
    }

    @Test
    void aRecordObjectOfOneShapeShowsOnlyTheValuesOfTheCurrentEvaluation() {
        EntityDefinition lead = lead(validation("v", """
                const forIn = []; for (const k in record) { forIn.push(k); }
                return [JSON.stringify(record), JSON.stringify({...record}), Object.entries(record).length,
                  'email' in record, forIn.join('|'), Object.isFrozen(record), Object.isExtensible(record)].join(' ');"""));
        assertThat(messages(engine.evaluate(newRecord(lead, values("name", "a", "email", "a@x.test")))))
                .containsExactly("{\"name\":\"a\",\"email\":\"a@x.test\"} {\"name\":\"a\",\"email\":\"a@x.test\"} 2 true "
                        + "name|email true false");
        assertThat(messages(engine.evaluate(newRecord(lead, values("name", null, "email", "b@x.test")))))
                .containsExactly("{\"name\":null,\"email\":\"b@x.test\"} {\"name\":null,\"email\":\"b@x.test\"} 2 true "
                        + "name|email true false");
    }

    @Test
    void recordAndPreviousOfTheSameShapeAreTwoObjects() {
        EntityDefinition lead = lead(validation("v", "return [record.stage, previous.stage, record === previous,"
                + " Object.keys(previous).join('|')].join(' ')"));
        assertThat(messages(engine.evaluate(update(lead, values("stage", "won", "name", "n"),
                values("stage", "new", "name", "n"))))).containsExactly("won new false stage|name");
        assertThat(messages(engine.evaluate(update(lead, values("stage", "lost", "name", "n"),
                values("stage", "won", "name", "n"))))).containsExactly("lost won false stage|name");
    }

    @Test
    void previousBelongsToItsEvaluationOnly() {
        EntityDefinition lead = lead(validation("v", "return String(previous && previous.stage)"),
                rule("c", RuleKind.COMPUTED, "employees", "previous === null ? 0 : 1"),
                validation("w", "return 'after a value was set: ' + (previous === null ? 'none' : previous.stage)"));
        for (int round = 0; round < 3; round++) { // the same pooled Context serves all of them
            assertThat(messages(engine.evaluate(update(lead, values("stage", "won"), values("stage", "new")))))
                    .containsExactly("new", "after a value was set: new");
            RuleOutcome created = engine.evaluate(newRecord(lead, values("stage", "won")));
            assertThat(messages(created)).containsExactly("null", "after a value was set: none");
            assertThat(created.values()).containsEntry("employees", 0L);
        }
    }

    // --- user, today, lookup -------------------------------------------------------------------------------

    @Test
    void userFollowsTheActorOfEachEvaluation() {
        EntityDefinition lead = lead(validation("who", "return user.name + ':' + user.roles.join('+')"));
        Actor anna = Actor.user(1, "anna", Set.of("sales"), List.of());
        Actor annaPromoted = Actor.user(1, "anna", Set.of("sales", "manager"), List.of());
        for (int i = 0; i < 3; i++) {
            assertThat(messages(engine.evaluate(new RuleInput(lead, values(), null, anna, null))))
                    .containsExactly("anna:sales");
            assertThat(messages(engine.evaluate(new RuleInput(lead, values(), null, MARIA, null))))
                    .containsExactly("maria:manager+sales");
            assertThat(messages(engine.evaluate(new RuleInput(lead, values(), null, annaPromoted, null))))
                    .containsExactly("anna:manager+sales");
            assertThat(messages(engine.evaluate(new RuleInput(lead, values(), null, null, null))))
                    .containsExactly("system:");
        }
    }

    @Test
    void aCachedUserCannotBeMarkedForTheNextEvaluation() {
        EntityDefinition mark = lead(validation("mark", """
                const tries = [];
                for (const attempt of [() => { user.x = 1 }, () => { user.roles.push('admin') },
                    () => { Object.defineProperty(user, 'y', {value: 1}) }, () => { delete user.name },
                    () => { Object.setPrototypeOf(user, null) }, () => { user.roles.length = 0 }]) {
                  try { attempt(); tries.push('changed'); } catch (e) { tries.push(e.name); }
                }
                return tries.join(',');"""));
        EntityDefinition read = lead(validation("read", "return Object.keys(user).join() + ';' + user.roles.join()"
                + " + ';' + Object.getPrototypeOf(user).constructor.name"));
        assertThat(messages(engine.evaluate(newRecord(mark, values())))).containsExactly(
                "TypeError,TypeError,TypeError,TypeError,TypeError,TypeError");
        assertThat(messages(engine.evaluate(newRecord(read, values())))).containsExactly(
                "name,roles,language;manager,sales;Object");
    }

    @Test
    void todayFollowsTheClockAcrossMidnightInItsZone() {
        MutableClock clock = new MutableClock(Instant.parse("2025-03-14T22:59:00Z"), ZoneId.of("Europe/Berlin"));
        try (RuleEngine local = new RuleEngine(RuleLimits.DEFAULT, clock)) {
            EntityDefinition lead = lead(validation("today", "return today"));
            assertThat(messages(local.evaluate(newRecord(lead, values())))).containsExactly("2025-03-14");
            clock.now = clock.now.plus(Duration.ofMinutes(1)); // 00:00 in Berlin
            assertThat(messages(local.evaluate(newRecord(lead, values())))).containsExactly("2025-03-15");
            clock.now = clock.now.minus(Duration.ofMinutes(2));
            assertThat(messages(local.evaluate(newRecord(lead, values())))).containsExactly("2025-03-14");
        }
    }

    @Test
    void lookupReadsThroughTheCurrentEvaluationOnly() {
        EntityDefinition lead = lead(validation("look", "const a = lookup('account', 1); return a ? a.name : 'none'"));
        RuleInput.RecordLookup first = (entity, id) -> Optional.of(values("name", "first"));
        RuleInput.RecordLookup second = (entity, id) -> Optional.of(values("name", "second"));
        assertThat(messages(engine.evaluate(new RuleInput(lead, values(), null, MARIA, first)))).containsExactly("first");
        assertThat(messages(engine.evaluate(new RuleInput(lead, values(), null, MARIA, second)))).containsExactly("second");
        assertThat(messages(engine.evaluate(new RuleInput(lead, values(), null, MARIA, null)))).containsExactly("none");
    }

    @Test
    void internalFunctionsAreNotReachableFromARule() {
        assertThat(validate("""
                const seen = [typeof toJs, typeof freeze, typeof exec, typeof current, typeof errorsOf, typeof scoreOf,
                  typeof hostLookup, typeof deepFreeze];
                for (const f of [lookup, addDays, daysBetween]) {
                  try { seen.push(String(f.caller)); } catch (e) { seen.push(e.name); }
                  try { seen.push(String(f.arguments)); } catch (e) { seen.push(e.name); }
                }
                return seen.join(',');""", values())).containsExactly(
                "undefined,undefined,undefined,undefined,undefined,undefined,undefined,undefined,"
                        + "TypeError,TypeError,TypeError,TypeError,TypeError,TypeError");
    }

    // --- results out ---------------------------------------------------------------------------------------

    @Test
    void validationResultsOfEveryShapeGiveTheDocumentedErrors() {
        assertThat(validate("return 'Just a message'", values())).containsExactly("Just a message");
        assertThat(validate("return '   '", values())).isEmpty();
        assertThat(validate("return ['one', undefined, null, '', 'two:with:colons']", values()))
                .containsExactly("one", "two:with:colons");
        assertThat(validate("return {name: 'bad name', email: null, stage: true, amount: undefined, company: '12:3'}",
                values())).containsExactly("name=bad name", "company=12:3");
        assertThat(validate("const o = Object.create(null); o.name = 'no proto'; return o", values()))
                .containsExactly("name=no proto");
        assertThat(validate("return Object.defineProperty({name: 'shown'}, 'email', {value: 'hidden'})", values()))
                .containsExactly("name=shown");
        assertThat(validate("return new (class { constructor() { this.name = 'from a class' } })()", values()))
                .containsExactly("name=from a class");
        assertThat(validate("return {get name() { return 'from a getter' }}", values())).containsExactly(
                "name=from a getter");
        assertThat(validate("return {}", values())).isEmpty();
        assertThat(validate("return false", values())).containsExactly("The record does not meet the rule 'v'.");
        assertThat(validate("return 'x'.repeat(1200)", values()).get(0)).hasSize(1001).endsWith("…");
        // NUL separates the reduced items: texts containing it take the member-by-member path
        assertThat(validate("return ['a\\u0000b', 'c']", values())).containsExactly("a\u0000b", "c");
        assertThat(validate("return {name: 'a\\u0000b', email: 'c'}", values()))
                .containsExactly("name=a\u0000b", "email=c");
        assertThat(validate("return 'a\\u0000b'", values())).containsExactly("a\u0000b");
        assertThatThrownBy(() -> validate("return (async () => 1)()", values()))
                .isInstanceOf(RuleFailedException.class).hasMessageContaining("not a Promise");
    }

    @Test
    void datesCrossAsIsoTextOfEveryYear() {
        for (LocalDate date : List.of(LocalDate.of(2025, 1, 31), LocalDate.of(1000, 12, 1), LocalDate.of(9999, 9, 9),
                LocalDate.of(999, 1, 1), LocalDate.of(10000, 1, 1), LocalDate.of(-5, 3, 4), LocalDate.of(2024, 2, 29))) {
            assertThat(Json.isoDate(date)).isEqualTo(date.toString());
        }
    }

    @Test
    void wrongValidationResultsFailAsBefore() {
        assertThatThrownBy(() -> validate("return ['ok', 42]", values())).isInstanceOf(RuleFailedException.class)
                .hasMessageContaining("returned a list containing 42; a validation's list holds messages (strings, or {de: ..., en: ...})");
        assertThatThrownBy(() -> validate("return {name: 1}", values())).isInstanceOf(RuleFailedException.class)
                .hasMessageContaining("returned 1 for the field 'name'");
        assertThatThrownBy(() -> validate("return {nmae: 'typo', name: 2}", values()))
                .isInstanceOf(RuleFailedException.class).hasMessageContaining("'nmae', which is not a field of 'lead'");
        assertThatThrownBy(() -> validate("return {0: 'index'}", values())).isInstanceOf(RuleFailedException.class)
                .hasMessageContaining("'0', which is not a field of 'lead'");
        assertThatThrownBy(() -> validate("return 1n", values())).isInstanceOf(RuleFailedException.class)
                .hasMessageContaining("a validation returns nothing when the record is valid");
        assertThatThrownBy(() -> validate("return Symbol('s')", values())).isInstanceOf(RuleFailedException.class)
                .hasMessageContaining("a validation returns nothing when the record is valid");
    }

    private static RuleOutcome score(String body) {
        RuleDefinition score = new RuleDefinition("s", RuleKind.SCORE, "score", "score_reasons", body, FILE, START);
        return engine.evaluate(newRecord(lead(score), values()));
    }

    private static RuleOutcome rating(String body) {
        return engine.evaluate(newRecord(lead(rule("r", RuleKind.SCORE, "rating", body)), values()));
    }

    @Test
    void scoreResultsOfEveryShapeGiveTheDocumentedValues() {
        assertThat(score("return {score: 10, reasons: ['a', {points: 5, reason: 'b'}, {points: -3, reason: 'c'},"
                + " {points: 0, reason: 'd'}, {points: -0, reason: 'e'}]}").values())
                .containsEntry("score", 10L).containsEntry("score_reasons", "a\n+5 b\n-3 c\n+0 d\n+0 e");
        assertThat(score("return {score: 10.5, reasons: [{points: 2.5, reason: 'half'}, {points: 2 ** 60, reason: 'big'}]}")
                .values()).containsEntry("score", 11L)
                .containsEntry("score_reasons", "+2.5 half\n+1152921504606846976 big");
        assertThat(score("return {score: 3, reasons: []}").values()).containsEntry("score", 3L)
                .containsEntry("score_reasons", null);
        assertThat(score("return {score: 3}").values()).containsEntry("score_reasons", null);
        assertThat(score("return {score: 3, reasons: null}").values()).containsEntry("score_reasons", null);
        assertThat(score("return {score: 3, reasons: ['']}").values()).containsEntry("score_reasons", "");
        assertThat(score("return {score: -0}").values()).containsEntry("score", 0L);
        assertThat(score("return {score: 1e300}").values()).containsEntry("score", Long.MAX_VALUE);
        assertThat(score("return {score: 2 ** 53 + 2}").values()).containsEntry("score", 9_007_199_254_740_994L);
        assertThat(score("return 7").values()).containsEntry("score", 7L);
        assertThat(score("const o = Object.create(null); o.score = 4; o.reasons = ['x']; return o").values())
                .containsEntry("score", 4L).containsEntry("score_reasons", "x");
        assertThat(score("return new (class { constructor() { this.score = 6; this.reasons = ['cls'] } })()")
                .values()).containsEntry("score", 6L).containsEntry("score_reasons", "cls");
        assertThat(rating("return {score: 1 / 3}").values()).containsEntry("rating", new BigDecimal("0.3333"));
        assertThat(rating("return {score: -0}").values()).containsEntry("rating", new BigDecimal("0.0000"));
        assertThat(rating("return {score: 1e20}").values()).containsEntry("rating",
                new BigDecimal("100000000000000000000.0000"));
    }

    @Test
    void wrongScoreResultsFailAsBefore() {
        assertThatThrownBy(() -> score("return {score: NaN}")).isInstanceOf(RuleFailedException.class)
                .hasMessageContaining("returned the score NaN; it must be a finite number");
        assertThatThrownBy(() -> score("return {score: -Infinity}")).isInstanceOf(RuleFailedException.class)
                .hasMessageContaining("returned the score -Infinity; it must be a finite number");
        assertThatThrownBy(() -> score("return {score: '5'}")).isInstanceOf(RuleFailedException.class)
                .hasMessageContaining("returned an object whose 'score' is '5'; it must be a number");
        assertThatThrownBy(() -> score("return {score: 1, reasons: 'x'}")).isInstanceOf(RuleFailedException.class)
                .hasMessageContaining("returned 'reasons' as 'x'; it must be a list");
        assertThatThrownBy(() -> score("return {score: 1, reasons: [{points: '1', reason: 'x'}]}"))
                .isInstanceOf(RuleFailedException.class).hasMessageContaining("returned the reason an object");
        assertThatThrownBy(() -> score("return {score: 1, reasons: [3]}")).isInstanceOf(RuleFailedException.class)
                .hasMessageContaining("returned the reason 3; a reason is a text or {points: number, reason: text}");
        assertThatThrownBy(() -> score("return 'high'")).isInstanceOf(RuleFailedException.class)
                .hasMessageContaining("returned 'high'; a score returns a number or {score: number, reasons: [...]}");
        assertThatThrownBy(() -> score("return [1]")).isInstanceOf(RuleFailedException.class)
                .hasMessageContaining("returned a list; a score returns a number");
        assertThatThrownBy(() -> score("return {score: 1, get reasons() { throw new Error('from getter') }}"))
                .isInstanceOf(RuleFailedException.class).hasMessageContaining("from getter");
        EntityDefinition textScore = lead(rule("t", RuleKind.SCORE, "name", "return {score: 1}"));
        assertThatThrownBy(() -> engine.evaluate(newRecord(textScore, values()))).isInstanceOf(RuleFailedException.class)
                .hasMessageContaining("stores a score in the text field 'name'");
    }

    @Test
    void conditionsUseJavaScriptTruthiness() {
        String[] truthy = {"1", "'x'", "[]", "({})", "-1", "1n", "Symbol()", "() => 0"};
        String[] falsy = {"0", "-0", "NaN", "''", "null", "undefined", "false", "0n"};
        for (String source : truthy) {
            RuleOutcome outcome = engine.evaluate(newRecord(lead(rule("c", RuleKind.VISIBLE_WHEN, "name", source)),
                    values()));
            assertThat(outcome.visible()).as(source).containsEntry("name", true);
        }
        for (String source : falsy) {
            RuleOutcome outcome = engine.evaluate(newRecord(lead(rule("c", RuleKind.VISIBLE_WHEN, "name", source)),
                    values()));
            assertThat(outcome.visible()).as(source).containsEntry("name", false);
        }
    }

    @Test
    void errorsOfSeveralValidationsAreKeptInOrder() {
        EntityDefinition lead = lead(validation("a", "return ['a1', 'a2']"), validation("b", "return null"),
                validation("c", "return {name: 'c1'}"));
        assertThat(engine.evaluate(newRecord(lead, values())).errors()).extracting(FieldError::message)
                .containsExactly("a1", "a2", "c1");
    }

    /** A clock whose instant tests can move. */
    private static final class MutableClock extends Clock {
        volatile Instant now;
        private final ZoneId zone;

        MutableClock(Instant now, ZoneId zone) {
            this.now = now;
            this.zone = zone;
        }

        @Override
        public ZoneId getZone() {
            return zone;
        }

        @Override
        public Clock withZone(ZoneId z) {
            return new MutableClock(now, z);
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}
