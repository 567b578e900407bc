package io.relata.runtime.customer;

import io.relata.api.model.CustomerView;
import io.relata.api.model.EntityDefinition;
import io.relata.api.model.FieldDefinition;
import io.relata.api.model.FieldType;
import io.relata.api.model.MetadataModel;
import io.relata.api.model.RelatedPath;
import io.relata.api.model.ReverseReference;
import io.relata.api.model.ViewPanel;
import io.relata.api.process.MailTemplate;
import io.relata.api.process.PhaseDefinition;
import io.relata.api.process.ProcessDefinition;
import io.relata.api.record.Filter;
import io.relata.api.record.FilterOperator;
import io.relata.api.record.Record;
import io.relata.api.record.RecordQuery;
import io.relata.api.record.RecordStore;
import io.relata.api.record.Sort;
import io.relata.api.security.FieldAccess;
import io.relata.process.Outbox;
import io.relata.process.ProcessCases;
import io.relata.runtime.AuditLog;
import io.relata.runtime.customer.CustomerViewContent.Entry;
import io.relata.store.Names;
import io.relata.store.access.AccessPolicy;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads a record's customer view ({@link CustomerView}) for one viewer: the panels for their roles (all for an
 * administrator), each read through the viewer's own record store, so that rows outside their scope never appear,
 * hidden fields are neither shown nor measured, and a related path stops where they may not follow it. Figures are
 * computed by the database ({@link RecordStore#aggregate}); a figure over a field or a condition they may not see is
 * hidden, not left out, so that the panel keeps its shape.
 */
public final class CustomerViews {

    /** How many records of an intermediate step of a related path are followed ({@code contacts} of contacts.activities). */
    static final int PATH_STEP_LIMIT = RecordQuery.MAX_LIMIT;

    private static final Pattern RECORD_PLACEHOLDER = Pattern.compile("\\{\\{\\s*record\\.([a-z][a-z0-9_]*)");

    private final Supplier<MetadataModel> models;
    private final AuditLog audit;
    private final ProcessCases cases;
    private final Outbox outbox;
    private final io.relata.runtime.files.RecordFiles files;
    private final java.time.Clock clock;

    public CustomerViews(Supplier<MetadataModel> models, AuditLog audit, ProcessCases cases, Outbox outbox,
                         io.relata.runtime.files.RecordFiles files, java.time.Clock clock) {
        this.files = Objects.requireNonNull(files, "files");
        this.models = Objects.requireNonNull(models, "models");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.audit = Objects.requireNonNull(audit, "audit");
        this.cases = Objects.requireNonNull(cases, "cases");
        this.outbox = Objects.requireNonNull(outbox, "outbox");
    }

    /** Whether records of {@code entity} have a customer view. */
    public boolean exists(String entity) {
        return entity != null && models.get().view(entity).isPresent();
    }

    /**
     * The customer view of a record as {@code access}'s actor sees it, read through {@code records} (their secured
     * store); empty if the entity has no view.
     *
     * @throws io.relata.api.record.RecordNotFoundException if the record does not exist or the viewer may not read it
     */
    public Optional<CustomerViewContent> show(RecordStore records, AccessPolicy access, String entity, long id) {
        MetadataModel model = models.get();
        Optional<CustomerView> view = model.view(entity);
        if (view.isEmpty()) {
            return Optional.empty();
        }
        Record record = records.get(entity, id);
        Reading reading = new Reading(model, records, access, record);
        List<ViewPanel> panels = access.unrestricted() ? view.get().panels() : view.get().panelsFor(access.actor().roles());
        List<CustomerViewContent.Panel> content = new ArrayList<>();
        for (ViewPanel panel : panels) {
            reading.panel(panel).ifPresent(content::add);
        }
        return Optional.of(new CustomerViewContent(view.get(), record, content));
    }

    /** The records at the end of a related path: their entity and the condition that selects them (null: none). */
    private record Step(EntityDefinition entity, Filter link) {
    }

    /** One viewer reading one record's view. */
    private final class Reading {
        private final MetadataModel model;
        private final RecordStore records;
        private final AccessPolicy access;
        private final Record record;
        private final EntityDefinition entity;
        private final Map<String, Optional<Step>> followed = new java.util.HashMap<>();

        Reading(MetadataModel model, RecordStore records, AccessPolicy access, Record record) {
            this.model = model;
            this.records = records;
            this.access = access;
            this.record = record;
            this.entity = model.entity(record.entity()).orElseThrow();
        }

        Optional<CustomerViewContent.Panel> panel(ViewPanel panel) {
            if (panel instanceof ViewPanel.Facts facts) {
                List<FieldDefinition> fields = facts.fields().stream().map(name -> entity.field(name).orElseThrow())
                        .filter(field -> sees(entity.name(), field.name())).toList();
                return Optional.of(new CustomerViewContent.Facts(facts, fields));
            }
            if (panel instanceof ViewPanel.Kpis kpis) {
                Map<String, CustomerViewContent.Figure> byName = new java.util.LinkedHashMap<>();
                kpis.kpis().stream().filter(kpi -> kpi.ratio() == null).forEach(kpi -> byName.put(kpi.name(), figure(kpi)));
                List<CustomerViewContent.Figure> figures = kpis.kpis().stream()
                        .map(kpi -> kpi.ratio() == null ? byName.get(kpi.name()) : ratio(kpi, byName)).toList();
                return Optional.of(new CustomerViewContent.Figures(kpis, figures));
            }
            if (panel instanceof ViewPanel.Related related) {
                return related(related).map(CustomerViewContent.Panel.class::cast);
            }
            if (panel instanceof ViewPanel.Timeline timeline) {
                return Optional.of(timeline(timeline));
            }
            return Optional.of(new CustomerViewContent.Plugins((ViewPanel.Plugins) panel));
        }

        // ---- figures ----

        private CustomerViewContent.Figure figure(ViewPanel.Kpi kpi) {
            if (kpi.ofRecord()) {
                FieldDefinition field = entity.field(kpi.field()).orElseThrow();
                boolean visible = record.values().containsKey(field.name());
                return new CustomerViewContent.Figure(kpi, field, visible ? record.get(field.name()) : null, !visible);
            }
            Optional<Step> step = follow(kpi.list());
            FieldDefinition field = step.flatMap(s -> kpi.field() == null ? Optional.empty() : s.entity().field(kpi.field()))
                    .orElse(null);
            if (step.isEmpty() || kpi.field() != null && !sees(step.get().entity().name(), kpi.field())
                    || !seesAll(step.get().entity().name(), kpi.where())) {
                return new CustomerViewContent.Figure(kpi, field, null, true);
            }
            if (step.get().link() == null) {
                return new CustomerViewContent.Figure(kpi, field, kpi.measure() == io.relata.api.record.Aggregate.COUNT
                        ? 0L : null, false);
            }
            List<Filter> filters = filters(step.get(), kpi.where());
            if (kpi.period() != null) {
                if (!Names.isSystemColumn(kpi.period().field()) && !sees(step.get().entity().name(), kpi.period().field())) {
                    return new CustomerViewContent.Figure(kpi, field, null, true);
                }
                filters.addAll(period(step.get().entity(), kpi.period()));
            }
            RecordQuery query = new RecordQuery(filters, List.of(), null, 1, null);
            Object value = records.aggregate(step.get().entity().name(), query, kpi.measure(), kpi.field()).orElse(null);
            // an average has no field type of its own; a count none at all
            return new CustomerViewContent.Figure(kpi, kpi.measure() == io.relata.api.record.Aggregate.COUNT ? null : field,
                    value, false);
        }

        /**
         * The records of a period relative to today, its days counted in the platform's zone (the clock's); a
         * date-time field from midnight there.
         */
        private List<Filter> period(EntityDefinition target, io.relata.api.model.DateWindow window) {
            io.relata.api.model.RelativePeriod.Range range = window.range().range(LocalDate.now(clock));
            boolean instants = Names.isSystemColumn(window.field()) || target.field(window.field())
                    .map(f -> f.type() == FieldType.DATE_TIME).orElse(false);
            java.util.function.Function<LocalDate, String> bound = day -> instants
                    ? day.atStartOfDay(clock.getZone()).toOffsetDateTime().toString() : day.toString();
            return List.of(new Filter(window.field(), FilterOperator.GE, bound.apply(range.from())),
                    new Filter(window.field(), FilterOperator.LT, bound.apply(range.until())));
        }

        /**
         * One figure divided by another of the panel, as a share (0.25 for 25 %, four decimals); hidden when either is
         * hidden (it would give the hidden one away), empty when either is empty or the divisor is zero.
         */
        private CustomerViewContent.Figure ratio(ViewPanel.Kpi kpi, Map<String, CustomerViewContent.Figure> figures) {
            CustomerViewContent.Figure of = figures.get(kpi.ratio().of());
            CustomerViewContent.Figure to = figures.get(kpi.ratio().to());
            if (of == null || to == null || of.hidden() || to.hidden()) {
                return new CustomerViewContent.Figure(kpi, null, null, true);
            }
            java.math.BigDecimal dividend = decimal(of.value());
            java.math.BigDecimal divisor = decimal(to.value());
            Object share = dividend == null || divisor == null || divisor.signum() == 0 ? null
                    : dividend.divide(divisor, 4, java.math.RoundingMode.HALF_UP);
            return new CustomerViewContent.Figure(kpi, null, share, false);
        }

        private static java.math.BigDecimal decimal(Object value) {
            if (value instanceof java.math.BigDecimal decimal) {
                return decimal;
            }
            return value instanceof Number number ? java.math.BigDecimal.valueOf(number.longValue()) : null;
        }

        // ---- related lists ----

        private Optional<CustomerViewContent.Related> related(ViewPanel.Related panel) {
            Optional<Step> step = follow(panel.list());
            if (step.isEmpty() || !seesAll(step.get().entity().name(), panel.where())) {
                return Optional.empty();
            }
            EntityDefinition target = step.get().entity();
            List<FieldDefinition> columns = (panel.columns().isEmpty()
                    ? target.fields().stream().filter(FieldDefinition::listed).toList()
                    : panel.columns().stream().map(name -> target.field(name).orElseThrow()).toList())
                    .stream().filter(field -> sees(target.name(), field.name())).toList();
            if (step.get().link() == null) {
                return Optional.of(new CustomerViewContent.Related(panel, target, columns, List.of(), 0));
            }
            Sort sort = panel.sort() != null && (Names.isSystemColumn(panel.sort().field()) || sees(target.name(), panel.sort().field()))
                    ? panel.sort() : Sort.desc("created_at");
            RecordQuery query = new RecordQuery(filters(step.get(), panel.where()), List.of(sort), null, panel.limit(), null);
            List<Record> rows = records.query(target.name(), query).records();
            long total = rows.size() < panel.limit() ? rows.size() : records.count(target.name(), query);
            return Optional.of(new CustomerViewContent.Related(panel, target, columns, rows, total));
        }

        // ---- timeline ----

        private CustomerViewContent.Timeline timeline(ViewPanel.Timeline panel) {
            int limit = panel.limit();
            List<Entry> entries = new ArrayList<>(changes(limit));
            entries.addAll(phaseChanges(entity, List.of(record.id()), limit));
            entries.addAll(mails(entity, List.of(record.id()), limit));
            entries.addAll(files(entity, List.of(record.id()), limit));
            for (ViewPanel.TimelineSource source : panel.sources()) {
                Optional<Step> step = follow(source.list());
                if (step.isEmpty() || step.get().link() == null) {
                    continue;
                }
                EntityDefinition target = step.get().entity();
                String at = source.at() != null && sees(target.name(), source.at()) ? source.at() : "created_at";
                RecordQuery query = new RecordQuery(List.of(step.get().link()), List.of(Sort.desc(at)), null, limit, null);
                List<Record> rows = records.query(target.name(), query).records();
                for (Record row : rows) {
                    entries.add(new CustomerViewContent.RelatedRecord(time(row, at), target.name(), row.id(), row));
                }
                List<Long> ids = rows.stream().map(Record::id).toList();
                entries.addAll(phaseChanges(target, ids, limit));
                entries.addAll(mails(target, ids, limit));
                entries.addAll(files(target, ids, limit));
            }
            // what is still to come (a meeting next week, a to-do's due date) is the to-dos' business, not history's
            OffsetDateTime now = OffsetDateTime.now(clock);
            entries.removeIf(entry -> entry.at() != null && entry.at().isAfter(now));
            entries.sort(Comparator.comparing(Entry::at, Comparator.nullsLast(Comparator.reverseOrder())));
            return new CustomerViewContent.Timeline(panel, entries.subList(0, Math.min(limit, entries.size())));
        }

        /** The viewed record's own audit trail: a creation, and changes of fields the viewer sees. */
        private List<Entry> changes(int limit) {
            List<Entry> entries = new ArrayList<>();
            for (AuditLog.HistoryEntry entry : audit.history(entity.name(), record.id(), limit)) {
                List<CustomerViewContent.FieldChange> changes = new ArrayList<>();
                if (!entry.action().equals(io.relata.store.AuditEntry.Action.CREATE.name())) {
                    entry.changes().forEach((name, change) -> entity.field(name).filter(f -> sees(entity.name(), name))
                            .ifPresent(field -> changes.add(new CustomerViewContent.FieldChange(field,
                                    change.asJsonObject().get("old"), change.asJsonObject().get("new")))));
                    if (changes.isEmpty()) {
                        continue; // nothing the viewer may see changed
                    }
                }
                entries.add(new CustomerViewContent.Changed(entry.at(), entity.name(), record.id(), entry.action(),
                        entry.actor(), changes));
            }
            return entries;
        }

        /** Phase changes of processes whose phase field the viewer sees; a reason only where they see its field. */
        private List<Entry> phaseChanges(EntityDefinition of, List<Long> ids, int limit) {
            if (ids.isEmpty() || model.processesOf(of.name()).isEmpty()) {
                return List.of();
            }
            List<Entry> entries = new ArrayList<>();
            for (ProcessCases.RecordStamp stamp : cases.latest(of.name(), ids, limit)) {
                Optional<ProcessDefinition> process = model.process(stamp.stamp().process());
                if (process.isEmpty() || !sees(of.name(), process.get().phaseField())) {
                    continue;
                }
                String reasonField = process.get().phase(stamp.stamp().toPhase()).map(PhaseDefinition::reasonField).orElse(null);
                String reason = reasonField != null && sees(of.name(), reasonField) ? stamp.stamp().reason() : null;
                entries.add(new CustomerViewContent.PhaseChanged(stamp.stamp().changedAt(), of.name(), stamp.recordId(),
                        process.get().name(), stamp.stamp().fromPhase(), stamp.stamp().toPhase(), stamp.stamp().username(),
                        reason));
            }
            return entries;
        }

        /** Files added to the records; a file field's file only where the viewer sees the field. */
        private List<Entry> files(EntityDefinition of, List<Long> ids, int limit) {
            List<Entry> entries = new ArrayList<>();
            for (io.relata.runtime.files.RecordFiles.StoredFile file : files.ofRecords(of.name(), ids,
                    field -> sees(of.name(), field), limit)) {
                entries.add(new CustomerViewContent.FileAdded(file.createdAt(), of.name(), file.recordId(), file.id(),
                        file.name(), file.contentType(), file.hasThumbnail()));
            }
            return entries;
        }

        /** Process mails; the subject only where the viewer sees every field of the record it shows. */
        private List<Entry> mails(EntityDefinition of, List<Long> ids, int limit) {
            List<Entry> entries = new ArrayList<>();
            for (Outbox.RecordMail mail : outbox.mailsAbout(of.name(), ids, limit)) {
                boolean showsOnlyVisible = model.template(mail.template()).map(t -> subjectFields(t).stream()
                        .allMatch(field -> Names.isSystemColumn(field) || sees(of.name(), field))).orElse(false);
                entries.add(new CustomerViewContent.Mail(mail.at(), of.name(), mail.recordId(), mail.template(),
                        showsOnlyVisible ? mail.subject() : null, mail.state()));
            }
            return entries;
        }

        // ---- paths and access ----

        /**
         * Follows a related path from the viewed record through the viewer's store: empty where they may not (an
         * entity they cannot read, a link field hidden from them); the last step's condition is null when an
         * intermediate step found nothing.
         */
        private Optional<Step> follow(String path) {
            // figures and lists of one view often share a path (three figures over 'opportunities'): followed once
            return followed.computeIfAbsent(path, this::followOnce);
        }

        private Optional<Step> followOnce(String path) {
            Optional<RelatedPath> resolved = RelatedPath.resolve(model.allEntities(), entity.name(), path);
            if (resolved.isEmpty()) {
                return Optional.empty();
            }
            String from = entity.name();
            List<Long> ids = List.of(record.id());
            List<ReverseReference> steps = resolved.get().steps();
            for (int i = 0; i < steps.size(); i++) {
                ReverseReference step = steps.get(i);
                String source = step.sourceEntity().name();
                if (!access.canRead(source) || !sees(source, step.sourceField().name())) {
                    return Optional.empty();
                }
                String fromEntity = from;
                List<Object> values = step.sourceField().type() == FieldType.RECORD_LINK
                        ? ids.stream().map(id -> (Object) (fromEntity + ":" + id)).toList()
                        : ids.stream().map(id -> (Object) id).toList();
                Filter link = new Filter(step.sourceField().name(), FilterOperator.IN, values);
                if (i == steps.size() - 1) {
                    return Optional.of(new Step(step.sourceEntity(), link));
                }
                ids = records.query(source, new RecordQuery(List.of(link), List.of(Sort.asc("id")), null, PATH_STEP_LIMIT,
                        null)).records().stream().map(Record::id).toList();
                if (ids.isEmpty()) {
                    return Optional.of(new Step(steps.get(steps.size() - 1).sourceEntity(), null));
                }
                from = source;
            }
            throw new IllegalStateException("a related path has at least one step: " + path);
        }

        private List<Filter> filters(Step step, Map<String, List<String>> where) {
            List<Filter> filters = new ArrayList<>();
            filters.add(step.link());
            where.forEach((field, values) -> filters.add(values.size() == 1
                    ? new Filter(field, FilterOperator.EQ, values.get(0))
                    : new Filter(field, FilterOperator.IN, values)));
            return filters;
        }

        private boolean sees(String entityName, String field) {
            return access.fieldAccess(entityName, field) != FieldAccess.HIDDEN;
        }

        private boolean seesAll(String entityName, Map<String, List<String>> where) {
            return where.keySet().stream().allMatch(field -> sees(entityName, field));
        }
    }

    private static OffsetDateTime time(Record row, String field) {
        Object value = field.equals("created_at") ? row.createdAt() : row.get(field);
        if (value instanceof OffsetDateTime time) {
            return time;
        }
        if (value instanceof LocalDate date) {
            return date.atStartOfDay().atOffset(ZoneOffset.UTC);
        }
        return row.createdAt();
    }

    private static List<String> subjectFields(MailTemplate template) {
        List<String> fields = new ArrayList<>();
        if (template.subject() != null) {
            template.subject().values().values().forEach(text -> {
                Matcher matcher = RECORD_PLACEHOLDER.matcher(text);
                while (matcher.find()) {
                    fields.add(matcher.group(1));
                }
            });
        }
        return fields;
    }
}
