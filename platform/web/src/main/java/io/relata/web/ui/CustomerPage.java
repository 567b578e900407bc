package io.relata.web.ui;

import io.relata.api.model.EntityDefinition;
import io.relata.api.model.FieldDefinition;
import io.relata.api.model.MetadataModel;
import io.relata.api.model.ViewPanel;
import io.relata.api.process.ProcessDefinition;
import io.relata.api.record.Record;
import io.relata.api.record.RecordLink;
import io.relata.api.record.RecordNotFoundException;
import io.relata.runtime.Platform;
import io.relata.runtime.customer.CustomerViewContent;
import io.relata.web.security.CurrentActor;
import jakarta.annotation.PostConstruct;
import jakarta.faces.view.ViewScoped;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import jakarta.json.JsonValue;
import java.io.Serializable;
import java.math.BigDecimal;
import java.text.MessageFormat;
import java.text.NumberFormat;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Map;
import java.util.List;

/**
 * The customer view (360°) of a record: the panels of the entity's view for the user's roles, read by
 * {@link io.relata.runtime.customer.CustomerViews} through the user's own store and formatted here for the page.
 */
@Named
@ViewScoped
public class CustomerPage implements Serializable {

    private static final long serialVersionUID = 1L;

    @Inject
    Platform platform;

    @Inject
    UiText ui;

    @Inject
    CurrentActor me;

    private String entityName;
    private long id;
    private String title;
    private List<Panel> panels;
    private List<RecordView.PluginPanel> pluginPanels;
    /** The record as the user may read it, from the view's reading: the plugin panels render from it. */
    private transient Record shown;

    @PostConstruct
    void init() {
        entityName = Pages.requiredEntityParameter(platform);
        try {
            id = Long.parseLong(String.valueOf(Pages.parameter("id")));
        } catch (NumberFormatException e) {
            throw new Pages.PageNotFoundException("Bad id " + Pages.parameter("id"));
        }
        load();
    }

    /** Reads the view (again, after a capture) for the user. */
    private void load() {
        CustomerViewContent content;
        try {
            content = platform.customerViews().show(platform.records(), platform.access(me.actor()), entityName, id)
                    .orElseThrow(() -> new Pages.PageNotFoundException("No customer view of " + entityName));
        } catch (RecordNotFoundException | io.relata.api.record.UnknownEntityException e) {
            throw new Pages.PageNotFoundException("No " + entityName + " " + id + " for " + me.getUsername());
        }
        title = platform.records().titles(entityName, List.of(id)).getOrDefault(id, "#" + id);
        shown = content.record();
        Formatter formatter = new Formatter(platform.model(), content.record());
        // the plugins' place stays empty (and is left out) while no enabled plugin shows a panel on this entity
        boolean pluginPanelsExist = !platform.plugins().extensions().panels(entityName).isEmpty();
        panels = content.panels().stream().filter(p -> pluginPanelsExist || !(p instanceof CustomerViewContent.Plugins))
                .map(formatter::panel).toList();
    }

    // ---- quick capture ----

    private String captureKind;
    private String captureSubject;
    private String captureNotes;
    private java.time.LocalDateTime captureAt;

    /** The kinds of activity this user can log here in one step: those the model offers, if they may create activities. */
    public List<String> getCaptureKinds() {
        if (!platform.access(me.actor()).canCreate(io.relata.runtime.customer.Todos.ENTITY)) {
            return List.of();
        }
        return java.util.Arrays.stream(io.relata.runtime.customer.QuickCapture.Kind.values())
                .filter(platform.quickCapture()::offers).map(k -> k.name().toLowerCase(java.util.Locale.ROOT)).toList();
    }

    /** Opens the capture dialog for {@code kind}, the subject prefilled ("Call: ACME"). */
    public void startCapture(String kind) {
        captureKind = kind;
        captureSubject = ui.message("customer.capture." + kind + ".subject") + ": " + title;
        captureNotes = null;
        captureAt = null;
    }

