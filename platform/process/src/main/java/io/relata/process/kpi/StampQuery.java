package io.relata.process.kpi;

import io.relata.api.process.PhaseDefinition;
import io.relata.api.process.PhaseOutcome;
import io.relata.api.process.ProcessDefinition;
import io.relata.store.ReadScope;
import io.relata.store.SqlDialect;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;

/**
 * The one statement that aggregates a process's stamps into the rows of the figures asked for, the same SQL for
 * H2 and PostgreSQL.
 *
 * <p>Three common table expressions describe the cases of the period: {@code flagged} holds the stamps (up to
 * now, of the records the viewer may read) of every case with a stamp in the period, each with whether its phase
 * closes the case and how far along the pipeline it is; {@code stamp} numbers them per case in the order they
 * were written (time, then id) and adds, with windows over that one order, when the case left the phase, the
 * furthest it got afterwards and whether only closing stamps follow; {@code history} is one row per case: when it
 * started, when it ended (the first of the closing stamps it ends with: a deal won and then corrected to lost
 * ended when it was won), where it stands and the last reason. Each figure is then a {@code SELECT} over these,
 * joined by {@code UNION ALL} into rows of one shape ({@link Row}).
 */
final class StampQuery {

    /** The figures a statement computes. */
    enum Part { PER_DAY, OUTCOMES, DURATIONS, CONVERSION, CURRENT, STAYS, CYCLE_TIMES }

    static final String STARTED = "started";
    static final String ENDED = "ended";
    static final String OUTCOME = "outcome";
    static final String ENDED_DURATION = "ended_duration";
    static final String OPEN_AGE = "open_age";
    static final String CONVERSION = "conversion";
    static final String CURRENT = "current";
    static final String STAY = "stay";
    static final String CYCLE = "cycle";

    /** How far a success phase gets: beyond every open phase. */
    private static final int SUCCESS_REACH = 1_000_000;
    private static final String NO_TEXT = "CAST(NULL AS VARCHAR(4000))";
    private static final String NO_DAY = "CAST(NULL AS INTEGER)";
    private static final String NO_COUNT = "CAST(NULL AS BIGINT)";
    private static final String NO_STATS = String.join(", ", Collections.nCopies(5, "CAST(NULL AS DOUBLE PRECISION)"));
    private static final String STATS = "AVG(d), PERCENTILE_CONT(0.5) WITHIN GROUP (ORDER BY d), "
            + "PERCENTILE_CONT(0.9) WITHIN GROUP (ORDER BY d), MIN(d), MAX(d)";
    /** A marker in the parameters where the read scope binds its own. */
    private static final Object SCOPE = new Object();

    /**
     * One aggregated row: {@code kind} says which figure; {@code key} is a phase (or a cycle time's index),
     * {@code detail} a reason, {@code day} a day in the period's zone; durations are in seconds.
     */
    record Row(String kind, String key, String detail, LocalDate day, int count, int other, Double mean, Double median,
               Double p90, Double min, Double max) {

        static Row read(ResultSet rs) throws SQLException {
            int yyyymmdd = rs.getInt(4);
            LocalDate day = rs.wasNull() ? null : LocalDate.of(yyyymmdd / 10_000, yyyymmdd / 100 % 100, yyyymmdd % 100);
            return new Row(rs.getString(1), rs.getString(2), rs.getString(3), day,
                    rs.getInt(5), rs.getInt(6), number(rs, 7), number(rs, 8), number(rs, 9), number(rs, 10),
                    number(rs, 11));
        }

        private static Double number(ResultSet rs, int column) throws SQLException {
            double value = rs.getDouble(column);
            return rs.wasNull() ? null : value;
        }

        /** The statistics of the durations counted in {@code count}. */
        DurationStats stats() {
            return count == 0 ? DurationStats.NONE : new DurationStats(count, duration(mean), duration(median),
                    duration(p90), duration(min), duration(max));
        }

        /** Stamps are kept to the microsecond: so are their differences, means and percentiles. */
        private static Duration duration(Double seconds) {
            return seconds == null ? null : Duration.ofNanos(Math.round(seconds * 1_000_000) * 1_000);
        }
    }

    /** The figures' selects, with {@code {history}} and {@code {stamp}} where they read those tables. */
    private final StringBuilder sql = new StringBuilder();
    private final List<Object> params = new ArrayList<>();
    private final ReadScope scope;
    private String flagged;
    private List<Object> flaggedParams;

