package io.relata.admin;

import io.relata.admin.designer.DialogDesign;
import io.relata.api.model.EntityDefinition;
import io.relata.api.model.FieldDefinition;
import io.relata.api.process.DialogDefinition;
import io.relata.api.process.DialogField;
import io.relata.api.process.DialogStep;
import io.relata.api.record.FieldError;
import io.relata.api.record.RecordException;
import io.relata.metadata.MetadataException;
import io.relata.process.dialog.DialogException;
import io.relata.process.dialog.DialogPreview;
import io.relata.runtime.Platform;
import io.relata.runtime.RequestActor;
import jakarta.annotation.PostConstruct;
import jakarta.faces.application.FacesMessage;
import jakarta.faces.model.SelectItem;
import jakarta.faces.view.ViewScoped;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import java.io.Serializable;
import java.text.MessageFormat;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The dialog designer: the guided dialogs of all layers as the administrator's draft describes them; a dialog of the
 * site is edited here (steps with titles, help, the fields asked, the validation and the branches to the next step;
 * what finishing does), new ones are started on an entity. Any dialog can be previewed: it runs on a record (or a new,
 * empty one) step by step, each step judged as a user's would be, and the finish says what it would write; nothing is
 * saved.
 */
@Named
@ViewScoped
public class DialogDesignerView implements Serializable {

    private static final long serialVersionUID = 1L;

    @Inject
    Platform platform;

    @Inject
    RequestActor me;

    @Inject
    AdminTexts ui;

    @Inject
    DesignerDraft draft;

    private String dialog;

    private String newName;
    private String newEntity;
    private String newDe;
    private String newEn;

    private String editingStep;
    private String stepTitleDe;
    private String stepTitleEn;
    private String stepHelpDe;
    private String stepHelpEn;
    private String stepValidation;
    private String stepFields;
    private String stepFinish;
    private List<BranchRow> stepBranches = new ArrayList<>();

    private String addedStep;
    private String addedDe;
    private String addedEn;

    /** The dialog's own finish while edited, null otherwise. */
    private String dialogFinish;
    /** The site's dialog file as text while edited as YAML, null otherwise. */
    private String fileText;

    private String previewRecord;
    private ArrayList<String> previewPath;
    private LinkedHashMap<String, Object> previewAnswers;
    private boolean previewAtSummary;
    private Long previewRecordId;
    private Map<String, String> previewInput = new LinkedHashMap<>();
    private List<String> previewErrors = new ArrayList<>();

    /** A step in the table. */
    public record StepRow(String name, String title, String fields, String next, boolean first) implements Serializable {
    }

    /** A branch as the step form edits it. */
    public static final class BranchRow implements Serializable {
        private static final long serialVersionUID = 1L;
        private String when;
        private String step;

        BranchRow(String when, String step) {
            this.when = when;
            this.step = step;
        }

        public String getWhen() { return when; }
        public void setWhen(String when) { this.when = when; }
        public String getStep() { return step; }
        public void setStep(String step) { this.step = step; }
    }

    /** A field the previewed step asks. */
    public record PreviewField(String name, String label, String help, boolean required) implements Serializable {
    }

    @PostConstruct
    void init() {
        AdminGuard.require(platform, me);
    }

    // ---- choosing ----

    public List<SelectItem> getDialogs() {
        List<SelectItem> items = new ArrayList<>(draft.model().dialogs().values().stream()
                .map(d -> new SelectItem(d.name(), label(d) + " (" + d.name() + ") – " + ui.layer(draft.layerOf(d.source()))))
                .toList());
        if (isBroken()) {
            items.add(new SelectItem(dialog, dialog + " – " + ui.message("designer.layer.site")));
        }
        return items;
    }

    public void chooseDialog() {
        closeEditors();
        resetPreview();
    }

    private void closeEditors() {
        editingStep = null;
        dialogFinish = null;
        fileText = null;
    }

    public void cancelEditing() {
        closeEditors();
    }

    private Optional<DialogDefinition> selected() {
        return dialog == null ? Optional.empty() : draft.model().dialog(dialog);
    }

    private Optional<EntityDefinition> entity() {
        return selected().flatMap(d -> draft.model().entity(d.entity()));
    }

    public boolean isSelected() {
        return selected().isPresent();
    }

    public boolean isEditable() {
        return selected().map(d -> draft.ownedBySite(d.source())).orElse(false);
    }

    /** The site's dialog whose draft does not load: still edited as YAML, with the problems above. */
    public boolean isBroken() {
        return dialog != null && selected().isEmpty() && draft.content(DialogDesign.path(dialog)) != null;
    }

