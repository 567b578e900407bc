package io.relata.web.ui;

import io.relata.api.record.ConcurrentUpdateException;
import io.relata.api.record.Record;
import io.relata.api.record.RecordException;
import io.relata.api.record.RecordLink;
import io.relata.api.security.AccessScope;
import io.relata.identity.UserAccount;
import io.relata.runtime.Platform;
import io.relata.runtime.customer.ActivityCalendar;
import io.relata.runtime.customer.Todos;
import io.relata.store.access.Operation;
import io.relata.web.security.CurrentActor;
import jakarta.annotation.PostConstruct;
import jakarta.faces.application.FacesMessage;
import jakarta.faces.context.FacesContext;
import jakarta.faces.view.ViewScoped;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import java.io.Serializable;
import java.text.MessageFormat;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import org.primefaces.event.SelectEvent;
import org.primefaces.event.schedule.ScheduleEntryMoveEvent;
import org.primefaces.event.schedule.ScheduleEntryResizeEvent;
import org.primefaces.model.DefaultScheduleEvent;
import org.primefaces.model.LazyScheduleModel;
import org.primefaces.model.ScheduleEvent;
import org.primefaces.model.ScheduleModel;

/**
 * The calendar page: the user's appointments and to-dos with a due date by day, week or month (PrimeFaces Schedule),
 * or, for whoever may read their team's activities, a colleague's; drag to reschedule, drag the end to lengthen,
 * click a free slot to plan an appointment with a customer. Everything is read and written through the user's own
 * store ({@link ActivityCalendar}, {@link io.relata.runtime.customer.QuickCapture}).
 */
@Named
@ViewScoped
public class CalendarView implements Serializable {

    private static final long serialVersionUID = 1L;

    @Inject
    Platform platform;

    @Inject
    UiText ui;

    @Inject
    CurrentActor me;

    private ScheduleModel model;
    private transient List<UserAccount> colleagues;
    /** Whose calendar is shown: a user id; the user's own by default. */
    private long owner;
    private String subject;
    private String notes;
    private LocalDateTime start;
    private LocalDateTime end;
    private String about;
    private String feedUrl;
    /** The day the calendar opens at (?date=2026-11-26, from a link to an appointment); null: today. */
    private java.time.LocalDate initialDate;

    public java.time.LocalDate getInitialDate() {
        return initialDate;
    }

    @PostConstruct
    void init() {
        if (!platform.todos().available() || !platform.access(me.actor()).canRead(Todos.ENTITY)) {
            throw new Pages.PageNotFoundException("No calendar for " + me.getUsername());
        }
        owner = me.actor().userId();
        String date = Pages.parameter("date");
        try {
            initialDate = date == null || date.isBlank() ? null : java.time.LocalDate.parse(date);
        } catch (java.time.format.DateTimeParseException e) {
            initialDate = null; // a bad date in a link opens today, as without one
        }
        model = new LazyScheduleModel() {
            private static final long serialVersionUID = 1L;

            @Override
            public void loadEvents(LocalDateTime from, LocalDateTime to) {
                ZoneId zone = ZoneId.systemDefault();
                for (Record activity : platform.activityCalendar().between(platform.records(), List.of(owner),
                        from.atZone(zone).toOffsetDateTime(), to.atZone(zone).toOffsetDateTime())) {
                    addEvent(event(activity, zone));
                }
            }
        };
    }

    private ScheduleEvent<Long> event(Record activity, ZoneId zone) {
        OffsetDateTime due = (OffsetDateTime) activity.get("due_at");
        boolean appointment = ActivityCalendar.isAppointment(activity);
        OffsetDateTime ends = activity.get("ends_at") instanceof OffsetDateTime e && e.isAfter(due) ? e
                : due.plus(appointment ? Duration.ofHours(1) : Duration.ofMinutes(30));
        boolean done = Boolean.TRUE.equals(activity.get("done"));
        String type = String.valueOf(activity.get("type"));
        return DefaultScheduleEvent.<Long>builder()
                .id(String.valueOf(activity.id()))
                .title(String.valueOf(activity.get("subject")))
                .startDate(due.atZoneSameInstant(zone).toLocalDateTime())
                .endDate(ends.atZoneSameInstant(zone).toLocalDateTime())
                .data(activity.id())
                .editable(!done)
                .styleClass("activity-" + (appointment ? "appointment" : "todo") + (done ? " activity-done" : "")
                        + " activity-type-" + type)
                .url(Pages.contextPath() + "/record.xhtml?entity=" + Todos.ENTITY + "&id=" + activity.id())
                .build();
    }

