package io.relata.runtime.customer;

import io.relata.api.model.ChoiceOption;
import io.relata.api.model.EntityDefinition;
import io.relata.api.model.FieldDefinition;
import io.relata.api.model.MetadataModel;
import io.relata.api.record.Filter;
import io.relata.api.record.FilterOperator;
import io.relata.api.record.Record;
import io.relata.api.record.RecordQuery;
import io.relata.api.record.RecordStore;
import io.relata.api.security.FieldAccess;
import io.relata.store.RecordWriteHook;
import io.relata.store.access.AccessPolicy;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.YearMonth;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Supplier;
import javax.sql.DataSource;

/**
 * The customer lifecycle ({@value LeadConversion#LIFECYCLE_STAGE} of accounts and contacts): every move of a record's
 * stage is written in the same transaction as the change, whoever made it (a user, a conversion, a process: {@link
 * #hook}); the report counts records per stage and moves per month, of the records the viewer may read, and not at
 * all where the stage is hidden from them.
 */
public final class LifecycleReport {

    /** How many months the moves report looks back, and how many moves it reads at most. */
    static final int MONTHS = 12;
    static final int MAX_MOVES = 100_000;

    private final Supplier<MetadataModel> models;
    private final DataSource dataSource;
    private final Clock clock;

    public LifecycleReport(Supplier<MetadataModel> models, DataSource dataSource, Clock clock) {
        this.models = Objects.requireNonNull(models, "models");
        this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** Writes each change of a lifecycle stage on the write's connection. */
    public RecordWriteHook hook() {
        return new RecordWriteHook() {
            @Override
            public void written(Written written) throws SQLException {
                if (written.after() == null || written.entity().field(LeadConversion.LIFECYCLE_STAGE).isEmpty()) {
                    return;
                }
                Object before = written.before() == null ? null : written.before().get(LeadConversion.LIFECYCLE_STAGE);
                Object after = written.after().get(LeadConversion.LIFECYCLE_STAGE);
                if (Objects.equals(before, after)) {
                    return;
                }
                try (PreparedStatement insert = written.connection().prepareStatement("INSERT INTO crm_stage_move "
                        + "(entity, record_id, from_stage, to_stage, moved_at) VALUES (?, ?, ?, ?, ?)")) {
                    insert.setString(1, written.entity().name());
                    insert.setLong(2, written.after().id());
                    insert.setString(3, before == null ? null : String.valueOf(before));
                    insert.setString(4, after == null ? null : String.valueOf(after));
                    insert.setObject(5, written.at());
                    insert.executeUpdate();
                }
            }
        };
    }

    /** The entities with a lifecycle whose stage the viewer may see. */
    public List<EntityDefinition> entities(AccessPolicy access) {
        return models.get().allEntities().stream().filter(e -> e.field(LeadConversion.LIFECYCLE_STAGE).isPresent())
                .filter(e -> access.canRead(e.name())
                        && access.fieldAccess(e.name(), LeadConversion.LIFECYCLE_STAGE) != FieldAccess.HIDDEN)
                .toList();
    }

    /** The field of the stage, for its options and labels. */
    public Optional<FieldDefinition> stageField(String entity) {
        return models.get().entity(entity).flatMap(e -> e.field(LeadConversion.LIFECYCLE_STAGE));
    }

    /** How many readable records stand at each stage, in the stages' order; {@code null} counts those without one. */
    public Map<String, Long> counts(RecordStore records, String entity) {
        FieldDefinition field = stageField(entity).orElseThrow();
        Map<String, Long> counts = new LinkedHashMap<>();
        for (ChoiceOption option : field.options()) {
            counts.put(option.value(), records.count(entity, new RecordQuery(List.of(new Filter(field.name(),
                    FilterOperator.EQ, option.value())), List.of(), null, 1, null)));
        }
        counts.put(null, records.count(entity, new RecordQuery(List.of(new Filter(field.name(), FilterOperator.IS_NULL,
                null)), List.of(), null, 1, null)));
        return counts;
    }

    /**
     * Moves into each stage per month, the last {@value #MONTHS} months (oldest first), of the records the viewer may
     * read: month → stage → moves.
     */
    public Map<YearMonth, Map<String, Long>> movesPerMonth(RecordStore records, String entity) {
        ZoneId zone = clock.getZone();
        YearMonth now = YearMonth.now(clock);
        OffsetDateTime since = now.minusMonths(MONTHS - 1L).atDay(1).atStartOfDay(zone).toOffsetDateTime();
        List<Object[]> moves = new ArrayList<>();
        try (Connection c = dataSource.getConnection(); PreparedStatement query = c.prepareStatement("SELECT record_id, "
                + "to_stage, moved_at FROM crm_stage_move WHERE entity = ? AND moved_at >= ? ORDER BY moved_at "
                + "FETCH FIRST " + MAX_MOVES + " ROWS ONLY")) {
            query.setString(1, entity);
            query.setObject(2, since);
            try (ResultSet rs = query.executeQuery()) {
                while (rs.next()) {
                    moves.add(new Object[] {rs.getLong(1), rs.getString(2), rs.getObject(3, OffsetDateTime.class)});
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Could not read the lifecycle moves: " + e.getMessage(), e);
        }
        Set<Long> readable = readable(records, entity, moves.stream().map(m -> (Long) m[0]).distinct().toList());
        Map<YearMonth, Map<String, Long>> perMonth = new TreeMap<>();
        for (int i = 0; i < MONTHS; i++) {
            perMonth.put(now.minusMonths(MONTHS - 1L - i), new LinkedHashMap<>());
        }
        for (Object[] move : moves) {
            if (readable.contains((Long) move[0]) && move[1] != null) {
                YearMonth month = YearMonth.from(((OffsetDateTime) move[2]).atZoneSameInstant(zone));
                perMonth.computeIfAbsent(month, m -> new LinkedHashMap<>()).merge((String) move[1], 1L, Long::sum);
            }
        }
        return perMonth;
    }

    /** Which of {@code ids} the viewer may read, asked through their store a page at a time. */
    private static Set<Long> readable(RecordStore records, String entity, List<Long> ids) {
        Set<Long> readable = new HashSet<>();
        for (int from = 0; from < ids.size(); from += RecordQuery.MAX_LIMIT) {
            List<Long> chunk = ids.subList(from, Math.min(ids.size(), from + RecordQuery.MAX_LIMIT));
            for (Record record : records.query(entity, new RecordQuery(List.of(new Filter("id", FilterOperator.IN, chunk)),
                    List.of(), null, RecordQuery.MAX_LIMIT, null)).records()) {
                readable.add(record.id());
            }
        }
        return readable;
    }
}
