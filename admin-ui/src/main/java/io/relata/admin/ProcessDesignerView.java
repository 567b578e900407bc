package io.relata.admin;

import io.relata.admin.designer.EntityDesign;
import io.relata.admin.designer.ProcessDesign;
import io.relata.api.model.ChoiceOption;
import io.relata.api.model.EntityDefinition;
import io.relata.api.model.FieldDefinition;
import io.relata.api.model.FieldType;
import io.relata.api.model.MetadataModel;
import io.relata.api.process.PhaseDefinition;
import io.relata.api.process.PhaseOutcome;
import io.relata.api.process.ProcessAction;
import io.relata.api.process.ProcessDefinition;
import io.relata.api.record.FieldError;
import io.relata.metadata.MetadataException;
import io.relata.process.ProcessSimulation;
import io.relata.process.diagram.ProcessDiagram;
import io.relata.runtime.Platform;
import io.relata.runtime.RequestActor;
import io.relata.store.InvalidValueException;
import io.relata.store.ValueConverter;
import jakarta.annotation.PostConstruct;
import jakarta.faces.application.FacesMessage;
import jakarta.faces.model.SelectItem;
import jakarta.faces.view.ViewScoped;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import java.io.Serializable;
import java.text.MessageFormat;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The process designer: the processes of all layers as the administrator's draft describes them, each next to its
 * diagram (drawn again from the draft after every change); a process of the site is edited here (phases with labels,
 * outcome, required fields, closing reason, actions and timers; transitions with guard and condition), new ones are
 * started from a choice field whose options become the phases. Any process can be simulated: a sample record is
 * started and moved phase by phase, every move out of its phase shown as the engine would judge it (which guard
 * refuses, and why), nothing written.
 */
@Named
@ViewScoped
public class ProcessDesignerView implements Serializable {

    private static final long serialVersionUID = 1L;

    @Inject
    Platform platform;

    @Inject
    RequestActor me;

    @Inject
    AdminTexts ui;

    @Inject
    DesignerDraft draft;

    private String process;

    private String newName;
    private String newEntity;
    private String newPhaseField;
    private String newDe;
    private String newEn;

    private String editingPhase;
    private String phaseDe;
    private String phaseEn;
    private String phaseOutcome;
    private List<String> phaseRequires = new ArrayList<>();
    private String phaseReason;
    private String phaseActions;

    private String addedPhase;
    private String addedDe;
    private String addedEn;
    private String addedOutcome = PhaseOutcome.OPEN.yamlName();
    private String addedFrom;

    /** The site's process file as text, while the administrator edits it as YAML; null otherwise. */
    private String fileText;

    private Integer editingTransition;
    private List<String> transitionFrom = new ArrayList<>();
    private List<String> transitionTo = new ArrayList<>();
    private String transitionGuard;
    private String transitionWhen;

    /** The simulated record's fields as typed in the form (field → text). */
    private Map<String, String> sampleInput = new LinkedHashMap<>();
    /** The simulated record after the last step (typed values), null before the start. */
    private LinkedHashMap<String, Object> sample;
    private List<SimulatedStep> history = new ArrayList<>();
    private List<String> sampleProblems = new ArrayList<>();

    /** A phase in the table. */
    public record PhaseRow(String name, String label, String outcome, String requires, String reason, String actions,
                           boolean first) implements Serializable {
    }

    /** A transition in the table (index: its entry in the site's file, -1 for a process of another layer). */
    public record TransitionRow(int index, String from, String to, String guard, String when) implements Serializable {
    }

    /** One move of the simulated record, as the history shows it. */
    public record SimulatedStep(String from, String to, boolean made, List<String> messages, String sets,
                                String notRun) implements Serializable {
    }

    /** One move the simulated record may try now. */
    public record MoveRow(String to, String label, boolean automatic, boolean conditionHolds, boolean allowed,
                          List<String> messages, String sets) implements Serializable {
    }

    /** A field of the simulated record. */
    public record SampleField(String name, String label, String type, boolean phase) implements Serializable {
    }

    @PostConstruct
    void init() {
        AdminGuard.require(platform, me);
    }

    // ---- choosing ----

    public List<SelectItem> getProcesses() {
        List<SelectItem> items = new ArrayList<>(draft.model().processes().values().stream()
                .map(p -> new SelectItem(p.name(), label(p) + " (" + p.name() + ") – " + ui.layer(draft.layerOf(p.source()))))
                .toList());
        if (isBroken()) {
            items.add(new SelectItem(process, process + " – " + ui.message("designer.layer.site")));
        }
        return items;
    }

