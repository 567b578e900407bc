package io.relata.store;

import io.relata.api.record.ErrorCodes;
import static io.relata.api.model.FieldType.DATE;
import static io.relata.api.model.FieldType.INTEGER;
import static io.relata.api.model.FieldType.MONEY;
import static io.relata.api.model.FieldType.TEXT;
import static io.relata.api.rules.RuleKind.COMPUTED;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import io.relata.api.model.MetadataModel;
import io.relata.api.record.FieldError;
import io.relata.api.record.Filter;
import io.relata.api.record.FilterOperator;
import io.relata.api.record.Record;
import io.relata.api.record.RecordQuery;
import io.relata.api.record.ValidationException;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A field's {@code min}, {@code max} and {@code pattern}: the store refuses what lies outside them, whoever
 * writes it (the user, a rule), and leaves comparisons (filters) and stored values alone.
 */
class FieldLimitsTest extends DatabaseTest {

    private static final MetadataModel MODEL = new ModelBuilder()
            .entity("deal", "name")
            .field("name", TEXT).required()
            .field("probability", INTEGER).limits(0L, 100L)
            .field("amount", MONEY).limits(BigDecimal.ZERO, null)
            .field("weighted", MONEY).limits(BigDecimal.ZERO, null)
            .field("signed_on", DATE).limits(LocalDate.parse("2000-01-01"), LocalDate.parse("2099-12-31"))
            .field("postal_code", TEXT).pattern("[0-9]{4,5}", "4 or 5 digits, e.g. 10115")
            .field("code", TEXT).pattern("(a+)+", null)
            .rule("weighted", COMPUTED, "weighted")
            .build();

    private FakeRules rules;
    private JdbcRecordStore store;

    @BeforeEach
    void migrate() {
        rules = new FakeRules().script("weighted", in -> {
            BigDecimal amount = (BigDecimal) in.values().get("amount");
            Long probability = (Long) in.values().get("probability");
            return amount == null || probability == null ? null : amount.doubleValue() * probability / 100;
        });
        store = migratedStore(MODEL).withRules(rules);
    }

    private static Map<String, Object> deal(Object... pairs) {
        Map<String, Object> values = new HashMap<>();
        values.put("name", "Deal");
        for (int i = 0; i < pairs.length; i += 2) {
            values.put((String) pairs[i], pairs[i + 1]);
        }
        return values;
    }

    private List<FieldError> errors(Map<String, Object> values) {
        try {
            store.create("deal", values);
        } catch (ValidationException e) {
            return e.errors();
        }
        throw new AssertionError("expected the create to be refused: " + values);
    }

    @Test
    void numbersOutsideMinAndMaxAreRefusedAndTheLimitsThemselvesAccepted() {
        assertThat(errors(deal("probability", 150))).extracting(FieldError::field, FieldError::code, FieldError::message)
                .containsExactly(tuple("probability", ErrorCodes.TOO_LARGE, "Enter a value of at most 100"));
        assertThat(errors(deal("probability", 504_041, "amount", "-0.01")))
                .extracting(FieldError::field, FieldError::code)
                .containsExactlyInAnyOrder(tuple("probability", ErrorCodes.TOO_LARGE), tuple("amount", ErrorCodes.TOO_SMALL));
        assertThat(errors(deal("probability", -1)).get(0).message()).isEqualTo("Enter a value of at least 0");

        Record edges = store.create("deal", deal("probability", 100, "amount", 0));
        assertThat(edges.get("probability")).isEqualTo(100L);
        assertThat(store.create("deal", deal("probability", "0")).get("probability")).isEqualTo(0L);
    }

    @Test
    void datesOutsideTheirRangeAreRefused() {
        assertThat(errors(deal("signed_on", "1999-12-31"))).extracting(FieldError::code, FieldError::message)
                .containsExactly(tuple(ErrorCodes.TOO_SMALL, "Enter a date on or after 2000-01-01"));
        assertThat(errors(deal("signed_on", "2100-01-01")).get(0).code()).isEqualTo(ErrorCodes.TOO_LARGE);
        assertThat(store.create("deal", deal("signed_on", "2000-01-01")).get("signed_on")).isEqualTo(LocalDate.parse("2000-01-01"));
    }

