package io.relata.process;

import static org.assertj.core.api.Assertions.assertThat;

import io.relata.api.model.EntityDefinition;
import io.relata.api.model.FieldDefinition;
import io.relata.api.model.FieldType;
import io.relata.api.model.MetadataModel;
import io.relata.api.process.DialogDefinition;
import io.relata.api.process.DialogField;
import io.relata.api.process.DialogFinish;
import io.relata.api.process.DialogStep;
import io.relata.api.process.PhaseDefinition;
import io.relata.api.process.ProcessAction;
import io.relata.api.process.ProcessDefinition;
import io.relata.api.process.TimerDefinition;
import io.relata.api.process.TransitionDefinition;
import io.relata.api.record.AccessDeniedException;
import io.relata.api.record.FieldError;
import io.relata.api.record.Record;
import io.relata.api.record.RecordException;
import io.relata.api.record.RecordLink;
import io.relata.api.record.RecordQuery;
import io.relata.api.record.RecordStore;
import io.relata.api.rules.RuleKind;
import io.relata.api.security.AccessScope;
import io.relata.api.security.Actor;
import io.relata.api.security.FieldAccess;
import io.relata.metadata.MetadataException;
import io.relata.metadata.MetadataFiles;
import io.relata.metadata.MetadataLoader;
import io.relata.process.dialog.DialogException;
import io.relata.process.dialog.DialogRunner;
import io.relata.process.dialog.DialogSession;
import io.relata.process.dialog.FinishResult;
import io.relata.process.dialog.StepResult;
import io.relata.store.SecuredRecordStore;
import io.relata.store.access.AccessPolicy;
import io.relata.store.access.Operation;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Every shipped role completes every shipped process move and dialog path it may start, on the shipped metadata
 * with the real rules, and every to-do the flows create is seen by its assignee and by whoever may read the record
 * it is about — by nobody else. The roles, processes, dialogs, transitions, branches and fields all come from
 * {@code metadata/}: a new role, phase or step is covered without touching this test.
 *
 * <p>"May start": a process, if the role may create records of its entity (every new record starts a case), and
 * its moves, if it may also change them; a dialog, if {@link DialogRunner#start} lets the role's user start it on a
 * record they own. Values come from the field types ({@link #sample}); a move is tried with the record as small as
 * its phases allow, as complete as the role may fill it, and with what the target phase does not ask emptied (a
 * guard like "clear the meeting time to ask for a new booking"), and must succeed one way. Users of all roles
 * share one team, so a team scope would show what the read rules must not.
 */
@ParameterizedClass(name = "{0}")
@EnumSource(TestDb.Kind.class)
class ShippedFlowsTest {

    private static final Path METADATA = Path.of(System.getProperty("relata.metadata.dir", "../../metadata"));
    private static final long TEAM = 1L;

    @Parameter
    TestDb.Kind kind;

    private MetadataModel model;
    private Kit kit;
    /** One user per shipped role, by role name. */
    private final Map<String, Actor> users = new LinkedHashMap<>();
    /** Makes every sample text and address new (some fields are unique). */
    private int samples;
    /** One record per referenced entity and owner, for reference fields: "entity/owner" → id. */
    private final Map<String, Long> referenced = new LinkedHashMap<>();

    @BeforeEach
    void open() throws MetadataException {
        model = new MetadataLoader().load(MetadataFiles.fromDirectory(METADATA));
        kit = Kit.open(kind, model);
        long id = 100;
        for (String role : model.roles().keySet()) {
            id++;
            users.put(role, Actor.user(id, role + "_user", Set.of(role), List.of(TEAM)));
            kit.assignees.user(id, role + "_user", role + "@example.com", List.of(role), List.of(TEAM));
        }
    }

    @AfterEach
    void close() {
        kit.close();
    }

    // ---- processes ----

    @Test
    void everyRoleMakesEveryMoveOfEveryProcessItMayStart() {
        List<String> failures = new ArrayList<>();
        int moves = 0;
        for (ProcessDefinition process : model.processes().values()) {
            for (Actor user : users.values()) {
                AccessPolicy policy = new AccessPolicy(model, user);
                if (!policy.canCreate(process.entity())) {
                    continue;
                }
                Optional<String> started = startProblem(process, user, process.initialPhase().name());
                started.ifPresent(failures::add);
                if (started.isPresent() || policy.scope(process.entity(), Operation.UPDATE) == AccessScope.NONE) {
                    continue;
                }
                for (TransitionDefinition transition : process.transitions()) {
                    if (madeByPlatformAction(process, transition)) {
                        continue;
                    }
                    Set<String> onlyFor = ROLE_MOVES.get(process.name() + " " + transition.from() + " -> " + transition.to());
                    if (onlyFor != null && java.util.Collections.disjoint(onlyFor, user.roles())) {
                        // the guard must refuse this role, with its reason
                        if (moveProblem(process, user, transition).isEmpty()) {
                            failures.add(user.username() + " made " + process.name() + " " + transition.from() + " -> "
                                    + transition.to() + ", which only " + onlyFor + " may make");
                        }
                        continue;
                    }
                    moveProblem(process, user, transition).ifPresent(failures::add);
                    moves++;
                }
            }
        }
        fireTimers();
        failures.addAll(toDoProblems());
        assertThat(failures).as(String.join("\n", failures)).isEmpty();
        assertThat(moves).as("moves tried").isGreaterThan(50);
        assertThat(kit.node.store.count(ProcessAction.CreateTodo.ENTITY, RecordQuery.all())).as("to-dos made")
                .isGreaterThan(10);
    }

    /**
     * The moves only a platform action makes, so no role makes them by changing the phase: a lead becomes converted
     * through "Convert" (LeadConversion, tested in the runtime), which sets the contact the phase requires.
     */
    private static final Set<String> PLATFORM_MOVES = Set.of("lead_management qualified -> converted",
            // made by their 'when' once sales management set the credit decision (read-only for sales)
            "sales_order credit_review -> released", "sales_order credit_review -> refused");

    /** Moves whose guard lets only some roles make them: a discount is approved by sales management. */
    private static final Map<String, Set<String>> ROLE_MOVES = Map.of(
            "quote in_approval -> approved", Set.of("sales_manager", "administrator"));

    /**
     * Records the test adds to a new record because guards ask about them: a quote is sent (or given for approval)
     * only with a line, and a line needs a price for its product. {@code entity.reference}: a record pointing to the
     * new one; {@code entity}: one of its own (its references are the shared sample records, so the price is that of
     * the line's product). Added while the new record allows it (a quote's lines change only in draft).
     */
    private static final Map<String, List<String>> CHILDREN = Map.of("quote", List.of("price_list_item", "quote_line.quote"));

    private void addChildren(Record record, String entity, Actor user) {
        for (String child : CHILDREN.getOrDefault(entity, List.of())) {
            String[] path = child.split("\\.");
            EntityDefinition definition = model.entity(path[0]).orElseThrow();
            Map<String, Object> values = recordValues(definition, null, false, Set.of());
            if (path.length > 1) {
                values.put(path[1], record.id());
            }
            try {
                kit.node.store.create(path[0], values, user.userId(), TEAM);
            } catch (RecordException e) {
                // there already (a price), or not in this phase: a move that needed it says so
            }
        }
    }

    private static boolean madeByPlatformAction(ProcessDefinition process, TransitionDefinition transition) {
        return PLATFORM_MOVES.contains(process.name() + " " + transition.from() + " -> " + transition.to());
    }

    /** Why a new record of the process's entity does not start the process in {@code phase}; empty if it does. */
    private Optional<String> startProblem(ProcessDefinition process, Actor user, String phase) {
        List<String> tried = new ArrayList<>();
        for (Fill fill : Fill.values()) {
            try {
                if (start(process, user, phase, fill).isPresent()) {
                    return Optional.empty();
                }
                tried.add(fill + ": the record does not follow the process, or moved on by itself");
            } catch (RecordException e) {
                tried.add(fill + ": " + describe(e));
            }
        }
        return Optional.of(user.username() + " cannot start " + process.name() + " in " + phase + ": " + tried);
    }

    /** Why {@code user} cannot make the move; empty if they can. */
    private Optional<String> moveProblem(ProcessDefinition process, Actor user, TransitionDefinition transition) {
        List<String> tried = new ArrayList<>();
        for (Fill fill : Fill.values()) {
            Optional<Record> record;
            try {
                // a case can start in any phase of its process: that is quicker than walking there
                record = start(process, user, transition.from(), fill);
            } catch (RecordException e) {
                tried.add(fill + ": start in " + transition.from() + ": " + describe(e));
                continue;
            }
            if (record.isEmpty()) {
                tried.add(fill + ": the record does not stay in " + transition.from());
                continue;
            }
            addChildren(record.get(), process.entity(), user);
            record = Optional.of(store(user).get(process.entity(), record.get().id()));
            Map<String, Object> changes = new LinkedHashMap<>(moveValues(process, user, record.get(), transition.to(), fill));
            changes.put(process.phaseField(), transition.to());
            try {
                Record moved = store(user).update(process.entity(), record.get().id(), record.get().version(), changes);
                Set<String> reached = reachable(process, transition.to());
                if (!reached.contains(String.valueOf(moved.get(process.phaseField())))) {
                    tried.add(fill + ": ended in " + moved.get(process.phaseField()));
                    continue;
                }
                return Optional.empty();
            } catch (RecordException e) {
                tried.add(fill + ": " + describe(e));
            }
        }
        return Optional.of(user.username() + " cannot move " + process.name() + " " + transition.from() + " -> "
                + transition.to() + ": " + tried);
    }

    /** How much of a record the test fills in. */
    private enum Fill {
        /** Required fields and what the phases ask. */
        MINIMAL,
        /** Every field the role may write. */
        COMPLETE,
        /** As MINIMAL, and the move empties what the target phase does not ask. */
        CLEARING
    }

    /**
     * A record created by {@code user} in {@code phase} of {@code process}, or empty if it follows another process
     * (or moved on by itself). Choice fields are tried option by option until the process's {@code appliesWhen}
     * (and no earlier process's) picks it.
     */
    private Optional<Record> start(ProcessDefinition process, Actor user, String phase, Fill fill) {
        EntityDefinition entity = model.entity(process.entity()).orElseThrow();
        Map<String, Object> values = recordValues(entity, user, fill == Fill.COMPLETE, requirements(process, phase));
        values.put(process.phaseField(), phase);
        List<Map<String, Object>> variants = new ArrayList<>();
        variants.add(values);
        // the fields the processes' conditions name first: they decide which process a record follows
        String conditions = String.join(" ", model.processesOf(entity.name()).stream()
                .filter(p -> p.appliesWhen() != null).map(p -> p.appliesWhen().source()).toList());
        List<FieldDefinition> choices = new ArrayList<>(writable(entity, user));
        choices.sort(java.util.Comparator.comparing(f -> !conditions.contains("record." + f.name())));
        for (FieldDefinition field : choices) {
            if (field.type() == FieldType.CHOICE && !field.name().equals(process.phaseField())) {
                field.options().forEach(option -> {
                    Map<String, Object> variant = new LinkedHashMap<>(values);
                    variant.put(field.name(), option.value());
                    variants.add(variant);
                });
            }
        }
        // a phase asking for a field the user may not write (a quote's approval note) is reached for them by whom
        // may: the record is created for them, as sales management approves the rep's quote
        Set<String> writable = new HashSet<>();
        writable(entity, user).forEach(f -> writable.add(f.name()));
        boolean forThem = !writable.containsAll(requirements(process, phase));
        for (Map<String, Object> variant : variants) {
            if (forThem) {
                Map<String, Object> all = new LinkedHashMap<>(recordValues(entity, null, fill == Fill.COMPLETE,
                        requirements(process, phase)));
                all.putAll(variant);
                variant = all;
            }
            Record created = forThem ? kit.node.store.create(entity.name(), variant, user.userId(), TEAM)
                    : store(user).create(entity.name(), variant);
            var followed = kit.node.cases.current(entity.name(), created.id());
            if (followed.isPresent() && followed.get().process().equals(process.name())) {
                return followed.get().phase().equals(phase) ? Optional.of(created) : Optional.empty();
            }
        }
        return Optional.empty();
    }

    /** The values a move to {@code to} sends besides the phase. */
    private Map<String, Object> moveValues(ProcessDefinition process, Actor user, Record record, String to, Fill fill) {
        EntityDefinition entity = model.entity(process.entity()).orElseThrow();
        Set<String> asked = requirements(process, to);
        Map<String, Object> values = new LinkedHashMap<>();
        for (FieldDefinition field : writable(entity, user)) {
            if (asked.contains(field.name()) && record.get(field.name()) == null) {
                values.put(field.name(), sample(field, user));
            } else if (fill == Fill.CLEARING && !asked.contains(field.name()) && !field.required()
                    && !field.name().equals(process.phaseField()) && record.get(field.name()) != null) {
                values.put(field.name(), null);
            }
        }
        return values;
    }

    /** What a phase asks for: its required fields and, for a closing phase, its reason. */
    private static Set<String> requirements(ProcessDefinition process, String phase) {
        PhaseDefinition definition = process.phase(phase).orElseThrow();
        Set<String> fields = new LinkedHashSet<>(definition.requiredFields());
        if (definition.isClosing() && definition.reasonField() != null) {
            fields.add(definition.reasonField());
        }
        return fields;
    }

    /** The phase and where the platform may move on from it by itself. */
    private static Set<String> reachable(ProcessDefinition process, String phase) {
        Set<String> reached = new LinkedHashSet<>(List.of(phase));
        boolean grew = true;
        while (grew) {
            grew = false;
            for (TransitionDefinition transition : process.transitions()) {
                boolean onEnter = process.phase(transition.from()).map(p -> p.onEnter().stream()
                        .anyMatch(a -> a instanceof ProcessAction.MovePhase m && m.phase().equals(transition.to())))
                        .orElse(false);
                if (reached.contains(transition.from()) && (transition.isAutomatic() || onEnter)) {
                    grew |= reached.add(transition.to());
                }
            }
        }
        return reached;
    }

    /** Lets every timer of the shipped processes fire (their to-dos go to roles). */
    private void fireTimers() {
        Duration longest = model.processes().values().stream().flatMap(p -> p.phases().stream())
                .flatMap(p -> p.timers().stream()).map(TimerDefinition::after).max(Duration::compareTo)
                .orElse(Duration.ZERO);
        kit.advance(longest.plusMinutes(1));
        kit.node.timers.fireDue();
    }

    // ---- dialogs ----

    @Test
    void everyRoleFinishesEveryPathOfEveryDialogItMayStart() {
        List<String> failures = new ArrayList<>();
        int finished = 0;
        for (DialogDefinition dialog : model.dialogs().values()) {
            for (Actor user : users.values()) {
                if (!mayStart(dialog, user)) {
                    continue;
                }
                for (List<Map<String, Object>> path : paths(dialog, user)) {
                    finishProblem(dialog, user, path).ifPresentOrElse(failures::add, () -> { });
                    finished++;
                }
            }
        }
        failures.addAll(toDoProblems());
        assertThat(failures).as(String.join("\n", failures)).isEmpty();
        assertThat(finished).as("dialog paths finished").isGreaterThanOrEqualTo(2 * 3);
    }

    @Test
    void qualifyingALeadWithoutBudgetKeepsItInContactAndOnlyABudgetQualifiesIt() {
        DialogDefinition dialog = model.dialog("lead_qualification").orElseThrow();
        Actor sales = users.get("sales");
        List<List<Map<String, Object>>> paths = paths(dialog, sales);
        assertThat(paths).hasSize(2);
        Map<Boolean, String> statusByBudget = new LinkedHashMap<>();
        for (List<Map<String, Object>> path : paths) {
            long lead = newRecord(dialog.entity(), sales);
            assertThat(finish(dialog, sales, lead, path).errors()).isEmpty();
            boolean budget = path.stream().anyMatch(answers -> Boolean.TRUE.equals(answers.get("has_budget")));
            statusByBudget.put(budget, (String) kit.find("lead", lead).get("status"));
        }
        assertThat(statusByBudget).containsEntry(true, "qualified").containsEntry(false, "contacted");
    }

    /** {@link DialogRunner#start} lets {@code user} start the dialog on a record they own. */
    private boolean mayStart(DialogDefinition dialog, Actor user) {
        if (!new AccessPolicy(model, user).canRead(dialog.entity())) {
            return false;
        }
        long record = newRecord(dialog.entity(), user);
        try {
            DialogSession session = runner(user).start(dialog.name(), dialog.entity(), record, user);
            runner(user).abandon(session.id(), user);
            return true;
        } catch (AccessDeniedException e) {
            return false;
        } catch (DialogException e) {
            if (e.problem() == DialogException.Problem.NOT_ALLOWED) {
                return false;
            }
            throw e;
        }
    }

    /**
     * Every way through the dialog, as the answers per step: at each step the answers with every value of its
     * boolean and choice fields are tried, and each distinct next step is followed.
     */
    private List<List<Map<String, Object>>> paths(DialogDefinition dialog, Actor user) {
        List<List<Map<String, Object>>> done = new ArrayList<>();
        explore(dialog, user, new ArrayList<>(), done);
        return done;
    }

    private void explore(DialogDefinition dialog, Actor user, List<Map<String, Object>> prefix,
                         List<List<Map<String, Object>>> done) {
        DialogRunner runner = runner(user);
        long record = newRecord(dialog.entity(), user);
        DialogSession session = replay(dialog, user, record, prefix);
        if (session.atSummary()) {
            done.add(prefix);
            runner.abandon(session.id(), user);
            return;
        }
        DialogStep step = dialog.step(session.step()).orElseThrow();
        Map<String, Map<String, Object>> byNext = new LinkedHashMap<>();
        List<String> refused = new ArrayList<>();
        for (Map<String, Object> answers : variants(dialog, step, user)) {
            StepResult result = runner.submitStep(session.id(), step.name(), answers, user);
            if (!result.accepted()) {
                refused.add(answers + ": " + result.errors());
                continue;
            }
            byNext.putIfAbsent(String.valueOf(result.session().step()), answers);
            session = runner.back(result.session().id(), user);
        }
        runner.abandon(session.id(), user);
        assertThat(byNext).as(user.username() + " cannot answer step " + step.name() + " of " + dialog.name()
                + " at all: " + refused).isNotEmpty();
        for (Map<String, Object> answers : byNext.values()) {
            List<Map<String, Object>> longer = new ArrayList<>(prefix);
            longer.add(answers);
            explore(dialog, user, longer, done);
        }
    }

    private DialogSession replay(DialogDefinition dialog, Actor user, long record, List<Map<String, Object>> answers) {
        DialogRunner runner = runner(user);
        DialogSession session = runner.start(dialog.name(), dialog.entity(), record, user);
        for (Map<String, Object> step : answers) {
            StepResult result = runner.submitStep(session.id(), session.step(), step, user);
            assertThat(result.errors()).as("replaying " + answers).isEmpty();
            session = result.session();
        }
        return session;
    }

    /** The step's fields filled in, and once with each value of each boolean and choice field. */
    private List<Map<String, Object>> variants(DialogDefinition dialog, DialogStep step, Actor user) {
        AccessPolicy policy = new AccessPolicy(model, user);
        Map<String, Object> base = new LinkedHashMap<>();
        List<Map<String, Object>> variants = new ArrayList<>();
        for (DialogField field : step.fields()) {
            if (!field.recordField() || policy.fieldAccess(dialog.entity(), field.name()) == FieldAccess.EDITABLE) {
                base.put(field.name(), sample(field.definition(), user));
            }
        }
        variants.add(base);
        for (DialogField field : step.fields()) {
            if (!base.containsKey(field.name())) {
                continue;
            }
            List<Object> values = switch (field.definition().type()) {
                case BOOLEAN -> List.of(true, false);
                case CHOICE -> new ArrayList<>(field.definition().options().stream().map(o -> (Object) o.value()).toList());
                default -> List.of();
            };
            for (Object value : values) {
                Map<String, Object> variant = new LinkedHashMap<>(base);
                variant.put(field.name(), value);
                variants.add(variant);
            }
        }
        return variants;
    }

    /** Why finishing along {@code path} fails for {@code user}, or does not do what the path's finish says. */
    private Optional<String> finishProblem(DialogDefinition dialog, Actor user, List<Map<String, Object>> path) {
        long record = newRecord(dialog.entity(), user);
        FinishResult result = finish(dialog, user, record, path);
        String which = user.username() + " finishing " + dialog.name() + " after " + result.session().path();
        if (!result.finished()) {
            return Optional.of(which + ": " + result.errors());
        }
        DialogFinish finish = dialog.finishAfter(result.session().path().get(result.session().path().size() - 1));
        if (finish.movePhase() != null) {
            String phaseField = kit.node.cases.current(dialog.entity(), record).orElseThrow().definition().orElseThrow()
                    .phaseField();
            Object phase = kit.find(dialog.entity(), record).get(phaseField);
            if (!finish.movePhase().equals(phase)) {
                return Optional.of(which + ": the record is in " + phase + ", not " + finish.movePhase());
            }
        }
        for (FinishResult.WrittenRecord written : result.written()) {
            if (written.created() && store(user).find(written.entity(), written.id()).isEmpty()) {
                return Optional.of(which + ": cannot see the " + written.entity() + " " + written.id() + " it created");
            }
        }
        return Optional.empty();
    }

    private FinishResult finish(DialogDefinition dialog, Actor user, long record, List<Map<String, Object>> path) {
        DialogSession session = replay(dialog, user, record, path);
        assertThat(session.atSummary()).isTrue();
        return runner(user).finish(session.id(), user);
    }

    private DialogRunner runner(Actor user) {
        return new DialogRunner(store(user), kit.node.store.transactions(), () -> model, TestRules.rules(), kit.clock);
    }

    // ---- to-dos: seen by their assignee and by whoever may read what they are about, by nobody else ----

    private List<String> toDoProblems() {
        List<String> problems = new ArrayList<>();
        EntityDefinition todos = model.entity(ProcessAction.CreateTodo.ENTITY).orElseThrow();
        String link = todos.readAccessFrom();
        List<Record> all = allRecords(todos.name());
        for (Record todo : all) {
            if ("todo".equals(todo.get("type")) && (todo.get(link) == null || todo.ownerUser() == null)) {
                problems.add("to-do " + todo.id() + " '" + todo.get("subject") + "' is about " + todo.get(link)
                        + ", assigned to " + todo.ownerUser() + ": every to-do needs both");
            }
        }
        for (Actor user : users.values()) {
            AccessPolicy policy = new AccessPolicy(model, user);
            Set<Long> sees = policy.canRead(todos.name()) ? ids(store(user), todos.name()) : Set.of();
            Map<String, Set<Long>> readable = new LinkedHashMap<>();
            for (Record todo : all) {
                RecordLink about = (RecordLink) todo.get(link);
                boolean owner = todo.ownerUser() != null && todo.ownerUser() == user.userId();
                boolean readsAbout = about != null && policy.canRead(about.entity()) && readable
                        .computeIfAbsent(about.entity(), entity -> ids(store(user), entity)).contains(about.id());
                boolean should = policy.canRead(todos.name()) && (owner || readsAbout
                        || (about == null && policy.allows(todos.name(), Operation.READ, todo)));
                boolean seen = sees.contains(todo.id());
                if (owner && !seen) {
                    problems.add("to-do " + todo.id() + " '" + todo.get("subject") + "' is assigned to "
                            + user.username() + ", who cannot see it");
                } else if (seen != should) {
                    problems.add(user.username() + (seen ? " sees" : " does not see") + " to-do " + todo.id() + " '"
                            + todo.get("subject") + "' about " + about);
                }
            }
        }
        return problems;
    }

    /** The ids of the records of {@code entity} the store shows. */
    private static Set<Long> ids(RecordStore store, String entity) {
        Set<Long> ids = new HashSet<>();
        records(store, entity).forEach(r -> ids.add(r.id()));
        return ids;
    }

    /** Every record of {@code entity} the store shows, page by page. */
    private static List<Record> records(RecordStore store, String entity) {
        List<Record> records = new ArrayList<>();
        String cursor = null;
        do {
            var page = store.query(entity, new RecordQuery(List.of(), List.of(), null, RecordQuery.MAX_LIMIT, cursor));
            records.addAll(page.records());
            cursor = page.nextCursor();
        } while (cursor != null);
        return records;
    }

    private List<Record> allRecords(String entity) {
        return records(kit.node.store, entity);
    }

    // ---- records and values ----

    private SecuredRecordStore store(Actor user) {
        return kit.node.as(user);
    }

    /** A record of {@code entity} owned by {@code user}: created by them if they may, else for them. */
    private long newRecord(String entity, Actor user) {
        EntityDefinition definition = model.entity(entity).orElseThrow();
        if (new AccessPolicy(model, user).canCreate(entity)) {
            return store(user).create(entity, recordValues(definition, user, false, Set.of())).id();
        }
        return kit.node.store.create(entity, recordValues(definition, null, false, Set.of()), user.userId(), TEAM).id();
    }

    /**
     * Values for a new record: required fields (and {@code asked}), or every field {@code user} may write; never
     * fields rules set. {@code user} null: the platform (every field).
     */
    private Map<String, Object> recordValues(EntityDefinition entity, Actor user, boolean complete, Set<String> asked) {
        Map<String, Object> values = new LinkedHashMap<>();
        // a field required under a condition gets a value too: the sample may meet its condition (an e-mail campaign's
        // consent purpose)
        Set<String> requiredWhen = new HashSet<>();
        entity.rules().stream().filter(r -> r.kind() == RuleKind.REQUIRED_WHEN).forEach(r -> requiredWhen.add(r.field()));
        for (FieldDefinition field : writable(entity, user)) {
            if (complete || field.required() || requiredWhen.contains(field.name()) || asked.contains(field.name())) {
                values.put(field.name(), sample(field, user));
            }
        }
        return values;
    }

    /** Fields {@code user} may write (null: all) that no rule sets. */
    private List<FieldDefinition> writable(EntityDefinition entity, Actor user) {
        Set<String> ruleSet = new HashSet<>();
        entity.rules().stream().filter(r -> r.kind() == RuleKind.COMPUTED || r.kind() == RuleKind.SCORE).forEach(r -> {
            ruleSet.add(r.field());
            if (r.reasonsField() != null) {
                ruleSet.add(r.reasonsField());
            }
        });
        AccessPolicy policy = user == null ? null : new AccessPolicy(model, user);
        return entity.fields().stream().filter(f -> !ruleSet.contains(f.name()) && f.autoNumber() == null)
                .filter(f -> policy == null || policy.fieldAccess(entity.name(), f.name()) == FieldAccess.EDITABLE)
                .filter(f -> f.type() != FieldType.RECORD_LINK || f.required())
                .toList();
    }

    /**
     * What a record a unique reference points to must be, by its entity: an order is made from an accepted quote
     * (which the quote process turns into an order itself; the sample is stored without processes, so it has none).
     */
    private static final Map<String, Map<String, Object>> REFERENCED_AS = Map.of("quote", Map.of("status", "accepted"));

    /** A record of its own for a unique reference (an order's quote), stored without processes. */
    private long fresh(FieldDefinition field, Actor user) {
        String entity = field.referenceEntity();
        Map<String, Object> values = recordValues(model.entity(entity).orElseThrow(), null, false, Set.of());
        values.putAll(REFERENCED_AS.getOrDefault(entity, Map.of()));
        Actor owner = user != null ? user : users.values().iterator().next();
        io.relata.store.JdbcRecordStore withoutProcesses = new io.relata.store.JdbcRecordStore(
                kit.node.store.transactions(), () -> model, kit.clock, TestRules.rules());
        return withoutProcesses.create(entity, values, owner.userId(), TEAM).id();
    }

    /**
     * The record of {@code entity} that references of {@code user}'s records point to, created once. Not with
     * computeIfAbsent: creating it may need records of further entities (a quote's opportunity, its account).
     */
    private long referenced(String entity, Actor user) {
        String key = entity + "/" + (user == null ? "" : user.userId());
        Long id = referenced.get(key);
        if (id == null) {
            // owned by someone, so that the to-dos their processes make have an assignee
            Actor owner = user != null ? user : users.values().iterator().next();
            Map<String, Object> values = recordValues(model.entity(entity).orElseThrow(), null, false, Set.of());
            if (entity.equals("consent_purpose")) { // its key: lower-case letters, digits and underscores
                values.put("name", "purpose_" + (++samples));
            }
            id = kit.node.store.create(entity, values, owner.userId(), TEAM).id();
            referenced.put(key, id);
        }
        return id;
    }

    /** A value of the field's type that the shipped rules accept (dates ahead of the clock, positive amounts). */
    private Object sample(FieldDefinition field, Actor user) {
        int n = ++samples;
        return switch (field.type()) {
            case TEXT, LONG_TEXT -> fit(n + " " + field.name(), field);
            case EMAIL -> "sample" + n + "@example.com";
            case PHONE -> "+49 30 1234567";
            case URL -> "https://example.com/" + field.name() + "/" + n;
            case INTEGER -> 50L;
            case DECIMAL -> new BigDecimal("0.5");
            case MONEY -> new BigDecimal("1000.00");
            case DATE -> kit.now().toLocalDate().plusDays(30);
            case DATE_TIME -> kit.now().plusDays(1);
            case BOOLEAN -> true;
            case CHOICE -> field.options().get(0).value();
            case MULTI_CHOICE -> List.of(field.options().get(0).value());
            case REFERENCE -> field.unique() ? fresh(field, user) : referenced(field.referenceEntity(), user);
            case RECORD_LINK, FILE -> null;
        };
    }

    private static String fit(String text, FieldDefinition field) {
        return text.length() <= field.effectiveMaxLength() ? text : text.substring(0, field.effectiveMaxLength());
    }

    private static String describe(RecordException e) {
        if (e instanceof io.relata.api.record.ValidationException invalid) {
            return invalid.errors().stream().map(FieldError::message).toList().toString();
        }
        return e.getMessage();
    }
}
