package io.relata.api.model;

import java.util.Arrays;
import java.util.Optional;

/**
 * The kinds of values a field can hold. {@link #yamlName()} is how metadata spells the type; the Java
 * type is what the record store hands out for a value of this field.
 */
public enum FieldType {
    TEXT("text", String.class),
    LONG_TEXT("long-text", String.class),
    INTEGER("integer", Long.class),
    DECIMAL("decimal", java.math.BigDecimal.class),
    MONEY("money", java.math.BigDecimal.class),
    DATE("date", java.time.LocalDate.class),
    DATE_TIME("date-time", java.time.OffsetDateTime.class),
    BOOLEAN("boolean", Boolean.class),
    CHOICE("choice", String.class),
    /** Values are a {@code List<String>} of option values. */
    MULTI_CHOICE("multi-choice", java.util.List.class),
    EMAIL("email", String.class),
    PHONE("phone", String.class),
    URL("url", String.class),
    /** Many-to-one: the value is the id ({@code Long}) of a record of {@link FieldDefinition#referenceEntity()}. */
    REFERENCE("reference", Long.class),
    /**
     * A link to a record of any entity (an activity "regarding" a lead, a ticket, a record of an entity an
     * admin defined): the value is a {@link io.relata.api.record.RecordLink} (entity and id), written
     * {@code entity:id}. Stored in two columns, {@code <field>_entity} and {@code <field>} (the id).
     */
    RECORD_LINK("record-link", io.relata.api.record.RecordLink.class),
    /**
     * A file of the record (a scan of a signed contract, a photo): the value is the id ({@code Long}) of one of the
     * record's files, uploaded for this field; the file's name, type and content are the platform's files.
     */
    FILE("file", Long.class);

    private final String yamlName;
    private final Class<?> javaType;

    FieldType(String yamlName, Class<?> javaType) {
        this.yamlName = yamlName;
        this.javaType = javaType;
    }

    public String yamlName() {
        return yamlName;
    }

    public Class<?> javaType() {
        return javaType;
    }

    /** True for the types whose values are text a user can search in. */
    public boolean isTextual() {
        return switch (this) {
            case TEXT, LONG_TEXT, EMAIL, PHONE, URL, CHOICE -> true;
            default -> false;
        };
    }

    public static Optional<FieldType> fromYamlName(String name) {
        return Arrays.stream(values()).filter(t -> t.yamlName.equals(name)).findFirst();
    }
}