    StampQuery(ProcessDefinition process, KpiPeriod period, Instant asOf, ReadScope scope, Set<Part> parts,
               List<PhasePair> cycleTimes) {
        this.scope = scope;
        commonTables(process, period, asOf);
        String zone = SqlDialect.zoneName(period.zone());
        List<String> selects = new ArrayList<>();
        if (parts.contains(Part.PER_DAY)) {
            selects.add(perDay(STARTED, "started", zone, period));
            selects.add(perDay(ENDED, "ended", zone, period));
        }
        if (parts.contains(Part.OUTCOMES)) {
            selects.add(select(OUTCOME, "last_phase", "last_reason", NO_DAY, "COUNT(*)", NO_COUNT, NO_STATS)
                    + " FROM {history} history WHERE ended >= ? AND ended < ? GROUP BY last_phase, last_reason");
            period(period);
        }
        if (parts.contains(Part.DURATIONS)) {
            selects.add(select(ENDED_DURATION, NO_TEXT, NO_TEXT, NO_DAY, "COUNT(d)", NO_COUNT, STATS)
                    + " FROM (SELECT " + seconds("ended", "started") + " AS d FROM {history} history"
                    + " WHERE ended >= ? AND ended < ?) durations");
            period(period);
            selects.add(select(OPEN_AGE, NO_TEXT, NO_TEXT, NO_DAY, "COUNT(d)", NO_COUNT, STATS)
                    + " FROM (SELECT " + seconds("CAST(? AS TIMESTAMP WITH TIME ZONE)", "started") + " AS d FROM {history} history"
                    + " WHERE started >= ? AND started < ? AND ended IS NULL) ages");
            params.add(utc(asOf));
            period(period);
        }
        if (parts.contains(Part.CONVERSION)) {
            selects.add(select(CONVERSION, "phase", NO_TEXT, NO_DAY, "COUNT(*)",
                    "SUM(CASE WHEN later_reach > reach THEN 1 ELSE 0 END)", NO_STATS)
                    + " FROM (SELECT s.phase, s.reach, s.later_reach,"
                    + " ROW_NUMBER() OVER (PARTITION BY s.case_id, s.phase ORDER BY s.seq) AS entry"
                    + " FROM {stamp} s JOIN {history} h ON h.case_id = s.case_id"
                    + " WHERE h.started >= ? AND h.started < ?) entries WHERE entry = 1 GROUP BY phase");
            period(period);
        }
        if (parts.contains(Part.CURRENT)) {
            selects.add(select(CURRENT, "last_phase", NO_TEXT, NO_DAY, "COUNT(*)",
                    "SUM(CASE WHEN ended IS NULL THEN 0 ELSE 1 END)", NO_STATS)
                    + " FROM {history} history WHERE started >= ? AND started < ? GROUP BY last_phase");
            period(period);
        }
        if (parts.contains(Part.STAYS)) {
            selects.add(select(STAY, "phase", NO_TEXT, NO_DAY, "COUNT(d)", NO_COUNT, STATS)
                    + " FROM (SELECT s.phase, " + seconds("s.left_at", "s.stamped_at") + " AS d"
                    + " FROM {stamp} s JOIN {history} h ON h.case_id = s.case_id"
                    + " WHERE h.started >= ? AND h.started < ? AND s.left_at IS NOT NULL) stays GROUP BY phase");
            period(period);
        }
        if (parts.contains(Part.CYCLE_TIMES)) {
            for (int i = 0; i < cycleTimes.size(); i++) {
                selects.add(cycleTime(i, cycleTimes.get(i), period));
            }
        }
        if (selects.isEmpty()) {
            throw new IllegalArgumentException("No figure asked for");
        }
        sql.append(String.join("\nUNION ALL\n", selects));
    }

    PreparedStatement prepare(Connection connection, SqlDialect dialect) throws SQLException {
        List<Object> bound = new ArrayList<>();
        String text = render(dialect == SqlDialect.POSTGRESQL, bound);
        PreparedStatement statement = connection.prepareStatement(text);
        try {
            int index = 1;
            for (Object param : bound) {
                if (param == SCOPE) {
                    index = scope.bind(statement, index);
                } else {
                    statement.setObject(index++, param);
                }
            }
            return statement;
        } catch (SQLException | RuntimeException e) {
            statement.close();
            throw e;
        }
    }

