package io.relata.web.ui;

import io.relata.api.model.EntityDefinition;
import io.relata.api.model.MetadataModel;
import io.relata.api.process.DialogDefinition;
import io.relata.api.process.PhaseDefinition;
import io.relata.api.process.ProcessDefinition;
import io.relata.api.record.ConcurrentUpdateException;
import io.relata.api.record.FieldError;
import io.relata.api.record.Record;
import io.relata.api.record.RecordException;
import io.relata.api.record.ValidationException;
import io.relata.process.ProcessCases;
import io.relata.process.dialog.DialogSession;
import io.relata.store.access.Operation;
import io.relata.web.runtime.Platform;
import io.relata.web.security.CurrentActor;
import jakarta.annotation.PostConstruct;
import jakarta.faces.application.FacesMessage;
import jakarta.faces.context.FacesContext;
import jakarta.faces.view.ViewScoped;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import java.io.Serializable;
import java.text.MessageFormat;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The process parts of the record page: the phase bar with the moves the user may make (a closing phase that
 * needs a reason asks for it first), the record's phase history and pending timers, and the buttons that start
 * or resume the entity's guided dialogs. A move is an update through the user's secured store, so the guards,
 * required fields and access rules of the record store decide; a refused move changes nothing and says why.
 */
@Named
@ViewScoped
public class PhaseBarView implements Serializable {

    private static final long serialVersionUID = 1L;
    /** The key the page's phase-bar messages show ({@code p:messages for=... forType="key"}). */
    static final String MESSAGES = "phaseMoves";

    @Inject
    Platform platform;

    @Inject
    UiText ui;

    @Inject
    CurrentActor me;

    private String entityName;
    private Long id;
    private long version;
    private boolean readable;
    private boolean writable;
    /** The closing phase the reason dialog is asking for, and the reason typed there. */
    private String pendingPhase;
    private String reason;
    // read once per request: ui:repeat and rendered= ask several times per render
    private transient Optional<ProcessCases.Case> processCase;
    private transient List<NextMove> nextMoves;
    private transient List<DialogLink> dialogLinks;
    private transient List<ProcessCases.Stamp> history;

    @PostConstruct
    void init() {
        entityName = Pages.parameter("entity");
        String idParameter = Pages.parameter("id");
        if (entityName == null || platform.model().entity(entityName).isEmpty() || idParameter == null
                || idParameter.isBlank()) {
            return; // a new record, or a page the record view turns into "not found"
        }
        try {
            id = Long.parseLong(idParameter);
            Optional<Record> record = platform.records().find(entityName, id);
            // a user who may not see a phase field may not see where the record stands in its process
            if (record.isPresent() && platform.model().processesOf(entityName).stream()
                    .allMatch(p -> ProcessCases.visibleTo(p, platform.access(me.actor())))) {
                readable = true;
                version = record.get().version();
                writable = platform.access(me.actor()).allows(entityName, Operation.UPDATE, record.get());
            }
        } catch (NumberFormatException | RecordException e) {
            readable = false;
        }
    }

    // ---- phase bar ----

    private Optional<ProcessCases.Case> processCase() {
        if (processCase == null) {
            processCase = readable ? platform.processCases().current(entityName, id).filter(c -> c.definition().isPresent())
                    : Optional.empty();
        }
        return processCase;
    }

    /** True if the record follows a process the metadata still defines. */
    public boolean isActive() {
        return processCase().isPresent();
    }

    public String getProcessName() {
        return processCase().map(ProcessCases.Case::process).orElse(null);
    }

    public String getProcessLabel() {
        return processCase().flatMap(ProcessCases.Case::definition).map(p -> ui.text(p.label())).orElse("");
    }

    public String getPhaseSince() {
        return processCase().map(c -> ui.timestamp(c.phaseSince())).orElse("");
    }