    /** The zone the page shows times in: the server's, as every date-time of the CRM's pages. */
    public String getTimeZone() {
        return ZoneId.systemDefault().getId();
    }

    public ScheduleModel getModel() {
        return model;
    }

    // ---- whose calendar ----

    /** Whether the user may look at colleagues' calendars: their role reads the team's (or all) activities. */
    public boolean isTeamCalendars() {
        AccessScope scope = platform.access(me.actor()).scope(Todos.ENTITY, Operation.READ);
        return scope == AccessScope.TEAM || scope == AccessScope.ALL;
    }

    /** The colleagues whose calendars can be shown: the user's team mates (everyone for an "all" scope). */
    public List<UserAccount> getColleagues() {
        if (colleagues == null) {
            colleagues = readColleagues();
        }
        return colleagues;
    }

    /** Read once per view: each colleague's teams take a query. */
    private List<UserAccount> readColleagues() {
        AccessScope scope = platform.access(me.actor()).scope(Todos.ENTITY, Operation.READ);
        Set<Long> teams = Set.copyOf(me.actor().teamIds());
        return platform.users().users().stream().filter(UserAccount::isActive)
                .filter(u -> scope == AccessScope.ALL || platform.users().actor(u.getUsername())
                        .map(a -> a.teamIds().stream().anyMatch(teams::contains)).orElse(false))
                .sorted(Comparator.comparing(CalendarView::name)).toList();
    }

    public String colleagueName(UserAccount user) {
        return name(user);
    }

    private static String name(UserAccount user) {
        return user.getDisplayName() == null || user.getDisplayName().isBlank() ? user.getUsername() : user.getDisplayName();
    }

    public long getOwner() {
        return owner;
    }

    public void setOwner(long owner) {
        this.owner = isTeamCalendars() ? owner : me.actor().userId();
    }

    public boolean isOwn() {
        return owner == me.actor().userId();
    }

    // ---- moves ----

    public void onMove(ScheduleEntryMoveEvent event) {
        Duration delta = event.getDeltaAsDuration();
        reschedule(event.getScheduleEvent(), delta, delta);
    }

    public void onResize(ScheduleEntryResizeEvent event) {
        reschedule(event.getScheduleEvent(), event.getDeltaStartAsDuration(), event.getDeltaEndAsDuration());
    }

    private void reschedule(ScheduleEvent<?> event, Duration startDelta, Duration endDelta) {
        long id = Long.parseLong(event.getId());
        try {
            Record current = platform.records().get(Todos.ENTITY, id);
            Record moved = platform.activityCalendar().reschedule(platform.records(), id, current.version(), startDelta, endDelta);
            message(FacesMessage.SEVERITY_INFO, MessageFormat.format(ui.message("calendar.moved"), moved.get("subject"),
                    ui.timestamp((OffsetDateTime) moved.get("due_at"))));
        } catch (ConcurrentUpdateException e) {
            message(FacesMessage.SEVERITY_ERROR, ui.message("record.conflict"));
        } catch (RecordException e) {
            message(FacesMessage.SEVERITY_ERROR, ui.problem(e));
        }
    }

    // ---- a new appointment ----

    /** A click on a free slot: the appointment dialog opens for it, an hour long. */
    public void onDateSelect(SelectEvent<LocalDateTime> event) {
        start = event.getObject();
        end = start.plusHours(1);
        subject = null;
        notes = null;
        about = null;
    }

