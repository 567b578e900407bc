package io.relata.web.ui;

import io.relata.api.model.FieldDefinition;
import io.relata.api.model.FieldType;
import io.relata.api.record.Record;
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
import java.util.List;
import java.util.Map;

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

    private String text;
    private BigDecimal number;
    private LocalDate date;
    private LocalDateTime dateTime;
    private boolean flag;
    private List<String> choices = new ArrayList<>();
    private RecordRef ref;

    FieldInput(FieldDefinition field) {
        this.name = field.name();
        this.type = field.type();
        this.referenceEntity = field.referenceEntity();
    }

    void set(Object value, String referenceTitle) {
        switch (type) {
            case INTEGER -> number = value == null ? null : BigDecimal.valueOf((Long) value);
            case DECIMAL, MONEY -> number = (BigDecimal) value;
            case DATE -> date = (LocalDate) value;
            case DATE_TIME -> dateTime = value == null ? null
                    : ((OffsetDateTime) value).atZoneSameInstant(ZoneId.systemDefault()).toLocalDateTime();
            case BOOLEAN -> flag = Boolean.TRUE.equals(value);
            case MULTI_CHOICE -> choices = value == null ? new ArrayList<>() : new ArrayList<>(((List<?>) value).stream().map(Object::toString).toList());
            case REFERENCE -> ref = value == null ? null : new RecordRef((Long) value, referenceTitle);
            default -> text = (String) value;
        }
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

    /** Suggestions for a reference picker: records of the referenced entity whose searchable fields contain the query. */
    public List<RecordRef> complete(String query) {
        var platform = Platforms.current();
        if (!platform.access(platform.currentActor()).canRead(referenceEntity)) {
            return List.of();
        }
        var target = platform.model().entity(referenceEntity).orElseThrow();
        var sort = target.titleField() == null ? List.<Sort>of() : List.of(Sort.asc(target.titleField()));
        var page = platform.records().query(referenceEntity,
                new RecordQuery(List.of(), sort, query == null || query.isBlank() ? null : query, PICKER_SIZE, null));
        List<Long> ids = page.records().stream().map(Record::id).toList();
        Map<Long, String> titles = platform.records().titles(referenceEntity, ids);
        return ids.stream().map(id -> new RecordRef(id, titles.getOrDefault(id, "#" + id))).toList();
    }

    /** Converts picked references to their id for the page and back. */
    public Converter<RecordRef> getConverter() {
        return new ReferenceConverter(referenceEntity);
    }

    public String getName() { return name; }
    public String getText() { return text; }
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
