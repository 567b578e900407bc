package io.relata.runtime.customer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.relata.api.model.MetadataModel;
import io.relata.api.record.Record;
import io.relata.api.record.RecordNotFoundException;
import io.relata.api.record.ValidationException;
import io.relata.api.security.Actor;
import io.relata.metadata.MetadataLimits;
import io.relata.runtime.AuditLog;
import io.relata.runtime.Database;
import io.relata.runtime.MetadataRevision;
import io.relata.runtime.MetadataRuntime;
import io.relata.rules.RuleEngine;
import io.relata.rules.RuleLimits;
import io.relata.store.JdbcRecordStore;
import io.relata.store.JdbcTransactions;
import io.relata.store.SecuredRecordStore;
import java.nio.file.Path;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * "My work" on the shipped activity entity, on H2 and PostgreSQL: a rep's open activities by when they are due
 * (on a fixed Wednesday), the count in the navigation, completing (history with outcome and time, the platform's
 * fields read-only for the rep), postponing (the reminder moves along), delegating to a colleague (owner and team,
 * who delegated, in the audit trail), a manager's view of the team, and refusals for who may not; the calendar: a
 * user's activities as iCalendar (parsed and validated by ical4j), a colleague's range as the viewer may read it,
 * rescheduling by drag and resize, and the feed's secret tokens.
 */
@ParameterizedClass(name = "{0}")
@ValueSource(strings = {"h2", "postgresql"})
class MyWorkAndCalendarTest {

    private static final Path METADATA = Path.of("../../metadata");
    /** Wednesday, 2 December 2026, 10:00 UTC. */
    private static final OffsetDateTime NOW = OffsetDateTime.of(2026, 12, 2, 10, 0, 0, 0, ZoneOffset.UTC);
    private static final long TEAM_A = 1;
    private static final long TEAM_B = 2;

    @Parameter
    String databaseKind;

    private final Actor anna = Actor.user(11, "anna", Set.of("sales"), List.of(TEAM_A));
    private final Actor ben = Actor.user(12, "ben", Set.of("sales"), List.of(TEAM_A));
    private final Actor mara = Actor.user(13, "mara", Set.of("sales_manager"), List.of(TEAM_A));
    private final Actor sven = Actor.user(14, "sven", Set.of("service"), List.of(TEAM_B));

    private io.relata.runtime.TestDatabase opened;
    private Database database;
    private RuleEngine rules;
    private MetadataModel model;
    private JdbcRecordStore system;
    private AuditLog audit;
    private Todos todos;
    private final Map<String, Long> ids = new HashMap<>();

    @BeforeEach
    void start() throws Exception {
        opened = io.relata.runtime.TestDatabase.open(databaseKind);
        database = opened.database();
        rules = new RuleEngine(RuleLimits.DEFAULT, Clock.systemUTC());
        MetadataRuntime metadata = new MetadataRuntime(database, rules, METADATA, List.of(), List::of, MetadataLimits.DEFAULT);
        metadata.load(MetadataRevision.Trigger.STARTUP);
        model = metadata.model();
        system = new JdbcRecordStore(new JdbcTransactions(database.dataSource(), database.schemaGate()), () -> model,
                Clock.systemUTC(), rules);
        audit = new AuditLog(database.dataSource());
        todos = new Todos(() -> model, Clock.fixed(NOW.toInstant(), ZoneOffset.UTC));
        long acme = system.create("account", Map.of("name", "ACME"), anna.userId(), TEAM_A).id();
        todo("overdue", "Call back", NOW.minusDays(1), anna, Map.of("reminder_at", NOW.minusDays(1).minusHours(1)));
        todo("today", "Send offer", NOW.plusHours(5), anna, Map.of());
        todo("friday", "Prepare visit", NOW.plusDays(2), anna, Map.of("regarding", "account:" + acme));
        todo("next_week", "Quarterly review", NOW.plusDays(6), anna, Map.of());
        todo("undated", "Someday", null, anna, Map.of());
        todo("done", "Old call", NOW.minusDays(3), anna, Map.of("done", true));
        todo("bens", "Ben's call", NOW.plusHours(1), ben, Map.of());
    }

    private void todo(String key, String subject, OffsetDateTime due, Actor owner, Map<String, Object> more) {
        Map<String, Object> values = new LinkedHashMap<>(Map.of("subject", subject, "type", "todo", "done", false));
        if (due != null) {
            values.put("due_at", due);
        }
        values.putAll(more);
        ids.put(key, system.create("activity", values, owner.userId(), owner.primaryTeam()).id());
    }

    @AfterEach
    void stop() throws Exception {
        rules.close();
        opened.close();
    }


