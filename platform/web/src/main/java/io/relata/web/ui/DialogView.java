package io.relata.web.ui;

import io.relata.api.model.FieldDefinition;
import io.relata.api.model.FieldType;
import io.relata.api.process.DialogDefinition;
import io.relata.api.process.DialogField;
import io.relata.api.process.DialogFinish;
import io.relata.api.process.DialogStep;
import io.relata.api.record.AccessDeniedException;
import io.relata.api.record.FieldError;
import io.relata.api.record.RecordException;
import io.relata.api.record.RecordNotFoundException;
import io.relata.api.security.FieldAccess;
import io.relata.process.dialog.DialogException;
import io.relata.process.dialog.DialogRunner;
import io.relata.process.dialog.DialogSession;
import io.relata.process.dialog.DialogState;
import io.relata.process.dialog.FinishResult;
import io.relata.process.dialog.StepResult;
import io.relata.process.dialog.SummaryLine;
import io.relata.store.access.AccessPolicy;
import io.relata.runtime.Platform;
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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A guided dialog, one step per page: {@code dialog.xhtml?dialog=NAME&entity=E&id=N} shows the user's open
 * session of it on a record, or else a page that offers to start it; {@code ?session=ID} shows a session where it
 * stands. Opening the page never changes anything (a link on another site must not start or replace sessions):
 * only the start button's POST starts. Every answered step is stored before the next page shows, so the user can
 * leave at any time and come back to the same step with the same answers. Checking, branching and writing are
 * the {@link DialogRunner}'s; this view turns its answers and errors into a form.
 */
@Named
@ViewScoped
public class DialogView implements Serializable {

    private static final long serialVersionUID = 1L;

    @Inject
    Platform platform;

    @Inject
    UiText ui;

    @Inject
    CurrentActor me;

    private long sessionId;
    private String dialogName;
    private String entityName;
    private long recordId;
    private String step;
    private List<String> path = List.of();
    private DialogState state;
    /** Why the page cannot show the dialog (finished, abandoned, not allowed); null when it can. */
    private String problem;
    /** No session yet: the page offers to start one ({@code replacing}: an open one that no longer fits ends then). */
    private boolean offeringStart;
    private boolean replacing;
    private final Map<String, FieldInput> inputs = new LinkedHashMap<>();
    private final Map<String, String> errors = new LinkedHashMap<>();
    /** Record fields the user may see but not change: shown, not sent. */
    private final Set<String> readOnly = new HashSet<>();
    private transient List<SummaryRow> summary;

    @PostConstruct
    void init() {
        dialogName = Pages.parameter("dialog"); // names the page even if the dialog cannot start
        try {
            DialogSession session = open();
            if (session != null) {
                show(session);
            }
        } catch (DialogException e) {
            if (e.problem() == DialogException.Problem.NOT_FOUND) {
                throw new Pages.PageNotFoundException(e.getMessage());
            }
            problem = ui.problem(e);
        } catch (RecordNotFoundException | NumberFormatException e) {
            throw new Pages.PageNotFoundException(e.getMessage());
        } catch (AccessDeniedException e) {
            problem = ui.message("dialog.notAllowed");
        }
    }

    /**
     * The session the parameters point to, changing nothing. With a dialog parameter, the user's open session of
     * that dialog on the record, or null after checking that the user may start it (the page then offers the
     * start). Without a session or dialog parameter, the user's newest open session on the record: a page whose
     * view expired comes back with only the record's parameters.
     */
    private DialogSession open() {
        DialogRunner runner = platform.dialogs();
        String session = Pages.parameter("session");
        if (session != null && !session.isBlank()) {
            return runner.session(Long.parseLong(session.trim()), me.actor());
        }
        String dialog = Pages.parameter("dialog");
        String entity = Pages.parameter("entity");
        String id = Pages.parameter("id");
        if (entity == null || id == null || id.isBlank()) {
            throw new Pages.PageNotFoundException("A dialog needs ?session=ID or ?dialog=NAME&entity=E&id=N");
        }
        long record = Long.parseLong(id.trim());
        if (dialog != null && !dialog.isBlank()) {
            Optional<DialogSession> open = runner.resumable(dialog, entity, record, me.actor());
            if (open.isPresent()) {
                return open.get();
            }
            entityName = entity; // the page links back to the record also when the start is refused
            recordId = record;
            runner.checkStart(dialog, entity, record, me.actor());
            offeringStart = true;
            replacing = runner.openSessions(me.actor()).stream().anyMatch(s -> s.dialog().equals(dialog)
                    && s.entity().equals(entity) && s.recordId() == record);
            return null;
        }
        return runner.openSessions(me.actor()).stream()
                .filter(s -> s.entity().equals(entity) && s.recordId() == record).findFirst()
                .orElseThrow(() -> new Pages.PageNotFoundException("No open dialog on " + entity + " " + record));
    }

