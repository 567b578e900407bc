package io.relata.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.relata.api.record.FieldError;
import io.relata.api.record.ValidationException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ValidationTest extends DatabaseTest {

    private JdbcRecordStore store;

    @BeforeEach
    void migrate() {
        store = migratedStore(TestModels.crm());
    }

    private Map<String, Object> account(Object... keyValues) {
        Map<String, Object> values = new HashMap<>();
        values.put("name", "Acme");
        for (int i = 0; i < keyValues.length; i += 2) {
            values.put((String) keyValues[i], keyValues[i + 1]);
        }
        return values;
    }

    private static FieldError singleError(ThrowingCallable call) {
        ValidationException[] caught = new ValidationException[1];
        assertThatThrownBy(call).isInstanceOfSatisfying(ValidationException.class, e -> caught[0] = e);
        assertThat(caught[0].errors()).hasSize(1);
        return caught[0].errors().get(0);
    }

    private FieldError createError(Object... keyValues) {
        return singleError(() -> store.create("account", account(keyValues)));
    }

    @Test
    void requiredFieldWithoutValueIsRefused() {
        Map<String, Object> blank = account("name", "   ");
        FieldError error = singleError(() -> store.create("account", blank));

        assertThat(error).isEqualTo(new FieldError("name", "required", "Enter a value for name; it is required"));
        assertThat(singleError(() -> store.create("account", Map.of())).code()).isEqualTo("required");
    }

    @Test
    void hugeNumbersAreRefusedWithoutBeingExpanded() {
        assertThat(createError("name", new java.math.BigDecimal("1e999999999")).code()).isEqualTo("too_long");
        assertThat(createError("employees", new java.math.BigDecimal("1e999999999")).code()).isEqualTo("too_many_digits");
        assertThat(createError("employees", new java.math.BigDecimal("9223372036854775808")).code()).isEqualTo("too_many_digits");
    }

    @Test
    void requiredIsCheckedOnTheRecordAfterTheUpdate() {
        long id = store.create("account", account()).id();

        assertThat(store.update("account", id, 1, Map.of("employees", 3)).get("name")).isEqualTo("Acme");
        assertThat(singleError(() -> store.update("account", id, 2, Map.of("name", ""))).code()).isEqualTo("required");
        assertThat(singleError(() -> store.replace("account", id, 2, Map.of("employees", 4))).code())
                .isEqualTo("required");
    }

    @Test
    void unknownAndSystemFieldsAreRefused() {
        assertThat(createError("nickname", "x"))
                .isEqualTo(new FieldError("nickname", "unknown_field", "account has no field 'nickname'"));
        assertThat(createError("version", 3)).extracting(FieldError::field, FieldError::code)
                .containsExactly("version", "read_only_field");
        assertThat(createError("id", 3).code()).isEqualTo("read_only_field");
        assertThat(createError("created_at", "2024-01-01T00:00:00Z").code()).isEqualTo("read_only_field");
    }

    @Test
    void textLongerThanMaxLengthIsRefused() {
        assertThat(createError("code", "x".repeat(21)))
                .isEqualTo(new FieldError("code", "too_long", "Enter at most 20 characters (this value has 21)"));
        assertThat(store.create("account", account("code", "x".repeat(20))).get("code")).isEqualTo("x".repeat(20));
    }

    @Test
    void aNulCharacterIsAFieldErrorOnEveryDatabase() {
        assertThat(createError("name", "Ac\u0000me")).isEqualTo(new FieldError("name", "invalid_character",
                "Remove the NUL character (U+0000) at position 3; text cannot contain it"));
        assertThat(createError("description", "line\n\u0000").code()).isEqualTo("invalid_character");
        assertThat(createError("tags", "vip,\u0000").code()).isEqualTo("invalid_character");
        long id = store.create("account", account()).id();
        assertThat(singleError(() -> store.update("account", id, 1, Map.of("code", "\u0000"))).code())
                .isEqualTo("invalid_character");
        assertThat(store.get("account", id).version()).isEqualTo(1);
    }

    @Test
    void numbersAreChecked() {
        assertThat(createError("employees", "many").code()).isEqualTo("not_a_number");
        assertThat(createError("revenue", "12,50").code()).isEqualTo("not_a_number");
        assertThat(createError("employees", "1.5").code()).isEqualTo("not_an_integer");
        assertThat(createError("employees", 2.5).code()).isEqualTo("not_an_integer");
        assertThat(createError("employees", "99999999999999999999").code()).isEqualTo("too_many_digits");
        assertThat(createError("rating", "1234.5")).isEqualTo(new FieldError("rating", "too_many_digits",
                "Enter at most 3 digits before the decimal point"));
        assertThat(createError("revenue", "1.005")).isEqualTo(new FieldError("revenue", "too_many_digits",
                "Enter at most 2 digits after the decimal point"));
        assertThat(store.create("account", account("employees", "1.0", "revenue", "1.500")).get("employees"))
                .isEqualTo(1L);
    }

    @Test
    void datesBooleansAndChoicesAreChecked() {
        assertThat(createError("founded", "31.05.2024").code()).isEqualTo("not_a_date");
        assertThat(createError("last_contact", "31.05.2024 10:00").code()).isEqualTo("not_a_date_time");
        assertThat(store.create("account", account("last_contact", "2024-05-31 10:00")).get("last_contact"))
                .as("minutes without seconds and without an offset are UTC")
                .isEqualTo(java.time.OffsetDateTime.parse("2024-05-31T10:00Z"));
        assertThat(store.create("account", account("name", "B", "last_contact", "2024-05-31 12:00+02:00")).get("last_contact"))
                .isEqualTo(java.time.OffsetDateTime.parse("2024-05-31T10:00Z"));
        assertThat(createError("active", "yes")).isEqualTo(new FieldError("active", "not_a_boolean", "Enter true or false"));
        assertThat(createError("industry", "mining")).isEqualTo(new FieldError("industry", "unknown_option",
                "'mining' is not an option; choose one of: tech, retail, finance"));
        assertThat(createError("tags", List.of("vip", "gold")).message())
                .isEqualTo("'gold' is not an option; choose from: vip, partner, lead");
    }

    @Test
    void emailUrlAndPhoneFormatsAreChecked() {
        assertThat(createError("email", "info.acme.example").code()).isEqualTo("invalid_email");
        assertThat(createError("email", "info@acme").code()).isEqualTo("invalid_email");
        assertThat(createError("website", "ftp://acme.example").code()).isEqualTo("invalid_url");
        assertThat(createError("website", "javascript:alert(1)").code()).isEqualTo("invalid_url");
        assertThat(createError("website", "acme.example").code()).isEqualTo("invalid_url");
        assertThat(createError("phone", "call me").code()).isEqualTo("invalid_phone");
        assertThat(createError("phone", "12").code()).isEqualTo("invalid_phone");
        assertThat(store.create("account", account("email", "a.b@acme.example", "website", "http://acme.example",
                "phone", "+1 (555) 010-9999 x12")).get("website")).isEqualTo("http://acme.example");
    }

    @Test
    void referenceToMissingRecordIsRefused() {
        assertThat(createError("parent", 999)).isEqualTo(new FieldError("parent", "reference_not_found",
                "There is no account with id 999; pick an existing one"));
        assertThat(createError("parent", "abc").code()).isEqualTo("not_an_integer");
    }

    @Test
    void duplicateUniqueValueIsRefusedButARecordMayKeepItsOwn() {
        long first = store.create("account", account("code", "A-1")).id();
        long second = store.create("account", account("code", "B-1")).id();

        assertThat(createError("code", "A-1")).isEqualTo(new FieldError("code", "unique",
                "Another account already has this code; enter a different value"));
        assertThat(singleError(() -> store.update("account", second, 1, Map.of("code", "A-1"))).code())
                .isEqualTo("unique");
        assertThat(store.update("account", first, 1, Map.of("code", "A-1", "employees", 5)).version()).isEqualTo(2);
    }

    @Test
    void uniqueViolationFoundOnlyByTheDatabaseIsStillAUniqueError() throws Exception {
        JdbcTransactions transactions = store.transactions();
        CountDownLatch firstInserted = new CountDownLatch(1);
        CompletableFuture<Throwable> second = new CompletableFuture<>();
        Thread competitor = new Thread(() -> {
            try {
                firstInserted.await();
                store.create("account", account("code", "RACE"));
                second.complete(null);
            } catch (Throwable e) {
                second.complete(e);
            }
        });
        competitor.start();

        transactions.runInTransaction(() -> {
            store.create("account", account("code", "RACE"));
            firstInserted.countDown();
            sleep(500); // the competitor's SELECT sees nothing and its INSERT waits for this transaction
        });

        Throwable failure = second.get(20, TimeUnit.SECONDS);
        assertThat(failure).isInstanceOfSatisfying(ValidationException.class, e -> assertThat(e.errors())
                .extracting(FieldError::field, FieldError::code).containsExactly(org.assertj.core.groups.Tuple.tuple("code", "unique")));
    }

    @Test
    void everyProblemIsReportedAtOnce() {
        Map<String, Object> values = Map.of("employees", "x", "industry", "mining", "email", "nope", "colour", "red");

        assertThatThrownBy(() -> store.create("account", values)).isInstanceOfSatisfying(ValidationException.class,
                e -> {
                    assertThat(e.errors()).extracting(FieldError::code).containsExactlyInAnyOrder("not_a_number",
                            "unknown_option", "invalid_email", "unknown_field", "required");
                    assertThat(e.getMessage()).isEqualTo("5 values are invalid");
                });
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