    public void chooseProcess() {
        closeEditors();
        resetSimulation();
    }

    private void closeEditors() {
        editingPhase = null;
        editingTransition = null;
        fileText = null;
    }

    /**
     * Whether the chosen process is one of the site's whose draft does not load (the designer then shows the model in
     * force, without it): it can still be edited as YAML, with the problems above.
     */
    public boolean isBroken() {
        return process != null && selected().isEmpty() && draft.content(ProcessDesign.path(process)) != null;
    }

    /** Opens the site's process file in the YAML editor. */
    public void editFile() {
        closeEditors();
        fileText = draft.content(ProcessDesign.path(process));
    }

    public void saveFile() {
        if (fileText == null || process == null || draft.content(ProcessDesign.path(process)) == null) {
            return;
        }
        String path = ProcessDesign.path(process);
        draft.change(path, fileText.endsWith("\n") ? fileText : fileText + "\n");
        fileText = null;
        said(path);
    }

    private Optional<ProcessDefinition> selected() {
        return process == null ? Optional.empty() : draft.model().process(process);
    }

    private Optional<EntityDefinition> entity() {
        return selected().flatMap(p -> draft.model().entity(p.entity()));
    }

    public boolean isSelected() {
        return selected().isPresent();
    }

    /** Whether the site defines the chosen process (so that the designer edits its file). */
    public boolean isEditable() {
        return selected().map(p -> draft.ownedBySite(p.source())).orElse(false);
    }

    public String getLayer() {
        return selected().map(p -> ui.layer(draft.layerOf(p.source()))).orElse("");
    }

    public String getSvg() {
        Optional<ProcessDefinition> chosen = selected();
        if (chosen.isEmpty()) {
            return "";
        }
        try {
            return ProcessDiagram.svg(chosen.get(), entity().orElse(null), ui.locale(), draft.model());
        } catch (RuntimeException e) {
            // a diagram is a picture of the process: a process it cannot draw is still edited and checked
            return "";
        }
    }

    public List<String> getProblems() {
        return draft.problems();
    }

    private String label(ProcessDefinition definition) {
        return definition.label() == null ? definition.name() : ui.text(definition.label());
    }

    private String phaseLabel(String phase) {
        if ("*".equals(phase)) {
            return ui.message("designer.processes.anyOpen");
        }
        return selected().map(p -> ui.text(p.phaseLabel(entity().orElse(null), phase))).orElse(phase);
    }

    private String fieldLabel(String field) {
        return entity().flatMap(e -> e.field(field)).map(f -> ui.text(f.label())).orElse(field);
    }

    // ---- phases ----

    public List<PhaseRow> getPhases() {
        Optional<ProcessDefinition> chosen = selected();
        if (chosen.isEmpty()) {
            return List.of();
        }
        List<PhaseRow> rows = new ArrayList<>();
        for (PhaseDefinition phase : chosen.get().phases()) {
            rows.add(new PhaseRow(phase.name(), phaseLabel(phase.name()), outcomeLabel(phase.outcome()),
                    String.join(", ", phase.requiredFields().stream().map(this::fieldLabel).toList()),
                    phase.reasonField() == null ? "" : fieldLabel(phase.reasonField()),
                    MessageFormat.format(ui.message("designer.processes.actionCount"),
                            phase.onEnter().size() + phase.onLeave().size(), phase.timers().size()),
                    phase == chosen.get().initialPhase()));
        }
        return rows;
    }

    private String outcomeLabel(PhaseOutcome outcome) {
        return ui.message("designer.processes.outcome." + outcome.yamlName());
    }

    public List<SelectItem> getOutcomes() {
        return Arrays.stream(PhaseOutcome.values()).map(o -> new SelectItem(o.yamlName(), outcomeLabel(o))).toList();
    }

    /** The fields of the process's entity, for required fields and the closing reason. */
    public List<SelectItem> getFields() {
        return entity().map(e -> e.fields().stream().map(f -> new SelectItem(f.name(), ui.text(f.label()) + " (" + f.name() + ")"))
                .toList()).orElse(List.of());
    }

