package io.relata.store;

import io.relata.api.model.FieldDefinition;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.SQLException;
import java.util.Locale;

/**
 * The few places where H2 and PostgreSQL differ for us: the column type of long text, whether trigram indexes
 * exist, and the names of zones in {@code AT TIME ZONE}. Everything else (quoted lower-case identifiers, {@code NULLS LAST},
 * {@code FETCH FIRST}, identity columns, {@code TIMESTAMP WITH TIME ZONE}) is written once for both.
 */
public enum SqlDialect {
    H2,
    POSTGRESQL;

    /** Detects the dialect from the connection's {@link DatabaseMetaData#getDatabaseProductName()}. */
    public static SqlDialect detect(Connection connection) throws SQLException {
        return detect(connection.getMetaData());
    }

    public static SqlDialect detect(DatabaseMetaData metaData) throws SQLException {
        String product = metaData.getDatabaseProductName();
        String lower = product == null ? "" : product.toLowerCase(Locale.ROOT);
        if (lower.contains("h2")) {
            return H2;
        }
        if (lower.contains("postgres")) {
            return POSTGRESQL;
        }
        throw new IllegalStateException("Unsupported database '" + product + "': Relata stores records in H2 or PostgreSQL");
    }

    /** The SQL column type for a metadata field. */
    public String columnType(FieldDefinition field) {
        return switch (field.type()) {
            case TEXT, EMAIL, PHONE, URL, CHOICE, MULTI_CHOICE -> "VARCHAR(" + field.effectiveMaxLength() + ")";
            // PostgreSQL: text is as fast as varchar and never needs widening; H2: a VARCHAR, because its
            // CLOB cannot be compared or searched with LIKE the same way. The store enforces maxLength.
            case LONG_TEXT -> this == POSTGRESQL ? "TEXT" : "VARCHAR(" + field.effectiveMaxLength() + ")";
            case INTEGER, REFERENCE, RECORD_LINK, FILE -> "BIGINT"; // a record-link's id; its entity: LINK_ENTITY_TYPE
            case DECIMAL, MONEY -> "NUMERIC(" + field.effectivePrecision() + ", " + field.effectiveScale() + ")";
            case DATE -> "DATE";
            case DATE_TIME -> "TIMESTAMP WITH TIME ZONE";
            case BOOLEAN -> "BOOLEAN";
        };
    }

    /** The column type of a record-link's entity column ({@link Names#linkEntityColumn}): an entity name. */
    public static final String LINK_ENTITY_TYPE = "VARCHAR(40)";

    /** The query that draws the next value of {@code sequence} (a name from {@link Names#sequence}). */
    public String nextValue(String sequence) {
        return this == POSTGRESQL ? "SELECT nextval('" + Names.quote(sequence) + "')"
                : "SELECT NEXT VALUE FOR " + Names.quote(sequence);
    }

    /** Whether this database can have trigram indexes (pg_trgm) for contains-search. */
    public boolean supportsTrigramIndexes() {
        return this == POSTGRESQL;
    }

    /**
     * The zone as both databases name it in {@code AT TIME ZONE}: a region ({@code Europe/Berlin}), UTC, or a whole-hour
     * offset as its {@code Etc/GMT} zone (whose sign is the POSIX one, inverted: +01:00 is Etc/GMT-1). Only
     * letters, digits and {@code /_+-} reach the SQL text.
     */
    public static String zoneName(java.time.ZoneId zone) {
        String name;
        if (zone instanceof java.time.ZoneOffset offset) {
            int seconds = offset.getTotalSeconds();
            if (seconds % 3600 != 0) {
                throw new IllegalArgumentException("Periods are cut in a region's zone or a whole-hour offset, not " + zone);
            }
            int hours = seconds / 3600;
            name = hours == 0 ? "UTC" : "Etc/GMT" + (hours > 0 ? "-" : "+") + Math.abs(hours);
        } else {
            name = zone.normalized() instanceof java.time.ZoneOffset offset ? zoneName(offset) : zone.getId();
        }
        if (!name.matches("[A-Za-z0-9/_+-]+")) {
            throw new IllegalArgumentException("Not a zone name: " + name);
        }
        return name;
    }
}
