package io.relata.runtime;

import io.relata.api.security.Actor;
import io.relata.identity.UserAccount;
import io.relata.identity.UserDirectory;
import io.relata.process.CaseHistoryImport;
import java.util.LinkedHashSet;
import java.util.Optional;
import java.util.Set;

import io.relata.api.record.Record;
import io.relata.store.JdbcRecordStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.logging.Logger;
import java.util.stream.Stream;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

/**
 * Seeds the demo records from {@code demo/*.yaml} of the base metadata directory, once per database.
 * A file is a list of {@code {entity, key, values}}; a value {@code "@key"} in a reference field points to
 * the record seeded under that key ({@code "opportunity:@key"} in a record-link field), and {@code "today+45"} in a date field ({@code "today+3T10:00"} in a date-time field) is a date relative to the day of
 * seeding. Files are read in name order. A plugin's demo records (its layer's {@code demo/}) are seeded once per
 * plugin, and may point to records seeded before them with {@code "find:contact.email=anna@example.com"}.
 * <p>
 * An entry {@code {user, displayName, email, roles, team, owns}} is a demo colleague: a user who cannot log in
 * (no password anyone knows, until an administrator sets one) and owns the records of the entities in {@code owns};
 * an entry's {@code owner} names another one. Records then have owners as in a real CRM: to-dos of processes are
 * assigned, mails addressed, "my records" and team scopes mean something.
 * <p>
 * An entry's {@code phases} ({@code {qualification: today-90, proposal: today-60, won: today-30}}) is the history of
 * the record's process before the seeding, ending in the phase its values give: the process figures (win rate, cycle
 * time) of a fresh demo then have a year behind them too.
 */
final class DemoData {

    private static final Logger LOG = Logger.getLogger(DemoData.class.getName());

    private final Database database;
    private final JdbcRecordStore records;
    private final UserDirectory users;
    private final CaseHistoryImport histories;
    private final Path directory;
    private final String marker;

    DemoData(Database database, JdbcRecordStore records, UserDirectory users, CaseHistoryImport histories, Path directory) {
        this(database, records, users, histories, directory, PlatformSetting.DEMO_DATA_SEEDED);
    }

    /** @param marker the setting that records the seeding (one per plugin: {@code demo.data.seeded.<plugin>}) */
    DemoData(Database database, JdbcRecordStore records, UserDirectory users, CaseHistoryImport histories, Path directory,
             String marker) {
        this.database = database;
        this.records = records;
        this.users = users;
        this.histories = histories;
        this.directory = directory;
        this.marker = marker;
    }

    void seedOnce() throws IOException {
        boolean seeded = database.inTransaction(em -> em.find(PlatformSetting.class, marker) != null);
        if (seeded || !Files.isDirectory(directory)) {
            return;
        }
        List<Path> files;
        try (Stream<Path> listing = Files.list(directory)) {
            files = listing.filter(p -> p.toString().endsWith(".yaml")).sorted().toList();
        }
        List<Object> documents = new java.util.ArrayList<>();
        for (Path file : files) {
            documents.add(new Load(LoadSettings.builder().setLabel(file.toString()).build()).loadFromString(Files.readString(file)));
        }
        // All or nothing: a half-seeded database would fail the next start on unique values.
        int count = records.transactions().inTransaction(() -> seed(files, documents));
        database.inTransactionDo(em -> em.persist(new PlatformSetting(marker, abbreviate(files.toString()))));
        LOG.info(() -> "Seeded " + count + " demo records from " + directory);
    }

    private static String abbreviate(String text) {
        return text.length() <= 4000 ? text : text.substring(0, 3999) + "…";
    }

    private int seed(List<Path> files, List<Object> documents) {
        Map<String, Long> idsByKey = new HashMap<>();
        Map<String, Actor> ownerByEntity = new HashMap<>();
        int count = 0;
        for (int i = 0; i < files.size(); i++) {
            Path file = files.get(i);
            Object document = documents.get(i);
            if (!(document instanceof List<?> entries)) {
                throw new IllegalStateException(file + ": demo data must be a list of {entity, key, values}");
            }
            for (Object entry : entries) {
                Map<?, ?> item = (Map<?, ?>) entry;
                if (item.get("user") != null) {
                    Actor colleague = colleague(item, file);
                    for (Object owned : item.get("owns") instanceof List<?> list ? list : List.of()) {
                        ownerByEntity.put(String.valueOf(owned), colleague);
                    }
                    continue;
                }
                String entity = (String) item.get("entity");
                Map<String, Object> values = new LinkedHashMap<>();
                ((Map<?, ?>) item.get("values")).forEach((k, v) -> values.put((String) k,
                        resolve(found(v, file), idsByKey, file)));
                if (item.get("update") != null) {
                    // a later step of a seeded record, through its process: a quote drafted, then sent, then accepted
                    long id = (Long) resolve(String.valueOf(item.get("update")), idsByKey, file);
                    Record current = records.find(entity, id).orElseThrow(() -> new IllegalStateException(file
                            + ": no " + entity + " " + item.get("update") + " to update"));
                    records.update(entity, id, current.version(), values);
                    count++;
                    continue;
                }
                Actor owner = item.get("owner") != null ? users.actor(String.valueOf(item.get("owner"))).orElse(null)
                        : ownerByEntity.get(entity);
                Record created;
                try {
                    created = owner == null ? records.create(entity, values)
                            : records.create(entity, values, owner.userId(), owner.teamIds().isEmpty() ? null : owner.teamIds().get(0));
                } catch (io.relata.api.record.ValidationException e) {
                    // the demo files are data an admin edits: say which entry and which values
                    throw new IllegalStateException(file + ": the " + entity + " " + values + " is refused: "
                            + e.errors().stream().map(error -> error.field() + ": " + error.message("en")).toList(), e);
                }
                if (item.get("key") != null) {
                    idsByKey.put((String) item.get("key"), created.id());
                }
                if (item.get("phases") instanceof Map<?, ?> phases) {
                    histories.replace(entity, created.id(), pastPhases(phases, file), owner);
                }
                count++;
            }
        }
        return count;
    }

