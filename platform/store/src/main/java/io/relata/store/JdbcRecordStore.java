package io.relata.store;

import io.relata.api.model.EntityDefinition;
import io.relata.api.model.FieldDefinition;
import io.relata.api.model.FieldType;
import io.relata.api.model.MetadataModel;
import io.relata.api.model.ReverseReference;
import io.relata.api.record.AccessDeniedException;
import io.relata.api.record.ConcurrentUpdateException;
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
import io.relata.api.rules.RuleInput;
import io.relata.api.rules.RuleOutcome;
import io.relata.api.security.FieldAccess;
import io.relata.store.access.Operation;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
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
 * <p>Creates and updates run the entity's rules ({@link RecordRules}) inside the write's transaction, after
 * converting the input and before the checks (decision record 0003, "Rules in the write path", lists the
 * steps). Calls made on this store directly run them for {@link io.relata.api.security.Actor#SYSTEM}.
 *
 * <p>This store is unrestricted: every record and field, for platform work (start-up, demo data,
 * migrations). Records carry their owner ({@code owner_user}, {@code owner_team}); the public methods leave
 * it null unless given to {@link #create(String, Map, Long, Long)}. User calls go through
 * {@link SecuredRecordStore}, which uses the package-level variants that take an {@link AccessGuard}.
 */
public final class JdbcRecordStore implements RecordStore {

    private static final int TITLE_BATCH = 500;

    private final JdbcTransactions transactions;
    private final Supplier<MetadataModel> models;
    private final Clock clock;
    private final RecordRules rules;
    private final RecordWriteHook hook;
    private final ValueConverter converter = new ValueConverter();

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

    // ---- writes ----

    @Override
    public Record create(String entityName, Map<String, Object> values) {
        return create(models.get(), entityName, values, null, null, AccessGuard.NONE, rules);
    }

    /**
     * Creates a record owned by {@code ownerUser} and {@code ownerTeam} (either may be null): for platform
     * code that creates records on a user's behalf. {@link #create(String, Map)} leaves both null.
     */
    public Record create(String entityName, Map<String, Object> values, Long ownerUser, Long ownerTeam) {
        return create(models.get(), entityName, values, ownerUser, ownerTeam, AccessGuard.NONE, rules);
    }

    Record create(MetadataModel model, String entityName, Map<String, Object> values, Long ownerUser, Long ownerTeam,
                  AccessGuard guard, RecordRules recordRules) {
        EntityDefinition entity = entity(model, entityName);
        List<FieldError> errors = new ArrayList<>();
        Map<String, Object> readOnly = new LinkedHashMap<>();
        Map<String, Object> given = convert(entity, values, errors, guard, readOnly);
        Map<String, Object> row = new LinkedHashMap<>();
        for (FieldDefinition field : fields(entity)) {
            row.put(field.name(), given.get(field.name()));
        }
        return run(entity, "create", c -> {
            Applied applied = applyRules(c, model, entity, row, given.keySet(), null, errors, guard, recordRules);
            Map<String, Object> hooked = new LinkedHashMap<>();
            Object[] note = new Object[1];
            hook.checking(new RecordWriteHook.Check(c, model, entity, null, Collections.unmodifiableMap(row),
                    guard.actor(), lookup(c, model, guard), errors, (field, value) -> {
                        row.put(field, value);
                        hooked.put(field, value);
                    }, n -> note[0] = n));
            checkReadOnly(readOnly, null, row, errors);
            checkRequired(entity, row, applied.required(), errors);
            checkReferences(c, model, entity, given, errors, guard);
            checkReferences(c, model, entity, union(applied.values(), hooked), errors, AccessGuard.NONE);
            checkUnique(c, entity, union(union(given, applied.values()), hooked), null, errors);
            throwIfAny(errors);
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
            try (PreparedStatement statement = c.prepareStatement(sql.text.toString(), Statement.RETURN_GENERATED_KEYS)) {
                Sql.bindAll(statement, sql.params, 1);
                statement.executeUpdate();
                try (ResultSet keys = statement.getGeneratedKeys()) {
                    keys.next();
                    id = keys.getLong(idColumn(keys));
                }
            }
            Record created = select(c, entity, id, RowScope.ALL).orElseThrow();
            guard.written(c, entity, null, created, now);
            hook.written(new RecordWriteHook.Written(c, model, entity, null, created, guard.actor(), now, note[0]));
            return withoutHidden(created, entity, guard);
        });
    }

    @Override
    public Record update(String entityName, long id, long expectedVersion, Map<String, Object> changes) {
        return write(models.get(), entityName, id, expectedVersion, changes, false, AccessGuard.NONE, rules);
    }

    @Override
    public Record replace(String entityName, long id, long expectedVersion, Map<String, Object> values) {
        return write(models.get(), entityName, id, expectedVersion, values, true, AccessGuard.NONE, rules);
    }

    /**
     * Update ({@code all} false) or replace. Under a guard: the row must be readable (else not found) and in
     * the update scope (else access denied, checked in Java and again in the UPDATE's WHERE); hidden and
     * read-only fields cannot be given (a read-only field given with its stored value is accepted) and keep
     * their stored values on replace, as do the fields only rules write.
     */
    Record write(MetadataModel model, String entityName, long id, long expectedVersion, Map<String, Object> input,
                 boolean all, AccessGuard guard, RecordRules recordRules) {
        Map<String, Object> values = input == null ? Map.of() : input;
        EntityDefinition entity = entity(model, entityName);
        List<FieldError> errors = new ArrayList<>();
        Map<String, Object> readOnly = new LinkedHashMap<>();
        Map<String, Object> given = convert(entity, values, errors, guard, readOnly);
        Map<String, Object> changes = new LinkedHashMap<>(given);
        if (all) {
            Set<String> ruleOwned = RuleFields.owned(entity);
            for (FieldDefinition field : fields(entity)) {
                if (!values.containsKey(field.name()) && !ruleOwned.contains(field.name())
                        && guard.fieldAccess(entity, field.name()) == FieldAccess.EDITABLE) {
                    changes.put(field.name(), null);
                }
            }
        }
        String operation = all ? "replace" : "update";
        return run(entity, operation, c -> {
            Record current = select(c, entity, id, guard.rows(entity, Operation.READ))
                    .orElseThrow(() -> new RecordNotFoundException(entity.name(), id));
            RowScope writable = guard.rows(entity, Operation.UPDATE);
            if (!writable.includes(current)) {
                throw new AccessDeniedException(entity.name(), "update", id);
            }
            if (current.version() != expectedVersion) {
                throw new ConcurrentUpdateException(entity.name(), id, expectedVersion);
            }
            Map<String, Object> merged = new LinkedHashMap<>(current.values());
            merged.putAll(changes);
            Applied applied = applyRules(c, model, entity, merged, values.keySet(), current, errors, guard, recordRules);
            applied.restored().forEach(changes::remove);
            changes.putAll(applied.values());
            Map<String, Object> hooked = new LinkedHashMap<>();
            Object[] note = new Object[1];
            hook.checking(new RecordWriteHook.Check(c, model, entity, current, Collections.unmodifiableMap(merged),
                    guard.actor(), lookup(c, model, guard), errors, (field, value) -> {
                        merged.put(field, value);
                        changes.put(field, value);
                        hooked.put(field, value);
                    }, n -> note[0] = n));
            checkReadOnly(readOnly, current, merged, errors);
            checkRequired(entity, merged, applied.required(), errors);
            checkReferences(c, model, entity, given, errors, guard);
            checkReferences(c, model, entity, union(applied.values(), hooked), errors, AccessGuard.NONE);
            checkUnique(c, entity, union(union(given, applied.values()), hooked), id, errors);
            throwIfAny(errors);
            OffsetDateTime now = now();
            Sql sql = new Sql().append("UPDATE " + table(entity) + " SET ");
            for (Map.Entry<String, Object> entry : changes.entrySet()) {
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
            Record updated = select(c, entity, id, RowScope.ALL).orElseThrow();
            guard.written(c, entity, current, updated, now);
            hook.written(new RecordWriteHook.Written(c, model, entity, current, updated, guard.actor(), now, note[0]));
            return withoutHidden(updated, entity, guard);
        });
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
        QueryBuilder builder = queryBuilder(entity, guard);
        List<QueryBuilder.Key> keys = builder.keys(query.sort());
        int limit = Math.min(query.limit(), RecordQuery.MAX_LIMIT);
        Sql sql = new Sql().append(selectColumns(entity));
        builder.where(sql, query, keys, query.cursor());
        QueryBuilder.orderBy(sql, keys);
        sql.append(" FETCH FIRST " + (limit + 1) + " ROWS ONLY");
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
        queryBuilder(entity, guard).where(sql, query, List.of(), null);
        return run(entity, "count", c -> {
            try (PreparedStatement statement = sql.prepare(c); ResultSet rs = statement.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        });
    }

    @Override
    public Map<Long, String> titles(String entityName, List<Long> ids) {
        return titles(models.get(), entityName, ids, AccessGuard.NONE);
    }

    /** Titles of the readable ones among {@code ids}; "#id" if the title field is empty or hidden. */
    Map<Long, String> titles(MetadataModel model, String entityName, List<Long> ids, AccessGuard guard) {
        EntityDefinition entity = entity(model, entityName);
        Map<Long, String> titles = new LinkedHashMap<>();
        List<Long> distinct = ids.stream().filter(java.util.Objects::nonNull).distinct().toList();
        if (distinct.isEmpty()) {
            return titles;
        }
        FieldDefinition titleField = entity.titleField() == null ? null : entity.field(entity.titleField())
                .filter(f -> !Names.isSystemColumn(f.name()))
                .filter(f -> guard.fieldAccess(entity, f.name()) != FieldAccess.HIDDEN).orElse(null);
        RowScope rows = guard.rows(entity, Operation.READ);
        return run(entity, "titles", c -> {
            Map<Long, String> found = new java.util.HashMap<>();
            for (int from = 0; from < distinct.size(); from += TITLE_BATCH) {
                List<Long> batch = distinct.subList(from, Math.min(from + TITLE_BATCH, distinct.size()));
                Sql sql = new Sql().append("SELECT " + Names.quote(Names.ID)
                        + (titleField == null ? "" : ", " + Names.quote(titleField.name()))
                        + " FROM " + table(entity) + " WHERE " + Names.quote(Names.ID) + " IN (");
                for (int i = 0; i < batch.size(); i++) {
                    sql.append(i == 0 ? "" : ", ").param(FieldType.INTEGER, batch.get(i));
                }
                sql.append(")");
                rows.andTo(sql);
                try (PreparedStatement statement = sql.prepare(c); ResultSet rs = statement.executeQuery()) {
                    while (rs.next()) {
                        long id = rs.getLong(1);
                        Object title = titleField == null ? null : Sql.read(rs, 2, titleField.type());
                        String text = title instanceof List<?> list ? String.join(", ", list.stream().map(String::valueOf).toList())
                                : title == null ? null : title.toString();
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

    // ---- rules ----

    /** What {@link #applyRules} decided: values the rules set, fields they require, fields kept on replace. */
    private record Applied(Map<String, Object> values, Set<String> required, Set<String> restored) {
    }

    /**
     * Runs the entity's rules on {@code row} (the record as it will be stored: converted input merged with
     * the stored values) and applies their outcome to it:
     * <ol>
     *   <li>values of computed and score rules (and score reasons) are set, whatever was given; a default
     *       only on create and only if the field is empty. Each is converted like input; one that does not
     *       fit its field is a {@code rule_value} error naming the rule;</li>
     *   <li>a field the rules make read-only ({@code readOnlyWhen}) may not be changed by the input: its
     *       stored value is put back (create: it is emptied) and the rules run again on that record, so they
     *       judge only values that will be stored and a default can fill it in. If the input gave it a value
     *       other than the final one, that is {@code read_only_field}; a replace that left it out simply keeps
     *       it ({@code restored});</li>
     *   <li>the rules' validation errors (code {@code rule}) join {@code errors}.</li>
     * </ol>
     * Fields the rules require are returned for the required check. A {@link io.relata.api.rules.RuleFailedException}
     * passes through: the caller's transaction rolls back and nothing is written.
     *
     * @param inputFields the field names the caller gave (to tell a replace's implicit null from a given one)
     * @param current     the stored record, null on create
     */
    private Applied applyRules(Connection c, MetadataModel model, EntityDefinition entity, Map<String, Object> row,
                               Set<String> inputFields, Record current, List<FieldError> errors, AccessGuard guard,
                               RecordRules recordRules) {
        Map<String, Object> previous = current == null ? null : Collections.unmodifiableMap(current.values());
        Set<String> defaults = RuleFields.defaulted(entity);
        Set<String> restored = new java.util.LinkedHashSet<>();
        Map<String, Object> withdrawn = new LinkedHashMap<>(); // read-only-when field -> the value the input had
        while (true) {
            RuleOutcome outcome = recordRules.evaluate(new RuleInput(entity, Collections.unmodifiableMap(
                    new LinkedHashMap<>(row)), previous, guard.actor(), lookup(c, model, guard)));
            if (outcome == null) {
                outcome = RuleOutcome.NONE;
            }
            List<FieldError> found = new ArrayList<>();
            Map<String, Object> proposed = ruleValues(entity, outcome, found);
            Map<String, Object> set = new LinkedHashMap<>();
            proposed.forEach((field, value) -> {
                if (!defaults.contains(field) || (current == null && row.get(field) == null)) {
                    set.put(field, value);
                }
            });
            Set<String> restore = new java.util.LinkedHashSet<>();
            for (String field : outcome.readOnly()) {
                if (set.containsKey(field) || entity.field(field).isEmpty() || Names.isSystemColumn(field)) {
                    continue;
                }
                if (!sameValue(row.get(field), current == null ? null : current.get(field))) {
                    restore.add(field);
                }
            }
            if (!restore.isEmpty()) { // each pass restores at least one more field, so this ends
                for (String field : restore) {
                    withdrawn.putIfAbsent(field, row.get(field));
                    row.put(field, current == null ? null : current.get(field));
                }
                restored.addAll(restore);
                continue;
            }
            row.putAll(set);
            withdrawn.forEach((field, value) -> {
                if (inputFields.contains(field) && !sameValue(value, row.get(field))) {
                    found.add(new FieldError(field, ErrorCodes.READ_ONLY_FIELD, "You may not change " + field
                            + " now: the rules make it read-only"));
                }
            });
            errors.addAll(found);
            errors.addAll(outcome.errors());
            return new Applied(set, outcome.required(), restored);
        }
    }

    /** The outcome's values converted for their fields; unknown fields and values that do not fit are errors. */
    private Map<String, Object> ruleValues(EntityDefinition entity, RuleOutcome outcome, List<FieldError> errors) {
        Map<String, Object> values = new LinkedHashMap<>();
        outcome.values().forEach((name, raw) -> {
            Optional<FieldDefinition> field = entity.field(name).filter(f -> !Names.isSystemColumn(f.name()));
            if (field.isEmpty()) {
                errors.add(new FieldError(name, ErrorCodes.RULE_VALUE, "The rules set a value for '" + name
                        + "', which is not a field of " + entity.name() + "; an administrator must fix them"));
                return;
            }
            try {
                values.put(name, converter.convert(field.get(), RuleFields.prepare(field.get(), raw)));
            } catch (InvalidValueException e) {
                errors.add(new FieldError(name, ErrorCodes.RULE_VALUE, "The value " + RuleFields.describeSetter(entity, name)
                        + " computed for " + field.get().label().in(Locale.ENGLISH) + " does not fit the field ("
                        + e.getMessage() + "); an administrator must fix the rule"));
            }
        });
        return values;
    }

    /**
     * What rules read related records with: on the write's connection (same transaction), within the guard's
     * read scope, hidden fields removed; an unknown or unreadable entity or record is empty.
     */
    private static RuleInput.RecordLookup lookup(Connection c, MetadataModel model, AccessGuard guard) {
        return (entityName, id) -> {
            Optional<EntityDefinition> target = model.entity(entityName);
            if (target.isEmpty()) {
                return Optional.empty();
            }
            try {
                return select(c, target.get(), id, guard.rows(target.get(), Operation.READ))
                        .map(record -> Collections.unmodifiableMap(withoutHidden(record, target.get(), guard).values()));
            } catch (SQLException e) {
                throw new StoreException(entityName, "look up for a rule", e);
            }
        };
    }

    /**
     * The rules' outcome for form values, never written, for {@link io.relata.api.security.Actor#SYSTEM} and
     * without restriction; users' forms use {@link SecuredRecordStore#evaluateRules}. Raw values that do not
     * convert count as empty; unknown and rule-written fields are ignored; with {@code id} the values are
     * merged with that stored record, which the rules see as {@code previous}.
     */
    public RuleOutcome evaluateRules(String entityName, Map<String, Object> rawValues, Long id) {
        return evaluateRules(models.get(), entityName, rawValues, id, AccessGuard.NONE, rules);
    }

    /**
     * The rules' outcome for form values, never written: raw values are converted leniently (a value that
     * does not convert, an unknown, hidden or rule-written field counts as empty / is ignored) and merged
     * with the stored record if {@code id} is given (which must be readable, else not found). The outcome's
     * values are converted like on save ({@code rule_value} errors); everything about hidden fields is
     * removed from it.
     */
    RuleOutcome evaluateRules(MetadataModel model, String entityName, Map<String, Object> rawValues, Long id,
                              AccessGuard guard, RecordRules recordRules) {
        EntityDefinition entity = entity(model, entityName);
        Set<String> ruleOwned = RuleFields.owned(entity);
        Map<String, Object> typed = new LinkedHashMap<>();
        if (rawValues != null) {
            rawValues.forEach((name, raw) -> {
                Optional<FieldDefinition> field = entity.field(name).filter(f -> !Names.isSystemColumn(f.name()));
                if (field.isEmpty() || ruleOwned.contains(name) || guard.fieldAccess(entity, name) == FieldAccess.HIDDEN) {
                    return;
                }
                Object value;
                try {
                    value = converter.convert(field.get(), raw);
                } catch (InvalidValueException e) {
                    value = null;
                }
                typed.put(name, value);
            });
        }
        return run(entity, "evaluate rules", c -> {
            Record current = null;
            if (id != null) {
                current = select(c, entity, id, guard.rows(entity, Operation.READ))
                        .orElseThrow(() -> new RecordNotFoundException(entity.name(), id));
            }
            Map<String, Object> row = new LinkedHashMap<>();
            for (FieldDefinition field : fields(entity)) {
                row.put(field.name(), current == null ? null : current.get(field.name()));
            }
            row.putAll(typed);
            RuleOutcome outcome = recordRules.evaluate(new RuleInput(entity, Collections.unmodifiableMap(row),
                    current == null ? null : Collections.unmodifiableMap(current.values()), guard.actor(),
                    lookup(c, model, guard)));
            if (outcome == null) {
                outcome = RuleOutcome.NONE;
            }
            List<FieldError> errors = new ArrayList<>(outcome.errors());
            Map<String, Object> values = ruleValues(entity, outcome, errors);
            return withoutHidden(new RuleOutcome(values, errors, outcome.visible(), outcome.required(),
                    outcome.readOnly()), entity, guard);
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

    /** {@code a} with {@code b} added. */
    private static Map<String, Object> union(Map<String, Object> a, Map<String, Object> b) {
        Map<String, Object> union = new LinkedHashMap<>(a);
        union.putAll(b);
        return union;
    }

    // ---- validation ----

    /**
     * Converts the given values of editable fields; unknown, system, hidden and bad values become errors.
     * Values of read-only fields and of fields only rules write go to {@code readOnly} (converted), to be
     * compared with the stored ones; a value that does not convert for a rule-written field is
     * {@code read_only_field}, since no value of the user's is accepted there anyway.
     */
    private Map<String, Object> convert(EntityDefinition entity, Map<String, Object> values, List<FieldError> errors,
                                        AccessGuard guard, Map<String, Object> readOnly) {
        Map<String, Object> converted = new LinkedHashMap<>();
        if (values == null) {
            return converted;
        }
        Set<String> ruleOwned = RuleFields.owned(entity);
        for (Map.Entry<String, Object> entry : values.entrySet()) {
            String name = entry.getKey();
            if (Names.isSystemColumn(name)) {
                errors.add(new FieldError(name, ErrorCodes.READ_ONLY_FIELD, name
                        + " is set by the system and cannot be given as a value"));
                continue;
            }
            Optional<FieldDefinition> field = entity.field(name);
            if (field.isEmpty()) {
                errors.add(new FieldError(name, ErrorCodes.UNKNOWN_FIELD, entity.name() + " has no field '" + name + "'"));
                continue;
            }
            FieldAccess access = guard.fieldAccess(entity, name);
            if (access == FieldAccess.HIDDEN) {
                errors.add(readOnlyError(name)); // not converted: a conversion error would tell the field's type
                continue;
            }
            boolean ruleWritten = ruleOwned.contains(name);
            try {
                Object value = converter.convert(field.get(), entry.getValue());
                (access == FieldAccess.READ_ONLY || ruleWritten ? readOnly : converted).put(name, value);
            } catch (InvalidValueException e) {
                errors.add(ruleWritten ? readOnlyError(name) : e.toFieldError(name));
            }
        }
        return converted;
    }

    /**
     * A read-only or rule-written field may be given only with the value it has ({@code current} null: a
     * new record) or the value it will have ({@code row}: what the rules set), so a client may send back a
     * record it read.
     */
    private static void checkReadOnly(Map<String, Object> readOnly, Record current, Map<String, Object> row,
                                      List<FieldError> errors) {
        for (Map.Entry<String, Object> entry : readOnly.entrySet()) {
            Object stored = current == null ? null : current.get(entry.getKey());
            if (!sameValue(stored, entry.getValue()) && !sameValue(row.get(entry.getKey()), entry.getValue())) {
                errors.add(readOnlyError(entry.getKey()));
            }
        }
    }

    private static FieldError readOnlyError(String field) {
        return new FieldError(field, ErrorCodes.READ_ONLY_FIELD, "You may not change " + field);
    }

    /** Equal values; decimals by value (1.50 = 1.5). */
    static boolean sameValue(Object a, Object b) {
        if (a instanceof java.math.BigDecimal x && b instanceof java.math.BigDecimal y) {
            return x.compareTo(y) == 0;
        }
        return java.util.Objects.equals(a, b);
    }

    /** Required fields and those the rules require now ({@code requiredWhen}) must have a value in {@code row}. */
    private static void checkRequired(EntityDefinition entity, Map<String, Object> row, Set<String> requiredWhen,
                                      List<FieldError> errors) {
        Set<String> failed = new HashSet<>();
        errors.forEach(e -> failed.add(e.field()));
        for (FieldDefinition field : fields(entity)) {
            boolean required = field.required() || requiredWhen.contains(field.name());
            if (required && !failed.contains(field.name()) && row.get(field.name()) == null) {
                errors.add(new FieldError(field.name(), ErrorCodes.REQUIRED, "Enter a value for "
                        + field.label().in(Locale.ENGLISH) + "; it is required"));
            }
        }
    }

    /** Each reference and record-link must point to a record that exists and that the caller may read. */
    private void checkReferences(Connection c, MetadataModel model, EntityDefinition entity, Map<String, Object> given,
                                 List<FieldError> errors, AccessGuard guard) throws SQLException {
        for (Map.Entry<String, Object> entry : given.entrySet()) {
            FieldDefinition field = entity.field(entry.getKey()).orElseThrow();
            if (field.type() == FieldType.RECORD_LINK && entry.getValue() instanceof RecordLink link) {
                Optional<EntityDefinition> target = model.entity(link.entity());
                // an entity the caller cannot read is as absent as one that does not exist
                if (target.isEmpty() || select(c, target.get(), link.id(), guard.rows(target.get(), Operation.READ))
                        .isEmpty()) {
                    errors.add(new FieldError(field.name(), ErrorCodes.REFERENCE_NOT_FOUND, "There is no "
                            + link.entity() + " with id " + link.id() + "; pick an existing record"));
                }
                continue;
            }
            if (field.type() != FieldType.REFERENCE || entry.getValue() == null) {
                continue;
            }
            EntityDefinition target = entity(model, field.referenceEntity());
            if (select(c, target, (Long) entry.getValue(), guard.rows(target, Operation.READ)).isEmpty()) {
                errors.add(new FieldError(field.name(), ErrorCodes.REFERENCE_NOT_FOUND, "There is no "
                        + target.name() + " with id " + entry.getValue() + "; pick an existing one"));
            }
        }
    }

    private void checkUnique(Connection c, EntityDefinition entity, Map<String, Object> given, Long ownId,
                             List<FieldError> errors) throws SQLException {
        for (Map.Entry<String, Object> entry : given.entrySet()) {
            FieldDefinition field = entity.field(entry.getKey()).orElseThrow();
            if (!field.unique() || entry.getValue() == null) {
                continue;
            }
            Sql sql = new Sql().append("SELECT 1 FROM " + table(entity) + " WHERE " + Names.quote(field.name()) + " = ")
                    .param(field.type(), entry.getValue());
            if (ownId != null) {
                sql.append(" AND " + Names.quote(Names.ID) + " <> ").param(FieldType.INTEGER, ownId);
            }
            sql.append(" FETCH FIRST 1 ROWS ONLY");
            try (PreparedStatement statement = sql.prepare(c); ResultSet rs = statement.executeQuery()) {
                if (rs.next()) {
                    errors.add(uniqueError(entity, field));
                }
            }
        }
    }

    private static FieldError uniqueError(EntityDefinition entity, FieldDefinition field) {
        return new FieldError(field.name(), ErrorCodes.UNIQUE, "Another " + entity.name() + " already has this "
                + field.label().in(Locale.ENGLISH) + "; enter a different value");
    }

    private static void throwIfAny(List<FieldError> errors) {
        if (!errors.isEmpty()) {
            throw new ValidationException(errors);
        }
    }

    // ---- SQL helpers ----

    private static EntityDefinition entity(MetadataModel model, String name) {
        return model.entity(name).orElseThrow(() -> new UnknownEntityException(name));
    }

    /** The fields that have columns (a field named like a system column has none). */
    private static List<FieldDefinition> fields(EntityDefinition entity) {
        return entity.fields().stream().filter(f -> !Names.isSystemColumn(f.name())).toList();
    }

    private static String table(EntityDefinition entity) {
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
    private static Record withoutHidden(Record record, EntityDefinition entity, AccessGuard guard) {
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

    private QueryBuilder queryBuilder(EntityDefinition entity, AccessGuard guard) {
        Set<String> hidden = new HashSet<>();
        for (FieldDefinition field : entity.fields()) {
            if (guard.fieldAccess(entity, field.name()) == FieldAccess.HIDDEN) {
                hidden.add(field.name());
            }
        }
        return new QueryBuilder(entity, converter, hidden, guard.rows(entity, Operation.READ));
    }

    /** The record with this id if it is within {@code rows}: complete, hidden fields included. */
    private static Optional<Record> select(Connection c, EntityDefinition entity, long id, RowScope rows)
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
            return new ValidationException(List.of(new FieldError(null, ErrorCodes.UNIQUE,
                    "Another " + entity.name() + " already has one of these values; enter different values")));
        }
        if (state.equals("23503")) {
            if (operation.equals("delete")) {
                return new RecordInUseException(entity.name(), id, List.of());
            }
            for (FieldDefinition field : fields(entity)) {
                if (field.type() == FieldType.REFERENCE && message.contains(Names.foreignKey(table, field.name()))) {
                    return new ValidationException(List.of(new FieldError(field.name(), ErrorCodes.REFERENCE_NOT_FOUND,
                            "The referenced " + field.referenceEntity() + " does not exist (any more); pick an existing one")));
                }
            }
        }
        return new StoreException(entity.name(), operation, e);
    }
}
