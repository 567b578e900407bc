package io.relata.store;

import io.relata.api.model.EntityDefinition;
import io.relata.api.model.FieldDefinition;
import io.relata.api.model.FieldType;
import io.relata.api.model.LocalizedText;
import io.relata.api.model.MetadataModel;
import io.relata.api.model.ReverseReference;
import io.relata.api.model.TitleTemplate;
import io.relata.api.record.AccessDeniedException;
import io.relata.api.record.Aggregate;
import io.relata.api.record.CappedCount;
import io.relata.api.record.ConcurrentUpdateException;
import io.relata.api.record.ErrorCodes;
import io.relata.api.record.FieldError;
import io.relata.api.record.Record;
import io.relata.api.record.RecordInUseException;
import io.relata.api.record.RecordLink;
import io.relata.api.record.RecordNotFoundException;
import io.relata.api.record.RecordPage;
import io.relata.api.record.RecordQuery;
import io.relata.api.record.RecordStore;
import io.relata.api.record.UnknownEntityException;
import io.relata.api.record.ValidationException;
import io.relata.api.rules.RecordRules;
import io.relata.api.rules.RuleOutcome;
import io.relata.api.security.FieldAccess;
import io.relata.store.access.Operation;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Supplier;
import javax.sql.DataSource;

/**
 * The {@link RecordStore} on H2 or PostgreSQL over JDBC: SQL generated from the current metadata model
 * (read once per call), values always bound as parameters. Each call is one transaction, or joins the one
 * {@link JdbcTransactions} has open on this thread.
 *
 * <p>Writes convert and validate every value ({@link ValueConverter}), check {@code required} on the record
 * as it will be stored, check references and unique values with a SELECT first (a unique violation found
 * by the database still becomes a {@code unique} error), and lock optimistically: an update or delete
 * names the version it read and fails with {@link ConcurrentUpdateException} if the row has moved on.
 * Database failures that are not the caller's fault become {@link StoreException}.
 *
 * <p>What a create, update or replace stores is decided by the {@link WritePipeline}: input conversion, the
 * entity's rules ({@link RecordRules}), the {@link RecordWriteHook} (processes), the rules again on the final
 * record, and the checks, inside the write's transaction (decision record 0003, "Rules in the write path",
 * lists the steps). This class runs the SQL around it, and after the row is written recomputes the stored values
 * of other records that depend on it ({@link Dependents}, decision record 0008) in the same transaction. Calls made on this store directly run the rules for
 * {@link io.relata.api.security.Actor#SYSTEM}.
 *
 * <p>This store is unrestricted: every record and field, for platform work (start-up, demo data,
 * migrations). Records carry their owner ({@code owner_user}, {@code owner_team}); the public methods leave
 * it null unless given to {@link #create(String, Map, Long, Long)}. User calls go through
 * {@link SecuredRecordStore}, which uses the package-level variants that take an {@link AccessGuard}.
 */
public final class JdbcRecordStore implements RecordStore {

    private static final int TITLE_BATCH = 500;
    /**
     * Ask for the id by name: with RETURN_GENERATED_KEYS PostgreSQL's driver appends {@code RETURNING *}, whose cached
     * plan breaks ("cached plan must not change result type") on pooled connections once a metadata change adds a
     * column while requests run (measured in PluginIT: an upgrade under load).
     */
    private static final String[] GENERATED_ID = {Names.ID};

    private final JdbcTransactions transactions;
    private final Supplier<MetadataModel> models;
    private final Clock clock;
    private final RecordRules rules;
    private final RecordWriteHook hook;
    private final ValueConverter converter = new ValueConverter();
    /** The database's dialect, asked on first use (the search SQL depends on it). */
    private volatile SqlDialect dialect;

    /** A store without rules ({@link RecordRules#NONE}). */
    public JdbcRecordStore(DataSource dataSource, Supplier<MetadataModel> models) {
        this(new JdbcTransactions(dataSource), models, Clock.systemUTC());
    }

    /** A store without rules ({@link RecordRules#NONE}). */
    public JdbcRecordStore(JdbcTransactions transactions, Supplier<MetadataModel> models, Clock clock) {
        this(transactions, models, clock, RecordRules.NONE);
    }

    /**
     * @param transactions the transactions every call joins or opens
     * @param models       the current metadata model, asked once per call
     * @param clock        for created_at and updated_at
     * @param rules        runs the entities' rules on every create, update and replace
     */
    public JdbcRecordStore(JdbcTransactions transactions, Supplier<MetadataModel> models, Clock clock,
                           RecordRules rules) {
        this(transactions, models, clock, rules, RecordWriteHook.NONE);
    }

    private JdbcRecordStore(JdbcTransactions transactions, Supplier<MetadataModel> models, Clock clock,
                            RecordRules rules, RecordWriteHook hook) {
        this.transactions = transactions;
        this.models = models;
        this.clock = clock;
        this.rules = java.util.Objects.requireNonNull(rules, "rules");
        this.hook = java.util.Objects.requireNonNull(hook, "hook");
    }

    /** This store (same transactions, model, clock and hook) with other rules. */
    public JdbcRecordStore withRules(RecordRules otherRules) {
        return new JdbcRecordStore(transactions, models, clock, otherRules, hook);
    }

    /** This store (same transactions, model, clock and rules) with a write hook (processes). */
    public JdbcRecordStore withHook(RecordWriteHook writeHook) {
        return new JdbcRecordStore(transactions, models, clock, rules, writeHook);
    }

    public Clock clock() {
        return clock;
    }

    public JdbcTransactions transactions() {
        return transactions;
    }

    /** The rules this store runs; {@link SecuredRecordStore} uses them unless given its own. */
    public RecordRules rules() {
        return rules;
    }

    /** What takes part in every write of this store (processes, plugins' listeners, the lifecycle's moves). */
    public RecordWriteHook hook() {
        return hook;
    }

    // ---- writes ----

    @Override
    public Record create(String entityName, Map<String, Object> values) {
        return create(models.get(), entityName, values, null, null, AccessGuard.NONE, rules, change -> { });
    }