    private void show(DialogSession session) {
        sessionId = session.id();
        dialogName = session.dialog();
        entityName = session.entity();
        recordId = session.recordId();
        step = session.step();
        path = List.copyOf(session.path());
        state = session.state();
        inputs.clear();
        readOnly.clear();
        summary = null;
        if (state == DialogState.FINISHED) {
            problem = ui.message("dialog.alreadyFinished");
            return;
        }
        if (state == DialogState.ABANDONED) {
            problem = ui.message("dialog.alreadyAbandoned");
            return;
        }
        if (step == null) {
            return;
        }
        AccessPolicy access = platform.access(me.actor());
        for (DialogField field : currentStep().fields()) {
            FieldDefinition definition = field.definition();
            FieldInput input = new FieldInput(definition);
            Object answer = session.answer(field.name());
            input.set(answer, definition.type() == FieldType.REFERENCE && answer != null
                    ? RecordCells.titlesIfReadable(platform.records(), definition.referenceEntity(), List.of((Long) answer))
                            .getOrDefault((Long) answer, "#" + answer)
                    : null);
            inputs.put(field.name(), input);
            if (field.recordField() && access.fieldAccess(entityName, field.name()) != FieldAccess.EDITABLE) {
                readOnly.add(field.name());
            }
        }
    }

    // ---- actions ----

    /** Starts the dialog the page offers (or resumes the user's session of it, if one was opened meanwhile). */
    public String start() {
        try {
            return "/dialog.xhtml?faces-redirect=true&session="
                    + platform.dialogs().start(dialogName, entityName, recordId, me.actor()).id();
        } catch (DialogException | RecordException e) {
            add(FacesMessage.SEVERITY_ERROR, ui.problem(e));
            return null;
        }
    }

    /** Submits the step; on success the page of the next step (or the summary) shows, else the errors at the fields. */
    public String next() {
        errors.clear();
        Map<String, Object> values = new LinkedHashMap<>();
        inputs.forEach((name, input) -> {
            if (!readOnly.contains(name)) {
                values.put(name, input.value());
            }
        });
        try {
            StepResult result = platform.dialogs().submitStep(sessionId, step, values, me.actor());
            if (result.accepted()) {
                return reload();
            }
            for (FieldError error : result.errors()) {
                if (error.field() != null && inputs.containsKey(error.field())) {
                    errors.merge(error.field(), error.message(ui.locale()), (a, b) -> a + " " + b);
                } else {
                    add(FacesMessage.SEVERITY_ERROR, error.message(ui.locale()));
                }
            }
            add(FacesMessage.SEVERITY_ERROR, ui.message("record.invalid"));
        } catch (DialogException | RecordException e) {
            add(FacesMessage.SEVERITY_ERROR, ui.problem(e));
        }
        FacesContext.getCurrentInstance().validationFailed();
        return null;
    }

    public String back() {
        try {
            platform.dialogs().back(sessionId, me.actor());
            return reload();
        } catch (DialogException | RecordException e) {
            add(FacesMessage.SEVERITY_ERROR, ui.problem(e));
            return null;
        }
    }

