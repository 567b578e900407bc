package io.relata.web.ui;

import io.relata.api.model.EntityDefinition;
import io.relata.api.model.FieldDefinition;
import io.relata.api.model.FieldType;
import io.relata.api.model.ReverseReference;
import io.relata.api.record.ConcurrentUpdateException;
import io.relata.api.record.FieldError;
import io.relata.api.record.Filter;
import io.relata.api.record.FilterOperator;
import io.relata.api.record.Record;
import io.relata.api.record.RecordException;
import io.relata.api.record.RecordLink;
import io.relata.api.record.RecordQuery;
import io.relata.api.record.Sort;
import io.relata.api.record.ValidationException;
import io.relata.runtime.Platform;
import io.relata.api.rules.RuleDefinition;
import io.relata.api.rules.RuleKind;
import io.relata.api.rules.RuleOutcome;
import io.relata.api.process.PhaseDefinition;
import io.relata.api.process.ProcessAction;
import io.relata.api.process.ProcessDefinition;
import io.relata.api.security.FieldAccess;
import io.relata.store.AutomaticChange;
import io.relata.store.SecuredRecordStore;
import io.relata.store.WritePreview;
import io.relata.store.access.AccessPolicy;
import io.relata.store.access.Operation;
import io.relata.runtime.AuditLog;
import io.relata.web.security.CurrentActor;
import jakarta.annotation.PostConstruct;
import jakarta.faces.application.FacesMessage;
import jakarta.faces.context.FacesContext;
import jakarta.faces.view.ViewScoped;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The record page: a form generated from the entity's fields (create when there is no id, edit
 * otherwise) and, for a stored record, the lists of records that refer to it.
 */
@Named
@ViewScoped
public class RecordView implements Serializable {

    private static final long serialVersionUID = 1L;
    private static final int REVERSE_LIST_SIZE = 10;
    private static final int REVERSE_LIST_COLUMNS = 4;

    @Inject
    Platform platform;

    @Inject
    UiText ui;

    @Inject
    CurrentActor me;

    private String entityName;
    /** The stored record as this user may read it (hidden fields absent); null for a new one. */
    private transient Record shown;
    private transient List<PluginPanel> pluginPanels;
    private Long id;
    private long version;
    private String title;
    private final Map<String, FieldInput> inputs = new LinkedHashMap<>();
    private final Map<String, String> errors = new LinkedHashMap<>();
    /** The values as loaded, so that a save sends only what the user changed. */
    private final Map<String, Object> originals = new LinkedHashMap<>();
    private final Map<String, FieldAccess> fieldAccess = new LinkedHashMap<>();
    private boolean writable;
    private boolean deletable;
    /** Fields whose values only rules write (computed, score and its reasons). */
    private final java.util.Set<String> ruleOwned = new java.util.HashSet<>();
    /** Fields whose state or value rules decide, refreshed as the user types. */
    private final java.util.Set<String> ruleDependent = new java.util.HashSet<>();
    /**
     * Fields the form shows as a process will set them on save (value as shown): the user did not type them,
     * so they are not sent, and they go back when the process would no longer set them.
     */
    private final Map<String, Object> previewed = new LinkedHashMap<>();
    /** Which process sets each previewed field. */
    private final Map<String, String> previewedBy = new LinkedHashMap<>();
    private transient WritePreview preview;
    // Page sections read once per view: ui:repeat evaluates its value several times per render, and a
    // successful save or delete redirects to a new view.
    private transient List<ReverseSection> reverseSections;
    private transient List<TabView> tabs;
    private transient java.util.Optional<io.relata.api.model.FormLayout> layout;
    private transient List<HistoryLine> history;
    private transient List<String> accessReasons;