    private void commonTables(ProcessDefinition process, KpiPeriod period, Instant asOf) {
        List<String> closing = new ArrayList<>();
        List<String> success = new ArrayList<>();
        List<String> open = new ArrayList<>();
        List<PhaseDefinition> phases = process.phases();
        for (PhaseDefinition phase : phases) {
            (phase.isClosing() ? closing : open).add(phase.name());
            if (phase.outcome() == PhaseOutcome.SUCCESS) {
                success.add(phase.name());
            }
        }
        sql.append("SELECT s.case_id, s.id, s.to_phase AS phase, s.changed_at AS stamped_at, s.reason,")
                .append(" CASE WHEN ").append(in("s.to_phase", closing)).append(" THEN 1 ELSE 0 END AS closing,")
                .append(" CASE WHEN ").append(in("s.to_phase", success)).append(" THEN ").append(SUCCESS_REACH);
        for (String phase : open) {
            // an open phase gets as far as its position: the pipeline's order
            sql.append(" WHEN s.to_phase = ? THEN ").append(phases.indexOf(process.phase(phase).orElseThrow()));
            params.add(phase);
        }
        sql.append(" ELSE -1 END AS reach")
                .append(" FROM crm_phase_stamp s WHERE s.process = ? AND s.entity = ? AND s.changed_at <= ?")
                .append(" AND s.case_id IN (SELECT p.case_id FROM crm_phase_stamp p")
                .append(" WHERE p.process = ? AND p.changed_at >= ? AND p.changed_at < ?) AND {scope}");
        params.add(process.name());
        params.add(process.entity());
        params.add(utc(asOf));
        params.add(process.name());
        period(period);
        params.add(SCOPE);
        flagged = sql.toString();
        flaggedParams = List.copyOf(params);
        sql.setLength(0);
        params.clear();
    }

    /** Every window in the order the stamps were written: the database sorts them once. */
    private static final String IN_ORDER = "PARTITION BY f.case_id ORDER BY f.stamped_at, f.id";
    private static final String STAMP = "SELECT f.*, ROW_NUMBER() OVER (" + IN_ORDER + ") AS seq,"
            + " LEAD(f.stamped_at) OVER (" + IN_ORDER + ") AS left_at,"
            + " MAX(f.reach) OVER (" + IN_ORDER + " ROWS BETWEEN 1 FOLLOWING AND UNBOUNDED FOLLOWING) AS later_reach,"
            + " MIN(f.closing) OVER (" + IN_ORDER + " ROWS BETWEEN CURRENT ROW AND UNBOUNDED FOLLOWING) AS closes"
            + " FROM {flagged} f";
    private static final String HISTORY = "SELECT case_id, MIN(stamped_at) AS started,"
            + " MIN(CASE WHEN closes = 1 THEN stamped_at END) AS ended,"
            + " MAX(CASE WHEN left_at IS NULL THEN phase END) AS last_phase,"
            + " MAX(CASE WHEN left_at IS NULL THEN reason END) AS last_reason"
            + " FROM {stamp} stamp GROUP BY case_id";

    /**
     * The statement as text and parameters: on PostgreSQL the tables are common table expressions, computed once
     * however often the figures read them; H2 (2.2, which Payara Micro brings along) binds no parameters inside
     * common table expressions, so there each reference is the table's query itself.
     */
    private String render(boolean commonTables, List<Object> out) {
        StringBuilder text = new StringBuilder();
        if (commonTables) {
            text.append("WITH flagged AS (");
            render(flagged, flaggedParams, false, text, out);
            text.append("),\nstamp AS (");
            render(STAMP, List.of(), false, text, out);
            text.append("),\nhistory AS (");
            render(HISTORY, List.of(), false, text, out);
            text.append(")\n");
        }
        render(sql.toString(), params, !commonTables, text, out);
        return text.toString();
    }