    /** Writes everything the dialog collected; on success back to the record, else the reasons on the summary. */
    public String finish() {
        try {
            FinishResult result = platform.dialogs().finish(sessionId, me.actor());
            if (result.finished()) {
                flash(MessageFormat.format(ui.message("dialog.finished"), getDialogLabel()));
                return recordPage();
            }
            for (FieldError error : result.errors()) {
                String label = error.field() == null ? null
                        : platform.model().entity(entityName).flatMap(e -> e.field(error.field())).map(ui::label)
                                .orElse(error.field());
                add(FacesMessage.SEVERITY_ERROR, label == null ? error.message(ui.locale()) : label + ": " + error.message(ui.locale()));
            }
            summary = null; // a concurrent change may have taken the record's new values into the answers
        } catch (DialogException | RecordException e) {
            add(FacesMessage.SEVERITY_ERROR, ui.problem(e));
        }
        FacesContext.getCurrentInstance().validationFailed();
        return null;
    }

    /** Ends the session without writing anything. */
    public String abandon() {
        try {
            platform.dialogs().abandon(sessionId, me.actor());
            flash(MessageFormat.format(ui.message("dialog.abandoned"), getDialogLabel()));
            return recordPage();
        } catch (DialogException | RecordException e) {
            add(FacesMessage.SEVERITY_ERROR, ui.problem(e));
            return null;
        }
    }

    private String reload() {
        return "/dialog.xhtml?faces-redirect=true&session=" + sessionId;
    }

    private String recordPage() {
        return "/record.xhtml?faces-redirect=true&entity=" + entityName + "&id=" + recordId;
    }

    // ---- page properties ----

    private Optional<DialogDefinition> definition() {
        return platform.model().dialog(dialogName == null ? "" : dialogName);
    }

    private DialogStep currentStep() {
        return definition().flatMap(d -> d.step(step))
                .orElseThrow(() -> new DialogException(DialogException.Problem.DEFINITION_CHANGED,
                        io.relata.api.model.LocalizedText.format("Der Dialog '{0}' hat den Schritt '{1}' nicht mehr",
                                "The dialog '{0}' no longer has the step '{1}'", dialogName, step)));
    }

    /** The fields of the step on this page. */
    public List<FieldDefinition> getFields() {
        if (problem != null || step == null) {
            return List.of();
        }
        return currentStep().fields().stream().map(DialogField::definition).filter(f -> inputs.containsKey(f.name()))
                .toList();
    }

    public boolean isReadOnly(FieldDefinition field) {
        return readOnly.contains(field.name());
    }

    public String getDialogLabel() {
        return definition().map(d -> ui.text(d.label())).orElse(dialogName);
    }

    public String getDescription() {
        return definition().map(d -> ui.text(d.description())).orElse("");
    }

    public String getRecordTitle() {
        if (entityName == null) {
            return "";
        }
        String title = RecordCells.titlesIfReadable(platform.records(), entityName, List.of(recordId)).get(recordId);
        return title == null || title.isBlank() ? "#" + recordId : title;
    }

    public String getEntityLabel() {
        return platform.model().entity(entityName == null ? "" : entityName).map(ui::label).orElse("");
    }

    public String getStepTitle() {
        return step == null ? ui.message("dialog.summary") : ui.text(currentStep().title());
    }

    public String getStepHelp() {
        return step == null ? ui.message("dialog.summaryHelp") : ui.text(currentStep().help());
    }

    /** The way so far: the steps visited, the one on this page marked, and the summary at the end. */
    public List<StepMark> getSteps() {
        List<StepMark> marks = new ArrayList<>();
        DialogDefinition definition = definition().orElse(null);
        for (String name : path) {
            String title = definition == null ? name
                    : definition.step(name).map(s -> ui.text(s.title())).orElse(name);
            marks.add(new StepMark(name, title, name.equals(step) ? "current" : "done"));
        }
        // a branch may still lead to further steps: which ones depends on the answers, so they show as "…"
        if (step != null && currentStep().next().stream().anyMatch(b -> b.step() != null)) {
            marks.add(new StepMark("@more", "…", "upcoming"));
        }
        marks.add(new StepMark("@summary", ui.message("dialog.summary"), step == null ? "current" : "upcoming"));
        return marks;
    }