    @PostConstruct
    void init() {
        entityName = Pages.requiredEntityParameter(platform);
        EntityDefinition entity = getEntity();
        AccessPolicy access = platform.access(me.actor());
        if (!access.canRead(entityName)) {
            throw new Pages.PageNotFoundException("No entity '" + entityName + "' for " + me.getUsername());
        }
        for (FieldDefinition field : entity.fields()) {
            FieldAccess fieldRight = access.fieldAccess(entityName, field.name());
            if (fieldRight != FieldAccess.HIDDEN) {
                fieldAccess.put(field.name(), fieldRight);
                inputs.put(field.name(), new FieldInput(field));
            }
        }
        inputs.values().forEach(input -> input.narrowWithin(inputs));
        entity.fields().stream().filter(f -> f.autoNumber() != null).forEach(f -> ruleOwned.add(f.name()));
        for (RuleDefinition rule : entity.rules()) {
            if (rule.kind() == RuleKind.COMPUTED || rule.kind() == RuleKind.SCORE) {
                ruleOwned.add(rule.field());
                if (rule.reasonsField() != null) {
                    ruleOwned.add(rule.reasonsField());
                }
            }
            if (rule.field() != null && rule.kind() != RuleKind.DEFAULT) {
                ruleDependent.add(rule.field());
                if (rule.reasonsField() != null) {
                    ruleDependent.add(rule.reasonsField());
                }
            }
        }
        // what processes set on save (the phase, set-field actions) is shown as the user changes the form
        for (ProcessDefinition process : platform.model().processesOf(entityName)) {
            ruleDependent.add(process.phaseField());
            for (PhaseDefinition phase : process.phases()) {
                java.util.stream.Stream.concat(phase.onEnter().stream(), phase.onLeave().stream())
                        .filter(ProcessAction.SetFields.class::isInstance)
                        .forEach(action -> ruleDependent.addAll(((ProcessAction.SetFields) action).values().keySet()));
            }
        }
        ruleDependent.retainAll(inputs.keySet());
        String idParameter = Pages.parameter("id");
        if (idParameter != null && !idParameter.isBlank()) {
            try {
                id = Long.parseLong(idParameter);
            } catch (NumberFormatException e) {
                throw new Pages.PageNotFoundException("Bad id " + idParameter);
            }
            Record record = platform.records().find(entityName, id)
                    .orElseThrow(() -> new Pages.PageNotFoundException("No " + entityName + " " + idParameter));
            fill(entity, record);
            writable = access.allows(entityName, Operation.UPDATE, record);
            deletable = access.allows(entityName, Operation.DELETE, record);
        } else {
            writable = access.canCreate(entityName);
            presetReference(entity, Pages.parameter("ref"));
        }
    }

    private void fill(EntityDefinition entity, Record record) {
        shown = record;
        version = record.version();
        RecordCells cells = RecordCells.of(entity, List.of(record), platform.records());
        for (FieldDefinition field : getFields()) {
            String referenceTitle = field.type() == FieldType.REFERENCE ? cells.text(record, field, ui)
                    : record.get(field.name()) instanceof RecordLink link ? cells.linkTitle(link) : null;
            FieldInput input = inputs.get(field.name());
            input.set(record.get(field.name()), referenceTitle);
            originals.put(field.name(), input.value());
        }
        // named like everywhere else: by the entity's title template, without the parts the viewer may not see
        title = platform.records().titles(entity.name(), List.of(record.id())).getOrDefault(record.id(), "#" + record.id());
    }

    /**
     * A plugin's panel on this record page, rendered by the plugin from the values this user may read: its content
     * as plain texts (escaped like everything on the page), or why the plugin could not render it.
     */
    public record PluginPanel(String id, String title, io.relata.api.plugin.PanelContent content, String failure) {
    }

    /** The panels the enabled plugins show on this record; a plugin that fails shows its failure in its panel. */
    public List<PluginPanel> getPluginPanels() {
        if (pluginPanels == null) {
            pluginPanels = shown == null ? List.of() : PluginPanels.render(platform, me.actor(), ui, entityName, shown);
        }
        return pluginPanels;
    }

    /** True if another field's picker is narrowed by this field: choosing a record here must reach the server. */
    public boolean narrowsAnother(FieldDefinition field) {
        return getEntity().fields().stream().anyMatch(f -> f.narrowBy() != null && f.narrowBy().field().equals(field.name()));
    }

