package io.relata.runtime.customer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.relata.api.model.MetadataModel;
import io.relata.api.record.Record;
import io.relata.api.security.Actor;
import io.relata.runtime.customer.CalendarCollection.CalendarObject;
import io.relata.runtime.customer.CalendarCollection.Refusal;
import io.relata.runtime.customer.CalendarCollection.RefusedException;
import io.relata.store.JdbcRecordStore;
import io.relata.store.SecuredRecordStore;
import java.io.StringReader;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Set;
import net.fortuna.ical4j.data.CalendarBuilder;
import net.fortuna.ical4j.model.Calendar;
import net.fortuna.ical4j.model.Component;
import net.fortuna.ical4j.model.Property;
import net.fortuna.ical4j.model.component.CalendarComponent;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A user's activities as a CalDAV collection, on H2 and PostgreSQL: the objects a calendar app lists and reads
 * (parsed back by ical4j), appointments and to-dos an app creates (with its own name, UID and time zone), changes
 * with and without the current ETag, If-None-Match, UID conflicts, what the CRM refuses (repeating appointments,
 * broken data) and deleting; a colleague's objects are not in the collection.
 */
@ParameterizedClass(name = "{0}")
@ValueSource(strings = {"h2", "postgresql"})
class CalendarCollectionTest {

    private static final Path METADATA = Path.of("../../metadata");
    private static final OffsetDateTime NOW = OffsetDateTime.of(2026, 12, 2, 10, 0, 0, 0, ZoneOffset.UTC);
    private static final String EVENT = """
            BEGIN:VCALENDAR\r
            VERSION:2.0\r
            PRODID:-//Test//Client//EN\r
            BEGIN:VTIMEZONE\r
            TZID:Europe/Berlin\r
            BEGIN:STANDARD\r
            DTSTART:19701025T030000\r
            RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU\r
            TZOFFSETFROM:+0200\r
            TZOFFSETTO:+0100\r
            END:STANDARD\r
            BEGIN:DAYLIGHT\r
            DTSTART:19700329T020000\r
            RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU\r
            TZOFFSETFROM:+0100\r
            TZOFFSETTO:+0200\r
            END:DAYLIGHT\r
            END:VTIMEZONE\r
            BEGIN:VEVENT\r
            UID:%s\r
            DTSTAMP:20261201T080000Z\r
            DTSTART;TZID=Europe/Berlin:20261210T140000\r
            DTEND;TZID=Europe/Berlin:20261210T153000\r
            SUMMARY:%s\r
            DESCRIPTION:Agenda: prices\\, terms\r
            END:VEVENT\r
            END:VCALENDAR\r
            """;

    @Parameter
    String databaseKind;

    private final Actor anna = Actor.user(11, "anna", Set.of("sales"), List.of(1L));
    private final Actor ben = Actor.user(12, "ben", Set.of("sales"), List.of(1L));

    private io.relata.runtime.TestPlatform platform;
    private MetadataModel model;
    private JdbcRecordStore system;
    private CalendarCollection collection;
    private long call;
    private long bensCall;

    @BeforeEach
    void start() throws Exception {
        platform = new io.relata.runtime.TestPlatform(databaseKind, List.of(), Clock.systemUTC(),
                p -> io.relata.store.RecordWriteHook.NONE);
        model = platform.model;
        system = platform.system;
        Clock clock = Clock.fixed(NOW.toInstant(), ZoneId.of("Europe/Berlin"));
        ActivityCalendar calendar = new ActivityCalendar(() -> model, clock, () -> "https://crm.example.com");
        collection = new CalendarCollection(platform.database.dataSource(), calendar, () -> model, clock);
        call = system.create("activity", Map.of("subject", "Call ACME", "type", "call", "done", false,
                "due_at", NOW.plusDays(1)), anna.userId(), anna.primaryTeam()).id();
        system.create("activity", Map.of("subject", "Someday", "type", "todo", "done", false), anna.userId(), anna.primaryTeam());
        bensCall = system.create("activity", Map.of("subject", "Ben's call", "type", "call", "done", false,
                "due_at", NOW.plusDays(1)), ben.userId(), ben.primaryTeam()).id();
    }

