package io.relata.runtime.customer;

import io.relata.api.model.EntityDefinition;
import io.relata.api.model.LocalizedText;
import io.relata.api.model.MetadataModel;
import io.relata.api.record.ConcurrentUpdateException;
import io.relata.api.record.Record;
import io.relata.api.record.RecordStore;
import java.io.IOException;
import java.io.StringReader;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.temporal.Temporal;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.sql.DataSource;
import net.fortuna.ical4j.data.CalendarBuilder;
import net.fortuna.ical4j.data.ParserException;
import net.fortuna.ical4j.model.Calendar;
import net.fortuna.ical4j.model.Component;
import net.fortuna.ical4j.model.Property;
import net.fortuna.ical4j.model.component.CalendarComponent;
import net.fortuna.ical4j.model.property.DateProperty;

/**
 * A user's activities as a CalDAV calendar collection (RFC 4791): the calendar objects a calendar app lists, reads,
 * creates, changes and deletes. Everything goes through the user's own store, so rights, rules and the audit trail
 * hold as for a change on the page. Each object's ETag is its activity's version: an app that changes an appointment
 * someone else changed since it last read it gets {@link Refusal#PRECONDITION_FAILED} and must read again.
 * <p>
 * An activity made in the CRM is the object {@code activity-<id>.ics} with the UID {@link ActivityCalendar#uid}; an
 * appointment an app creates keeps the name and UID the app gave it (table crm_calendar_object). The collection holds
 * the activities of the feed's window (90 days back, a year ahead) that the user owns.
 */
public final class CalendarCollection {

    /** A calendar object: its name in the collection, ETag (quotes included), UID and activity. */
    public record CalendarObject(String name, String etag, String uid, Record activity) {
    }

    /** The result of a write: the object as stored now, and whether it is new. */
    public record Written(CalendarObject object, boolean created) {
    }

    /** Why a write was refused; the web layer answers each with its own status (RFC 4791 preconditions). */
    public enum Refusal {
        /** If-Match or If-None-Match did not hold: someone changed or created the object meanwhile (412). */
        PRECONDITION_FAILED,
        /** Another object of the collection has the UID (409, CALDAV:no-uid-conflict). */
        UID_CONFLICT,
        /** Not an iCalendar object with exactly one event or to-do (400/415, CALDAV:valid-calendar-data). */
        INVALID_DATA,
        /** Something the CRM cannot keep, such as a repeating appointment (403, CALDAV:supported-calendar-component). */
        NOT_SUPPORTED,
        /** No such object in the collection (404). */
        NOT_FOUND
    }

    /** A refused write; the text says what to do, in German and English, for the app's error display. */
    public static final class RefusedException extends RuntimeException {
        private final Refusal refusal;
        private final LocalizedText text;

        public RefusedException(Refusal refusal, LocalizedText text) {
            super(text.in(LocalizedText.FALLBACK_LANGUAGE));
            this.refusal = refusal;
            this.text = text;
        }

        public Refusal refusal() {
            return refusal;
        }

        public LocalizedText text() {
            return text;
        }
    }

    private static RefusedException refused(Refusal refusal, String de, String en, Object... args) {
        return new RefusedException(refusal, LocalizedText.format(de, en, args));
    }

    private static final Pattern OWN_NAME = Pattern.compile("activity-(\\d{1,18})\\.ics");
    /** Names apps choose: UUIDs, UIDs with @ and the like; no path separators, no control characters. */
    private static final Pattern VALID_NAME = Pattern.compile("[^/\\\\\\p{Cntrl}]{1,200}");

    private final DataSource dataSource;
    private final ActivityCalendar calendar;
    private final Supplier<MetadataModel> models;
    /** Its zone is the CRM's: floating times and whole days of apps' objects are read in it. */
    private final java.time.Clock clock;

    public CalendarCollection(DataSource dataSource, ActivityCalendar calendar, Supplier<MetadataModel> models,
                              java.time.Clock clock) {
        this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
        this.calendar = Objects.requireNonNull(calendar, "calendar");
        this.models = Objects.requireNonNull(models, "models");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** The objects of the user's collection, read through {@code records} (the user's own store). */
    public List<CalendarObject> objects(RecordStore records, long userId) {
        List<Record> activities = calendar.window(records, userId);
        Map<Long, String[]> named = namesOf(userId);
        List<CalendarObject> objects = new ArrayList<>(activities.size());
        for (Record activity : activities) {
            objects.add(object(activity, named.get(activity.id())));
        }
        return objects;
    }