    public String getLayer() {
        return selected().map(d -> ui.layer(draft.layerOf(d.source()))).orElse("");
    }

    public List<String> getProblems() {
        return draft.problems();
    }

    private String label(DialogDefinition definition) {
        return definition.label() == null ? definition.name() : ui.text(definition.label());
    }

    private String stepTitle(String step) {
        if (step == null) {
            return ui.message("designer.dialogs.summary");
        }
        return selected().flatMap(d -> d.step(step)).map(s -> s.title() == null ? s.name() : ui.text(s.title())).orElse(step);
    }

    // ---- steps ----

    public List<StepRow> getSteps() {
        Optional<DialogDefinition> chosen = selected();
        if (chosen.isEmpty()) {
            return List.of();
        }
        List<StepRow> rows = new ArrayList<>();
        for (DialogStep step : chosen.get().steps()) {
            String fields = String.join(", ", step.fields().stream().map(f -> ui.text(f.definition().label())).toList());
            List<String> next = new ArrayList<>();
            for (DialogStep.DialogBranch branch : step.next()) {
                next.add((branch.when() == null ? "" : MessageFormat.format(ui.message("designer.dialogs.when"),
                        branch.when().source()) + " ") + "→ " + stepTitle(branch.step()));
            }
            if (step.next().isEmpty()) {
                next.add("→ " + stepTitle(null));
            }
            rows.add(new StepRow(step.name(), stepTitle(step.name()), fields, String.join("; ", next),
                    step == chosen.get().firstStep()));
        }
        return rows;
    }

    /** The steps a branch may lead to, and the summary. */
    public List<SelectItem> getStepChoices() {
        List<SelectItem> items = new ArrayList<>();
        items.add(new SelectItem("", ui.message("designer.dialogs.summary")));
        selected().ifPresent(d -> d.steps().forEach(s -> items.add(new SelectItem(s.name(), stepTitle(s.name())))));
        return items;
    }

    public void editStep(String step) {
        closeEditors();
        Optional<DialogStep> definition = selected().flatMap(d -> d.step(step));
        if (definition.isEmpty()) {
            return;
        }
        DialogStep s = definition.get();
        editingStep = step;
        stepTitleDe = s.title() == null ? "" : s.title().values().getOrDefault("de", "");
        stepTitleEn = s.title() == null ? "" : s.title().values().getOrDefault("en", "");
        stepHelpDe = s.help() == null ? "" : s.help().values().getOrDefault("de", "");
        stepHelpEn = s.help() == null ? "" : s.help().values().getOrDefault("en", "");
        stepValidation = s.validation() == null ? "" : s.validation().source();
        DialogDesign design = isEditable() ? design() : null;
        stepFields = design == null ? "" : design.fieldsYaml(step);
        stepFinish = design == null ? "" : design.finishYaml(step);
        stepBranches = new ArrayList<>();
        if (design != null) {
            design.branches(step).forEach(b -> stepBranches.add(new BranchRow(b.when(), b.step() == null ? "" : b.step())));
        }
    }

    public void addBranch() {
        stepBranches.add(new BranchRow(null, ""));
    }

    public void removeBranch(int index) {
        if (index >= 0 && index < stepBranches.size()) {
            stepBranches.remove(index);
        }
    }

    public void saveStep() {
        if (editingStep == null || !isEditable()) {
            return;
        }
        DialogDesign design = design();
        design.setStep(editingStep, stepTitleDe, stepTitleEn, stepHelpDe, stepHelpEn, stepValidation);
        design.setBranches(editingStep, stepBranches.stream()
                .map(b -> new DialogDesign.Branch(b.getWhen(), b.getStep() == null || b.getStep().isBlank() ? null : b.getStep()))
                .toList());
        try {
            design.setFields(editingStep, stepFields);
            design.setFinish(editingStep, stepFinish);
        } catch (MetadataException e) {
            e.problems().forEach(p -> say(FacesMessage.SEVERITY_ERROR, p.toString()));
            return;
        } catch (IllegalArgumentException e) {
            say(FacesMessage.SEVERITY_ERROR, ui.message("designer.dialogs.fieldsList"));
            return;
        }
        save(design);
        editingStep = null;
    }