    /**
     * {@code ref=field:id} pre-fills a reference, e.g. "new contact" from an account's contact list;
     * {@code ref=field:entity:id} a record-link ("new activity" from a lead's activities).
     */
    private void presetReference(EntityDefinition entity, String ref) {
        if (ref == null || !ref.contains(":")) {
            return;
        }
        String[] parts = ref.split(":", 2);
        Optional<FieldDefinition> linkField = entity.field(parts[0])
                .filter(f -> f.type() == FieldType.RECORD_LINK && inputs.containsKey(f.name()));
        if (linkField.isPresent()) {
            RecordLink.parse(parts[1]).ifPresent(link -> {
                String refTitle = RecordCells.titlesIfReadable(platform.records(), link.entity(), List.of(link.id()))
                        .get(link.id());
                if (refTitle != null) {
                    inputs.get(linkField.get().name()).set(link, refTitle);
                }
            });
            return;
        }
        entity.field(parts[0]).filter(f -> f.type() == FieldType.REFERENCE && inputs.containsKey(f.name())).ifPresent(field -> {
            try {
                long target = Long.parseLong(parts[1]);
                String refTitle = RecordCells.titlesIfReadable(platform.records(), field.referenceEntity(), List.of(target)).get(target);
                if (refTitle != null) {
                    inputs.get(field.name()).set(target, refTitle);
                }
            } catch (NumberFormatException ignored) {
                // a hand-edited link: leave the field empty
            }
        });
    }

    public String save() {
        errors.clear();
        Map<String, Object> values = new LinkedHashMap<>();
        EntityDefinition entity = getEntity();
        inputs.forEach((name, input) -> {
            Object value = input.value();
            boolean userMayWrite = entity.field(name).map(f -> !isReadOnly(f)).orElse(false);
            if (userMayWrite && !untouchedPreview(name) && (id == null || !Objects.equals(value, originals.get(name)))) {
                values.put(name, value);
            }
        });
        try {
            List<AutomaticChange> changes = new ArrayList<>();
            SecuredRecordStore store = platform.securedRecords().reportingTo(changes::add);
            Record saved = id == null
                    ? store.create(entityName, values)
                    : store.update(entityName, id, version, values);
            flash(FacesMessage.SEVERITY_INFO, ui.message("record.saved"));
            ProcessChangeTexts.lines(changes, platform, ui).forEach(line -> flash(FacesMessage.SEVERITY_INFO, line));
            return "/record.xhtml?faces-redirect=true&entity=" + entityName + "&id=" + saved.id();
        } catch (ValidationException e) {
            for (FieldError error : e.errors()) {
                if (error.field() != null && inputs.containsKey(error.field())) {
                    String message = FieldLimitTexts.error(entity.field(error.field()).orElseThrow(), error, ui);
                    errors.merge(error.field(), message, (a, b) -> a + " " + b);
                } else {
                    add(FacesMessage.SEVERITY_ERROR, error.message(ui.locale()));
                }
            }
            add(FacesMessage.SEVERITY_ERROR, ui.message("record.invalid"));
            FacesContext.getCurrentInstance().validationFailed();
            return null;
        } catch (ConcurrentUpdateException e) {
            add(FacesMessage.SEVERITY_ERROR, ui.message("record.conflict"));
            return null;
        } catch (RecordException e) {
            add(FacesMessage.SEVERITY_ERROR, ui.problem(e));
            return null;
        }
    }

    public String delete() {
        try {
            platform.records().delete(entityName, id, version);
            flash(FacesMessage.SEVERITY_INFO, ui.message("record.deleted"));
            return "/list.xhtml?faces-redirect=true&entity=" + entityName;
        } catch (ConcurrentUpdateException e) {
            add(FacesMessage.SEVERITY_ERROR, ui.message("record.conflict"));
        } catch (RecordException e) {
            add(FacesMessage.SEVERITY_ERROR, ui.problem(e));
        }
        return null;
    }