    public void capture() {
        io.relata.runtime.customer.QuickCapture.Kind kind = io.relata.runtime.customer.QuickCapture.Kind.valueOf(
                captureKind.toUpperCase(java.util.Locale.ROOT));
        try {
            // a date-time from the form is in the server's zone, as every date-time the pages show
            java.time.OffsetDateTime at = captureAt == null ? null
                    : captureAt.atZone(java.time.ZoneId.systemDefault()).toOffsetDateTime();
            platform.quickCapture().log(platform.records(), kind, captureSubject, captureNotes, at,
                    new RecordLink(entityName, id));
            jakarta.faces.context.FacesContext.getCurrentInstance().addMessage(null, new jakarta.faces.application.FacesMessage(
                    jakarta.faces.application.FacesMessage.SEVERITY_INFO, MessageFormat.format(ui.message("customer.captured"),
                    captureSubject), null));
            org.primefaces.PrimeFaces.current().executeScript("PF('captureDialog').hide()");
            load();
        } catch (io.relata.api.record.RecordException e) {
            jakarta.faces.context.FacesContext.getCurrentInstance().addMessage("captureForm", new jakarta.faces.application.FacesMessage(
                    jakarta.faces.application.FacesMessage.SEVERITY_ERROR, ui.problem(e), null));
        }
    }

    public String getCaptureKind() {
        return captureKind;
    }

    public String getCaptureTitle() {
        return captureKind == null ? "" : ui.message("customer.capture." + captureKind + ".title");
    }

    public String getCaptureSubject() {
        return captureSubject;
    }

    public void setCaptureSubject(String captureSubject) {
        this.captureSubject = captureSubject;
    }

    public String getCaptureNotes() {
        return captureNotes;
    }

    public void setCaptureNotes(String captureNotes) {
        this.captureNotes = captureNotes;
    }

    public java.time.LocalDateTime getCaptureAt() {
        return captureAt;
    }

    public void setCaptureAt(java.time.LocalDateTime captureAt) {
        this.captureAt = captureAt;
    }

    public String getEntityName() {
        return entityName;
    }

    public EntityDefinition getEntity() {
        return platform.model().entity(entityName).orElseThrow();
    }

    public long getId() {
        return id;
    }

    public String getTitle() {
        return title;
    }

    public List<Panel> getPanels() {
        return panels;
    }

    /** Whether the record can be taken to an address book as a vCard (a contact or the like). */
    public boolean isCard() {
        return platform.contactCards().suits(entityName) && platform.model().entity(entityName)
                .flatMap(e -> e.field("last_name")).isPresent();
    }

    /** Whether records of {@code entity} open in their customer view rather than on the record page. */
    public boolean hasView(String entity) {
        return platform.customerViews().exists(entity);
    }

    /** "42 in all", under a related list that shows fewer. */
    public String total(Table table) {
        return MessageFormat.format(ui.message("customer.total"), table.total());
    }

    /** The panels the enabled plugins show on this record, for the view's 'plugins' panel. */
    public List<RecordView.PluginPanel> getPluginPanels() {
        if (pluginPanels == null) {
            Record record = shown != null ? shown : platform.records().get(entityName, id); // after a restored view
            pluginPanels = PluginPanels.render(platform, me.actor(), ui, entityName, record);
        }
        return pluginPanels;
    }

    /** One panel as the page shows it: {@code kind} decides which of the lists it fills. */
    public record Panel(String kind, String name, String label, List<Fact> facts, List<Figure> figures, Table table,
                        List<Moment> moments) implements Serializable {
    }

    /** A field of the record: label, text and, for a reference, the record it points to. */
    public record Fact(String label, String text, String linkEntity, Long linkId) implements Serializable {
    }

    /** A figure; {@code text} says "hidden" in the user's language where they may not see it. */
    public record Figure(String name, String label, String text, boolean hidden) implements Serializable {
    }

    /** A related list: its entity, column labels, rows of cell texts and how many records there are in all. */
    public record Table(String entity, String newLinkRef, List<String> columns, List<Row> rows, long total)
            implements Serializable {
    }

    public record Row(long id, List<String> cells) implements Serializable {
    }

    /** A timeline entry: when, what kind (icon), the line, its details and the record it is about. */
    public record Moment(String at, String kind, String text, List<String> details, String entity, long recordId)
            implements Serializable {
    }

    /** Turns the typed content into texts of the user's language. */
    private final class Formatter {
        private final MetadataModel model;
        private final Record record;
        private final EntityDefinition entity;

        Formatter(MetadataModel model, Record record) {
            this.model = model;
            this.record = record;
            this.entity = model.entity(record.entity()).orElseThrow();
        }

