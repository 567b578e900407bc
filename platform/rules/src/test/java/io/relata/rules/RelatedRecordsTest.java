package io.relata.rules;

import static io.relata.rules.Fixtures.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.relata.api.model.EntityDefinition;
import io.relata.api.model.SourceLocation;
import io.relata.api.rules.RuleExample;
import io.relata.api.rules.RuleFailedException;
import io.relata.api.rules.RuleInput;
import io.relata.api.rules.RuleKind;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** {@code related.count/exists/sum/min/max}: asked through the input's lookup, answered in examples by fixtures. */
class RelatedRecordsTest {

    private static final SourceLocation EXAMPLE_AT = new SourceLocation(FILE, 60, 7);
    private static RuleEngine engine;

    @BeforeAll
    static void start() {
        engine = new RuleEngine(RuleLimits.DEFAULT, CLOCK);
    }

    @AfterAll
    static void stop() {
        engine.close();
    }

    /** Records the questions and answers from a fixed table: count 3, sum 12.5, min '2025-01-02', max 9. */
    private static class Recording implements RuleInput.RecordLookup {
        final List<String> asked = new ArrayList<>();

        @Override
        public Optional<Map<String, Object>> find(String entity, long id) {
            return Optional.empty();
        }

        @Override
        public Optional<Map<String, Object>> first(String entity, Map<String, Object> filter, List<String> orderBy) {
            asked.add("FIRST " + entity + " " + filter + " " + orderBy);
            return filter.isEmpty() ? Optional.empty() : Optional.of(values("id", 12L, "unit_price", new BigDecimal("9.90")));
        }

        @Override
        public Object aggregate(String entity, RuleInput.Aggregate aggregate, String field, Map<String, Object> filter) {
            asked.add(aggregate + " " + entity + " " + field + " " + filter);
            if ("secret".equals(field) || filter.containsKey("secret")) {
                throw new IllegalArgumentException("the field 'secret' of ticket is hidden from the user the rule runs for");
            }
            return switch (aggregate) {
                case COUNT -> 3L;
                case SUM -> new BigDecimal("12.5");
                case MIN -> "2025-01-02";
                case MAX -> 9L;
            };
        }
    }

    @Test
    void relatedQuestionsReachTheLookupWithTheirFilterAndAnswer() {
        EntityDefinition lead = lead(rule("region", RuleKind.COMPUTED, "region", """
                return [related.count('ticket', {account: record.account, status: 'open', closed: null}),
                        related.exists('ticket', {account: record.account}),
                        related.sum('ticket', 'hours', {account: record.account}),
                        related.min('ticket', 'opened_on'),
                        related.max('ticket', 'priority', {urgent: true})].join('|');"""));
        Recording lookup = new Recording();

        Map<String, Object> values = engine.evaluate(new RuleInput(lead, values("account", 42L), null, MARIA, lookup))
                .values();

        assertThat(values).containsEntry("region", "3|true|12.5|2025-01-02|9");
        assertThat(lookup.asked).containsExactly(
                "COUNT ticket null {account=42, status=open, closed=null}",
                "COUNT ticket null {account=42}",
                "SUM ticket hours {account=42}",
                "MIN ticket opened_on {}",
                "MAX ticket priority {urgent=true}");
    }

    @Test
    void firstAndComparisonsReachTheLookupAsConditions() {
        EntityDefinition lead = lead(rule("region", RuleKind.COMPUTED, "region", """
                const tier = related.first('price_list_item', {product: 7, min_quantity: {lte: 10},
                    valid_until: {gte: '2025-03-14', orEmpty: true}, status: {not: 'retired'}}, '-min_quantity');
                const none = related.first('price_list_item');
                return [tier.id, tier.unit_price, Object.isFrozen(tier), none,
                        related.count('ticket', {opened_on: {gt: '2025-01-01', lt: '2025-02-01'}, closed: {not: null}})].join('|');"""));
        Recording lookup = new Recording();

        Map<String, Object> values = engine.evaluate(new RuleInput(lead, values("account", 42L), null, MARIA, lookup))
                .values();

        assertThat(values).containsEntry("region", "12|9.9|true||3");
        assertThat(lookup.asked).containsExactly(
                "FIRST price_list_item {product=7, min_quantity=Condition[bounds={LTE=10}, orEmpty=false],"
                        + " valid_until=Condition[bounds={GTE=2025-03-14}, orEmpty=true],"
                        + " status=Condition[bounds={NOT=retired}, orEmpty=false]} [-min_quantity]",
                "FIRST price_list_item {} []",
                "COUNT ticket null {opened_on=Condition[bounds={LT=2025-02-01, GT=2025-01-01}, orEmpty=false],"
                        + " closed=Condition[bounds={NOT=null}, orEmpty=false]}");
    }

