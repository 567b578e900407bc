package io.relata.runtime.customer;

import io.relata.api.model.EntityDefinition;
import io.relata.api.model.MetadataModel;
import io.relata.api.record.Filter;
import io.relata.api.record.FilterOperator;
import io.relata.api.record.Record;
import io.relata.api.record.RecordQuery;
import io.relata.api.record.Sort;
import io.relata.api.security.AccessScope;
import io.relata.api.security.Actor;
import io.relata.store.SecuredRecordStore;
import io.relata.store.access.Operation;
import java.time.Clock;
import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.temporal.TemporalAdjusters;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

/**
 * A user's to-dos ("My work"): the open activities they own, by when they are due, those they handed to colleagues,
 * and, for whoever may read their team's activities, the team's; and the three things done with one: complete it
 * (it becomes history with its outcome), postpone it, delegate it. Everything runs through the user's own store:
 * what they may not read is not listed, what they may not change is refused.
 *
 * <p>An activity is open while {@code done} is false. The entity is {@value #ENTITY} (processes create their to-dos
 * there); fields an admin removed from it are left alone (without {@code done} there are no to-dos at all).
 */
public final class Todos {

    public static final String ENTITY = "activity";
    /** Set by the platform, read-only for users: when an activity was completed, who delegated it. */
    public static final Set<String> PLATFORM_FIELDS = Set.of("completed_at", "delegated_by");
    static final int SECTION_LIMIT = 100;

    private final Supplier<MetadataModel> models;
    private final Clock clock;