    /** The phases of the chosen process, with "every open phase" for the start of a move. */
    public List<SelectItem> getPhaseChoices() {
        List<SelectItem> items = new ArrayList<>();
        selected().ifPresent(p -> p.phases().forEach(phase -> items.add(new SelectItem(phase.name(), phaseLabel(phase.name())))));
        return items;
    }

    public List<SelectItem> getFromChoices() {
        List<SelectItem> items = new ArrayList<>(getPhaseChoices());
        items.add(new SelectItem("*", ui.message("designer.processes.anyOpen")));
        return items;
    }

    public void editPhase(String phase) {
        closeEditors();
        selected().flatMap(p -> p.phase(phase)).ifPresent(definition -> {
            editingPhase = phase;
            phaseDe = definition.label() == null ? "" : definition.label().values().getOrDefault("de", "");
            phaseEn = definition.label() == null ? "" : definition.label().values().getOrDefault("en", "");
            phaseOutcome = definition.outcome().yamlName();
            phaseRequires = new ArrayList<>(definition.requiredFields());
            phaseReason = definition.reasonField();
            phaseActions = isEditable() ? design().actionsYaml(phase) : "";
        });
    }

    public void savePhase() {
        if (editingPhase == null || !isEditable()) {
            return;
        }
        ProcessDesign design = design();
        PhaseOutcome outcome = PhaseOutcome.fromYamlName(phaseOutcome).orElse(PhaseOutcome.OPEN);
        design.setPhase(editingPhase, phaseDe, phaseEn, outcome, phaseRequires, phaseReason);
        try {
            design.setActions(editingPhase, phaseActions);
        } catch (MetadataException e) {
            e.problems().forEach(p -> say(FacesMessage.SEVERITY_ERROR, p.toString()));
            return;
        } catch (IllegalArgumentException e) {
            say(FacesMessage.SEVERITY_ERROR, MessageFormat.format(ui.message("designer.processes.actionKey"), e.getMessage(),
                    String.join(", ", ProcessDesign.ACTION_KEYS)));
            return;
        }
        save(design);
        editingPhase = null;
    }

    public void cancelEditing() {
        closeEditors();
    }

    /** A new phase, with its option of the phase field (where the site may add one). */
    public void addPhase() {
        Optional<ProcessDefinition> chosen = selected();
        if (chosen.isEmpty() || !isEditable()) {
            return;
        }
        if (addedPhase == null || !addedPhase.matches("[a-z][a-z0-9_]*")) {
            say(FacesMessage.SEVERITY_ERROR, ui.message("designer.badName"));
            return;
        }
        ProcessDesign design = design();
        if (design.hasPhase(addedPhase)) {
            say(FacesMessage.SEVERITY_ERROR, MessageFormat.format(ui.message("designer.processes.phaseExists"), addedPhase));
            return;
        }
        design.addPhase(addedPhase, null, null, PhaseOutcome.fromYamlName(addedOutcome).orElse(PhaseOutcome.OPEN));
        if (addedFrom != null && !addedFrom.isBlank()) {
            // a phase no move leads to is a problem of the load: it comes with the move that reaches it
            design.setTransition(-1, List.of(addedFrom), List.of(addedPhase), null, null);
        }
        EntityDefinition entity = entity().orElseThrow();
        FieldDefinition phaseField = entity.field(chosen.get().phaseField()).orElseThrow();
        if (phaseField.option(addedPhase).isEmpty()) {
            EntityDesign entityDesign = entityDesign(entity);
            entityDesign.addOption(phaseField.name(), new EntityDesign.Option(addedPhase, blankTo(addedDe, addedPhase),
                    blankTo(addedEn, addedPhase)));
            draft.change(entityDesign.path(), entityDesign.yaml());
        }
        save(design);
        addedPhase = null;
        addedDe = null;
        addedEn = null;
        addedOutcome = PhaseOutcome.OPEN.yamlName();
        addedFrom = null;
    }

    private static String blankTo(String text, String fallback) {
        return text == null || text.isBlank() ? fallback : text;
    }

    /** Removes a phase and its moves; its option goes too where the site added it. */
    public void removePhase(String phase) {
        Optional<ProcessDefinition> chosen = selected();
        if (chosen.isEmpty() || !isEditable()) {
            return;
        }
        ProcessDesign design = design();
        design.removePhase(phase);
        EntityDefinition entity = entity().orElseThrow();
        boolean otherUse = draft.model().processesOf(entity.name()).stream()
                .anyMatch(p -> !p.name().equals(chosen.get().name()) && p.phaseField().equals(chosen.get().phaseField())
                        && p.phase(phase).isPresent());
        if (!otherUse) {
            EntityDesign entityDesign = entityDesign(entity);
            if (entityDesign.removeOption(chosen.get().phaseField(), phase)) {
                draft.change(entityDesign.path(), entityDesign.yaml());
            }
        }
        closeEditors();
        save(design);
    }