    /**
     * Creates a record owned by {@code ownerUser} and {@code ownerTeam} (either may be null): for platform
     * code that creates records on a user's behalf. {@link #create(String, Map)} leaves both null.
     */
    public Record create(String entityName, Map<String, Object> values, Long ownerUser, Long ownerTeam) {
        return create(models.get(), entityName, values, ownerUser, ownerTeam, AccessGuard.NONE, rules, change -> { });
    }

    Record create(MetadataModel model, String entityName, Map<String, Object> values, Long ownerUser, Long ownerTeam,
                  AccessGuard guard, RecordRules recordRules, Consumer<AutomaticChange> listener) {
        EntityDefinition entity = entity(model, entityName);
        WritePipeline pipeline = new WritePipeline(converter, recordRules, hook, this::dialect, clock);
        WritePipeline.Input input = pipeline.convert(entity, values, guard);
        return run(entity, "create", c -> {
            WritePipeline.Prepared prepared = pipeline.prepare(c, model, entity, input, null, false, guard);
            Map<String, Object> row = prepared.row();
            OffsetDateTime now = now();
            Sql sql = new Sql().append("INSERT INTO " + table(entity) + " (" + Names.quote(Names.VERSION) + ", "
                    + Names.quote(Names.CREATED_AT) + ", " + Names.quote(Names.UPDATED_AT) + ", "
                    + Names.quote(Names.OWNER_USER) + ", " + Names.quote(Names.OWNER_TEAM));
            for (String field : row.keySet()) {
                for (String column : columns(entity.field(field).orElseThrow())) {
                    sql.append(", " + Names.quote(column));
                }
            }
            sql.append(") VALUES (1, ").param(FieldType.DATE_TIME, now).append(", ").param(FieldType.DATE_TIME, now)
                    .append(", ").param(FieldType.INTEGER, ownerUser).append(", ").param(FieldType.INTEGER, ownerTeam);
            for (Map.Entry<String, Object> entry : row.entrySet()) {
                FieldDefinition field = entity.field(entry.getKey()).orElseThrow();
                if (field.type() == FieldType.RECORD_LINK) {
                    RecordLink link = (RecordLink) entry.getValue();
                    sql.append(", ").param(FieldType.INTEGER, link == null ? null : link.id())
                            .append(", ").param(FieldType.TEXT, link == null ? null : link.entity());
                } else {
                    sql.append(", ").param(field.type(), entry.getValue());
                }
            }
            sql.append(")");
            long id;
            try (PreparedStatement statement = c.prepareStatement(sql.text.toString(), GENERATED_ID)) {
                Sql.bindAll(statement, sql.params, 1);
                statement.executeUpdate();
                try (ResultSet keys = statement.getGeneratedKeys()) {
                    keys.next();
                    id = keys.getLong(idColumn(keys));
                }
            }
            return afterWrite(c, model, entity, null, id, now, prepared, guard, recordRules, listener);
        });
    }

    @Override
    public Record update(String entityName, long id, long expectedVersion, Map<String, Object> changes) {
        return write(models.get(), entityName, id, expectedVersion, changes, false, AccessGuard.NONE, rules, change -> { });
    }

    @Override
    public Record replace(String entityName, long id, long expectedVersion, Map<String, Object> values) {
        return write(models.get(), entityName, id, expectedVersion, values, true, AccessGuard.NONE, rules, change -> { });
    }

    /**
     * Update ({@code all} false) or replace. Under a guard: the row must be readable (else not found) and in
     * the update scope (else access denied, checked in Java and again in the UPDATE's WHERE); hidden and
     * read-only fields cannot be given (a read-only field given with its stored value is accepted) and keep
     * their stored values on replace, as do the fields only rules write.
     */
    Record write(MetadataModel model, String entityName, long id, long expectedVersion, Map<String, Object> values,
                 boolean all, AccessGuard guard, RecordRules recordRules, Consumer<AutomaticChange> listener) {
        return write(model, entityName, id, expectedVersion, values, all, guard, recordRules, listener, null);
    }

    /** Who owns a record: a user and a team, either may be null. */
    record Owner(Long user, Long team) {
    }

    /** Like the write above, also handing the record to {@code newOwner} (null: the owner stays). */
    Record write(MetadataModel model, String entityName, long id, long expectedVersion, Map<String, Object> values,
                 boolean all, AccessGuard guard, RecordRules recordRules, Consumer<AutomaticChange> listener,
                 Owner newOwner) {
        EntityDefinition entity = entity(model, entityName);
        WritePipeline pipeline = new WritePipeline(converter, recordRules, hook, this::dialect, clock);
        WritePipeline.Input input = pipeline.convert(entity, values, guard);
        String operation = all ? "replace" : "update";
        return run(entity, operation, c -> {
            Record current = select(c, entity, id, guard.rows(entity, Operation.READ))
                    .orElseThrow(() -> new RecordNotFoundException(entity.name(), id));
            return writeOn(c, model, entity, current, expectedVersion, pipeline, input, all, guard, recordRules, listener,
                    newOwner);
        });
    }

