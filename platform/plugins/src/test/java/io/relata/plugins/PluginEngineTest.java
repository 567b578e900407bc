package io.relata.plugins;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.relata.api.model.LocalizedText;
import io.relata.api.plugin.Integration;
import java.lang.ref.WeakReference;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.flywaydb.core.Flyway;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The engine with real plugin jars, compiled in a temp folder, loaded into real class loaders: install, enable,
 * disable, upgrade while calls run, uninstall, and every way a plugin can be wrong.
 */
class PluginEngineTest {

    @TempDir
    Path temp;

    private JdbcDataSource dataSource;
    private PluginLedger ledger;
    private PluginCalls calls;
    private PluginEngine engine;
    private Path pluginsDir;

    @BeforeEach
    void setUp() throws Exception {
        dataSource = new JdbcDataSource();
        dataSource.setURL("jdbc:h2:mem:plugins-" + System.nanoTime() + ";DB_CLOSE_DELAY=-1");
        Flyway.configure().dataSource(dataSource).locations("classpath:io/relata/plugins/migration")
                .table("crm_schema_history").load().migrate();
        ledger = new PluginLedger(dataSource);
        calls = new PluginCalls(Duration.ofSeconds(5), 16);
        pluginsDir = Files.createDirectories(temp.resolve("installed"));
        engine = newEngine();
    }

    private PluginEngine newEngine() {
        return new PluginEngine(pluginsDir, "0.1.0-SNAPSHOT", ledger, calls, Duration.ofSeconds(10));
    }

    @AfterEach
    void tearDown() {
        engine.close();
        calls.close();
    }

    // ---- plugins under test ----

    /** An integration {@code name} answering {@code {"version": version}} and whatever {@code extra} computes. */
    private PluginJar probe(String id, String version, String name, String extra) {
        String pkg = "test." + id.replace('-', '_') + ".v" + version.replace('.', '_');
        return new PluginJar(temp, id, version).extension(pkg + ".Probe", """
                package %s;
                import io.relata.api.plugin.Integration;
                import java.util.*;
                @org.pf4j.Extension
                public class Probe implements Integration {
                    public String name() { return "%s"; }
                    public Response call(Request request) throws Exception {
                        Map<String, Object> data = new LinkedHashMap<>();
                        data.put("version", "%s");
                        %s
                        return new Response(true, data, null);
                    }
                }
                """.formatted(pkg, name, version, extra));
    }

    private Integration.Request request(Map<String, Object> payload) {
        return new Integration.Request("check", payload, null, null, Map.of());
    }

    private String versionAnswered(String integration) {
        return String.valueOf(engine.extensions().callIntegration(integration, request(Map.of())).orElseThrow()
                .value().data().get("version"));
    }

    // ---- install, record, list ----

    @Test
    void installPutsTheExtensionsInForceAndRecordsWhoWhenAndTheJarsHash() throws Exception {
        Path jar = probe("probe", "1.0.0", "credit_check", "").build();

        PluginEngine.PluginInfo info = engine.install(jar, "probe-1.0.0.jar", "anna");

        assertThat(info.state()).isEqualTo(PluginEngine.State.ENABLED);
        assertThat(info.extensions()).containsExactly("Integration: credit_check");
        assertThat(versionAnswered("credit_check")).isEqualTo("1.0.0");
        PluginLedger.Installed recorded = ledger.installed("probe").orElseThrow();
        assertThat(recorded.installedBy()).isEqualTo("anna");
        assertThat(recorded.sha256()).isEqualTo(PluginEngine.sha256(jar)).hasSize(64);
        assertThat(recorded.previousVersion()).isNull();
        assertThat(ledger.history("probe", 10)).extracting(PluginLedger.Event::action)
                .containsExactly(PluginLedger.Action.INSTALL);
        assertThat(pluginsDir.resolve(recorded.jarFile())).exists();
    }

    @Test
    void aSecondInstallOfTheSameVersionIsRefusedAndChangesNothing() throws Exception {
        engine.install(probe("probe", "1.0.0", "credit_check", "").build(), "probe.jar", "anna");
        Path again = probe("probe", "1.0.0", "credit_check", "").build();

        assertThatThrownBy(() -> engine.install(again, "probe-again.jar", "ben"))
                .isInstanceOf(PluginRefusedException.class)
                .hasMessageContaining("already installed in version 1.0.0")
                .hasMessageContaining("'Upgrade'");
        assertThat(ledger.installed("probe").orElseThrow().installedBy()).isEqualTo("anna");
        assertThat(ledger.history("probe", 10)).extracting(PluginLedger.Event::action)
                .containsExactly(PluginLedger.Action.REFUSED, PluginLedger.Action.INSTALL);
        assertThat(versionAnswered("credit_check")).isEqualTo("1.0.0");
    }

