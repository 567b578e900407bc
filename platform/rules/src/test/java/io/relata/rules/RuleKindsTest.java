package io.relata.rules;

import static io.relata.rules.Fixtures.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.relata.api.model.EntityDefinition;
import io.relata.api.record.FieldError;
import io.relata.api.security.Actor;
import io.relata.api.rules.RuleDefinition;
import io.relata.api.rules.RuleFailedException;
import io.relata.api.rules.RuleInput;
import io.relata.api.rules.RuleKind;
import io.relata.api.rules.RuleOutcome;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class RuleKindsTest {

    private static RuleEngine engine;

    @BeforeAll
    static void start() {
        engine = new RuleEngine(RuleLimits.DEFAULT, CLOCK);
    }

    @AfterAll
    static void stop() {
        engine.close();
    }

    private static RuleOutcome run(EntityDefinition entity, Map<String, Object> values) {
        return engine.evaluate(newRecord(entity, values));
    }

    @Test
    void entityWithoutRulesGivesNoOutcome() {
        assertThat(run(lead(), values("name", "x"))).isSameAs(RuleOutcome.NONE);
    }

    @Test
    void validationReturningAMessageIsARecordError() {
        EntityDefinition lead = lead(validation("lost needs reason",
                "record.stage === 'lost' && !record.loss_reason ? 'Say why the lead was lost.' : null"));

        assertThat(run(lead, values("stage", "lost")).errors())
                .containsExactly(new FieldError(null, "rule", "Say why the lead was lost."));
        assertThat(run(lead, values("stage", "lost", "loss_reason", "price")).errors()).isEmpty();
        assertThat(run(lead, values("stage", "won")).errors()).isEmpty();
    }

    @Test
    void validationReturningNothingTrueOrEmptyIsValid() {
        for (String source : List.of("if (record.name) { return; }", "true", "null", "undefined", "''", "[]", "({})")) {
            assertThat(run(lead(validation("v", source)), values("name", "x")).errors()).as(source).isEmpty();
        }
    }

    @Test
    void validationReturningFalseIsAnErrorNamingTheRule() {
        EntityDefinition lead = lead(validation("amount positive", "record.amount > 0"));

        assertThat(run(lead, values("amount", new BigDecimal("-1"))).errors())
                .containsExactly(new FieldError(null, "rule", "The record does not meet the rule 'amount positive'."));
        assertThat(run(lead, values("amount", new BigDecimal("10.50"))).errors()).isEmpty();
    }

    @Test
    void validationMessagesMayBeGivenPerLanguageAndEachUserReadsTheirs() {
        EntityDefinition lead = lead(validation("reason", "record.stage === 'lost' && !record.loss_reason"
                + " ? {loss_reason: {de: 'Warum verloren?', en: 'Why was it lost?'}} : null"));

        FieldError error = run(lead, values("stage", "lost")).errors().get(0);
        assertThat(error.field()).isEqualTo("loss_reason");
        assertThat(error.message()).isEqualTo("Why was it lost?");
        assertThat(error.message("de")).isEqualTo("Warum verloren?");
        assertThat(error.message("fr")).as("a language the author did not give falls back to English")
                .isEqualTo("Why was it lost?");

        EntityDefinition recordLevel = lead(validation("whole", "({de: 'Ganz falsch', en: 'All wrong'})"));
        FieldError whole = run(recordLevel, values("name", "x")).errors().get(0);
        assertThat(whole.field()).isNull();
        assertThat(whole.message("de")).isEqualTo("Ganz falsch");

        EntityDefinition listed = lead(validation("list", "[{de: 'Eins', en: 'One'}, 'Two']"));
        assertThat(run(listed, values()).errors()).extracting(e -> e.message("de")).containsExactly("Eins", "Two");
    }

    @Test
    void rulesSeeTheLanguageOfTheUser() {
        EntityDefinition lead = lead(validation("language", "user.language === 'de' ? 'deutsch' : 'english'"));
        Actor german = Actor.user(7, "anna", java.util.Set.of(), List.of()).inLanguage("de");

        assertThat(engine.evaluate(new RuleInput(lead, values(), null, german, RuleInput.RecordLookup.NONE))
                .errors()).extracting(FieldError::message).containsExactly("deutsch");
        assertThat(run(lead, values()).errors()).extracting(FieldError::message).containsExactly("english");
    }

    @Test
    void validationReturningAListGivesOneRecordErrorPerMessage() {
        EntityDefinition lead = lead(validation("two", "['First problem', null, 'Second problem']"));

        assertThat(run(lead, values()).errors()).extracting(FieldError::message)
                .containsExactly("First problem", "Second problem");
    }

    @Test
    void validationReturningAnObjectGivesFieldErrors() {
        EntityDefinition lead = lead(validation("dates", """
                const errors = {};
                if (record.close_date && record.close_date < today) {
                  errors.close_date = 'The close date cannot be in the past.';
                }
                if (!record.email) errors.email = 'An email is needed.';
                return errors;"""));

        assertThat(run(lead, values("close_date", LocalDate.of(2025, 3, 1))).errors()).containsExactly(
                new FieldError("close_date", "rule", "The close date cannot be in the past."),
                new FieldError("email", "rule", "An email is needed."));
        assertThat(run(lead, values("close_date", LocalDate.of(2025, 3, 14), "email", "a@b.c")).errors()).isEmpty();
    }

    @Test
    void validationErrorOnAnUnknownFieldFailsTheRule() {
        EntityDefinition lead = lead(validation("typo", "({ amuont: 'too high' })"));

        assertThatThrownBy(() -> run(lead, values())).isInstanceOf(RuleFailedException.class)
                .hasMessageContaining("'typo'").hasMessageContaining("'amuont', which is not a field of 'lead'");
    }

    @Test
    void validationReturningANumberFailsTheRule() {
        assertThatThrownBy(() -> run(lead(validation("numeric", "42")), values()))
                .isInstanceOf(RuleFailedException.class)
                .hasMessageContaining("returned 42; a validation returns nothing when the record is valid");
    }

    @Test
    void computedValuesAreConvertedToTheFieldTypes() {
        EntityDefinition lead = lead(
                rule("total", RuleKind.COMPUTED, "total", "record.amount * (1 - (record.rating || 0))"),
                rule("region", RuleKind.COMPUTED, "region", "record.email ? record.email.split('@')[1] : null"),
                rule("follow up", RuleKind.COMPUTED, "follow_up", "addDays(today, 7)"),
                rule("employees", RuleKind.COMPUTED, "employees", "record.tags.length * 10"),
                rule("vip", RuleKind.COMPUTED, "vip", "record.tags.includes('key')"),
                rule("tags", RuleKind.COMPUTED, "tags", "[...record.tags, 'checked']"),
                rule("contacted", RuleKind.COMPUTED, "contacted_at", "today + 'T09:30:00Z'"),
                rule("account", RuleKind.COMPUTED, "account", "record.account + 1"));

        RuleOutcome outcome = run(lead, values("amount", new BigDecimal("100.00"), "rating", new BigDecimal("0.15"),
                "email", "anna@example.org", "tags", List.of("key", "new"), "account", 41L));

        assertThat(outcome.values()).containsEntry("total", new BigDecimal("85.00"))
                .containsEntry("region", "example.org")
                .containsEntry("follow_up", LocalDate.of(2025, 3, 21))
                .containsEntry("employees", 20L)
                .containsEntry("vip", true)
                .containsEntry("tags", List.of("key", "new", "checked"))
                .containsEntry("contacted_at", OffsetDateTime.parse("2025-03-14T09:30:00Z"))
                .containsEntry("account", 42L);
        assertThat(outcome.errors()).isEmpty();
    }

    @Test
    void computedRulesSeeValuesOfEarlierOnes() {
        EntityDefinition lead = lead(
                rule("amount", RuleKind.COMPUTED, "amount", "record.employees * 2.5"),
                rule("total", RuleKind.COMPUTED, "total", "record.amount + 1"));

        assertThat(run(lead, values("employees", 4L)).values())
                .containsEntry("amount", new BigDecimal("10.0000")).containsEntry("total", new BigDecimal("11.00"));
    }

    @Test
    void computedValueOfTheWrongTypeFailsNamingTheRule() {
        EntityDefinition lead = lead(rule("employee count", RuleKind.COMPUTED, "employees", "'many'"));

        assertThatThrownBy(() -> run(lead, values()))
                .isInstanceOf(RuleFailedException.class)
                .hasMessageContaining("The rule 'employee count' could not be applied")
                .hasMessageContaining("returned 'many' for the integer field 'employees', which takes a whole number")
                .satisfies(e -> assertThat(((RuleFailedException) e).location()).isEqualTo(FILE + ":20:15"));
    }

    @Test
    void fractionalValueForAnIntegerFieldFails() {
        assertThatThrownBy(() -> run(lead(rule("half", RuleKind.COMPUTED, "employees", "2.5")), values()))
                .isInstanceOf(RuleFailedException.class).hasMessageContaining("use Math.round");
    }

    @Test
    void defaultAppliesOnlyToNewRecordsWithoutAValue() {
        EntityDefinition lead = lead(
                rule("stage", RuleKind.DEFAULT, "stage", "'new'"),
                rule("close", RuleKind.DEFAULT, "close_date", "addDays(today, 30)"));

        assertThat(engine.evaluate(newRecord(lead, values("stage", null))).values())
                .containsEntry("stage", "new").containsEntry("close_date", LocalDate.of(2025, 4, 13));
        assertThat(engine.evaluate(newRecord(lead, values("stage", "won"))).values())
                .doesNotContainKey("stage").containsKey("close_date");
        assertThat(engine.evaluate(update(lead, values("stage", null), values("stage", "won"))).values()).isEmpty();
    }

    @Test
    void conditionsAcceptTruthyAndFalsyValues() {
        EntityDefinition lead = lead(
                rule("reason visible", RuleKind.VISIBLE_WHEN, "loss_reason", "record.stage === 'lost'"),
                rule("reason required", RuleKind.REQUIRED_WHEN, "loss_reason", "record.stage === 'lost' && 1"),
                rule("amount locked", RuleKind.READ_ONLY_WHEN, "amount", "previous && previous.stage"),
                rule("email visible", RuleKind.VISIBLE_WHEN, "email", "''"));

        RuleOutcome lost = engine.evaluate(update(lead, values("stage", "lost"), values("stage", "won")));
        assertThat(lost.visible()).containsEntry("loss_reason", true).containsEntry("email", false);
        assertThat(lost.required()).containsExactly("loss_reason");
        assertThat(lost.readOnly()).containsExactly("amount");

        RuleOutcome fresh = engine.evaluate(newRecord(lead, values("stage", "new")));
        assertThat(fresh.visible()).containsEntry("loss_reason", false);
        assertThat(fresh.required()).isEmpty();
        assertThat(fresh.readOnly()).isEmpty();
    }

    @Test
    void scoreWithReasonsFillsTheScoreAndReasonsFields() {
        RuleDefinition score = new RuleDefinition("lead score", RuleKind.SCORE, "score", "score_reasons", """
                let score = 0; const reasons = [];
                if (record.company) { score += 20; reasons.push({points: 20, reason: 'Company given'}); }
                if (!record.email) { score -= 5; reasons.push({points: -5, reason: 'No email'}); }
                if (record.tags.includes('key')) { score += 10.5; reasons.push('Key account'); }
                return {score, reasons};""", FILE, START);

        RuleOutcome outcome = run(lead(score), values("company", "ACME", "tags", List.of("key")));

        assertThat(outcome.values()).containsEntry("score", 26L)
                .containsEntry("score_reasons", "+20 Company given\n-5 No email\nKey account");
    }

    @Test
    void scoreAsANumberGoesIntoADecimalField() {
        RuleOutcome outcome = run(lead(rule("rating", RuleKind.SCORE, "rating", "record.employees / 3")),
                values("employees", 10L));

        assertThat(outcome.values()).containsEntry("rating", new BigDecimal("3.3333"));
    }

    @Test
    void scoreWithoutANumberFails() {
        assertThatThrownBy(() -> run(lead(rule("bad score", RuleKind.SCORE, "score", "({reasons: []})")), values()))
                .isInstanceOf(RuleFailedException.class).hasMessageContaining("'score' is missing");
    }

    @Test
    void scriptsSeePreviousUserAndToday() {
        EntityDefinition lead = lead(validation("context", """
                return [previous.stage, user.name, user.roles.join('+'), today,
                        String(daysBetween('2025-03-01', today)), addDays('2024-02-28', 1)];"""));

        List<FieldError> errors = engine.evaluate(update(lead, values(), values("stage", "won"))).errors();

        assertThat(errors).extracting(FieldError::message)
                .containsExactly("won", "maria", "manager+sales", "2025-03-14", "13", "2024-02-29");
    }

    @Test
    void previousIsNullForANewRecord() {
        assertThat(run(lead(validation("new", "previous === null ? 'new' : 'old'")), values()).errors())
                .extracting(FieldError::message).containsExactly("new");
    }

    @Test
    void valuesArriveAsDocumentedJavaScriptTypes() {
        EntityDefinition lead = lead(validation("types", """
                return Object.keys(record).sort().map(k => k + ':' + (Array.isArray(record[k]) ? 'array' :
                  record[k] === null ? 'null' : typeof record[k]) + ':' + record[k]);"""));

        List<FieldError> errors = run(lead, values("name", "Anna", "employees", 12L, "amount", new BigDecimal("1.50"),
                "close_date", LocalDate.of(2025, 1, 31), "contacted_at", OffsetDateTime.parse("2025-01-31T08:00:00+01:00"),
                "vip", true, "tags", List.of("a", "b"), "account", 42L, "region", null)).errors();

        assertThat(errors).extracting(FieldError::message).containsExactly(
                "account:number:42", "amount:number:1.5", "close_date:string:2025-01-31",
                "contacted_at:string:2025-01-31T08:00:00+01:00", "employees:number:12", "name:string:Anna",
                "region:null:null", "tags:array:a,b", "vip:boolean:true");
    }

    @Test
    void lookupReadsRelatedRecordsThroughTheInput() {
        EntityDefinition lead = lead(rule("account region", RuleKind.COMPUTED, "region", """
                const account = lookup('account', record.account);
                return account ? account.country + '/' + account.tags.join(',') : 'unknown';"""));
        RuleInput.RecordLookup accounts = (entity, id) -> "account".equals(entity) && id == 42
                ? Optional.of(values("country", "DE", "tags", List.of("a", "b")))
                : Optional.empty();

        assertThat(engine.evaluate(new RuleInput(lead, values("account", 42L), null, MARIA, accounts)).values())
                .containsEntry("region", "DE/a,b");
        assertThat(engine.evaluate(new RuleInput(lead, values("account", 7L), null, MARIA, accounts)).values())
                .containsEntry("region", "unknown");
    }

    @Test
    void lookupResultIsReadOnly() {
        EntityDefinition lead = lead(validation("write lookup", """
                const account = lookup('account', 42);
                account.country = 'FR';
                return 'written';"""));
        java.util.Map<String, Object> stored = values("country", "DE");

        assertThatThrownBy(() -> engine.evaluate(new RuleInput(lead, values(), null, MARIA,
                (entity, id) -> Optional.of(stored)))).isInstanceOf(RuleFailedException.class)
                .hasMessageContaining("TypeError");
        assertThat(stored).containsEntry("country", "DE");
    }
}
