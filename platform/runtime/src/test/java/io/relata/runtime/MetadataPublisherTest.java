package io.relata.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.relata.metadata.MetadataException;
import io.relata.metadata.MetadataLimits;
import io.relata.rules.RuleEngine;
import io.relata.rules.RuleLimits;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The designer's way to production on a small core: drafts per administrator, check with every rule example, plan
 * with a diff, publish as one step with a revision, two administrators at once, hand edits, and roll-back that never
 * drops data. Runs on H2 and on PostgreSQL.
 */
abstract class MetadataPublisherTest {

    private static final String VEHICLE = """
            # yaml-language-server: $schema=../schema/entity.schema.json
            name: vehicle
            label: {de: Fahrzeug, en: Vehicle}
            pluralLabel: {de: Fahrzeuge, en: Vehicles}
            fields:
              plate: {type: text, label: {de: Kennzeichen, en: Licence plate}, required: true}
              seats: {type: integer, label: {de: Sitze, en: Seats}}
            rules:
              - name: seats_plausible
                validation: "record.seats > 9 ? 'Zu viele Sitze' : null"
            examples:
              - name: a bus needs another entity
                record: {plate: B-X 1, seats: 40}
                expect: {errors: [record]}
            """;

    @TempDir
    Path work;
    private Database database;
    private RuleEngine rules;
    private MetadataRuntime runtime;
    private MetadataPublisher publisher;
    private Path siteRoot;

    abstract Database openDatabase() throws Exception;

    abstract void dropDatabase() throws Exception;

    @BeforeEach
    void start() throws Exception {
        Path core = work.resolve("core");
        Files.createDirectories(core.resolve("entities"));
        Files.createDirectories(core.resolve("roles"));
        Files.writeString(core.resolve("entities/account.yaml"), """
                name: account
                label: {de: Firma, en: Account}
                pluralLabel: {de: Firmen, en: Accounts}
                fields:
                  name: {type: text, label: {de: Name, en: Name}, required: true}
                  city: {type: text, label: {de: Ort, en: City}}
                  employees: {type: integer, label: {de: Mitarbeiter, en: Employees}}
                """);
        Files.writeString(core.resolve("roles/administrator.yaml"), """
                name: administrator
                label: {de: Administrator, en: Administrator}
                administrator: true
                """);
        database = openDatabase();
        rules = new RuleEngine(RuleLimits.DEFAULT, Clock.systemUTC());
        SiteLayer site = new SiteLayer(work.resolve("site"));
        site.create();
        siteRoot = site.root();
        runtime = new MetadataRuntime(database, rules, core, List.of(site.root()), () -> List.of(Set.of("administrator")),
                MetadataLimits.DEFAULT);
        runtime.load(MetadataRevision.Trigger.STARTUP);
        publisher = new MetadataPublisher(runtime, site, database, MetadataLimits.DEFAULT, Clock.systemUTC());
    }

    @AfterEach
    void stop() throws Exception {
        rules.close();
        database.close();
        dropDatabase();
    }

    @Test
    void aDraftIsCheckedPlannedAndPublishedInOneStepWithARevision() throws Exception {
        publisher.change("anna", "entities/vehicle.yaml", VEHICLE);
        assertThat(runtime.model().entity("vehicle")).as("a draft is not in force").isEmpty();

        MetadataPublisher.Check check = publisher.check("anna");
        assertThat(check.publishable()).isTrue();
        assertThat(check.changes()).singleElement().satisfies(change -> {
            assertThat(change.before()).isNull();
            assertThat(change.diff()).startsWith("--- /dev/null\n+++ b/entities/vehicle.yaml")
                    .contains("+  plate: {type: text");
        });
        assertThat(check.trial().plan().changes()).extracting(c -> c.describe())
                .anySatisfy(d -> assertThat(d).contains("vehicle"));
        assertThat(Files.exists(siteRoot.resolve("entities/vehicle.yaml"))).as("checking writes nothing").isFalse();

        MetadataPublisher.SiteRevision revision = publisher.publish("anna", "vehicles for the fleet team");

        assertThat(runtime.model().entity("vehicle")).isPresent();
        assertThat(Files.readString(siteRoot.resolve("entities/vehicle.yaml"))).isEqualTo(VEHICLE);
        assertThat(publisher.draft("anna")).as("a published draft is gone").isEmpty();
        assertThat(publisher.revisions(10)).extracting(MetadataPublisher.SiteRevision::comment)
                .containsExactly("vehicles for the fleet team", "");
        assertThat(revision.publishedBy()).isEqualTo("anna");
        assertThat(revision.metadataRevision()).isEqualTo(runtime.model().revision());
        assertThat(publisher.filesOf(revision.id())).containsOnlyKeys("entities/vehicle.yaml");
        assertThat(count("vehicle")).isZero();
    }