    /**
     * The phases in pipeline order, closing ones last. Open phases before the current one are done; when the
     * case has ended, open phases it never entered are skipped; the closing phases it is not in are shown as
     * the possible ends.
     */
    public List<Chevron> getChevrons() {
        if (processCase().isEmpty()) {
            return List.of();
        }
        ProcessCases.Case current = processCase().get();
        ProcessDefinition process = current.definition().orElseThrow();
        EntityDefinition entity = entity();
        Set<String> visited = new HashSet<>();
        history().forEach(s -> visited.add(s.toPhase()));
        List<PhaseDefinition> open = process.phases().stream().filter(p -> !p.isClosing()).toList();
        List<PhaseDefinition> closing = process.phases().stream().filter(PhaseDefinition::isClosing).toList();
        int currentIndex = indexOf(open, current.phase());
        boolean ended = currentIndex < 0;
        List<Chevron> chevrons = new ArrayList<>();
        for (int i = 0; i < open.size(); i++) {
            PhaseDefinition phase = open.get(i);
            String state;
            if (ended) {
                state = visited.contains(phase.name()) ? "done" : "skipped";
            } else {
                state = i < currentIndex ? "done" : i == currentIndex ? "current" : "upcoming";
            }
            chevrons.add(new Chevron(phase.name(), ui.text(process.phaseLabel(entity, phase.name())),
                    state, "open", false));
        }
        for (PhaseDefinition phase : closing) {
            chevrons.add(new Chevron(phase.name(), ui.text(process.phaseLabel(entity, phase.name())),
                    phase.name().equals(current.phase()) ? "current" : "ending", ProcessTexts.cssOutcome(phase.outcome()),
                    true));
        }
        return chevrons;
    }

    private static int indexOf(List<PhaseDefinition> phases, String name) {
        for (int i = 0; i < phases.size(); i++) {
            if (phases.get(i).name().equals(name)) {
                return i;
            }
        }
        return -1;
    }

    /** The moves the user may try from the current phase; none if they may not change the record. */
    public List<NextMove> getNextMoves() {
        if (nextMoves == null) {
            nextMoves = !writable || processCase().isEmpty() ? List.of()
                    : platform.processCases().nextPhases(entityName, id).stream()
                            .map(next -> new NextMove(next.phase(), ui.text(next.label()),
                                    ProcessTexts.cssOutcome(next.outcome()), next.guarded(), next.automatic(),
                                    next.reasonField() != null && !next.reasonField().isBlank()))
                            .toList();
        }
        return nextMoves;
    }

    /** Moves the record; on success the page reloads so the form shows what the move and its actions set. */
    public String move(String phase) {
        return moveWith(phase, Map.of());
    }

    /** Opens the reason dialog for a closing phase that records a reason. */
    public void ask(String phase) {
        pendingPhase = phase;
        reason = null;
    }

    /** Moves to the phase the reason dialog asked for, saving the reason in the same update. */
    public String confirmReason() {
        String field = reasonField(pendingPhase);
        if (field == null) {
            return moveWith(pendingPhase, Map.of());
        }
        if (reason == null || reason.isBlank()) {
            add(FacesMessage.SEVERITY_ERROR, ui.message("process.reason.missing"));
            FacesContext.getCurrentInstance().validationFailed();
            return null;
        }
        return moveWith(pendingPhase, Map.of(field, reason.strip()));
    }

    private String moveWith(String phase, Map<String, Object> otherChanges) {
        if (!writable || processCase().isEmpty()) {
            add(FacesMessage.SEVERITY_ERROR, ui.message("process.move.notAllowed"));
            return null;
        }
        try {
            platform.processCases().move(platform.records(), entityName, id, version, phase, otherChanges);
            FacesContext context = FacesContext.getCurrentInstance();
            context.getExternalContext().getFlash().setKeepMessages(true);
            context.addMessage(null, new FacesMessage(FacesMessage.SEVERITY_INFO,
                    MessageFormat.format(ui.message("process.moved"), phaseLabel(phase)), null));
            return "/record.xhtml?faces-redirect=true&entity=" + entityName + "&id=" + id;
        } catch (ValidationException e) {
            for (FieldError error : e.errors()) {
                add(FacesMessage.SEVERITY_ERROR, error.message());
            }
        } catch (ConcurrentUpdateException e) {
            add(FacesMessage.SEVERITY_ERROR, ui.message("record.conflict"));
        } catch (RecordException | IllegalArgumentException e) {
            add(FacesMessage.SEVERITY_ERROR, e.getMessage());
        }
        FacesContext.getCurrentInstance().validationFailed();
        return null;
    }

    private String reasonField(String phase) {
        return processCase().flatMap(ProcessCases.Case::definition).flatMap(p -> p.phase(phase))
                .filter(PhaseDefinition::isClosing).map(PhaseDefinition::reasonField).orElse(null);
    }

    public String getPendingPhaseLabel() {
        return pendingPhase == null ? "" : phaseLabel(pendingPhase);
    }

    public String getReasonLabel() {
        String field = reasonField(pendingPhase);
        return field == null ? "" : entity().field(field).map(ui::label).orElse(field);
    }

    private String phaseLabel(String phase) {
        return processCase().flatMap(ProcessCases.Case::definition)
                .map(p -> ui.text(p.phaseLabel(entity(), phase))).orElse(phase);
    }

    // ---- history and timers ----