    /** The update or replace of {@code current} (read within the guard's read scope) on the write's connection. */
    private Record writeOn(Connection c, MetadataModel model, EntityDefinition entity, Record current, long expectedVersion,
                           WritePipeline pipeline, WritePipeline.Input input, boolean all, AccessGuard guard,
                           RecordRules recordRules, Consumer<AutomaticChange> listener, Owner newOwner) throws SQLException {
        long id = current.id();
        RowScope writable = guard.rows(entity, Operation.UPDATE);
        if (!writable.includes(current)) {
            throw new AccessDeniedException(entity.name(), "update", id);
        }
        if (current.version() != expectedVersion) {
            throw new ConcurrentUpdateException(entity.name(), id, expectedVersion);
        }
        WritePipeline.Prepared prepared = pipeline.prepare(c, model, entity, input, current, all, guard);
        OffsetDateTime now = now();
        Sql sql = new Sql().append("UPDATE " + table(entity) + " SET ");
        for (Map.Entry<String, Object> entry : prepared.row().entrySet()) {
            if (sameValue(entry.getValue(), current.get(entry.getKey()))) {
                continue;
            }
            FieldDefinition field = entity.field(entry.getKey()).orElseThrow();
            if (field.type() == FieldType.RECORD_LINK) {
                RecordLink link = (RecordLink) entry.getValue();
                sql.append(Names.quote(field.name()) + " = ").param(FieldType.INTEGER, link == null ? null : link.id())
                        .append(", " + Names.quote(Names.linkEntityColumn(field.name())) + " = ")
                        .param(FieldType.TEXT, link == null ? null : link.entity()).append(", ");
            } else {
                sql.append(Names.quote(entry.getKey()) + " = ").param(field.type(), entry.getValue()).append(", ");
            }
        }
        if (newOwner != null) {
            sql.append(Names.quote(Names.OWNER_USER) + " = ").param(FieldType.INTEGER, newOwner.user())
                    .append(", " + Names.quote(Names.OWNER_TEAM) + " = ").param(FieldType.INTEGER, newOwner.team()).append(", ");
        }
        sql.append(Names.quote(Names.VERSION) + " = " + Names.quote(Names.VERSION) + " + 1, "
                + Names.quote(Names.UPDATED_AT) + " = ").param(FieldType.DATE_TIME, now)
                .append(" WHERE " + Names.quote(Names.ID) + " = ").param(FieldType.INTEGER, id)
                .append(" AND " + Names.quote(Names.VERSION) + " = ").param(FieldType.INTEGER, expectedVersion);
        writable.andTo(sql);
        try (PreparedStatement statement = sql.prepare(c)) {
            if (statement.executeUpdate() == 0) {
                throw lostRace(c, entity, id, expectedVersion);
            }
        }
        return afterWrite(c, model, entity, current, id, now, prepared, guard, recordRules, listener);
    }

    /**
     * What follows every create and update once the row is in the table, on the same connection: the audit, the
     * processes ({@link RecordWriteHook#written}), the values of other records that depend on this one, and the
     * report of what the processes set. Returns the stored record as the writer may see it.
     */
    private Record afterWrite(Connection c, MetadataModel model, EntityDefinition entity, Record before, long id,
                              OffsetDateTime now, WritePipeline.Prepared prepared, AccessGuard guard,
                              RecordRules recordRules, Consumer<AutomaticChange> listener) throws SQLException {
        Record written = select(c, entity, id, RowScope.ALL).orElseThrow();
        guard.written(c, entity, before, written, now);
        hook.written(new RecordWriteHook.Written(c, model, entity, before, written, guard.actor(), now, prepared.note()));
        recomputeDependents(c, model, entity, before, written, recordRules);
        report(entity, id, prepared, guard, listener);
        return withoutHidden(written, entity, guard);
    }

    /**
     * Recomputes, on the write's connection and with the platform's rights, the stored values of other records that
     * depend on this change ({@link Dependents}); only records whose values come out different are written (through
     * the whole pipeline, so their own processes and dependents follow). Nothing of them reaches the writer.
     */
    private void recomputeDependents(Connection c, MetadataModel model, EntityDefinition entity, Record before,
                                     Record after, RecordRules recordRules) throws SQLException {
        Map<EntityDefinition, Set<Long>> targets = Dependents.of(c, model, entity, before, after);
        if (targets.isEmpty()) {
            return;
        }
        Dependents.nested(entity, () -> {
            for (Map.Entry<EntityDefinition, Set<Long>> target : targets.entrySet()) {
                EntityDefinition dependent = target.getKey();
                for (long id : target.getValue()) {
                    Optional<Record> current = select(c, dependent, id, RowScope.ALL);
                    if (current.isEmpty() || !Dependents.stale(c, model, dependent, current.get(), recordRules, converter)) {
                        continue;
                    }
                    WritePipeline pipeline = new WritePipeline(converter, recordRules, hook, this::dialect, clock);
                    writeOn(c, model, dependent, current.get(), current.get().version(), pipeline,
                            pipeline.convert(dependent, Map.of(), AccessGuard.NONE), false, AccessGuard.NONE, recordRules,
                            change -> { }, null);
                }
            }
        });
    }

    /** Tells the listener what the hook set, except in fields the writer may not see. */
    private static void report(EntityDefinition entity, long id, WritePipeline.Prepared prepared, AccessGuard guard,
                               Consumer<AutomaticChange> listener) {
        for (WritePipeline.Setting setting : prepared.settings()) {
            if (guard.fieldAccess(entity, setting.field()) != FieldAccess.HIDDEN) {
                listener.accept(setting.of(entity.name(), id));
            }
        }
    }

    @Override
    public void delete(String entityName, long id, Long expectedVersion) {
        delete(models.get(), entityName, id, expectedVersion, AccessGuard.NONE);
    }

    void delete(MetadataModel model, String entityName, long id, Long expectedVersion, AccessGuard guard) {
        EntityDefinition entity = entity(model, entityName);
        run(entity, "delete", id, c -> {
            Record current = select(c, entity, id, guard.rows(entity, Operation.READ))
                    .orElseThrow(() -> new RecordNotFoundException(entity.name(), id));
            RowScope deletable = guard.rows(entity, Operation.DELETE);
            if (!deletable.includes(current)) {
                throw new AccessDeniedException(entity.name(), "delete", id);
            }
            if (expectedVersion != null && current.version() != expectedVersion) {
                throw new ConcurrentUpdateException(entity.name(), id, expectedVersion);
            }
            List<RecordInUseException.Usage> usages = usages(c, model, entity, id);
            if (!usages.isEmpty()) {
                throw new RecordInUseException(entity.name(), id, usages);
            }
            Sql sql = new Sql().append("DELETE FROM " + table(entity) + " WHERE " + Names.quote(Names.ID) + " = ")
                    .param(FieldType.INTEGER, id);
            if (expectedVersion != null) {
                sql.append(" AND " + Names.quote(Names.VERSION) + " = ").param(FieldType.INTEGER, expectedVersion);
            }
            deletable.andTo(sql);
            try (PreparedStatement statement = sql.prepare(c)) {
                if (statement.executeUpdate() == 0) {
                    throw lostRace(c, entity, id, expectedVersion == null ? current.version() : expectedVersion);
                }
            }
            OffsetDateTime now = now();
            guard.written(c, entity, current, null, now);
            hook.written(new RecordWriteHook.Written(c, model, entity, current, null, guard.actor(), now, null));
            recomputeDependents(c, model, entity, current, null, rules);
            return null;
        });
    }