    /** A fingerprint of the whole collection (CalendarServer's getctag): it changes whenever an object does. */
    public static String tag(List<CalendarObject> objects) {
        StringBuilder all = new StringBuilder();
        objects.forEach(o -> all.append(o.name()).append(o.etag()));
        return "\"c" + Integer.toHexString(all.toString().hashCode()) + "-" + objects.size() + "\"";
    }

    /** The named object, if it is in the user's collection. */
    public Optional<CalendarObject> object(RecordStore records, long userId, String name) {
        Map<Long, String[]> named = namesOf(userId);
        Optional<Long> id = activityOf(userId, name, named);
        if (id.isEmpty()) {
            return Optional.empty();
        }
        Optional<Record> activity = records.find(Todos.ENTITY, id.get())
                .filter(a -> Objects.equals(a.ownerUser(), userId) && a.get("due_at") != null);
        return activity.map(a -> object(a, named.get(a.id())));
    }

    /** The iCalendar text of one object (one VCALENDAR with its event or to-do). */
    public String data(CalendarObject object) {
        return calendar.ics(List.of(object.activity()), null, record -> object.uid());
    }

    /**
     * Creates or changes the object {@code name} from the app's iCalendar text. {@code ifMatch}: the ETag the app last
     * read (null: unconditional); {@code mustBeNew}: If-None-Match: * (the app creates and must not overwrite).
     */
    public Written put(io.relata.store.SecuredRecordStore records, long userId, String name, String text, String ifMatch, boolean mustBeNew) {
        if (name == null || !VALID_NAME.matcher(name).matches() || name.equals(".") || name.equals("..")) {
            throw refused(Refusal.INVALID_DATA, "Kein gültiger Name für einen Kalendereintrag: \"{0}\"",
                    "Not a valid name for a calendar object: \"{0}\"", name);
        }
        Incoming incoming = parse(text);
        Optional<CalendarObject> current = object(records, userId, name);
        if (current.isPresent()) {
            if (mustBeNew) {
                throw refused(Refusal.PRECONDITION_FAILED, "\"{0}\" gibt es schon (If-None-Match: *)",
                        "\"{0}\" exists already (If-None-Match: *)", name);
            }
            CalendarObject existing = current.get();
            if (ifMatch != null && !etagMatches(ifMatch, existing.etag())) {
                throw changedMeanwhile(name, existing);
            }
            if (!incoming.uid().equals(existing.uid())) {
                throw refused(Refusal.UID_CONFLICT, "\"{0}\" hat die UID {1}; ein Kalendereintrag behält seine UID",
                        "\"{0}\" has the UID {1}; a calendar object keeps its UID", name, existing.uid());
            }
            try {
                // completed_at is the platform's field: written on the user's behalf, as "My work" does
                Map<String, Object> changes = completion(incoming, existing.activity(),
                        changes(incoming, false, records.policy().actor().language()));
                movedReminder(existing.activity(), incoming.start()).ifPresent(reminder -> changes.put("reminder_at", reminder));
                Record changed = records.updateOnBehalf(Todos.ENTITY, existing.activity().id(), existing.activity().version(),
                        changes, Todos.PLATFORM_FIELDS, null, null);
                return new Written(object(changed, namesOf(userId).get(changed.id())), false);
            } catch (ConcurrentUpdateException e) {
                throw changedMeanwhile(name, existing);
            }
        }
        if (ifMatch != null) {
            throw refused(Refusal.PRECONDITION_FAILED, "\"{0}\" gibt es nicht (mehr); If-Match kann nicht zutreffen",
                    "\"{0}\" does not exist (any more); If-Match cannot hold", name);
        }
        if (OWN_NAME.matcher(name).matches()) {
            throw refused(Refusal.NOT_FOUND, "\"{0}\" ist eine Aktivität, die nicht in diesem Kalender ist (gelöscht, an "
                    + "einen Kollegen übergeben oder außerhalb des Kalenderzeitraums)", "\"{0}\" is an activity that is not "
                    + "in this calendar (deleted, handed to a colleague or outside the calendar's window)", name);
        }
        forget(userId, name); // a name left by an activity deleted in the CRM is free again
        if (uidTaken(records, userId, incoming.uid())) {
            throw refused(Refusal.UID_CONFLICT, "Ein anderer Kalendereintrag hat die UID {0}",
                    "Another calendar object has the UID {0}", incoming.uid());
        }
        Record created = records.create(Todos.ENTITY, changes(incoming, true, records.policy().actor().language()));
        remember(userId, name, created.id(), incoming.uid());
        Map<String, Object> completion = completion(incoming, created, new LinkedHashMap<>());
        if (!completion.isEmpty()) {
            created = records.updateOnBehalf(Todos.ENTITY, created.id(), created.version(), completion,
                    Todos.PLATFORM_FIELDS, null, null);
        }
        return new Written(object(created, new String[] {name, incoming.uid()}), true);
    }

