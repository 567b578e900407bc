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
import io.relata.process.dialog.DialogException;
import io.relata.process.dialog.DialogSession;
import io.relata.store.access.AccessPolicy;
import io.relata.store.access.Operation;
import io.relata.runtime.Platform;
import io.relata.web.security.CurrentActor;
import jakarta.annotation.PostConstruct;
import jakarta.faces.application.FacesMessage;
import jakarta.faces.context.FacesContext;
import jakarta.faces.view.ViewScoped;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import org.primefaces.PrimeFaces;
import java.io.Serializable;
import java.text.MessageFormat;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The process parts of the record page: the phase bar with the moves the user may make (a move that needs
 * values — a closing reason, a phase's required fields, fields the rules require there — asks for them first in
 * the move dialog, {@link MoveForm}), the record's phase history and pending timers, and the buttons that start
 * or resume the entity's guided dialogs. A move is an update through the user's secured store, so the guards,
 * required fields and access rules of the record store decide; a refused move changes nothing and says why, and
 * asks for the fields it names if the user may fill them in.
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
    /** The move dialog: the phase it moves to and the values it asks for. */
    private final MoveForm moveForm = new MoveForm();
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
            // done means the case was there: a phase it jumped over (new → qualified) is skipped, not done
            if (ended) {
                state = visited.contains(phase.name()) ? "done" : "skipped";
            } else if (i < currentIndex) {
                state = visited.contains(phase.name()) ? "done" : "skipped";
            } else {
                state = i == currentIndex ? "current" : "upcoming";
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
            nextMoves = !writable || processCase().isEmpty() ? List.of() : readNextMoves();
        }
        return nextMoves;
    }

    private List<NextMove> readNextMoves() {
        Optional<Record> record = platform.records().find(entityName, id);
        ProcessDefinition process = processCase().flatMap(ProcessCases.Case::definition).orElseThrow();
        AccessPolicy access = platform.access(me.actor());
        return platform.processCases().nextPhases(entityName, id).stream()
                .map(next -> new NextMove(next.phase(), ui.text(next.label()), ProcessTexts.cssOutcome(next.outcome()),
                        next.guarded(), next.automatic(), record.isPresent()
                                && !MoveForm.asked(platform, access, process, record.get(), next.phase()).isEmpty()))
                .toList();
    }

    /** Moves the record; on success the page reloads so the form shows what the move and its actions set. */
    public String move(String phase) {
        moveForm.clear();
        return moveWith(phase, Map.of());
    }

    /** Opens the move dialog for a move that needs values. */
    public void ask(String phase) {
        Optional<Record> record = readable ? platform.records().find(entityName, id) : Optional.empty();
        Optional<ProcessDefinition> process = processCase().flatMap(ProcessCases.Case::definition);
        if (record.isEmpty() || process.isEmpty()) {
            return;
        }
        moveForm.open(platform, entity(), record.get(), phase, phaseLabel(phase),
                MoveForm.asked(platform, platform.access(me.actor()), process.get(), record.get(), phase));
    }

    /** Moves to the phase the move dialog asked about, with its values in the same update. */
    public String confirmMove() {
        if (!moveForm.isOpen() || !moveForm.isFor(entityName, id)) {
            return null;
        }
        if (!moveForm.filled(ui, entity())) {
            FacesContext.getCurrentInstance().validationFailed();
            return null;
        }
        return moveWith(moveForm.getPhase(), moveForm.values());
    }

    private String moveWith(String phase, Map<String, Object> otherChanges) {
        if (!writable || processCase().isEmpty()) {
            add(FacesMessage.SEVERITY_ERROR, ui.message("process.move.notAllowed"));
            return null;
        }
        try {
            List<io.relata.store.AutomaticChange> changes = new ArrayList<>();
            platform.processCases().move(platform.securedRecords().reportingTo(changes::add), entityName, id, version,
                    phase, otherChanges);
            FacesContext context = FacesContext.getCurrentInstance();
            context.getExternalContext().getFlash().setKeepMessages(true);
            context.addMessage(null, new FacesMessage(FacesMessage.SEVERITY_INFO,
                    MessageFormat.format(ui.message("process.moved"), phaseLabel(phase)), null));
            ProcessChangeTexts.lines(changes, platform, ui).forEach(line ->
                    context.addMessage(null, new FacesMessage(FacesMessage.SEVERITY_INFO, line, null)));
            return "/record.xhtml?faces-redirect=true&entity=" + entityName + "&id=" + id;
        } catch (ValidationException e) {
            refused(phase, e.errors());
        } catch (ConcurrentUpdateException e) {
            add(FacesMessage.SEVERITY_ERROR, ui.message("record.conflict"));
        } catch (RecordException | IllegalArgumentException e) {
            add(FacesMessage.SEVERITY_ERROR, ui.problem(e));
        }
        FacesContext.getCurrentInstance().validationFailed();
        return null;
    }

    /**
     * A refused move: errors about fields the user may fill in go to the move dialog (opened for them if the move
     * was made without it), the others next to the phase bar.
     */
    private void refused(String phase, List<FieldError> errors) {
        Optional<Record> record = platform.records().find(entityName, id);
        Optional<ProcessDefinition> process = processCase().flatMap(ProcessCases.Case::definition);
        List<FieldError> rest = errors;
        if (record.isPresent() && process.isPresent()) {
            boolean wasOpen = moveForm.isOpen() && phase.equals(moveForm.getPhase());
            if (!wasOpen) {
                moveForm.open(platform, entity(), record.get(), phase, phaseLabel(phase), List.of());
            }
            rest = moveForm.absorb(platform, platform.access(me.actor()), entity(), record.get(),
                    process.get().phaseField(), errors, ui.locale());
            if (moveForm.getFields().isEmpty()) {
                moveForm.clear();
            } else if (!wasOpen) {
                PrimeFaces.current().ajax().update("moveForm");
                PrimeFaces.current().executeScript("PF('moveDialog').show()");
            }
        }
        for (FieldError error : rest) {
            add(FacesMessage.SEVERITY_ERROR, error.message(ui.locale()));
        }
    }

    public MoveForm getMoveForm() {
        return moveForm;
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
                .map(t -> new TimerLine(model.process(t.process()).flatMap(p -> p.phase(t.phase()))
                                .flatMap(phase -> phase.timers().stream().filter(d -> d.name().equals(t.timer())).findFirst())
                                .map(d -> ui.text(d.displayLabel())).orElse(io.relata.api.process.TimerDefinition.readableName(t.timer())),
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

    /**
     * Starts a guided dialog on the record, or resumes the user's open session of it, and shows where it stands.
     * Only this POST of the page starts one (with the view state Faces checks): a link that anyone can put on
     * another site must not start or replace sessions.
     */
    public String startDialog(String dialog) {
        try {
            DialogSession session = platform.dialogs().start(dialog, entityName, id, me.actor());
            return "/dialog.xhtml?faces-redirect=true&session=" + session.id();
        } catch (DialogException | RecordException e) {
            add(FacesMessage.SEVERITY_ERROR, ui.problem(e));
            return null;
        }
    }

    private List<DialogLink> readDialogLinks() {
        boolean administrator = platform.access(me.actor()).unrestricted();
        List<DialogDefinition> dialogs = platform.model().dialogsOf(entityName).stream()
                .filter(d -> administrator || d.openTo(me.actor().roles())).toList(); // others would be refused
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

    /** A move the user may try; {@code asksFields}: it needs values first (a reason, required fields). */
    public record NextMove(String phase, String label, String outcome, boolean guarded, boolean automatic,
                           boolean asksFields) implements Serializable {
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