    /** "phases: {qualification: today-90, won: today-30}": the phases a record went through before, at 10:00 that day. */
    private static List<CaseHistoryImport.PastPhase> pastPhases(Map<?, ?> phases, Path file) {
        List<CaseHistoryImport.PastPhase> history = new java.util.ArrayList<>();
        phases.forEach((phase, when) -> {
            Object at = resolve(when, Map.of(), file);
            if (!(at instanceof java.time.LocalDate day)) {
                throw new IllegalStateException(file + ": the phase " + phase + " of a history needs a day such as "
                        + "'today-30', not " + when);
            }
            history.add(new CaseHistoryImport.PastPhase(String.valueOf(phase), day.atTime(10, 0)
                    .atZone(java.time.ZoneId.systemDefault()).toOffsetDateTime()));
        });
        return history;
    }

    /**
     * The demo colleague of {@code item}, created with its team if it is not there yet (a seeding that failed after
     * creating users must not fail the next start on a taken user name).
     */
    private Actor colleague(Map<?, ?> item, Path file) {
        String username = String.valueOf(item.get("user"));
        Optional<Actor> existing = users.actor(username);
        if (existing.isPresent()) {
            return existing.get();
        }
        Set<String> roles = new LinkedHashSet<>();
        if (item.get("roles") instanceof List<?> list) {
            list.forEach(role -> roles.add(String.valueOf(role)));
        }
        Object email = item.get("email");
        Object displayName = item.get("displayName");
        UserAccount user = users.createUserWithoutPassword(username, displayName == null ? username : String.valueOf(displayName),
                email == null ? null : String.valueOf(email), roles);
        if (item.get("team") != null) {
            String teamName = String.valueOf(item.get("team"));
            long team = users.teams().stream().filter(t -> t.getName().equals(teamName)).findFirst()
                    .orElseGet(() -> users.createTeam(teamName)).getId();
            users.update(user.getId(), user.getDisplayName(), user.getEmail(), true, roles, List.of(team));
        }
        return users.actor(username).orElseThrow(() -> new IllegalStateException(file + ": demo colleague "
                + username + " was not created"));
    }

    private static final java.util.regex.Pattern FIND = java.util.regex.Pattern.compile(
            "find:([a-z][a-z0-9_]*)\\.([a-z][a-z0-9_]*)=(.+)");

    /** "find:contact.email=anna@example.com": the id of the record seeded before (e.g. by the core) with that value. */
    private Object found(Object value, Path file) {
        var find = value instanceof String s ? FIND.matcher(s) : null;
        if (find == null || !find.matches()) {
            return value;
        }
        var page = records.query(find.group(1), new io.relata.api.record.RecordQuery(List.of(new io.relata.api.record.Filter(
                find.group(2), io.relata.api.record.FilterOperator.EQ, find.group(3))), List.of(), null, 1, null));
        if (page.records().isEmpty()) {
            throw new IllegalStateException(file + ": no " + find.group(1) + " with " + find.group(2) + " = " + find.group(3)
                    + " to point to (" + value + ")");
        }
        return page.records().get(0).id();
    }

    /** "opportunity:@key" in a record-link field: the record seeded under that key. */
    private static final java.util.regex.Pattern LINK = java.util.regex.Pattern.compile("([a-z][a-z0-9_]*):@(\\S+)");
    private static final java.util.regex.Pattern RELATIVE_DATE = java.util.regex.Pattern.compile("today([+-]\\d+)?(?:T(\\d{2}:\\d{2}))?");
    /** "month+1": the first day of next month (quotas, monthly figures); "month" alone is a text (a unit). */
    private static final java.util.regex.Pattern RELATIVE_MONTH = java.util.regex.Pattern.compile("month([+-]\\d+)");

    private static Object resolve(Object value, Map<String, Long> idsByKey, Path file) {
        if (value instanceof String s) {
            // "today+45": demo dates stay in the future (rules refuse open opportunities closing in the past)
            var month = RELATIVE_MONTH.matcher(s);
            if (month.matches()) {
                return java.time.LocalDate.now().withDayOfMonth(1).plusMonths(Long.parseLong(month.group(1)));
            }
            var relative = RELATIVE_DATE.matcher(s);
            if (relative.matches()) {
                java.time.LocalDate day = java.time.LocalDate.now().plusDays(relative.group(1) == null ? 0
                        : Long.parseLong(relative.group(1)));
                // "today+3T10:00" in a date-time field: that day at that time where the server runs
                return relative.group(2) == null ? day : day.atTime(java.time.LocalTime.parse(relative.group(2)))
                        .atZone(java.time.ZoneId.systemDefault()).toOffsetDateTime();
            }
        }
        var link = value instanceof String s ? LINK.matcher(s) : null;
        if (link != null && link.matches()) {
            return link.group(1) + ":" + resolve("@" + link.group(2), idsByKey, file);
        }
        if (value instanceof String s && s.startsWith("@")) {
            Long id = idsByKey.get(s.substring(1));
            if (id == null) {
                throw new IllegalStateException(file + ": no demo record with key '" + s.substring(1)
                        + "' before this point; list referenced records first");
            }
            return id;
        }
        return value;
    }
}