    /** Whether this is a lead that can be converted: not converted yet, and the user may create accounts and contacts. */
    public boolean isConvertible() {
        io.relata.store.access.AccessPolicy access = platform.access(me.actor());
        return shown != null && entityName.equals(io.relata.runtime.customer.LeadConversion.LEAD)
                && platform.leadConversion().available()
                && !io.relata.runtime.customer.LeadConversion.CONVERTED.equals(shown.get("status"))
                && access.canCreate("account") && access.canCreate("contact")
                && access.allows(entityName, io.relata.store.access.Operation.UPDATE, shown);
    }

    /** Whether a visit report can be written after this record: a customer appointment that has begun. */
    public boolean isVisitReportOffered() {
        return shown != null && platform.access(me.actor()).canCreate(io.relata.runtime.customer.Todos.ENTITY)
                && platform.visitReports().offers(shown);
    }

    /** Writes the visit report of this appointment and opens it, to be filled in. */
    public String writeVisitReport() {
        try {
            String owner = shown.ownerUser() == null ? null : platform.users().user(shown.ownerUser())
                    .map(u -> u.getDisplayName() == null || u.getDisplayName().isBlank() ? u.getUsername() : u.getDisplayName())
                    .orElse(null);
            Record report = platform.visitReports().write(platform.records(), id, ui.message("record.visitReport"), owner);
            flash(FacesMessage.SEVERITY_INFO, ui.message("record.visitReportWritten"));
            return "/record?faces-redirect=true&entity=" + io.relata.runtime.customer.Todos.ENTITY + "&id=" + report.id();
        } catch (RecordException e) {
            add(FacesMessage.SEVERITY_ERROR, ui.problem(e));
            return null;
        }
    }

    /** Whether the stored record has a customer view (360°) to open. */
    public boolean isCustomerView() {
        return id != null && platform.customerViews().exists(entityName);
    }

    public List<ReverseSection> getReverseSections() {
        if (reverseSections == null) {
            reverseSections = id == null ? List.of() : readReverseSections();
        }
        return reverseSections;
    }

    /** The related lists, those the layout names in its order (all without a layout or without its 'related'). */
    private List<ReverseSection> readReverseSections() {
        Map<String, ReverseSection> byName = readAllReverseSections();
        List<String> chosen = layout().map(io.relata.api.model.FormLayout::related).orElse(List.of());
        if (chosen.isEmpty()) {
            return List.copyOf(byName.values());
        }
        return chosen.stream().map(byName::get).filter(java.util.Objects::nonNull).toList();
    }

    private Map<String, ReverseSection> readAllReverseSections() {
        Map<String, ReverseSection> sections = new LinkedHashMap<>();
        AccessPolicy access = platform.access(me.actor());
        for (ReverseReference ref : platform.model().reverseReferences(entityName)) {
            EntityDefinition source = ref.sourceEntity();
            if (!access.canRead(source.name()) || access.fieldAccess(source.name(), ref.sourceField().name()) == FieldAccess.HIDDEN) {
                continue;
            }
            RecordQuery query = new RecordQuery(List.of(new Filter(ref.sourceField().name(), FilterOperator.EQ, id)),
                    List.of(Sort.desc("updated_at")), null, REVERSE_LIST_SIZE, null);
            List<Record> rows = platform.records().query(source.name(), query).records();
            long total = platform.records().count(source.name(), query);
            List<FieldDefinition> columns = ListView.columnsOf(source).stream()
                    .filter(f -> !f.name().equals(ref.sourceField().name()))
                    .filter(f -> access.fieldAccess(source.name(), f.name()) != FieldAccess.HIDDEN)
                    .limit(REVERSE_LIST_COLUMNS).toList();
            sections.put(ref.list().name(), new ReverseSection(ui.text(ref.list().label()), source.name(),
                    ref.sourceField().name(), columns, rows, RecordCells.of(source, rows, platform.records()), total,
                    String.valueOf(id)));
        }
        // records of any entity that link to this one (a lead's to-dos): listed on every entity's page
        RecordLink self = new RecordLink(entityName, id);
        for (ReverseReference link : platform.model().recordLinks()) {
            EntityDefinition source = link.sourceEntity();
            String field = link.sourceField().name();
            if (!access.canRead(source.name()) || access.fieldAccess(source.name(), field) == FieldAccess.HIDDEN) {
                continue;
            }
            RecordQuery query = new RecordQuery(List.of(new Filter(field, FilterOperator.EQ, self.toString())),
                    List.of(Sort.desc("updated_at")), null, REVERSE_LIST_SIZE, null);
            List<Record> rows = platform.records().query(source.name(), query).records();
            long total = platform.records().count(source.name(), query);
            List<FieldDefinition> columns = ListView.columnsOf(source).stream()
                    .filter(f -> !f.name().equals(field))
                    .filter(f -> access.fieldAccess(source.name(), f.name()) != FieldAccess.HIDDEN)
                    .limit(REVERSE_LIST_COLUMNS).toList();
            sections.put(link.list().name(), new ReverseSection(ui.text(link.list().label()), source.name(), field,
                    columns, rows, RecordCells.of(source, rows, platform.records()), total, self.toString()));
        }
        return sections;
    }