    private SecuredRecordStore as(Actor actor) {
        return new SecuredRecordStore(system, () -> model, () -> actor, audit);
    }

    private static List<Object> subjects(List<Record> records) {
        return records.stream().map(r -> r.get("subject")).toList();
    }

    private Record activity(String key) {
        return system.get("activity", ids.get(key));
    }

    @Test
    void aRepSeesTheirOpenActivitiesByWhenTheyAreDueAndTheCountOfWhatIsDueToday() {
        Todos.Work work = todos.of(as(anna));
        assertThat(subjects(work.overdue())).containsExactly("Call back");
        assertThat(subjects(work.today())).containsExactly("Send offer");
        assertThat(subjects(work.thisWeek())).containsExactly("Prepare visit");
        assertThat(subjects(work.later())).containsExactly("Quarterly review", "Someday");
        assertThat(work.seesTeam()).as("sales reads its own activities only").isFalse();
        assertThat(work.team()).isEmpty();
        assertThat(todos.dueCount(as(anna))).as("overdue and today").isEqualTo(2);
        assertThat(todos.dueCount(as(ben))).isEqualTo(1);
    }

    @Test
    void completingTurnsTheToDoIntoHistoryWithItsOutcomeAndTime() {
        Record today = activity("today");
        Record done = todos.complete(as(anna), today.id(), today.version(), "  Offer sent by mail ");
        assertThat(done.get("done")).isEqualTo(true);
        assertThat(done.get("outcome")).isEqualTo("Offer sent by mail");
        assertThat(done.get("completed_at")).isEqualTo(NOW);
        assertThat(subjects(todos.of(as(anna)).today())).isEmpty();
        assertThat(audit.history("activity", today.id(), 5)).first().satisfies(entry -> {
            assertThat(entry.actor()).isEqualTo("anna");
            assertThat(entry.changes().keySet()).contains("done", "outcome", "completed_at");
        });
        // the platform's fields are not the rep's to set
        Record overdue = activity("overdue");
        assertThatThrownBy(() -> as(anna).update("activity", overdue.id(), overdue.version(),
                Map.of("completed_at", NOW.minusDays(10)))).isInstanceOfSatisfying(ValidationException.class,
                e -> assertThat(e.errors()).extracting(error -> error.code()).containsExactly("read_only_field"));
    }

    @Test
    void postponingMovesTheDueDateAndTheReminderAlong() {
        Record overdue = activity("overdue");
        Record moved = todos.postpone(as(anna), overdue.id(), overdue.version(), NOW.plusDays(2));
        assertThat(moved.get("due_at")).isEqualTo(NOW.plusDays(2));
        assertThat(moved.get("reminder_at")).isEqualTo(NOW.plusDays(2).minusHours(1));
        Todos.Work work = todos.of(as(anna));
        assertThat(subjects(work.overdue())).isEmpty();
        assertThat(subjects(work.thisWeek())).as("both due Friday 10:00").containsExactlyInAnyOrder("Prepare visit", "Call back");
    }

    @Test
    void delegatingHandsTheToDoToAColleagueAndTheDelegatorKeepsSightOfItThroughWhatItIsAbout() {
        Record friday = activity("friday");
        Record handed = todos.delegate(as(anna), friday.id(), friday.version(), ben);
        assertThat(handed.ownerUser()).isEqualTo(ben.userId());
        assertThat(handed.ownerTeam()).isEqualTo(TEAM_A);
        assertThat(handed.get("delegated_by")).isEqualTo("anna");
        assertThat(subjects(todos.of(as(ben)).thisWeek())).containsExactly("Prepare visit");
        assertThat(subjects(todos.of(as(anna)).thisWeek())).isEmpty();
        assertThat(subjects(todos.of(as(anna)).delegatedByMe())).as("anna reads it through the account it is about")
                .containsExactly("Prepare visit");
        assertThat(audit.history("activity", friday.id(), 5)).first().satisfies(entry ->
                assertThat(entry.changes().keySet()).contains("owner_user", "delegated_by"));
        // a to-do about nothing anna may read leaves her sight with the hand-over
        Record today = activity("today");
        todos.delegate(as(anna), today.id(), today.version(), ben);
        assertThat(subjects(todos.of(as(anna)).delegatedByMe())).containsExactly("Prepare visit");
    }