    /** Copies {@code template}, its parameters in order; {@code {table}} is the table's name or, inlined, its query. */
    private void render(String template, List<Object> templateParams, boolean inline, StringBuilder text,
                        List<Object> out) {
        int next = 0;
        for (int i = 0; i < template.length(); i++) {
            char c = template.charAt(i);
            if (c == '?') {
                text.append('?');
                out.add(templateParams.get(next++));
            } else if (c == '{') {
                int end = template.indexOf('}', i);
                String name = template.substring(i + 1, end);
                i = end;
                switch (name) {
                    case "scope" -> {
                        text.append(scope.condition("s.record_id"));
                        out.add(templateParams.get(next++));
                    }
                    case "flagged" -> table(inline, name, flagged, flaggedParams, text, out);
                    case "stamp" -> table(inline, name, STAMP, List.of(), text, out);
                    case "history" -> table(inline, name, HISTORY, List.of(), text, out);
                    default -> throw new IllegalStateException("Unknown table {" + name + "}");
                }
            } else {
                text.append(c);
            }
        }
        if (next != templateParams.size()) {
            throw new IllegalStateException(templateParams.size() + " parameters for " + next + " places");
        }
    }

    private void table(boolean inline, String name, String query, List<Object> queryParams, StringBuilder text,
                       List<Object> out) {
        if (!inline) {
            text.append(name);
            return;
        }
        text.append('(');
        render(query, queryParams, true, text, out);
        text.append(')');
    }

    /** Cases started (or ended) per day in the period's zone. */
    private String perDay(String kind, String column, String zone, KpiPeriod period) {
        // the fields of the local time, as yyyymmdd: H2 casts a time with an offset to a date in the session's zone
        String local = "(" + column + " AT TIME ZONE '" + zone + "')";
        String day = "CAST(EXTRACT(YEAR FROM " + local + ") * 10000 + EXTRACT(MONTH FROM " + local + ") * 100 + "
                + "EXTRACT(DAY FROM " + local + ") AS INTEGER)";
        period(period);
        return select(kind, NO_TEXT, NO_TEXT, day, "COUNT(*)", NO_COUNT, NO_STATS) + " FROM {history} history WHERE " + column
                + " >= ? AND " + column + " < ? GROUP BY " + day;
    }

    /**
     * From the first entry into {@code from} to the first entry into {@code to} after it, for the cases started in
     * the period; {@code other} counts the cases that entered {@code from}.
     */
    private String cycleTime(int index, PhasePair pair, KpiPeriod period) {
        params.add(pair.to());
        String select = select(CYCLE, "'" + index + "'", NO_TEXT, NO_DAY, "COUNT(d)", "COUNT(*)", STATS)
                + " FROM (SELECT f.case_id, " + seconds(
                "MIN(CASE WHEN s.seq > f.first_seq AND s.phase = ? THEN s.stamped_at END)",
                "MIN(CASE WHEN s.seq = f.first_seq THEN s.stamped_at END)") + " AS d"
                + " FROM (SELECT s.case_id, MIN(s.seq) AS first_seq FROM {stamp} s JOIN {history} h ON h.case_id = s.case_id"
                + " WHERE h.started >= ? AND h.started < ? AND s.phase = ? GROUP BY s.case_id) f"
                + " JOIN {stamp} s ON s.case_id = f.case_id GROUP BY f.case_id) cycles";
        period(period);
        params.add(pair.from());
        return select;
    }

    private static String select(String kind, String key, String detail, String day, String count, String other,
                                 String stats) {
        return "SELECT CAST('" + kind + "' AS VARCHAR(20)), CAST(" + key + " AS VARCHAR(4000)), CAST(" + detail
                + " AS VARCHAR(4000)), " + day + ", " + count + ", " + other + ", " + stats;
    }

    /** The seconds from {@code from} to {@code to}, exact (both databases extract the epoch as a decimal). */
    private static String seconds(String to, String from) {
        return "CAST(EXTRACT(EPOCH FROM " + to + ") - EXTRACT(EPOCH FROM " + from + ") AS DOUBLE PRECISION)";
    }

    private String in(String column, List<String> values) {
        if (values.isEmpty()) {
            return "1 = 0";
        }
        params.addAll(values);
        return column + " IN (" + String.join(", ", Collections.nCopies(values.size(), "?")) + ")";
    }

    private void period(KpiPeriod period) {
        params.add(utc(period.start()));
        params.add(utc(period.end()));
    }

    private static OffsetDateTime utc(Instant instant) {
        return OffsetDateTime.ofInstant(instant, ZoneOffset.UTC);
    }
}