    @Test
    void aFailingRuleExampleIsReportedAtItsLineAndNothingIsWritten() throws Exception {
        publisher.change("anna", "entities/vehicle.yaml", VEHICLE.replace("record.seats > 9", "record.seats > 99"));

        MetadataPublisher.Check check = publisher.check("anna");
        assertThat(check.publishable()).isFalse();
        assertThat(check.trial().problems()).singleElement().satisfies(p -> {
            assertThat(p.file()).endsWith("site/entities/vehicle.yaml");
            assertThat(p.line()).isEqualTo(12);
            assertThat(p.code()).isEqualTo("RULE_EXAMPLE_FAILED");
        });
        Throwable refused = catchThrowable(() -> publisher.publish("anna", "broken"));
        assertThat(refused).isInstanceOf(MetadataException.class);
        assertThat(Files.exists(siteRoot.resolve("entities/vehicle.yaml"))).isFalse();
        assertThat(publisher.draft("anna")).as("the draft is kept to be fixed").containsOnlyKeys("entities/vehicle.yaml");
        assertThat(publisher.revisions(10)).isEmpty();
    }

    @Test
    void twoAdministratorsChangingOneFileAreMergedKeyByKeyOrRefusedWhereBothChangedTheSameKey() throws Exception {
        String overlay = """
                extends: account
                changes:
                  city: {label: {de: Stadt, en: Town}}
                """;
        publisher.change("anna", "extensions/account.yaml", overlay);
        publisher.change("ben", "extensions/account.yaml", """
                extends: account
                changes:
                  employees: {required: true}
                """);
        publisher.change("carla", "extensions/account.yaml", """
                extends: account
                changes:
                  city: {label: {de: Ort der Firma, en: Company town}}
                """);
        publisher.publish("anna", "city is a town");

        assertThat(publisher.check("ben").conflicts()).isEmpty();
        publisher.publish("ben", "employees required");
        var account = runtime.model().entity("account").orElseThrow();
        assertThat(account.field("city").orElseThrow().label().in("en")).as("anna's change kept").isEqualTo("Town");
        assertThat(account.field("employees").orElseThrow().required()).as("ben's change merged").isTrue();

        assertThat(publisher.check("carla").conflicts()).singleElement().satisfies(c -> {
            assertThat(c.path()).isEqualTo("extensions/account.yaml");
            assertThat(c.keys()).containsExactly("/changes/city/label/de", "/changes/city/label/en");
        });
        String published = Files.readString(siteRoot.resolve("extensions/account.yaml"));
        Throwable refused = catchThrowable(() -> publisher.publish("carla", "mine"));
        assertThat(refused).isInstanceOf(DraftConflictException.class).hasMessageContaining("/changes/city/label/de");
        assertThat(Files.readString(siteRoot.resolve("extensions/account.yaml"))).isEqualTo(published);
        assertThat(publisher.draft("carla")).isNotEmpty();
    }