    public void movePhase(String phase, int delta) {
        if (!isEditable()) {
            return;
        }
        ProcessDesign design = design();
        design.movePhase(phase, delta);
        save(design);
    }

    // ---- transitions ----

    public List<TransitionRow> getTransitions() {
        Optional<ProcessDefinition> chosen = selected();
        if (chosen.isEmpty()) {
            return List.of();
        }
        if (isEditable()) {
            return design().transitionList().stream().map(t -> new TransitionRow(t.index(), phases(t.from()),
                    phases(t.to()), t.guard(), t.when())).toList();
        }
        return chosen.get().transitions().stream().map(t -> new TransitionRow(-1, phaseLabel(t.from()),
                phaseLabel(t.to()), t.guard() == null ? null : t.guard().source(),
                t.when() == null ? null : t.when().source())).toList();
    }

    private String phases(List<String> names) {
        return String.join(", ", names.stream().map(this::phaseLabel).toList());
    }

    public void editTransition(int index) {
        closeEditors();
        design().transitionList().stream().filter(t -> t.index() == index).findFirst().ifPresent(t -> {
            editingTransition = index;
            transitionFrom = new ArrayList<>(t.from());
            transitionTo = new ArrayList<>(t.to());
            transitionGuard = t.guard();
            transitionWhen = t.when();
        });
    }

    public void newTransition() {
        closeEditors();
        editingTransition = -1;
        transitionFrom = new ArrayList<>();
        transitionTo = new ArrayList<>();
        transitionGuard = null;
        transitionWhen = null;
    }

    public void saveTransition() {
        if (editingTransition == null || !isEditable()) {
            return;
        }
        if (transitionFrom.isEmpty() || transitionTo.isEmpty()) {
            say(FacesMessage.SEVERITY_ERROR, ui.message("designer.processes.fromTo"));
            return;
        }
        ProcessDesign design = design();
        design.setTransition(editingTransition, transitionFrom, transitionTo, transitionGuard, transitionWhen);
        save(design);
        editingTransition = null;
    }

    public void removeTransition(int index) {
        if (!isEditable()) {
            return;
        }
        ProcessDesign design = design();
        design.removeTransition(index);
        closeEditors();
        save(design);
    }

    /**
     * Customises a process of the core or a plugin for this site: a copy of its file that replaces it goes into the
     * draft, and from then on the process is edited here like one of the site.
     */
    public void customise() {
        Optional<ProcessDefinition> chosen = selected();
        if (chosen.isEmpty() || isEditable() || chosen.get().source() == null) {
            return;
        }
        String original;
        try {
            original = java.nio.file.Files.readString(java.nio.file.Path.of(chosen.get().source().file()));
        } catch (java.io.IOException | RuntimeException e) {
            say(FacesMessage.SEVERITY_ERROR, MessageFormat.format(ui.message("designer.processes.cannotCopy"),
                    chosen.get().source().file()));
            return;
        }
        String path = ProcessDesign.path(chosen.get().name());
        try {
            draft.change(path, ProcessDesign.replacing(chosen.get().name(), original));
        } catch (MetadataException e) {
            e.problems().forEach(p -> say(FacesMessage.SEVERITY_ERROR, p.toString()));
            return;
        }
        closeEditors();
        said(path);
    }

    // ---- a new process ----

    public List<SelectItem> getEntities() {
        return draft.entityChoices(ui);
    }

    /** The choice fields of the entity a new process is for: their options become its phases. */
    public List<SelectItem> getPhaseFields() {
        if (newEntity == null) {
            return List.of();
        }
        return draft.model().entity(newEntity).map(e -> e.fields().stream().filter(f -> f.type() == FieldType.CHOICE)
                .map(f -> new SelectItem(f.name(), ui.text(f.label()) + " (" + f.name() + ")")).toList()).orElse(List.of());
    }