    @Test
    void textThatDoesNotMatchTheWholePatternIsRefusedInTheFieldsOwnWords() {
        assertThat(errors(deal("postal_code", "D-10115"))).extracting(FieldError::field, FieldError::code, FieldError::message)
                .containsExactly(tuple("postal_code", ErrorCodes.PATTERN, "Enter 4 or 5 digits, e.g. 10115"));
        assertThat(errors(deal("postal_code", "101155")).get(0).code()).isEqualTo(ErrorCodes.PATTERN);
        assertThat(store.create("deal", deal("postal_code", " 10115 ")).get("postal_code")).isEqualTo("10115");
        assertThat(store.create("deal", deal("postal_code", "8001")).get("postal_code")).isEqualTo("8001");
        assertThat(errors(deal("code", "b")).get(0).message())
                .isEqualTo("Enter a value in the expected format (the pattern (a+)+)");
    }

    @Test
    @Timeout(value = 5, unit = TimeUnit.MINUTES) // without the step limit this runs for ages: fail instead of hanging
    void aPatternThatBacktracksWithoutEndStopsAndRefusesTheValue() {
        // (a+)+ against many a's and a final b takes exponential time in java.util.regex
        String evil = "a".repeat(60) + "b";
        assertThat(errors(deal("code", evil))).extracting(FieldError::code).containsExactly(ErrorCodes.PATTERN);
        assertThat(store.create("deal", deal("code", "a".repeat(200))).get("code")).isEqualTo("a".repeat(200));
    }

    @Test
    void aValueARuleComputesOutsideTheLimitsIsTheRulesFault() {
        rules.script("weighted", in -> -5.0);
        assertThat(errors(deal("amount", 100, "probability", 10)))
                .extracting(FieldError::field, FieldError::code).containsExactly(tuple("weighted", ErrorCodes.RULE_VALUE));
        assertThat(errors(deal("amount", 100, "probability", 10)).get(0).message())
                .contains("The value the rule 'weighted' computed", "Enter a value of at least 0");
    }

    @Test
    void filtersCompareWithAnyValue() {
        store.create("deal", deal("probability", 40));
        RecordQuery above = new RecordQuery(List.of(new Filter("probability", FilterOperator.GT, "150")), List.of(), null,
                10, null);
        RecordQuery below = new RecordQuery(List.of(new Filter("probability", FilterOperator.GT, "-10")), List.of(), null,
                10, null);
        assertThat(store.query("deal", above).records()).isEmpty();
        assertThat(store.count("deal", below)).isEqualTo(1);
    }

    @Test
    void aStoredValueOutsideLimitsAddedLaterIsKeptUntilSomeoneChangesIt() {
        MetadataModel before = new ModelBuilder().entity("deal", "name").field("name", TEXT).required()
                .field("probability", INTEGER).field("amount", MONEY).field("weighted", MONEY)
                .field("signed_on", DATE).field("postal_code", TEXT).field("code", TEXT).build();
        Record old = new JdbcRecordStore(db.dataSource(), () -> before).create("deal", deal("probability", 150));

        Record renamed = store.update("deal", old.id(), 1, Map.of("name", "Renamed"));
        assertThat(renamed.get("probability")).isEqualTo(150L);
        assertThatThrownBy(() -> store.update("deal", old.id(), 2, Map.of("probability", 120)))
                .isInstanceOfSatisfying(ValidationException.class, e -> assertThat(e.errors())
                        .extracting(FieldError::code).containsExactly(ErrorCodes.TOO_LARGE));
        assertThat(store.update("deal", old.id(), 2, Map.of("probability", 90)).get("probability")).isEqualTo(90L);
    }
}