        Panel panel(CustomerViewContent.Panel content) {
            ViewPanel panel = content.panel();
            String label = ui.text(panel.label());
            if (content instanceof CustomerViewContent.Facts facts) {
                RecordCells cells = RecordCells.of(entity, List.of(record), platform.records());
                List<Fact> list = new ArrayList<>();
                for (FieldDefinition field : facts.fields()) {
                    Object value = record.get(field.name());
                    boolean reference = field.type() == io.relata.api.model.FieldType.REFERENCE && value != null;
                    RecordLink link = value instanceof RecordLink l ? l : null;
                    list.add(new Fact(ui.label(field), value == null ? HistoryValues.EMPTY : cells.text(record, field, ui),
                            reference ? field.referenceEntity() : link != null ? link.entity() : null,
                            reference ? (Long) value : link != null ? link.id() : null));
                }
                return new Panel("facts", panel.name(), label, list, List.of(), null, List.of());
            }
            if (content instanceof CustomerViewContent.Figures figures) {
                List<Figure> list = figures.figures().stream().map(f -> new Figure(f.kpi().name(), ui.text(f.kpi().label()),
                        f.hidden() ? ui.message("customer.hidden") : figure(f), f.hidden())).toList();
                return new Panel("figures", panel.name(), label, List.of(), list, null, List.of());
            }
            if (content instanceof CustomerViewContent.Related related) {
                RecordCells cells = RecordCells.of(related.entity(), related.rows(), platform.records());
                List<Row> rows = related.rows().stream().map(row -> new Row(row.id(), related.columns().stream()
                        .map(column -> cells.text(row, column, ui)).toList())).toList();
                String ref = ((ViewPanel.Related) panel).list().contains(".") ? null : newLinkRef(((ViewPanel.Related) panel).list());
                return new Panel("related", panel.name(), label, List.of(), List.of(), new Table(related.entity().name(), ref,
                        related.columns().stream().map(ui::label).toList(), rows, related.total()), List.of());
            }
            if (content instanceof CustomerViewContent.Timeline timeline) {
                TimelineData data = new TimelineData(timeline.entries());
                List<Moment> moments = timeline.entries().stream().map(entry -> moment(entry, data)).toList();
                return new Panel("timeline", panel.name(), label, List.of(), List.of(), null, moments);
            }
            return new Panel("plugins", panel.name(), label, List.of(), List.of(), null, List.of());
        }

        /** {@code field:target} for "new" in a related list of one step: the new record points to this one. */
        private String newLinkRef(String list) {
            return io.relata.api.model.RelatedPath.list(model.allEntities(), entity.name(), list)
                    .map(step -> step.sourceField().type() == io.relata.api.model.FieldType.RECORD_LINK
                            ? step.sourceField().name() + ":" + new RecordLink(entity.name(), record.id())
                            : step.sourceField().name() + ":" + record.id())
                    .orElse(null);
        }

        private String figure(CustomerViewContent.Figure figure) {
            if (figure.value() == null) {
                return "–";
            }
            if (figure.kpi().ratio() != null) {
                NumberFormat percent = NumberFormat.getPercentInstance(ui.locale());
                percent.setMaximumFractionDigits(1);
                return percent.format(figure.value());
            }
            if (figure.field() == null) {
                return NumberFormat.getIntegerInstance(ui.locale()).format(figure.value());
            }
            if (figure.value() instanceof BigDecimal number && figure.field().type() == io.relata.api.model.FieldType.INTEGER) {
                // an average of whole numbers
                return NumberFormat.getNumberInstance(ui.locale()).format(number);
            }
            return ui.format(figure.field(), figure.value());
        }

        /**
         * What the timeline's lines show of other records, read once for all entries: the titles of the records they are
         * about, and the cells of the related records, per entity (not one query per line).
         */
        private final class TimelineData {
            private final Map<String, Map<Long, String>> titles = new HashMap<>();
            private final Map<String, RecordCells> cells = new HashMap<>();