    // ---- reads ----

    @Override
    public Optional<Record> find(String entityName, long id) {
        return find(models.get(), entityName, id, AccessGuard.NONE);
    }

    Optional<Record> find(MetadataModel model, String entityName, long id, AccessGuard guard) {
        EntityDefinition entity = entity(model, entityName);
        return run(entity, "find", c -> select(c, entity, id, guard.rows(entity, Operation.READ))
                .map(record -> withoutHidden(record, entity, guard)));
    }

    /** The complete record (hidden fields included) if it is within {@code rows}. */
    Optional<Record> find(MetadataModel model, String entityName, long id, RowScope rows) {
        EntityDefinition entity = entity(model, entityName);
        return run(entity, "find", c -> select(c, entity, id, rows));
    }

    @Override
    public RecordPage query(String entityName, RecordQuery query) {
        return query(models.get(), entityName, query, AccessGuard.NONE);
    }

    RecordPage query(MetadataModel model, String entityName, RecordQuery query, AccessGuard guard) {
        EntityDefinition entity = entity(model, entityName);
        QueryBuilder builder = queryBuilder(model, entity, guard);
        List<QueryBuilder.Key> keys = builder.keys(query.sort());
        int limit = Math.min(query.limit(), RecordQuery.MAX_LIMIT);
        Sql sql = builder.select(selectColumns(entity), query, keys, query.cursor(), limit + 1);
        return run(entity, "query", c -> {
            List<Record> records = new ArrayList<>();
            try (PreparedStatement statement = sql.prepare(c); ResultSet rs = statement.executeQuery()) {
                while (rs.next()) {
                    records.add(readRecord(rs, entity));
                }
            }
            String next = null;
            if (records.size() > limit) {
                records = records.subList(0, limit);
                next = QueryBuilder.encode(keys, records.get(limit - 1));
            }
            return new RecordPage(records.stream().map(r -> withoutHidden(r, entity, guard)).toList(), next);
        });
    }

    @Override
    public long count(String entityName, RecordQuery query) {
        return count(models.get(), entityName, query, AccessGuard.NONE);
    }