    @Test
    void wrongComparisonsAndOrdersFailTheRuleWithWhatToWrite() {
        for (String[] wrong : new String[][] {
                {"related.count('ticket', {hours: {above: 3}})", "hours has the comparison above; use lt, lte, gt, gte, not or orEmpty: true"},
                {"related.count('ticket', {hours: {}})", "the filter of hours is empty"},
                {"related.count('ticket', {hours: {gt: [1]}})", "must be a text, number, true/false or null"},
                {"related.count('ticket', {hours: {orEmpty: 'yes'}})", "orEmpty of hours is true or false"},
                {"related.first('ticket', {}, 3)", "related.first orders by field names"}}) {
            EntityDefinition lead = lead(rule("region", RuleKind.COMPUTED, "region", "String(" + wrong[0] + ")"));
            assertThatThrownBy(() -> engine.evaluate(new RuleInput(lead, values(), null, MARIA, new Recording())))
                    .as(wrong[0]).isInstanceOf(RuleFailedException.class).hasMessageContaining(wrong[1]);
        }
    }

    @Test
    void examplesAnswerFirstAndComparisonsFromTheirFixtures() {
        EntityDefinition lead = lead(List.of(rule("region", RuleKind.COMPUTED, "region", """
                const tier = related.first('price_list_item', {product: 7, min_quantity: {lte: record.employees}}, '-min_quantity');
                const open = related.count('price_list_item', {valid_until: {gte: '2025-03-01', orEmpty: true}});
                return (tier ? tier.id + ':' + tier.unit_price : 'none') + '/' + open;""")),
                List.of(new RuleExample("tier of 25", values("employees", 25), null, List.of(),
                        Map.of("values", Map.of("region", "2:8/2")), EXAMPLE_AT, null, Map.of("price_list_item", List.of(
                                values("id", 1, "product", 7, "min_quantity", 1, "unit_price", 10, "valid_until", "2025-01-31"),
                                values("id", 2, "product", 7, "min_quantity", 10, "unit_price", 8, "valid_until", null),
                                values("id", 3, "product", 7, "min_quantity", 50, "unit_price", 6, "valid_until", "2025-12-31"),
                                values("id", 4, "product", 8, "min_quantity", 1, "unit_price", 99, "valid_until", "2024-01-01")))),
                        new RuleExample("below every tier", values("employees", 0), null, List.of(),
                                Map.of("values", Map.of("region", "none/0")), EXAMPLE_AT, null,
                                Map.of("price_list_item", List.of()))));

        assertThat(engine.runExamples(lead)).isEmpty();
    }

    @Test
    void relatedIdIsTheStoredRecordsIdAndNullForANewOne() {
        EntityDefinition lead = lead(rule("region", RuleKind.COMPUTED, "region",
                "related.id === null ? 'new' : 'id ' + related.id + ' ' + related.count('ticket', {account: related.id})"));

        assertThat(engine.evaluate(new RuleInput(lead, values(), values(), MARIA, new Recording(), 42L)).values())
                .containsEntry("region", "id 42 3");
        assertThat(engine.evaluate(new RuleInput(lead, values(), null, MARIA, new Recording())).values())
                .containsEntry("region", "new");
    }

    @Test
    void aValueThePlatformKeepsCurrentAsksThePlatformLookupOthersTheUsers() {
        Recording platform = new Recording();
        Recording users = new Recording() {
            @Override
            public RuleInput.RecordLookup asPlatform() {
                return platform;
            }
        };
        EntityDefinition lead = lead(
                new io.relata.api.rules.RuleDefinition("kept current", RuleKind.COMPUTED, "region", null,
                        "String(related.count('ticket', {kept: true}))", FILE, START, List.of("ticket.lead")),
                rule("as typed", RuleKind.COMPUTED, "company", "String(related.count('ticket', {kept: false}))"),
                validation("checked", "related.exists('ticket', {kept: false}) ? null : 'none'"));

        engine.evaluate(new RuleInput(lead, values(), null, MARIA, users));

        assertThat(platform.asked).containsExactly("COUNT ticket null {kept=true}");
        assertThat(users.asked).containsExactly("COUNT ticket null {kept=false}", "COUNT ticket null {kept=false}");
    }

    @Test
    void aRefusedQuestionFailsTheRuleWithTheStoresReason() {
        EntityDefinition lead = lead(rule("region", RuleKind.COMPUTED, "region",
                "String(related.sum('ticket', 'secret', {account: record.account}))"));

        assertThatThrownBy(() -> engine.evaluate(new RuleInput(lead, values("account", 42L), null, MARIA,
                new Recording()))).isInstanceOf(RuleFailedException.class)
                .hasMessageContaining("related.sum('ticket'): the field 'secret' of ticket is hidden");
    }