    /** The answers for the summary, step by step. */
    public List<SummaryRow> getSummary() {
        if (summary == null) {
            summary = problem != null || offeringStart || step != null ? List.of() : readSummary();
        }
        return summary;
    }

    private List<SummaryRow> readSummary() {
        List<SummaryRow> rows = new ArrayList<>();
        for (SummaryLine line : platform.dialogs().summary(sessionId, me.actor())) {
            FieldDefinition field = line.field().definition();
            String value;
            if (line.value() == null) {
                value = "";
            } else if (field.type() == FieldType.REFERENCE) {
                Long id = (Long) line.value();
                value = RecordCells.titlesIfReadable(platform.records(), field.referenceEntity(), List.of(id))
                        .getOrDefault(id, "#" + id);
            } else {
                value = ui.format(field, line.value());
            }
            rows.add(new SummaryRow(line.step(), ui.text(line.stepTitle()), ui.text(line.label()), value));
        }
        return rows;
    }

    /**
     * What finishing does besides writing the answers, for the summary: the finish of the step the path ended at
     * (or the dialog's), so a branch that ends differently says so ("moves the record to Contacted").
     */
    public List<String> getFinishLines() {
        if (!isAtSummary()) {
            return List.of();
        }
        DialogFinish finish;
        try {
            finish = platform.dialogs().finishOf(sessionId, me.actor());
        } catch (DialogException e) {
            return List.of();
        }
        List<String> lines = new ArrayList<>();
        var entity = platform.model().entity(entityName).orElse(null);
        if (!finish.setFields().isEmpty() && entity != null) {
            lines.add(MessageFormat.format(ui.message("dialog.finishSets"), String.join(", ", finish.setFields().keySet()
                    .stream().map(f -> entity.field(f).map(ui::label).orElse(f)).toList())));
        }
        if (!finish.creates().isEmpty()) {
            lines.add(MessageFormat.format(ui.message("dialog.finishCreates"), String.join(", ", finish.creates().stream()
                    .map(c -> platform.model().entity(c.entity()).map(ui::label).orElse(c.entity())).toList())));
        }
        if (finish.movePhase() != null) {
            String phase = platform.model().processesOf(entityName).stream()
                    .filter(p -> p.phase(finish.movePhase()).isPresent()).findFirst()
                    .map(p -> ui.text(p.phaseLabel(entity, finish.movePhase()))).orElse(finish.movePhase());
            lines.add(MessageFormat.format(ui.message("dialog.finishMoves"), phase));
        }
        return lines;
    }

    public boolean isAtSummary() {
        return problem == null && !offeringStart && step == null;
    }

    /** True while the page offers to start the dialog: there is no session yet. */
    public boolean isOfferingStart() {
        return problem == null && offeringStart;
    }

    /** True if starting ends the user's open session of the dialog, which no longer fits its changed definition. */
    public boolean isReplacing() {
        return replacing;
    }

    public boolean isCanGoBack() {
        return problem == null && (step == null ? !path.isEmpty() : path.size() > 1);
    }

    public String getProblem() {
        return problem;
    }

    public Map<String, FieldInput> getInputs() {
        return inputs;
    }

    public Map<String, String> getErrors() {
        return errors;
    }

    public long getSessionId() {
        return sessionId;
    }

    public String getEntityName() {
        return entityName;
    }

    public String getDialogName() {
        return dialogName;
    }

    public long getRecordId() {
        return recordId;
    }

    public String getStep() {
        return step;
    }

    // ---- plumbing ----


    private static void add(FacesMessage.Severity severity, String text) {
        FacesContext.getCurrentInstance().addMessage(null, new FacesMessage(severity, text, null));
    }

    private static void flash(String text) {
        FacesContext context = FacesContext.getCurrentInstance();
        context.getExternalContext().getFlash().setKeepMessages(true);
        context.addMessage(null, new FacesMessage(FacesMessage.SEVERITY_INFO, text, null));
    }

    /** One entry of the steps indicator; {@code state}: done, current or upcoming. */
    public record StepMark(String name, String title, String state) implements Serializable {
    }

    public record SummaryRow(String step, String stepTitle, String label, String value) implements Serializable {
    }
}
