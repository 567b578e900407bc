package io.relata.admin;

import io.relata.admin.designer.RuleDesign;
import io.relata.api.model.EntityDefinition;
import io.relata.api.model.SourceLocation;
import io.relata.api.rules.RuleDefinition;
import io.relata.api.rules.RuleKind;
import io.relata.metadata.MetadataException;
import io.relata.metadata.MetadataProblem;
import io.relata.runtime.MetadataRuntime;
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
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The rule editor: an entity's rules (validations and scores of the entity, computed values, defaults and conditions
 * of its fields) with their layer; a rule of the site is edited in a code editor next to the entity's examples, which
 * run before anything is saved, each shown as passed or failed, and a script's problem is marked at its line and
 * column in the editor. Rules of the core or a plugin are shown, and the site may add its own next to them.
 */
@Named
@ViewScoped
public class RuleDesignerView implements Serializable {

    private static final long serialVersionUID = 1L;

    @Inject
    Platform platform;

    @Inject
    RequestActor me;

    @Inject
    AdminTexts ui;

    @Inject
    DesignerDraft draft;

    private String entity;
    private String editing;
    private boolean fieldRule;
    private String name;
    private String kind = RuleKind.VALIDATION.yamlName();
    private String field;
    private String script;
    private String examples;
    private Run run;

    /** A rule in the list. */
    public record RuleRow(String name, String kind, String field, String layer, boolean editable, String source)
            implements Serializable {
    }

    /** What the last run found: problems (with the editor's line where they are in the script) and each example. */
    public record Run(List<String> problems, List<ExampleRow> examples, int errorLine, int errorColumn, boolean passed)
            implements Serializable {
    }

    /** One example's outcome. */
    public record ExampleRow(String name, boolean passed, List<String> messages) implements Serializable {
    }

    @PostConstruct
    void init() {
        AdminGuard.require(platform, me);
    }

    public List<SelectItem> getEntities() {
        return draft.entityChoices(ui);
    }

    public void chooseEntity() {
        editing = null;
        run = null;
        Optional<EntityDefinition> chosen = selected();
        examples = chosen.map(e -> design(e).examplesYaml()).orElse("");
    }

    private Optional<EntityDefinition> selected() {
        return entity == null ? Optional.empty() : draft.model().entity(entity);
    }

    private boolean ownedBySite(EntityDefinition definition) {
        return draft.ownedBySite(definition.location());
    }

    private String path(EntityDefinition definition) {
        return (ownedBySite(definition) ? "entities/" : "extensions/") + definition.name() + ".yaml";
    }

    private RuleDesign design(EntityDefinition definition) {
        try {
            return RuleDesign.of(definition, ownedBySite(definition), draft.content(path(definition)));
        } catch (MetadataException e) {
            throw new IllegalStateException("The site file " + path(definition) + " cannot be read: " + e.getMessage(), e);
        }
    }

    public List<RuleRow> getRules() {
        Optional<EntityDefinition> chosen = selected();
        if (chosen.isEmpty()) {
            return List.of();
        }
        RuleDesign design = design(chosen.get());
        List<RuleRow> rows = new ArrayList<>();
        for (RuleDefinition rule : chosen.get().rules()) {
            boolean onField = RuleDesign.FIELD_KINDS.contains(rule.kind());
            boolean editable = onField ? design.definesField(rule.field()) : design.definesEntityRule(rule.name());
            rows.add(new RuleRow(rule.name(), rule.kind().yamlName(), rule.field(),
                    draft.layerOf(rule.start()), editable, rule.source()));
        }
        return rows;
    }

    /** Opens a rule in the editor (read only if an earlier layer defines it). */
    public void edit(String ruleName) {
        selected().flatMap(e -> e.rules().stream().filter(r -> r.name().equals(ruleName)).findFirst()).ifPresent(rule -> {
            editing = rule.name();
            fieldRule = RuleDesign.FIELD_KINDS.contains(rule.kind());
            name = fieldRule ? rule.field() : rule.name();
            kind = rule.kind().yamlName();
            field = rule.field();
            script = rule.source();
            run = null;
        });
    }

