package io.relata.bench.core;

import java.math.BigDecimal;
import java.sql.Connection;
import java.time.LocalDate;
import java.util.Random;
import java.util.Set;

/**
 * The opportunities the order and dashboard benchmarks measure, loaded by COPY into the shipped metadata's tables:
 * 2,000 accounts; owners among 30 reps (user ids 100–129) in 5 teams (team {@code 1 + rep % 5}), close dates over the
 * 24 months around {@code first}, every phase, forecast categories. Seeded: the same rows every run.
 */
final class OpportunityData {

    static final int REPS = 30;
    static final int TEAMS = 5;
    static final int ACCOUNTS = 2000;
    static final String[] PHASES = {"qualification", "needs_analysis", "proposal", "negotiation", "won", "lost",
            "cancelled"};
    static final int[] PROBABILITY = {10, 25, 50, 75, 100, 0, 0};
    static final String[] CATEGORIES = {"pipeline", "pipeline", "best_case", "commit", "omitted"};

    private OpportunityData() {
    }

    /** 2,000 accounts and the opportunities: owners across 30 reps in 5 teams, close dates over 24 months. */
    static String load(Connection c, int rows, LocalDate first) throws Exception {
        {
            double accounts = CopyLoader.load(c, "rec_account", ACCOUNTS, new CopyLoader.Rows() {
                private int row;

                @Override
                public Set<String> columns() {
                    return Set.of("id", "name", "version", "created_at", "updated_at");
                }

                @Override
                public void next(int row) {
                    this.row = row;
                }

                @Override
                public String value(String column) {
                    return switch (column) {
                        case "id" -> Integer.toString(row + 1);
                        case "name" -> "Account " + row;
                        case "version" -> "1";
                        default -> "2026-01-01 00:00:00+00";
                    };
                }
            });
            Random random = new Random(16);
            double opportunities = CopyLoader.load(c, "rec_opportunity", rows, new CopyLoader.Rows() {
                private int row;
                private int phase;
                private int owner;
                private long amount;
                private LocalDate close;
                private String category;

                @Override
                public Set<String> columns() {
                    return Set.of("name", "account", "amount", "probability", "weighted_amount", "close_date", "phase",
                            "forecast_category", "product_line", "owner_user", "owner_team", "version", "created_at",
                            "updated_at");
                }

                @Override
                public void next(int row) {
                    this.row = row;
                    phase = random.nextInt(PHASES.length);
                    owner = random.nextInt(REPS);
                    amount = 1000 + random.nextInt(200_000);
                    close = first.minusMonths(12).plusDays(random.nextInt(730));
                    category = CATEGORIES[random.nextInt(CATEGORIES.length)];
                }

                @Override
                public String value(String column) {
                    return switch (column) {
                        case "name" -> "Deal " + row;
                        case "account" -> Integer.toString(1 + row % ACCOUNTS);
                        case "amount" -> amount + ".00";
                        case "probability" -> Integer.toString(PROBABILITY[phase]);
                        case "weighted_amount" -> new BigDecimal(amount * PROBABILITY[phase]).movePointLeft(2)
                                .setScale(2).toPlainString();
                        case "close_date" -> close.toString();
                        case "phase" -> PHASES[phase];
                        case "forecast_category" -> category;
                        case "product_line" -> "standard";
                        case "owner_user" -> Integer.toString(100 + owner);
                        case "owner_team" -> Integer.toString(1 + owner % TEAMS);
                        case "version" -> "1";
                        default -> "2026-01-01 00:00:00+00";
                    };
                }
            });
            return String.format("COPY: %,d accounts in %.1f s, %,d opportunities in %.1f s (indexes rebuilt, ANALYZE).",
                    ACCOUNTS, accounts, rows, opportunities);
        }
    }
}
