package io.relata.store;

import io.relata.api.model.EntityDefinition;
import io.relata.api.model.FieldDefinition;
import io.relata.api.model.FieldType;
import io.relata.api.model.LocalizedText;
import io.relata.api.record.ErrorCodes;
import io.relata.api.record.FieldError;
import io.relata.api.record.Filter;
import io.relata.api.record.Record;
import io.relata.api.record.RecordLink;
import io.relata.api.record.RecordQuery;
import io.relata.api.record.Sort;
import io.relata.api.record.ValidationException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * Turns a {@link RecordQuery} into the WHERE and ORDER BY of a SELECT: filters, contains-search, sort keys
 * (nulls last both ways, id as the final tiebreaker in the last key's direction) and the keyset ranges of a
 * cursor. The SQL is shaped so that an index in the sort order serves it (see {@link #orderBy}, {@link #select}).
 * Every value is a bind parameter except the search pattern on PostgreSQL (an escaped literal, see
 * {@link #search}); every identifier comes from the metadata. All problems are collected and thrown as one
 * {@link ValidationException}.
 */
final class QueryBuilder {

    /** One ORDER BY key. */
    record Key(FieldDefinition column, boolean descending) {
    }

    private static final String CURSOR_VERSION = "c1";
    /** Shorter search terms look for values that start with them; see {@link #search}. */
    static final int MIN_CONTAINS_LENGTH = 3;
    /** How many references or related lists one filter may pass through: {@code contacts.opportunities.stage}. */
    static final int MAX_RELATED_DEPTH = 3;

    private final EntityDefinition entity;
    private final ValueConverter converter;
    /** Fields the caller may not see: to filters and sorts they do not exist, search skips them. */
    private final Set<String> hidden;
    /** The rows the caller may read, ANDed into every WHERE. */
    private final RowScope rows;
    /** Where the SQL runs; null if unknown (then every value is a bind parameter). */
    private final SqlDialect dialect;
    /**
     * The builder of another entity's conditions for the same caller (its hidden fields and rows), for related
     * filters ({@link #related}); null where a query has none.
     */
    private final Function<String, QueryBuilder> related;
    /** Every entity of the model: where the related lists of a related filter are found. */
    private final Collection<EntityDefinition> entities;
    /** This table as the SQL names it: its quoted name, or a related filter's alias ({@code "r1"}). */
    private final String self;
    /** How deep in related filters this builder is: 0 at the query's own table. */
    private final int depth;
    private final List<FieldError> errors = new ArrayList<>();

    /** A builder that sees every field and row (the system store). */
    QueryBuilder(EntityDefinition entity, ValueConverter converter, SqlDialect dialect) {
        this(entity, converter, dialect, Set.of(), RowScope.ALL);
    }

    QueryBuilder(EntityDefinition entity, ValueConverter converter, SqlDialect dialect, Set<String> hidden,
                 RowScope rows) {
        this(entity, converter, dialect, hidden, rows, List.of(), null);
    }

    /**
     * @param entities every entity of the model
     * @param related  the builder of another entity for the same caller (null if they may not read it)
     */
    QueryBuilder(EntityDefinition entity, ValueConverter converter, SqlDialect dialect, Set<String> hidden,
                 RowScope rows, Collection<EntityDefinition> entities, Function<String, QueryBuilder> related) {
        this(entity, converter, dialect, hidden, rows, entities, related, Names.quote(Names.table(entity.name())), 0);
    }

    private QueryBuilder(EntityDefinition entity, ValueConverter converter, SqlDialect dialect, Set<String> hidden,
                         RowScope rows, Collection<EntityDefinition> entities, Function<String, QueryBuilder> related,
                         String self, int depth) {
        this.entity = entity;
        this.dialect = dialect;
        this.converter = converter;
        this.hidden = Set.copyOf(hidden);
        this.rows = rows;
        this.entities = entities;
        this.related = related;
        this.self = self;
        this.depth = depth;
    }

    /** This builder for the table of a related filter's sub-select, named {@code alias} there. */
    private QueryBuilder nested(String alias, int nestedDepth) {
        return new QueryBuilder(entity, converter, dialect, hidden, rows, entities, related, alias, nestedDepth);
    }

    /**
     * A field of the entity or a system column, or null (with an unknown_field error). A hidden field gets
     * exactly the error of a field that does not exist, so its existence does not leak.
     */
    private FieldDefinition column(String name, LocalizedText role) {
        FieldDefinition system = name == null ? null : Sql.SYSTEM_COLUMNS.get(name);
        if (system != null) {
            return system;
        }
        FieldDefinition field = name == null || hidden.contains(name) ? null : entity.field(name).orElse(null);
        if (field == null) {
            errors.add(new FieldError(name, ErrorCodes.UNKNOWN_FIELD, LocalizedText.format("{0}: {1} hat kein Feld '{2}'",
                    "{0}: {1} has no field '{2}'", role, entity.name(), name)));
        }
        return field;
    }

    // ---- WHERE ----

    /**
     * Appends {@code WHERE ...} for the access condition (the caller's rows), the filters and the search (nothing
     * if there are none): the rows a count counts.
     */
    void where(Sql sql, RecordQuery query) {
        List<Sql> conditions = conditions(query);
        throwIfErrors();
        appendWhere(sql, conditions);
    }

    /**
     * The whole SELECT of one page: {@code select} ({@code SELECT <columns> FROM <table>}) with the WHERE of
     * {@link #where}, the rows after the cursor, ORDER BY {@code keys} and {@code FETCH FIRST rows}.
     *
     * <p>The rows after a cursor are one or more <em>ranges</em> of the sort order ({@link #keyset}). One range is
     * a condition the database can start an index scan at. Several (a nullable sort key whose null segment comes
     * after the cursor's value, or sort keys in mixed directions) are not ORed into one condition, which no index
     * scan can start at, so deep pages would read every row before the cursor: each range is its own branch of a
     * {@code UNION ALL} that stops after {@code rows}, and only those few rows are sorted again.
     */
    Sql select(String select, RecordQuery query, List<Key> keys, String cursor, int rows) {
        List<Sql> conditions = filterConditions(query);
        List<Sql> ranges = cursor == null || cursor.isBlank() ? List.of() : keyset(keys, cursor);
        throwIfErrors();
        // every combination of a part of the row scope and a range after the cursor is one branch
        List<List<Sql>> branches = new ArrayList<>();
        for (Sql part : this.rows.parts()) {
            for (Sql range : ranges.isEmpty() ? java.util.Collections.<Sql>singletonList(null) : ranges) {
                List<Sql> all = new ArrayList<>();
                if (part != null) {
                    all.add(part);
                }
                all.addAll(conditions);
                if (range != null) {
                    all.add(range);
                }
                branches.add(all);
            }
        }
        Sql sql = new Sql();
        if (branches.size() == 1) {
            sql.append(select);
            appendWhere(sql, branches.get(0));
            orderBy(sql, keys);
            return sql.append(" FETCH FIRST " + rows + " ROWS ONLY");
        }
        sql.append("SELECT * FROM (");
        for (int i = 0; i < branches.size(); i++) {
            sql.append(i == 0 ? "(" : " UNION ALL (").append(select);
            appendWhere(sql, branches.get(i));
            orderBy(sql, keys);
            sql.append(" FETCH FIRST " + rows + " ROWS ONLY)");
        }
        sql.append(") " + Names.quote("page"));
        orderBy(sql, keys);
        return sql.append(" FETCH FIRST " + rows + " ROWS ONLY");
    }

    /**
     * {@code SELECT COUNT(*)} of at most {@code limit + 1} matching rows: the database stops reading after them,
     * so a count of a large result costs what reading {@code limit} index entries costs.
     */
    Sql countUpTo(String table, RecordQuery query, long limit) {
        Sql inner = new Sql().append("SELECT 1 FROM " + table);
        where(inner, query);
        Sql sql = new Sql().append("SELECT COUNT(*) FROM (").append(inner.text.toString())
                .append(" FETCH FIRST " + (limit + 1) + " ROWS ONLY) " + Names.quote("counted"));
        sql.params.addAll(inner.params);
        return sql;
    }

    /**
     * {@code SELECT <aggregate>(<field>) FROM table} with the WHERE of {@link #where}; the one column read has the
     * type {@link #aggregateType} names. A field the caller may not see is unknown; a type the aggregate does not
     * accept is an invalid_operator error.
     */
    Sql aggregate(String table, RecordQuery query, io.relata.api.record.Aggregate aggregate, String field) {
        String expression = measure(aggregate, field);
        List<Sql> filters = filterConditions(query);
        throwIfErrors();
        return aggregated(table, List.of(expression), List.of(), field == null ? List.of() : List.of(field), filters);
    }

    /**
     * {@code SELECT columns FROM table WHERE <scope> AND filters [GROUP BY keys]}. A scope of several parts
     * ({@link RowScope#aggregateParts}) reads each part in its own branch of a {@code UNION ALL} of only the
     * {@code read} columns, and aggregates over their union: the parts are disjoint, so every aggregate (a distinct
     * count too) is that of the rows in scope.
     */
    private Sql aggregated(String table, List<String> columns, List<String> keys, Collection<String> read,
                           List<Sql> filters) {
        List<Sql> parts = rows.aggregateParts();
        Sql sql = new Sql().append("SELECT " + String.join(", ", columns) + " FROM ");
        if (parts.size() == 1) {
            sql.append(table);
            List<Sql> conditions = new ArrayList<>();
            if (parts.get(0) != null) {
                conditions.add(parts.get(0));
            }
            conditions.addAll(filters);
            appendWhere(sql, conditions);
        } else {
            Set<String> quoted = new java.util.LinkedHashSet<>();
            read.forEach(name -> quoted.add(Names.quote(name)));
            String select = "SELECT " + (quoted.isEmpty() ? "1 AS " + Names.quote("one") : String.join(", ", quoted))
                    + " FROM " + table;
            sql.append("(");
            for (int i = 0; i < parts.size(); i++) {
                List<Sql> conditions = new ArrayList<>();
                conditions.add(parts.get(i));
                conditions.addAll(filters);
                sql.append(i == 0 ? "" : " UNION ALL ").append(select);
                appendWhere(sql, conditions);
            }
            sql.append(") " + Names.quote("in_scope"));
        }
        if (!keys.isEmpty()) {
            // no ORDER BY: sorting the rows for it made PostgreSQL group by sorting every matching row (an external
            // merge at 120k rows, 1.9x the time) instead of hashing; the caller sorts the few groups
            sql.append(" GROUP BY " + String.join(", ", keys));
        }
        return sql;
    }

    /** The SQL of one measure; a field the caller may not see, or of a type the aggregate refuses, is an error. */
    private String measure(io.relata.api.record.Aggregate aggregate, String field) {
        FieldDefinition column = field == null ? null : column(field, LocalizedText.of("Kennzahl", "Measure"));
        if (column != null && !aggregate.accepts(column.type())) {
            errors.add(new FieldError(field, ErrorCodes.INVALID_OPERATOR, LocalizedText.format(
                    "{0} geht nicht über das Feld '{1}' der Art {2}", "{0} does not work on the field '{1}' of type {2}",
                    aggregate.name().toLowerCase(java.util.Locale.ROOT), field, column.type().yamlName())));
        } else if (field == null && aggregate != io.relata.api.record.Aggregate.COUNT) {
            errors.add(new FieldError("field", ErrorCodes.MISSING_VALUE, LocalizedText.format(
                    "{0} braucht ein Feld", "{0} needs a field", aggregate.name().toLowerCase(java.util.Locale.ROOT))));
        }
        String value = column == null ? "*" : Names.quote(column.name());
        return switch (aggregate) {
            case COUNT -> "COUNT(" + value + ")";
            case COUNT_DISTINCT -> "COUNT(DISTINCT " + value + ")";
            case SUM -> "SUM(" + value + ")";
            // both databases keep the scale of a NUMERIC: an average of integers is not cut to an integer
            case AVERAGE -> "AVG(CAST(" + value + " AS NUMERIC(38, 6)))";
            case MIN -> "MIN(" + value + ")";
            case MAX -> "MAX(" + value + ")";
        };
    }

    /**
     * {@code SELECT keys…, measures… FROM table WHERE … GROUP BY keys}: a date key by period is the columns
     * {@link #periodColumns} gives, so that both databases group alike.
     */
    Sql grouped(String table, RecordQuery query, io.relata.api.record.Grouping grouping) {
        List<String> keys = new ArrayList<>();
        List<String> read = new ArrayList<>();
        for (io.relata.api.record.Grouping.Key key : grouping.by()) {
            FieldDefinition column = column(key.field(), LocalizedText.of("Gruppierung", "Grouping"));
            if (column == null) {
                continue;
            }
            read.add(column.name());
            String quoted = Names.quote(column.name());
            if (key.period() == io.relata.api.record.Grouping.Period.NONE) {
                if (column.type() == FieldType.MULTI_CHOICE || column.type() == FieldType.LONG_TEXT) {
                    errors.add(new FieldError(key.field(), ErrorCodes.INVALID_OPERATOR, LocalizedText.format(
                            "Nach {0} kann nicht gruppiert werden", "{0} cannot be grouped by", key.field())));
                }
                keys.add(quoted);
            } else if (column.type() == FieldType.DATE) {
                keys.addAll(periodColumns(quoted, key.period()));
            } else if (column.type() == FieldType.DATE_TIME) {
                keys.addAll(periodColumns(quoted + " AT TIME ZONE '" + SqlDialect.zoneName(grouping.zone()) + "'", key.period()));
            } else {
                errors.add(new FieldError(key.field(), ErrorCodes.INVALID_OPERATOR, LocalizedText.format(
                        "Nach Zeitraum gruppiert werden nur Datums- und Zeitpunktfelder, nicht {0}",
                        "Only date and date-time fields are grouped by period, not {0}", key.field())));
            }
        }
        List<String> measures = new ArrayList<>();
        for (io.relata.api.record.Grouping.Measure measure : grouping.measures()) {
            measures.add(measure(measure.aggregate(), measure.field()));
            if (measure.field() != null) {
                read.add(measure.field());
            }
        }
        List<Sql> filters = filterConditions(query);
        throwIfErrors();
        List<String> columns = new ArrayList<>(keys);
        columns.addAll(measures);
        return aggregated(table, columns, keys, read, filters);
    }

    /**
     * The two columns a period of a local date or timestamp is grouped by: the year (the ISO week's year for a week)
     * and the period's number within it (the day of the year, week, month, quarter; 1 for the year). Numbers, not
     * a truncated date: both databases extract them alike, while their truncation functions differ.
     */
    private List<String> periodColumns(String value, io.relata.api.record.Grouping.Period period) {
        boolean postgres = dialect == SqlDialect.POSTGRESQL;
        return switch (period) {
            case DAY -> List.of("EXTRACT(YEAR FROM " + value + ")",
                    "EXTRACT(" + (postgres ? "DOY" : "DAY_OF_YEAR") + " FROM " + value + ")");
            case WEEK -> List.of("EXTRACT(" + (postgres ? "ISOYEAR" : "ISO_WEEK_YEAR") + " FROM " + value + ")",
                    "EXTRACT(" + (postgres ? "WEEK" : "ISO_WEEK") + " FROM " + value + ")");
            case MONTH -> List.of("EXTRACT(YEAR FROM " + value + ")", "EXTRACT(MONTH FROM " + value + ")");
            case QUARTER -> List.of("EXTRACT(YEAR FROM " + value + ")", "EXTRACT(QUARTER FROM " + value + ")");
            default -> List.of("EXTRACT(YEAR FROM " + value + ")", "1");
        };
    }

    /** The type in which the one column of {@link #aggregate} is read. */
    FieldType aggregateType(io.relata.api.record.Aggregate aggregate, String field) {
        FieldType type = field == null ? FieldType.INTEGER : column(field, LocalizedText.of("Kennzahl", "Measure")).type();
        return switch (aggregate) {
            case COUNT, COUNT_DISTINCT -> FieldType.INTEGER;
            case SUM -> type == FieldType.INTEGER ? FieldType.DECIMAL : type;
            case AVERAGE -> FieldType.DECIMAL;
            case MIN, MAX -> type;
        };
    }

    /**
     * The records whose {@code field} is most like {@code text}, by pg_trgm's {@code similarity} (at least
     * {@code threshold}), best first, at most {@code rows}, within the caller's rows; {@code trigramSchema} is where
     * pg_trgm lives. For PostgreSQL with pg_trgm only: elsewhere callers narrow with {@link #containsAny} and rank
     * in Java ({@link Trigrams}).
     */
    Sql similar(String select, String field, String text, String trigramSchema, double threshold, int rows) {
        FieldDefinition column = textColumn(field);
        List<Sql> conditions = conditions(RecordQuery.all());
        throwIfErrors();
        String similarity = Names.quote(trigramSchema) + ".similarity(lower(" + Names.quote(column.name()) + "), lower(";
        conditions.add(new Sql().append(similarity).param(FieldType.TEXT, text).append(")) >= " + threshold));
        Sql sql = new Sql().append(select);
        appendWhere(sql, conditions);
        return sql.append(" ORDER BY " + similarity).param(FieldType.TEXT, text)
                .append(")) DESC, " + Names.quote(Names.ID) + " FETCH FIRST " + rows + " ROWS ONLY");
    }

    /**
     * The records (within the caller's rows) whose {@code field} contains any of {@code words} (case-insensitive),
     * at most {@code rows}: the candidates of a similarity ranked in Java where pg_trgm is not at hand.
     */
    Sql containsAny(String select, String field, List<String> words, int rows) {
        FieldDefinition column = textColumn(field);
        List<Sql> conditions = conditions(RecordQuery.all());
        throwIfErrors();
        Sql any = new Sql();
        for (int i = 0; i < words.size(); i++) {
            any.append(i == 0 ? "" : " OR ").append("lower(" + Names.quote(column.name()) + ") LIKE lower(")
                    .param(FieldType.TEXT, "%" + Sql.escapeLike(words.get(i)) + "%").append(") ESCAPE '\\'");
        }
        conditions.add(words.isEmpty() ? new Sql().append("1 = 0") : any);
        Sql sql = new Sql().append(select);
        appendWhere(sql, conditions);
        return sql.append(" ORDER BY " + Names.quote(Names.ID) + " FETCH FIRST " + rows + " ROWS ONLY");
    }

    /** A text field the caller may see, for a similarity; problems are collected. */
    private FieldDefinition textColumn(String field) {
        FieldDefinition column = column(field, LocalizedText.of("Ähnlichkeit", "Similarity"));
        if (column != null && !column.type().isTextual()) {
            errors.add(new FieldError(field, ErrorCodes.INVALID_OPERATOR, LocalizedText.format(
                    "{0} ist kein Textfeld", "{0} is not a text field", field)));
        }
        return column;
    }

    /** The access condition, the filters and the search; problems are collected. */
    private List<Sql> conditions(RecordQuery query) {
        List<Sql> conditions = new ArrayList<>();
        Sql access = rows.condition();
        if (access != null) {
            conditions.add(access);
        }
        conditions.addAll(filterConditions(query));
        return conditions;
    }

    /** The filters and the search, without the access condition; problems are collected. */
    private List<Sql> filterConditions(RecordQuery query) {
        List<Sql> conditions = new ArrayList<>();
        // the conditions through one reference or related list are about the same related record: one EXISTS
        Map<String, List<Filter>> throughStep = new LinkedHashMap<>();
        for (Filter filter : query.filters()) {
            int dot = filter.field() == null || filter.operator() == null ? -1 : filter.field().indexOf('.');
            if (dot > 0) {
                if (tooDeep(filter.field())) {
                    continue;
                }
                throughStep.computeIfAbsent(filter.field().substring(0, dot), step -> new ArrayList<>()).add(filter);
                continue;
            }
            Sql condition = filter(filter);
            if (condition != null) {
                conditions.add(condition);
            }
        }
        throughStep.forEach((step, filters) -> {
            Sql condition = related(step, filters, null);
            if (condition != null) {
                conditions.add(condition);
            }
        });
        if (query.search() != null && !query.search().isBlank()) {
            try {
                conditions.add(search(ValueConverter.checkCharacters(query.search().strip())));
            } catch (InvalidValueException e) {
                errors.add(new FieldError("q", e.code(), LocalizedText.format("Suche: {0}", "Search: {0}", e.text())));
            }
        }
        return conditions;
    }

    private static void appendWhere(Sql sql, List<Sql> conditions) {
        for (int i = 0; i < conditions.size(); i++) {
            sql.append(i == 0 ? " WHERE " : " AND ").append("(").append(conditions.get(i).text.toString()).append(")");
            sql.params.addAll(conditions.get(i).params);
        }
    }

    private Sql filter(Filter filter) {
        if (filter.operator() == null) {
            errors.add(new FieldError(filter.field(), ErrorCodes.INVALID_OPERATOR, LocalizedText.format("Filter auf {0}:"
                    + " ein Operator ist nötig", "Filter on {0}: an operator is required", filter.field())));
            return null;
        }
        if (filter.field() != null && isRelatedList(filter.field())) {
            if (filter.operator() != io.relata.api.record.FilterOperator.IS_NULL
                    && filter.operator() != io.relata.api.record.FilterOperator.IS_NOT_NULL) {
                errors.add(new FieldError(filter.field(), ErrorCodes.INVALID_OPERATOR, LocalizedText.format("Filter auf"
                        + " {0}: eine verknüpfte Liste allein nimmt null (hat keine) oder notnull (hat welche); eine"
                        + " Bedingung gilt einem ihrer Felder, z. B. {0}.<Feld>:eq:…", "Filter on {0}: a related list"
                        + " alone takes null (has none) or notnull (has some); a condition is on one of its fields, e.g."
                        + " {0}.<field>:eq:…", filter.field())));
                return null;
            }
            return related(filter.field(), List.of(), filter.operator());
        }
        FieldDefinition field = column(filter.field(), LocalizedText.of("Filter", "Filter"));
        if (field == null) {
            return null;
        }
        String col = Names.quote(field.name());
        FieldType type = field.type();
        Sql sql = new Sql();
        try {
            if (type == FieldType.RECORD_LINK) {
                return linkFilter(filter, field);
            }
            switch (filter.operator()) {
                case IS_NULL -> sql.append(col + " IS NULL");
                case IS_NOT_NULL -> sql.append(col + " IS NOT NULL");
                case EQ, NE -> {
                    Object value = value(field, filter.value(), true);
                    boolean eq = filter.operator() == io.relata.api.record.FilterOperator.EQ;
                    if (value == null) {
                        sql.append(col + (eq ? " IS NULL" : " IS NOT NULL"));
                    } else if (eq) {
                        sql.append(col + " = ").param(type, value);
                    } else {
                        sql.append(col + " <> ").param(type, value).append(" OR " + col + " IS NULL");
                    }
                }
                case LT, LE, GT, GE -> {
                    if (type == FieldType.MULTI_CHOICE) {
                        throw invalidOperator(filter, LocalizedText.of("nutzen Sie contains, in, eq oder null bei einem"
                                + " Mehrfachauswahl-Feld", "use contains, in, eq or null with a multi-choice field"));
                    }
                    Object value = required(filter, value(field, filter.value(), false));
                    String op = switch (filter.operator()) {
                        case LT -> " < ";
                        case LE -> " <= ";
                        case GT -> " > ";
                        default -> " >= ";
                    };
                    sql.append(col + op).param(type, value);
                }
                case CONTAINS, STARTS_WITH -> {
                    boolean contains = filter.operator() == io.relata.api.record.FilterOperator.CONTAINS;
                    if (type == FieldType.MULTI_CHOICE && contains) {
                        Object option = required(filter, converter.convertForFilter(field, filter.value(), true));
                        sql.append(col + " LIKE ").param(FieldType.TEXT, "%," + Sql.escapeLike(option.toString()) + ",%")
                                .append(" ESCAPE '\\'");
                    } else if (type.isTextual()) {
                        Object text = converter.convertForFilter(field, filter.value(), false);
                        if (text == null || text.toString().isEmpty()) {
                            return null; // an empty contains-filter matches everything
                        }
                        String pattern = (contains ? "%" : "") + Sql.escapeLike(text.toString()) + "%";
                        sql.append("lower(" + col + ") LIKE lower(").param(FieldType.TEXT, pattern)
                                .append(") ESCAPE '\\'");
                    } else {
                        throw invalidOperator(filter, contains
                                ? LocalizedText.of("er gilt für Text- und Mehrfachauswahl-Felder",
                                        "it applies to text fields and multi-choice fields")
                                : LocalizedText.of("er gilt für Textfelder", "it applies to text fields"));
                    }
                }
                case IN -> {
                    List<Object> values = new ArrayList<>();
                    for (Object raw : list(filter.value())) {
                        Object value = type == FieldType.MULTI_CHOICE
                                ? converter.convertForFilter(field, raw, true) : value(field, raw, false);
                        if (value != null) {
                            values.add(value);
                        }
                    }
                    if (values.isEmpty()) {
                        sql.append("1 = 0");
                    } else if (type == FieldType.MULTI_CHOICE) {
                        for (int i = 0; i < values.size(); i++) {
                            sql.append(i == 0 ? "" : " OR ").append(col + " LIKE ")
                                    .param(FieldType.TEXT, "%," + Sql.escapeLike(values.get(i).toString()) + ",%")
                                    .append(" ESCAPE '\\'");
                        }
                    } else {
                        sql.append(col + " IN (");
                        for (int i = 0; i < values.size(); i++) {
                            sql.append(i == 0 ? "" : ", ").param(type, values.get(i));
                        }
                        sql.append(")");
                    }
                }
            }
        } catch (InvalidValueException e) {
            errors.add(new FieldError(filter.field(), e.code(), LocalizedText.format("Filter auf {0}: {1}", "Filter on {0}: {1}",
                    filter.field(), e.text())));
            return null;
        }
        return sql;
    }

    /** A related list's name alone ({@code tickets:null}), where the entity has no field of that name. */
    private boolean isRelatedList(String field) {
        return Sql.SYSTEM_COLUMNS.get(field) == null && entity.field(field).isEmpty()
                && io.relata.api.model.RelatedPath.list(entities, entity.name(), field).isPresent();
    }

    /**
     * A condition on related records, as {@code EXISTS} over their table correlated with this row: through a
     * reference of this entity ({@code account.industry:eq:insurance}: the account's industry), or through a related
     * list onto it ({@code opportunities.phase:in:proposal|negotiation}: any of its opportunities in these phases;
     * {@code campaign_memberships:notnull}: it has one, {@code :null}: it has none). All conditions through the same
     * step hold for the same related record ({@code opportunities.phase:eq:proposal} and
     * {@code opportunities.amount:gt:10000}: one opportunity in proposal over 10,000). The related records count only
     * where the caller may read them, and their fields as the caller sees them: a hidden field, an entity they may
     * not read or a link field hidden from them is unknown, as their own hidden fields are. The reference columns are
     * indexed, so the database probes the related table per row.
     *
     * @param through  the filters through {@code step}, their fields starting with it; empty for a presence filter
     * @param presence null, or {@code null}/{@code notnull} of the related list {@code step} alone
     */
    private Sql related(String step, List<Filter> through, io.relata.api.record.FilterOperator presence) {
        List<String> paths = presence != null ? List.of(step) : through.stream().map(Filter::field).toList();
        FieldDefinition reference = presence != null || hidden.contains(step) ? null : entity.field(step)
                .filter(f -> f.type() == FieldType.REFERENCE).orElse(null);
        io.relata.api.model.ReverseReference list = reference != null ? null
                : io.relata.api.model.RelatedPath.list(entities, entity.name(), step).orElse(null);
        String target = reference != null ? reference.referenceEntity()
                : list != null ? list.sourceEntity().name() : null;
        QueryBuilder inner = target == null || related == null ? null : related.apply(target);
        if (inner == null || inner.rows.scope() == io.relata.api.security.AccessScope.NONE
                || list != null && inner.hidden.contains(list.sourceField().name())) {
            for (String path : paths) {
                errors.add(new FieldError(path, ErrorCodes.UNKNOWN_FIELD, LocalizedText.format("Filter: {0} hat kein"
                        + " Feld und keine verknüpfte Liste '{1}'", "Filter: {0} has no field or related list '{1}'",
                        entity.name(), path)));
            }
            return null;
        }
        inner = inner.nested(Names.quote("r" + (depth + 1)), depth + 1);
        String id = Names.quote(Names.ID);
        Sql sql = new Sql().append("EXISTS (SELECT 1 FROM " + Names.quote(Names.table(target)) + " " + inner.self
                + " WHERE ");
        if (reference != null) {
            sql.append(inner.self + "." + id + " = " + self + "." + Names.quote(reference.name()));
        } else {
            FieldDefinition link = list.sourceField();
            if (link.type() == FieldType.RECORD_LINK) {
                sql.append(inner.self + "." + Names.quote(Names.linkEntityColumn(link.name())) + " = ")
                        .param(FieldType.TEXT, entity.name()).append(" AND ");
            }
            sql.append(inner.self + "." + Names.quote(link.name()) + " = " + self + "." + id);
        }
        // the related table's own columns are written unqualified: inside the EXISTS they are the related row's
        appendAnd(sql, inner.rows.condition(inner.self));
        List<Filter> rests = through.stream().map(f -> new Filter(f.field().substring(step.length() + 1), f.operator(),
                f.value())).toList();
        for (Sql condition : inner.filterConditions(new RecordQuery(rests, List.of(), null, 1, null))) {
            appendAnd(sql, condition);
        }
        for (FieldError error : inner.errors) {
            errors.add(new FieldError(step + "." + error.field(), error.code(), error.text()));
        }
        sql.append(")");
        if (presence == io.relata.api.record.FilterOperator.IS_NULL) {
            Sql none = new Sql().append("NOT ").append(sql.text.toString());
            none.params.addAll(sql.params);
            return none;
        }
        return sql;
    }

    /** Whether {@code path} goes through more references or related lists than a filter may (an error if so). */
    private boolean tooDeep(String path) {
        if (path.chars().filter(c -> c == '.').count() + depth <= MAX_RELATED_DEPTH) {
            return false;
        }
        errors.add(new FieldError(path, ErrorCodes.UNKNOWN_FIELD, LocalizedText.format("Filter: '{0}' führt über"
                + " mehr als {1} Verweise oder verknüpfte Listen", "Filter: '{0}' goes through more than {1}"
                + " references or related lists", path, MAX_RELATED_DEPTH)));
        return true;
    }

    /** Appends {@code " AND (<condition>)"}, nothing for a null condition. */
    private static void appendAnd(Sql sql, Sql condition) {
        if (condition != null) {
            sql.append(" AND (").append(condition.text.toString()).append(")");
            sql.params.addAll(condition.params);
        }
    }

    /** A record-link compares as the pair (entity, id): eq, ne, in and null only. */
    private Sql linkFilter(Filter filter, FieldDefinition field) throws InvalidValueException {
        String col = Names.quote(field.name());
        Sql sql = new Sql();
        switch (filter.operator()) {
            case IS_NULL -> sql.append(col + " IS NULL");
            case IS_NOT_NULL -> sql.append(col + " IS NOT NULL");
            case EQ, NE -> {
                RecordLink link = (RecordLink) converter.convert(field, filter.value());
                boolean eq = filter.operator() == io.relata.api.record.FilterOperator.EQ;
                if (link == null) {
                    sql.append(col + (eq ? " IS NULL" : " IS NOT NULL"));
                } else if (eq) {
                    linkEquals(sql, field, link);
                } else {
                    sql.append("NOT (");
                    linkEquals(sql, field, link);
                    sql.append(") OR " + col + " IS NULL");
                }
            }
            case IN -> {
                List<RecordLink> links = new ArrayList<>();
                for (Object raw : list(filter.value())) {
                    RecordLink link = (RecordLink) converter.convert(field, raw);
                    if (link != null) {
                        links.add(link);
                    }
                }
                if (links.isEmpty()) {
                    sql.append("1 = 0");
                }
                for (int i = 0; i < links.size(); i++) {
                    sql.append(i == 0 ? "(" : " OR (");
                    linkEquals(sql, field, links.get(i));
                    sql.append(")");
                }
            }
            default -> throw invalidOperator(filter, LocalizedText.of("eine Datensatz-Verknüpfung nimmt eq, ne, in oder"
                    + " null, mit Werten wie lead:12", "a record link takes eq, ne, in or null, with values like lead:12"));
        }
        return sql;
    }

    private static void linkEquals(Sql sql, FieldDefinition field, RecordLink link) {
        sql.append(Names.quote(Names.linkEntityColumn(field.name())) + " = ").param(FieldType.TEXT, link.entity())
                .append(" AND " + Names.quote(field.name()) + " = ").param(FieldType.INTEGER, link.id());
    }

    private Object value(FieldDefinition field, Object raw, boolean equality) throws InvalidValueException {
        if (field.type() == FieldType.MULTI_CHOICE) {
            return converter.convert(field, raw); // the exact set of options, canonical order
        }
        return converter.convertForFilter(field, raw, field.type() == FieldType.CHOICE || !equality);
    }

    private static Object required(Filter filter, Object value) throws InvalidValueException {
        if (value == null) {
            throw InvalidValueException.of(ErrorCodes.MISSING_VALUE, "der Operator {0} braucht einen Wert",
                    "the operator {0} needs a value", filter.operator().token());
        }
        return value;
    }

    private static InvalidValueException invalidOperator(Filter filter, LocalizedText hint) {
        return InvalidValueException.of(ErrorCodes.INVALID_OPERATOR, "der Operator {0} passt hier nicht; {1}",
                "the operator {0} does not apply here; {1}", filter.operator().token(), hint);
    }

    private static Collection<?> list(Object value) {
        if (value == null) {
            return List.of();
        }
        if (value instanceof Collection<?> collection) {
            return collection;
        }
        if (value instanceof Object[] array) {
            return Arrays.asList(array);
        }
        if (value instanceof CharSequence text) {
            return Arrays.stream(text.toString().split(",")).map(String::strip).filter(s -> !s.isEmpty()).toList();
        }
        return List.of(value);
    }

    /**
     * Contains-search over the searchable text fields the caller may see: {@code lower(field) LIKE '%term%'},
     * ORed. A term shorter than {@link #MIN_CONTAINS_LENGTH} characters searches at the start of the values
     * ({@code 'te%'}) instead: a trigram index cannot narrow a contains-search of one or two characters, a
     * prefix it can.
     *
     * <p>On PostgreSQL the pattern is written into the statement as a string literal ({@link #literal}) instead
     * of a bind parameter: a prepared statement that ran often enough gets a generic plan that does not know
     * the pattern, cannot use the trigram indexes and scans the table. With the literal every search is planned
     * for its own pattern.
     */
    private Sql search(String term) {
        Sql sql = new Sql();
        List<FieldDefinition> fields = entity.searchableFields().stream()
                .filter(f -> f.type().isTextual() && !Names.isSystemColumn(f.name()) && !hidden.contains(f.name()))
                .toList();
        if (fields.isEmpty()) {
            return sql.append("1 = 0");
        }
        boolean contains = term.codePointCount(0, term.length()) >= MIN_CONTAINS_LENGTH;
        String pattern = (contains ? "%" : "") + Sql.escapeLike(term) + "%";
        for (int i = 0; i < fields.size(); i++) {
            sql.append(i == 0 ? "" : " OR ").append("lower(" + Names.quote(fields.get(i).name()) + ") LIKE lower(");
            if (dialect == SqlDialect.POSTGRESQL) {
                sql.append(literal(pattern));
            } else {
                sql.param(FieldType.TEXT, pattern);
            }
            sql.append(") ESCAPE '\\'");
        }
        return sql;
    }

    /**
     * A PostgreSQL escape string literal ({@code E'...'}) holding {@code text}: backslashes doubled, quotes
     * doubled. An escape string means the same whatever {@code standard_conforming_strings} says, so no text
     * can end the literal early. NUL cannot be in it ({@link ValueConverter#checkCharacters}).
     */
    static String literal(String text) {
        if (text.indexOf('\0') >= 0) {
            throw new IllegalArgumentException("NUL in a literal");
        }
        return "E'" + text.replace("\\", "\\\\").replace("'", "''") + "'";
    }

    // ---- ORDER BY and keyset ----

    /**
     * The sort keys of the query, newest first when it has none, with id appended as the tiebreaker (unless id is
     * already a key), in the direction of the last key: {@code received_at DESC, id DESC}, so that one index on (received_at, id), read
     * backwards or declared descending, serves the whole order.
     */
    List<Key> keys(List<Sort> sort) {
        if (sort.isEmpty()) {
            // newest first, as a CRM's lists show them; the composite indexes on (…, created_at, id) serve it
            return List.of(new Key(Sql.SYSTEM_COLUMNS.get(Names.CREATED_AT), true), new Key(Sql.SYSTEM_COLUMNS.get(Names.ID), true));
        }
        List<Key> keys = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (Sort key : sort) {
            FieldDefinition column = column(key.field(), LocalizedText.of("Sortierung", "Sort"));
            if (column != null && column.type() == FieldType.RECORD_LINK) {
                errors.add(new FieldError(key.field(), ErrorCodes.INVALID_OPERATOR, LocalizedText.format("Sortierung: {0}"
                        + " verknüpft Datensätze mehrerer Entitäten und hat keine Reihenfolge; sortieren Sie nach einem"
                        + " anderen Feld", "Sort: {0} links records of several entities and has no order; sort by another"
                        + " field", key.field())));
                continue;
            }
            if (column == null || !seen.add(column.name())) {
                continue;
            }
            keys.add(new Key(column, key.descending()));
            if (column.name().equals(Names.ID)) {
                return keys; // id is unique: nothing after it changes the order
            }
        }
        keys.add(new Key(Sql.SYSTEM_COLUMNS.get(Names.ID), !keys.isEmpty() && keys.get(keys.size() - 1).descending()));
        return keys;
    }

    /**
     * {@code ORDER BY}: nulls last in both directions. A column that is never null ({@link Sql#isNeverNull}) gets
     * no {@code NULLS LAST}: without it, an ascending btree read backwards matches the descending order on
     * PostgreSQL (a backward scan yields {@code DESC NULLS FIRST}, which the planner does not equate with
     * {@code DESC NULLS LAST} even for a NOT NULL column).
     */
    static void orderBy(Sql sql, List<Key> keys) {
        sql.append(" ORDER BY ");
        for (int i = 0; i < keys.size(); i++) {
            sql.append(i == 0 ? "" : ", ").append(orderKey(keys.get(i).column().name(), keys.get(i).descending()));
        }
    }

    /** One ORDER BY or index key: {@code "x" DESC NULLS LAST}, or {@code "id" DESC} for a column never null. */
    static String orderKey(String column, boolean descending) {
        return Names.quote(column) + (descending ? " DESC" : " ASC") + (Sql.isNeverNull(column) ? "" : " NULLS LAST");
    }

    /**
     * The rows after the cursor's row in the order of {@code keys} (nulls last in both directions), as ranges
     * in that order, each a condition an index in the sort order can start a scan at (see {@link #select}).
     * Empty list: a cursor that does not decode (the error is collected).
     */
    private List<Sql> keyset(List<Key> keys, String cursor) {
        Object[] values = decode(keys, cursor);
        if (values == null) {
            return List.of();
        }
        List<Sql> ranges = new ArrayList<>();
        after(keys, values, 0, new Sql(), ranges);
        if (ranges.isEmpty()) {
            ranges.add(new Sql().append("1 = 0"));
        }
        return ranges;
    }

    /**
     * Adds the ranges of rows that agree with the cursor on keys before {@code i} ({@code prefix}) and come after
     * it from key {@code i} on, in sort order. Where key i is null, later rows are null in key i too (nothing
     * sorts after a null). Otherwise: if every later key is never null and goes the same way, one row-value
     * comparison covers them all ({@code (received_at, id) < (?, ?)}, an index range); else the rows equal in
     * key i (recursively), then those after its value. Rows null in a nullable key i come last, as their own
     * range: a comparison is never true for a null.
     */
    private void after(List<Key> keys, Object[] values, int i, Sql prefix, List<Sql> ranges) {
        if (i == keys.size()) {
            return;
        }
        Key key = keys.get(i);
        String col = Names.quote(key.column().name());
        if (values[i] == null) {
            after(keys, values, i + 1, and(prefix).append(col + " IS NULL"), ranges);
            return;
        }
        String op = key.descending() ? " < " : " > ";
        boolean oneRange = true;
        for (int j = i + 1; j < keys.size(); j++) {
            oneRange &= Sql.isNeverNull(keys.get(j).column().name()) && keys.get(j).descending() == key.descending();
        }
        if (oneRange && i == keys.size() - 1) {
            ranges.add(and(prefix).append(col + op).param(key.column().type(), values[i]));
        } else if (oneRange) {
            Sql range = and(prefix).append("(");
            for (int j = i; j < keys.size(); j++) {
                range.append((j == i ? "" : ", ") + Names.quote(keys.get(j).column().name()));
            }
            range.append(")" + op + "(");
            for (int j = i; j < keys.size(); j++) {
                range.append(j == i ? "" : ", ").param(keys.get(j).column().type(), values[j]);
            }
            ranges.add(range.append(")"));
        } else {
            after(keys, values, i + 1, and(prefix).append(col + " = ").param(key.column().type(), values[i]), ranges);
            ranges.add(and(prefix).append(col + op).param(key.column().type(), values[i]));
        }
        if (!Sql.isNeverNull(key.column().name())) {
            ranges.add(and(prefix).append(col + " IS NULL"));
        }
    }

    /** A copy of {@code prefix} ready for one more condition. */
    private static Sql and(Sql prefix) {
        Sql sql = new Sql().append(prefix.text.toString());
        sql.params.addAll(prefix.params);
        return prefix.text.length() == 0 ? sql : sql.append(" AND ");
    }

    /** The opaque cursor pointing after {@code last}: its sort values and id, base64url. */
    static String encode(List<Key> keys, Record last) {
        StringBuilder text = new StringBuilder(CURSOR_VERSION).append('|').append(fingerprint(keys));
        for (Key key : keys) {
            Object value = switch (key.column().name()) {
                case Names.ID -> last.id();
                case Names.VERSION -> last.version();
                case Names.CREATED_AT -> last.createdAt();
                case Names.UPDATED_AT -> last.updatedAt();
                case Names.OWNER_USER -> last.ownerUser();
                case Names.OWNER_TEAM -> last.ownerTeam();
                default -> last.get(key.column().name());
            };
            if (value == null) {
                text.append("|~");
            } else {
                String string = switch (key.column().type()) {
                    case DECIMAL, MONEY -> ((BigDecimal) value).toPlainString();
                    case MULTI_CHOICE -> ValueConverter.toStored(((List<?>) value).stream().map(String::valueOf).toList());
                    default -> value.toString();
                };
                text.append("|=").append(string.length()).append(':').append(string);
            }
        }
        return Base64.getUrlEncoder().withoutPadding().encodeToString(text.toString().getBytes(StandardCharsets.UTF_8));
    }

    private Object[] decode(List<Key> keys, String cursor) {
        try {
            String text = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
            String prefix = CURSOR_VERSION + "|" + fingerprint(keys);
            if (!text.startsWith(prefix)) {
                throw new IllegalArgumentException("cursor of another query");
            }
            int pos = prefix.length();
            Object[] values = new Object[keys.size()];
            for (int i = 0; i < keys.size(); i++) {
                if (text.startsWith("|~", pos)) {
                    if (Sql.isNeverNull(keys.get(i).column().name())) {
                        throw new IllegalArgumentException("null in a column never null");
                    }
                    pos += 2;
                    continue;
                }
                if (!text.startsWith("|=", pos)) {
                    throw new IllegalArgumentException("bad value marker");
                }
                int colon = text.indexOf(':', pos);
                int length = Integer.parseInt(text.substring(pos + 2, colon));
                String string = text.substring(colon + 1, colon + 1 + length);
                if (string.indexOf('\0') >= 0) {
                    throw new IllegalArgumentException("NUL in a value"); // never in a cursor this store made
                }
                pos = colon + 1 + length;
                values[i] = parse(keys.get(i).column().type(), string);
            }
            if (pos != text.length()) {
                throw new IllegalArgumentException("trailing data");
            }
            return values;
        } catch (RuntimeException e) {
            errors.add(new FieldError("cursor", ErrorCodes.INVALID_CURSOR, LocalizedText.of("Der Cursor gehört nicht zu"
                    + " dieser Abfrage (oder ist beschädigt); beginnen Sie wieder mit der ersten Seite", "The cursor does"
                    + " not belong to this query (or is damaged); start again from the first page")));
            return null;
        }
    }

    private static Object parse(FieldType type, String text) {
        return switch (type) {
            case INTEGER, REFERENCE, FILE -> Long.parseLong(text);
            case DECIMAL, MONEY -> new BigDecimal(text);
            case DATE -> LocalDate.parse(text);
            case DATE_TIME -> OffsetDateTime.parse(text);
            case BOOLEAN -> {
                if (!text.equals("true") && !text.equals("false")) {
                    throw new IllegalArgumentException("not a boolean");
                }
                yield Boolean.valueOf(text);
            }
            default -> text;
        };
    }

    /** Ties a cursor to the sort order it was made for. */
    private static String fingerprint(List<Key> keys) {
        StringBuilder spec = new StringBuilder();
        for (Key key : keys) {
            spec.append(key.column().name()).append(key.descending() ? '-' : '+');
        }
        return Integer.toHexString(spec.toString().hashCode());
    }

    void throwIfErrors() {
        if (!errors.isEmpty()) {
            throw new ValidationException(errors);
        }
    }
}
