package io.relata.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import io.relata.api.record.Record;
import io.relata.api.record.RecordQuery;
import io.relata.identity.CountingPasswordHash;
import io.relata.identity.LoginThrottle;
import io.relata.identity.PasswordPolicy;
import io.relata.identity.UserDirectory;
import io.relata.store.JdbcRecordStore;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The shipped demo data on the shipped metadata: every record seeded once, owned by the demo colleague of its
 * entity, who exists once (a second seeding after a failed one reuses them) and cannot log in with any password.
 */
class DemoDataTest {

    private static final Path METADATA = Path.of("../../metadata");

    private Database database;
    private UserDirectory users;
    private JdbcRecordStore records;

    private TestPlatform platform;

    /** With the processes in the write path, as the platform seeds: accepting the demo quotes makes their orders. */
    @BeforeEach
    void openPlatform() throws Exception {
        platform = new TestPlatform("h2", List.of(), Clock.systemUTC(), p -> io.relata.store.RecordWriteHook.NONE);
        database = platform.database;
        users = new UserDirectory(database, new CountingPasswordHash(), Clock.systemUTC(), LoginThrottle.Policy.DEFAULT,
                PasswordPolicy.shipped());
        records = platform.system;
    }

    @AfterEach
    void close() throws Exception {
        platform.close();
    }

    @Test
    void theDemoRecordsBelongToTheDemoColleaguesOfTheirEntities() throws Exception {
        new DemoData(database, records, users, platform.histories(), METADATA.resolve("demo")).seedOnce();

        long anna = users.actor("anna.berger").orElseThrow().userId();
        long jonas = users.actor("jonas.keller").orElseThrow().userId();
        assertThat(users.actor("anna.berger").orElseThrow().roles()).containsExactly("sales");
        assertThat(users.teams()).extracting(t -> t.getName()).contains("Vertrieb", "Kundenservice");
        for (String entity : List.of("account", "contact")) {
            List<Record> seeded = all(entity);
            assertThat(seeded).as(entity).isNotEmpty()
                    .allSatisfy(r -> assertThat(r.ownerUser()).as(entity + " " + r.id()).isEqualTo(anna));
        }
        // an entry that names its owner belongs to them: the history of a second salesperson and of marketing
        long lukas = users.actor("lukas.brandt").orElseThrow().userId();
        long nina = users.actor("nina.vogel").orElseThrow().userId();
        assertThat(all("opportunity")).extracting(Record::ownerUser).containsOnly(anna, lukas).contains(anna, lukas);
        assertThat(all("lead")).extracting(Record::ownerUser).containsOnly(anna, nina).contains(anna, nina);
        assertThat(all("ticket")).isNotEmpty().allSatisfy(r -> assertThat(r.ownerUser()).isEqualTo(jonas));
        assertThat(all("ticket")).allSatisfy(r -> assertThat(r.ownerTeam()).isEqualTo(
                users.actor("jonas.keller").orElseThrow().teamIds().get(0)));

        // the closed deals went through the pipeline before the seeding: the process figures have a year behind them
        var process = platform.model.process("opportunity_sales").orElseThrow();
        java.time.LocalDate today = java.time.LocalDate.now();
        var figures = new io.relata.process.kpi.ProcessKpis(database.dataSource(), Clock.systemDefaultZone(),
                io.relata.store.ReadScope::everything).figures(process, new io.relata.process.kpi.KpiPeriod(
                today.minusDays(365), today, io.relata.process.kpi.Granularity.MONTH, java.time.ZoneId.systemDefault()));
        assertThat(figures.conversion().closed()).as("closed deals started in the last year").isGreaterThan(30);
        assertThat(figures.conversion().winRate()).isBetween(0.3, 0.8);
        var toWin = figures.cycleTimes().get(0).durations();
        assertThat(toWin.count()).isGreaterThan(15);
        assertThat(toWin.median()).isBetween(java.time.Duration.ofDays(20), java.time.Duration.ofDays(150));

        var login = users.authenticate("anna.berger", "".toCharArray(), io.relata.identity.LoginEvent.Channel.FORM, "127.0.0.1");
        assertThat(login.succeeded()).as("a demo colleague has no password anyone knows").isFalse();
    }

    @Test
    void aSecondSeedingReusesTheColleaguesInsteadOfFailingOnTheirNames(@org.junit.jupiter.api.io.TempDir Path demo)
            throws Exception {
        java.nio.file.Files.copy(METADATA.resolve("demo/colleagues.yaml"), demo.resolve("colleagues.yaml"));
        // as after a seeding that created the colleagues and then failed on a record
        new DemoData(database, records, users, platform.histories(), demo, "demo.first").seedOnce();
        new DemoData(database, records, users, platform.histories(), METADATA.resolve("demo"), "demo.second").seedOnce();

        Set<String> names = users.users().stream().map(u -> u.getUsername()).collect(Collectors.toSet());
        assertThat(names).containsExactlyInAnyOrder("anna.berger", "jonas.keller", "lukas.brandt", "nina.vogel",
                "sofia.richter");
        assertThat(users.teams()).extracting(t -> t.getName()).doesNotHaveDuplicates();
        assertThat(all("account")).isNotEmpty();
    }

    private List<Record> all(String entity) {
        return records.query(entity, new RecordQuery(List.of(), List.of(), null, RecordQuery.MAX_LIMIT, null)).records();
    }
}