    public void addStep() {
        if (!isEditable()) {
            return;
        }
        if (addedStep == null || !addedStep.matches("[a-z][a-z0-9_]*")) {
            say(FacesMessage.SEVERITY_ERROR, ui.message("designer.badName"));
            return;
        }
        DialogDesign design = design();
        if (design.hasStep(addedStep)) {
            say(FacesMessage.SEVERITY_ERROR, MessageFormat.format(ui.message("designer.dialogs.stepExists"), addedStep));
            return;
        }
        design.addStep(addedStep, blankTo(addedDe, addedStep), blankTo(addedEn, addedStep));
        String added = addedStep;
        save(design);
        addedStep = null;
        addedDe = null;
        addedEn = null;
        if (selected().flatMap(d -> d.step(added)).isPresent()) {
            editStep(added);
        }
    }

    private static String blankTo(String text, String fallback) {
        return text == null || text.isBlank() ? fallback : text;
    }

    public void moveStep(String step, int delta) {
        if (!isEditable()) {
            return;
        }
        DialogDesign design = design();
        design.moveStep(step, delta);
        save(design);
    }

    public void removeStep(String step) {
        if (!isEditable()) {
            return;
        }
        DialogDesign design = design();
        design.removeStep(step);
        closeEditors();
        save(design);
    }

    public void editDialogFinish() {
        closeEditors();
        dialogFinish = isEditable() ? design().finishYaml(null) : "";
    }

    public void saveDialogFinish() {
        if (dialogFinish == null || !isEditable()) {
            return;
        }
        DialogDesign design = design();
        try {
            design.setFinish(null, dialogFinish);
        } catch (MetadataException e) {
            e.problems().forEach(p -> say(FacesMessage.SEVERITY_ERROR, p.toString()));
            return;
        }
        save(design);
        dialogFinish = null;
    }

    // ---- the file ----

    public void editFile() {
        closeEditors();
        fileText = draft.content(DialogDesign.path(dialog));
    }

    public void saveFile() {
        if (fileText == null || dialog == null || draft.content(DialogDesign.path(dialog)) == null) {
            return;
        }
        String path = DialogDesign.path(dialog);
        draft.change(path, fileText.endsWith("\n") ? fileText : fileText + "\n");
        fileText = null;
        said(path);
    }

    /** Customises a dialog of the core or a plugin for this site: a copy that replaces it goes into the draft. */
    public void customise() {
        Optional<DialogDefinition> chosen = selected();
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
        String path = DialogDesign.path(chosen.get().name());
        try {
            draft.change(path, DialogDesign.replacing(chosen.get().name(), original));
        } catch (MetadataException e) {
            e.problems().forEach(p -> say(FacesMessage.SEVERITY_ERROR, p.toString()));
            return;
        }
        closeEditors();
        said(path);
    }

    // ---- a new dialog ----

    public List<SelectItem> getEntities() {
        return draft.entityChoices(ui);
    }

    public void createDialog() {
        if (newName == null || !newName.matches("[a-z][a-z0-9_]*")) {
            say(FacesMessage.SEVERITY_ERROR, ui.message("designer.badName"));
            return;
        }
        if (draft.model().dialog(newName).isPresent()) {
            say(FacesMessage.SEVERITY_ERROR, MessageFormat.format(ui.message("designer.dialogs.exists"), newName));
            return;
        }
        Optional<EntityDefinition> entity = draft.model().entity(newEntity == null ? "" : newEntity);
        if (entity.isEmpty() || entity.get().fields().isEmpty()) {
            say(FacesMessage.SEVERITY_ERROR, ui.message("designer.dialogs.needsEntity"));
            return;
        }
        String path = DialogDesign.path(newName);
        draft.change(path, DialogDesign.newDialog(newName, newEntity, newDe, blankTo(newEn, newName),
                entity.get().fields().get(0).name()));
        dialog = newName;
        newName = null;
        newEntity = null;
        newDe = null;
        newEn = null;
        chooseDialog();
        said(path);
    }

    // ---- preview ----

    /** Starts the dialog on the record typed (its number), or on a new, empty one. */
    public void startPreview() {
        previewErrors = new ArrayList<>();
        Long id = null;
        if (previewRecord != null && !previewRecord.isBlank()) {
            try {
                id = Long.parseLong(previewRecord.strip().replace("#", ""));
            } catch (NumberFormatException e) {
                previewErrors.add(ui.message("designer.dialogs.recordNumber"));
                return;
            }
        }
        previewRecordId = id;
        Optional<DialogPreview> preview = preview(false);
        preview.ifPresent(this::keep);
    }

