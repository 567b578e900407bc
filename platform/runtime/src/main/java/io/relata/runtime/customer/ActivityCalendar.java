package io.relata.runtime.customer;

import io.relata.api.model.MetadataModel;
import io.relata.api.record.Filter;
import io.relata.api.record.FilterOperator;
import io.relata.api.record.Record;
import io.relata.api.record.RecordPage;
import io.relata.api.record.RecordQuery;
import io.relata.api.record.RecordStore;
import io.relata.api.record.Sort;
import java.io.IOException;
import java.io.StringWriter;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.function.Supplier;
import net.fortuna.ical4j.data.CalendarOutputter;
import net.fortuna.ical4j.model.Calendar;
import net.fortuna.ical4j.model.component.CalendarComponent;
import net.fortuna.ical4j.model.component.VEvent;
import net.fortuna.ical4j.model.component.VToDo;
import net.fortuna.ical4j.model.property.Completed;
import net.fortuna.ical4j.model.property.Description;
import net.fortuna.ical4j.model.property.DtStamp;
import net.fortuna.ical4j.model.property.Due;
import net.fortuna.ical4j.model.property.Priority;
import net.fortuna.ical4j.model.property.ProdId;
import net.fortuna.ical4j.model.property.Sequence;
import net.fortuna.ical4j.model.property.Status;
import net.fortuna.ical4j.model.property.Summary;
import net.fortuna.ical4j.model.property.Uid;
import net.fortuna.ical4j.model.property.Url;
import net.fortuna.ical4j.model.property.XProperty;
import net.fortuna.ical4j.model.property.immutable.ImmutableCalScale;
import net.fortuna.ical4j.model.property.immutable.ImmutableVersion;

/**
 * A user's activities as iCalendar (RFC 5545), for calendar apps: appointments (an end, or the type meeting or visit)
 * as events, everything else with a due date as to-dos. Read through the user's own store, so a field they may not
 * see is not in the feed either. All times are UTC; a UID is stable for the life of the activity, the SEQUENCE is
 * its version.
 */
public final class ActivityCalendar {

    /** Activity types that are appointments even without an end (they then last an hour). */
    static final Set<String> APPOINTMENT_TYPES = Set.of("meeting", "visit");
    static final Duration DEFAULT_LENGTH = Duration.ofHours(1);
    /** The feed's window: what was due up to 90 days ago and what is due within a year. */
    static final Duration PAST = Duration.ofDays(90);
    static final Duration FUTURE = Duration.ofDays(366);
    /** No more than this many entries per feed: the rest are left out (the oldest window first). */
    static final int MAX_ENTRIES = 5000;

    private final Supplier<MetadataModel> models;
    private final Clock clock;
    private final Supplier<String> baseUrl;

    public ActivityCalendar(Supplier<MetadataModel> models, Clock clock, Supplier<String> baseUrl) {
        this.models = Objects.requireNonNull(models, "models");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.baseUrl = Objects.requireNonNull(baseUrl, "baseUrl");
    }

    /** The activities owned by {@code ownerUserId} in the feed's window, read through {@code records}. */
    public List<Record> window(RecordStore records, long ownerUserId) {
        if (models.get().entity(Todos.ENTITY).flatMap(e -> e.field("due_at")).isEmpty()) {
            return List.of();
        }
        OffsetDateTime now = OffsetDateTime.now(clock);
        return dated(records, List.of(new Filter("owner_user", FilterOperator.EQ, ownerUserId),
                new Filter("due_at", FilterOperator.GE, now.minus(PAST)), new Filter("due_at", FilterOperator.LT, now.plus(FUTURE))));
    }

    /** The activities matching {@code filters}, soonest first, a page at a time up to {@value #MAX_ENTRIES}. */
    private static List<Record> dated(RecordStore records, List<Filter> filters) {
        List<Record> found = new ArrayList<>();
        String cursor = null;
        do {
            RecordPage page = records.query(Todos.ENTITY, new RecordQuery(filters, List.of(Sort.asc("due_at")), null,
                    RecordQuery.MAX_LIMIT, cursor));
            found.addAll(page.records());
            cursor = page.nextCursor();
        } while (cursor != null && found.size() < MAX_ENTRIES);
        return found.size() > MAX_ENTRIES ? found.subList(0, MAX_ENTRIES) : found;
    }

    /**
     * The activities with a due date in {@code [from, to)} owned by any of {@code owners}, as {@code records} reads
     * them (a manager's store reads the team's; a rep's, their own): the calendar page's range.
     */
    public List<Record> between(RecordStore records, java.util.Collection<Long> owners, OffsetDateTime from, OffsetDateTime to) {
        if (owners.isEmpty() || models.get().entity(Todos.ENTITY).flatMap(e -> e.field("due_at")).isEmpty()) {
            return List.of();
        }
        return dated(records, List.of(new Filter("owner_user", FilterOperator.IN, List.copyOf(owners)),
                new Filter("due_at", FilterOperator.GE, from), new Filter("due_at", FilterOperator.LT, to)));
    }

