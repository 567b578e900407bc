package io.relata.bench.core;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Random;
import java.util.Set;

/**
 * The process history of the opportunities {@link OpportunityData} loaded, by COPY: one case of
 * {@code opportunity_sales} per opportunity and its phase stamps up to where it stands now (won: qualification,
 * proposal, negotiation, won; lost: qualification, proposal, lost; cancelled: qualification, cancelled; open: the
 * open phases up to its own), the first at a day of the last 24 months, each next 5 to 20 days later, none after
 * {@code today}. Seeded: the same history every run.
 */
final class ProcessStampData {

    private static final String[][] PATHS = {
            {"qualification"},
            {"qualification", "needs_analysis"},
            {"qualification", "needs_analysis", "proposal"},
            {"qualification", "needs_analysis", "proposal", "negotiation"},
            {"qualification", "proposal", "negotiation", "won"},
            {"qualification", "proposal", "lost"},
            {"qualification", "cancelled"}};

    private ProcessStampData() {
    }

    static String load(Connection c, LocalDate today) throws Exception {
        int count;
        try (Statement statement = c.createStatement(); ResultSet rs = statement.executeQuery(
                "SELECT COUNT(*) FROM rec_opportunity")) {
            rs.next();
            count = rs.getInt(1);
        }
        long[] ids = new long[count];
        byte[] path = new byte[count];
        try (Statement statement = c.createStatement(); ResultSet rs = statement.executeQuery(
                "SELECT id, phase FROM rec_opportunity ORDER BY id")) {
            int i = 0;
            while (rs.next()) {
                ids[i] = rs.getLong(1);
                path[i] = (byte) java.util.Arrays.asList(OpportunityData.PHASES).indexOf(rs.getString(2));
                i++;
            }
        }
        // every stamp's day, drawn once per case in a fixed order
        Random random = new Random(17);
        long epochToday = today.toEpochDay();
        long[] starts = new long[count];
        int stamps = 0;
        for (int i = 0; i < count; i++) {
            starts[i] = epochToday - 730 + random.nextInt(700);
            stamps += PATHS[path[i]].length;
        }
        int[] caseOf = new int[stamps];
        byte[] stepOf = new byte[stamps];
        long[] dayOf = new long[stamps];
        int s = 0;
        for (int i = 0; i < count; i++) {
            long day = starts[i];
            for (int step = 0; step < PATHS[path[i]].length; step++) {
                caseOf[s] = i;
                stepOf[s] = (byte) step;
                dayOf[s] = Math.min(day, epochToday);
                day += 5 + random.nextInt(16);
                s++;
            }
        }
        double cases = CopyLoader.load(c, "crm_process_case", count, new CopyLoader.Rows() {
            private int row;

            @Override
            public Set<String> columns() {
                return Set.of("id", "entity", "record_id", "process", "phase", "phase_since", "started_at", "outcome");
            }

            @Override
            public void next(int row) {
                this.row = row;
            }

            @Override
            public String value(String column) {
                String[] phases = PATHS[path[row]];
                return switch (column) {
                    case "id", "record_id" -> Long.toString(ids[row]);
                    case "entity" -> "opportunity";
                    case "process" -> "opportunity_sales";
                    case "phase" -> phases[phases.length - 1];
                    case "phase_since", "started_at" -> LocalDate.ofEpochDay(starts[row]).atStartOfDay()
                            .atOffset(ZoneOffset.UTC).toString();
                    default -> phases[phases.length - 1].equals("won") ? "success"
                            : phases[phases.length - 1].equals("lost") || phases[phases.length - 1].equals("cancelled")
                            ? "failure" : "open";
                };
            }
        });
        double stamped = CopyLoader.load(c, "crm_phase_stamp", stamps, new CopyLoader.Rows() {
            private int row;

            @Override
            public Set<String> columns() {
                return Set.of("case_id", "entity", "record_id", "process", "from_phase", "to_phase", "changed_at",
                        "username");
            }

            @Override
            public void next(int row) {
                this.row = row;
            }

            @Override
            public String value(String column) {
                String[] phases = PATHS[path[caseOf[row]]];
                int step = stepOf[row];
                return switch (column) {
                    case "case_id", "record_id" -> Long.toString(ids[caseOf[row]]);
                    case "entity" -> "opportunity";
                    case "process" -> "opportunity_sales";
                    case "from_phase" -> step == 0 ? null : phases[step - 1];
                    case "to_phase" -> phases[step];
                    case "changed_at" -> LocalDate.ofEpochDay(dayOf[row]).atTime(9 + row % 8, row % 60)
                            .atOffset(ZoneOffset.UTC).toString();
                    default -> "bench";
                };
            }
        });
        return String.format("COPY: %,d process cases in %.1f s, %,d phase stamps in %.1f s.", count, cases, stamps,
                stamped);
    }
}