    long count(MetadataModel model, String entityName, RecordQuery query, AccessGuard guard) {
        EntityDefinition entity = entity(model, entityName);
        Sql sql = new Sql().append("SELECT COUNT(*) FROM " + table(entity));
        queryBuilder(model, entity, guard).where(sql, query);
        return run(entity, "count", c -> {
            try (PreparedStatement statement = sql.prepare(c); ResultSet rs = statement.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        });
    }

    @Override
    public CappedCount countUpTo(String entityName, RecordQuery query, long limit) {
        return countUpTo(models.get(), entityName, query, limit, AccessGuard.NONE);
    }

    CappedCount countUpTo(MetadataModel model, String entityName, RecordQuery query, long limit, AccessGuard guard) {
        if (limit < 0 || limit >= Integer.MAX_VALUE) {
            throw new IllegalArgumentException("limit must be between 0 and " + (Integer.MAX_VALUE - 1) + ": " + limit);
        }
        EntityDefinition entity = entity(model, entityName);
        Sql sql = queryBuilder(model, entity, guard).countUpTo(table(entity), query, limit);
        long counted = run(entity, "count", c -> {
            try (PreparedStatement statement = sql.prepare(c); ResultSet rs = statement.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        });
        return counted > limit ? new CappedCount(limit, false) : new CappedCount(counted, true);
    }

    @Override
    public Optional<Object> aggregate(String entityName, RecordQuery query, Aggregate aggregate, String field) {
        return aggregate(models.get(), entityName, query, aggregate, field, AccessGuard.NONE);
    }

    Optional<Object> aggregate(MetadataModel model, String entityName, RecordQuery query, Aggregate aggregate, String field,
                               AccessGuard guard) {
        EntityDefinition entity = entity(model, entityName);
        QueryBuilder builder = queryBuilder(model, entity, guard);
        Sql sql = builder.aggregate(table(entity), query, aggregate, field);
        FieldType type = builder.aggregateType(aggregate, field);
        Object value = run(entity, "aggregate", c -> {
            try (PreparedStatement statement = sql.prepare(c); ResultSet rs = statement.executeQuery()) {
                rs.next();
                return Sql.read(rs, 1, type);
            }
        });
        // a sum of integers comes back as NUMERIC from PostgreSQL; it is handed out as the integer it is
        if (aggregate == Aggregate.SUM && value instanceof java.math.BigDecimal sum
                && entity.field(field).map(f -> f.type() == FieldType.INTEGER).orElse(false)) {
            value = sum.longValueExact();
        }
        if (aggregate == Aggregate.AVERAGE && value instanceof java.math.BigDecimal average) {
            value = average.stripTrailingZeros();
        }
        return Optional.ofNullable(value);
    }

    /** Groups in the order of their keys, empty keys last (the same on both databases). */
    @SuppressWarnings({"unchecked", "rawtypes"})
    private static final java.util.Comparator<io.relata.api.record.Grouping.Group> GROUP_ORDER = (a, b) -> {
        for (int i = 0; i < a.keys().size(); i++) {
            Object x = a.keys().get(i);
            Object y = b.keys().get(i);
            int c = x == null ? (y == null ? 0 : 1) : y == null ? -1
                    : x instanceof Comparable comparable && x.getClass() == y.getClass() ? comparable.compareTo(y)
                    : String.valueOf(x).compareTo(String.valueOf(y));
            if (c != 0) {
                return c;
            }
        }
        return 0;
    };

    /**
     * The groups of {@code grouping} over the records matching {@code query}'s filters within the guard's rows, in
     * the order of their keys.
     */
    List<io.relata.api.record.Grouping.Group> groups(MetadataModel model, String entityName, RecordQuery query,
                                                     io.relata.api.record.Grouping grouping, AccessGuard guard) {
        EntityDefinition entity = entity(model, entityName);
        QueryBuilder builder = queryBuilder(model, entity, guard);
        Sql sql = builder.grouped(table(entity), query, grouping);
        List<FieldType> keyTypes = new ArrayList<>();
        List<io.relata.api.record.Grouping.Period> periods = new ArrayList<>();
        for (io.relata.api.record.Grouping.Key key : grouping.by()) {
            FieldDefinition system = Sql.SYSTEM_COLUMNS.get(key.field());
            keyTypes.add(system != null ? system.type() : entity.field(key.field()).orElseThrow().type());
            periods.add(key.period());
        }
        List<FieldType> measureTypes = grouping.measures().stream()
                .map(m -> builder.aggregateType(m.aggregate(), m.field())).toList();
        return run(entity, "group", c -> {
            List<io.relata.api.record.Grouping.Group> groups = new ArrayList<>();
            try (PreparedStatement statement = sql.prepare(c); ResultSet rs = statement.executeQuery()) {
                while (rs.next()) {
                    List<Object> keys = new ArrayList<>();
                    int column = 1;
                    for (int i = 0; i < keyTypes.size(); i++) {
                        if (periods.get(i) == io.relata.api.record.Grouping.Period.NONE) {
                            keys.add(Sql.read(rs, column++, keyTypes.get(i)));
                            continue;
                        }
                        int year = rs.getInt(column++);
                        boolean empty = rs.wasNull();
                        int part = rs.getInt(column++);
                        keys.add(empty ? null : periodStart(periods.get(i), year, part));
                    }
                    List<Object> values = new ArrayList<>();
                    for (FieldType type : measureTypes) {
                        values.add(Sql.read(rs, column++, type));
                    }
                    groups.add(new io.relata.api.record.Grouping.Group(keys, values));
                }
            }
            groups.sort(GROUP_ORDER);
            return groups;
        });
    }

    /** The first day of the period numbered {@code part} in {@code year} (see {@code QueryBuilder.periodColumns}). */
    private static java.time.LocalDate periodStart(io.relata.api.record.Grouping.Period period, int year, int part) {
        return switch (period) {
            case DAY -> java.time.LocalDate.ofYearDay(year, part);
            case WEEK -> java.time.LocalDate.of(year, 1, 4).with(java.time.temporal.IsoFields.WEEK_OF_WEEK_BASED_YEAR, part)
                    .with(java.time.DayOfWeek.MONDAY);
            case MONTH -> java.time.LocalDate.of(year, part, 1);
            case QUARTER -> java.time.LocalDate.of(year, (part - 1) * 3 + 1, 1);
            default -> java.time.LocalDate.of(year, 1, 1);
        };
    }

    /** How alike two texts must be to count as similar (pg_trgm's own default for its % operator). */
    static final double SIMILARITY_THRESHOLD = 0.3;
    /** Where pg_trgm lives ("" for none), looked up once. */
    private volatile String trigramSchema;

    /**
     * The records of {@code entity} whose text {@code field} is similar to {@code text} (trigram similarity of at least
     * {@value #SIMILARITY_THRESHOLD}: "ACME GmbH" finds "Acme Gmbh." and "ACME Holding GmbH"), most similar first, at
     * most {@code limit}, within the guard's rows. On PostgreSQL with pg_trgm the database ranks (and its trigram index
     * of a searchable field narrows); elsewhere the records containing a word of the text are ranked in Java the same way.
     */
    List<Record> similar(MetadataModel model, String entityName, String field, String text, int limit, AccessGuard guard) {
        EntityDefinition entity = entity(model, entityName);
        QueryBuilder builder = queryBuilder(model, entity, guard);
        String schema = trigramSchema();
        if (schema != null) {
            Sql sql = builder.similar(selectColumns(entity), field, text, schema, SIMILARITY_THRESHOLD, limit);
            return run(entity, "similar", c -> read(c, sql, entity, guard));
        }
        List<String> words = java.util.Arrays.stream(text.toLowerCase(java.util.Locale.ROOT).split("[^\\p{L}\\p{N}]+"))
                .filter(w -> w.length() >= 3).distinct().limit(8).toList();
        Sql sql = builder.containsAny(selectColumns(entity), field, words, RecordQuery.MAX_LIMIT);
        List<Record> candidates = run(entity, "similar", c -> read(c, sql, entity, guard));
        return candidates.stream()
                .map(r -> Map.entry(r, Trigrams.similarity(String.valueOf(r.get(field)), text)))
                .filter(e -> e.getValue() >= SIMILARITY_THRESHOLD)
                .sorted(Map.Entry.<Record, Double>comparingByValue().reversed().thenComparing(e -> e.getKey().id()))
                .limit(limit).map(Map.Entry::getKey).toList();
    }

    private List<Record> read(Connection c, Sql sql, EntityDefinition entity, AccessGuard guard) throws SQLException {
        List<Record> records = new ArrayList<>();
        try (PreparedStatement statement = sql.prepare(c); ResultSet rs = statement.executeQuery()) {
            while (rs.next()) {
                records.add(withoutHidden(readRecord(rs, entity), entity, guard));
            }
        }
        return records;
    }

    /** The schema of pg_trgm on PostgreSQL; null on H2 or without the extension. */
    private String trigramSchema() {
        String known = trigramSchema;
        if (known == null) {
            if (dialect() != SqlDialect.POSTGRESQL) {
                known = "";
            } else {
                try {
                    known = transactions.withConnection(c -> {
                        try (PreparedStatement ps = c.prepareStatement("SELECT n.nspname FROM pg_extension e "
                                + "JOIN pg_namespace n ON n.oid = e.extnamespace WHERE e.extname = 'pg_trgm'");
                             ResultSet rs = ps.executeQuery()) {
                            return rs.next() ? rs.getString(1) : "";
                        }
                    });
                } catch (SQLException e) {
                    throw new StoreException(null, "look for pg_trgm", e);
                }
            }
            trigramSchema = known;
        }
        return known.isEmpty() ? null : known;
    }

    @Override
    public Map<Long, String> titles(String entityName, List<Long> ids) {
        return titles(models.get(), entityName, ids, AccessGuard.NONE);
    }

    /**
     * Titles of the readable ones among {@code ids}, from the entity's title template; a part the caller may not
     * see is left out, "#id" if nothing is left.
     */
    Map<Long, String> titles(MetadataModel model, String entityName, List<Long> ids, AccessGuard guard) {
        EntityDefinition entity = entity(model, entityName);
        Map<Long, String> titles = new LinkedHashMap<>();
        List<Long> distinct = ids.stream().filter(java.util.Objects::nonNull).distinct().toList();
        if (distinct.isEmpty()) {
            return titles;
        }
        TitleTemplate template = entity.titleTemplate();
        List<FieldDefinition> titleFields = template == null ? List.of() : template.fields().stream()
                .map(name -> entity.field(name).orElse(null)).filter(java.util.Objects::nonNull)
                .filter(f -> !Names.isSystemColumn(f.name()))
                .filter(f -> guard.fieldAccess(entity, f.name()) != FieldAccess.HIDDEN).toList();
        RowScope rows = guard.rows(entity, Operation.READ);
        return run(entity, "titles", c -> {
            Map<Long, String> found = new java.util.HashMap<>();
            for (int from = 0; from < distinct.size(); from += TITLE_BATCH) {
                List<Long> batch = distinct.subList(from, Math.min(from + TITLE_BATCH, distinct.size()));
                Sql sql = new Sql().append("SELECT " + Names.quote(Names.ID));
                titleFields.forEach(f -> sql.append(", " + Names.quote(f.name())));
                sql.append(" FROM " + table(entity) + " WHERE " + Names.quote(Names.ID) + " IN (");
                for (int i = 0; i < batch.size(); i++) {
                    sql.append(i == 0 ? "" : ", ").param(FieldType.INTEGER, batch.get(i));
                }
                sql.append(")");
                rows.andTo(sql);
                try (PreparedStatement statement = sql.prepare(c); ResultSet rs = statement.executeQuery()) {
                    while (rs.next()) {
                        long id = rs.getLong(1);
                        Map<String, String> values = new java.util.HashMap<>();
                        for (int i = 0; i < titleFields.size(); i++) {
                            Object value = Sql.read(rs, i + 2, titleFields.get(i).type());
                            values.put(titleFields.get(i).name(), value instanceof List<?> list
                                    ? String.join(", ", list.stream().map(String::valueOf).toList())
                                    : value == null ? null : value.toString());
                        }
                        String text = template == null ? null : template.render(values::get);
                        found.put(id, text == null || text.isBlank() ? "#" + id : text);
                    }
                }
            }
            for (Long id : distinct) {
                if (found.containsKey(id)) {
                    titles.put(id, found.get(id));
                }
            }
            return titles;
        });
    }

    // ---- forms ----

    /**
     * The rules' outcome for form values, never written, for {@link io.relata.api.security.Actor#SYSTEM} and
     * without restriction; users' forms use {@link SecuredRecordStore#evaluateRules}. Raw values that do not
     * convert count as empty; unknown and rule-written fields are ignored; with {@code id} the values are
     * merged with that stored record, which the rules see as {@code previous}.
     */
    public RuleOutcome evaluateRules(String entityName, Map<String, Object> rawValues, Long id) {
        return preview(models.get(), entityName, rawValues, id, AccessGuard.NONE, rules).outcome();
    }

    /**
     * What saving form values would store, nothing written: raw values are converted leniently (a value that
     * does not convert, an unknown, hidden or rule-written field counts as empty / is ignored) and merged
     * with the stored record if {@code id} is given (which must be readable, else not found). The write
     * pipeline then runs as on save, without its final checks: the rules, the hook's set-field actions and
     * automatic moves, the rules again ({@link WritePipeline#preview}). The outcome's values are converted
     * like on save ({@code rule_value} errors); everything about hidden fields is removed.
     */
    WritePreview preview(MetadataModel model, String entityName, Map<String, Object> rawValues, Long id,
                         AccessGuard guard, RecordRules recordRules) {
        EntityDefinition entity = entity(model, entityName);
        WritePipeline pipeline = new WritePipeline(converter, recordRules, hook, this::dialect, clock);
        Map<String, Object> typed = pipeline.convertLeniently(entity, rawValues, guard);
        return run(entity, "evaluate rules", c -> {
            Record current = null;
            if (id != null) {
                current = select(c, entity, id, guard.rows(entity, Operation.READ))
                        .orElseThrow(() -> new RecordNotFoundException(entity.name(), id));
            }
            WritePipeline.Preview preview = pipeline.preview(c, model, entity, typed, current, guard);
            List<AutomaticChange> changes = new ArrayList<>();
            long recordId = id == null ? 0 : id;
            for (WritePipeline.Setting setting : preview.settings()) {
                if (guard.fieldAccess(entity, setting.field()) != FieldAccess.HIDDEN) {
                    changes.add(setting.of(entity.name(), recordId));
                }
            }
            return new WritePreview(withoutHidden(preview.outcome(), entity, guard), changes);
        });
    }

    /** The outcome without values, errors and states of fields the guard hides. */
    private static RuleOutcome withoutHidden(RuleOutcome outcome, EntityDefinition entity, AccessGuard guard) {
        if (guard == AccessGuard.NONE) {
            return outcome;
        }
        java.util.function.Predicate<String> shown = field -> field == null || entity.field(field).isEmpty()
                || guard.fieldAccess(entity, field) != FieldAccess.HIDDEN;
        Map<String, Object> values = new LinkedHashMap<>();
        outcome.values().forEach((field, value) -> {
            if (shown.test(field)) {
                values.put(field, value);
            }
        });
        Map<String, Boolean> visible = new LinkedHashMap<>();
        outcome.visible().forEach((field, value) -> {
            if (shown.test(field)) {
                visible.put(field, value);
            }
        });
        return new RuleOutcome(values, outcome.errors().stream().filter(e -> shown.test(e.field())).toList(), visible,
                outcome.required().stream().filter(shown).collect(java.util.stream.Collectors.toSet()),
                outcome.readOnly().stream().filter(shown).collect(java.util.stream.Collectors.toSet()));
    }

    // ---- values ----

    /** Equal values; decimals by value (1.50 = 1.5). */
    static boolean sameValue(Object a, Object b) {
        if (a instanceof java.math.BigDecimal x && b instanceof java.math.BigDecimal y) {
            return x.compareTo(y) == 0;
        }
        return java.util.Objects.equals(a, b);
    }

    static FieldError uniqueError(EntityDefinition entity, FieldDefinition field) {
        return new FieldError(field.name(), ErrorCodes.UNIQUE, LocalizedText.format("Ein(e) andere(r) {0} hat bereits"
                + " diese(n) {1}; geben Sie einen anderen Wert ein", "Another {0} already has this {1}; enter a different"
                + " value", entity.label(), field.label()));
    }

    // ---- SQL helpers ----

    static EntityDefinition entity(MetadataModel model, String name) {
        return model.entity(name).orElseThrow(() -> new UnknownEntityException(name));
    }

    /** The fields that have columns (a field named like a system column has none). */
    static List<FieldDefinition> fields(EntityDefinition entity) {
        return entity.fields().stream().filter(f -> !Names.isSystemColumn(f.name())).toList();
    }

    static String table(EntityDefinition entity) {
        return Names.quote(Names.table(entity.name()));
    }

    private static String selectColumns(EntityDefinition entity) {
        StringBuilder sql = new StringBuilder("SELECT ");
        for (String system : Names.SYSTEM_COLUMNS) {
            sql.append(Names.quote(system)).append(", ");
        }
        sql.setLength(sql.length() - 2);
        for (FieldDefinition field : fields(entity)) {
            for (String column : columns(field)) {
                sql.append(", ").append(Names.quote(column));
            }
        }
        return sql.append(" FROM ").append(table(entity)).toString();
    }

    /** The columns of a field: its name; a record-link also its entity column, right after the id. */
    private static List<String> columns(FieldDefinition field) {
        return field.type() == FieldType.RECORD_LINK ? List.of(field.name(), Names.linkEntityColumn(field.name()))
                : List.of(field.name());
    }

    /** Reads a row of {@link #selectColumns}: the system columns in {@link Names#SYSTEM_COLUMNS} order, then the fields. */
    private static Record readRecord(ResultSet rs, EntityDefinition entity) throws SQLException {
        Map<String, Object> values = new LinkedHashMap<>();
        int column = Names.SYSTEM_COLUMNS.size() + 1;
        for (FieldDefinition field : fields(entity)) {
            if (field.type() == FieldType.RECORD_LINK) {
                Long id = (Long) Sql.read(rs, column++, FieldType.INTEGER);
                String target = rs.getString(column++);
                values.put(field.name(), id == null || target == null ? null : new RecordLink(target, id));
            } else {
                values.put(field.name(), Sql.read(rs, column++, field.type()));
            }
        }
        return new Record(entity.name(), rs.getLong(1), rs.getLong(2),
                (OffsetDateTime) Sql.read(rs, 3, FieldType.DATE_TIME), (OffsetDateTime) Sql.read(rs, 4, FieldType.DATE_TIME),
                (Long) Sql.read(rs, 5, FieldType.INTEGER), (Long) Sql.read(rs, 6, FieldType.INTEGER), values);
    }

    /** The record without the fields the guard hides. */
    static Record withoutHidden(Record record, EntityDefinition entity, AccessGuard guard) {
        if (guard == AccessGuard.NONE) {
            return record;
        }
        Map<String, Object> values = new LinkedHashMap<>();
        record.values().forEach((field, value) -> {
            if (guard.fieldAccess(entity, field) != FieldAccess.HIDDEN) {
                values.put(field, value);
            }
        });
        return new Record(record.entity(), record.id(), record.version(), record.createdAt(), record.updatedAt(),
                record.ownerUser(), record.ownerTeam(), values);
    }

    /** The conditions of a query over {@code entity} as {@code guard}'s caller may ask it, related entities' too. */
    private QueryBuilder queryBuilder(MetadataModel model, EntityDefinition entity, AccessGuard guard) {
        Set<String> hidden = new HashSet<>();
        for (FieldDefinition field : entity.fields()) {
            if (guard.fieldAccess(entity, field.name()) == FieldAccess.HIDDEN) {
                hidden.add(field.name());
            }
        }
        return new QueryBuilder(entity, converter, dialect(), hidden, guard.rows(entity, Operation.READ),
                model.entities().values(), name -> model.entity(name).map(e -> queryBuilder(model, e, guard)).orElse(null));
    }

    /** The record with this id if it is within {@code rows}: complete, hidden fields included. */
    static Optional<Record> select(Connection c, EntityDefinition entity, long id, RowScope rows)
            throws SQLException {
        Sql sql = new Sql().append(selectColumns(entity) + " WHERE " + Names.quote(Names.ID) + " = ")
                .param(FieldType.INTEGER, id);
        rows.andTo(sql);
        try (PreparedStatement statement = sql.prepare(c); ResultSet rs = statement.executeQuery()) {
            return rs.next() ? Optional.of(readRecord(rs, entity)) : Optional.empty();
        }
    }

    private static Long currentVersion(Connection c, EntityDefinition entity, long id) throws SQLException {
        Sql sql = new Sql().append("SELECT " + Names.quote(Names.VERSION) + " FROM " + table(entity) + " WHERE "
                + Names.quote(Names.ID) + " = ").param(FieldType.INTEGER, id);
        try (PreparedStatement statement = sql.prepare(c); ResultSet rs = statement.executeQuery()) {
            return rs.next() ? rs.getLong(1) : null;
        }
    }

    /** The write matched no row: someone changed or deleted it since we read it. */
    private static RuntimeException lostRace(Connection c, EntityDefinition entity, long id, long expectedVersion)
            throws SQLException {
        return currentVersion(c, entity, id) == null ? new RecordNotFoundException(entity.name(), id)
                : new ConcurrentUpdateException(entity.name(), id, expectedVersion);
    }

    /** Which references still point to the record (a record pointing to itself does not count). */
    private static List<RecordInUseException.Usage> usages(Connection c, MetadataModel model, EntityDefinition entity,
                                                           long id) throws SQLException {
        List<RecordInUseException.Usage> usages = new ArrayList<>();
        for (ReverseReference reference : model.reverseReferences(entity.name())) {
            EntityDefinition source = reference.sourceEntity();
            String field = reference.sourceField().name();
            if (Names.isSystemColumn(field)) {
                continue;
            }
            Sql sql = new Sql().append("SELECT COUNT(*) FROM " + table(source) + " WHERE " + Names.quote(field) + " = ")
                    .param(FieldType.INTEGER, id);
            if (source.name().equals(entity.name())) {
                sql.append(" AND " + Names.quote(Names.ID) + " <> ").param(FieldType.INTEGER, id);
            }
            try (PreparedStatement statement = sql.prepare(c); ResultSet rs = statement.executeQuery()) {
                rs.next();
                long count = rs.getLong(1);
                if (count > 0) {
                    usages.add(new RecordInUseException.Usage(source.name(), field, count));
                }
            }
        }
        // record-links have no foreign key: a link to a deleted record would dangle (and grant nothing)
        for (ReverseReference link : model.recordLinks()) {
            EntityDefinition source = link.sourceEntity();
            String field = link.sourceField().name();
            Sql sql = new Sql().append("SELECT COUNT(*) FROM " + table(source) + " WHERE "
                    + Names.quote(Names.linkEntityColumn(field)) + " = ").param(FieldType.TEXT, entity.name())
                    .append(" AND " + Names.quote(field) + " = ").param(FieldType.INTEGER, id);
            if (source.name().equals(entity.name())) {
                sql.append(" AND " + Names.quote(Names.ID) + " <> ").param(FieldType.INTEGER, id);
            }
            try (PreparedStatement statement = sql.prepare(c); ResultSet rs = statement.executeQuery()) {
                rs.next();
                long count = rs.getLong(1);
                if (count > 0) {
                    usages.add(new RecordInUseException.Usage(source.name(), field, count));
                }
            }
        }
        return usages;
    }

    private static int idColumn(ResultSet keys) throws SQLException {
        try {
            return keys.findColumn(Names.ID);
        } catch (SQLException e) {
            return 1;
        }
    }

    OffsetDateTime now() {
        return OffsetDateTime.now(clock).withOffsetSameInstant(ZoneOffset.UTC).truncatedTo(ChronoUnit.MICROS);
    }

    /** Runs SQL work in the store's transaction and translates database errors. */
    /** The database's dialect; asked once (a connection of the store's data source). */
    private SqlDialect dialect() {
        SqlDialect known = dialect;
        if (known == null) {
            try {
                known = transactions.withConnection(SqlDialect::detect);
            } catch (SQLException e) {
                throw new StoreException(null, "detect the database", e);
            }
            dialect = known;
        }
        return known;
    }

    private <T> T run(EntityDefinition entity, String operation, JdbcTransactions.SqlWork<T> work) {
        return run(entity, operation, -1, work);
    }

    private <T> T run(EntityDefinition entity, String operation, long id, JdbcTransactions.SqlWork<T> work) {
        try {
            return transactions.withConnection(work);
        } catch (SQLException e) {
            throw translate(entity, operation, id, e);
        }
    }

    /**
     * A unique violation (23505) that slipped past the SELECT check (a concurrent insert) is a {@code unique}
     * error; a foreign-key violation (23503) on delete means the record is in use, on write that the
     * referenced record vanished. Everything else is a {@link StoreException}.
     */
    private static RuntimeException translate(EntityDefinition entity, String operation, long id, SQLException e) {
        String state = e.getSQLState() == null ? "" : e.getSQLState();
        String message = e.getMessage() == null ? "" : e.getMessage().toLowerCase(Locale.ROOT);
        String table = Names.table(entity.name());
        if (state.equals("23505")) {
            for (FieldDefinition field : fields(entity)) {
                if (field.unique() && message.contains(Names.uniqueIndex(table, field.name()))) {
                    return new ValidationException(List.of(uniqueError(entity, field)));
                }
            }
            return new ValidationException(List.of(new FieldError(null, ErrorCodes.UNIQUE, LocalizedText.format(
                    "Ein(e) andere(r) {0} hat bereits einen dieser Werte; geben Sie andere Werte ein",
                    "Another {0} already has one of these values; enter different values", entity.label()))));
        }
        if (state.equals("23503")) {
            if (operation.equals("delete")) {
                return new RecordInUseException(entity.name(), id, List.of());
            }
            for (FieldDefinition field : fields(entity)) {
                if (field.type() == FieldType.REFERENCE && message.contains(Names.foreignKey(table, field.name()))) {
                    return new ValidationException(List.of(new FieldError(field.name(), ErrorCodes.REFERENCE_NOT_FOUND,
                            LocalizedText.format("Der verknüpfte Datensatz ({0}) existiert nicht (mehr); wählen Sie"
                            + " einen vorhandenen", "The referenced {0} does not exist (any more); pick an existing one",
                            field.referenceEntity()))));
                }
            }
        }
        return new StoreException(entity.name(), operation, e);
    }
}
