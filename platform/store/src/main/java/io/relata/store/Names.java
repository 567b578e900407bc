package io.relata.store;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.regex.Pattern;

/**
 * How metadata names become database identifiers. Tables are {@code rec_<entity>}, columns are the field
 * names, constraints and indexes are {@code <prefix>_<table>_<column>}. Every identifier is lower case and
 * always quoted, so H2 and PostgreSQL see exactly the same name; names longer than PostgreSQL's 63 bytes
 * are shortened deterministically with a hash suffix.
 */
public final class Names {

    /** The longest identifier PostgreSQL keeps without truncating. */
    public static final int MAX_IDENTIFIER_LENGTH = 63;
    public static final String TABLE_PREFIX = "rec_";

    public static final String ID = "id";
    public static final String VERSION = "version";
    public static final String CREATED_AT = "created_at";
    public static final String UPDATED_AT = "updated_at";
    /** The user who owns the record (access scope "own"); nullable, no foreign key (users live elsewhere). */
    public static final String OWNER_USER = "owner_user";
    /** The team that owns the record (access scope "team"); nullable, no foreign key. */
    public static final String OWNER_TEAM = "owner_team";

    /** Every system column, in table order. */
    public static final List<String> SYSTEM_COLUMNS =
            List.of(ID, VERSION, CREATED_AT, UPDATED_AT, OWNER_USER, OWNER_TEAM);

    private static final Pattern IDENTIFIER = Pattern.compile("[a-z_][a-z0-9_]*");

    private Names() {
    }

    /** True for the columns every record table has and that metadata fields cannot be named. */
    public static boolean isSystemColumn(String name) {
        return SYSTEM_COLUMNS.contains(name);
    }

    public static String table(String entity) {
        return shorten(TABLE_PREFIX + entity);
    }

    /**
     * The column that holds the entity of a record-link field's value; the id is in the field's own column.
     * The loader keeps field names free of it ({@code RESERVED_FIELD_NAME}).
     */
    public static String linkEntityColumn(String field) {
        return field + "_entity";
    }

    /** Name of the plain index on a column. */
    public static String index(String table, String column) {
        return shorten("ix_" + table + "_" + column);
    }

    /**
     * Name of a composite index: {@code cx_<table>_<key>_<key>…}, a descending key with {@code _desc} (the id key
     * the store adds is not named). Different keys or directions give different names.
     */
    public static String compositeIndex(String table, List<String> keys) {
        return shorten("cx_" + table + "_" + String.join("_", keys));
    }

    /** Name of the extended statistics of a table over the given columns. */
    public static String statistics(String table, List<String> columns) {
        return shorten("sx_" + table + "_" + String.join("_", columns));
    }

    /** Name of the unique index on a column. */
    public static String uniqueIndex(String table, String column) {
        return shorten("ux_" + table + "_" + column);
    }

    /** Name of the trigram (contains-search) index on a column; PostgreSQL only. */
    public static String trigramIndex(String table, String column) {
        return shorten("tg_" + table + "_" + column);
    }

    /** Name of the sequence that numbers an {@code autoNumber} field. */
    public static String sequence(String table, String column) {
        return shorten("sq_" + table + "_" + column);
    }

    public static String foreignKey(String table, String column) {
        return shorten("fk_" + table + "_" + column);
    }

    /**
     * Keeps names up to 63 characters; longer ones become their first 54 characters, an underscore and 8
     * hex digits of the SHA-256 of the whole name, so the same input always gives the same name.
     */
    public static String shorten(String name) {
        if (name.length() <= MAX_IDENTIFIER_LENGTH) {
            return name;
        }
        String hash = sha256Hex(name).substring(0, 8);
        return name.substring(0, MAX_IDENTIFIER_LENGTH - hash.length() - 1) + "_" + hash;
    }

    /**
     * Quotes an identifier. Only lower-case letters, digits and underscores pass: anything else is a bug
     * (identifiers come from checked metadata, never from user input), so it fails loudly.
     */
    public static String quote(String identifier) {
        if (identifier == null || !IDENTIFIER.matcher(identifier).matches()
                || identifier.length() > MAX_IDENTIFIER_LENGTH) {
            throw new IllegalArgumentException("Not a valid identifier: '" + identifier
                    + "' (lower-case letters, digits and underscores, at most 63 characters)");
        }
        return '"' + identifier + '"';
    }

    private static String sha256Hex(String text) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }
}