    public void plan() {
        if (start == null) {
            message(FacesMessage.SEVERITY_ERROR, ui.message("calendar.startMissing"));
            return;
        }
        ZoneId zone = ZoneId.systemDefault();
        try {
            RecordLink link = about == null || about.isBlank() ? null
                    : RecordLink.parse(about).orElseThrow(IllegalArgumentException::new);
            Record planned = platform.quickCapture().plan(platform.records(), subject, notes,
                    start.atZone(zone).toOffsetDateTime(), end == null ? null : end.atZone(zone).toOffsetDateTime(), link);
            message(FacesMessage.SEVERITY_INFO, MessageFormat.format(ui.message("calendar.planned"), planned.get("subject")));
            org.primefaces.PrimeFaces.current().executeScript("PF('planDialog').hide()");
        } catch (IllegalArgumentException e) {
            message(FacesMessage.SEVERITY_ERROR, ui.message("calendar.aboutInvalid"));
        } catch (RecordException e) {
            message(FacesMessage.SEVERITY_ERROR, ui.problem(e));
        }
    }

    /**
     * The customers, contacts and opportunities an appointment can be about, as {@code entity:id} with a title: those
     * whose titles contain {@code query}, a few of each entity the user may read.
     */
    public List<String> completeAbout(String query) {
        List<String> found = new ArrayList<>();
        for (String entity : List.of("account", "contact", "opportunity")) {
            if (platform.model().entity(entity).isEmpty() || !platform.access(me.actor()).canRead(entity)) {
                continue;
            }
            platform.records().query(entity, new io.relata.api.record.RecordQuery(List.of(), List.of(), query, 5, null))
                    .records().forEach(r -> found.add(entity + ":" + r.id()));
        }
        return found;
    }

    /** The label of an {@code entity:id} suggestion: the entity and the record's title. */
    public String aboutLabel(String link) {
        if (link == null || link.isBlank()) {
            return "";
        }
        try {
            RecordLink parsed = RecordLink.parse(link).orElseThrow(IllegalArgumentException::new);
            String title = RecordCells.titlesIfReadable(platform.records(), parsed.entity(), List.of(parsed.id()))
                    .getOrDefault(parsed.id(), "#" + parsed.id());
            return platform.model().entity(parsed.entity()).map(ui::label).orElse(parsed.entity()) + ": " + title;
        } catch (IllegalArgumentException e) {
            return link;
        }
    }

    // ---- the feed for calendar apps ----

    /** When the user's feed address was made, if they have one. */
    public String getFeedCreated() {
        return platform.calendarFeeds().createdAt(me.actor().userId()).map(ui::timestamp).orElse(null);
    }

    /** A new feed address (shown once: only its hash is kept); the old one stops working. */
    public void renewFeed() {
        String token = platform.calendarFeeds().renew(me.actor().userId());
        feedUrl = platform.config().baseUrl() + "/api/v1/public/calendar/" + token + ".ics";
    }

    public void revokeFeed() {
        platform.calendarFeeds().revoke(me.actor().userId());
        feedUrl = null;
        message(FacesMessage.SEVERITY_INFO, ui.message("calendar.feedRevoked"));
    }

    public String getFeedUrl() {
        return feedUrl;
    }

    private static void message(FacesMessage.Severity severity, String text) {
        FacesContext.getCurrentInstance().addMessage(null, new FacesMessage(severity, text, null));
    }

    public String getSubject() {
        return subject;
    }

    public void setSubject(String subject) {
        this.subject = subject;
    }

    public String getNotes() {
        return notes;
    }

    public void setNotes(String notes) {
        this.notes = notes;
    }

    public LocalDateTime getStart() {
        return start;
    }

    public void setStart(LocalDateTime start) {
        this.start = start;
    }

    public LocalDateTime getEnd() {
        return end;
    }

    public void setEnd(LocalDateTime end) {
        this.end = end;
    }

    public String getAbout() {
        return about;
    }

    public void setAbout(String about) {
        this.about = about;
    }
}
