package io.relata.bench.core;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;

/**
 * Fills the CRM's lead table with generated leads through PostgreSQL's COPY, into the table and indexes the CRM
 * created from metadata/entities/lead.yaml: the secondary indexes are dropped for the load and built again from
 * their own definitions afterwards (faster than maintaining them row by row; the result is the same). Seeded:
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
        long started = System.nanoTime();
        List<String> columns = columns(connection);
        List<String[]> indexes = secondaryIndexes(connection);
        try (Statement statement = connection.createStatement()) {
            for (String[] index : indexes) {
                statement.execute("DROP INDEX " + index[0]);
            }
        }
        CopyIn copy = connection.unwrap(PGConnection.class).getCopyAPI()
                .copyIn("COPY " + TABLE + " (" + String.join(", ", columns) + ") FROM STDIN");
        try {
            SplittableRandom random = new SplittableRandom(12);
            StringBuilder buffer = new StringBuilder(1 << 20);
            for (int row = 0; row < rows; row++) {
                appendRow(buffer, columns, row, owners, random);
                if (buffer.length() > (1 << 20) - 4096) {
                    byte[] bytes = buffer.toString().getBytes(StandardCharsets.UTF_8);
                    copy.writeToCopy(bytes, 0, bytes.length);
                    buffer.setLength(0);
                }
            }
            byte[] bytes = buffer.toString().getBytes(StandardCharsets.UTF_8);
            copy.writeToCopy(bytes, 0, bytes.length);
            copy.endCopy();
        } finally {
            if (copy.isActive()) {
                copy.cancelCopy();
            }
        }
        try (Statement statement = connection.createStatement()) {
            for (String[] index : indexes) {
                statement.execute(index[1]);
            }
            statement.execute("VACUUM ANALYZE " + TABLE);
        }
        return (System.nanoTime() - started) / 1e9;
    }

    static long count(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement();
             ResultSet result = statement.executeQuery("SELECT count(*) FROM " + TABLE)) {
            result.next();
            return result.getLong(1);
        }
    }

    /** The columns a row needs (the identity column left to the database); refuses a NOT NULL column it cannot fill. */
    private static List<String> columns(Connection connection) throws SQLException {
        List<String> columns = new ArrayList<>();
        try (Statement statement = connection.createStatement();
             ResultSet result = statement.executeQuery("SELECT column_name, is_nullable, is_identity FROM information_schema.columns "
                     + "WHERE table_name = '" + TABLE + "' ORDER BY ordinal_position")) {
            while (result.next()) {
                String name = result.getString(1);
                if ("YES".equals(result.getString(3))) {
                    continue;
                }
                if (!KNOWN.contains(name) && "NO".equals(result.getString(2))) {
                    throw new IllegalStateException(TABLE + "." + name + " is NOT NULL and the loader does not know it: "
                            + "add it to LeadLoader.value");
                }
                columns.add(name);
            }
        }
        if (columns.isEmpty()) {
            throw new IllegalStateException("No table " + TABLE + ": the CRM has not created it (metadata/entities/lead.yaml)");
        }
        return columns;
    }

    private static final List<String> KNOWN = List.of("version", "created_at", "updated_at", "owner_user", "owner_team",
            "company", "first_name", "last_name", "email", "phone", "source", "status", "description", "budget",
            "disqualify_reason", "received_at", "score", "score_reasons");

    /** Name and CREATE statement of each index of the table but the primary key's. */
    private static List<String[]> secondaryIndexes(Connection connection) throws SQLException {
        List<String[]> indexes = new ArrayList<>();
        try (Statement statement = connection.createStatement();
             ResultSet result = statement.executeQuery("SELECT i.indexname, i.indexdef FROM pg_indexes i "
                     + "WHERE i.tablename = '" + TABLE + "' AND NOT EXISTS (SELECT 1 FROM pg_constraint c "
                     + "WHERE c.conname = i.indexname)")) {
            while (result.next()) {
                indexes.add(new String[] {result.getString(1), result.getString(2)});
            }
        }
        return indexes;
    }

    private static void appendRow(StringBuilder out, List<String> columns, int row, List<Long> owners, SplittableRandom random) {
        String first = FIRST_NAMES[random.nextInt(FIRST_NAMES.length)];
        String last = SURNAMES[random.nextInt(SURNAMES.length)];
        String status = STATUSES[row % STATUSES.length];
        Instant created = FIRST_CREATED.plusSeconds(10L * row);
        for (int i = 0; i < columns.size(); i++) {
            out.append(i == 0 ? "" : "\t");
            String value = switch (columns.get(i)) {
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
            out.append(value == null ? "\\N" : value);
        }
        out.append('\n');
    }

    private static int rowsSpan(int row) {
        return Math.max(1, row + 1);
    }

    private static String ascii(String name) {
        return name.replace("ü", "ue").replace("ö", "oe").replace("ä", "ae").replace("ß", "ss");
    }
}