    public void previewNext() {
        Optional<DialogPreview> preview = preview(true);
        if (preview.isEmpty() || preview.get().atSummary()) {
            return;
        }
        DialogStep step = preview.get().definition().step(preview.get().step()).orElseThrow();
        Map<String, Object> raw = new LinkedHashMap<>();
        for (DialogField field : step.fields()) {
            String text = previewInput.get(field.name());
            raw.put(field.name(), text == null || text.isBlank() ? null : text.strip());
        }
        List<FieldError> errors = preview.get().submit(raw);
        previewErrors = messages(errors, step);
        if (errors.isEmpty()) {
            keep(preview.get());
        }
    }

    public void previewBack() {
        preview(true).ifPresent(p -> {
            p.back();
            previewErrors = new ArrayList<>();
            keep(p);
        });
    }

    public void resetPreview() {
        previewPath = null;
        previewAnswers = null;
        previewAtSummary = false;
        previewErrors = new ArrayList<>();
        previewInput = new LinkedHashMap<>();
    }

    public boolean isPreviewing() {
        return previewPath != null;
    }

    private Optional<DialogPreview> preview(boolean restore) {
        if (selected().isEmpty()) {
            return Optional.empty();
        }
        try {
            DialogPreview preview = platform.dialogs().preview(draft.model(), dialog, previewRecordId, me.actor());
            if (restore && previewPath != null) {
                preview.restore(previewPath, previewAnswers, previewAtSummary);
            }
            return Optional.of(preview);
        } catch (DialogException e) {
            previewErrors = new ArrayList<>(List.of(e.message(me.actor().language())));
        } catch (RecordException e) {
            previewErrors = new ArrayList<>(List.of(MessageFormat.format(ui.message("designer.dialogs.noRecord"),
                    previewRecordId)));
        }
        return Optional.empty();
    }

    private void keep(DialogPreview preview) {
        previewPath = new ArrayList<>(preview.path());
        previewAnswers = new LinkedHashMap<>(preview.answers());
        previewAtSummary = preview.atSummary();
        previewInput = new LinkedHashMap<>();
        preview.answers().forEach((name, value) -> previewInput.put(name, value == null ? "" : String.valueOf(value)));
    }

    public String getPreviewStep() {
        return isPreviewing() ? (previewAtSummary ? stepTitle(null) : stepTitle(previewPath.get(previewPath.size() - 1))) : null;
    }

    public boolean isPreviewAtSummary() {
        return previewAtSummary;
    }

    public List<PreviewField> getPreviewFields() {
        if (!isPreviewing() || previewAtSummary) {
            return List.of();
        }
        return selected().flatMap(d -> d.step(previewPath.get(previewPath.size() - 1)))
                .map(step -> step.fields().stream().map(f -> new PreviewField(f.name(), ui.text(f.definition().label()),
                        f.definition().help() == null ? "" : ui.text(f.definition().help()), f.definition().required()))
                        .toList()).orElse(List.of());
    }

    /** At the summary: what finishing would write, line by line. */
    public List<String> getPreviewFinish() {
        if (!isPreviewing() || !previewAtSummary) {
            return List.of();
        }
        Optional<DialogPreview> preview = preview(true);
        if (preview.isEmpty()) {
            return List.of();
        }
        DialogPreview.Finish finish = preview.get().finish(me.actor().language());
        List<String> lines = new ArrayList<>();
        EntityDefinition entity = entity().orElseThrow();
        finish.changes().forEach((field, value) -> lines.add(MessageFormat.format(ui.message("designer.dialogs.wouldSet"),
                fieldLabel(entity, field), shown(entity, field, value))));
        for (DialogPreview.Created created : finish.creates()) {
            EntityDefinition target = draft.model().entity(created.entity()).orElse(null);
            List<String> values = new ArrayList<>();
            created.values().forEach((field, value) -> values.add(fieldLabel(target, field) + " = " + shown(target, field, value)));
            lines.add(MessageFormat.format(ui.message("designer.dialogs.wouldCreate"),
                    target == null ? created.entity() : ui.label(target), String.join(", ", values)));
        }
        if (finish.movePhase() != null) {
            String phase = draft.model().processesOf(entity.name()).stream()
                    .filter(p -> p.phase(finish.movePhase()).isPresent()).findFirst()
                    .map(p -> ui.text(p.phaseLabel(entity, finish.movePhase()))).orElse(finish.movePhase());
            lines.add(MessageFormat.format(ui.message("designer.dialogs.wouldMove"), phase));
        }
        if (lines.isEmpty()) {
            lines.add(ui.message("designer.dialogs.wouldNothing"));
        }
        return lines;
    }