    /** The entities a record-link field can point to for this user: those they may read. */
    public List<EntityDefinition> getLinkableEntities() {
        AccessPolicy access = platform.access(me.actor());
        return platform.model().allEntities().stream().filter(e -> access.canRead(e.name())).toList();
    }

    /** The record's changes, newest first, without the fields this user may not see. */
    public List<HistoryLine> getHistory() {
        if (history == null) {
            history = id == null ? List.of() : readHistory();
        }
        return history;
    }

    private List<HistoryLine> readHistory() {
        List<HistoryLine> lines = new ArrayList<>();
        HistoryValues values = new HistoryValues(ui, platform.records()::titles);
        for (AuditLog.HistoryEntry entry : platform.audit().history(entityName, id, 50)) {
            List<String> changes = new ArrayList<>();
            entry.changes().forEach((field, change) -> {
                var definition = getEntity().field(field);
                if (inputs.containsKey(field) && definition.isPresent()) {
                    changes.add(ui.label(definition.get()) + ": " + values.text(definition.get(), change.asJsonObject().get("old"))
                            + " → " + values.text(definition.get(), change.asJsonObject().get("new")));
                }
            });
            lines.add(new HistoryLine(ui.timestamp(entry.at()), entry.actor(), entry.action(), changes));
        }
        return lines;
    }

    /** Why the current user sees this record: the roles and rules that grant it. */
    public List<String> getAccessReasons() {
        if (accessReasons == null) {
            accessReasons = id == null ? List.of() : readAccessReasons();
        }
        return accessReasons;
    }

    private List<String> readAccessReasons() {
        AccessPolicy access = platform.access(me.actor());
        try {
            return AccessTexts.lines(platform.securedRecords().explain(entityName, id), access.unrestricted(),
                    platform.model(), ui);
        } catch (RecordException e) {
            return List.of();
        }
    }

    public boolean isReadOnly(FieldDefinition field) {
        return !writable || fieldAccess.get(field.name()) != FieldAccess.EDITABLE || ruleOwned.contains(field.name())
                || ruleState().readOnly().contains(field.name());
    }

    /**
     * Re-runs the write pipeline on what the form holds now, nothing saved: called as the user types. Computed
     * values and what processes would set are shown as a save would store them.
     */
    public void applyRules() {
        preview = null;
        RuleOutcome outcome = ruleState();
        outcome.values().forEach((name, value) -> {
            if (ruleOwned.contains(name) && inputs.containsKey(name)) {
                inputs.get(name).set(value, null);
            }
        });
        showProcessValues(preview == null ? List.of() : preview.changes());
        // A field that just became read-only goes back to its stored value: the user cannot change it now.
        outcome.readOnly().forEach(name -> {
            if (inputs.containsKey(name) && originals.containsKey(name)) {
                inputs.get(name).set(originals.get(name), inputs.get(name).getRef() == null ? null : inputs.get(name).getRef().title());
            }
        });
    }