    /** The record's phase changes, newest first. */
    public List<StampLine> getStamps() {
        if (!readable) {
            return List.of();
        }
        MetadataModel model = platform.model();
        EntityDefinition entity = entity();
        List<StampLine> lines = new ArrayList<>();
        for (ProcessCases.Stamp stamp : history()) {
            Optional<ProcessDefinition> process = model.process(stamp.process());
            String from = stamp.fromPhase() == null ? null
                    : process.map(p -> ui.text(p.phaseLabel(entity, stamp.fromPhase()))).orElse(stamp.fromPhase());
            String to = process.map(p -> ui.text(p.phaseLabel(entity, stamp.toPhase()))).orElse(stamp.toPhase());
            lines.add(0, new StampLine(from, to, stamp.username(), ui.timestamp(stamp.changedAt()), stamp.reason()));
        }
        return lines;
    }

    /** Timers still waiting to fire, soonest first. */
    public List<TimerLine> getPendingTimers() {
        if (!readable) {
            return List.of();
        }
        MetadataModel model = platform.model();
        return platform.processCases().timers(entityName, id).stream()
                .filter(t -> "pending".equals(t.state()))
                .map(t -> new TimerLine(ProcessTexts.timerName(t.timer()),
                        model.process(t.process()).map(p -> ui.text(p.phaseLabel(entity(), t.phase())))
                                .orElse(t.phase()),
                        ui.timestamp(t.dueAt())))
                .toList();
    }

    /** True if the record has ever followed a process: then the process card shows. */
    public boolean isHasProcessHistory() {
        return readable && (isActive() || !history().isEmpty());
    }

    private List<ProcessCases.Stamp> history() {
        if (history == null) {
            history = readable ? platform.processCases().history(entityName, id,
                    platform.securedRecords().readScope(entityName)) : List.of();
        }
        return history;
    }

    // ---- guided dialogs ----

    /** The entity's dialogs the user may run on this record, each with the user's open session if there is one. */
    public List<DialogLink> getDialogs() {
        if (dialogLinks == null) {
            dialogLinks = writable ? readDialogLinks() : List.of();
        }
        return dialogLinks;
    }

    private List<DialogLink> readDialogLinks() {
        List<DialogDefinition> dialogs = platform.model().dialogsOf(entityName);
        if (dialogs.isEmpty()) {
            return List.of();
        }
        List<DialogSession> open = platform.dialogs().openSessions(me.actor()).stream()
                .filter(s -> s.entity().equals(entityName) && s.recordId() == id).toList();
        List<DialogLink> links = new ArrayList<>();
        for (DialogDefinition dialog : dialogs) {
            Optional<DialogSession> session = open.stream().filter(s -> s.dialog().equals(dialog.name())).findFirst();
            links.add(new DialogLink(dialog.name(), ui.text(dialog.label()), ui.text(dialog.description()),
                    session.map(DialogSession::id).orElse(null),
                    session.map(s -> s.atSummary() ? ui.message("dialog.summary")
                            : dialog.step(s.step()).map(step -> ui.text(step.title())).orElse(s.step())).orElse(null)));
        }
        return links;
    }

    // ---- plumbing ----

    private EntityDefinition entity() {
        return Pages.entity(platform, entityName);
    }


    /** Shown next to the phase bar (and in the reason dialog), not in the form's messages. */
    private static void add(FacesMessage.Severity severity, String text) {
        FacesContext.getCurrentInstance().addMessage(MESSAGES, new FacesMessage(severity, text, null));
    }

    public String getReason() {
        return reason;
    }

    public void setReason(String reason) {
        this.reason = reason;
    }

    public String getEntityName() {
        return entityName;
    }

    public Long getId() {
        return id;
    }

    /**
     * One phase in the bar.
     *
     * @param state   done, current, upcoming, skipped (an ended case never entered it) or ending (a closing
     *                phase the case is not in)
     * @param outcome open, success or failure (the colour of closing phases)
     */
    public record Chevron(String phase, String label, String state, String outcome, boolean closing)
            implements Serializable {
    }

    /** A move the user may try; {@code asksReason}: a closing phase that records a reason. */
    public record NextMove(String phase, String label, String outcome, boolean guarded, boolean automatic,
                           boolean asksReason) implements Serializable {
    }

    /** One phase change for the history: {@code from} null for the start of the case. */
    public record StampLine(String from, String to, String user, String at, String reason) implements Serializable {
    }

    public record TimerLine(String name, String phase, String due) implements Serializable {
    }

    /** A dialog to start, or to resume at {@code resumeStep} when {@code sessionId} is set. */
    public record DialogLink(String name, String label, String description, Long sessionId, String resumeStep)
            implements Serializable {
    }
}