    @AfterEach
    void stop() throws Exception {
        platform.close();
    }

    private SecuredRecordStore as(Actor actor) {
        return platform.as(actor);
    }

    private static CalendarComponent only(String ics) throws Exception {
        Calendar parsed = new CalendarBuilder().build(new StringReader(ics));
        assertThat(parsed.getComponents()).hasSize(1);
        return parsed.getComponents().get(0);
    }

    @Test
    void listsTheUsersDatedActivitiesWithStableNamesAndEtags() throws Exception {
        List<CalendarObject> objects = collection.objects(as(anna), anna.userId());
        assertThat(objects).extracting(CalendarObject::name).containsExactly("activity-" + call + ".ics");
        CalendarObject object = objects.get(0);
        assertThat(object.etag()).matches("\"a" + call + "-\\d+\"");
        CalendarComponent todo = only(collection.data(object));
        assertThat(todo.getName()).isEqualTo(Component.VTODO);
        assertThat(todo.getProperty(Property.UID).orElseThrow().getValue()).isEqualTo("activity-" + call + "@crm.example.com");
        assertThat(collection.object(as(anna), anna.userId(), "activity-" + call + ".ics")).isPresent();
        // a colleague's activity is not in anna's collection, even by its name
        assertThat(collection.object(as(anna), anna.userId(), "activity-" + bensCall + ".ics")).isEmpty();
        assertThat(collection.object(as(ben), ben.userId(), "activity-" + call + ".ics")).isEmpty();
    }

    @Test
    void anAppointmentMadeInAnAppKeepsItsNameUidAndTimeZone() throws Exception {
        String tagBefore = CalendarCollection.tag(collection.objects(as(anna), anna.userId()));
        CalendarCollection.Written written = collection.put(as(anna), anna.userId(), "3F2504E0-4F89.ics",
                EVENT.formatted("3F2504E0-4F89@phone", "Visit ACME"), null, true);
        assertThat(written.created()).isTrue();
        Record activity = system.get("activity", written.object().activity().id());
        assertThat(activity.ownerUser()).isEqualTo(anna.userId());
        assertThat(activity.get("type")).isEqualTo("meeting");
        assertThat(activity.get("subject")).isEqualTo("Visit ACME");
        assertThat(activity.get("description")).isEqualTo("Agenda: prices, terms");
        // 14:00 in Berlin in December is 13:00 UTC
        assertThat(((OffsetDateTime) activity.get("due_at")).toInstant()).isEqualTo(Instant.parse("2026-12-10T13:00:00Z"));
        assertThat(((OffsetDateTime) activity.get("ends_at")).toInstant()).isEqualTo(Instant.parse("2026-12-10T14:30:00Z"));

        CalendarObject stored = collection.object(as(anna), anna.userId(), "3F2504E0-4F89.ics").orElseThrow();
        CalendarComponent event = only(collection.data(stored));
        assertThat(event.getName()).isEqualTo(Component.VEVENT);
        assertThat(event.getProperty(Property.UID).orElseThrow().getValue()).isEqualTo("3F2504E0-4F89@phone");
        assertThat(collection.objects(as(anna), anna.userId())).extracting(CalendarObject::name)
                .contains("3F2504E0-4F89.ics").doesNotContain("activity-" + activity.id() + ".ics");
        assertThat(CalendarCollection.tag(collection.objects(as(anna), anna.userId()))).isNotEqualTo(tagBefore);
        // the same UID under another name is a conflict; the same name again with If-None-Match: * is refused
        assertThatThrownBy(() -> collection.put(as(anna), anna.userId(), "other.ics",
                EVENT.formatted("3F2504E0-4F89@phone", "Copy"), null, true))
                .isInstanceOfSatisfying(RefusedException.class, e -> assertThat(e.refusal()).isEqualTo(Refusal.UID_CONFLICT));
        assertThatThrownBy(() -> collection.put(as(anna), anna.userId(), "3F2504E0-4F89.ics",
                EVENT.formatted("3F2504E0-4F89@phone", "Again"), null, true))
                .isInstanceOfSatisfying(RefusedException.class, e -> assertThat(e.refusal()).isEqualTo(Refusal.PRECONDITION_FAILED));
    }