    /** Deletes the object's activity (through the user's store: the role must allow deleting activities). */
    public void delete(RecordStore records, long userId, String name, String ifMatch) {
        CalendarObject existing = object(records, userId, name)
                .orElseThrow(() -> refused(Refusal.NOT_FOUND, "Kein Kalendereintrag \"{0}\"", "No calendar object \"{0}\"", name));
        if (ifMatch != null && !etagMatches(ifMatch, existing.etag())) {
            throw changedMeanwhile(name, existing);
        }
        try {
            records.delete(Todos.ENTITY, existing.activity().id(), existing.activity().version());
        } catch (ConcurrentUpdateException e) {
            throw changedMeanwhile(name, existing);
        }
        sql(c -> {
            try (PreparedStatement delete = c.prepareStatement("DELETE FROM crm_calendar_object WHERE user_id = ? AND activity_id = ?")) {
                delete.setLong(1, userId);
                delete.setLong(2, existing.activity().id());
                return delete.executeUpdate();
            }
        });
    }

    private static RefusedException changedMeanwhile(String name, CalendarObject existing) {
        return refused(Refusal.PRECONDITION_FAILED, "\"{0}\" wurde geändert, seit es gelesen wurde (ETag jetzt {1}); "
                + "lesen Sie es neu und wiederholen Sie die Änderung", "\"{0}\" was changed since it was read (its ETag "
                + "is now {1}); read it again and repeat the change", name, existing.etag());
    }

    /** Whether the object's appointment or to-do touches [{@code start}, {@code end}) (CalDAV time-range; null: open). */
    public static boolean overlaps(CalendarObject object, Instant start, Instant end) {
        if (!(object.activity().get("due_at") instanceof OffsetDateTime due)) {
            return false;
        }
        Instant from = due.toInstant();
        Instant to = object.activity().get("ends_at") instanceof OffsetDateTime ends && ends.isAfter(due) ? ends.toInstant()
                : ActivityCalendar.isAppointment(object.activity()) ? from.plus(ActivityCalendar.DEFAULT_LENGTH) : from;
        return (end == null || from.isBefore(end)) && (start == null || to.isAfter(start) || to.equals(from) && !from.isBefore(start));
    }

    /** Whether the object is an event (VEVENT) rather than a to-do (VTODO). */
    public static boolean isEvent(CalendarObject object) {
        return ActivityCalendar.isAppointment(object.activity());
    }

    private CalendarObject object(Record activity, String[] named) {
        String name = named == null ? "activity-" + activity.id() + ".ics" : named[0];
        String uid = named == null ? calendar.uid(activity.id()) : named[1];
        return new CalendarObject(name, "\"a" + activity.id() + "-" + activity.version() + "\"", uid, activity);
    }

    private static boolean etagMatches(String header, String etag) {
        for (String candidate : header.split(",")) {
            String tag = candidate.strip();
            if (tag.startsWith("W/")) {
                tag = tag.substring(2);
            }
            if (tag.equals("*") || tag.equals(etag)) {
                return true;
            }
        }
        return false;
    }

    // ---- reading what the app sent