    public void createProcess() {
        MetadataModel model = draft.model();
        if (newName == null || !newName.matches("[a-z][a-z0-9_]*")) {
            say(FacesMessage.SEVERITY_ERROR, ui.message("designer.badName"));
            return;
        }
        if (model.process(newName).isPresent()) {
            say(FacesMessage.SEVERITY_ERROR, MessageFormat.format(ui.message("designer.processes.exists"), newName));
            return;
        }
        Optional<FieldDefinition> field = model.entity(newEntity == null ? "" : newEntity)
                .flatMap(e -> e.field(newPhaseField == null ? "" : newPhaseField));
        if (field.isEmpty() || field.get().type() != FieldType.CHOICE || field.get().options().isEmpty()) {
            say(FacesMessage.SEVERITY_ERROR, ui.message("designer.processes.needsChoice"));
            return;
        }
        List<String> phases = field.get().options().stream().map(ChoiceOption::value).toList();
        String path = ProcessDesign.path(newName);
        draft.change(path, ProcessDesign.newProcess(newName, newEntity, newDe, blankTo(newEn, newName),
                newPhaseField, phases));
        process = newName;
        newName = null;
        newEntity = null;
        newPhaseField = null;
        newDe = null;
        newEn = null;
        chooseProcess();
        said(path);
    }

    // ---- simulation ----

    public List<SampleField> getSampleFields() {
        Optional<ProcessDefinition> chosen = selected();
        return entity().map(e -> e.fields().stream()
                .map(f -> new SampleField(f.name(), ui.text(f.label()), f.type().yamlName(),
                        f.name().equals(chosen.get().phaseField())))
                .toList()).orElse(List.of());
    }

    /** Starts the sample record (as typed) in the first phase, or says why it cannot. */
    public void startSimulation() {
        Optional<ProcessSimulation> simulation = simulation();
        Optional<Map<String, Object>> typed = typedSample(new LinkedHashMap<>());
        if (simulation.isEmpty() || typed.isEmpty()) {
            return;
        }
        history = new ArrayList<>();
        ProcessSimulation.Step step = simulation.get().start(typed.get(), null);
        record(simulation.get(), step);
        sample = step.made() ? new LinkedHashMap<>(step.record()) : null;
        showSample();
    }

    /** Moves the sample record (with what was typed since) to {@code to}, if the process lets it. */
    public void simulateMove(String to) {
        Optional<ProcessSimulation> simulation = simulation();
        if (simulation.isEmpty() || sample == null) {
            return;
        }
        Optional<Map<String, Object>> typed = typedSample(sample);
        if (typed.isEmpty()) {
            return;
        }
        ProcessSimulation.Step step = simulation.get().move(typed.get(), to);
        record(simulation.get(), step);
        if (step.made()) {
            sample = new LinkedHashMap<>(step.record());
        } else {
            sample = new LinkedHashMap<>(typed.get());
        }
        showSample();
    }

    public void resetSimulation() {
        sample = null;
        history = new ArrayList<>();
        sampleProblems = new ArrayList<>();
        sampleInput = new LinkedHashMap<>();
    }

    public List<MoveRow> getMoves() {
        Optional<ProcessSimulation> simulation = simulation();
        if (simulation.isEmpty() || sample == null) {
            return List.of();
        }
        List<MoveRow> rows = new ArrayList<>();
        for (ProcessSimulation.Option option : simulation.get().options(sample)) {
            String to = option.transition().to();
            rows.add(new MoveRow(to, phaseLabel(to), option.automatic(), option.conditionHolds(),
                    option.trial().allowed(), messages(option.trial().problems()), sets(option.trial().sets())));
        }
        return rows;
    }

    public String getSamplePhase() {
        return sample == null || selected().isEmpty() ? null : phaseLabel(String.valueOf(sample.get(selected().get().phaseField())));
    }

    private Optional<ProcessSimulation> simulation() {
        return selected().filter(p -> entity().isPresent())
                .map(p -> platform.processes().simulation(draft.model(), p, me.actor()));
    }

    /** {@code base} with the sample fields as typed, converted like a form's input; problems are listed. */
    private Optional<Map<String, Object>> typedSample(Map<String, Object> base) {
        sampleProblems = new ArrayList<>();
        EntityDefinition entity = entity().orElseThrow();
        String phaseField = selected().orElseThrow().phaseField();
        Map<String, Object> typed = new LinkedHashMap<>(base);
        ValueConverter converter = new ValueConverter();
        sampleInput.forEach((name, text) -> {
            Optional<FieldDefinition> field = entity.field(name);
            if (field.isEmpty() || name.equals(phaseField)) {
                return;
            }
            if (text == null || text.isBlank()) {
                typed.remove(name);
                return;
            }
            try {
                typed.put(name, converter.convert(field.get(), text.strip()));
            } catch (InvalidValueException e) {
                sampleProblems.add(ui.text(field.get().label()) + ": " + ui.text(e.text()));
            }
        });
        return sampleProblems.isEmpty() ? Optional.of(typed) : Optional.empty();
    }

