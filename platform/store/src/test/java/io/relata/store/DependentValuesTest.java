package io.relata.store;

import static io.relata.api.model.FieldType.CHOICE;
import static io.relata.api.model.FieldType.INTEGER;
import static io.relata.api.model.FieldType.REFERENCE;
import static io.relata.api.model.FieldType.TEXT;
import static io.relata.api.rules.RuleKind.COMPUTED;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.relata.api.model.MetadataModel;
import io.relata.api.record.Record;
import io.relata.api.record.ValidationException;
import io.relata.api.rules.RuleInput;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Stored values that depend on other records ({@code dependsOn}) are recomputed when those change, in the same
 * transaction: a contact's copy of its account's industry ({@code account.industry}) and an account's count of open
 * tickets ({@code ticket.account}, created, moved between accounts, closed, deleted).
 */
class DependentValuesTest extends DatabaseTest {

    private static final MetadataModel MODEL = new ModelBuilder()
            .entity("account", "name")
            .field("name", TEXT)
            .field("industry", TEXT)
            .field("open_tickets", INTEGER)
            .rule("open_tickets", COMPUTED, "open_tickets").dependsOn("ticket.account")
            .entity("contact", "name")
            .field("name", TEXT)
            .field("account", REFERENCE).references("account")
            .field("account_industry", TEXT)
            .rule("account_industry", COMPUTED, "account_industry").dependsOn("account.industry")
            .entity("ticket", "subject")
            .field("subject", TEXT)
            .field("account", REFERENCE).references("account")
            .field("status", CHOICE).options("open", "closed")
            .build();

    private FakeRules rules;
    private JdbcRecordStore store;

    @BeforeEach
    void migrate() {
        rules = new FakeRules()
                .script("open_tickets", in -> in.id() == null ? 0 : in.lookup().aggregate("ticket",
                        RuleInput.Aggregate.COUNT, null, filter("account", in.id(), "status", "open")))
                .script("account_industry", in -> in.values().get("account") == null ? null
                        : in.lookup().find("account", (Long) in.values().get("account"))
                        .map(a -> a.get("industry")).orElse(null));
        store = migratedStore(MODEL).withRules(rules);
    }

    private static Map<String, Object> values(Object... pairs) {
        Map<String, Object> values = new HashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            values.put((String) pairs[i], pairs[i + 1]);
        }
        return values;
    }

    private static Map<String, Object> filter(Object... pairs) {
        Map<String, Object> filter = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            filter.put((String) pairs[i], pairs[i + 1]);
        }
        return filter;
    }

    private Record update(String entity, long id, Object... pairs) {
        return store.update(entity, id, store.get(entity, id).version(), values(pairs));
    }

    @Test
    void aChangedFieldOfTheReferencedRecordIsCopiedAgainIntoEveryRecordPointingToIt() {
        long acme = store.create("account", values("name", "ACME", "industry", "retail")).id();
        long ada = store.create("contact", values("name", "Ada", "account", acme)).id();
        long bob = store.create("contact", values("name", "Bob", "account", acme)).id();
        assertThat(store.get("contact", ada).get("account_industry")).isEqualTo("retail");
        long adaVersion = store.get("contact", ada).version();

        update("account", acme, "name", "ACME Inc.");
        assertThat(store.get("contact", ada).version()).as("a change of another field recomputes nothing")
                .isEqualTo(adaVersion);

        update("account", acme, "industry", "energy");
        assertThat(store.get("contact", ada).get("account_industry")).isEqualTo("energy");
        assertThat(store.get("contact", bob).get("account_industry")).isEqualTo("energy");
    }

    @Test
    void countsOverRecordsPointingHereFollowTheirCreationMovesAndDeletion() {
        long acme = store.create("account", values("name", "ACME")).id();
        long other = store.create("account", values("name", "Other")).id();
        long first = store.create("ticket", values("subject", "A", "account", acme, "status", "open")).id();
        long second = store.create("ticket", values("subject", "B", "account", acme, "status", "open")).id();
        assertThat(store.get("account", acme).get("open_tickets")).isEqualTo(2L);

        update("ticket", first, "status", "closed");
        assertThat(store.get("account", acme).get("open_tickets")).isEqualTo(1L);

        update("ticket", second, "account", other);
        assertThat(store.get("account", acme).get("open_tickets")).as("the account it left").isEqualTo(0L);
        assertThat(store.get("account", other).get("open_tickets")).as("the account it went to").isEqualTo(1L);

        store.delete("ticket", second, null);
        assertThat(store.get("account", other).get("open_tickets")).isEqualTo(0L);
    }

    @Test
    void theRecomputationIsPartOfTheWriteAndRollsBackWithIt() {
        long acme = store.create("account", values("name", "ACME")).id();
        store.create("ticket", values("subject", "A", "account", acme, "status", "open"));
        rules.script("open_tickets", in -> {
            throw new IllegalStateException("the score cannot be computed now");
        });

        assertThatThrownBy(() -> store.create("ticket", values("subject", "B", "account", acme, "status", "open")))
                .hasMessageContaining("the score cannot be computed now");
        assertThat(store.query("ticket", io.relata.api.record.RecordQuery.all()).records())
                .as("the ticket whose account could not be recomputed was not stored").hasSize(1);
    }

    @Test
    void moreDependentsThanTheBoundRefuseTheChange() {
        long acme = store.create("account", values("name", "ACME", "industry", "retail")).id();
        store.create("contact", values("name", "c", "account", acme));
        for (int i = 0; i < 10; i++) { // 2^10 = 1024 contacts
            db.execute("INSERT INTO " + Names.quote(Names.table("contact")) + " (" + Names.quote(Names.VERSION) + ", "
                    + Names.quote(Names.CREATED_AT) + ", " + Names.quote(Names.UPDATED_AT) + ", " + Names.quote("name")
                    + ", " + Names.quote("account") + ") SELECT 1, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP, 'c', "
                    + Names.quote("account") + " FROM " + Names.quote(Names.table("contact")));
        }

        assertThatThrownBy(() -> update("account", acme, "industry", "energy"))
                .isInstanceOf(ValidationException.class)
                .hasMessageContaining("more than " + Dependents.MAX_RECORDS + " contact records")
                .hasMessageContaining("account.industry");
        assertThat(store.get("account", acme).get("industry")).isEqualTo("retail");
    }
}
