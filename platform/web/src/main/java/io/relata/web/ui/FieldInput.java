package io.relata.web.ui;

import io.relata.api.model.ChoiceOption;
import io.relata.api.model.FieldDefinition;
import io.relata.api.model.FieldType;
import io.relata.api.model.NarrowBy;
import io.relata.api.record.Filter;
import io.relata.api.record.FilterOperator;
import io.relata.api.record.RecordPage;
import io.relata.api.record.ValidationException;
import io.relata.api.record.Record;
import io.relata.api.record.RecordLink;
import io.relata.api.record.RecordQuery;
import io.relata.api.record.Sort;
import jakarta.faces.component.UIComponent;
import jakarta.faces.context.FacesContext;
import jakarta.faces.convert.Converter;
import jakarta.faces.convert.ConverterException;
import java.io.Serializable;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The form state of one field, held in a property of the Java type its component needs (a date picker
 * binds to {@link #getDate()}, a reference picker to {@link #getRef()}), so conversion is exact and
 * {@link #value()} hands the record store a typed value.
 */
public class FieldInput implements Serializable {

    private static final long serialVersionUID = 1L;
    private static final int PICKER_SIZE = 15;

    private final String name;
    private final FieldType type;
    private final String referenceEntity;
    private final NarrowBy narrowBy;
    /** The inputs of the whole form, to read the field a narrowed picker depends on; null outside a record form. */
    private Map<String, FieldInput> form;

    private String text;
    private BigDecimal number;
    /** A file field's file: set by uploading in the files panel, kept as it is by the form. */
    private Long fileId;
    private LocalDate date;
    private LocalDateTime dateTime;
    private boolean flag;
    private List<String> choices = new ArrayList<>();
    private RecordRef ref;
    /** For a record-link: the entity picked first, whose records the picker then offers. */
    private String linkEntity;
    /** Choice values the form was given (the record's), so a retired option it holds stays in the picker. */
    private final Set<String> held = new HashSet<>();

    FieldInput(FieldDefinition field) {
        this.name = field.name();
        this.type = field.type();
        this.referenceEntity = field.referenceEntity();
        this.narrowBy = field.narrowBy();
    }

    /** Lets a narrowed reference picker read the field it is narrowed by from the other inputs of its form. */
    void narrowWithin(Map<String, FieldInput> inputs) {
        this.form = inputs;
    }

    void set(Object value, String referenceTitle) {
        if (value instanceof List<?> list && type == FieldType.MULTI_CHOICE) {
            list.forEach(item -> held.add(String.valueOf(item)));
        } else if (value instanceof String option && type == FieldType.CHOICE) {
            held.add(option);
        }
        switch (type) {
            case INTEGER -> number = value == null ? null : BigDecimal.valueOf((Long) value);
            case DECIMAL, MONEY -> number = (BigDecimal) value;
            case DATE -> date = (LocalDate) value;
            case DATE_TIME -> dateTime = value == null ? null
                    : ((OffsetDateTime) value).atZoneSameInstant(ZoneId.systemDefault()).toLocalDateTime();
            case BOOLEAN -> flag = Boolean.TRUE.equals(value);
            case MULTI_CHOICE -> choices = value == null ? new ArrayList<>() : new ArrayList<>(((List<?>) value).stream().map(Object::toString).toList());
            case REFERENCE -> ref = value == null ? null : new RecordRef((Long) value, referenceTitle);
            case FILE -> fileId = (Long) value;
            case RECORD_LINK -> {
                RecordLink link = (RecordLink) value;
                ref = link == null ? null : new RecordRef(link.id(), referenceTitle, link.entity());
                linkEntity = link == null ? null : link.entity();
            }
            default -> text = (String) value;
        }
    }

    /**
     * The options a picker offers: the active ones, and a retired one ({@code active: false}) only where this
     * form's record holds it, so an old record still shows its value while nobody picks it anew.
     */
    public List<ChoiceOption> offered(List<ChoiceOption> options) {
        return options.stream().filter(o -> o.active() || held.contains(o.value())).toList();
    }

    /** The value for the record store; empty input is null. */
    Object value() {
        return switch (type) {
            case INTEGER -> number == null ? null : integerOrDecimal(number);
            case DECIMAL, MONEY -> number;
            case DATE -> date;
            case DATE_TIME -> dateTime == null ? null : dateTime.atZone(ZoneId.systemDefault()).toOffsetDateTime();
            case BOOLEAN -> flag;
            case MULTI_CHOICE -> List.copyOf(choices);
            case REFERENCE -> ref == null ? null : ref.id();
            case FILE -> fileId;
            case RECORD_LINK -> ref == null || ref.entity() == null ? null : new RecordLink(ref.entity(), ref.id());
            default -> text == null || text.isBlank() ? null : text.strip();
        };
    }

    private static Object integerOrDecimal(BigDecimal value) {
        try {
            return value.longValueExact();
        } catch (ArithmeticException e) {
            return value; // the store reports it as not an integer
        }
    }

    /**
     * Suggestions for a reference picker: records of the referenced entity (of a record-link: of the entity picked
     * first) whose searchable fields contain the query.
     */
    public List<RecordRef> complete(String query) {
        String entity = type == FieldType.RECORD_LINK ? linkEntity : referenceEntity;
        var platform = Platforms.current();
        if (entity == null || platform.model().entity(entity).isEmpty()
                || !platform.access(platform.currentActor()).canRead(entity)) {
            return List.of();
        }
        var target = platform.model().entity(entity).orElseThrow();
        var sort = target.titleField() == null ? List.<Sort>of() : List.of(Sort.asc(target.titleField()));
        String search = query == null || query.isBlank() ? null : query;
        List<Filter> narrowing = narrowing();
        RecordPage page;
        try {
            page = platform.records().query(entity, new RecordQuery(narrowing, sort, search, PICKER_SIZE, null));
        } catch (ValidationException e) {
            // the viewer may not see the field that narrows (it is hidden to them): offer what they may read
            page = platform.records().query(entity, new RecordQuery(List.of(), sort, search, PICKER_SIZE, null));
        }
        List<Long> ids = page.records().stream().map(Record::id).toList();
        Map<Long, String> titles = platform.records().titles(entity, ids);
        String linked = type == FieldType.RECORD_LINK ? entity : null;
        return ids.stream().map(id -> new RecordRef(id, titles.getOrDefault(id, "#" + id), linked)).toList();
    }

    /** The record chosen in the field this picker is narrowed by, as a filter on the referenced entity; none if empty. */
    private List<Filter> narrowing() {
        if (narrowBy == null || form == null || type != FieldType.REFERENCE) {
            return List.of();
        }
        FieldInput by = form.get(narrowBy.field());
        Object chosen = by == null ? null : by.value();
        return chosen == null ? List.of() : List.of(new Filter(narrowBy.via(), FilterOperator.EQ, chosen));
    }

    /** Converts picked references to their id (a record-link's to entity:id) for the page and back. */
    public Converter<RecordRef> getConverter() {
        return type == FieldType.RECORD_LINK ? new LinkConverter() : new ReferenceConverter(referenceEntity);
    }

    public String getName() { return name; }
    public String getText() { return text; }

    public Long getFileId() { return fileId; }
    public void setText(String text) { this.text = text; }
    public BigDecimal getNumber() { return number; }
    public void setNumber(BigDecimal number) { this.number = number; }
    public LocalDate getDate() { return date; }
    public void setDate(LocalDate date) { this.date = date; }
    public LocalDateTime getDateTime() { return dateTime; }
    public void setDateTime(LocalDateTime dateTime) { this.dateTime = dateTime; }
    public boolean isFlag() { return flag; }
    public void setFlag(boolean flag) { this.flag = flag; }
    public List<String> getChoices() { return choices; }
    public void setChoices(List<String> choices) { this.choices = choices == null ? new ArrayList<>() : new ArrayList<>(choices); }
    public RecordRef getRef() { return ref; }
    public void setRef(RecordRef ref) { this.ref = ref; }
    public String getLinkEntity() { return linkEntity; }

    /** Picking another entity for a record-link empties the record picked before. */
    public void setLinkEntity(String entity) {
        if (!java.util.Objects.equals(entity, linkEntity)) {
            ref = null;
        }
        this.linkEntity = entity == null || entity.isBlank() ? null : entity;
    }

    /** A record-link's pick as {@code entity:id}, so it converts whatever entity the page held when it was sent. */
    private static final class LinkConverter implements Converter<RecordRef>, Serializable {

        private static final long serialVersionUID = 1L;

        @Override
        public RecordRef getAsObject(FacesContext context, UIComponent component, String value) {
            if (value == null || value.isBlank()) {
                return null;
            }
            RecordLink link = RecordLink.parse(value).orElseThrow(() -> new ConverterException(
                    "Pick a record from the suggestions"));
            String title = RecordCells.titlesIfReadable(Platforms.current().records(), link.entity(), List.of(link.id()))
                    .get(link.id());
            return new RecordRef(link.id(), title == null ? "#" + link.id() : title, link.entity());
        }

        @Override
        public String getAsString(FacesContext context, UIComponent component, RecordRef value) {
            return value == null || value.entity() == null ? "" : new RecordLink(value.entity(), value.id()).toString();
        }
    }

    private record ReferenceConverter(String entity) implements Converter<RecordRef>, Serializable {

        @Override
        public RecordRef getAsObject(FacesContext context, UIComponent component, String value) {
            if (value == null || value.isBlank()) {
                return null;
            }
            try {
                long id = Long.parseLong(value.trim());
                String title = RecordCells.titlesIfReadable(Platforms.current().records(), entity, List.of(id)).get(id);
                return new RecordRef(id, title == null ? "#" + id : title);
            } catch (NumberFormatException e) {
                throw new ConverterException("Pick a record from the suggestions", e);
            }
        }

        @Override
        public String getAsString(FacesContext context, UIComponent component, RecordRef value) {
            return value == null ? "" : Long.toString(value.id());
        }
    }
}