    private RuleOutcome ruleState() {
        if (preview == null) {
            if (ruleDependent.isEmpty()) {
                preview = new WritePreview(RuleOutcome.NONE, List.of());
            } else {
                Map<String, Object> values = new LinkedHashMap<>();
                inputs.forEach((name, input) -> {
                    if (!ruleOwned.contains(name)) {
                        // a value shown for a process is not the user's: the pipeline decides it again
                        values.put(name, untouchedPreview(name) ? original(name) : input.value());
                    }
                });
                try {
                    preview = platform.securedRecords().preview(entityName, values, id);
                } catch (RecordException e) {
                    preview = new WritePreview(RuleOutcome.NONE, List.of()); // the save reports it with all details
                }
            }
        }
        return preview.outcome();
    }

    /**
     * Shows in each field a process would set on save the value it would set, unless the user typed one (their
     * word wins, as on save); a field the process would no longer set goes back to its value.
     */
    private void showProcessValues(List<AutomaticChange> changes) {
        Map<String, AutomaticChange> next = new LinkedHashMap<>();
        changes.forEach(change -> next.put(change.field(), change));
        java.util.Set<String> fields = new java.util.LinkedHashSet<>(previewed.keySet());
        fields.addAll(next.keySet());
        for (String name : fields) {
            FieldInput input = inputs.get(name);
            boolean untouched = previewed.containsKey(name) ? untouchedPreview(name)
                    : input != null && Objects.equals(input.value(), original(name));
            if (input == null || !untouched) {
                previewed.remove(name);
                previewedBy.remove(name);
                continue;
            }
            AutomaticChange change = next.get(name);
            Object value = change == null ? original(name) : change.value();
            String refTitle = value instanceof Long ref && getEntity().field(name).map(f -> f.type() == FieldType.REFERENCE).orElse(false)
                    ? RecordCells.titlesIfReadable(platform.records(), getEntity().field(name).orElseThrow().referenceEntity(),
                            List.of(ref)).getOrDefault(ref, "#" + ref) : null;
            input.set(value, refTitle);
            if (change == null) {
                previewed.remove(name);
                previewedBy.remove(name);
            } else {
                previewed.put(name, input.value());
                previewedBy.put(name, change.by());
            }
        }
    }

    /** True if the field shows what a process will set and the user has not changed it since. */
    private boolean untouchedPreview(String name) {
        return previewed.containsKey(name) && inputs.containsKey(name)
                && Objects.equals(inputs.get(name).value(), previewed.get(name));
    }

    /** The field's value as loaded (empty for a new record), in the form's terms. */
    private Object original(String name) {
        if (originals.containsKey(name)) {
            return originals.get(name);
        }
        return getEntity().field(name).map(f -> new FieldInput(f).value()).orElse(null);
    }

    /** "Set by the process 'Sales pipeline' when you save", under a field showing a process's value. */
    public String processNote(FieldDefinition field) {
        if (!untouchedPreview(field.name())) {
            return null;
        }
        String by = previewedBy.get(field.name());
        return AutomaticChange.pluginIn(by)
                .map(plugin -> java.text.MessageFormat.format(ui.message("record.pluginWillSet"), plugin))
                .orElseGet(() -> java.text.MessageFormat.format(ui.message("record.processWillSet"),
                        ProcessChangeTexts.processLabel(by, platform, ui)));
    }

    /** "From 0 to 100", "Format: five digits": the field's limits as a hint under its input, or null. */
    public String limitHint(FieldDefinition field) {
        return FieldLimitTexts.hint(field, ui);
    }

    /**
     * The smallest value the number input lets the user type (its {@code min}), or null for none. A stored
     * value outside the limits (saved before they existed) switches them off in the input, which would
     * otherwise silently change it on the next save; the store then says what is wrong if the user edits it.
     */
    public String minValue(FieldDefinition field) {
        return field.min() == null || !storedWithinLimits(field) ? null : plain(field.min());
    }