    /** What an app's object says, in the activity's terms. */
    private record Incoming(String uid, boolean event, String summary, String description, OffsetDateTime start,
                            OffsetDateTime end, boolean completed, OffsetDateTime completedAt, String priority) {
    }

    private Incoming parse(String text) {
        Calendar parsed;
        try {
            parsed = new CalendarBuilder().build(new StringReader(text == null ? "" : text));
        } catch (ParserException e) {
            throw refused(Refusal.INVALID_DATA, "Kein gültiges iCalendar (RFC 5545) in Zeile {0}: {1}",
                    "Not valid iCalendar (RFC 5545) at line {0}: {1}", e.getLineNo(), e.getMessage());
        } catch (IOException | RuntimeException e) {
            throw refused(Refusal.INVALID_DATA, "Kein gültiges iCalendar (RFC 5545): {0}",
                    "Not valid iCalendar (RFC 5545): {0}", String.valueOf(e.getMessage()));
        }
        List<CalendarComponent> items = new ArrayList<>();
        for (CalendarComponent component : parsed.getComponents()) {
            if (component.getName().equals(Component.VEVENT) || component.getName().equals(Component.VTODO)) {
                items.add(component);
            }
        }
        if (items.size() != 1) {
            throw refused(items.size() > 1 ? Refusal.NOT_SUPPORTED : Refusal.INVALID_DATA,
                    "Ein Kalendereintrag enthält genau einen Termin oder eine Aufgabe, dieser {0} (Serientermine mit "
                            + "Ausnahmen werden nicht unterstützt)", "A calendar object holds exactly one event or to-do; "
                            + "this one holds {0} (repeating appointments with exceptions are not supported)", items.size());
        }
        CalendarComponent item = items.get(0);
        if (item.getProperty(Property.RRULE).isPresent() || item.getProperty(Property.RDATE).isPresent()) {
            throw refused(Refusal.NOT_SUPPORTED, "Serientermine unterstützt der CRM-Kalender nicht: legen Sie sie in einem "
                    + "anderen Kalender an oder jeden Termin einzeln", "Repeating appointments are not supported by the "
                    + "CRM's calendar: create them in another calendar, or create each one");
        }
        String uid = text(item, Property.UID).orElseThrow(() -> refused(Refusal.INVALID_DATA,
                "Der Eintrag {0} hat keine UID (RFC 5545 verlangt eine)", "The {0} has no UID (RFC 5545 requires one)",
                item.getName()));
        boolean event = item.getName().equals(Component.VEVENT);
        OffsetDateTime start = date(item, Property.DTSTART).orElse(null);
        OffsetDateTime end;
        if (event) {
            if (start == null) {
                throw refused(Refusal.INVALID_DATA, "Der Termin {0} hat keinen Beginn (DTSTART)", "The event {0} has no DTSTART", uid);
            }
            end = date(item, Property.DTEND).orElse(null);
            if (end == null) {
                Optional<Property> duration = item.getProperty(Property.DURATION);
                end = duration.map(d -> {
                    try {
                        return start.plus(java.time.Duration.parse(d.getValue().replace("+", "")));
                    } catch (RuntimeException e) {
                        return null;
                    }
                }).orElse(null);
            }
        } else {
            end = null;
            Optional<OffsetDateTime> due = date(item, Property.DUE);
            if (due.isPresent()) {
                return todo(item, uid, due.get());
            }
            if (start == null) {
                throw refused(Refusal.NOT_SUPPORTED, "Die Aufgabe {0} hat kein Datum (DUE oder DTSTART): der CRM-Kalender "
                        + "enthält Aufgaben mit Fälligkeit; geben Sie ihr ein Fälligkeitsdatum", "The to-do {0} has no DUE "
                        + "or DTSTART: the CRM's calendar holds to-dos with a date; give it a due date", uid);
            }
            return todo(item, uid, start);
        }
        return new Incoming(uid, true, text(item, Property.SUMMARY).orElse(""), text(item, Property.DESCRIPTION).orElse(null),
                start, end != null && end.isAfter(start) ? end : null, false, null, null);
    }