    public void newRule() {
        editing = "";
        fieldRule = false;
        name = null;
        kind = RuleKind.VALIDATION.yamlName();
        field = null;
        script = "";
        run = null;
    }

    /** A rule on a field the site defines (a computed value, a default, a condition). */
    public void newFieldRule() {
        newRule();
        fieldRule = true;
        kind = RuleKind.COMPUTED.yamlName();
    }

    /** The file as it would be with the rule and examples of the form. */
    private Optional<RuleDesign> edited() {
        Optional<EntityDefinition> chosen = selected();
        if (chosen.isEmpty() || name == null || name.isBlank()) {
            DesignerDraft.say(FacesMessage.SEVERITY_ERROR, ui.message("designer.rules.nameMissing"));
            return Optional.empty();
        }
        RuleDesign design = design(chosen.get());
        RuleKind ruleKind = RuleKind.fromYamlName(kind).orElse(RuleKind.VALIDATION);
        try {
            if (fieldRule) {
                if (!design.definesField(name)) {
                    DesignerDraft.say(FacesMessage.SEVERITY_ERROR, ui.message("designer.rules.fieldNotSite"));
                    return Optional.empty();
                }
                design.setFieldRule(name, ruleKind, script);
            } else {
                boolean taken = chosen.get().rules().stream().anyMatch(r -> r.name().equals(name.strip()));
                if (taken && !name.strip().equals(editing)) {
                    // a new or renamed rule must not replace another one of the same name
                    DesignerDraft.say(FacesMessage.SEVERITY_ERROR, MessageFormat.format(ui.message("designer.rules.nameTaken"),
                            name.strip()));
                    return Optional.empty();
                }
                if (editing != null && !editing.isEmpty() && !editing.equals(name)) {
                    design.removeEntityRule(editing);
                }
                design.setEntityRule(name.strip(), ruleKind, script, field);
            }
            design.setExamples(examples);
        } catch (MetadataException e) {
            run = new Run(describe(e.problems()), List.of(), 0, 0, false);
            return Optional.empty();
        }
        return Optional.of(design);
    }

    /** Runs the entity's examples with the rule as it is in the editor; saves nothing. */
    public void runExamples() {
        Optional<RuleDesign> design = edited();
        if (design.isEmpty()) {
            return;
        }
        MetadataRuntime.Trial trial = draft.publisher().preview(draft.admin(), Map.of(design.get().path(), design.get().yaml()));
        String text = design.get().yaml();
        if (!trial.loads()) {
            run = located(trial.problems(), null, text, List.of(), false);
            return;
        }
        EntityDefinition definition = trial.model().entity(entity).orElseThrow();
        MetadataRuntime.RuleRun result = platform.metadata().tryRules(definition);
        List<ExampleRow> rows = result.examples().stream()
                .map(e -> new ExampleRow(e.name(), e.passed(), e.problems().stream().map(MetadataProblem::message).toList()))
                .toList();
        run = located(result.problems(), trial.model(), text, rows, result.allPassed());
        if (run.errorLine() > 0) {
            org.primefaces.PrimeFaces.current().executeScript(
                    "relataMarkScriptError(" + run.errorLine() + ", " + run.errorColumn() + ");");
        }
        DesignerDraft.say(run.passed() ? FacesMessage.SEVERITY_INFO : FacesMessage.SEVERITY_WARN,
                MessageFormat.format(ui.message(run.passed() ? "designer.rules.passed" : "designer.rules.failed"),
                        rows.stream().filter(ExampleRow::passed).count(), rows.size()));
    }