    @Test
    void handEditsOfTheSiteLayerAreSeenAndKept() throws Exception {
        Files.createDirectories(siteRoot.resolve("extensions"));
        Files.writeString(siteRoot.resolve("extensions/account.yaml"), """
                # written by hand
                extends: account
                fieldOrder: [city, name]
                """);
        runtime.load(MetadataRevision.Trigger.RELOAD);
        assertThat(publisher.contentFor("anna", "extensions/account.yaml")).contains("written by hand");

        publisher.change("anna", "entities/vehicle.yaml", VEHICLE);
        publisher.publish("anna", "vehicles");

        assertThat(publisher.filesOf(publisher.revisions(1).get(0).id()))
                .containsOnlyKeys("entities/vehicle.yaml", "extensions/account.yaml");
        assertThat(runtime.model().entity("account").orElseThrow().fields().get(0).name()).isEqualTo("city");
    }

    @Test
    void aRollBackRestoresAnEarlierRevisionWithoutDroppingData() throws Exception {
        publisher.change("anna", "entities/vehicle.yaml", VEHICLE);
        MetadataPublisher.SiteRevision withVehicles = publisher.publish("anna", "vehicles");
        try (Connection connection = database.dataSource().getConnection(); Statement statement = connection.createStatement()) {
            statement.executeUpdate("INSERT INTO \"rec_vehicle\" (\"plate\", \"seats\", \"version\", \"created_at\", \"updated_at\") "
                    + "VALUES ('B-X 1', 4, 1, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)");
        }
        long baseline = publisher.revisions(10).get(1).id();
        assertThat(runtime.storedValues("vehicle", "seats")).isEqualTo(1);
        assertThat(runtime.storedValues("vehicle", "no_such_field")).isZero();
        assertThat(runtime.storedValues("no_such_entity", "seats")).isZero();

        MetadataPublisher.SiteRevision back = publisher.rollBack(baseline, "ben", "no vehicles after all");

        assertThat(runtime.model().entity("vehicle")).isEmpty();
        assertThat(Files.exists(siteRoot.resolve("entities/vehicle.yaml"))).isFalse();
        assertThat(back.restores()).isEqualTo(baseline);
        assertThat(count("vehicle")).as("the table and its rows stay").isEqualTo(1);
        assertThat(runtime.orphans()).anySatisfy(o -> assertThat(o.table()).isEqualTo("rec_vehicle"));

        publisher.rollBack(withVehicles.id(), "anna", "vehicles again");
        assertThat(catchThrowable(() -> publisher.rollBack(withVehicles.id(), "anna", "twice")))
                .as("already there: nothing to apply, no revision").isInstanceOf(NothingToApplyException.class);
        assertThat(runtime.model().entity("vehicle")).isPresent();
        assertThat(count("vehicle")).isEqualTo(1);
        assertThat(publisher.revisions(10)).extracting(MetadataPublisher.SiteRevision::comment)
                .containsExactly("vehicles again", "no vehicles after all", "vehicles", "");
    }

