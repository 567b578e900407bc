package io.relata.store;

import static io.relata.api.model.FieldType.CHOICE;
import static io.relata.api.model.FieldType.INTEGER;
import static io.relata.api.model.FieldType.LONG_TEXT;
import static io.relata.api.model.FieldType.MONEY;
import static io.relata.api.model.FieldType.TEXT;
import static io.relata.api.rules.RuleKind.COMPUTED;
import static io.relata.api.rules.RuleKind.DEFAULT;
import static io.relata.api.rules.RuleKind.READ_ONLY_WHEN;
import static io.relata.api.rules.RuleKind.REQUIRED_WHEN;
import static io.relata.api.rules.RuleKind.SCORE;
import static io.relata.api.rules.RuleKind.VALIDATION;
import static io.relata.api.rules.RuleKind.VISIBLE_WHEN;
import static io.relata.api.security.AccessScope.ALL;
import static io.relata.api.security.AccessScope.OWN;
import static io.relata.api.security.FieldAccess.HIDDEN;
import static io.relata.api.security.FieldAccess.READ_ONLY;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.relata.api.model.MetadataModel;
import io.relata.api.record.FieldError;
import io.relata.api.record.Record;
import io.relata.api.record.RecordQuery;
import io.relata.api.record.ValidationException;
import io.relata.api.rules.RuleFailedException;
import io.relata.api.rules.RuleInput;
import io.relata.api.rules.RuleOutcome;
import io.relata.api.security.Actor;
import io.relata.store.AuditEntry.FieldChange;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The store runs the entity's rules on every create, update and replace (through {@link FakeRules}, which
 * stands in for the JavaScript engine): it stores what they compute, refuses what they refuse, and rolls
 * everything back when a rule fails.
 */
class RulesInWritePathTest extends DatabaseTest {

    /**
     * Deals with one rule of every kind, and accounts that the computed account_name looks up (account_id
     * is a plain number, so the lookup, not the reference check, decides what the rule may see).
     */
    private static final MetadataModel MODEL = TestRoles.withRoles(new ModelBuilder()
                    .entity("deal", "name")
                    .field("name", TEXT).required()
                    .field("stage", CHOICE).options("open", "won", "lost")
                    .field("quantity", INTEGER)
                    .field("unit_price", MONEY)
                    .field("total", MONEY)
                    .field("amount", MONEY)
                    .field("discount", MONEY)
                    .field("probability", INTEGER)
                    .field("score", INTEGER)
                    .field("score_reasons", LONG_TEXT)
                    .field("close_reason", TEXT)
                    .field("account_id", INTEGER)
                    .field("account_name", TEXT)
                    .rule("total", COMPUTED, "total")
                    .rule("probability_default", DEFAULT, "probability")
                    .rule("discount_default", DEFAULT, "discount")
                    .rule("deal_score", SCORE, "score", "score_reasons")
                    .rule("close_reason_visible", VISIBLE_WHEN, "close_reason")
                    .rule("close_reason_required", REQUIRED_WHEN, "close_reason")
                    .rule("amount_locked", READ_ONLY_WHEN, "amount")
                    .rule("discount_locked", READ_ONLY_WHEN, "discount")
                    .rule("positive_quantity", VALIDATION, null)
                    .rule("won_needs_amount", VALIDATION, null)
                    .rule("account_name", COMPUTED, "account_name")
                    .entity("account", "name")
                    .field("name", TEXT)
                    .field("secret", TEXT)
                    .build(),
            TestRoles.role("rep").grant("deal").create().all(ALL).field("total", READ_ONLY).field("score", HIDDEN)
                    .grant("account").create().all(OWN).field("secret", HIDDEN).build(),
            TestRoles.administrator("admin"));

    private static final Actor ADA = Actor.user(10, "ada", Set.of("rep"), List.of(7L));
    private static final Actor ROOT = Actor.user(1, "root", Set.of("admin"), List.of());

    private FakeRules rules;
    private JdbcRecordStore system;
    private final List<AuditEntry> audit = new ArrayList<>();
    private Actor current = ADA;
    private SecuredRecordStore secured;

