package io.relata.web.ui;

import io.relata.api.model.EntityDefinition;
import io.relata.api.record.ConcurrentUpdateException;
import io.relata.api.record.Record;
import io.relata.api.record.RecordException;
import io.relata.api.record.RecordLink;
import io.relata.api.security.Actor;
import io.relata.identity.UserAccount;
import io.relata.runtime.Platform;
import io.relata.runtime.customer.Todos;
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
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * "My work": the user's open activities by when they are due, what they delegated, their team's (where their role
 * reads it), with complete, postpone and delegate on each of their own. {@link Todos} does the work through the
 * user's own store.
 */
@Named
@ViewScoped
public class WorkView implements Serializable {

    private static final long serialVersionUID = 1L;

    @Inject
    Platform platform;

    @Inject
    UiText ui;

    @Inject
    CurrentActor me;

    private transient List<Section> sections;
    private long activityId;
    private long activityVersion;
    private String outcome;
    private String delegateTo;

    @PostConstruct
    void init() {
        if (!platform.todos().available() || !platform.access(me.actor()).canRead(Todos.ENTITY)) {
            throw new Pages.PageNotFoundException("No to-dos for " + me.getUsername());
        }
    }

    /** One section of the page: its name (for tests), title, rows and whether its rows are the user's to act on. */
    public record Section(String name, String title, List<Row> rows, boolean actions) implements Serializable {
    }

    /** One open activity as the page lists it. */
    public record Row(long id, long version, String subject, String type, String due, boolean overdue, String priority,
                      String about, String aboutEntity, Long aboutId, String owner) implements Serializable {
    }

    public List<Section> getSections() {
        if (sections == null) {
            sections = read();
        }
        return sections;
    }

    private List<Section> read() {
        Todos.Work work = platform.todos().of(platform.securedRecords());
        EntityDefinition activity = platform.model().entity(Todos.ENTITY).orElseThrow();
        Map<Long, String> owners = new HashMap<>();
        platform.users().users().forEach(u -> owners.put(u.getId(), name(u)));
        List<Section> list = new ArrayList<>();
        list.add(section("overdue", work.overdue(), activity, owners, true));
        list.add(section("today", work.today(), activity, owners, true));
        list.add(section("thisWeek", work.thisWeek(), activity, owners, true));
        list.add(section("later", work.later(), activity, owners, true));
        list.add(section("delegated", work.delegatedByMe(), activity, owners, false));
        if (work.seesTeam()) {
            list.add(section("team", work.team(), activity, owners, false));
        }
        return list;
    }

    private Section section(String name, List<Record> records, EntityDefinition activity, Map<Long, String> owners,
                            boolean actions) {
        RecordCells cells = RecordCells.of(activity, records, platform.records());
        OffsetDateTime now = OffsetDateTime.now(platform.clock());
        List<Row> rows = records.stream().map(r -> {
            Object due = r.get("due_at");
            RecordLink about = r.get("regarding") instanceof RecordLink link ? link
                    : r.get("account") instanceof Long account ? new RecordLink("account", account) : null;
            String aboutText = about == null ? "" : r.get("regarding") != null
                    ? text(activity, "regarding", r, cells) : text(activity, "account", r, cells);
            return new Row(r.id(), r.version(), String.valueOf(r.get("subject")), text(activity, "type", r, cells),
                    text(activity, "due_at", r, cells), due instanceof OffsetDateTime d && d.isBefore(now),
                    text(activity, "priority", r, cells), aboutText, about == null ? null : about.entity(),
                    about == null ? null : about.id(), r.ownerUser() == null ? "" : owners.getOrDefault(r.ownerUser(), ""));
        }).toList();
        return new Section(name, ui.message("work." + name), rows, actions);
    }

    private String text(EntityDefinition activity, String field, Record record, RecordCells cells) {
        return activity.field(field).filter(f -> record.values().containsKey(f.name()))
                .map(f -> cells.text(record, f, ui)).orElse("");
    }

    private static String name(UserAccount user) {
        return user.getDisplayName() == null || user.getDisplayName().isBlank() ? user.getUsername() : user.getDisplayName();
    }

    /** The colleagues a to-do can be handed to: active users other than the current one, by name. */
    public List<UserAccount> getColleagues() {
        return platform.users().users().stream().filter(UserAccount::isActive)
                .filter(u -> !u.getUsername().equals(me.getUsername()))
                .sorted(java.util.Comparator.comparing(WorkView::name)).toList();
    }

    public String colleagueName(UserAccount user) {
        return name(user);
    }

    /** Remembers which activity the complete or delegate dialog is about. */
    public void choose(long id, long version) {
        activityId = id;
        activityVersion = version;
        outcome = null;
        delegateTo = null;
    }

    public void complete() {
        act(() -> platform.todos().complete(platform.securedRecords(), activityId, activityVersion, outcome), "work.completed");
    }

    public void postpone(long id, long version, int days) {
        act(() -> {
            Record current = platform.securedRecords().get(Todos.ENTITY, id);
            OffsetDateTime from = current.get("due_at") instanceof OffsetDateTime due && due.isAfter(OffsetDateTime.now(
                    platform.clock())) ? due : OffsetDateTime.now(platform.clock());
            return platform.todos().postpone(platform.securedRecords(), id, version, from.plus(Duration.ofDays(days)));
        }, "work.postponed");
    }

    public void delegate() {
        Actor to = delegateTo == null ? null : platform.users().actor(delegateTo).orElse(null);
        if (to == null) {
            message(FacesMessage.SEVERITY_ERROR, ui.message("work.chooseColleague"));
            return;
        }
        act(() -> platform.todos().delegate(platform.securedRecords(), activityId, activityVersion, to), "work.delegated.done");
    }

    private void act(java.util.function.Supplier<Record> action, String done) {
        try {
            Record record = action.get();
            message(FacesMessage.SEVERITY_INFO, MessageFormat.format(ui.message(done), record.get("subject")));
        } catch (ConcurrentUpdateException e) {
            message(FacesMessage.SEVERITY_ERROR, ui.message("record.conflict"));
        } catch (RecordException e) {
            message(FacesMessage.SEVERITY_ERROR, ui.problem(e));
        }
        sections = null;
    }

    private static void message(FacesMessage.Severity severity, String text) {
        FacesContext.getCurrentInstance().addMessage(null, new FacesMessage(severity, text, null));
    }

    public String getOutcome() {
        return outcome;
    }

    public void setOutcome(String outcome) {
        this.outcome = outcome;
    }

    public String getDelegateTo() {
        return delegateTo;
    }

    public void setDelegateTo(String delegateTo) {
        this.delegateTo = delegateTo;
    }

    /** Whether the entity has the outcome field, so that completing asks for it. */
    public boolean isOutcomeAsked() {
        return platform.model().entity(Todos.ENTITY).flatMap(e -> e.field("outcome")).isPresent();
    }
}