            TimelineData(List<CustomerViewContent.Entry> entries) {
                Map<String, List<Long>> ids = new HashMap<>();
                Map<String, List<Record>> rows = new HashMap<>();
                for (CustomerViewContent.Entry entry : entries) {
                    ids.computeIfAbsent(entry.entity(), e -> new ArrayList<>()).add(entry.recordId());
                    if (entry instanceof CustomerViewContent.RelatedRecord related) {
                        rows.computeIfAbsent(entry.entity(), e -> new ArrayList<>()).add(related.record());
                    }
                }
                ids.forEach((of, list) -> titles.put(of, RecordCells.titlesIfReadable(platform.records(), of,
                        list.stream().distinct().toList())));
                rows.forEach((of, list) -> model.entity(of).ifPresent(definition -> cells.put(of,
                        RecordCells.of(definition, list, platform.records()))));
            }

            String title(String of, long recordId) {
                return titles.getOrDefault(of, Map.of()).getOrDefault(recordId, "#" + recordId);
            }
        }

        private Moment moment(CustomerViewContent.Entry entry, TimelineData data) {
            String at = entry.at() == null ? "" : ui.timestamp(entry.at());
            EntityDefinition of = model.entity(entry.entity()).orElse(entity);
            if (entry instanceof CustomerViewContent.Changed changed) {
                HistoryValues values = new HistoryValues(ui, platform.records()::titles);
                List<String> details = changed.changes().stream().map(change -> ui.label(change.field()) + ": "
                        + values.text(change.field(), (JsonValue) change.oldValue()) + " → "
                        + values.text(change.field(), (JsonValue) change.newValue())).toList();
                return new Moment(at, "changed", MessageFormat.format(ui.message("customer.timeline." + changed.action()),
                        changed.actor()), details, entry.entity(), entry.recordId());
            }
            if (entry instanceof CustomerViewContent.PhaseChanged phase) {
                String process = model.process(phase.process()).map(ProcessDefinition::label).map(ui::text).orElse(phase.process());
                String to = phaseLabel(of, phase.process(), phase.toPhase());
                String text = phase.fromPhase() == null
                        ? MessageFormat.format(ui.message("customer.timeline.started"), process, to, phase.actor())
                        : MessageFormat.format(ui.message("customer.timeline.phase"), phaseLabel(of, phase.process(),
                        phase.fromPhase()), to, phase.actor());
                List<String> details = new ArrayList<>();
                details.add(ui.label(of) + ": " + data.title(of.name(), phase.recordId()));
                if (phase.reason() != null) {
                    details.add(ui.message("process.reason") + ": " + phase.reason());
                }
                return new Moment(at, "phase", text, details, entry.entity(), entry.recordId());
            }
            if (entry instanceof CustomerViewContent.Mail mail) {
                String text = MessageFormat.format(ui.message("customer.timeline.mail." + mail.state()),
                        mail.subject() != null ? mail.subject() : ui.message("customer.timeline.mailWithoutSubject"));
                return new Moment(at, "mail", text, List.of(ui.label(of) + ": " + data.title(of.name(), mail.recordId())),
                        entry.entity(), entry.recordId());
            }
            if (entry instanceof CustomerViewContent.FileAdded file) {
                return new Moment(at, "file", MessageFormat.format(ui.message("customer.timeline.file"), file.name()),
                        List.of(ui.label(of) + ": " + data.title(of.name(), file.recordId())), entry.entity(), entry.recordId());
            }
            CustomerViewContent.RelatedRecord related = (CustomerViewContent.RelatedRecord) entry;
            return new Moment(at, "record", ui.label(of) + ": " + data.title(of.name(), related.recordId()),
                    summary(of, related.record(), data.cells.get(of.name())), entry.entity(), entry.recordId());
        }

        /** The listed fields of a related record that are not its title, as "label: value". */
        private List<String> summary(EntityDefinition of, Record row, RecordCells cells) {
            return of.fields().stream().filter(FieldDefinition::listed).filter(f -> row.get(f.name()) != null)
                    .filter(f -> !f.name().equals(of.titleField())).filter(f -> !(f.type() == io.relata.api.model.FieldType.REFERENCE
                            && entity.name().equals(f.referenceEntity())))
                    .limit(3).map(f -> ui.label(f) + ": " + cells.text(row, f, ui)).toList();
        }

        private String phaseLabel(EntityDefinition of, String process, String phase) {
            return model.process(process).map(p -> ui.text(p.phaseLabel(of, phase))).orElse(phase);
        }
    }
}