    /** The sample's fields as the form shows them again (what the actions and rules set included). */
    private void showSample() {
        if (sample == null) {
            return;
        }
        sampleInput = new LinkedHashMap<>();
        sample.forEach((name, value) -> sampleInput.put(name, value == null ? "" : String.valueOf(value)));
    }

    private void record(ProcessSimulation simulation, ProcessSimulation.Step step) {
        String from = step.trial().from();
        String to = step.trial().to();
        List<String> notRun = new ArrayList<>();
        ProcessDefinition definition = simulation.process();
        if (step.made()) {
            if (from != null) {
                definition.phase(from).ifPresent(p -> p.onLeave().forEach(a -> notRun.add(describe(a))));
            }
            definition.phase(to).ifPresent(p -> {
                p.onEnter().forEach(a -> notRun.add(describe(a)));
                p.timers().forEach(t -> notRun.add(MessageFormat.format(ui.message("designer.processes.timer"),
                        ui.text(t.displayLabel()))));
            });
            notRun.removeIf(String::isEmpty);
        }
        history.add(new SimulatedStep(from == null ? null : phaseLabel(from), phaseLabel(to),
                step.made(), messages(step.trial().problems()), step.made() ? sets(step.trial().sets()) : "",
                String.join("; ", notRun)));
    }

    /** What an action other than setting fields would do: the simulation does not run it. */
    private String describe(ProcessAction action) {
        if (action instanceof ProcessAction.CreateTodo t) {
            return MessageFormat.format(ui.message("designer.processes.do.todo"), ui.text(t.subject()));
        } else if (action instanceof ProcessAction.SendMail m) {
            return MessageFormat.format(ui.message("designer.processes.do.mail"), m.template());
        } else if (action instanceof ProcessAction.UpdateReferenced u) {
            return MessageFormat.format(ui.message("designer.processes.do.update"), fieldLabel(u.reference()));
        } else if (action instanceof ProcessAction.CreateRecord c) {
            return MessageFormat.format(ui.message("designer.processes.do.create"),
                    draft.model().entity(c.entity()).map(ui::label).orElse(c.entity()));
        } else if (action instanceof ProcessAction.CallWebhook w) {
            return MessageFormat.format(ui.message("designer.processes.do.webhook"), w.url());
        } else if (action instanceof ProcessAction.CallExtension x) {
            return MessageFormat.format(ui.message("designer.processes.do.extension"), x.name());
        } else if (action instanceof ProcessAction.CallIntegration i) {
            return MessageFormat.format(ui.message("designer.processes.do.integration"), i.name());
        } else if (action instanceof ProcessAction.MovePhase m) {
            return MessageFormat.format(ui.message("designer.processes.do.move"), phaseLabel(m.phase()));
        }
        return ""; // set-field actions: their values are shown with the step
    }

    private List<String> messages(List<FieldError> problems) {
        return problems.stream().map(p -> (p.field() == null ? "" : fieldLabel(p.field()) + ": ")
                + (p.text() != null ? ui.text(p.text()) : p.message())).toList();
    }

    private String sets(Map<String, Object> sets) {
        List<String> parts = new ArrayList<>();
        sets.forEach((field, value) -> parts.add(fieldLabel(field) + " = " + value));
        return String.join(", ", parts);
    }

    // ---- files ----

    private ProcessDesign design() {
        String path = ProcessDesign.path(process);
        String text = draft.content(path);
        if (text == null) {
            throw new IllegalStateException("The site has no file " + path);
        }
        try {
            return ProcessDesign.of(process, text);
        } catch (MetadataException e) {
            throw new IllegalStateException("The site file " + path + " cannot be read: " + e.getMessage(), e);
        }
    }

    private EntityDesign entityDesign(EntityDefinition entity) {
        boolean site = draft.ownedBySite(entity.location());
        String path = (site ? "entities/" : "extensions/") + entity.name() + ".yaml";
        try {
            return EntityDesign.of(entity, site, draft.content(path));
        } catch (MetadataException e) {
            throw new IllegalStateException("The site file " + path + " cannot be read: " + e.getMessage(), e);
        }
    }