    @Test
    void aChangeWithAnOldEtagIsRefusedAndWithTheCurrentOneApplied() {
        String name = "meet.ics";
        CalendarObject first = collection.put(as(anna), anna.userId(), name, EVENT.formatted("meet@app", "First"), null, true).object();
        // meanwhile the rep renames it in the CRM: the app's ETag is old now
        Record current = system.get("activity", first.activity().id());
        as(anna).update("activity", current.id(), current.version(), Map.of("subject", "Renamed in the CRM"));
        assertThatThrownBy(() -> collection.put(as(anna), anna.userId(), name, EVENT.formatted("meet@app", "From the app"),
                first.etag(), false))
                .isInstanceOfSatisfying(RefusedException.class, e -> {
                    assertThat(e.refusal()).isEqualTo(Refusal.PRECONDITION_FAILED);
                    assertThat(e.getMessage()).contains("read it again");
                });
        assertThat(system.get("activity", first.activity().id()).get("subject")).isEqualTo("Renamed in the CRM");

        CalendarObject now = collection.object(as(anna), anna.userId(), name).orElseThrow();
        CalendarCollection.Written changed = collection.put(as(anna), anna.userId(), name,
                EVENT.formatted("meet@app", "From the app").replace("T140000", "T090000"), now.etag(), false);
        assertThat(changed.created()).isFalse();
        assertThat(changed.object().etag()).isNotEqualTo(now.etag());
        Record after = system.get("activity", first.activity().id());
        assertThat(after.get("subject")).isEqualTo("From the app");
        assertThat(((OffsetDateTime) after.get("due_at")).toInstant()).isEqualTo(Instant.parse("2026-12-10T08:00:00Z"));
        // a changed UID under the same name is refused
        assertThatThrownBy(() -> collection.put(as(anna), anna.userId(), name, EVENT.formatted("other@app", "x"), null, false))
                .isInstanceOfSatisfying(RefusedException.class, e -> assertThat(e.refusal()).isEqualTo(Refusal.UID_CONFLICT));
        // If-Match on something that does not exist cannot hold
        assertThatThrownBy(() -> collection.put(as(anna), anna.userId(), "gone.ics", EVENT.formatted("gone@app", "x"),
                "\"a1-1\"", false))
                .isInstanceOfSatisfying(RefusedException.class, e -> assertThat(e.refusal()).isEqualTo(Refusal.PRECONDITION_FAILED));
    }

    @Test
    void anAppointmentMovedInTheAppTakesItsReminderAlong() {
        CalendarObject created = collection.put(as(anna), anna.userId(), "visit.ics", EVENT.formatted("visit@app", "Visit"),
                null, true).object();
        Record stored = system.get("activity", created.activity().id());
        OffsetDateTime remindAt = ((OffsetDateTime) stored.get("due_at")).minusMinutes(30);
        as(anna).update("activity", stored.id(), stored.version(), Map.of("reminder_at", remindAt));
        CalendarObject current = collection.object(as(anna), anna.userId(), "visit.ics").orElseThrow();
        // two hours later, 16:00 in Berlin
        collection.put(as(anna), anna.userId(), "visit.ics", EVENT.formatted("visit@app", "Visit").replace("T140000", "T160000")
                .replace("T153000", "T173000"), current.etag(), false);
        Record moved = system.get("activity", stored.id());
        assertThat(((OffsetDateTime) moved.get("reminder_at")).toInstant()).isEqualTo(remindAt.plusHours(2).toInstant());
    }