    @Test
    void aBrokenManifestIsRefusedWithEveryReason() throws Exception {
        Path jar = new PluginJar(temp, "Bad Id!", "one").attribute("Plugin-Provider", null).build();

        assertThatThrownBy(() -> engine.install(jar, "bad.jar", "anna"))
                .isInstanceOfSatisfying(PluginRefusedException.class, e -> {
                    assertThat(e.problems()).hasSize(3);
                    assertThat(e.getMessage())
                            .contains("bad.jar: the manifest has no Plugin-Provider")
                            .contains("Plugin-Id 'Bad Id!' is not valid")
                            .contains("Plugin-Version 'one' is not a SemVer version");
                    assertThat(e.problems().get(0).in("de")).contains("Im Manifest fehlt Plugin-Provider");
                });
        assertThat(ledger.installed()).isEmpty();
        try (var files = Files.list(pluginsDir)) {
            assertThat(files).isEmpty();
        }
    }

    @Test
    void aJarWithoutManifestOrNotAJarIsRefused() throws Exception {
        Path notAJar = Files.writeString(temp.resolve("notes.jar"), "not a zip");
        assertThatThrownBy(() -> engine.install(notAJar, "notes.jar", "anna"))
                .hasMessageContaining("notes.jar is not a readable jar file");
    }

    @Test
    void aPluginForANewerPlatformIsRefused() throws Exception {
        Path jar = probe("probe", "1.0.0", "credit_check", "").attribute("Plugin-Requires", ">=2.0.0").build();

        assertThatThrownBy(() -> engine.install(jar, "probe.jar", "anna"))
                .hasMessageContaining("requires platform version >=2.0.0; this platform is version 0.1.0");
        assertThat(ledger.installed()).isEmpty();
    }

    // ---- dependencies ----

    @Test
    void aMissingDependencyIsRefusedAndAPresentOneLendsItsClasses() throws Exception {
        PluginJar base = new PluginJar(temp, "base", "1.0.0").source("test.base.Tariffs", """
                package test.base;
                public class Tariffs { public static String rate() { return "base-1"; } }
                """);
        Path baseJar = base.build();
        Path dependentJar = probe("dependent", "1.0.0", "rating", "data.put(\"rate\", test.base.Tariffs.rate());")
                .attribute("Plugin-Dependencies", "base@>=1.0.0").compileAgainst(baseJar).build();

        assertThatThrownBy(() -> engine.install(dependentJar, "dependent.jar", "anna"))
                .hasMessageContaining("needs the plugin base, which is not installed and enabled");

        engine.install(baseJar, "base.jar", "anna");
        engine.install(dependentJar, "dependent.jar", "anna");
        assertThat(engine.extensions().callIntegration("rating", request(Map.of())).orElseThrow().value().data())
                .containsEntry("rate", "base-1");

        assertThatThrownBy(() -> engine.disable("base", "anna"))
                .hasMessageContaining("dependent 1.0.0 needs the plugin base. Disable or uninstall dependent 1.0.0 first.");
    }

    @Test
    void upgradingADependencyStartsItsDependentsAgainOnTheNewClasses() throws Exception {
        Path base1 = new PluginJar(temp, "base", "1.0.0").source("test.base.Tariffs", """
                package test.base;
                public class Tariffs { public static String rate() { return "base-1"; } }
                """).build();
        Path base2 = new PluginJar(temp, "base", "1.1.0").source("test.base.Tariffs", """
                package test.base;
                public class Tariffs { public static String rate() { return "base-2"; } }
                """).build();
        Path dependent = probe("dependent", "1.0.0", "rating", "data.put(\"rate\", test.base.Tariffs.rate());")
                .attribute("Plugin-Dependencies", "base").compileAgainst(base1).build();
        engine.install(base1, "base.jar", "anna");
        engine.install(dependent, "dependent.jar", "anna");

        engine.upgrade(base2, "base-1.1.0.jar", "anna");

        assertThat(engine.extensions().callIntegration("rating", request(Map.of())).orElseThrow().value().data())
                .containsEntry("rate", "base-2");
    }

    // ---- what a plugin may see ----

    @Test
    void aPluginSeesTheApiButNotThePlatformsInternalsNorItsLibraries() throws Exception {
        String tryLoad = """
                for (String name : new String[] {"io.relata.api.record.Record", "io.relata.plugins.PluginEngine",
                        "org.h2.Driver", "org.flywaydb.core.Flyway", "java.sql.Connection"}) {
                    try { Class.forName(name); data.put(name, "visible"); }
                    catch (ClassNotFoundException e) { data.put(name, "hidden"); }
                }
                """;
        engine.install(probe("probe", "1.0.0", "visibility", tryLoad).build(), "probe.jar", "anna");

        Map<String, Object> seen = engine.extensions().callIntegration("visibility", request(Map.of())).orElseThrow()
                .value().data();

        assertThat(seen).containsEntry("io.relata.api.record.Record", "visible")
                .containsEntry("java.sql.Connection", "visible")
                .containsEntry("io.relata.plugins.PluginEngine", "hidden")
                .containsEntry("org.h2.Driver", "hidden")
                .containsEntry("org.flywaydb.core.Flyway", "hidden");
    }