    private Incoming todo(CalendarComponent item, String uid, OffsetDateTime due) {
        boolean completed = text(item, Property.STATUS).map("COMPLETED"::equalsIgnoreCase).orElse(false)
                || item.getProperty(Property.COMPLETED).isPresent();
        String priority = text(item, Property.PRIORITY).map(p -> {
            try {
                int value = Integer.parseInt(p.strip());
                return value == 0 ? null : value <= 4 ? "high" : value == 5 ? "normal" : "low";
            } catch (NumberFormatException e) {
                return null;
            }
        }).orElse(null);
        return new Incoming(uid, false, text(item, Property.SUMMARY).orElse(""), text(item, Property.DESCRIPTION).orElse(null),
                due, null, completed, date(item, Property.COMPLETED).orElse(null), priority);
    }

    private static Optional<String> text(CalendarComponent item, String property) {
        return item.getProperty(property).map(Property::getValue).filter(v -> !v.isBlank());
    }

    /** A date property as a point in time: floating times and whole days in the CRM's zone. */
    private Optional<OffsetDateTime> date(CalendarComponent item, String property) {
        Optional<Property> found = item.getProperty(property);
        if (found.isEmpty() || !(found.get() instanceof DateProperty<?> dated) || dated.getDate() == null) {
            return Optional.empty();
        }
        Temporal value = dated.getDate();
        if (value instanceof ZonedDateTime zoned) {
            return Optional.of(zoned.toOffsetDateTime());
        }
        if (value instanceof OffsetDateTime offset) {
            return Optional.of(offset);
        }
        if (value instanceof Instant instant) {
            return Optional.of(instant.atOffset(ZoneOffset.UTC));
        }
        if (value instanceof LocalDateTime floating) {
            return Optional.of(floating.atZone(clock.getZone()).toOffsetDateTime());
        }
        if (value instanceof LocalDate day) {
            return Optional.of(day.atStartOfDay(clock.getZone()).toOffsetDateTime());
        }
        return Optional.empty();
    }

    /** The activity's values from an app's object; on change, only what the object says (links stay). */
    private Map<String, Object> changes(Incoming incoming, boolean creating, String language) {
        EntityDefinition activity = models.get().entity(Todos.ENTITY)
                .orElseThrow(() -> refused(Refusal.NOT_SUPPORTED, "Dieses CRM hat keine Aktivitäten", "This CRM has no activities"));
        Map<String, Object> values = new LinkedHashMap<>();
        String subject = incoming.summary().isBlank() ? "(" + (incoming.event() ? LocalizedText.of("Termin", "Appointment")
                : LocalizedText.of("Aufgabe", "To-do")).in(language) + ")" : incoming.summary();
        int limit = activity.field("subject").map(f -> f.maxLength() == null ? 200 : f.maxLength()).orElse(200);
        values.put("subject", subject.length() > limit ? subject.substring(0, limit) : subject);
        if (creating) {
            values.put("type", incoming.event() ? "meeting" : "todo");
        }
        put(activity, values, "description", incoming.description());
        put(activity, values, "due_at", incoming.start());
        if (incoming.event()) {
            put(activity, values, "ends_at", incoming.end());
        } else {
            put(activity, values, "done", incoming.completed());
            if (incoming.priority() != null) {
                put(activity, values, "priority", incoming.priority());
            }
        }
        return values;
    }

    /** An appointment moved in the app takes its reminder along, as a drag on the calendar page does. */
    private static Optional<OffsetDateTime> movedReminder(Record activity, OffsetDateTime newStart) {
        if (newStart != null && activity.get("due_at") instanceof OffsetDateTime due && !due.isEqual(newStart)
                && activity.get("reminder_at") instanceof OffsetDateTime reminder) {
            return Optional.of(reminder.plus(java.time.Duration.between(due, newStart)));
        }
        return Optional.empty();
    }

    /** {@code changes} and, for a to-do completed or reopened in the app, when it was completed (or no more). */
    private Map<String, Object> completion(Incoming incoming, Record activity, Map<String, Object> changes) {
        boolean hasField = models.get().entity(Todos.ENTITY).flatMap(e -> e.field("completed_at")).isPresent();
        if (!hasField || incoming.event()) {
            return changes;
        }
        if (incoming.completed() && activity.get("completed_at") == null) {
            changes.put("completed_at", incoming.completedAt() != null ? incoming.completedAt()
                    : OffsetDateTime.now(clock).truncatedTo(java.time.temporal.ChronoUnit.SECONDS));
        } else if (!incoming.completed() && activity.get("completed_at") != null) {
            changes.put("completed_at", null);
        }
        return changes;
    }

