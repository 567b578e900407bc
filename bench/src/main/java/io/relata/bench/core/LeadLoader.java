package io.relata.bench.core;

import java.io.IOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * Fills the CRM's lead table with generated leads through PostgreSQL's COPY ({@link CopyLoader}), into the table
 * and indexes the CRM created from metadata/entities/lead.yaml. Seeded:
 * every run writes the same rows. Owners rotate over the given users, so each of n users owns 1/n of the leads.
 */
final class LeadLoader {

    static final String TABLE = "rec_lead";
    /** new three times as often as the other statuses, as in an inbox. */
    static final String[] STATUSES = {"new", "contacted", "qualified", "converted", "disqualified", "new", "new"};
    static final String[] SURNAMES = {"Müller", "Schmidt", "Schneider", "Fischer", "Weber", "Meyer", "Wagner", "Becker",
            "Schulz", "Hoffmann", "Schäfer", "Koch", "Bauer", "Richter", "Klein", "Wolf", "Schröder", "Neumann",
            "Schwarz", "Zimmermann", "Braun", "Krüger", "Hofmann", "Hartmann", "Lange", "Schmitt", "Werner", "Schmitz",
            "Krause", "Meier", "Lehmann", "Schmid", "Schulze", "Maier", "Köhler", "Herrmann", "König", "Walter",
            "Mayer", "Huber", "Kaiser", "Fuchs", "Peters", "Lang", "Scholz", "Möller", "Weiß", "Jung", "Hahn", "Brandt"};
    static final String[] FIRST_NAMES = {"Anna", "Lukas", "Marie", "Felix", "Sophie", "Jonas", "Laura", "Paul", "Lea",
            "Leon", "Julia", "Max", "Hannah", "Elias", "Mia", "Noah", "Emma", "Ben", "Lena", "Finn"};
    static final String[] COMPANY_WORDS = {"Seeblick", "Nordlicht", "Bergland", "Rheintal", "Isar", "Elbe", "Alpen",
            "Hanse", "Sonnen", "Wald", "Stadt", "Land", "Ostsee", "Main", "Donau", "Spree", "Taunus", "Harz", "Eifel", "Allgäu"};
    static final String[] COMPANY_KINDS = {"Hotels GmbH", "Bau AG", "Logistik GmbH", "Versicherungsmakler", "Software GmbH",
            "Autohaus", "Apotheke", "Stadtwerke", "Immobilien KG", "Druckerei"};
    static final String[] SOURCES = {"web", "trade_fair", "import", "api", "referral"};
    static final String[] DESCRIPTIONS = {"Interesse an einem Angebot für 50 Lizenzen", "Rückruf erbeten, Budget ist freigegeben",
            "Kam über die Messe in Hannover", "Will bis Quartalsende entscheiden", "Vergleicht noch mit dem Wettbewerb"};
    static final Instant FIRST_CREATED = Instant.parse("2026-01-01T00:00:00Z");

    private LeadLoader() {
    }

    /** Appends {@code rows} generated leads owned in turn by {@code owners}; returns the seconds it took. */
    static double load(Connection connection, int rows, List<Long> owners) throws SQLException, IOException {
        return CopyLoader.load(connection, TABLE, rows, new Leads(owners));
    }

    static long count(Connection connection) throws SQLException {
        return CopyLoader.count(connection, TABLE);
    }

    /** The generated leads: seeded, so every run writes the same rows. */
    private static final class Leads implements CopyLoader.Rows {
        private static final Set<String> COLUMNS = Set.of("version", "created_at", "updated_at", "owner_user",
                "company", "first_name", "last_name", "email", "phone", "source", "status", "description", "budget",
                "disqualify_reason", "received_at", "score");

        private final List<Long> owners;
        private final SplittableRandom random = new SplittableRandom(12);
        private int row;
        private String first;
        private String last;
        private String status;
        private Instant created;

        Leads(List<Long> owners) {
            this.owners = owners;
        }

        @Override
        public Set<String> columns() {
            return COLUMNS;
        }

        @Override
        public void next(int row) {
            this.row = row;
            first = FIRST_NAMES[random.nextInt(FIRST_NAMES.length)];
            last = SURNAMES[random.nextInt(SURNAMES.length)];
            status = STATUSES[row % STATUSES.length];
            created = FIRST_CREATED.plusSeconds(10L * row);
        }

        @Override
        public String value(String column) {
            return switch (column) {
                case "version" -> "1";
                case "created_at", "updated_at" -> created.toString();
                case "owner_user" -> owners.get(row % owners.size()).toString();
                case "company" -> COMPANY_WORDS[random.nextInt(COMPANY_WORDS.length)] + " "
                        + COMPANY_KINDS[random.nextInt(COMPANY_KINDS.length)] + " " + (row % 9973);
                case "first_name" -> first;
                case "last_name" -> last;
                case "email" -> (ascii(first) + "." + ascii(last) + row + "@example.de").toLowerCase(java.util.Locale.ROOT);
                case "phone" -> "+49 30 " + (1_000_000 + row);
                case "source" -> SOURCES[random.nextInt(SOURCES.length)];
                case "status" -> status;
                case "description" -> row % 3 == 0 ? DESCRIPTIONS[random.nextInt(DESCRIPTIONS.length)] : null;
                case "budget" -> row % 4 == 0 ? Integer.toString(1000 + random.nextInt(200_000)) : null;
                case "disqualify_reason" -> status.equals("disqualified") ? "Kein Budget in diesem Jahr" : null;
                case "received_at" -> row % 20 == 0 ? null : FIRST_CREATED.plusSeconds(10L * random.nextInt(rowsSpan(row))).toString();
                case "score" -> Integer.toString(random.nextInt(101));
                default -> null;
            };
        }
    }

    private static int rowsSpan(int row) {
        return Math.max(1, row + 1);
    }

    private static String ascii(String name) {
        return name.replace("ü", "ue").replace("ö", "oe").replace("ä", "ae").replace("ß", "ss");
    }
}