    /** A value as people read it: a choice by its label, yes/no in words, a link to the previewed record as such. */
    private String shown(EntityDefinition entity, String field, Object value) {
        if (value == null) {
            return "–";
        }
        if (value instanceof Boolean yes) {
            return ui.message(yes ? "common.yes" : "common.no");
        }
        if (value instanceof io.relata.api.record.RecordLink link && link.id() == 0) {
            return ui.message("designer.dialogs.thisRecord");
        }
        Optional<FieldDefinition> definition = entity == null ? Optional.empty() : entity.field(field);
        if (definition.isPresent() && !definition.get().options().isEmpty()) {
            return definition.get().option(String.valueOf(value)).map(o -> ui.text(o.label())).orElse(String.valueOf(value));
        }
        return value instanceof java.math.BigDecimal number ? number.toPlainString() : String.valueOf(value);
    }

    private String fieldLabel(EntityDefinition entity, String field) {
        return entity == null ? field : entity.field(field).map(FieldDefinition::label).map(ui::text).orElse(field);
    }

    private List<String> messages(List<FieldError> errors, DialogStep step) {
        List<String> messages = new ArrayList<>();
        for (FieldError error : errors) {
            String label = error.field() == null ? "" : step.fields().stream().filter(f -> f.name().equals(error.field()))
                    .findFirst().map(f -> ui.text(f.definition().label()) + ": ").orElse(error.field() + ": ");
            messages.add(label + (error.text() != null ? ui.text(error.text()) : error.message()));
        }
        return messages;
    }

    // ---- files ----

    private DialogDesign design() {
        String path = DialogDesign.path(dialog);
        String text = draft.content(path);
        if (text == null) {
            throw new IllegalStateException("The site has no file " + path);
        }
        try {
            return DialogDesign.of(dialog, text);
        } catch (MetadataException e) {
            throw new IllegalStateException("The site file " + path + " cannot be read: " + e.getMessage(), e);
        }
    }

    private void save(DialogDesign design) {
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

    public String getDialog() { return dialog; }
    public void setDialog(String dialog) { this.dialog = dialog; }
    public String getNewName() { return newName; }
    public void setNewName(String newName) { this.newName = newName; }
    public String getNewEntity() { return newEntity; }
    public void setNewEntity(String newEntity) { this.newEntity = newEntity; }
    public String getNewDe() { return newDe; }
    public void setNewDe(String newDe) { this.newDe = newDe; }
    public String getNewEn() { return newEn; }
    public void setNewEn(String newEn) { this.newEn = newEn; }
    public String getEditingStep() { return editingStep; }
    public String getStepTitleDe() { return stepTitleDe; }
    public void setStepTitleDe(String stepTitleDe) { this.stepTitleDe = stepTitleDe; }
    public String getStepTitleEn() { return stepTitleEn; }
    public void setStepTitleEn(String stepTitleEn) { this.stepTitleEn = stepTitleEn; }
    public String getStepHelpDe() { return stepHelpDe; }
    public void setStepHelpDe(String stepHelpDe) { this.stepHelpDe = stepHelpDe; }
    public String getStepHelpEn() { return stepHelpEn; }
    public void setStepHelpEn(String stepHelpEn) { this.stepHelpEn = stepHelpEn; }
    public String getStepValidation() { return stepValidation; }
    public void setStepValidation(String stepValidation) { this.stepValidation = stepValidation; }
    public String getStepFields() { return stepFields; }
    public void setStepFields(String stepFields) { this.stepFields = stepFields; }
    public String getStepFinish() { return stepFinish; }
    public void setStepFinish(String stepFinish) { this.stepFinish = stepFinish; }
    public List<BranchRow> getStepBranches() { return stepBranches; }
    public String getAddedStep() { return addedStep; }
    public void setAddedStep(String addedStep) { this.addedStep = addedStep; }
    public String getAddedDe() { return addedDe; }
    public void setAddedDe(String addedDe) { this.addedDe = addedDe; }
    public String getAddedEn() { return addedEn; }
    public void setAddedEn(String addedEn) { this.addedEn = addedEn; }
    public String getDialogFinish() { return dialogFinish; }
    public void setDialogFinish(String dialogFinish) { this.dialogFinish = dialogFinish; }
    public boolean isEditingDialogFinish() { return dialogFinish != null; }
    public String getFileText() { return fileText; }
    public void setFileText(String fileText) { this.fileText = fileText; }
    public boolean isEditingFile() { return fileText != null; }
    public String getPreviewRecord() { return previewRecord; }
    public void setPreviewRecord(String previewRecord) { this.previewRecord = previewRecord; }
    public Map<String, String> getPreviewInput() { return previewInput; }
    public List<String> getPreviewErrors() { return previewErrors; }
}