    private static void put(EntityDefinition activity, Map<String, Object> values, String field, Object value) {
        if (activity.field(field).isPresent()) {
            values.put(field, value);
        }
    }

    // ---- the names apps chose

    /** The activity named {@code name} in the user's collection; {@code named}: the names the user's apps chose. */
    private static Optional<Long> activityOf(long userId, String name, Map<Long, String[]> named) {
        for (Map.Entry<Long, String[]> entry : named.entrySet()) {
            if (entry.getValue()[0].equals(name)) {
                return Optional.of(entry.getKey());
            }
        }
        Matcher own = OWN_NAME.matcher(name);
        if (!own.matches()) {
            return Optional.empty();
        }
        long id = Long.parseLong(own.group(1));
        // an activity an app named otherwise is not also at activity-<id>.ics
        return named.containsKey(id) ? Optional.empty() : Optional.of(id);
    }

    /** activity id → {name, uid} of the objects the user's apps named. */
    private Map<Long, String[]> namesOf(long userId) {
        return sql(c -> {
            Map<Long, String[]> names = new HashMap<>();
            try (PreparedStatement query = c.prepareStatement(
                    "SELECT activity_id, name, uid FROM crm_calendar_object WHERE user_id = ?")) {
                query.setLong(1, userId);
                try (ResultSet rs = query.executeQuery()) {
                    while (rs.next()) {
                        names.put(rs.getLong(1), new String[] {rs.getString(2), rs.getString(3)});
                    }
                }
            }
            return names;
        });
    }

    /** Whether an object of the user's has the UID; a UID left by an activity deleted in the CRM is free again. */
    private boolean uidTaken(RecordStore records, long userId, String uid) {
        if (uid.matches("activity-\\d+@.*")) {
            return true; // the UIDs of the CRM's own objects are not for new ones
        }
        Optional<Long> holder = sql(c -> {
            try (PreparedStatement query = c.prepareStatement(
                    "SELECT activity_id FROM crm_calendar_object WHERE user_id = ? AND uid = ?")) {
                query.setLong(1, userId);
                query.setString(2, uid);
                try (ResultSet rs = query.executeQuery()) {
                    return rs.next() ? Optional.of(rs.getLong(1)) : Optional.<Long>empty();
                }
            }
        });
        if (holder.isEmpty()) {
            return false;
        }
        if (records.find(Todos.ENTITY, holder.get()).isPresent()) {
            return true;
        }
        sql(c -> {
            try (PreparedStatement delete = c.prepareStatement("DELETE FROM crm_calendar_object WHERE user_id = ? AND uid = ?")) {
                delete.setLong(1, userId);
                delete.setString(2, uid);
                return delete.executeUpdate();
            }
        });
        return false;
    }

    private void forget(long userId, String name) {
        sql(c -> {
            try (PreparedStatement delete = c.prepareStatement("DELETE FROM crm_calendar_object WHERE user_id = ? AND name = ?")) {
                delete.setLong(1, userId);
                delete.setString(2, name);
                return delete.executeUpdate();
            }
        });
    }

    private void remember(long userId, String name, long activityId, String uid) {
        sql(c -> {
            try (PreparedStatement insert = c.prepareStatement(
                    "INSERT INTO crm_calendar_object (user_id, name, activity_id, uid) VALUES (?, ?, ?, ?)")) {
                insert.setLong(1, userId);
                insert.setString(2, name);
                insert.setLong(3, activityId);
                insert.setString(4, uid);
                return insert.executeUpdate();
            }
        });
    }

    private interface Work<T> {
        T run(Connection connection) throws SQLException;
    }

    private <T> T sql(Work<T> work) {
        try (Connection connection = dataSource.getConnection()) {
            return work.run(connection);
        } catch (SQLException e) {
            throw new IllegalStateException("Could not read or write calendar objects: " + e.getMessage(), e);
        }
    }
}