    public Todos(Supplier<MetadataModel> models, Clock clock) {
        this.models = Objects.requireNonNull(models, "models");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** The sections of "My work", each at most {@value #SECTION_LIMIT} open activities, soonest first. */
    public record Work(List<Record> overdue, List<Record> today, List<Record> thisWeek, List<Record> later,
                       List<Record> delegatedByMe, List<Record> team, boolean seesTeam) {
    }

    /** Whether the model has to-dos: the activity entity with its {@code done} field. */
    public boolean available() {
        return activity().isPresent();
    }

    /**
     * The work of {@code records}' actor; days begin at midnight in the platform's zone, a week on Monday. Open
     * activities without a due date are listed under later.
     */
    public Work of(SecuredRecordStore records) {
        Optional<EntityDefinition> activity = activity();
        if (activity.isEmpty()) {
            return new Work(List.of(), List.of(), List.of(), List.of(), List.of(), List.of(), false);
        }
        Actor me = records.policy().actor();
        Days days = days();
        List<Filter> mine = List.of(new Filter("owner_user", FilterOperator.EQ, me.userId()),
                new Filter("done", FilterOperator.EQ, false));
        List<Record> overdue = open(records, mine, new Filter("due_at", FilterOperator.LT, days.today()));
        List<Record> today = open(records, mine, new Filter("due_at", FilterOperator.GE, days.today()),
                new Filter("due_at", FilterOperator.LT, days.tomorrow()));
        List<Record> thisWeek = open(records, mine, new Filter("due_at", FilterOperator.GE, days.tomorrow()),
                new Filter("due_at", FilterOperator.LT, days.nextWeek()));
        List<Record> later = new ArrayList<>(open(records, mine, new Filter("due_at", FilterOperator.GE, days.nextWeek())));
        later.addAll(open(records, mine, new Filter("due_at", FilterOperator.IS_NULL, null)));
        List<Record> delegated = activity.get().field("delegated_by").isEmpty() ? List.of()
                : open(records, List.of(new Filter("delegated_by", FilterOperator.EQ, me.username()),
                new Filter("done", FilterOperator.EQ, false), new Filter("owner_user", FilterOperator.NE, me.userId())));
        boolean seesTeam = seesTeam(records);
        List<Record> team = !seesTeam || me.teamIds().isEmpty() ? List.of()
                : open(records, List.of(new Filter("owner_team", FilterOperator.IN, List.copyOf(me.teamIds())),
                new Filter("owner_user", FilterOperator.NE, me.userId()), new Filter("done", FilterOperator.EQ, false)));
        return new Work(overdue, today, List.copyOf(thisWeek), List.copyOf(later), delegated, team, seesTeam);
    }

    /** How many of the actor's open activities are due today or overdue: the count in the navigation. */
    public long dueCount(SecuredRecordStore records) {
        if (activity().isEmpty()) {
            return 0;
        }
        Actor me = records.policy().actor();
        return records.count(ENTITY, new RecordQuery(List.of(new Filter("owner_user", FilterOperator.EQ, me.userId()),
                new Filter("done", FilterOperator.EQ, false), new Filter("due_at", FilterOperator.LT, days().tomorrow())),
                List.of(), null, 1, null));
    }

    /** Completes an open activity: done, with its outcome (may be empty) and the time, as the actor's change. */
    public Record complete(SecuredRecordStore records, long id, long version, String outcome) {
        Map<String, Object> changes = new LinkedHashMap<>();
        changes.put("done", true);
        EntityDefinition activity = activity().orElseThrow(() -> new IllegalStateException("there are no to-dos"));
        if (activity.field("outcome").isPresent() && outcome != null && !outcome.isBlank()) {
            changes.put("outcome", outcome.strip());
        }
        if (activity.field("completed_at").isPresent()) {
            changes.put("completed_at", OffsetDateTime.now(clock));
        }
        return records.updateOnBehalf(ENTITY, id, version, changes, PLATFORM_FIELDS, null, null);
    }

    /** Moves an open activity's due date (and its reminder by as much, if it has one). */
    public Record postpone(SecuredRecordStore records, long id, long version, OffsetDateTime due) {
        Record current = records.get(ENTITY, id);
        Map<String, Object> changes = new LinkedHashMap<>();
        changes.put("due_at", due);
        if (current.get("reminder_at") instanceof OffsetDateTime reminder && current.get("due_at") instanceof OffsetDateTime was) {
            changes.put("reminder_at", reminder.plus(java.time.Duration.between(was, due)));
        }
        return records.update(ENTITY, id, version, changes);
    }

    /**
     * Hands an activity to {@code to} (its owner and their first team from now on), noting who delegated it; the
     * actor needs the right to change it. It shows among what they delegated as long as they may still read it:
     * through their role's scope, or through the record it is about ({@code readAccessFrom: regarding}).
     */
    public Record delegate(SecuredRecordStore records, long id, long version, Actor to) {
        Actor me = records.policy().actor();
        Map<String, Object> changes = new LinkedHashMap<>();
        if (activity().flatMap(a -> a.field("delegated_by")).isPresent()) {
            changes.put("delegated_by", me.username());
        }
        return records.updateOnBehalf(ENTITY, id, version, changes, PLATFORM_FIELDS, to.userId(), to.primaryTeam());
    }

    private List<Record> open(SecuredRecordStore records, List<Filter> base, Filter... more) {
        List<Filter> filters = new ArrayList<>(base);
        filters.addAll(List.of(more));
        return records.query(ENTITY, new RecordQuery(filters, List.of(Sort.asc("due_at")), null, SECTION_LIMIT, null))
                .records();
    }

    /** Whether the actor may read activities beyond their own: managers and team roles see their team's work. */
    private boolean seesTeam(SecuredRecordStore records) {
        AccessScope scope = records.policy().scope(ENTITY, Operation.READ);
        return scope == AccessScope.TEAM || scope == AccessScope.ALL;
    }

    private Optional<EntityDefinition> activity() {
        return models.get().entity(ENTITY).filter(e -> e.field("done").isPresent() && e.field("due_at").isPresent());
    }

    private record Days(OffsetDateTime today, OffsetDateTime tomorrow, OffsetDateTime nextWeek) {
    }

    private Days days() {
        ZoneId zone = clock.getZone();
        LocalDate today = LocalDate.now(clock);
        LocalDate monday = today.with(TemporalAdjusters.next(DayOfWeek.MONDAY));
        return new Days(today.atStartOfDay(zone).toOffsetDateTime(), today.plusDays(1).atStartOfDay(zone).toOffsetDateTime(),
                monday.atStartOfDay(zone).toOffsetDateTime());
    }
}
