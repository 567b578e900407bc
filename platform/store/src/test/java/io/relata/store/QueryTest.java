package io.relata.store;

import static io.relata.api.record.FilterOperator.CONTAINS;
import static io.relata.api.record.FilterOperator.EQ;
import static io.relata.api.record.FilterOperator.GE;
import static io.relata.api.record.FilterOperator.GT;
import static io.relata.api.record.FilterOperator.IN;
import static io.relata.api.record.FilterOperator.IS_NOT_NULL;
import static io.relata.api.record.FilterOperator.IS_NULL;
import static io.relata.api.record.FilterOperator.LE;
import static io.relata.api.record.FilterOperator.LT;
import static io.relata.api.record.FilterOperator.NE;
import static io.relata.api.record.FilterOperator.STARTS_WITH;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.relata.api.model.EntityDefinition;
import io.relata.api.record.Aggregate;
import io.relata.api.record.CappedCount;
import io.relata.api.record.FieldError;
import io.relata.api.record.Filter;
import io.relata.api.record.FilterOperator;
import io.relata.api.record.Record;
import io.relata.api.record.RecordPage;
import io.relata.api.record.RecordQuery;
import io.relata.api.record.Sort;
import io.relata.api.record.ValidationException;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Timestamp;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class QueryTest extends DatabaseTest {

    private JdbcRecordStore store;

    @BeforeEach
    void migrate() {
        store = migratedStore(TestModels.crm());
    }

    /** Four accounts with distinct, partly missing values; returns their ids by name. */
    private Map<String, Long> fourAccounts() {
        Map<String, Long> ids = new HashMap<>();
        ids.put("Alpha", store.create("account", Map.of("name", "Alpha", "employees", 10, "revenue", "100.00",
                "founded", "2020-01-01", "industry", "tech", "tags", List.of("vip", "lead"), "active", true,
                "email", "alpha@x.example", "description", "100% organic_food")).id());
        ids.put("beta", store.create("account", Map.of("name", "beta", "employees", 20, "revenue", "250.50",
                "founded", "2021-06-15", "industry", "retail", "tags", List.of("partner"), "active", false,
                "description", "Beta corp")).id());
        ids.put("Gamma", store.create("account", Map.of("name", "Gamma")).id());
        ids.put("delta", store.create("account", Map.of("name", "delta", "employees", 30, "industry", "tech",
                "tags", List.of("lead"), "description", "100 percent")).id());
        return ids;
    }

    private List<String> names(Filter... filters) {
        return names(new RecordQuery(List.of(filters), List.of(Sort.asc("id")), null, 100, null));
    }

    private List<String> names(RecordQuery query) {
        return store.query("account", query).records().stream().map(r -> (String) r.get("name")).toList();
    }

    private static Filter filter(String field, FilterOperator operator, Object value) {
        return new Filter(field, operator, value);
    }

    @Test
    void comparisonOperatorsConvertTheirValuesByFieldType() {
        fourAccounts();

        assertThat(names(filter("employees", EQ, 20))).containsExactly("beta");
        assertThat(names(filter("employees", EQ, null))).containsExactly("Gamma");
        assertThat(names(filter("industry", EQ, ""))).as("blank text is stored as null").containsExactly("Gamma");
        assertThat(names(filter("industry", NE, "tech"))).as("ne includes records without a value")
                .containsExactly("beta", "Gamma");
        assertThat(names(filter("employees", LT, "20"))).containsExactly("Alpha");
        assertThat(names(filter("employees", LE, 20L))).containsExactly("Alpha", "beta");
        assertThat(names(filter("employees", GT, 20))).containsExactly("delta");
        assertThat(names(filter("employees", GE, "20"))).containsExactly("beta", "delta");
        assertThat(names(filter("founded", GE, "2021-01-01"))).containsExactly("beta");
        assertThat(names(filter("revenue", LT, new BigDecimal("200")))).containsExactly("Alpha");
        assertThat(names(filter("active", EQ, "true"))).containsExactly("Alpha");
        assertThat(names(filter("employees", GE, 10), filter("industry", EQ, "tech"))).containsExactly("Alpha", "delta");
    }

    @Test
    void theListPagesFiltersWorkOnTheStore() {
        Map<String, Long> ids = fourAccounts();
        store.update("account", ids.get("beta"), 1, Map.of("parent", ids.get("Alpha"),
                "last_contact", "2026-12-04 14:30"));
        store.update("account", ids.get("delta"), 1, Map.of("parent", ids.get("Gamma"),
                "last_contact", "2026-12-05T09:15Z"));

        assertThat(names(filter("founded", GE, "2020-01-01"), filter("founded", LE, "2020-12-31")))
                .as("a date range includes both ends").containsExactly("Alpha");
        assertThat(names(filter("last_contact", GE, "2026-12-04 00:00"), filter("last_contact", LE, "2026-12-04 23:59")))
                .as("a date-time range in minutes").containsExactly("beta");
        assertThat(names(filter("parent", EQ, String.valueOf(ids.get("Alpha"))))).as("a reference by id")
                .containsExactly("beta");
        assertThat(names(filter("active", EQ, "false"))).containsExactly("beta");
        assertThat(names(filter("industry", EQ, "retail"))).containsExactly("beta");
        assertThat(ValidationTestSupport.codes(() -> names(filter("last_contact", GE, "4.12.2026"))))
                .containsExactly("last_contact:not_a_date_time");
    }

    @Test
    void textOperatorsAreCaseInsensitiveAndTakeWildcardsLiterally() {
        fourAccounts();

        assertThat(names(filter("name", CONTAINS, "ET"))).containsExactly("beta");
        assertThat(names(filter("name", STARTS_WITH, "g"))).containsExactly("Gamma");
        assertThat(names(filter("name", STARTS_WITH, "A"))).containsExactly("Alpha");
        assertThat(names(filter("description", CONTAINS, "%"))).containsExactly("Alpha");
        assertThat(names(filter("description", CONTAINS, "c__p"))).isEmpty();
        assertThat(names(filter("description", CONTAINS, "organic_"))).containsExactly("Alpha");
        assertThat(names(filter("email", CONTAINS, "@X."))).as("no email format check in filters")
                .containsExactly("Alpha");
        assertThat(names(filter("name", CONTAINS, ""))).hasSize(4);
    }

    @Test
    void inAndNullOperators() {
        fourAccounts();

        assertThat(names(filter("industry", IN, List.of("tech", "retail")))).containsExactly("Alpha", "beta", "delta");
        assertThat(names(filter("employees", IN, "10, 30"))).containsExactly("Alpha", "delta");
        assertThat(names(filter("employees", IN, List.of()))).isEmpty();
        assertThat(names(filter("industry", IS_NULL, null))).containsExactly("Gamma");
        assertThat(names(filter("founded", IS_NOT_NULL, null))).containsExactly("Alpha", "beta");
    }

    @Test
    void multiChoiceFiltersMatchSingleOptions() {
        fourAccounts();

        assertThat(names(filter("tags", CONTAINS, "lead"))).containsExactly("Alpha", "delta");
        assertThat(names(filter("tags", IN, List.of("partner", "vip")))).containsExactly("Alpha", "beta");
        assertThat(names(filter("tags", EQ, List.of("lead", "vip")))).containsExactly("Alpha");
        assertThat(names(filter("tags", IS_NULL, null))).containsExactly("Gamma");
    }

    @Test
    void systemColumnsCanBeFiltered() {
        Map<String, Long> ids = fourAccounts();
        store.update("account", ids.get("beta"), 1, Map.of("employees", 21));

        assertThat(names(filter("id", EQ, String.valueOf(ids.get("Gamma"))))).containsExactly("Gamma");
        assertThat(names(filter("id", IN, List.of(ids.get("Alpha"), ids.get("delta"))))).containsExactly("Alpha", "delta");
        assertThat(names(filter("version", GT, 1))).containsExactly("beta");
        assertThat(names(filter("created_at", LE, OffsetDateTime.now(ZoneOffset.UTC).plusMinutes(1)))).hasSize(4);
        assertThat(names(filter("updated_at", GT, "2999-01-01T00:00:00Z"))).isEmpty();
    }

    @Test
    void badFiltersAreValidationErrorsNamingTheField() {
        assertThat(queryErrors(filter("employees", EQ, "many"))).containsExactly(new FieldError("employees",
                "not_a_number", "Filter on employees: Enter a number like 1234.56 (digits, optional minus sign and "
                        + "decimal point), not 'many'"));
        assertThat(queryErrors(filter("colour", EQ, "red"))).extracting(FieldError::field, FieldError::code)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("colour", "unknown_field"));
        assertThat(queryErrors(filter("employees", CONTAINS, "1"))).extracting(FieldError::code)
                .containsExactly("invalid_operator");
        assertThat(queryErrors(filter("employees", LT, null))).extracting(FieldError::code)
                .containsExactly("missing_value");
        assertThat(queryErrors(filter("industry", EQ, "mining"))).extracting(FieldError::code)
                .containsExactly("unknown_option");
        assertThat(queryErrors(filter("created_at", GT, "yesterday"))).extracting(FieldError::code)
                .containsExactly("not_a_date_time");
        assertThatThrownBy(() -> store.query("account", new RecordQuery(List.of(), List.of(Sort.asc("colour")), null, 10,
                null))).isInstanceOfSatisfying(ValidationException.class, e -> assertThat(e.errors())
                        .extracting(FieldError::code).containsExactly("unknown_field"));
    }

    @Test
    void aNulCharacterInAFilterTheSearchOrACursorIsAValidationErrorOnEveryDatabase() {
        fourAccounts();
        assertThat(queryErrors(filter("name", EQ, "Al\u0000pha"))).containsExactly(new FieldError("name",
                "invalid_character", "Filter on name: Remove the NUL character (U+0000) at position 3; text cannot "
                        + "contain it"));
        assertThat(queryErrors(filter("description", CONTAINS, "\u0000"))).extracting(FieldError::code)
                .containsExactly("invalid_character");
        assertThat(queryErrors(filter("industry", IN, List.of("tech", "\u0000")))).extracting(FieldError::code)
                .containsExactly("invalid_character");

        RecordQuery search = new RecordQuery(List.of(), List.of(), "al\u0000", 10, null);
        assertThatThrownBy(() -> store.query("account", search)).isInstanceOfSatisfying(ValidationException.class,
                e -> assertThat(e.errors()).containsExactly(new FieldError("q", "invalid_character",
                        "Search: Remove the NUL character (U+0000) at position 3; text cannot contain it")));
        assertThatThrownBy(() -> store.count("account", search)).isInstanceOf(ValidationException.class);

        String forged = java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(("c1|"
                + Integer.toHexString("name+id+".hashCode()) + "|=2:a\u0000|=1:1").getBytes(java.nio.charset.StandardCharsets.UTF_8));
        assertThat(cursorErrors(new RecordQuery(List.of(), List.of(Sort.asc("name")), null, 5, forged)))
                .containsExactly("cursor:invalid_cursor");
    }

    private List<FieldError> queryErrors(Filter filter) {
        RecordQuery query = new RecordQuery(List.of(filter), List.of(), null, 10, null);
        List<FieldError> errors = new ArrayList<>();
        assertThatThrownBy(() -> store.query("account", query)).isInstanceOfSatisfying(ValidationException.class,
                e -> errors.addAll(e.errors()));
        assertThatThrownBy(() -> store.count("account", query)).isInstanceOf(ValidationException.class);
        return errors;
    }

    @Test
    void searchIsCaseInsensitiveOverAllSearchableFields() {
        fourAccounts();

        assertThat(names(search("ALPHA"))).containsExactly("Alpha");
        assertThat(names(search("x.example"))).as("email is searchable").containsExactly("Alpha");
        assertThat(names(search("100"))).as("description is searchable").containsExactly("Alpha", "delta");
        assertThat(names(search("0% o"))).containsExactly("Alpha");
        assertThat(names(search("zzz"))).isEmpty();
        assertThat(names(new RecordQuery(List.of(filter("industry", EQ, "tech")), List.of(Sort.asc("id")), "100", 10,
                null))).containsExactly("Alpha", "delta");
        assertThat(names(search("  "))).hasSize(4);
    }

    @Test
    void aTermShorterThanThreeCharactersFindsValuesThatStartWithIt() {
        fourAccounts();

        assertThat(names(search("eta"))).as("three characters: contains").containsExactly("beta");
        assertThat(names(search("ta"))).as("two: only values starting with it").isEmpty();
        assertThat(names(search("BE"))).containsExactly("beta");
        assertThat(names(search("g"))).containsExactly("Gamma");
        assertThat(names(search("%"))).as("a wildcard is a character like any other").isEmpty();
    }

    @Test
    void searchTermsWithQuotesBackslashesAndWildcardsMatchLiterally() {
        List<String> tricky = List.of("O'Brien's", "back\\slash", "50%_off", "it''s", "a\\'b", "x\\", "E'quote");
        for (String name : tricky) {
            store.create("account", Map.of("name", name));
        }
        store.create("account", Map.of("name", "50 percent, office"));
        store.create("account", Map.of("name", "backslash"));

        for (String name : tricky) {
            assertThat(names(search(name))).as("search %s", name).containsExactly(name);
        }
        assertThat(names(search("'s"))).as("prefix with a quote").isEmpty();
        assertThat(names(search("n's"))).containsExactly("O'Brien's");
        assertThat(names(search("k\\s"))).containsExactly("back\\slash");
        assertThat(names(search("%_o"))).containsExactly("50%_off");
        assertThat(names(search("') OR 1=1 --"))).as("no way out of the literal").isEmpty();
        assertThat(names(search("\\' OR 1=1 --"))).isEmpty();
    }

    @Test
    void theSearchPatternIsALiteralOnPostgresqlSoEveryExecutionIsPlannedForIt() {
        EntityDefinition account = TestModels.crm().entity("account").orElseThrow();
        SqlDialect dialect = kind == TestDatabase.Kind.H2 ? SqlDialect.H2 : SqlDialect.POSTGRESQL;
        Sql sql = new Sql();
        new QueryBuilder(account, new ValueConverter(), dialect).where(sql, search("O'Br\\en"));

        if (dialect == SqlDialect.POSTGRESQL) {
            assertThat(sql.text.toString()).contains("lower(\"name\") LIKE lower(E'%O''Br\\\\\\\\en%') ESCAPE")
                    .doesNotContain("?");
            assertThat(sql.params).isEmpty();
        } else {
            assertThat(sql.text.toString()).contains("lower(\"name\") LIKE lower(?) ESCAPE");
            assertThat(sql.params).isNotEmpty();
        }
    }

    @Test
    void literalsDoubleQuotesAndBackslashes() {
        assertThat(QueryBuilder.literal("a'b\\c")).isEqualTo("E'a''b\\\\c'");
        assertThat(QueryBuilder.literal("")).isEqualTo("E''");
        assertThatThrownBy(() -> QueryBuilder.literal("a\0b")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void countUpToStopsAtTheLimitAndSaysWhetherItIsExact() {
        manyAccounts();
        RecordQuery tech = new RecordQuery(List.of(filter("industry", EQ, "tech")), List.of(), null, 1, null);
        long techCount = store.count("account", tech);

        assertThat(store.countUpTo("account", RecordQuery.all(), 100)).isEqualTo(new CappedCount(23, true));
        assertThat(store.countUpTo("account", RecordQuery.all(), 23)).isEqualTo(new CappedCount(23, true));
        assertThat(store.countUpTo("account", RecordQuery.all(), 22)).isEqualTo(new CappedCount(22, false));
        assertThat(store.countUpTo("account", RecordQuery.all(), 0)).isEqualTo(new CappedCount(0, false));
        assertThat(store.countUpTo("account", tech, techCount)).isEqualTo(new CappedCount(techCount, true));
        assertThat(store.countUpTo("account", tech, techCount - 1)).isEqualTo(new CappedCount(techCount - 1, false));
        assertThat(store.countUpTo("account", search("zzz"), 10)).isEqualTo(new CappedCount(0, true));
        assertThatThrownBy(() -> store.countUpTo("account", RecordQuery.all(), -1))
                .isInstanceOf(IllegalArgumentException.class);
    }

    private static RecordQuery search(String term) {
        return new RecordQuery(List.of(), List.of(Sort.asc("id")), term, 100, null);
    }

    @Test
    void countUsesFiltersAndSearchButNotLimitOrCursor() {
        fourAccounts();

        assertThat(store.count("account", RecordQuery.all())).isEqualTo(4);
        assertThat(store.count("account", new RecordQuery(List.of(filter("industry", EQ, "tech")), List.of(), null, 1,
                "not-a-cursor"))).isEqualTo(2);
        assertThat(store.count("account", search("100"))).isEqualTo(2);
    }

    @Test
    void nullsSortLastInBothDirectionsAndIdBreaksTies() {
        Map<String, Long> ids = fourAccounts();
        long gamma2 = store.create("account", Map.of("name", "Gamma")).id();

        assertThat(names(sorted(Sort.asc("employees")))).containsExactly("Alpha", "beta", "delta", "Gamma", "Gamma");
        assertThat(names(sorted(Sort.desc("employees")))).containsExactly("delta", "beta", "Alpha", "Gamma", "Gamma");
        assertThat(names(sorted(Sort.desc("industry"), Sort.asc("name"))))
                .containsExactly("Alpha", "delta", "beta", "Gamma", "Gamma");
        assertThat(store.query("account", sorted(Sort.desc("founded"))).records()).extracting(Record::id)
                .as("ties (here: the nulls) in the direction of the last key").containsExactly(ids.get("beta"),
                        ids.get("Alpha"), gamma2, ids.get("delta"), ids.get("Gamma"));
        assertThat(store.query("account", sorted(Sort.asc("founded"))).records()).extracting(Record::id)
                .containsExactly(ids.get("Alpha"), ids.get("beta"), ids.get("Gamma"), ids.get("delta"), gamma2);
    }

    private static RecordQuery sorted(Sort... sort) {
        return new RecordQuery(List.of(), List.of(sort), null, 100, null);
    }

    /** 23 accounts whose values repeat and are often missing, computed from the index (no randomness). */
    private void manyAccounts() {
        String[] industries = {"tech", "retail", "finance"};
        for (int i = 0; i < 23; i++) {
            Map<String, Object> values = new HashMap<>();
            values.put("name", "Account " + (i % 5));
            values.put("industry", i % 4 == 0 ? null : industries[i % 3]);
            values.put("employees", i % 5 == 0 ? null : (i % 3) * 10);
            values.put("founded", i % 6 == 0 ? null : LocalDate.of(2020, 1, 1 + i % 4));
            values.put("revenue", i % 7 == 0 ? null : new BigDecimal("100.5").multiply(BigDecimal.valueOf(i % 4)));
            values.put("active", i % 3 == 0 ? null : i % 2 == 0);
            values.put("last_contact", i % 4 == 1 ? null
                    : OffsetDateTime.of(2024, 1, 1, i % 3, 0, 0, 0, ZoneOffset.UTC));
            values.put("tags", i % 2 == 0 ? List.of("vip") : i % 3 == 0 ? List.of("partner", "lead") : null);
            store.create("account", values);
        }
    }

    @Test
    void keysetPagingReturnsEveryRecordExactlyOnceInTheOrderOfOneBigPage() {
        manyAccounts();
        List<List<Sort>> orders = List.of(
                List.of(),
                List.of(Sort.desc("id")),
                List.of(Sort.asc("industry"), Sort.desc("employees")),
                List.of(Sort.desc("employees")),
                List.of(Sort.desc("founded"), Sort.asc("name")),
                List.of(Sort.asc("revenue")),
                List.of(Sort.desc("active"), Sort.asc("last_contact")),
                List.of(Sort.asc("tags"), Sort.desc("revenue")),
                List.of(Sort.desc("name"), Sort.asc("created_at"), Sort.desc("version")));

        for (List<Sort> order : orders) {
            List<Long> all = store.query("account", new RecordQuery(List.of(), order, null, 100, null)).records()
                    .stream().map(Record::id).toList();
            List<Long> paged = new ArrayList<>();
            String cursor = null;
            int pages = 0;
            do {
                RecordPage page = store.query("account", new RecordQuery(List.of(), order, null, 4, cursor));
                assertThat(page.records().size()).isLessThanOrEqualTo(4);
                page.records().forEach(r -> paged.add(r.id()));
                cursor = page.nextCursor();
                pages++;
            } while (cursor != null && pages < 50);

            assertThat(all).as("one page, order %s", order).hasSize(23);
            assertThat(paged).as("pages, order %s", order).containsExactlyElementsOf(all);
            assertThat(pages).isEqualTo(6);
        }
    }

    @Test
    void keysetPagingWithFilterAndSearchStaysStableWhileRecordsAreInserted() {
        manyAccounts();
        RecordQuery first = new RecordQuery(List.of(filter("industry", IS_NOT_NULL, null)), List.of(Sort.asc("name")),
                "account", 5, null);
        RecordPage page1 = store.query("account", first);
        long before = store.create("account", Map.of("name", "Account 0", "industry", "tech")).id();
        long after = store.create("account", Map.of("name", "Account 9", "industry", "tech")).id();

        Set<Long> seen = new HashSet<>(page1.records().stream().map(Record::id).toList());
        String cursor = page1.nextCursor();
        while (cursor != null) {
            RecordPage page = store.query("account", new RecordQuery(first.filters(), first.sort(), first.search(), 5,
                    cursor));
            page.records().forEach(r -> assertThat(seen.add(r.id())).as("seen once: %s", r.id()).isTrue());
            cursor = page.nextCursor();
        }
        assertThat(seen).as("a record inserted before the cursor is not shown later; one after it is")
                .doesNotContain(before).contains(after).hasSize((int) store.count("account", first) - 1);
    }

    @Test
    void invalidCursorIsRefused() {
        manyAccounts();
        String cursor = store.query("account", new RecordQuery(List.of(), List.of(Sort.asc("name")), null, 5, null))
                .nextCursor();

        for (String bad : List.of("garbage", "", cursor.substring(0, cursor.length() - 3),
                java.util.Base64.getUrlEncoder().encodeToString("c1|x|=1:a".getBytes()))) {
            if (bad.isEmpty()) {
                continue;
            }
            assertThat(cursorErrors(new RecordQuery(List.of(), List.of(Sort.asc("name")), null, 5, bad)))
                    .as(bad).containsExactly("cursor:invalid_cursor");
        }
        assertThat(cursorErrors(new RecordQuery(List.of(), List.of(Sort.desc("employees")), null, 5, cursor)))
                .as("cursor of another sort order").containsExactly("cursor:invalid_cursor");
    }

    private List<String> cursorErrors(RecordQuery query) {
        List<String> errors = new ArrayList<>();
        assertThatThrownBy(() -> store.query("account", query)).isInstanceOfSatisfying(ValidationException.class,
                e -> e.errors().forEach(f -> errors.add(f.field() + ":" + f.code())));
        return errors;
    }

    @Test
    void limitIsCappedAtTheMaximum() throws Exception {
        try (Connection c = db.connection(); PreparedStatement insert = c.prepareStatement(
                "INSERT INTO \"rec_task\" (\"version\", \"created_at\", \"updated_at\", \"subject\") VALUES (1, ?, ?, ?)")) {
            Timestamp now = Timestamp.valueOf("2024-01-01 00:00:00");
            for (int i = 0; i < RecordQuery.MAX_LIMIT + 5; i++) {
                insert.setTimestamp(1, now);
                insert.setTimestamp(2, now);
                insert.setString(3, "Task " + i);
                insert.addBatch();
            }
            insert.executeBatch();
        }

        RecordPage page = store.query("task", new RecordQuery(List.of(), List.of(), null, 5000, null));

        assertThat(page.records()).hasSize(RecordQuery.MAX_LIMIT);
        assertThat(page.nextCursor()).isNotNull();
        assertThat(store.query("task", new RecordQuery(List.of(), List.of(), null, 5000, page.nextCursor())).records())
                .hasSize(5);
        assertThat(Arrays.asList(store.count("task", RecordQuery.all()))).containsExactly(1005L);
    }

    @Test
    void aggregatesAreComputedByTheDatabaseOverTheMatchingRecordsSkippingEmptyValues() {
        fourAccounts();
        RecordQuery all = RecordQuery.all();
        RecordQuery tech = new RecordQuery(List.of(filter("industry", EQ, "tech")), List.of(), null, 0, null);
        assertThat(store.aggregate("account", all, Aggregate.COUNT, null)).contains(4L);
        assertThat(store.aggregate("account", all, Aggregate.COUNT, "revenue")).as("empty values are skipped").contains(2L);
        assertThat(store.aggregate("account", all, Aggregate.SUM, "employees")).as("integers stay integers").contains(60L);
        assertThat(store.aggregate("account", all, Aggregate.SUM, "revenue")).get()
                .satisfies(sum -> assertThat((BigDecimal) sum).isEqualByComparingTo("350.50"));
        assertThat(store.aggregate("account", all, Aggregate.AVERAGE, "employees")).get()
                .satisfies(average -> assertThat((BigDecimal) average).isEqualByComparingTo("20"));
        assertThat(store.aggregate("account", all, Aggregate.AVERAGE, "revenue")).get()
                .satisfies(average -> assertThat((BigDecimal) average).isEqualByComparingTo("175.25"));
        assertThat(store.aggregate("account", all, Aggregate.MIN, "founded")).contains(LocalDate.of(2020, 1, 1));
        assertThat(store.aggregate("account", all, Aggregate.MAX, "founded")).contains(LocalDate.of(2021, 6, 15));
        assertThat(store.aggregate("account", tech, Aggregate.SUM, "employees")).as("only the matching records").contains(40L);
        assertThat(store.aggregate("account", tech, Aggregate.COUNT, null)).contains(2L);
        RecordQuery none = new RecordQuery(List.of(filter("name", EQ, "nobody")), List.of(), null, 0, null);
        assertThat(store.aggregate("account", none, Aggregate.SUM, "revenue")).as("nothing to add up").isEmpty();
        assertThat(store.aggregate("account", none, Aggregate.COUNT, null)).contains(0L);
        // the interface's own computation (for stores that cannot ask a database) gives the same answers
        io.relata.api.record.RecordStore plain = new DelegatingStore(store);
        for (Aggregate aggregate : Aggregate.values()) {
            for (String field : List.of("employees", "revenue")) {
                Object database = store.aggregate("account", all, aggregate, field).orElse(null);
                Object java = plain.aggregate("account", all, aggregate, field).orElse(null);
                if (database instanceof BigDecimal d) {
                    assertThat((BigDecimal) java).as(aggregate + " " + field).isEqualByComparingTo(d);
                } else {
                    assertThat(java).as(aggregate + " " + field).isEqualTo(database);
                }
            }
        }
    }

    @Test
    void anAggregateOfAFieldItCannotMeasureIsRefusedWithTheReason() {
        assertThatThrownBy(() -> store.aggregate("account", RecordQuery.all(), Aggregate.SUM, "name"))
                .isInstanceOfSatisfying(ValidationException.class, e -> assertThat(e.errors()).singleElement()
                        .satisfies(error -> {
                            assertThat(error.code()).isEqualTo("invalid_operator");
                            assertThat(error.message()).isEqualTo("sum does not work on the field 'name' of type text");
                        }));
        assertThatThrownBy(() -> store.aggregate("account", RecordQuery.all(), Aggregate.MAX, "nme"))
                .isInstanceOfSatisfying(ValidationException.class, e -> assertThat(e.errors()).extracting(FieldError::code)
                        .containsExactly("unknown_field"));
        assertThatThrownBy(() -> store.aggregate("account", RecordQuery.all(), Aggregate.SUM, null))
                .isInstanceOfSatisfying(ValidationException.class, e -> assertThat(e.errors()).extracting(FieldError::code)
                        .containsExactly("missing_value"));
    }

    @Test
    void similarNamesAreFoundAsPgTrgmFindsThemOnEveryDatabase() {
        for (String name : List.of("ACME GmbH", "Acme Gmbh.", "ACME Holding GmbH", "Beta AG", "Acne Studios")) {
            store.create("account", Map.of("name", name));
        }
        SecuredRecordStore all = new SecuredRecordStore(store, () -> TestModels.crm(),
                () -> io.relata.api.security.Actor.SYSTEM, AuditSink.NONE);
        List<Object> found = all.similar("account", "name", "acme gmbh", 5).stream().map(r -> r.get("name")).toList();
        assertThat(found).as("most similar first; unlike names not at all")
                .containsExactly("ACME GmbH", "Acme Gmbh.", "ACME Holding GmbH");
        assertThat(Trigrams.similarity("ACME GmbH", "ACME Holding GmbH")).isCloseTo(10.0 / 18, within(1e-9));
        assertThat(all.similar("account", "name", "Zeta", 5)).isEmpty();
        assertThatThrownBy(() -> all.similar("account", "employees", "10", 5)).isInstanceOf(ValidationException.class);
    }

    /** A store that has only the interface's defaults for aggregates. */
    private record DelegatingStore(JdbcRecordStore store) implements io.relata.api.record.RecordStore {
        public Record create(String entity, Map<String, Object> values) { return store.create(entity, values); }
        public java.util.Optional<Record> find(String entity, long id) { return store.find(entity, id); }
        public Record update(String entity, long id, long v, Map<String, Object> c) { return store.update(entity, id, v, c); }
        public Record replace(String entity, long id, long v, Map<String, Object> c) { return store.replace(entity, id, v, c); }
        public void delete(String entity, long id, Long v) { store.delete(entity, id, v); }
        public RecordPage query(String entity, RecordQuery query) { return store.query(entity, query); }
        public long count(String entity, RecordQuery query) { return store.count(entity, query); }
        public Map<Long, String> titles(String entity, List<Long> ids) { return store.titles(entity, ids); }
    }
}