    /** Like {@link #minValue}, the largest value. */
    public String maxValue(FieldDefinition field) {
        return field.max() == null || !storedWithinLimits(field) ? null : plain(field.max());
    }

    private boolean storedWithinLimits(FieldDefinition field) {
        Object stored = originals.get(field.name());
        if (!(stored instanceof Number number)) {
            return true;
        }
        java.math.BigDecimal value = new java.math.BigDecimal(number.toString());
        return (field.min() == null || value.compareTo(new java.math.BigDecimal(plain(field.min()))) >= 0)
                && (field.max() == null || value.compareTo(new java.math.BigDecimal(plain(field.max()))) <= 0);
    }

    private static String plain(Object limit) {
        return limit instanceof java.math.BigDecimal decimal ? decimal.toPlainString() : String.valueOf(limit);
    }

    public boolean isVisible(FieldDefinition field) {
        return ruleState().visible().getOrDefault(field.name(), Boolean.TRUE);
    }

    public boolean isRequired(FieldDefinition field) {
        return field.autoNumber() == null && (field.required() || ruleState().required().contains(field.name()));
    }

    /** What an empty text input says: that a numbered field gets its number on save. */
    public String placeholder(FieldDefinition field) {
        return field.autoNumber() != null && inputs.get(field.name()) != null && inputs.get(field.name()).getText() == null
                ? ui.message("record.autoNumberPending") : null;
    }

    public boolean isRuleDependent(FieldDefinition field) {
        return ruleDependent.contains(field.name());
    }

    /** True if some field's state or value depends on others, so the form re-runs the rules as the user types. */
    public boolean isLiveRules() {
        return !ruleDependent.isEmpty() && writable;
    }

    public boolean isWritable() {
        return writable;
    }

    public boolean isDeletable() {
        return deletable;
    }

    public String cell(ReverseSection section, Record record, FieldDefinition field) {
        return section.cells().text(record, field, ui);
    }

    public EntityDefinition getEntity() {
        return Pages.entity(platform, entityName);
    }

    /** The fields of the form; after a metadata reload only those the form was built with. */
    public List<FieldDefinition> getFields() {
        return getEntity().fields().stream().filter(f -> inputs.containsKey(f.name())).toList();
    }

    /** A tab of the form as this user sees it: its label (null: the form has no tabs) and sections. */
    public record TabView(String label, List<SectionView> sections) implements Serializable {
    }

    /** A section of a tab: its heading (null: none), columns (0: as many as fit) and the user's fields in it. */
    public record SectionView(String label, int columns, List<FieldDefinition> fields) implements Serializable {
    }

    /**
     * The form as the layout for this user's roles arranges it ({@code metadata/forms}): tabs of sections. Fields the
     * layout does not place follow in a last section, so that none (a required one least of all) goes missing;
     * fields the user may not see are left out. Without a layout: one untitled section of all fields.
     */
    public List<TabView> getTabs() {
        if (tabs == null) {
            tabs = arrangedTabs();
        }
        return tabs;
    }

    private List<TabView> arrangedTabs() {
        List<FieldDefinition> fields = getFields();
        java.util.Optional<io.relata.api.model.FormLayout> layout = layout();
        if (layout.isEmpty()) {
            return List.of(new TabView(null, List.of(new SectionView(null, 0, fields))));
        }
        Map<String, FieldDefinition> byName = new LinkedHashMap<>();
        fields.forEach(f -> byName.put(f.name(), f));
        java.util.Set<String> placed = new java.util.HashSet<>();
        List<TabView> result = new ArrayList<>();
        for (io.relata.api.model.FormTab tab : layout.get().tabs()) {
            List<SectionView> sections = new ArrayList<>();
            for (io.relata.api.model.FormSection section : tab.sections()) {
                List<FieldDefinition> shown = section.fields().stream().map(byName::get).filter(java.util.Objects::nonNull)
                        .toList();
                placed.addAll(section.fields());
                if (!shown.isEmpty()) {
                    sections.add(new SectionView(section.label() == null ? null : ui.text(section.label()),
                            section.columns(), shown));
                }
            }
            if (!sections.isEmpty()) {
                result.add(new TabView(tab.label() == null ? null : ui.text(tab.label()), sections));
            }
        }
        if (result.size() > 1) {
            // a tab bar needs a name on every tab: an untitled one is the general part of the form
            result.replaceAll(tab -> tab.label() != null ? tab
                    : new TabView(ui.message("record.generalTab"), tab.sections()));
        }
        List<FieldDefinition> rest = fields.stream().filter(f -> !placed.contains(f.name())).toList();
        if (!rest.isEmpty()) {
            SectionView more = new SectionView(ui.message("record.moreFields"), 0, rest);
            if (result.isEmpty()) {
                result.add(new TabView(null, List.of(more)));
            } else {
                TabView last = result.remove(result.size() - 1);
                List<SectionView> sections = new ArrayList<>(last.sections());
                sections.add(more);
                result.add(new TabView(last.label(), sections));
            }
        }
        return result;
    }