    // ---- a plugin that misbehaves fails only its own call ----

    @Test
    void anExtensionThatThrowsFailsOnlyItsCallAndNamesThePlugin() throws Exception {
        engine.install(probe("probe", "1.0.0", "credit_check",
                "if (request.payload().containsKey(\"boom\")) throw new IllegalStateException(\"scoring service down\");")
                .build(), "probe.jar", "anna");

        assertThatThrownBy(() -> engine.extensions().callIntegration("credit_check", request(Map.of("boom", true))))
                .isInstanceOfSatisfying(PluginCallException.class, e -> {
                    assertThat(e.pluginId()).isEqualTo("probe");
                    assertThat(e.text().in("en")).isEqualTo("The plugin probe 1.0.0 failed in credit_check: scoring service down");
                    assertThat(e.text().in("de")).isEqualTo("Das Plugin probe 1.0.0 ist bei credit_check gescheitert: scoring service down");
                });
        assertThat(versionAnswered("credit_check")).isEqualTo("1.0.0");
    }

    @Test
    void anExtensionThatHangsFailsItsCallAfterTheTimeoutAndTheNextCallIsServed() throws Exception {
        calls.close();
        // long enough for a start and a normal call on a busy machine; the hanging call waits ten minutes
        calls = new PluginCalls(Duration.ofSeconds(3), 16);
        engine = newEngine();
        engine.install(probe("probe", "1.0.0", "credit_check", """
                if (request.payload().containsKey("hang")) { Thread.sleep(600_000); }
                """).build(), "probe.jar", "anna");

        assertThatThrownBy(() -> engine.extensions().callIntegration("credit_check", request(Map.of("hang", true))))
                .isInstanceOf(PluginCallException.class)
                .hasMessage("The plugin probe 1.0.0 did not answer credit_check within 3000 ms.");
        assertThat(versionAnswered("credit_check")).isEqualTo("1.0.0");
    }

    @Test
    void aRuleFunctionThatAnswersSomethingUnusableFailsItsCall() throws Exception {
        engine.install(new PluginJar(temp, "tariffs", "1.0.0").extension("test.tariffs.Functions", """
                package test.tariffs;
                import io.relata.api.plugin.RuleFunctions;
                import java.math.BigDecimal;
                import java.util.*;
                @org.pf4j.Extension
                public class Functions implements RuleFunctions {
                    public String namespace() { return "tariffs"; }
                    public Map<String, RuleFunction> functions() {
                        return Map.of(
                            "premium", args -> ((BigDecimal) args.get(0)).multiply(new BigDecimal("0.015")),
                            "broken", args -> new Thread());
                    }
                }
                """).build(), "tariffs.jar", "anna");

        ExtensionRegistry functions = engine.extensions();

        assertThat(functions.callRuleFunction("tariffs", "premium", List.of(new java.math.BigDecimal("200000"))))
                .isEqualTo(new java.math.BigDecimal("3000.000"));
        assertThatThrownBy(() -> functions.callRuleFunction("tariffs", "broken", List.of()))
                .isInstanceOf(PluginCallException.class)
                .hasMessageContaining("The plugin tariffs 1.0.0 gave an unusable answer in tariffs.broken: tariffs.broken returned a java.lang.Thread");
    }

    @Test
    void aPluginWhoseStartThrowsIsRefused() throws Exception {
        Path jar = new PluginJar(temp, "starter", "1.0.0").attribute("Plugin-Class", "test.starter.StarterPlugin")
                .source("test.starter.StarterPlugin", """
                        package test.starter;
                        public class StarterPlugin extends org.pf4j.Plugin {
                            @Override public void start() { throw new IllegalStateException("licence key missing"); }
                        }
                        """).build();

        assertThatThrownBy(() -> engine.install(jar, "starter.jar", "anna"))
                .isInstanceOf(PluginRefusedException.class)
                .hasMessageContaining("starter 1.0.0")
                .hasMessageContaining("licence key missing");
        assertThat(ledger.installed()).isEmpty();
    }

    @Test
    void anExtensionWithoutAPublicNoArgumentConstructorIsRefused() throws Exception {
        Path jar = new PluginJar(temp, "odd", "1.0.0").extension("test.odd.Odd", """
                package test.odd;
                public class Odd implements io.relata.api.plugin.Integration {
                    public Odd(String needed) { }
                    public String name() { return "odd"; }
                    public Response call(Request request) { return null; }
                }
                """).build();

        assertThatThrownBy(() -> engine.install(jar, "odd.jar", "anna"))
                .hasMessageContaining("The extension test.odd.Odd in the plugin odd 1.0.0 could not be created")
                .hasMessageContaining("needs a public constructor without parameters");
    }