    @BeforeEach
    void migrate() {
        rules = new FakeRules()
                .script("total", in -> {
                    Long quantity = (Long) in.values().get("quantity");
                    BigDecimal price = (BigDecimal) in.values().get("unit_price");
                    return quantity == null || price == null ? null : quantity * price.doubleValue(); // as JS would
                })
                .script("probability_default", in -> 10)
                .script("discount_default", in -> 0)
                .script("deal_score", in -> {
                    int score = 0;
                    List<Object> reasons = new ArrayList<>();
                    BigDecimal amount = (BigDecimal) in.values().get("amount");
                    if (amount != null && amount.compareTo(new BigDecimal("1000")) >= 0) {
                        score += 20;
                        reasons.add(Map.of("points", 20, "reason", "big amount"));
                    }
                    if ("won".equals(in.values().get("stage"))) {
                        score += 5;
                        reasons.add("won");
                    }
                    return Map.of("score", (double) score, "reasons", reasons);
                })
                .script("close_reason_visible", in -> "lost".equals(in.values().get("stage")))
                .script("close_reason_required", in -> "lost".equals(in.values().get("stage")))
                .script("amount_locked", in -> in.previous() != null && "won".equals(in.previous().get("stage")))
                .script("discount_locked", in -> "won".equals(in.values().get("stage")))
                .script("positive_quantity", in -> {
                    Long quantity = (Long) in.values().get("quantity");
                    return quantity != null && quantity < 0 ? Map.of("quantity", "Enter a quantity of 0 or more") : null;
                })
                .script("won_needs_amount", in -> "won".equals(in.values().get("stage"))
                        && in.values().get("amount") == null ? "A won deal needs an amount" : null)
                .script("account_name", in -> {
                    Long id = (Long) in.values().get("account_id");
                    return id == null ? null : in.lookup().find("account", id)
                            .map(account -> account.get("name") + (account.containsKey("secret")
                                    ? " (" + account.get("secret") + ")" : ""))
                            .orElse(null);
                });
        system = migratedStore(MODEL).withRules(rules);
        db.execute("CREATE TABLE audit_test (record_id BIGINT)");
        secured = new SecuredRecordStore(system, () -> MODEL, () -> current, (connection, entry) -> {
            audit.add(entry);
            try (PreparedStatement insert = connection.prepareStatement("INSERT INTO audit_test VALUES (?)")) {
                insert.setLong(1, entry.recordId());
                insert.executeUpdate();
            }
        });
    }