    @Test
    void aManagerSeesTheTeamsOpenWorkAndWhoMayNotChangeAToDoIsRefused() {
        Todos.Work work = todos.of(as(mara));
        assertThat(work.seesTeam()).isTrue();
        assertThat(subjects(work.team())).containsExactlyInAnyOrder("Call back", "Send offer", "Prepare visit",
                "Quarterly review", "Someday", "Ben's call");
        Record bens = activity("bens");
        assertThatThrownBy(() -> todos.complete(as(anna), bens.id(), bens.version(), "not mine"))
                .isInstanceOf(RecordNotFoundException.class);
        assertThatThrownBy(() -> todos.delegate(as(sven), bens.id(), bens.version(), sven))
                .isInstanceOf(RecordNotFoundException.class);
        assertThat(activity("bens").ownerUser()).isEqualTo(ben.userId());
    }

    @Test
    void theFeedIsValidICalendarWithAppointmentsAsEventsAndToDosAsToDos() throws Exception {
        Record meeting = system.create("activity", Map.of("subject", "Visit ACME", "type", "meeting", "done", false,
                "due_at", NOW.plusDays(1), "ends_at", NOW.plusDays(1).plusHours(2), "description", "Bring the offer"),
                anna.userId(), TEAM_A);
        ActivityCalendar calendar = new ActivityCalendar(() -> model, Clock.fixed(NOW.toInstant(), ZoneOffset.UTC),
                () -> "https://crm.example.com");
        List<Record> window = calendar.window(as(anna), anna.userId());
        assertThat(window).extracting(r -> r.get("subject")).as("anna's dated activities, not ben's")
                .contains("Call back", "Send offer", "Visit ACME", "Old call").doesNotContain("Ben's call", "Someday");
        String ics = calendar.ics(window, "Relata – anna");
        net.fortuna.ical4j.model.Calendar parsed = new net.fortuna.ical4j.data.CalendarBuilder()
                .build(new java.io.StringReader(ics));
        parsed.validate();
        List<net.fortuna.ical4j.model.component.VEvent> events = parsed.getComponents("VEVENT");
        List<net.fortuna.ical4j.model.component.VToDo> todos = parsed.getComponents("VTODO");
        assertThat(events).singleElement().satisfies(event -> {
            assertThat(prop(event, "SUMMARY")).isEqualTo("Visit ACME");
            assertThat(prop(event, "UID")).isEqualTo("activity-" + meeting.id() + "@crm.example.com");
            assertThat(prop(event, "DTSTART")).isEqualTo("20261203T100000Z");
            assertThat(prop(event, "DTEND")).isEqualTo("20261203T120000Z");
            assertThat(prop(event, "DESCRIPTION")).isEqualTo("Bring the offer");
        });
        assertThat(todos).extracting(t -> prop(t, "SUMMARY")).contains("Call back", "Send offer", "Old call");
        net.fortuna.ical4j.model.component.VToDo old = todos.stream().filter(t -> prop(t, "SUMMARY").equals("Old call"))
                .findFirst().orElseThrow();
        assertThat(prop(old, "STATUS")).isEqualTo("COMPLETED");
        net.fortuna.ical4j.model.component.VToDo callBack = todos.stream()
                .filter(t -> prop(t, "SUMMARY").equals("Call back")).findFirst().orElseThrow();
        assertThat(prop(callBack, "STATUS")).isEqualTo("NEEDS-ACTION");
        assertThat(prop(callBack, "DUE")).isEqualTo("20261201T100000Z");
        assertThat(ics).as("lines end with CRLF (RFC 5545)").contains("\r\n").startsWith("BEGIN:VCALENDAR");
        for (net.fortuna.ical4j.model.Component component : parsed.getComponents()) {
            assertThat(component.getProperties("DTSTAMP")).as("one DTSTAMP in " + prop(component, "SUMMARY")).hasSize(1);
            assertThat(component.getProperties("UID")).hasSize(1);
        }
    }