    @Test
    void twoPluginsMayNotProvideTheSameIntegration() throws Exception {
        engine.install(probe("first", "1.0.0", "credit_check", "").build(), "first.jar", "anna");

        assertThatThrownBy(() -> engine.install(probe("second", "1.0.0", "credit_check", "").build(), "second.jar", "anna"))
                .hasMessageContaining("Integration 'credit_check' exists twice: in first 1.0.0 and in second 1.0.0");
        assertThat(ledger.installed()).extracting(PluginLedger.Installed::id).containsExactly("first");
    }

    // ---- upgrade without restart ----

    @Test
    void anUpgradeServesNewCallsOnTheNewVersionWhileARunningCallFinishesOnTheOld() throws Exception {
        String waitForLatch = """
                Object latch = request.payload().get("latch");
                if (latch != null) {
                    ((java.util.concurrent.CountDownLatch) request.payload().get("entered")).countDown();
                    ((java.util.concurrent.CountDownLatch) latch).await();
                }
                """;
        engine.install(probe("probe", "1.0.0", "credit_check", waitForLatch).build(), "probe.jar", "anna");
        Path v2 = probe("probe", "2.0.0", "credit_check", waitForLatch).build();
        CountDownLatch entered = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        ExecutorService threads = Executors.newFixedThreadPool(2);
        try {
            Future<Object> slowCall = threads.submit(() -> engine.extensions()
                    .callIntegration("credit_check", request(Map.of("latch", release, "entered", entered)))
                    .orElseThrow().value().data().get("version"));
            assertThat(entered.await(30, TimeUnit.SECONDS)).isTrue();
            Future<PluginEngine.PluginInfo> upgrade = threads.submit(() -> engine.upgrade(v2, "probe-2.0.0.jar", "anna"));

            // the registry switched before the old version was closed: new calls already reach 2.0.0
            String answered = null;
            for (int attempt = 0; attempt < 600 && !"2.0.0".equals(answered); attempt++) {
                answered = String.valueOf(engine.extensions().callIntegration("credit_check", request(Map.of()))
                        .orElseThrow().value().data().get("version"));
                if (!"2.0.0".equals(answered)) {
                    Thread.sleep(50);
                }
            }
            assertThat(answered).isEqualTo("2.0.0");
            assertThat(upgrade.isDone()).as("the upgrade waits for the call running on 1.0.0").isFalse();

            release.countDown();
            assertThat(slowCall.get(30, TimeUnit.SECONDS)).isEqualTo("1.0.0");
            PluginEngine.PluginInfo info = upgrade.get(30, TimeUnit.SECONDS);
            assertThat(info.recorded().version()).isEqualTo("2.0.0");
            assertThat(info.recorded().previousVersion()).isEqualTo("1.0.0");
        } finally {
            release.countDown();
            threads.shutdownNow();
        }
        assertThat(ledger.history("probe", 10)).extracting(PluginLedger.Event::action)
                .containsExactly(PluginLedger.Action.UPGRADE, PluginLedger.Action.INSTALL);
        try (var files = Files.list(pluginsDir)) {
            assertThat(files.filter(f -> f.toString().endsWith(".jar")).map(f -> f.getFileName().toString()))
                    .singleElement().asString().startsWith("probe-2.0.0-");
        }
    }

    @Test
    void theOldClassLoaderIsCollectedAfterAnUpgrade() throws Exception {
        engine.install(probe("probe", "1.0.0", "credit_check", "").build(), "probe.jar", "anna");
        assertThat(versionAnswered("credit_check")).isEqualTo("1.0.0");
        WeakReference<ClassLoader> oldLoader = new WeakReference<>(
                engine.extensions().snapshot().generation("probe").orElseThrow().classLoader());

        engine.upgrade(probe("probe", "1.1.0", "credit_check", "").build(), "probe-1.1.0.jar", "anna");
        assertThat(versionAnswered("credit_check")).isEqualTo("1.1.0");

        for (int attempt = 0; attempt < 50 && oldLoader.get() != null; attempt++) {
            System.gc();
            List<byte[]> pressure = new ArrayList<>();
            for (int i = 0; i < 16; i++) {
                pressure.add(new byte[1 << 20]);
            }
            pressure.clear();
            Thread.sleep(20);
        }
        assertThat(oldLoader.get()).as("the class loader of 1.0.0 is unreachable after the upgrade").isNull();
    }

    @Test
    void anOlderVersionOrTheSameJarIsNotAnUpgrade() throws Exception {
        Path v2 = probe("probe", "2.0.0", "credit_check", "").build();
        engine.install(v2, "probe.jar", "anna");

        assertThatThrownBy(() -> engine.upgrade(v2, "probe.jar", "anna"))
                .hasMessageContaining("This very jar file of the plugin probe (version 2.0.0) is already installed");
        assertThatThrownBy(() -> engine.upgrade(probe("probe", "1.0.0", "credit_check", "").build(), "old.jar", "anna"))
                .hasMessageContaining("Version 1.0.0 of the plugin probe is older than the installed version 2.0.0");
        assertThatThrownBy(() -> engine.upgrade(probe("other", "1.0.0", "x", "").build(), "other.jar", "anna"))
                .hasMessageContaining("The plugin other is not installed; install it instead of upgrading it.");
        assertThat(versionAnswered("credit_check")).isEqualTo("2.0.0");
    }