    private static Map<String, Object> values(Object... pairs) {
        Map<String, Object> values = new HashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            values.put((String) pairs[i], pairs[i + 1]);
        }
        return values;
    }

    private long auditRows() {
        try (Connection c = db.connection(); PreparedStatement count = c.prepareStatement("SELECT COUNT(*) FROM audit_test");
             ResultSet rs = count.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    // ---- values the rules set ----

    @Test
    void aComputedValueIsStoredAndRecomputedOnUpdate() {
        Record created = system.create("deal", values("name", "D", "quantity", 3, "unit_price", "0.10"));
        assertThat(created.get("total")).as("3 * 0.1 in binary floating point, rounded to the money scale")
                .isEqualTo(new BigDecimal("0.30"));

        Record updated = system.update("deal", created.id(), 1, values("quantity", 40));
        assertThat(updated.get("total")).isEqualTo(new BigDecimal("4.00"));
        Record cleared = system.update("deal", created.id(), 2, values("unit_price", null));
        assertThat(cleared.get("total")).isNull();
        assertThat(system.get("deal", created.id()).get("total")).isNull();
    }

    @Test
    void aDefaultIsSetOnlyOnCreateAndOnlyWhenNoValueIsGiven() {
        Record defaulted = system.create("deal", values("name", "A"));
        Record given = system.create("deal", values("name", "B", "probability", 50));
        assertThat(defaulted.get("probability")).isEqualTo(10L);
        assertThat(given.get("probability")).isEqualTo(50L);

        Record emptied = system.update("deal", defaulted.id(), 1, values("probability", null));
        assertThat(emptied.get("probability")).as("no default on update").isNull();
    }

    @Test
    void aDefaultTheRulesOfferOnUpdateIsNotApplied() {
        long id = system.create("deal", values("name", "A", "probability", 30)).id();
        JdbcRecordStore eager = system.withRules(in -> new RuleOutcome(values("probability", 99), List.of(),
                Map.of(), Set.of(), Set.of()));

        assertThat(eager.update("deal", id, 1, values("probability", null)).get("probability")).isNull();
    }

    @Test
    void aScoreAndItsReasonsAreStored() {
        Record deal = system.create("deal", values("name", "Big", "stage", "won", "amount", "2500"));

        assertThat(deal.get("score")).isEqualTo(25L);
        assertThat(deal.get("score_reasons")).isEqualTo("+20 big amount\nwon");
        Record smaller = system.update("deal", deal.id(), 1, values("stage", "open"));
        assertThat(smaller.get("score")).isEqualTo(20L);
        assertThat(smaller.get("score_reasons")).isEqualTo("+20 big amount");
    }

    @Test
    void aValueThatDoesNotFitItsFieldNamesTheRule() {
        JdbcRecordStore wrong = system.withRules(in -> new RuleOutcome(values("total", "lots", "nonsense", 1),
                List.of(), Map.of(), Set.of(), Set.of()));

        assertThatThrownBy(() -> wrong.create("deal", values("name", "D")))
                .isInstanceOfSatisfying(ValidationException.class, e -> assertThat(e.errors()).containsExactlyInAnyOrder(
                        new FieldError("total", "rule_value", "The value the rule 'total' computed for total does not "
                                + "fit the field (Enter a number like 1234.56 (digits, optional minus sign and decimal "
                                + "point), not 'lots'); an administrator must fix the rule"),
                        new FieldError("nonsense", "rule_value", "The rules set a value for 'nonsense', which is not a "
                                + "field of deal; an administrator must fix them")));
        assertThat(system.count("deal", RecordQuery.all())).isZero();
    }

    // ---- what the rules refuse ----

    @Test
    void ruleErrorsAndTypeErrorsComeInOneException() {
        assertThat(ValidationTestSupport.codes(() -> system.create("deal", values("name", "D", "quantity", -1,
                "unit_price", "cheap", "stage", "won")))).containsExactlyInAnyOrder(
                "unit_price:not_a_number", "quantity:rule", "null:rule");
        assertThatThrownBy(() -> system.create("deal", values("quantity", -1)))
                .isInstanceOfSatisfying(ValidationException.class, e -> assertThat(e.errors()).containsExactly(
                        new FieldError("quantity", "rule", "Enter a quantity of 0 or more"),
                        new FieldError("name", "required", "Enter a value for name; it is required")));
        assertThat(system.count("deal", RecordQuery.all())).isZero();
    }

    @Test
    void aFieldTheRulesRequireNeedsAValue() {
        assertThatThrownBy(() -> system.create("deal", values("name", "D", "stage", "lost")))
                .isInstanceOfSatisfying(ValidationException.class, e -> assertThat(e.errors()).containsExactly(
                        new FieldError("close_reason", "required", "Enter a value for close_reason; it is required")));
        long id = system.create("deal", values("name", "D", "stage", "open")).id();

        assertThat(ValidationTestSupport.codes(() -> system.update("deal", id, 1, values("stage", "lost"))))
                .containsExactly("close_reason:required");
        assertThat(system.update("deal", id, 1, values("stage", "lost", "close_reason", "price")).get("close_reason"))
                .isEqualTo("price");
    }

    @Test
    void aFieldTheRulesMakeReadOnlyCannotBeChanged() {
        long id = system.create("deal", values("name", "D", "stage", "won", "amount", "100")).id();

        assertThatThrownBy(() -> system.update("deal", id, 1, values("amount", "200")))
                .isInstanceOfSatisfying(ValidationException.class, e -> assertThat(e.errors()).containsExactly(
                        new FieldError("amount", "read_only_field", "You may not change amount now: the rules make it "
                                + "read-only")));
        assertThat(system.update("deal", id, 1, values("amount", "100.00", "name", "E")).get("name"))
                .as("the value it has is accepted").isEqualTo("E");
        Record replaced = system.replace("deal", id, 2, values("name", "F", "stage", "won"));
        assertThat(replaced.get("amount")).as("left out of a replace: kept").isEqualTo(new BigDecimal("100.00"));
    }

    @Test
    void aNewRecordMayGiveAReadOnlyFieldOnlyTheValueTheRulesSet() {
        assertThat(ValidationTestSupport.codes(() -> system.create("deal", values("name", "D", "stage", "won",
                "amount", "1", "discount", "5")))).containsExactly("discount:read_only_field");

        Record deal = system.create("deal", values("name", "D", "stage", "won", "amount", "1", "discount", "0"));
        assertThat(deal.get("discount")).isEqualTo(new BigDecimal("0.00"));
    }

    @Test
    void aComputedFieldCannotBeWrittenDirectlyWhateverTheRole() {
        assertThat(ValidationTestSupport.codes(() -> system.create("deal", values("name", "D", "total", "5"))))
                .containsExactly("total:read_only_field");
        long id = system.create("deal", values("name", "D", "quantity", 2, "unit_price", "3")).id();
        assertThat(ValidationTestSupport.codes(() -> system.update("deal", id, 1, values("total", "7"))))
                .containsExactly("total:read_only_field");
        assertThat(ValidationTestSupport.codes(() -> system.update("deal", id, 1, values("score", "x"))))
                .as("not converted: no value is accepted anyway").containsExactly("score:read_only_field");
        current = ROOT;
        assertThat(ValidationTestSupport.codes(() -> secured.update("deal", id, 1, values("score_reasons", "trust me"))))
                .containsExactly("score_reasons:read_only_field");

        Record sentBack = system.update("deal", id, 1, values("total", "6.00", "quantity", 3));
        assertThat(sentBack.get("total")).as("the stored value may be sent back; the rule's wins")
                .isEqualTo(new BigDecimal("9.00"));
        assertThat(system.replace("deal", id, 2, values("name", "D")).get("score")).as("replace keeps it computed")
                .isEqualTo(0L);
    }

    // ---- failure, transactions, audit ----

    @Test
    void aFailingRuleRollsEverythingBack() {
        long id = secured.create("deal", values("name", "D", "quantity", 1)).id();
        audit.clear();
        rules.script("positive_quantity", in -> {
            throw new IllegalStateException("quantity is not defined");
        });

        assertThatThrownBy(() -> secured.update("deal", id, 1, values("name", "E")))
                .isInstanceOfSatisfying(RuleFailedException.class, e -> {
                    assertThat(e.rule()).isEqualTo("positive_quantity");
                    assertThat(e.getMessage()).isEqualTo("The rule 'positive_quantity' could not be applied (quantity "
                            + "is not defined); nothing was saved. An administrator can find it at "
                            + "metadata/entities/deal.yaml.");
                });
        assertThatThrownBy(() -> system.transactions().runInTransaction(() -> {
            secured.create("account", values("name", "Acme"));
            secured.create("deal", values("name", "F"));
        })).isInstanceOf(RuleFailedException.class);

        assertThat(system.get("deal", id).get("name")).isEqualTo("D");
        assertThat(system.get("deal", id).version()).isEqualTo(1);
        assertThat(system.count("deal", RecordQuery.all())).isEqualTo(1);
        assertThat(system.count("account", RecordQuery.all())).as("the whole transaction").isZero();
        assertThat(auditRows()).isEqualTo(1);
    }

    @Test
    void rulesSeeTheMergedRecordThePreviousValuesAndTheActor() {
        long id = system.create("deal", values("name", "D", "quantity", 2)).id();
        RuleInput onCreate = rules.inputs.get(0);
        assertThat(onCreate.isNew()).isTrue();
        assertThat(onCreate.previous()).isNull();
        assertThat(onCreate.values()).containsEntry("name", "D").containsEntry("quantity", 2L)
                .containsEntry("stage", null);
        assertThat(onCreate.actor()).isEqualTo(Actor.SYSTEM);

        secured.update("deal", id, 1, values("name", "E"));
        RuleInput onUpdate = rules.inputs.get(1);
        assertThat(onUpdate.previous()).containsEntry("name", "D").containsEntry("quantity", 2L)
                .containsEntry("probability", 10L);
        assertThat(onUpdate.values()).as("score: hidden from ada, seen by the rules").containsEntry("name", "E")
                .containsEntry("quantity", 2L).containsEntry("score", 0L);
        assertThat(onUpdate.actor()).isEqualTo(ADA);
    }

    @Test
    void computedValuesReachFieldsTheActorMayNotWriteAndTheAudit() {
        Record deal = secured.create("deal", values("name", "D", "quantity", 2, "unit_price", "5", "amount", "1000"));

        assertThat(deal.get("total")).isEqualTo(new BigDecimal("10.00"));
        assertThat(deal.values()).doesNotContainKey("score");
        assertThat(system.get("deal", deal.id()).get("score")).isEqualTo(20L);
        assertThat(audit.get(0).changes()).containsEntry("total", new FieldChange(null, new BigDecimal("10.00")))
                .containsEntry("score", new FieldChange(null, 20L))
                .containsEntry("probability", new FieldChange(null, 10L));

        secured.update("deal", deal.id(), 1, values("quantity", 3));
        assertThat(audit.get(1).changes()).containsOnly(Map.entry("quantity", new FieldChange(2L, 3L)),
                Map.entry("total", new FieldChange(new BigDecimal("10.00"), new BigDecimal("15.00"))));
    }

    @Test
    void lookupsSeeOnlyWhatTheActorMaySee() {
        long mine = secured.create("account", values("name", "Mine")).id();
        system.update("account", mine, 1, values("secret", "s1"));
        long other = system.create("account", values("name", "Other", "secret", "s2"), 99L, 99L).id();

        assertThat(secured.create("deal", values("name", "A", "account_id", mine)).get("account_name"))
                .as("hidden field removed").isEqualTo("Mine");
        assertThat(secured.create("deal", values("name", "B", "account_id", other)).get("account_name"))
                .as("outside ada's scope").isNull();
        assertThat(system.create("deal", values("name", "C", "account_id", other)).get("account_name"))
                .as("the system store looks up everything").isEqualTo("Other (s2)");
        assertThat(system.create("deal", values("name", "D", "account_id", 12345)).get("account_name")).isNull();
    }

    // ---- forms ----

    @Test
    void formsGetTheOutcomeForTypedValuesWithoutWriting() {
        RuleOutcome typing = secured.evaluateRules("deal", values("name", "D", "quantity", "3", "unit_price", "2.5",
                "stage", "lost", "amount", "not yet", "total", "999"), null);

        assertThat(typing.values()).containsEntry("total", new BigDecimal("7.50"))
                .containsEntry("probability", 10L).doesNotContainKey("score");
        assertThat(typing.visible()).containsEntry("close_reason", true);
        assertThat(typing.required()).containsExactly("close_reason");
        assertThat(typing.errors()).isEmpty();
        assertThat(rules.inputs.get(0).values()).as("unconvertible: empty; computed: ignored")
                .containsEntry("amount", null).containsEntry("total", null);
        assertThat(system.count("deal", RecordQuery.all())).isZero();
    }

    @Test
    void formsOfAStoredRecordMergeWithItAndSeeItAsPrevious() {
        long id = secured.create("deal", values("name", "D", "stage", "won", "amount", "10", "quantity", 2,
                "unit_price", "1")).id();
        rules.inputs.clear();

        RuleOutcome editing = secured.evaluateRules("deal", values("quantity", "5", "quantity_typo", "x"), id);

        assertThat(editing.values()).containsEntry("total", new BigDecimal("5.00"));
        assertThat(editing.readOnly()).containsExactlyInAnyOrder("amount", "discount");
        assertThat(editing.visible()).containsEntry("close_reason", false);
        assertThat(rules.inputs.get(0).previous()).containsEntry("quantity", 2L);
        assertThat(rules.inputs.get(0).values()).containsEntry("quantity", 5L).containsEntry("stage", "won");
        assertThat(system.get("deal", id).version()).isEqualTo(1);
        assertThat(system.get("deal", id).get("quantity")).isEqualTo(2L);
    }
}
