package io.relata.store;

import static io.relata.api.model.FieldType.INTEGER;
import static io.relata.api.model.FieldType.REFERENCE;
import static io.relata.api.model.FieldType.TEXT;
import static io.relata.api.security.AccessScope.ALL;
import static io.relata.api.security.AccessScope.OWN;
import static io.relata.api.security.AccessScope.TEAM;
import static io.relata.api.security.FieldAccess.HIDDEN;
import static io.relata.api.security.FieldAccess.READ_ONLY;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.relata.api.model.MetadataModel;
import io.relata.api.record.AccessDeniedException;
import io.relata.api.record.CappedCount;
import io.relata.api.record.Filter;
import io.relata.api.record.FilterOperator;
import io.relata.api.record.Record;
import io.relata.api.record.RecordNotFoundException;
import io.relata.api.record.RecordPage;
import io.relata.api.record.RecordQuery;
import io.relata.api.record.Sort;
import io.relata.api.record.UnknownEntityException;
import io.relata.api.record.ValidationException;
import io.relata.api.rules.RuleInput;
import io.relata.api.rules.RuleInput.Aggregate;
import io.relata.api.rules.RuleOutcome;
import io.relata.api.security.Actor;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Every operation of {@link SecuredRecordStore} for every (actor, entity) pair, on the same five records per
 * entity with different owners. The expectations are the explicit {@link #TABLE}: which records each actor
 * may read, update and delete and whether they may create; each case runs in a transaction that is rolled
 * back, so cases are independent. Failed writes are also checked to have changed nothing.
 *
 * <p>Records r1..r5 of each entity are owned by: r1 bob (team 1), r2 carol (team 1), r3 dave (team 2), r4
 * erin (team 3), r5 nobody. Actors: alice administrator; bob editor (team scope, teams 1 and 2); carol
 * rep (own scope, no grant for task, secret hidden, rating read-only); dave viewer (reads all, writes
 * nothing, secret hidden, rating read-only); erin rep + viewer + an undefined role (reads all, changes
 * her own). Where secret is hidden, so is hint: a rule computes it from secret (the metadata loader marks such
 * fields derived, {@link io.relata.api.security.EntityGrant#derived()}).
 */
class AuthorizationMatrixTest extends DatabaseTest {

    private static final int CASES_PER_PAIR = 52;
    private static final int EXPECTED_CASES = 5 * 3 * CASES_PER_PAIR;

    private static final Map<String, String> REFERENCE_FIELD = Map.of("account", "parent", "contact", "account",
            "task", "contact");
    private static final Map<String, String> REFERENCE_TARGET = Map.of("account", "account", "contact", "account",
            "task", "contact");

    private static final MetadataModel MODEL = TestRoles.withRoles(new ModelBuilder()
                    .entity("account", "name").field("name", TEXT).required().searchable()
                    .field("secret", TEXT).searchable().field("rating", INTEGER).field("hint", TEXT).searchable()
                    .field("parent", REFERENCE).references("account")
                    .entity("contact", "name").field("name", TEXT).required().searchable()
                    .field("secret", TEXT).searchable().field("rating", INTEGER).field("hint", TEXT).searchable()
                    .field("account", REFERENCE).references("account")
                    .entity("task", "name").field("name", TEXT).required().searchable()
                    .field("secret", TEXT).searchable().field("rating", INTEGER).field("hint", TEXT).searchable()
                    .field("contact", REFERENCE).references("contact")
                    .build(),
            TestRoles.administrator("admin"),
            TestRoles.role("editor").grant("account").create().all(TEAM).grant("contact").create().all(TEAM)
                    .grant("task").create().all(TEAM).build(),
            TestRoles.role("rep")
                    .grant("account").create().all(OWN).field("secret", HIDDEN).field("rating", READ_ONLY)
                    .derived("hint", "secret")
                    .grant("contact").create().all(OWN).field("secret", HIDDEN).field("rating", READ_ONLY)
                    .derived("hint", "secret").build(),
            TestRoles.role("viewer")
                    .grant("account").read(ALL).field("secret", HIDDEN).field("rating", READ_ONLY).derived("hint", "secret")
                    .grant("contact").read(ALL).field("secret", HIDDEN).field("rating", READ_ONLY).derived("hint", "secret")
                    .grant("task").read(ALL).field("secret", HIDDEN).field("rating", READ_ONLY).derived("hint", "secret")
                    .build());

    private static final Map<String, Actor> ACTORS = Map.of(
            "alice", Actor.user(1, "alice", Set.of("admin"), List.of(1L)),
            "bob", Actor.user(2, "bob", Set.of("editor"), List.of(1L, 2L)),
            "carol", Actor.user(3, "carol", Set.of("rep"), List.of(1L)),
            "dave", Actor.user(4, "dave", Set.of("viewer"), List.of(2L)),
            "erin", Actor.user(5, "erin", Set.of("rep", "viewer", "ghost"), List.of(3L)));

    /** Owner user and team of r1..r5 (index 0 = r1). */
    private static final Long[][] OWNERS = {{2L, 1L}, {3L, 1L}, {4L, 2L}, {5L, 3L}, {null, null}};

    enum Create { YES, DENIED, UNKNOWN_ENTITY }

    /**
     * What one actor may do with one entity. {@code read}, {@code update} and {@code delete} are the numbers
     * of the records (r1..r5) in scope; {@code restricted}: secret and hint (derived from it) are hidden and
     * rating read-only.
     */
    record Row(String actor, String entity, Create create, String read, String update, String delete,
               boolean restricted) {

        boolean unknown() {
            return create == Create.UNKNOWN_ENTITY;
        }

        static Set<Integer> numbers(String digits) {
            Set<Integer> numbers = new TreeSet<>();
            digits.chars().filter(Character::isDigit).forEach(c -> numbers.add(c - '0'));
            return numbers;
        }
    }

    private static final List<Row> TABLE = List.of(
            //      actor    entity     create                read     update   delete   restricted
            new Row("alice", "account", Create.YES, "12345", "12345", "12345", false),
            new Row("alice", "contact", Create.YES, "12345", "12345", "12345", false),
            new Row("alice", "task", Create.YES, "12345", "12345", "12345", false),
            new Row("bob", "account", Create.YES, "123", "123", "123", false),
            new Row("bob", "contact", Create.YES, "123", "123", "123", false),
            new Row("bob", "task", Create.YES, "123", "123", "123", false),
            new Row("carol", "account", Create.YES, "2", "2", "2", true),
            new Row("carol", "contact", Create.YES, "2", "2", "2", true),
            new Row("carol", "task", Create.UNKNOWN_ENTITY, "", "", "", true),
            new Row("dave", "account", Create.DENIED, "12345", "", "", true),
            new Row("dave", "contact", Create.DENIED, "12345", "", "", true),
            new Row("dave", "task", Create.DENIED, "12345", "", "", true),
            new Row("erin", "account", Create.YES, "12345", "4", "4", true),
            new Row("erin", "contact", Create.YES, "12345", "4", "4", true),
            new Row("erin", "task", Create.DENIED, "12345", "", "", true));

    private JdbcRecordStore system;
    private SecuredRecordStore secured;
    private Actor current;
    /** What the rules of the last write were given to ask other records with ({@code related.*}). */
    private RuleInput.RecordLookup lookup;
    /** Record ids per entity: index 0 = r1. */
    private final Map<String, List<Long>> ids = new HashMap<>();

    @TestFactory
    Stream<DynamicTest> everyOperationOfEveryRoleOnEveryEntity() {
        system = migratedStore(MODEL).withRules(input -> {
            lookup = input.lookup();
            return RuleOutcome.NONE;
        });
        secured = new SecuredRecordStore(system, () -> MODEL, () -> current, AuditSink.NONE);
        for (String entity : List.of("account", "contact", "task")) {
            List<Long> created = new ArrayList<>();
            for (int n = 1; n <= 5; n++) {
                created.add(system.create(entity, Map.of("name", "shared r" + n, "secret", "classified r" + n,
                        "rating", (long) n, "hint", "starts with c" + n), OWNERS[n - 1][0], OWNERS[n - 1][1]).id());
            }
            ids.put(entity, created);
        }
        List<DynamicTest> tests = new ArrayList<>();
        for (Row row : TABLE) {
            tests.addAll(cases(row));
        }
        assertThat(tests).hasSize(EXPECTED_CASES);
        return tests.stream();
    }

    private List<DynamicTest> cases(Row row) {
        Cases cases = new Cases(row);
        String entity = row.entity();
        Set<Integer> read = Row.numbers(row.read());
        Set<Integer> update = Row.numbers(row.update());
        Set<Integer> delete = Row.numbers(row.delete());
        Actor actor = ACTORS.get(row.actor());

        // create
        cases.add("create", () -> secured.create(entity, Map.of("name", "new")), switch (row.create()) {
            case YES -> Outcome.ok(result -> {
                Record record = (Record) result;
                assertThat(record.ownerUser()).isEqualTo(actor.userId());
                assertThat(record.ownerTeam()).isEqualTo(actor.primaryTeam());
                assertVisibleFields(row, record);
            });
            case DENIED -> Outcome.denied();
            case UNKNOWN_ENTITY -> Outcome.unknownEntity();
        });

        // find by id, in and out of scope
        for (int n = 1; n <= 5; n++) {
            int number = n;
            long id = id(entity, n);
            cases.add("get r" + n, () -> secured.get(entity, id), read.contains(n)
                    ? Outcome.ok(result -> {
                        assertThat(((Record) result).get("name")).isEqualTo("shared r" + number);
                        assertVisibleFields(row, (Record) result);
                    })
                    : Outcome.notFound());
        }

        // lists: paged query, count, search, filter and sort on the hidden field, titles
        cases.add("query (2 per page)", () -> numbers(entity, allPages(entity, new RecordQuery(List.of(),
                List.of(Sort.desc("name")), null, 2, null))), Outcome.ok(result -> assertThat(result).isEqualTo(read)));
        cases.add("count", () -> secured.count(entity, RecordQuery.all()),
                Outcome.ok(result -> assertThat(result).isEqualTo((long) read.size())));
        // the lists' capped count: the same rows, and a limit below them says "more"
        cases.add("count up to", () -> secured.countUpTo(entity, RecordQuery.all(), 1000),
                Outcome.ok(result -> assertThat(result).isEqualTo(new CappedCount(read.size(), true))));
        cases.add("count up to 0", () -> secured.countUpTo(entity, RecordQuery.all(), 0),
                Outcome.ok(result -> assertThat(result).isEqualTo(new CappedCount(0, read.isEmpty()))));
        // figures (customer views, dashboards): computed by the database over the same rows, never over hidden fields
        cases.add("aggregate count", () -> secured.aggregate(entity, RecordQuery.all(), io.relata.api.record.Aggregate.COUNT,
                null), Outcome.ok(result -> assertThat(result).isEqualTo(java.util.Optional.of((long) read.size()))));
        cases.add("aggregate max of rating", () -> secured.aggregate(entity, RecordQuery.all(),
                io.relata.api.record.Aggregate.MAX, "rating"), Outcome.ok(result -> assertThat(result).isEqualTo(
                read.stream().max(Integer::compare).map(n -> (Object) (long) n))));
        cases.add("aggregate count of secret", () -> secured.aggregate(entity, RecordQuery.all(),
                io.relata.api.record.Aggregate.COUNT, "secret"), row.restricted()
                ? Outcome.invalid(e -> assertThat(e.errors()).singleElement().satisfies(error -> {
                    assertThat(error.code()).isEqualTo("unknown_field");
                    assertThat(error.message()).isEqualTo("Measure: " + entity + " has no field 'secret'");
                }))
                : Outcome.ok(result -> assertThat(result).isEqualTo(java.util.Optional.of((long) read.size()))));
        // grouped figures (the forecast, charts): the same rows, never over a hidden field
        cases.add("grouped count", () -> secured.groups(entity, RecordQuery.all(), new io.relata.api.record.Grouping(
                List.of(), List.of(new io.relata.api.record.Grouping.Measure(io.relata.api.record.Aggregate.COUNT, null)))).get(0).values().get(0),
                Outcome.ok(result -> assertThat(result).isEqualTo((long) read.size())));
        cases.add("grouped count of secret", () -> secured.groups(entity, RecordQuery.all(), new io.relata.api.record.Grouping(
                List.of(), List.of(new io.relata.api.record.Grouping.Measure(io.relata.api.record.Aggregate.COUNT, "secret")))).get(0).values().get(0),
                row.restricted()
                        ? Outcome.invalid(e -> assertThat(e.errors()).singleElement().satisfies(error ->
                                assertThat(error.code()).isEqualTo("unknown_field")))
                        : Outcome.ok(result -> assertThat(result).isEqualTo((long) read.size())));
        // duplicate checks (lead conversion): similar names among the readable rows; a hidden field is unknown
        cases.add("similar names", () -> secured.similar(entity, "name", "shared r", 10).stream()
                .map(r -> Integer.parseInt(String.valueOf(r.get("name")).substring("shared r".length())))
                .collect(java.util.stream.Collectors.toSet()), Outcome.ok(result -> assertThat(result).isEqualTo(read)));
        cases.add("similar secrets", () -> secured.similar(entity, "secret", "classified r1", 10).size(), row.restricted()
                ? Outcome.invalid(e -> assertThat(e.errors()).singleElement().satisfies(error ->
                        assertThat(error.code()).isEqualTo("unknown_field")))
                : Outcome.ok(result -> assertThat((Integer) result).isEqualTo(read.size())));
        cases.add("search a visible field", () -> numbers(entity, allPages(entity, search("shared"))),
                Outcome.ok(result -> assertThat(result).isEqualTo(read)));
        cases.add("search a hidden field", () -> numbers(entity, allPages(entity, search("classified"))),
                Outcome.ok(result -> assertThat(result).isEqualTo(row.restricted() ? Set.of() : read)));
        RecordQuery filterOnSecret = new RecordQuery(List.of(new Filter("secret", FilterOperator.CONTAINS,
                "classified")), List.of(), null, 10, null);
        cases.add("filter on secret", () -> numbers(entity, allPages(entity, filterOnSecret)), row.restricted()
                ? Outcome.invalid(e -> assertThat(e.errors()).singleElement().satisfies(error -> {
                    assertThat(error.code()).isEqualTo("unknown_field");
                    assertThat(error.message()).isEqualTo("Filter: " + entity + " has no field 'secret'");
                }))
                : Outcome.ok(result -> assertThat(result).isEqualTo(read)));
        RecordQuery sortOnSecret = new RecordQuery(List.of(), List.of(Sort.asc("secret")), null, 10, null);
        cases.add("sort on secret", () -> numbers(entity, allPages(entity, sortOnSecret)), row.restricted()
                ? Outcome.invalid(e -> assertThat(e.errors()).singleElement().satisfies(error -> {
                    assertThat(error.code()).isEqualTo("unknown_field");
                    assertThat(error.message()).isEqualTo("Sort: " + entity + " has no field 'secret'");
                }))
                : Outcome.ok(result -> assertThat(result).isEqualTo(read)));
        // filters on related records (target groups' "has an open opportunity"): only related records the actor may
        // read count, by fields they may see; each rN is linked to rN of the entity it references
        String reference = REFERENCE_FIELD.get(entity);
        Row referenced = row(row.actor(), REFERENCE_TARGET.get(entity));
        Set<Integer> readThrough = new TreeSet<>(read);
        readThrough.retainAll(Row.numbers(referenced.read()));
        cases.add("filter through a reference", () -> linked(() -> numbers(entity, allPages(entity, new RecordQuery(
                List.of(new Filter(reference + ".name", FilterOperator.STARTS_WITH, "shared")), List.of(), null, 10, null)))),
                Outcome.ok(result -> assertThat(result).isEqualTo(readThrough)));
        cases.add("filter through a reference on secret", () -> linked(() -> numbers(entity, allPages(entity,
                new RecordQuery(List.of(new Filter(reference + ".secret", FilterOperator.CONTAINS, "classified")), List.of(),
                        null, 10, null)))), referenced.restricted()
                ? Outcome.invalid(e -> assertThat(e.errors()).singleElement().satisfies(error -> {
                    assertThat(error.field()).isEqualTo(reference + ".secret");
                    assertThat(error.code()).isEqualTo("unknown_field");
                }))
                : Outcome.ok(result -> assertThat(result).isEqualTo(readThrough)));
        // account: its contacts; contact: its tasks; task: its contact's tasks (two steps)
        String list = switch (entity) {
            case "account" -> "contacts";
            case "contact" -> "tasks";
            default -> "contact.tasks";
        };
        Row listRow = row(row.actor(), entity.equals("account") ? "contact" : "task");
        Set<Integer> withList = new TreeSet<>(entity.equals("task") ? readThrough : read);
        withList.retainAll(Row.numbers(listRow.read()));
        cases.add("filter on having related records", () -> linked(() -> numbers(entity, allPages(entity, new RecordQuery(
                List.of(new Filter(list, FilterOperator.IS_NOT_NULL, null)), List.of(), null, 10, null)))), listRow.unknown()
                ? Outcome.invalid(e -> assertThat(e.errors()).singleElement().satisfies(error ->
                        assertThat(error.code()).isEqualTo("unknown_field")))
                : Outcome.ok(result -> assertThat(result).isEqualTo(withList)));
        // a field derived from the hidden one is hidden the same way
        cases.add("search a derived field", () -> numbers(entity, allPages(entity, search("starts with"))),
                Outcome.ok(result -> assertThat(result).isEqualTo(row.restricted() ? Set.of() : read)));
        RecordQuery filterOnHint = new RecordQuery(List.of(new Filter("hint", FilterOperator.STARTS_WITH, "starts")),
                List.of(), null, 10, null);
        cases.add("filter on hint", () -> numbers(entity, allPages(entity, filterOnHint)), row.restricted()
                ? Outcome.invalid(e -> assertThat(e.errors()).singleElement().satisfies(error -> {
                    assertThat(error.code()).isEqualTo("unknown_field");
                    assertThat(error.message()).isEqualTo("Filter: " + entity + " has no field 'hint'");
                }))
                : Outcome.ok(result -> assertThat(result).isEqualTo(read)));
        RecordQuery sortOnHint = new RecordQuery(List.of(), List.of(Sort.desc("hint")), null, 10, null);
        cases.add("sort on hint", () -> numbers(entity, allPages(entity, sortOnHint)), row.restricted()
                ? Outcome.invalid(e -> assertThat(e.errors()).singleElement().satisfies(error -> {
                    assertThat(error.code()).isEqualTo("unknown_field");
                    assertThat(error.message()).isEqualTo("Sort: " + entity + " has no field 'hint'");
                }))
                : Outcome.ok(result -> assertThat(result).isEqualTo(read)));
        cases.add("titles", () -> secured.titles(entity, ids.get(entity)), Outcome.ok(result -> {
            Map<Long, String> expected = new LinkedHashMap<>();
            read.forEach(n -> expected.put(id(entity, n), "shared r" + n));
            assertThat(result).isEqualTo(expected);
        }));

        // what a plugin's panel may read as this user (RecordReader): the same rows, no hidden field
        SecuredRecordReader panelReader = new SecuredRecordReader(secured, () -> MODEL, "en");
        cases.addForEveryEntity("panel reader finds", () -> {
            Set<Integer> found = new TreeSet<>();
            for (int n = 1; n <= 5; n++) {
                int number = n;
                panelReader.find(entity, id(entity, n)).ifPresent(values -> {
                    found.add(number);
                    assertThat(values).containsKey("name");
                    if (row.restricted()) {
                        assertThat(values).doesNotContainKeys("secret", "hint");
                    }
                });
            }
            return found;
        }, Outcome.ok(result -> assertThat(result).isEqualTo(read)));
        cases.addForEveryEntity("panel reader where on the hidden field", () -> {
            try {
                return panelReader.where(entity, "secret", "classified r1", 10).stream()
                        .map(values -> Integer.parseInt(String.valueOf(values.get("name")).substring("shared r".length())))
                        .collect(java.util.stream.Collectors.toSet());
            } catch (IllegalArgumentException refused) {
                return "refused";
            }
        }, Outcome.ok(result -> assertThat(result).isEqualTo(row.unknown() ? Set.of() : row.restricted() ? "refused"
                : read.contains(1) ? Set.of(1) : Set.of())));

        // what a rule of this user may ask about records (related.*): the same rows, no hidden field
        cases.add("related count", () -> related(entity, l -> l.aggregate(entity, Aggregate.COUNT, null, Map.of())),
                Outcome.ok(result -> assertThat(result).isEqualTo((long) read.size())));
        cases.add("related count by secret", () -> related(entity, l -> l.aggregate(entity, Aggregate.COUNT, null,
                Map.of("secret", "classified r1"))), row.restricted() && !read.isEmpty()
                ? new Outcome("refused", IllegalArgumentException.class,
                        e -> assertThat(((Throwable) e).getMessage()).contains("'secret'", "hidden"))
                : Outcome.ok(result -> assertThat(result).isEqualTo(read.contains(1) ? 1L : 0L)));
        cases.add("related first", () -> related(entity, l -> l.first(entity, Map.of(), List.of("name")).isPresent()),
                Outcome.ok(result -> assertThat(result).isEqualTo(!read.isEmpty())));
        cases.add("related first by secret", () -> related(entity, l -> l.first(entity, Map.of(), List.of("-secret"))
                .isPresent()), row.restricted() && !read.isEmpty()
                ? new Outcome("refused", IllegalArgumentException.class,
                        e -> assertThat(((Throwable) e).getMessage()).contains("'secret'", "hidden"))
                : Outcome.ok(result -> assertThat(result).isEqualTo(!read.isEmpty())));
        cases.add("related count by hint", () -> related(entity, l -> l.aggregate(entity, Aggregate.COUNT, null,
                Map.of("hint", "starts with c2"))), row.restricted() && !read.isEmpty()
                ? new Outcome("refused", IllegalArgumentException.class,
                        e -> assertThat(((Throwable) e).getMessage()).contains("'hint'", "hidden"))
                : Outcome.ok(result -> assertThat(result).isEqualTo(read.contains(2) ? 1L : 0L)));

        // references
        String field = REFERENCE_FIELD.get(entity);
        String target = REFERENCE_TARGET.get(entity);
        Row targetRow = row(row.actor(), target);
        Set<Integer> readableTargets = Row.numbers(targetRow.read());
        long unreadable = readableTargets.size() == 5 ? 1_000_000L
                : id(target, Set.of(1, 2, 3, 4, 5).stream().filter(n -> !readableTargets.contains(n)).min(Integer::compare).orElseThrow());
        long readable = readableTargets.isEmpty() ? 1_000_000L : id(target, readableTargets.iterator().next());
        cases.add("reference to a record out of scope", () -> secured.create(entity, Map.of("name", "ref", field, unreadable)),
                row.create() == Create.DENIED ? Outcome.denied() : Outcome.invalid(e -> assertThat(e.errors())
                        .singleElement().satisfies(error -> {
                            assertThat(error.field() + ":" + error.code()).isEqualTo(field + ":reference_not_found");
                            assertThat(error.message()).isEqualTo("There is no " + target + " with id " + unreadable
                                    + "; pick an existing one");
                        })));
        cases.add("reference to a record in scope", () -> secured.create(entity, Map.of("name", "ref", field, readable)),
                row.create() == Create.DENIED ? Outcome.denied()
                        : Outcome.ok(result -> assertThat(((Record) result).get(field)).isEqualTo(readable)));

        // update each record
        for (int n = 1; n <= 5; n++) {
            long id = id(entity, n);
            cases.add("update r" + n, () -> secured.update(entity, id, 1, Map.of("name", "renamed")),
                    writeOutcome(read, update, n, result -> {
                        assertThat(((Record) result).get("name")).isEqualTo("renamed");
                        assertThat(((Record) result).version()).isEqualTo(2);
                    }), () -> assertUnchanged(entity, id));
        }

        // replace and field access on the first record the actor may change (or may only read)
        int writable = update.isEmpty() ? (read.isEmpty() ? 1 : read.iterator().next()) : update.iterator().next();
        long writableId = id(entity, writable);
        Outcome noUpdate = read.isEmpty() ? Outcome.unknownEntity() : Outcome.denied();
        cases.add("replace r" + writable + " keeps hidden and read-only values", () -> secured.replace(entity,
                writableId, 1, Map.of("name", "replaced")), update.isEmpty() ? noUpdate : Outcome.ok(result -> {
            Record stored = system.get(entity, writableId);
            assertThat(stored.get("name")).isEqualTo("replaced");
            assertThat(stored.get("secret")).isEqualTo(row.restricted() ? "classified r" + writable : null);
            assertThat(stored.get("rating")).isEqualTo(row.restricted() ? (long) writable : null);
            assertVisibleFields(row, (Record) result);
        }), () -> assertUnchanged(entity, writableId));
        cases.add("write the hidden field of r" + writable, () -> secured.update(entity, writableId, 1,
                Map.of("secret", "changed")), update.isEmpty() ? noUpdate : row.restricted()
                ? Outcome.invalidCodes("secret:read_only_field")
                : Outcome.ok(result -> assertThat(system.get(entity, writableId).get("secret")).isEqualTo("changed")),
                () -> assertUnchanged(entity, writableId));
        cases.add("write the derived field of r" + writable, () -> secured.update(entity, writableId, 1,
                Map.of("hint", "changed")), update.isEmpty() ? noUpdate : row.restricted()
                ? Outcome.invalidCodes("hint:read_only_field")
                : Outcome.ok(result -> assertThat(system.get(entity, writableId).get("hint")).isEqualTo("changed")),
                () -> assertUnchanged(entity, writableId));
        cases.add("write the read-only field of r" + writable, () -> secured.update(entity, writableId, 1,
                Map.of("rating", 99L)), update.isEmpty() ? noUpdate : row.restricted()
                ? Outcome.invalidCodes("rating:read_only_field")
                : Outcome.ok(result -> assertThat(system.get(entity, writableId).get("rating")).isEqualTo(99L)),
                () -> assertUnchanged(entity, writableId));
        cases.add("give the read-only field of r" + writable + " its stored value", () -> secured.update(entity,
                writableId, 1, Map.of("rating", (long) writable, "name", "same rating")), update.isEmpty() ? noUpdate
                : Outcome.ok(result -> assertThat(system.get(entity, writableId).get("name")).isEqualTo("same rating")),
                () -> assertUnchanged(entity, writableId));

        // delete each record
        for (int n = 1; n <= 5; n++) {
            long id = id(entity, n);
            cases.add("delete r" + n, () -> {
                secured.delete(entity, id, null);
                return null;
            }, writeOutcome(read, delete, n, result -> assertThat(system.find(entity, id)).isEmpty()),
                    () -> assertUnchanged(entity, id));
        }
        assertThat(cases.tests).as(row.actor() + " " + entity).hasSize(CASES_PER_PAIR);
        return cases.tests;
    }

    /**
     * Runs {@code body} with every rN linked to rN of the entity its reference points to (an account to itself as its
     * parent), by the system store in the case's transaction, which rolls it back: the other cases see no links.
     */
    private Object linked(Callable<Object> body) throws Exception {
        for (String entity : List.of("account", "contact", "task")) {
            for (int n = 1; n <= 5; n++) {
                Record record = system.find(entity, id(entity, n)).orElseThrow();
                system.update(entity, record.id(), record.version(),
                        Map.of(REFERENCE_FIELD.get(entity), id(REFERENCE_TARGET.get(entity), n)));
            }
        }
        return body.call();
    }

    // ---- outcomes ----    // ---- outcomes ----

    /** What a case must do: return a result that passes {@code check}, or throw as expected. */
    record Outcome(String label, Class<? extends Throwable> failure, Consumer<Object> check) {

        static Outcome ok(Consumer<Object> check) {
            return new Outcome("ok", null, check);
        }

        static Outcome notFound() {
            return new Outcome("not found", RecordNotFoundException.class, e -> { });
        }

        static Outcome denied() {
            return new Outcome("access denied", AccessDeniedException.class, e -> { });
        }

        static Outcome unknownEntity() {
            return new Outcome("unknown entity", UnknownEntityException.class, e -> { });
        }

        static Outcome invalid(Consumer<ValidationException> check) {
            return new Outcome("invalid", ValidationException.class, e -> check.accept((ValidationException) e));
        }

        static Outcome invalidCodes(String... fieldCodes) {
            return invalid(e -> assertThat(e.errors()).extracting(error -> error.field() + ":" + error.code())
                    .containsExactly(fieldCodes));
        }
    }

    /** Collects the cases of one row; every case of an entity the actor cannot read expects unknown entity. */
    private final class Cases {
        private final Row row;
        private final List<DynamicTest> tests = new ArrayList<>();

        Cases(Row row) {
            this.row = row;
        }

        void add(String what, Callable<?> call, Outcome outcome) {
            add(what, call, outcome, () -> { }, true);
        }

        /** A case whose outcome holds also for an entity the actor cannot read (readers that answer "none"). */
        void addForEveryEntity(String what, Callable<?> call, Outcome outcome) {
            add(what, call, outcome, () -> { }, false);
        }

        void add(String what, Callable<?> call, Outcome expected, Runnable unchanged) {
            add(what, call, expected, unchanged, true);
        }

        /** {@code unchanged} runs after a failed call, still inside the transaction. */
        private void add(String what, Callable<?> call, Outcome expected, Runnable unchanged, boolean unknownFails) {
            Outcome outcome = unknownFails && row.unknown() ? Outcome.unknownEntity() : expected;
            String name = row.actor() + " / " + row.entity() + " / " + what + " -> " + outcome.label();
            tests.add(DynamicTest.dynamicTest(name, () -> inRolledBackTransaction(ACTORS.get(row.actor()), () -> {
                if (outcome.failure() == null) {
                    outcome.check().accept(call.call());
                } else {
                    assertThatThrownBy(call::call).isInstanceOf(outcome.failure())
                            .satisfies(e -> outcome.check().accept(e));
                    unchanged.run();
                }
            })));
        }
    }

    /** Outside read scope: not found; readable but outside the write scope: denied. */
    private static Outcome writeOutcome(Set<Integer> read, Set<Integer> write, int n, Consumer<Object> check) {
        return !read.contains(n) ? Outcome.notFound() : !write.contains(n) ? Outcome.denied() : Outcome.ok(check);
    }

    /** A rollback that is not a failure. */
    private static final class Rollback extends RuntimeException {
        Rollback() {
            super(null, null, false, false);
        }
    }

    @FunctionalInterface
    private interface Body {
        void run() throws Exception;
    }

    private void inRolledBackTransaction(Actor actor, Body body) {
        current = actor;
        try {
            system.transactions().runInTransaction(() -> {
                try {
                    body.run();
                } catch (RuntimeException | Error e) {
                    throw e;
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
                throw new Rollback();
            });
        } catch (Rollback expected) {
            // every case leaves the fixture as it found it
        } finally {
            current = null;
        }
    }

    // ---- helpers ----

    /** Asks {@code question} as a rule of the current user does, from within a write preview of {@code entity}. */
    private Object related(String entity, java.util.function.Function<RuleInput.RecordLookup, Object> question) {
        lookup = null;
        secured.preview(entity, Map.of("name", "asking"), null);
        assertThat(lookup).as("the rules ran and were given a lookup").isNotNull();
        return question.apply(lookup);
    }

    private void assertUnchanged(String entity, long id) {
        Record stored = system.get(entity, id);
        assertThat(stored.version()).as("version of " + entity + " " + id).isEqualTo(1);
        assertThat(stored.get("name")).asString().startsWith("shared r");
    }

    private static void assertVisibleFields(Row row, Record record) {
        if (row.restricted()) {
            assertThat(record.values()).doesNotContainKeys("secret", "hint").containsKey("rating");
        } else {
            assertThat(record.values()).containsKeys("secret", "hint");
        }
    }

    private List<Record> allPages(String entity, RecordQuery query) {
        List<Record> records = new ArrayList<>();
        RecordPage page = secured.query(entity, query);
        records.addAll(page.records());
        while (page.nextCursor() != null) {
            page = secured.query(entity, new RecordQuery(query.filters(), query.sort(), query.search(), query.limit(),
                    page.nextCursor()));
            records.addAll(page.records());
        }
        return records;
    }

    /** The fixture numbers (1..5) of the records, which must be fixture records and distinct. */
    private Set<Integer> numbers(String entity, List<Record> records) {
        Set<Integer> numbers = new TreeSet<>();
        for (Record record : records) {
            int n = ids.get(entity).indexOf(record.id()) + 1;
            assertThat(n).as("record %s is a fixture record", record.id()).isPositive();
            assertThat(numbers.add(n)).as("r%s listed twice", n).isTrue();
        }
        return numbers;
    }

    private static RecordQuery search(String term) {
        return new RecordQuery(List.of(), List.of(), term, 2, null);
    }

    private long id(String entity, int n) {
        return ids.get(entity).get(n - 1);
    }

    private static Row row(String actor, String entity) {
        return TABLE.stream().filter(r -> r.actor().equals(actor) && r.entity().equals(entity)).findFirst().orElseThrow();
    }
}