    private void save(ProcessDesign design) {
        draft.change(design.path(), design.yaml());
        said(design.path());
    }

    private void said(String path) {
        if (getProblems().isEmpty()) {
            say(FacesMessage.SEVERITY_INFO, MessageFormat.format(ui.message("designer.savedToDraft"), path));
        } else {
            say(FacesMessage.SEVERITY_WARN, MessageFormat.format(ui.message("designer.draftHasProblems"), getProblems().size()));
        }
    }

    private static void say(FacesMessage.Severity severity, String text) {
        DesignerDraft.say(severity, text);
    }

    // ---- form values ----

    public String getProcess() { return process; }
    public void setProcess(String process) { this.process = process; }
    public String getNewName() { return newName; }
    public void setNewName(String newName) { this.newName = newName; }
    public String getNewEntity() { return newEntity; }
    public void setNewEntity(String newEntity) { this.newEntity = newEntity; }
    public String getNewPhaseField() { return newPhaseField; }
    public void setNewPhaseField(String newPhaseField) { this.newPhaseField = newPhaseField; }
    public String getNewDe() { return newDe; }
    public void setNewDe(String newDe) { this.newDe = newDe; }
    public String getNewEn() { return newEn; }
    public void setNewEn(String newEn) { this.newEn = newEn; }
    public String getEditingPhase() { return editingPhase; }
    public String getPhaseDe() { return phaseDe; }
    public void setPhaseDe(String phaseDe) { this.phaseDe = phaseDe; }
    public String getPhaseEn() { return phaseEn; }
    public void setPhaseEn(String phaseEn) { this.phaseEn = phaseEn; }
    public String getPhaseOutcome() { return phaseOutcome; }
    public void setPhaseOutcome(String phaseOutcome) { this.phaseOutcome = phaseOutcome; }
    public List<String> getPhaseRequires() { return phaseRequires; }
    public void setPhaseRequires(List<String> phaseRequires) { this.phaseRequires = phaseRequires == null ? new ArrayList<>() : new ArrayList<>(phaseRequires); }
    public String getPhaseReason() { return phaseReason; }
    public void setPhaseReason(String phaseReason) { this.phaseReason = phaseReason; }
    public String getPhaseActions() { return phaseActions; }
    public void setPhaseActions(String phaseActions) { this.phaseActions = phaseActions; }
    public String getAddedPhase() { return addedPhase; }
    public void setAddedPhase(String addedPhase) { this.addedPhase = addedPhase; }
    public String getAddedDe() { return addedDe; }
    public void setAddedDe(String addedDe) { this.addedDe = addedDe; }
    public String getAddedEn() { return addedEn; }
    public void setAddedEn(String addedEn) { this.addedEn = addedEn; }
    public String getAddedOutcome() { return addedOutcome; }
    public void setAddedOutcome(String addedOutcome) { this.addedOutcome = addedOutcome; }
    public String getAddedFrom() { return addedFrom; }
    public void setAddedFrom(String addedFrom) { this.addedFrom = addedFrom; }
    public String getFileText() { return fileText; }
    public void setFileText(String fileText) { this.fileText = fileText; }
    public boolean isEditingFile() { return fileText != null; }
    public Integer getEditingTransition() { return editingTransition; }
    public List<String> getTransitionFrom() { return transitionFrom; }
    public void setTransitionFrom(List<String> transitionFrom) { this.transitionFrom = transitionFrom == null ? new ArrayList<>() : new ArrayList<>(transitionFrom); }
    public List<String> getTransitionTo() { return transitionTo; }
    public void setTransitionTo(List<String> transitionTo) { this.transitionTo = transitionTo == null ? new ArrayList<>() : new ArrayList<>(transitionTo); }
    public String getTransitionGuard() { return transitionGuard; }
    public void setTransitionGuard(String transitionGuard) { this.transitionGuard = transitionGuard; }
    public String getTransitionWhen() { return transitionWhen; }
    public void setTransitionWhen(String transitionWhen) { this.transitionWhen = transitionWhen; }
    public Map<String, String> getSampleInput() { return sampleInput; }
    public boolean isSimulating() { return sample != null; }
    public List<SimulatedStep> getHistory() { return history; }
    public List<String> getSampleProblems() { return sampleProblems; }
}