    /** Problems, and the editor's line and column of the first one that lies in the edited script. */
    private Run located(List<MetadataProblem> problems, io.relata.api.model.MetadataModel model, String text,
                        List<ExampleRow> rows, boolean passed) {
        List<String> lines = text.lines().toList();
        List<String> scriptLines = script == null ? List.of() : script.lines().toList();
        int line = 0;
        int column = 0;
        Optional<SourceLocation> start = model == null ? Optional.empty() : model.entity(entity)
                .flatMap(e -> e.rules().stream().filter(r -> r.name().equals(ruleName())).findFirst())
                .map(RuleDefinition::start);
        for (MetadataProblem problem : problems) {
            if (start.isPresent() && problem.file().equals(start.get().file()) && problem.line() >= start.get().line()) {
                // the rule starts at its script's first line
                line = problem.line() - start.get().line() + 1;
                // the file indents the block: the editor's column is the file's less that indentation
                int indentation = line - 1 < scriptLines.size() && problem.line() - 1 < lines.size()
                        ? lines.get(problem.line() - 1).length() - scriptLines.get(line - 1).length() : 0;
                column = Math.max(1, problem.column() - Math.max(0, indentation));
                break;
            }
        }
        return new Run(describe(problems), rows, line, column, passed);
    }

    private String ruleName() {
        return fieldRule ? name + "." + kind : name;
    }

    private static List<String> describe(List<MetadataProblem> problems) {
        return io.relata.runtime.MetadataPublisher.describe(problems);
    }

    /** Puts the rule and the examples into the draft. */
    public void save() {
        Optional<RuleDesign> design = edited();
        if (design.isEmpty()) {
            return;
        }
        draft.change(design.get().path(), design.get().yaml());
        editing = fieldRule ? name + "." + kind : name;
        DesignerDraft.say(FacesMessage.SEVERITY_INFO, MessageFormat.format(ui.message("designer.savedToDraft"),
                design.get().path()));
    }

    public void remove(String ruleName) {
        selected().ifPresent(definition -> {
            RuleDesign design = design(definition);
            if (!design.definesEntityRule(ruleName)) {
                DesignerDraft.say(FacesMessage.SEVERITY_ERROR, ui.message("designer.rules.notRemovable"));
                return;
            }
            design.removeEntityRule(ruleName);
            draft.change(design.path(), design.yaml());
            editing = null;
            DesignerDraft.say(FacesMessage.SEVERITY_INFO, MessageFormat.format(ui.message("designer.savedToDraft"),
                    design.path()));
        });
    }

    public boolean isEditable() {
        if (editing == null) {
            return false;
        }
        if (editing.isEmpty()) {
            return true;
        }
        return getRules().stream().anyMatch(r -> r.name().equals(editing) && r.editable());
    }

    public List<SelectItem> getKinds() {
        return (fieldRule ? RuleDesign.FIELD_KINDS : RuleDesign.ENTITY_KINDS).stream()
                .map(k -> new SelectItem(k.yamlName(), ui.message("designer.rules.kind." + k.yamlName())))
                .toList();
    }

    public String kindLabel(String yamlName) {
        return ui.message("designer.rules.kind." + yamlName);
    }

    public List<SelectItem> getFields() {
        return selected().map(e -> e.fields().stream()
                .map(f -> new SelectItem(f.name(), ui.text(f.label()) + " (" + f.name() + ")"))
                .toList()).orElse(List.of());
    }

    public String layerLabel(String layer) {
        return ui.layer(layer);
    }

    public List<String> getProblems() {
        return draft.problems();
    }

    public String getEntity() { return entity; }
    public void setEntity(String entity) { this.entity = entity; }
    public String getEditing() { return editing; }
    public boolean isFieldRule() { return fieldRule; }
    public String getName() { return name; }
    public void setName(String name) { this.name = name; }
    public String getKind() { return kind; }
    public void setKind(String kind) { this.kind = kind; }
    public String getField() { return field; }
    public void setField(String field) { this.field = field; }
    public String getScript() { return script; }
    public void setScript(String script) { this.script = script; }
    public String getExamples() { return examples; }
    public void setExamples(String examples) { this.examples = examples; }
    public Run getRun() { return run; }
}