    @Test
    void filterValuesMustBePlainValues() {
        EntityDefinition lead = lead(rule("region", RuleKind.COMPUTED, "region",
                "String(related.count('ticket', {account: [1, 2]}))"));

        assertThatThrownBy(() -> engine.evaluate(new RuleInput(lead, values(), null, MARIA, new Recording())))
                .isInstanceOf(RuleFailedException.class)
                .hasMessageContaining("the filter value of account must be a text, number, true/false or null");
    }

    @Test
    void relatedIsFrozenAndHandsOutNoHostObject() {
        EntityDefinition lead = lead(rule("region", RuleKind.COMPUTED, "region", """
                'use strict';
                let out = Object.isFrozen(related) + ',' + Object.isFrozen(related.count);
                try { related.count = () => 1; out += ',assigned'; } catch (e) { out += ',refused'; }
                return out + ',' + typeof related.count('ticket');"""));

        assertThat(engine.evaluate(new RuleInput(lead, values(), null, MARIA, new Recording())).values())
                .containsEntry("region", "true,true,refused,number");
    }

    @Test
    void withoutAStoreRelatedQuestionsFailClearly() {
        EntityDefinition lead = lead(rule("region", RuleKind.COMPUTED, "region", "String(related.count('ticket'))"));

        assertThatThrownBy(() -> engine.evaluate(newRecord(lead, values()))).isInstanceOf(RuleFailedException.class)
                .hasMessageContaining("related records cannot be asked about here");
    }

    // ---- examples ----

    private static final String OPEN_TICKETS = """
            const open = related.count('ticket', {account: record.account, status: 'open'});
            const hours = related.sum('ticket', 'hours', {account: record.account});
            const account = lookup('account', record.account);
            return {score: open * 10 + hours, reasons: [(account ? account.name : 'no account') + ': ' + open + ' open']};""";

    private static RuleExample example(String name, Map<String, List<Map<String, Object>>> related, Object score,
                                       String reason) {
        return new RuleExample(name, values("account", 7), null, List.of(), Map.of("score", score, "reasons", List.of(reason)),
                EXAMPLE_AT, null, related);
    }

    private static EntityDefinition scored(RuleExample... examples) {
        return lead(List.of(new io.relata.api.rules.RuleDefinition("score", RuleKind.SCORE, "score", "score_reasons",
                OPEN_TICKETS, FILE, START)), List.of(examples));
    }

    @Test
    void examplesAnswerRelatedQuestionsAndLookupsFromTheirFixtures() {
        EntityDefinition lead = scored(example("two open tickets", Map.of(
                "ticket", List.of(values("account", 7, "status", "open", "hours", 2),
                        values("account", 7, "status", "open", "hours", new BigDecimal("1.5")),
                        values("account", 7, "status", "closed", "hours", 4),
                        values("account", 8, "status", "open", "hours", 100)),
                "account", List.of(values("id", 7, "name", "ACME"))), 28, "ACME: 2 open"),
                example("no tickets", Map.of("ticket", List.of()), 0, "no account: 0 open"));

        assertThat(engine.runExamples(lead)).isEmpty();
    }

    @Test
    void anExampleGivesTheStoredRecordsIdForRelatedId() {
        EntityDefinition lead = lead(List.of(rule("region", RuleKind.COMPUTED, "region",
                "String(related.count('ticket', {lead: related.id}))")), List.of(new RuleExample("stored lead",
                values("id", 5), null, List.of(), Map.of("values", Map.of("region", "2")), EXAMPLE_AT, null,
                Map.of("ticket", List.of(values("lead", 5), values("lead", 5), values("lead", 6))))));

        assertThat(engine.runExamples(lead)).isEmpty();
    }

    @Test
    void anExampleWithoutTheFixtureSaysWhichToAdd() {
        EntityDefinition lead = scored(example("forgot the tickets", Map.of(), 0, "x"));

        assertThat(engine.runExamples(lead)).singleElement().satisfies(problem -> {
            assertThat(problem.code()).isEqualTo(RuleProblem.RULE_FAILED);
            assertThat(problem.message()).contains("Example 'forgot the tickets'")
                    .contains("gives no ticket records to answer from")
                    .contains("related: {ticket: [{account: …, status: …}]}");
        });
    }

    @Test
    void aWrongFixtureAnswerFailsTheExample() {
        EntityDefinition lead = scored(example("one open ticket", Map.of(
                "ticket", List.of(values("account", 7, "status", "open", "hours", 0))), 20, "no account: 1 open"));

        assertThat(engine.runExamples(lead)).singleElement()
                .satisfies(problem -> assertThat(problem.message()).contains("expected score 20 but got 10"));
    }
}