    /**
     * Moves an activity by {@code startDelta} and its end by {@code endDelta} (a drag moves both by the same, a resize
     * the end only), as the user's change; an appointment without an end gets one.
     */
    public Record reschedule(RecordStore records, long id, long version, Duration startDelta, Duration endDelta) {
        Record current = records.get(Todos.ENTITY, id);
        if (!(current.get("due_at") instanceof OffsetDateTime due)) {
            throw new IllegalArgumentException("activity " + id + " has no date to move");
        }
        java.util.Map<String, Object> changes = new java.util.LinkedHashMap<>();
        changes.put("due_at", due.plus(startDelta));
        boolean hasEnd = models.get().entity(Todos.ENTITY).flatMap(e -> e.field("ends_at")).isPresent();
        if (hasEnd && (current.get("ends_at") != null || isAppointment(current))) {
            OffsetDateTime end = current.get("ends_at") instanceof OffsetDateTime ends ? ends : due.plus(DEFAULT_LENGTH);
            changes.put("ends_at", end.plus(endDelta));
        }
        if (current.get("reminder_at") instanceof OffsetDateTime reminder) {
            changes.put("reminder_at", reminder.plus(startDelta));
        }
        return records.update(Todos.ENTITY, id, version, changes);
    }

    /** The iCalendar text of {@code activities}, named {@code name} for the app's calendar list. */
    public String ics(List<Record> activities, String name) {
        return ics(activities, name, activity -> uid(activity.id()));
    }

    /** As {@link #ics(List, String)}, with each activity's UID from {@code uids}; no name: no X-WR-CALNAME. */
    String ics(List<Record> activities, String name, java.util.function.Function<Record, String> uids) {
        Calendar calendar = new Calendar();
        calendar.add(new ProdId("-//Relata//Relata CRM//EN"));
        calendar.add(ImmutableVersion.VERSION_2_0);
        calendar.add(ImmutableCalScale.GREGORIAN);
        if (name != null) {
            calendar.add(new XProperty("X-WR-CALNAME", name));
        }
        for (Record activity : activities) {
            component(activity, uids.apply(activity)).ifPresent(calendar::add);
        }
        StringWriter text = new StringWriter();
        try {
            new CalendarOutputter(false).output(calendar, text);
        } catch (IOException e) {
            throw new IllegalStateException("writing to a string cannot fail", e);
        }
        return text.toString();
    }

    /** An appointment as an event, anything else with a due date as a to-do; nothing without a due date. */
    java.util.Optional<CalendarComponent> component(Record activity) {
        return component(activity, uid(activity.id()));
    }

    private java.util.Optional<CalendarComponent> component(Record activity, String uid) {
        if (!(activity.get("due_at") instanceof OffsetDateTime due)) {
            return java.util.Optional.empty();
        }
        String summary = activity.get("subject") == null ? "" : String.valueOf(activity.get("subject"));
        CalendarComponent component;
        if (isAppointment(activity)) {
            OffsetDateTime end = activity.get("ends_at") instanceof OffsetDateTime ends && ends.isAfter(due) ? ends
                    : due.plus(DEFAULT_LENGTH);
            VEvent event = new VEvent(due.toInstant(), end.toInstant(), summary);
            event.add(new Status(Status.VALUE_CONFIRMED));
            component = event;
        } else {
            VToDo todo = new VToDo();
            todo.add(new Summary(summary));
            todo.add(new Due<>(due.toInstant()));
            boolean done = Boolean.TRUE.equals(activity.get("done"));
            todo.add(new Status(done ? Status.VALUE_COMPLETED : Status.VALUE_NEEDS_ACTION));
            if (done && activity.get("completed_at") instanceof OffsetDateTime completed) {
                todo.add(new Completed(completed.toInstant()));
            }
            if (activity.get("priority") instanceof String priority) {
                todo.add(new Priority(switch (priority) {
                    case "high" -> Priority.VALUE_HIGH;
                    case "low" -> Priority.VALUE_LOW;
                    default -> Priority.VALUE_MEDIUM;
                }));
            }
            component = todo;
        }
        component.add(new Uid(uid));
        // the components come with a DTSTAMP of their making; RFC 5545 allows one: when the activity last changed
        component.replace(new DtStamp(activity.updatedAt() == null ? Instant.now(clock) : activity.updatedAt().toInstant()));
        component.add(new Sequence((int) Math.min(Integer.MAX_VALUE, activity.version())));
        if (activity.get("description") instanceof String description && !description.isBlank()) {
            component.add(new Description(description));
        }
        component.add(new Url(URI.create(baseUrl.get() + "/record.xhtml?entity=" + Todos.ENTITY + "&id=" + activity.id())));
        return java.util.Optional.of(component);
    }

    /** Whether an activity is an appointment (has an end, or is a meeting or visit) rather than a to-do. */
    public static boolean isAppointment(Record activity) {
        return activity.get("ends_at") != null || APPOINTMENT_TYPES.contains(String.valueOf(activity.get("type")));
    }

    /** The stable UID of an activity in every calendar it appears in. */
    public String uid(long activityId) {
        String host = URI.create(baseUrl.get()).getHost();
        return "activity-" + activityId + "@" + (host == null ? "relata" : host);
    }
}
