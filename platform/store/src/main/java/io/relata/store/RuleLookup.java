package io.relata.store;

import io.relata.api.model.EntityDefinition;
import io.relata.api.model.FieldDefinition;
import io.relata.api.model.FieldType;
import io.relata.api.model.MetadataModel;
import io.relata.api.record.RecordLink;
import io.relata.api.rules.RuleInput;
import io.relata.api.security.FieldAccess;
import io.relata.store.access.Operation;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What rules read other records with ({@code lookup} and {@code related.*}, docs/rules.md): on the write's
 * connection (same transaction), within the guard's read scope, in SQL. {@code lookup} leaves out the fields the
 * guard hides; {@code related.*} refuses to filter on, sum or compare a hidden field (a count over a hidden
 * field's values would tell them), so a rule never learns through another record what its user cannot see. An
 * entity the user reads no record of has nothing to count (0, or no smallest/largest value). Rules whose value
 * the platform keeps current ask {@link #asPlatform()}: every record and field.
 */
final class RuleLookup implements RuleInput.RecordLookup {

    private final Connection connection;
    private final MetadataModel model;
    private final AccessGuard guard;
    private final ValueConverter converter = new ValueConverter();

    RuleLookup(Connection connection, MetadataModel model, AccessGuard guard) {
        this.connection = connection;
        this.model = model;
        this.guard = guard;
    }

    @Override
    public RuleInput.RecordLookup asPlatform() {
        return guard == AccessGuard.NONE ? this : new RuleLookup(connection, model, AccessGuard.NONE);
    }

    @Override
    public Optional<Map<String, Object>> find(String entityName, long id) {
        Optional<EntityDefinition> target = model.entity(entityName);
        if (target.isEmpty()) {
            return Optional.empty();
        }
        try {
            return JdbcRecordStore.select(connection, target.get(), id, guard.rows(target.get(), Operation.READ))
                    .map(record -> Collections.unmodifiableMap(
                            JdbcRecordStore.withoutHidden(record, target.get(), guard).values()));
        } catch (SQLException e) {
            throw new StoreException(entityName, "look up for a rule", e);
        }
    }

    @Override
    public Object aggregate(String entityName, RuleInput.Aggregate aggregate, String fieldName,
                            Map<String, Object> filter) {
        EntityDefinition entity = model.entity(entityName).orElseThrow(() -> new IllegalArgumentException(
                "there is no entity '" + entityName + "'"));
        RowScope rows = guard.rows(entity, Operation.READ);
        if (rows.scope() == io.relata.api.security.AccessScope.NONE && rows.link() == null) {
            // the user reads no record of the entity: nothing to count, whatever fields the rule names
            checkNames(entity, aggregate, fieldName, filter);
            return aggregate == RuleInput.Aggregate.COUNT || aggregate == RuleInput.Aggregate.SUM ? (Object) 0L : null;
        }
        Sql sql = new Sql();
        FieldDefinition measured = null;
        if (aggregate == RuleInput.Aggregate.COUNT) {
            sql.append("SELECT COUNT(*)");
        } else {
            measured = readable(entity, fieldName);
            boolean numeric = measured.type() == FieldType.INTEGER || measured.type() == FieldType.DECIMAL
                    || measured.type() == FieldType.MONEY;
            boolean ordered = numeric || measured.type() == FieldType.DATE || measured.type() == FieldType.DATE_TIME;
            if (aggregate == RuleInput.Aggregate.SUM ? !numeric : !ordered) {
                throw new IllegalArgumentException("the field '" + fieldName + "' of " + entityName + " is "
                        + measured.type().yamlName() + (aggregate == RuleInput.Aggregate.SUM
                        ? "; only integer, decimal and money fields can be summed"
                        : "; only numbers and dates have a smallest and largest value"));
            }
            sql.append("SELECT " + aggregate.name() + "(" + Names.quote(measured.name()) + ")");
        }
        sql.append(" FROM " + JdbcRecordStore.table(entity) + " WHERE 1 = 1");
        where(sql, entity, filter);
        rows.andTo(sql);
        try (PreparedStatement statement = sql.prepare(connection); ResultSet rs = statement.executeQuery()) {
            rs.next();
            if (measured == null) {
                return rs.getLong(1);
            }
            Object value = Sql.read(rs, 1, aggregate == RuleInput.Aggregate.SUM && measured.type() != FieldType.INTEGER
                    ? FieldType.DECIMAL : measured.type());
            if (value == null && aggregate == RuleInput.Aggregate.SUM) {
                return measured.type() == FieldType.INTEGER ? (Object) 0L : BigDecimal.ZERO;
            }
            return value;
        } catch (SQLException e) {
            throw new StoreException(entityName, "answer a rule's related." + aggregate.name().toLowerCase(java.util.Locale.ROOT), e);
        }
    }

    @Override
    public Optional<Map<String, Object>> first(String entityName, Map<String, Object> filter, List<String> orderBy) {
        EntityDefinition entity = model.entity(entityName).orElseThrow(() -> new IllegalArgumentException(
                "there is no entity '" + entityName + "'"));
        RowScope rows = guard.rows(entity, Operation.READ);
        if (rows.scope() == io.relata.api.security.AccessScope.NONE && rows.link() == null) {
            List<String> names = new ArrayList<>(filter.keySet());
            orderBy.forEach(key -> names.add(key.startsWith("-") ? key.substring(1) : key));
            checkNames(entity, names);
            return Optional.empty();
        }
        StringBuilder order = new StringBuilder(" ORDER BY ");
        for (String key : orderBy) {
            boolean descending = key.startsWith("-");
            FieldDefinition field = readable(entity, descending ? key.substring(1) : key);
            order.append(Names.quote(field.name())).append(descending ? " DESC" : "").append(" NULLS LAST, ");
        }
        Sql sql = new Sql().append("SELECT " + Names.quote(Names.ID) + " FROM " + JdbcRecordStore.table(entity)
                + " WHERE 1 = 1");
        where(sql, entity, filter);
        rows.andTo(sql);
        sql.append(order + Names.quote(Names.ID) + " FETCH FIRST 1 ROWS ONLY");
        long id;
        try (PreparedStatement statement = sql.prepare(connection); ResultSet rs = statement.executeQuery()) {
            if (!rs.next()) {
                return Optional.empty();
            }
            id = rs.getLong(1);
        } catch (SQLException e) {
            throw new StoreException(entityName, "answer a rule's related.first", e);
        }
        return find(entityName, id).map(values -> {
            Map<String, Object> record = new LinkedHashMap<>();
            record.put(Names.ID, id);
            record.putAll(values);
            return Collections.unmodifiableMap(record);
        });
    }

    /** The filter's conditions, each " AND …": equality, or a {@link RuleInput.Condition}'s bounds. */
    private void where(Sql sql, EntityDefinition entity, Map<String, Object> filter) {
        for (Map.Entry<String, Object> condition : filter.entrySet()) {
            FieldDefinition field = readable(entity, condition.getKey());
            if (condition.getValue() instanceof RuleInput.Condition bounds) {
                compare(sql, field, bounds);
            } else {
                equal(sql, field, converted(field, condition.getValue()));
            }
        }
    }

    private Object converted(FieldDefinition field, Object value) {
        try {
            return converter.convertForFilter(field, value, false);
        } catch (InvalidValueException e) {
            throw new IllegalArgumentException("the value " + value + " does not fit the field '" + field.name()
                    + "' (" + e.getMessage() + ")");
        }
    }

    /**
     * {@code AND ((col >= ? AND col < ?) OR col IS NULL)}: every bound holds, or (orEmpty) the field is empty. A
     * "not" holds for an empty field too (it is not that value); "not null" means "not empty".
     */
    private void compare(Sql sql, FieldDefinition field, RuleInput.Condition condition) {
        if (field.type() == FieldType.RECORD_LINK) {
            throw new IllegalArgumentException("the field '" + field.name() + "' is a record-link, which related.*"
                    + " compares only for equality");
        }
        String column = Names.quote(field.name());
        sql.append(" AND (" + (condition.orEmpty() ? column + " IS NULL OR " : "") + "(1 = 1");
        for (Map.Entry<RuleInput.Comparison, Object> bound : condition.bounds().entrySet()) {
            Object value = converted(field, bound.getValue());
            if (bound.getKey() == RuleInput.Comparison.NOT) {
                if (value == null) {
                    sql.append(" AND " + column + " IS NOT NULL");
                } else {
                    sql.append(" AND (" + column + " IS NULL OR " + column + " <> ").param(field.type(), value).append(")");
                }
                continue;
            }
            if (value == null) {
                throw new IllegalArgumentException("the field '" + field.name() + "' cannot be compared with null; use"
                        + " {" + field.name() + ": null} for empty or {not: null} for not empty");
            }
            String operator = switch (bound.getKey()) {
                case LT -> " < ";
                case LTE -> " <= ";
                case GT -> " > ";
                default -> " >= ";
            };
            sql.append(" AND " + column + operator).param(field.type(), value);
        }
        sql.append("))");
    }

    private static void checkNames(EntityDefinition entity, RuleInput.Aggregate aggregate, String fieldName,
                                   Map<String, Object> filter) {
        List<String> names = new ArrayList<>(filter.keySet());
        if (aggregate != RuleInput.Aggregate.COUNT) {
            names.add(fieldName);
        }
        checkNames(entity, names);
    }

    private static void checkNames(EntityDefinition entity, List<String> names) {
        for (String name : names) {
            if (name == null || entity.field(name).filter(f -> !Names.isSystemColumn(f.name())).isEmpty()) {
                throw new IllegalArgumentException(entity.name() + " has no field '" + name + "'");
            }
        }
    }

    /** The field, if it exists and the guard lets the rule's user see it. */
    private FieldDefinition readable(EntityDefinition entity, String name) {
        FieldDefinition field = entity.field(name).filter(f -> !Names.isSystemColumn(f.name()))
                .orElseThrow(() -> new IllegalArgumentException(entity.name() + " has no field '" + name + "'"));
        if (guard.fieldAccess(entity, name) == FieldAccess.HIDDEN) {
            throw new IllegalArgumentException("the field '" + name + "' of " + entity.name()
                    + " is hidden from the user the rule runs for; a rule may not filter on, sum or compare it");
        }
        if (field.type() == FieldType.MULTI_CHOICE || field.type() == FieldType.LONG_TEXT) {
            throw new IllegalArgumentException("the field '" + name + "' of " + entity.name() + " is "
                    + field.type().yamlName() + ", which related.* cannot compare");
        }
        return field;
    }

    private static void equal(Sql sql, FieldDefinition field, Object value) {
        String column = Names.quote(field.name());
        if (value == null) {
            sql.append(" AND " + column + " IS NULL");
        } else if (value instanceof RecordLink link) {
            sql.append(" AND " + column + " = ").param(FieldType.INTEGER, link.id())
                    .append(" AND " + Names.quote(Names.linkEntityColumn(field.name())) + " = ")
                    .param(FieldType.TEXT, link.entity());
        } else {
            sql.append(" AND " + column + " = ").param(field.type(), value);
        }
    }
}