    /**
     * The layout for this user: the first of the entity's layouts for one of their roles, else the one for everyone.
     * An administrator previewing a layout of the designer's draft ({@code ?layout=<name>}) gets that one.
     */
    private java.util.Optional<io.relata.api.model.FormLayout> layout() {
        if (layout == null) {
            layout = chooseLayout(); // a preview loads the draft: once per view, not for the tabs and again for lists
        }
        return layout;
    }

    private java.util.Optional<io.relata.api.model.FormLayout> chooseLayout() {
        String preview = FacesContext.getCurrentInstance().getExternalContext().getRequestParameterMap().get("layout");
        if (preview != null && platform.access(me.actor()).unrestricted()) {
            var trial = platform.publisher().preview(me.actor().username());
            // a draft with problems has no model: its layouts cannot be shown, the form is the one in force
            return trial.loads() ? trial.model().form(entityName).flatMap(f -> f.layout(preview))
                    : platform.model().form(entityName).flatMap(f -> f.layoutFor(me.actor().roles()));
        }
        return platform.model().form(entityName).flatMap(f -> f.layoutFor(me.actor().roles()));
    }

    /** Whether the form has several tabs (else no tab bar). */
    public boolean isTabbed() {
        return getTabs().size() > 1 || getTabs().get(0).label() != null;
    }

    /** The tab shown first: the first with an error after a refused save, else the first. */
    public int getOpenTab() {
        List<TabView> all = getTabs();
        for (int i = 0; i < all.size(); i++) {
            if (all.get(i).sections().stream().flatMap(s -> s.fields().stream()).anyMatch(f -> errors.containsKey(f.name()))) {
                return i;
            }
        }
        return 0;
    }

    public Map<String, FieldInput> getInputs() {
        return inputs;
    }

    public Map<String, String> getErrors() {
        return errors;
    }

    public boolean isNew() {
        return id == null;
    }

    public Long getId() {
        return id;
    }

    public long getVersion() {
        return version;
    }

    public String getTitle() {
        return id == null ? ui.message("record.new") + " " + ui.label(getEntity()) : title;
    }

    public String getEntityName() {
        return entityName;
    }


    private static void add(FacesMessage.Severity severity, String text) {
        FacesContext.getCurrentInstance().addMessage(null, new FacesMessage(severity, text, null));
    }

    private static void flash(FacesMessage.Severity severity, String text) {
        FacesContext context = FacesContext.getCurrentInstance();
        context.getExternalContext().getFlash().setKeepMessages(true);
        context.addMessage(null, new FacesMessage(severity, text, null));
    }

    /** One change of the record, ready for display. */
    public record HistoryLine(String at, String actor, String action, List<String> changes) implements Serializable {
    }

    /**
     * One reverse list on the record page: the newest referring records and how many there are.
     *
     * @param target how a new record of the list refers to this one: its id, or for a record-link entity:id
     */
    public record ReverseSection(String label, String entity, String field, List<FieldDefinition> columns,
                                 List<Record> rows, RecordCells cells, long total, String target) implements Serializable {
    }
}