    @Test
    void aDraftBackToThePublishedStateHoldsNothingAndBadPathsAreRefused() {
        publisher.change("anna", "entities/vehicle.yaml", VEHICLE);
        publisher.change("anna", "entities/vehicle.yaml", null);
        assertThat(publisher.draft("anna")).isEmpty();
        assertThat(catchThrowable(() -> publisher.publish("anna", "nothing"))).isInstanceOf(NothingToApplyException.class);
        publisher.change("anna", "entities/vehicle.yaml", VEHICLE);
        assertThat(catchThrowable(() -> publisher.publish("anna", "x".repeat(MetadataPublisher.MAX_COMMENT_LENGTH + 1))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at most 2000 characters");
        assertThat(publisher.draft("anna")).as("the draft is kept").containsKey("entities/vehicle.yaml");
        assertThat(Files.exists(siteRoot.resolve("entities/vehicle.yaml"))).isFalse();
        publisher.discard("anna");
        for (String path : List.of("../x.yaml", "entities/../../x.yaml", "demo/records.yaml", "roles/x.js", "x.yaml")) {
            assertThat(catchThrowable(() -> publisher.change("anna", path, "x: 1"))).as(path)
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("extensions/account.yaml");
        }
    }

    @Test
    void theRuleEditorRunsEachExampleAndPlacesAScriptProblemAtItsLine() throws Exception {
        String twoExamples = VEHICLE + """
                  - name: a car needs no error
                    record: {plate: B-X 2, seats: 5}
                    expect: {errors: [record]}
                """;
        var vehicle = runtime.preview(publisher.site(), Map.of("entities/vehicle.yaml", twoExamples)).model()
                .entity("vehicle").orElseThrow();
        MetadataRuntime.RuleRun run = runtime.tryRules(vehicle);
        assertThat(run.examples()).extracting(MetadataRuntime.ExampleResult::name, MetadataRuntime.ExampleResult::passed)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("a bus needs another entity", true),
                        org.assertj.core.groups.Tuple.tuple("a car needs no error", false));
        assertThat(run.examples().get(1).problems()).isNotEmpty();
        assertThat(run.allPassed()).isFalse();

        String broken = VEHICLE.replace("validation: \"record.seats > 9 ? 'Zu viele Sitze' : null\"",
                "validation: |\n      let seats = record.seats;\n      return seats > 9 ? 'Zu viele' : (;\n");
        assertThat(broken).contains("(;");
        var brokenVehicle = runtime.preview(publisher.site(), Map.of("entities/vehicle.yaml", broken)).model()
                .entity("vehicle").orElseThrow();
        MetadataRuntime.RuleRun failed = runtime.tryRules(brokenVehicle);
        assertThat(failed.examples()).isEmpty();
        var start = brokenVehicle.rules().stream().filter(r -> r.name().equals("seats_plausible")).findFirst()
                .orElseThrow().start();
        assertThat(failed.problems()).singleElement()
                .satisfies(p -> assertThat(p.line() - start.line() + 1).as("the script's second line").isEqualTo(2));
    }

    @Test
    void anUpgradeThatRemovesAFieldTheSiteChangesIsRefusedAtTheSitesLineBeforeAnythingChanges() throws Exception {
        Path v1 = work.resolve("plugin-1.0.0");
        Path v2 = work.resolve("plugin-2.0.0");
        for (Path layer : List.of(v1, v2)) {
            Files.createDirectories(layer.resolve("entities"));
        }
        Files.writeString(v1.resolve("entities/claim.yaml"), """
                name: claim
                label: {de: Schaden, en: Claim}
                pluralLabel: {de: Schäden, en: Claims}
                fields:
                  title: {type: text, label: {de: Titel, en: Title}}
                  severity: {type: integer, label: {de: Schwere, en: Severity}}
                """);
        Files.writeString(v2.resolve("entities/claim.yaml"), """
                name: claim
                label: {de: Schaden, en: Claim}
                pluralLabel: {de: Schäden, en: Claims}
                fields:
                  title: {type: text, label: {de: Titel, en: Title}}
                """);
        runtime.loadWithPluginLayers(List.of(v1), List.of());
        publisher.change("anna", "extensions/claim.yaml", """
                extends: claim
                changes:
                  severity: {label: {de: Schweregrad, en: Severity level}, listed: true}
                """);
        publisher.publish("anna", "severity in lists");
        String before = runtime.model().revision();

        Throwable refused = catchThrowable(() -> runtime.loadWithPluginLayers(List.of(v2), List.of()));

        assertThat(refused).isInstanceOf(MetadataException.class);
        assertThat(((MetadataException) refused).problems()).singleElement().satisfies(p -> {
            assertThat(p.code()).isEqualTo("CHANGE_FOR_UNKNOWN_FIELD");
            assertThat(p.file()).endsWith("site/extensions/claim.yaml");
            assertThat(p.line()).isEqualTo(3);
        });
        assertThat(runtime.model().revision()).as("the upgrade changed nothing").isEqualTo(before);
        assertThat(runtime.model().entity("claim").orElseThrow().field("severity").orElseThrow().label().in("en"))
                .isEqualTo("Severity level");
    }

    private long count(String table) throws Exception {
        try (Connection connection = database.dataSource().getConnection(); Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("SELECT COUNT(*) FROM \"" + io.relata.store.Names.table(table) + "\"")) {
            rows.next();
            return rows.getLong(1);
        }
    }

}