    @Test
    void aColleaguesCalendarIsWhatTheViewerMayReadAndDragsAndResizesMoveTheActivity() {
        ActivityCalendar calendar = new ActivityCalendar(() -> model, Clock.fixed(NOW.toInstant(), ZoneOffset.UTC),
                () -> "http://localhost:8080");
        assertThat(calendar.between(as(mara), List.of(ben.userId()), NOW.minusDays(7), NOW.plusDays(7)))
                .extracting(r -> r.get("subject")).containsExactly("Ben's call");
        assertThat(calendar.between(as(anna), List.of(ben.userId()), NOW.minusDays(7), NOW.plusDays(7)))
                .as("anna reads her own activities only").isEmpty();
        Record overdue = activity("overdue");
        Record moved = calendar.reschedule(as(anna), overdue.id(), overdue.version(), java.time.Duration.ofDays(2),
                java.time.Duration.ofDays(2));
        assertThat(moved.get("due_at")).isEqualTo(NOW.plusDays(1));
        assertThat(moved.get("reminder_at")).isEqualTo(NOW.plusDays(1).minusHours(1));
        assertThat(moved.get("ends_at")).as("a to-do gets no end").isNull();
        Record meeting = system.create("activity", Map.of("subject", "Visit", "type", "visit", "done", false,
                "due_at", NOW.plusDays(1)), anna.userId(), TEAM_A);
        Record longer = calendar.reschedule(as(anna), meeting.id(), meeting.version(), java.time.Duration.ZERO,
                java.time.Duration.ofMinutes(30));
        assertThat(longer.get("due_at")).isEqualTo(NOW.plusDays(1));
        assertThat(longer.get("ends_at")).as("a visit without an end lasted an hour; now 90 minutes")
                .isEqualTo(NOW.plusDays(1).plusMinutes(90));
        Record bens = activity("bens");
        assertThatThrownBy(() -> calendar.reschedule(as(anna), bens.id(), bens.version(), java.time.Duration.ofHours(1),
                java.time.Duration.ofHours(1))).isInstanceOf(RecordNotFoundException.class);
    }

    @Test
    void aFeedTokenStandsForItsUserUntilItIsReplacedOrRevoked() {
        CalendarFeeds feeds = new CalendarFeeds(database.dataSource(), Clock.fixed(NOW.toInstant(), ZoneOffset.UTC));
        String first = feeds.renew(anna.userId());
        assertThat(first).hasSize(43);
        assertThat(feeds.userOf(first)).contains(anna.userId());
        assertThat(feeds.createdAt(anna.userId())).isPresent();
        String second = feeds.renew(anna.userId());
        assertThat(feeds.userOf(first)).as("replaced").isEmpty();
        assertThat(feeds.userOf(second)).contains(anna.userId());
        assertThat(feeds.userOf(second.substring(0, 42) + (second.endsWith("A") ? "B" : "A"))).isEmpty();
        assertThat(feeds.userOf("short")).isEmpty();
        feeds.revoke(anna.userId());
        assertThat(feeds.userOf(second)).isEmpty();
        assertThat(feeds.createdAt(anna.userId())).isEmpty();
    }

    @Test
    void aVisitReportTakesOverWhatTheAppointmentKnewAndTheAppointmentHasTakenPlace() {
        long acme = system.query("account", io.relata.api.record.RecordQuery.all()).records().get(0).id();
        long carla = system.create("contact", Map.of("last_name", "Carla", "account", acme), anna.userId(), TEAM_A).id();
        Record visit = system.create("activity", Map.of("subject", "Visit ACME", "type", "visit", "done", false,
                "due_at", NOW.minusHours(3), "account", acme, "contact", carla, "regarding", "account:" + acme),
                anna.userId(), TEAM_A);
        VisitReports reports = new VisitReports(() -> model, Clock.fixed(NOW.toInstant(), ZoneOffset.UTC));
        assertThat(reports.offers(visit)).isTrue();
        Record report = reports.write(as(anna), visit.id(), "Visit report", "Anna Berger");
        assertThat(report.values()).containsEntry("type", "visit_report").containsEntry("done", true)
                .containsEntry("subject", "Visit report: Visit ACME").containsEntry("due_at", NOW.minusHours(3))
                .containsEntry("account", acme).containsEntry("contact", carla)
                .containsEntry("regarding", new io.relata.api.record.RecordLink("account", acme))
                .containsEntry("attendees", "Carla\nAnna Berger");
        assertThat(report.ownerUser()).isEqualTo(anna.userId());
        assertThat(activity("overdue").get("done")).isEqualTo(false);
        assertThat(system.get("activity", visit.id()).get("done")).as("the appointment took place").isEqualTo(true);
        assertThat(reports.offers(report)).as("no report of a report").isFalse();
        assertThat(reports.offers(activity("today"))).as("a to-do is no appointment").isFalse();
        Record later = system.create("activity", Map.of("subject", "Next visit", "type", "meeting", "done", false,
                "due_at", NOW.plusDays(1)), anna.userId(), TEAM_A);
        assertThat(reports.offers(later)).as("not before it has begun").isFalse();
        assertThatThrownBy(() -> reports.write(as(anna), later.id(), "Visit report", "Anna Berger"))
                .isInstanceOf(ValidationException.class);
    }

    private static String prop(net.fortuna.ical4j.model.Component component, String name) {
        return component.getProperty(name).map(p -> ((net.fortuna.ical4j.model.Property) p).getValue())
                .orElseThrow(() -> new AssertionError(name + " missing in " + component));
    }
}