    @Test
    void aToDoCompletedInTheAppIsDoneInTheCrm() {
        String todo = """
                BEGIN:VCALENDAR\r
                VERSION:2.0\r
                PRODID:-//Test//Client//EN\r
                BEGIN:VTODO\r
                UID:todo-1@app\r
                DTSTAMP:20261201T080000Z\r
                DUE:20261204T160000Z\r
                SUMMARY:Send the offer\r
                PRIORITY:1\r
                STATUS:%s\r
                END:VTODO\r
                END:VCALENDAR\r
                """;
        CalendarObject created = collection.put(as(anna), anna.userId(), "todo-1.ics", todo.formatted("NEEDS-ACTION"), null, true).object();
        Record open = system.get("activity", created.activity().id());
        assertThat(open.get("type")).isEqualTo("todo");
        assertThat(open.get("priority")).isEqualTo("high");
        assertThat(open.get("done")).isEqualTo(false);
        // completed_at is read-only for the rep's role: the collection writes it on their behalf, as "My work" does
        collection.put(as(anna), anna.userId(), "todo-1.ics", todo.formatted("COMPLETED"), created.etag(), false);
        Record done = system.get("activity", created.activity().id());
        assertThat(done.get("done")).isEqualTo(true);
        assertThat(done.get("completed_at")).isNotNull();
    }

    @Test
    void whatTheCrmCannotKeepIsRefusedWithAReason() {
        String repeating = EVENT.formatted("weekly@app", "Jour fixe").replace("DESCRIPTION:", "RRULE:FREQ=WEEKLY\r\nDESCRIPTION:");
        assertThatThrownBy(() -> collection.put(as(anna), anna.userId(), "weekly.ics", repeating, null, true))
                .isInstanceOfSatisfying(RefusedException.class, e -> {
                    assertThat(e.refusal()).isEqualTo(Refusal.NOT_SUPPORTED);
                    assertThat(e.getMessage()).contains("Repeating appointments");
                });
        assertThatThrownBy(() -> collection.put(as(anna), anna.userId(), "broken.ics", "BEGIN:VCALENDAR\r\nnonsense", null, true))
                .isInstanceOfSatisfying(RefusedException.class, e -> assertThat(e.refusal()).isEqualTo(Refusal.INVALID_DATA));
        assertThatThrownBy(() -> collection.put(as(anna), anna.userId(), "a/b.ics", EVENT.formatted("x@app", "x"), null, true))
                .isInstanceOfSatisfying(RefusedException.class, e -> assertThat(e.refusal()).isEqualTo(Refusal.INVALID_DATA));
        // nothing was created by any of them
        assertThat(collection.objects(as(anna), anna.userId())).hasSize(1);
    }

    @Test
    void deletingNeedsTheCurrentEtagIfGiven() {
        CalendarObject object = collection.object(as(anna), anna.userId(), "activity-" + call + ".ics").orElseThrow();
        assertThatThrownBy(() -> collection.delete(as(anna), anna.userId(), object.name(), "\"a" + call + "-999\""))
                .isInstanceOfSatisfying(RefusedException.class, e -> assertThat(e.refusal()).isEqualTo(Refusal.PRECONDITION_FAILED));
        assertThat(system.find("activity", call)).isPresent();
        collection.delete(as(anna), anna.userId(), object.name(), object.etag());
        assertThat(system.find("activity", call)).isEmpty();
        assertThatThrownBy(() -> collection.delete(as(anna), anna.userId(), object.name(), null))
                .isInstanceOfSatisfying(RefusedException.class, e -> assertThat(e.refusal()).isEqualTo(Refusal.NOT_FOUND));
        // an app's name is free again after its activity was deleted in the CRM
        CalendarObject app = collection.put(as(anna), anna.userId(), "again.ics", EVENT.formatted("again@app", "A"), null, true).object();
        system.delete("activity", app.activity().id(), null);
        assertThat(collection.put(as(anna), anna.userId(), "again.ics", EVENT.formatted("again@app", "B"), null, true).created()).isTrue();
    }
}