    // ---- disable, enable, uninstall, restart ----

    @Test
    void disableTakesTheExtensionsOutAndEnableBringsThemBack() throws Exception {
        engine.install(probe("probe", "1.0.0", "credit_check", "").build(), "probe.jar", "anna");

        assertThat(engine.disable("probe", "ben").state()).isEqualTo(PluginEngine.State.DISABLED);
        assertThat(engine.extensions().callIntegration("credit_check", request(Map.of()))).isEmpty();

        assertThat(engine.enable("probe", "ben").state()).isEqualTo(PluginEngine.State.ENABLED);
        assertThat(versionAnswered("credit_check")).isEqualTo("1.0.0");
        assertThat(ledger.history("probe", 10)).extracting(PluginLedger.Event::action, PluginLedger.Event::actor)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(PluginLedger.Action.ENABLE, "ben"),
                        org.assertj.core.groups.Tuple.tuple(PluginLedger.Action.DISABLE, "ben"),
                        org.assertj.core.groups.Tuple.tuple(PluginLedger.Action.INSTALL, "anna"));
    }

    @Test
    void uninstallRemovesTheJarKeepsTheHistoryAndAllowsAFreshInstall() throws Exception {
        Path jar = probe("probe", "1.0.0", "credit_check", "").build();
        engine.install(jar, "probe.jar", "anna");

        engine.uninstall("probe", "ben");

        assertThat(ledger.installed()).isEmpty();
        assertThat(engine.extensions().integrations()).isEmpty();
        try (var files = Files.list(pluginsDir)) {
            assertThat(files.filter(f -> f.toString().endsWith(".jar"))).isEmpty();
        }
        engine.install(jar, "probe.jar", "anna");
        assertThat(ledger.history("probe", 10)).extracting(PluginLedger.Event::action).containsExactly(
                PluginLedger.Action.INSTALL, PluginLedger.Action.UNINSTALL, PluginLedger.Action.INSTALL);
    }

    @Test
    void afterARestartTheEnabledPluginsRunAgainAndAChangedJarIsShownAsFailed() throws Exception {
        engine.install(probe("good", "1.0.0", "credit_check", "").build(), "good.jar", "anna");
        engine.install(probe("tampered", "1.0.0", "pricing", "").build(), "tampered.jar", "anna");
        engine.install(probe("resting", "1.0.0", "porting", "").build(), "resting.jar", "anna");
        engine.disable("resting", "anna");
        engine.close();
        Path tamperedJar = pluginsDir.resolve(ledger.installed("tampered").orElseThrow().jarFile());
        Files.write(tamperedJar, new byte[] {1, 2, 3}, java.nio.file.StandardOpenOption.APPEND);

        engine = newEngine();
        engine.startInstalled();

        assertThat(versionAnswered("credit_check")).isEqualTo("1.0.0");
        assertThat(engine.extensions().integrations()).containsExactly("credit_check");
        PluginEngine.PluginInfo tampered = engine.info("tampered");
        assertThat(tampered.state()).isEqualTo(PluginEngine.State.FAILED);
        assertThat(tampered.problem().in("en")).contains("was changed after it was installed");
        assertThat(engine.info("resting").state()).isEqualTo(PluginEngine.State.DISABLED);
    }

    // ---- integrations: called with the configured settings, every call recorded ----

    @Test
    void integrationCallsAreRecordedWithRequestAnswerPluginVersionAndFailures() throws Exception {
        engine.install(probe("scoring", "1.2.0", "credit_check", """
                if (request.payload().containsKey("fail")) throw new IllegalStateException("bureau unreachable");
                data.put("url", request.settings().getOrDefault("url", "built-in rules"));
                if ("Bad Payer".equals(request.payload().get("name"))) { return new Response(false, data,
                        io.relata.api.model.LocalizedText.of("Bonität nicht ausreichend", "Credit not sufficient")); }
                """).build(), "scoring.jar", "anna");
        IntegrationCalls integrations = new IntegrationCalls(engine.extensions(), dataSource,
                name -> name.equals("credit_check") ? Map.of("url", "http://127.0.0.1:1/score") : Map.of(),
                TestJson.INSTANCE, java.time.Clock.systemUTC());

        IntegrationCalls.Recorded yes = integrations.call("credit_check", "check", Map.of("name", "Good Payer"),
                "account", 7L, "ben").orElseThrow();
        IntegrationCalls.Recorded no = integrations.call("credit_check", "check", Map.of("name", "Bad Payer"),
                "account", 8L, "ben").orElseThrow();
        assertThatThrownBy(() -> integrations.call("credit_check", "check", Map.of("fail", true), "account", 7L, "ben"))
                .isInstanceOf(PluginCallException.class).hasMessageContaining("bureau unreachable");

        assertThat(yes.response().ok()).isTrue();
        assertThat(yes.response().data()).containsEntry("url", "http://127.0.0.1:1/score").containsEntry("version", "1.2.0");
        assertThat(no.response().ok()).isFalse();
        assertThat(integrations.call("pricing", "quote", Map.of(), null, null, "ben")).isEmpty();
        List<IntegrationCalls.Call> calls = integrations.calls(null, null, 10);
        assertThat(calls).extracting(IntegrationCalls.Call::outcome).containsExactly(
                IntegrationCalls.Outcome.ERROR, IntegrationCalls.Outcome.NO, IntegrationCalls.Outcome.OK);
        assertThat(calls.get(1)).satisfies(call -> {
            assertThat(call.pluginId()).isEqualTo("scoring");
            assertThat(call.pluginVersion()).isEqualTo("1.2.0");
            assertThat(call.actor()).isEqualTo("ben");
            assertThat(call.request()).contains("Bad Payer");
            assertThat(call.message()).isEqualTo("Credit not sufficient");
            assertThat(call.recordId()).isEqualTo(8L);
        });
        assertThat(calls.get(0).message()).contains("The plugin scoring 1.2.0 failed in credit_check: bureau unreachable");
        assertThat(integrations.calls("account", 7L, 10)).hasSize(2);
    }

    @Test
    void aConfiguredIntegrationAsksItsSystemOverHttpWithJsonCredentialsAndTimeoutAndEveryFailureIsClear()
            throws Exception {
        engine.install(probe("bureau", "1.0.0", "credit_check", """
                if (request.endpoint() == null) { data.put("rules", "built-in"); return new Response(true, data, null); }
                Map<String, Object> answer = request.endpoint().post(Map.of("operation", request.operation(),
                        "payload", request.payload()));
                data.putAll(answer);
                data.put("limitIsDecimal", answer.get("limit") instanceof java.math.BigDecimal);
                """).build(), "bureau.jar", "anna");
        List<String> received = new java.util.concurrent.CopyOnWriteArrayList<>();
        java.util.concurrent.atomic.AtomicReference<String> mode = new java.util.concurrent.atomic.AtomicReference<>("ok");
        com.sun.net.httpserver.HttpServer server = com.sun.net.httpserver.HttpServer.create(
                new java.net.InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/score", exchange -> {
            received.add(exchange.getRequestHeaders().getFirst("Authorization") + " "
                    + exchange.getRequestHeaders().getFirst("Content-Type") + " "
                    + new String(exchange.getRequestBody().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8));
            String body = switch (mode.get()) {
                case "down" -> "bureau maintenance";
                case "html" -> "<html>hello</html>";
                case "list" -> "[1, 2]";
                default -> "{\"decision\": \"approved\", \"limit\": 500}";
            };
            if ("slow".equals(mode.get())) {
                try {
                    Thread.sleep(2_000);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            byte[] bytes = body.getBytes(java.nio.charset.StandardCharsets.UTF_8);
            exchange.sendResponseHeaders("down".equals(mode.get()) ? 503 : 200, bytes.length);
            exchange.getResponseBody().write(bytes);
            exchange.close();
        });
        server.start();
        try {
            Map<String, String> settings = new java.util.concurrent.ConcurrentHashMap<>(Map.of(
                    "url", "http://127.0.0.1:" + server.getAddress().getPort() + "/score", "api_key", "k-123",
                    "timeout_ms", "500"));
            IntegrationCalls integrations = new IntegrationCalls(engine.extensions(), dataSource,
                    name -> Map.copyOf(settings), TestJson.INSTANCE, java.time.Clock.systemUTC());

            Map<String, Object> payload = new java.util.LinkedHashMap<>();
            payload.put("name", "Good Payer");
            payload.put("since", java.time.LocalDate.of(2020, 5, 1));
            payload.put("age", 41L);
            IntegrationCalls.Recorded answered = integrations.call("credit_check", "check", payload, "account", 7L,
                    "ben").orElseThrow();

            assertThat(answered.response().data()).containsEntry("decision", "approved")
                    .containsEntry("limit", new java.math.BigDecimal("500")).containsEntry("limitIsDecimal", true);
            // the probe's body is a Map.of: its key order differs from run to run
            assertThat(received).singleElement().satisfies(body -> assertThat(body)
                    .startsWith("Bearer k-123 application/json; charset=utf-8 {").contains("\"operation\":\"check\"",
                            "\"payload\":{\"name\":\"Good Payer\",\"since\":\"2020-05-01\",\"age\":41}"));

            settings.remove("api_key");
            settings.put("user", "crm");
            settings.put("password", "s3cret");
            integrations.call("credit_check", "check", Map.of(), null, null, "ben");
            assertThat(received.get(1)).startsWith("Basic " + java.util.Base64.getEncoder().encodeToString(
                    "crm:s3cret".getBytes(java.nio.charset.StandardCharsets.UTF_8)) + " ");

            for (String[] failure : List.of(new String[] {"down", "answered HTTP 503: bureau maintenance"},
                    new String[] {"html", "answered no JSON: <html>hello</html>"},
                    new String[] {"list", "answered JSON, but not an object: [1, 2]"},
                    new String[] {"slow", "did not answer within 500 ms"})) {
                mode.set(failure[0]);
                assertThatThrownBy(() -> integrations.call("credit_check", "check", Map.of(), null, null, "ben"))
                        .as(failure[0]).isInstanceOf(PluginCallException.class)
                        .hasMessageContaining("POST http://127.0.0.1:" + server.getAddress().getPort() + "/score "
                                + failure[1]);
            }
            settings.put("url", "ftp://bureau.example/score");
            assertThatThrownBy(() -> integrations.call("credit_check", "check", Map.of(), null, null, "ben"))
                    .isInstanceOf(PluginCallException.class).hasMessageContaining(
                            "The integration credit_check is set up wrongly: The URL of the integration credit_check "
                                    + "('ftp://bureau.example/score') must start with http:// or https://");
            assertThat(integrations.calls(null, null, 10)).extracting(IntegrationCalls.Call::outcome)
                    .as("every call recorded, the refused setup too").containsExactly(IntegrationCalls.Outcome.ERROR,
                            IntegrationCalls.Outcome.ERROR, IntegrationCalls.Outcome.ERROR, IntegrationCalls.Outcome.ERROR,
                            IntegrationCalls.Outcome.ERROR, IntegrationCalls.Outcome.OK, IntegrationCalls.Outcome.OK);

            settings.clear();
            assertThat(integrations.call("credit_check", "check", Map.of(), null, null, "ben").orElseThrow()
                    .response().data()).as("no URL: the built-in rules answer").containsEntry("rules", "built-in");
        } finally {
            server.stop(0);
        }
    }

    @Test
    void theExtensionsOfAPluginTakenOutAreKeptRetiredUntilItIsBack() throws Exception {
        AtomicReference<List<Path>> retiredSeen = new AtomicReference<>(List.of());
        engine.useLayers((layers, retired, extensions) -> retiredSeen.set(retired));
        engine.install(probe("insurance", "1.0.0", "underwriting", "")
                .resource("metadata/extensions/account.yaml", "extends: account\n").build(), "insurance.jar", "anna");
        assertThat(retiredSeen.get()).isEmpty();

        engine.disable("insurance", "anna");
        assertThat(retiredSeen.get()).singleElement().satisfies(folder ->
                assertThat(folder.resolve("extensions/account.yaml")).hasContent("extends: account"));
        assertThat(engine.retiredLayers()).hasSize(1);

        engine.enable("insurance", "anna");
        assertThat(retiredSeen.get()).isEmpty();
        assertThat(engine.retiredLayers()).isEmpty();

        engine.uninstall("insurance", "anna");
        assertThat(engine.retiredLayers()).as("kept after the jar is gone").hasSize(1);
    }

    @Test
    void shippedPluginsAreInstalledOnceAndOneAnAdministratorUninstalledStaysUninstalled() throws Exception {
        Path first = probe("first", "1.0.0", "credit_check", "").build();
        Path second = probe("second", "1.0.0", "pricing", "").build();

        assertThat(engine.installShipped(List.of(first, second, temp.resolve("missing.jar")), "system"))
                .containsExactly("first 1.0.0", "second 1.0.0");
        assertThat(ledger.installed("first").orElseThrow().installedBy()).isEqualTo("system");
        engine.uninstall("second", "anna");

        assertThat(engine.installShipped(List.of(first, second), "system")).isEmpty();
        assertThat(ledger.installed()).extracting(PluginLedger.Installed::id).containsExactly("first");
    }

    @Test
    void aNewerShippedVersionUpgradesAnEnabledPluginButNotADisabledOneOrAnOlderVersion() throws Exception {
        engine.installShipped(List.of(probe("first", "1.0.0", "credit_check", "").build(),
                probe("second", "1.0.0", "pricing", "").build()), "system");
        engine.disable("second", "anna");

        assertThat(engine.installShipped(List.of(probe("first", "1.1.0", "credit_check", "").build(),
                probe("second", "1.1.0", "pricing", "").build()), "system")).containsExactly("first 1.1.0");
        assertThat(ledger.installed("first").orElseThrow().version()).isEqualTo("1.1.0");
        assertThat(ledger.installed("second").orElseThrow().version()).as("the administrator's choice stands").isEqualTo("1.0.0");
        assertThat(ledger.history("first", 1)).singleElement().satisfies(event -> {
            assertThat(event.action()).isEqualTo(PluginLedger.Action.UPGRADE);
            assertThat(event.previousVersion()).isEqualTo("1.0.0");
        });

        assertThat(engine.installShipped(List.of(probe("first", "1.0.0", "credit_check", "").build()), "system"))
                .as("an older shipped jar changes nothing").isEmpty();
        assertThat(ledger.installed("first").orElseThrow().version()).isEqualTo("1.1.0");
    }

    // ---- a plugin's own tables ----

    @Test
    void aPluginsOwnMigrationsRunWithAHistoryOfTheirOwnAndAnUpgradeAddsItsNewOnes() throws Exception {
        engine.useMigrations((pluginId, scripts) -> Flyway.configure().dataSource(dataSource)
                .locations("filesystem:" + scripts).table("crm_plugin_" + pluginId.replace('-', '_') + "_history")
                .baselineOnMigrate(true).baselineVersion("0").load().migrate());
        engine.install(probe("tariffs", "1.0.0", "pricing", "")
                .resource("db/migration/V1__tariff_table.sql", "CREATE TABLE tariff_rate (age INT PRIMARY KEY, rate DECIMAL(8,5));")
                .build(), "tariffs.jar", "anna");
        try (var c = dataSource.getConnection(); var s = c.createStatement()) {
            s.execute("INSERT INTO tariff_rate VALUES (30, 0.015)");
        }

        engine.upgrade(probe("tariffs", "1.1.0", "pricing", "")
                .resource("db/migration/V1__tariff_table.sql", "CREATE TABLE tariff_rate (age INT PRIMARY KEY, rate DECIMAL(8,5));")
                .resource("db/migration/V2__tariff_region.sql", "ALTER TABLE tariff_rate ADD COLUMN region VARCHAR(10);")
                .build(), "tariffs-1.1.0.jar", "anna");

        try (var c = dataSource.getConnection(); var s = c.createStatement();
             var rs = s.executeQuery("SELECT rate, region FROM tariff_rate WHERE age = 30")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getBigDecimal(1)).isEqualByComparingTo("0.015");
        }
        try (var c = dataSource.getConnection(); var s = c.createStatement();
             var rs = s.executeQuery("SELECT \"version\" FROM \"crm_plugin_tariffs_history\" WHERE \"success\""
                     + " AND \"type\" = 'SQL' ORDER BY \"installed_rank\"")) {
            List<String> versions = new ArrayList<>();
            while (rs.next()) {
                versions.add(rs.getString(1));
            }
            assertThat(versions).containsExactly("1", "2");
        }
    }

    @Test
    void aFailingMigrationRefusesTheInstall() throws Exception {
        engine.useMigrations((pluginId, scripts) -> {
            throw new PluginRefusedException(LocalizedText.of("Migration V1 gescheitert", "Migration V1 failed"));
        });

        assertThatThrownBy(() -> engine.install(probe("tariffs", "1.0.0", "pricing", "")
                .resource("db/migration/V1__broken.sql", "CREATE TABLE (").build(), "tariffs.jar", "anna"))
                .hasMessage("Migration V1 failed");
        assertThat(ledger.installed()).isEmpty();
        assertThat(engine.extensions().integrations()).isEmpty();
    }

    // ---- metadata layers ----

    @Test
    void theJarsMetadataBecomesALayerAndARefusedLayerChangesNothing() throws Exception {
        AtomicReference<List<PluginLayer>> applied = new AtomicReference<>(List.of());
        engine.useLayers((layers, retired, extensions) -> {
            for (PluginLayer layer : layers) {
                if (Files.exists(layer.directory().resolve("entities/broken.yaml"))) {
                    throw new PluginRefusedException(LocalizedText.of(
                            "broken.yaml:3:5: unbekannter Feldtyp", "broken.yaml:3:5: unknown field type"));
                }
            }
            applied.set(layers);
        });
        engine.install(probe("insurance", "1.0.0", "underwriting", "")
                .resource("metadata/entities/policy.yaml", "name: policy\n").build(), "insurance.jar", "anna");

        assertThat(applied.get()).singleElement().satisfies(layer -> {
            assertThat(layer.pluginId()).isEqualTo("insurance");
            assertThat(layer.directory().resolve("entities/policy.yaml")).hasContent("name: policy");
        });
        assertThat(engine.info("insurance").layerFiles()).containsExactly("entities/policy.yaml");

        Path broken = probe("telco", "1.0.0", "porting", "")
                .resource("metadata/entities/broken.yaml", "name: broken\n").build();
        assertThatThrownBy(() -> engine.install(broken, "telco.jar", "anna"))
                .hasMessage("broken.yaml:3:5: unknown field type");
        assertThat(applied.get()).extracting(PluginLayer::pluginId).containsExactly("insurance");
        assertThat(engine.extensions().integrations()).containsExactly("underwriting");
        assertThat(ledger.installed()).extracting(PluginLedger.Installed::id).containsExactly("insurance");
        try (var files = Files.list(pluginsDir.resolve("layers"))) {
            assertThat(files.map(f -> f.getFileName().toString())).singleElement().asString().startsWith("insurance-1.0.0-");
        }
    }
}
