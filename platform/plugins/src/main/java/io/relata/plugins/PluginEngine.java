package io.relata.plugins;

import io.relata.api.model.LocalizedText;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.stream.Stream;
import org.pf4j.DefaultVersionManager;
import org.pf4j.PluginDependency;
import org.pf4j.VersionManager;

/**
 * Installs, upgrades, enables, disables and removes plugins while the platform runs, one change at a time.
 * Every change is checked whole before anything changes: the manifest, the platform version, the dependencies,
 * the plugin's start and extensions, names clashing with other plugins, and the metadata of all layers together
 * ({@link Layers}). Only then the registry switches, in one step; the replaced version finishes its running
 * calls and is closed. A refused change leaves everything as it was and is recorded with its reasons.
 */
public final class PluginEngine implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(PluginEngine.class.getName());
    private static final String LAYER_PREFIX = "metadata/";
    private static final String MIGRATIONS_PREFIX = "db/migration/";

    /** Puts a set of plugin layers in force together with core and site metadata, or refuses it whole. */
    @FunctionalInterface
    public interface Layers {
        /**
         * @param layers     the plugin layers that would be in force, in order
         * @param retired    the layers of plugins taken out (disabled, removed): the options their extensions added
         *                   stay, retired, on the records that hold them ({@link #retiredLayers()})
         * @param extensions the extensions that would be in force (a rule function a new layer's rules call)
         * @throws PluginRefusedException with every problem (file:line:col); the metadata in force is unchanged
         */
        void apply(List<PluginLayer> layers, List<Path> retired, ExtensionRegistry extensions) throws PluginRefusedException;
    }

    /**
     * Brings a plugin's own tables up to date: the {@code db/migration/V*__*.sql} files of its jar, with a history
     * table of its own. Migrations only add: nothing of a plugin's data is ever dropped by the platform.
     */
    @FunctionalInterface
    public interface Migrations {
        /**
         * @param scripts the extracted {@code db/migration} folder of the jar
         * @throws PluginRefusedException when a migration fails (what it applied before stays)
         */
        void migrate(String pluginId, Path scripts) throws PluginRefusedException;
    }

    /** What the admin page shows of a plugin. */
    public enum State { ENABLED, DISABLED, FAILED }

    /**
     * @param extensions what it provides ("ProcessExtension: erp_order"), empty unless enabled
     * @param layerFiles the metadata files of its layer (relative paths)
     * @param problem    why it is {@link State#FAILED}, or null
     */
    public record PluginInfo(PluginLedger.Installed recorded, State state, List<String> extensions,
                             List<String> layerFiles, LocalizedText problem, String description) {
    }

    private final Path directory;
    private final String platformVersion;
    private final PluginLedger ledger;
    private final PluginCalls calls;
    private final Duration retireGrace;
    private final ClassLoader host;
    private final ExtensionRegistry registry;
    private final VersionManager versions = new DefaultVersionManager();
    private final Map<String, LocalizedText> failures = new ConcurrentHashMap<>();
    private volatile Layers layers = (candidate, retired, extensions) -> { };
    private volatile Migrations migrations = (pluginId, scripts) -> { };

    /**
     * @param directory       where installed jars and their extracted layers are kept ({@code CRM_PLUGINS_DIR})
     * @param platformVersion checked against each plugin's {@code Plugin-Requires}
     * @param retireGrace     how long a replaced version may finish its running calls before it is closed
     */
    public PluginEngine(Path directory, String platformVersion, PluginLedger ledger, PluginCalls calls,
                        Duration retireGrace) {
        this.directory = directory;
        this.platformVersion = platformVersion.replaceFirst("-SNAPSHOT$", "");
        this.ledger = ledger;
        this.calls = calls;
        this.retireGrace = retireGrace;
        this.host = PluginEngine.class.getClassLoader();
        this.registry = new ExtensionRegistry(calls);
    }

    /** Where metadata changes go: set once the metadata runtime exists (it reads {@link #layers()} when it loads). */
    public void useLayers(Layers layers) {
        this.layers = layers;
    }

    /** Where plugins' own migrations run: set at start-up, before {@link #startInstalled()}. */
    public void useMigrations(Migrations migrations) {
        this.migrations = migrations;
    }

    public ExtensionRegistry extensions() {
        return registry;
    }

    /** The layers of the enabled plugins, in dependency order. */
    public List<PluginLayer> layers() {
        return layersOf(registry.snapshot());
    }

    /**
     * Starts the plugins recorded as enabled, in dependency order. One that cannot start (its jar is gone or
     * changed, it throws) is left out and shown as failed with its reason; the platform starts without it.
     */
    public synchronized void startInstalled() {
        ExtensionRegistry.Snapshot snapshot = ExtensionRegistry.Snapshot.EMPTY;
        Map<String, PluginLedger.Installed> enabled = new LinkedHashMap<>();
        ledger.installed().stream().filter(PluginLedger.Installed::enabled).forEach(p -> enabled.put(p.id(), p));
        Map<String, PluginManifest> manifests = new LinkedHashMap<>();
        for (PluginLedger.Installed plugin : enabled.values()) {
            Path jar = directory.resolve(plugin.jarFile());
            try {
                if (!Files.isRegularFile(jar)) {
                    throw new PluginRefusedException(LocalizedText.format(
                            "Die JAR-Datei {0} des Plugins {1} fehlt in {2}. Installieren Sie das Plugin erneut.",
                            "The jar file {0} of the plugin {1} is missing from {2}. Install the plugin again.",
                            plugin.jarFile(), plugin.id(), directory));
                }
                String sha = sha256(jar);
                if (!sha.equals(plugin.sha256())) {
                    throw new PluginRefusedException(LocalizedText.format(
                            "Die JAR-Datei {0} des Plugins {1} wurde nach der Installation verändert (SHA-256 {2} statt {3}). Installieren Sie das Plugin erneut.",
                            "The jar file {0} of the plugin {1} was changed after it was installed (SHA-256 {2} instead of {3}). Install the plugin again.",
                            plugin.jarFile(), plugin.id(), sha, plugin.sha256()));
                }
                manifests.put(plugin.id(), PluginManifest.read(jar, plugin.jarFile()));
            } catch (PluginRefusedException e) {
                fail(plugin.id(), plugin.version(), e.problems().get(0));
            }
        }
        for (PluginManifest manifest : dependencyOrder(manifests)) {
            PluginLedger.Installed plugin = enabled.get(manifest.id());
            try {
                checkDependencies(manifest, snapshot, Set.of());
                List<PluginGeneration> dependencies = dependencyGenerations(manifest, snapshot);
                PluginGeneration generation = PluginGeneration.start(manifest, directory.resolve(plugin.jarFile()),
                        plugin.sha256(), layerDirectory(plugin.jarFile()), host, dependencies, calls);
                ExtensionRegistry.Snapshot next = snapshot.with(generation);
                List<LocalizedText> conflicts = ExtensionRegistry.conflicts(next);
                if (!conflicts.isEmpty()) {
                    generation.retire(Duration.ZERO, calls);
                    throw new PluginRefusedException(conflicts);
                }
                snapshot = next;
                failures.remove(manifest.id());
            } catch (PluginRefusedException e) {
                fail(manifest.id(), manifest.version(), e.problems().get(0));
            }
        }
        registry.swap(snapshot);
        LOG.info(() -> registry.snapshot().generations().isEmpty() ? "No plugins enabled"
                : "Plugins enabled: " + registry.snapshot().generations().stream().map(g -> g.manifest().label()).toList());
    }

    private void fail(String pluginId, String version, LocalizedText problem) {
        failures.put(pluginId, problem);
        LOG.warning(() -> "The plugin " + pluginId + " " + version + " was not started: " + problem.in("en"));
        try {
            ledger.recordProblem(pluginId, PluginLedger.Action.FAILED, version, null, "system", problem.in("en"));
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "Could not record the failure of the plugin " + pluginId, e);
        }
    }

    /**
     * Installs the shipped plugins among {@code jars} whose plugin was never installed here (one an administrator
     * uninstalled stays uninstalled), and upgrades an installed, enabled one to a newer shipped version (a new
     * release of the CRM brings its plugins along; one an administrator disabled is left as it is). A jar that is
     * missing or refused is logged and skipped: the platform starts.
     *
     * @return the plugins installed or upgraded now
     */
    public synchronized List<String> installShipped(List<Path> jars, String actor) {
        List<String> installed = new ArrayList<>();
        for (Path jar : jars) {
            if (!Files.isRegularFile(jar)) {
                LOG.warning(() -> "Shipped plugin " + jar + " not found (build it with mvn install); not installed");
                continue;
            }
            try {
                PluginManifest manifest = PluginManifest.read(jar, jar.getFileName().toString());
                Optional<PluginLedger.Installed> present = ledger.installed(manifest.id());
                if (present.isPresent()) {
                    if (present.get().enabled() && versions.compareVersions(manifest.version(), present.get().version()) > 0) {
                        upgrade(jar, jar.getFileName().toString(), actor);
                        installed.add(manifest.label());
                    }
                    continue;
                }
                if (!ledger.history(manifest.id(), 1).isEmpty()) {
                    continue;
                }
                install(jar, jar.getFileName().toString(), actor);
                installed.add(manifest.label());
            } catch (PluginRefusedException e) {
                LOG.warning(() -> "Shipped plugin " + jar + " not installed: " + e.getMessage());
            }
        }
        return installed;
    }

    // ---- changes ----

    /**
     * Installs a plugin that is not installed yet, enabled.
     *
     * @param upload   the uploaded jar (copied; the caller may delete it afterwards)
     * @param fileName the upload's name, for messages
     * @param actor    who installs (recorded)
     */
    public synchronized PluginInfo install(Path upload, String fileName, String actor) throws PluginRefusedException {
        PluginManifest manifest = PluginManifest.read(upload, fileName);
        String sha = sha256(upload);
        Optional<PluginLedger.Installed> installed = ledger.installed(manifest.id());
        try {
            if (installed.isPresent()) {
                PluginLedger.Installed current = installed.get();
                throw new PluginRefusedException(current.version().equals(manifest.version())
                        ? LocalizedText.format(
                                "Das Plugin {0} ist in Version {1} bereits installiert. Eine neue Version installieren Sie mit „Aktualisieren“.",
                                "The plugin {0} is already installed in version {1}. Install a new version with 'Upgrade'.",
                                manifest.id(), current.version())
                        : LocalizedText.format(
                                "Das Plugin {0} ist bereits installiert (Version {1}). Um Version {2} zu installieren, verwenden Sie „Aktualisieren“.",
                                "The plugin {0} is already installed (version {1}). To install version {2}, use 'Upgrade'.",
                                manifest.id(), current.version(), manifest.version()));
            }
            PluginLedger.Installed record = new PluginLedger.Installed(manifest.id(), manifest.version(),
                    manifest.provider(), true, jarFileName(manifest, sha), sha, actor, now(), null);
            replace(manifest, upload, record, PluginLedger.Action.INSTALL, actor);
            return info(manifest.id());
        } catch (PluginRefusedException e) {
            refused(manifest, sha, actor, e);
            throw e;
        }
    }

    /**
     * Replaces an installed plugin by a newer version without a restart. Plugins that depend on it are started
     * again on its new classes. Calls running on the old version finish on it.
     */
    public synchronized PluginInfo upgrade(Path upload, String fileName, String actor) throws PluginRefusedException {
        PluginManifest manifest = PluginManifest.read(upload, fileName);
        String sha = sha256(upload);
        try {
            PluginLedger.Installed current = ledger.installed(manifest.id()).orElseThrow(() -> new PluginRefusedException(
                    LocalizedText.format(
                            "Das Plugin {0} ist nicht installiert; installieren Sie es, statt es zu aktualisieren.",
                            "The plugin {0} is not installed; install it instead of upgrading it.", manifest.id())));
            if (current.sha256().equals(sha)) {
                throw new PluginRefusedException(LocalizedText.format(
                        "Genau diese JAR-Datei des Plugins {0} (Version {1}) ist bereits installiert.",
                        "This very jar file of the plugin {0} (version {1}) is already installed.",
                        manifest.id(), current.version()));
            }
            if (versions.compareVersions(manifest.version(), current.version()) < 0) {
                throw new PluginRefusedException(LocalizedText.format(
                        "Version {1} des Plugins {0} ist älter als die installierte Version {2}. Zurück zu einer älteren Version geht es nur durch Deinstallieren und neues Installieren.",
                        "Version {1} of the plugin {0} is older than the installed version {2}. Going back to an older version takes an uninstall and a new install.",
                        manifest.id(), manifest.version(), current.version()));
            }
            PluginLedger.Installed record = new PluginLedger.Installed(manifest.id(), manifest.version(),
                    manifest.provider(), current.enabled(), jarFileName(manifest, sha), sha, actor, now(), current.version());
            replace(manifest, upload, record, PluginLedger.Action.UPGRADE, actor);
            return info(manifest.id());
        } catch (PluginRefusedException e) {
            refused(manifest, sha, actor, e);
            throw e;
        }
    }

    /** Starts an installed, disabled plugin. */
    public synchronized PluginInfo enable(String pluginId, String actor) throws PluginRefusedException {
        PluginLedger.Installed plugin = installedOrRefuse(pluginId);
        if (plugin.enabled() && registry.snapshot().generation(pluginId).isPresent()) {
            return info(pluginId);
        }
        Path jar = directory.resolve(plugin.jarFile());
        PluginManifest manifest = PluginManifest.read(jar, plugin.jarFile());
        ExtensionRegistry.Snapshot before = registry.snapshot();
        checkDependencies(manifest, before, Set.of());
        PluginGeneration generation = PluginGeneration.start(manifest, jar, plugin.sha256(),
                layerDirectory(plugin.jarFile()), host, dependencyGenerations(manifest, before), calls);
        putInForce(before, before.with(generation), List.of(generation));
        ledger.recordEnabled(pluginId, true, plugin.version(), actor);
        failures.remove(pluginId);
        return info(pluginId);
    }

    /** Stops a plugin; it stays installed. Its entities' data stays. */
    public synchronized PluginInfo disable(String pluginId, String actor) throws PluginRefusedException {
        PluginLedger.Installed plugin = installedOrRefuse(pluginId);
        takeOut(pluginId);
        ledger.recordEnabled(pluginId, false, plugin.version(), actor);
        failures.remove(pluginId);
        return info(pluginId);
    }

    /** Removes a plugin and its jar. Its data stays in the database, and its history. */
    public synchronized void uninstall(String pluginId, String actor) throws PluginRefusedException {
        PluginLedger.Installed plugin = installedOrRefuse(pluginId);
        takeOut(pluginId);
        ledger.recordUninstall(pluginId, plugin.version(), actor);
        failures.remove(pluginId);
        deleteFiles(plugin.jarFile());
    }

    private void takeOut(String pluginId) throws PluginRefusedException {
        ExtensionRegistry.Snapshot before = registry.snapshot();
        List<String> dependents = before.generations().stream()
                .filter(g -> g.manifest().dependencies().stream()
                        .anyMatch(d -> d.getPluginId().equals(pluginId) && !d.isOptional()))
                .map(g -> g.manifest().label()).toList();
        if (!dependents.isEmpty()) {
            throw new PluginRefusedException(LocalizedText.format(
                    "{1} braucht das Plugin {0}. Deaktivieren oder deinstallieren Sie zuerst {1}.",
                    "{1} needs the plugin {0}. Disable or uninstall {1} first.", pluginId, String.join(", ", dependents)));
        }
        Optional<PluginGeneration> running = before.generation(pluginId);
        if (running.isEmpty()) {
            return;
        }
        ExtensionRegistry.Snapshot next = before.without(pluginId);
        Path retiredCopy = keepRetired(running.get());
        try {
            layers.apply(layersOf(next), retiredLayers(next), new ExtensionRegistry(calls, next));
        } catch (PluginRefusedException | RuntimeException e) {
            deleteQuietly(retiredCopy);
            throw e;
        }
        registry.swap(next);
        running.get().retire(retireGrace, calls);
    }

    /**
     * Installs or upgrades: copies the jar, extracts its layer, starts it (and its dependents again, on its new
     * classes), checks the whole, puts it in force, records it, and closes what it replaced.
     */
    private void replace(PluginManifest manifest, Path upload, PluginLedger.Installed record,
                         PluginLedger.Action action, String actor) throws PluginRefusedException {
        checkRequires(manifest);
        ExtensionRegistry.Snapshot before = registry.snapshot();
        if (record.enabled()) {
            checkDependencies(manifest, before, Set.of());
        }
        Path jar = directory.resolve(record.jarFile());
        boolean copied = false;
        List<PluginGeneration> started = new ArrayList<>();
        try {
            Files.createDirectories(directory);
            if (!Files.exists(jar)) {
                Files.copy(upload, jar, StandardCopyOption.REPLACE_EXISTING);
                copied = true;
            }
            Path layer = extractLayer(jar, record.jarFile());
            Path scripts = extract(jar, MIGRATIONS_PREFIX, migrationsDirectory(record.jarFile()));
            if (scripts != null) {
                migrations.migrate(manifest.id(), scripts);
            }
            if (record.enabled()) {
                PluginGeneration generation = PluginGeneration.start(manifest, jar, record.sha256(), layer, host,
                        dependencyGenerations(manifest, before), calls);
                started.add(generation);
                ExtensionRegistry.Snapshot next = before.with(generation);
                for (PluginGeneration dependent : dependentsOf(manifest.id(), before)) {
                    checkDependencies(dependent.manifest(), next, Set.of());
                    PluginGeneration again = PluginGeneration.start(dependent.manifest(), dependent.jar(),
                            dependent.sha256(), dependent.layer(), host, dependencyGenerations(dependent.manifest(), next), calls);
                    started.add(again);
                    next = next.with(again);
                }
                putInForce(before, next, started);
            }
            PluginLedger.Installed previous = ledger.installed(manifest.id()).orElse(null);
            ledger.recordInstall(record, action, actor);
            failures.remove(manifest.id());
            if (previous != null && !previous.jarFile().equals(record.jarFile())) {
                deleteFiles(previous.jarFile());
            }
            LOG.info(() -> action + " of the plugin " + manifest.label() + " by " + actor + " (SHA-256 " + record.sha256() + ")");
        } catch (PluginRefusedException | RuntimeException e) {
            if (copied) {
                deleteFiles(record.jarFile());
            }
            throw e;
        } catch (IOException e) {
            if (copied) {
                deleteFiles(record.jarFile());
            }
            throw new PluginRefusedException(LocalizedText.format(
                    "Das Plugin {0} konnte nicht in {1} abgelegt werden: {2}",
                    "The plugin {0} could not be stored in {1}: {2}", manifest.label(), directory, e.getMessage()));
        }
    }

    /**
     * Checks {@code next} whole (names, metadata), switches the registry to it and retires what it replaced. On a
     * refusal the generations started for it are closed and nothing changed.
     */
    private void putInForce(ExtensionRegistry.Snapshot before, ExtensionRegistry.Snapshot next,
                            List<PluginGeneration> started) throws PluginRefusedException {
        try {
            List<LocalizedText> conflicts = ExtensionRegistry.conflicts(next);
            if (!conflicts.isEmpty()) {
                throw new PluginRefusedException(conflicts);
            }
            layers.apply(layersOf(next), retiredLayers(next), new ExtensionRegistry(calls, next));
        } catch (PluginRefusedException | RuntimeException e) {
            started.forEach(g -> g.retire(Duration.ZERO, calls));
            throw e;
        }
        registry.swap(next);
        // back in force: its extensions are no longer retired
        started.forEach(g -> deleteQuietly(directory.resolve(RETIRED).resolve(g.id())));
        for (PluginGeneration generation : started) {
            before.generation(generation.id()).ifPresent(old -> old.retire(retireGrace, calls));
        }
    }

    private void refused(PluginManifest manifest, String sha, String actor, PluginRefusedException e) {
        LOG.warning(() -> "Plugin " + manifest.label() + " refused: " + e.getMessage());
        try {
            ledger.recordProblem(manifest.id(), PluginLedger.Action.REFUSED, manifest.version(), sha, actor, e.getMessage());
        } catch (RuntimeException recordFailed) {
            LOG.log(Level.WARNING, "Could not record the refusal of " + manifest.label(), recordFailed);
        }
    }

    // ---- checks ----

    private void checkRequires(PluginManifest manifest) throws PluginRefusedException {
        String requires = manifest.requires();
        if ("*".equals(requires)) {
            return;
        }
        boolean fits;
        try {
            fits = versions.checkVersionConstraint(platformVersion, requires);
        } catch (RuntimeException e) {
            throw new PluginRefusedException(LocalizedText.format(
                    "Plugin-Requires „{1}“ des Plugins {0} ist kein SemVer-Ausdruck (z. B. „>=0.1.0“).",
                    "Plugin-Requires '{1}' of the plugin {0} is not a SemVer expression (e.g. '>=0.1.0').",
                    manifest.label(), requires));
        }
        if (!fits) {
            throw new PluginRefusedException(LocalizedText.format(
                    "Das Plugin {0} verlangt die Plattformversion {1}; diese Plattform hat Version {2}. Installieren Sie eine zur Plattform passende Version des Plugins.",
                    "The plugin {0} requires platform version {1}; this platform is version {2}. Install a version of the plugin made for this platform.",
                    manifest.label(), requires, platformVersion));
        }
    }

    private void checkDependencies(PluginManifest manifest, ExtensionRegistry.Snapshot snapshot, Set<String> ignored)
            throws PluginRefusedException {
        List<LocalizedText> problems = new ArrayList<>();
        for (PluginDependency dependency : manifest.dependencies()) {
            Optional<PluginGeneration> running = snapshot.generation(dependency.getPluginId());
            if (running.isEmpty()) {
                if (!dependency.isOptional()) {
                    problems.add(LocalizedText.format(
                            "Das Plugin {0} braucht das Plugin {1}, das nicht installiert und aktiviert ist. Installieren und aktivieren Sie zuerst {1}.",
                            "The plugin {0} needs the plugin {1}, which is not installed and enabled. Install and enable {1} first.",
                            manifest.label(), dependency.getPluginId()));
                }
                continue;
            }
            String support = dependency.getPluginVersionSupport();
            String version = running.get().manifest().version();
            if (!"*".equals(support) && !versions.checkVersionConstraint(version, support)) {
                problems.add(LocalizedText.format(
                        "Das Plugin {0} braucht {1} in Version {2}; installiert ist Version {3}.",
                        "The plugin {0} needs {1} in version {2}; version {3} is installed.",
                        manifest.label(), dependency.getPluginId(), support, version));
            }
        }
        if (!problems.isEmpty()) {
            throw new PluginRefusedException(problems);
        }
    }

    private static List<PluginGeneration> dependencyGenerations(PluginManifest manifest, ExtensionRegistry.Snapshot snapshot) {
        List<PluginGeneration> out = new ArrayList<>();
        for (PluginDependency dependency : manifest.dependencies()) {
            snapshot.generation(dependency.getPluginId()).ifPresent(out::add);
        }
        return out;
    }

    /** The running plugins that depend on {@code pluginId}, directly or not, in dependency order. */
    private static List<PluginGeneration> dependentsOf(String pluginId, ExtensionRegistry.Snapshot snapshot) {
        List<PluginGeneration> out = new ArrayList<>();
        Set<String> affected = new java.util.HashSet<>(Set.of(pluginId));
        for (PluginGeneration g : snapshot.generations()) { // the snapshot is in dependency order
            if (g.manifest().dependencies().stream().anyMatch(d -> affected.contains(d.getPluginId()))) {
                out.add(g);
                affected.add(g.id());
            }
        }
        return out;
    }

    /** Dependencies first; a plugin in a cycle or depending on a missing one comes last (and fails its check). */
    private static List<PluginManifest> dependencyOrder(Map<String, PluginManifest> manifests) {
        List<PluginManifest> ordered = new ArrayList<>();
        Set<String> placed = new java.util.HashSet<>();
        boolean progress = true;
        while (progress && ordered.size() < manifests.size()) {
            progress = false;
            for (PluginManifest m : manifests.values()) {
                if (placed.contains(m.id())) {
                    continue;
                }
                boolean ready = m.dependencies().stream().allMatch(d -> placed.contains(d.getPluginId())
                        || (!manifests.containsKey(d.getPluginId())));
                if (ready) {
                    ordered.add(m);
                    placed.add(m.id());
                    progress = true;
                }
            }
        }
        manifests.values().stream().filter(m -> !placed.contains(m.id())).forEach(ordered::add);
        return ordered;
    }

    private PluginLedger.Installed installedOrRefuse(String pluginId) throws PluginRefusedException {
        return ledger.installed(pluginId).orElseThrow(() -> new PluginRefusedException(LocalizedText.format(
                "Ein Plugin „{0}“ ist nicht installiert.", "No plugin '{0}' is installed.", pluginId)));
    }

    // ---- what the admin sees ----

    public synchronized List<PluginInfo> plugins() {
        return ledger.installed().stream().map(this::info).toList();
    }

    public synchronized PluginInfo info(String pluginId) {
        return ledger.installed(pluginId).map(this::info).orElseThrow(() ->
                new IllegalArgumentException("No plugin " + pluginId + " is installed"));
    }

    private PluginInfo info(PluginLedger.Installed recorded) {
        Optional<PluginGeneration> running = registry.snapshot().generation(recorded.id());
        LocalizedText problem = failures.get(recorded.id());
        State state = running.isPresent() ? State.ENABLED : problem != null && recorded.enabled() ? State.FAILED : State.DISABLED;
        return new PluginInfo(recorded, state, running.map(PluginGeneration::describeExtensions).orElse(List.of()),
                layerFiles(layerDirectory(recorded.jarFile())), state == State.FAILED ? problem : null,
                running.map(g -> g.manifest().description()).orElse(null));
    }

    /** What happened to a plugin (all plugins when {@code pluginId} is null), newest first. */
    public List<PluginLedger.Event> history(String pluginId, int limit) {
        return ledger.history(pluginId, limit);
    }

    /** A running plugin's call count (tests and the admin page). */
    int callsInFlight(String pluginId) {
        return registry.snapshot().generation(pluginId).map(PluginGeneration::callsInFlight).orElse(0);
    }

    // ---- files ----

    private static String jarFileName(PluginManifest manifest, String sha) {
        return manifest.id() + "-" + manifest.version() + "-" + sha.substring(0, 12) + ".jar";
    }

    private Path layerDirectory(String jarFile) {
        return directory.resolve("layers").resolve(jarFile.replaceFirst("\\.jar$", ""));
    }

    private Path migrationsDirectory(String jarFile) {
        return directory.resolve("migrations").resolve(jarFile.replaceFirst("\\.jar$", ""));
    }

    /** Extracts the jar's {@code metadata/} folder (once per jar), or returns null when it has none. */
    private Path extractLayer(Path jar, String jarFile) throws IOException {
        return extract(jar, LAYER_PREFIX, layerDirectory(jarFile));
    }

    /** Extracts the entries under {@code prefix} into {@code target} (once per jar); null when there are none. */
    private static Path extract(Path jar, String prefix, Path target) throws IOException {
        try (JarFile file = new JarFile(jar.toFile())) {
            List<JarEntry> entries = file.stream()
                    .filter(e -> !e.isDirectory() && e.getName().startsWith(prefix)).toList();
            if (entries.isEmpty()) {
                return null;
            }
            if (Files.isDirectory(target)) {
                return target;
            }
            Path staging = Files.createDirectories(target.getParent()).resolve(target.getFileName() + ".partial");
            deleteTree(staging);
            for (JarEntry entry : entries) {
                Path out = staging.resolve(entry.getName().substring(prefix.length())).normalize();
                if (!out.startsWith(staging)) {
                    throw new IOException("the jar entry " + entry.getName() + " points outside the plugin's layer");
                }
                Files.createDirectories(out.getParent());
                try (InputStream in = file.getInputStream(entry)) {
                    Files.copy(in, out);
                }
            }
            Files.move(staging, target, StandardCopyOption.ATOMIC_MOVE);
            return target;
        }
    }

    private List<String> layerFiles(Path layer) {
        if (layer == null || !Files.isDirectory(layer)) {
            return List.of();
        }
        try (Stream<Path> files = Files.walk(layer)) {
            return files.filter(Files::isRegularFile).map(p -> layer.relativize(p).toString().replace('\\', '/'))
                    .sorted().toList();
        } catch (IOException e) {
            return List.of();
        }
    }

    private static final String RETIRED = "retired";

    /**
     * The kept extensions of plugins that were taken out (disabled or uninstalled) and are not in force now: one
     * folder per plugin with its {@code extensions/}.
     */
    public List<Path> retiredLayers() {
        return retiredLayers(registry.snapshot());
    }

    private List<Path> retiredLayers(ExtensionRegistry.Snapshot inForce) {
        Path retired = directory.resolve(RETIRED);
        if (!Files.isDirectory(retired)) {
            return List.of();
        }
        try (Stream<Path> folders = Files.list(retired)) {
            return folders.filter(Files::isDirectory)
                    .filter(f -> inForce.generation(f.getFileName().toString()).isEmpty())
                    .sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Keeps the extensions of a plugin being taken out, so that the options they added stay on records. */
    private Path keepRetired(PluginGeneration generation) throws PluginRefusedException {
        Path target = directory.resolve(RETIRED).resolve(generation.id());
        try {
            deleteTree(target);
            Path extensions = generation.layer() == null ? null : generation.layer().resolve("extensions");
            if (extensions == null || !Files.isDirectory(extensions)) {
                return null;
            }
            Path copy = Files.createDirectories(target.resolve("extensions"));
            try (Stream<Path> files = Files.list(extensions)) {
                for (Path file : files.filter(Files::isRegularFile).toList()) {
                    Files.copy(file, copy.resolve(file.getFileName()));
                }
            }
            return target;
        } catch (IOException e) {
            throw new PluginRefusedException(LocalizedText.format(
                    "Die Erweiterungen des Plugins {0} konnten nicht aufbewahrt werden: {1}",
                    "The extensions of the plugin {0} could not be kept: {1}", generation.id(), e.getMessage()));
        }
    }

    private static void deleteQuietly(Path tree) {
        if (tree == null) {
            return;
        }
        try {
            deleteTree(tree);
        } catch (IOException e) {
            LOG.log(Level.WARNING, "Could not delete " + tree, e);
        }
    }

    private static List<PluginLayer> layersOf(ExtensionRegistry.Snapshot snapshot) {
        return snapshot.generations().stream().filter(g -> g.layer() != null)
                .map(g -> new PluginLayer(g.id(), g.manifest().version(), g.layer())).toList();
    }

    private void deleteFiles(String jarFile) {
        try {
            Files.deleteIfExists(directory.resolve(jarFile));
            deleteTree(layerDirectory(jarFile));
            deleteTree(migrationsDirectory(jarFile));
        } catch (IOException e) {
            LOG.log(Level.WARNING, "Could not delete the files of " + jarFile + " in " + directory, e);
        }
    }

    private static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    static String sha256(Path file) {
        try (InputStream in = new DigestInputStream(Files.newInputStream(file), MessageDigest.getInstance("SHA-256"))) {
            in.transferTo(java.io.OutputStream.nullOutputStream());
            return HexFormat.of().formatHex(((DigestInputStream) in).getMessageDigest().digest());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static OffsetDateTime now() {
        return OffsetDateTime.now(ZoneOffset.UTC);
    }

    /** Stops every plugin (the platform shuts down). */
    @Override
    public synchronized void close() {
        ExtensionRegistry.Snapshot last = registry.snapshot();
        registry.swap(ExtensionRegistry.Snapshot.EMPTY);
        List<PluginGeneration> dependentsFirst = new ArrayList<>(last.generations());
        java.util.Collections.reverse(dependentsFirst);
        dependentsFirst.forEach(generation -> generation.retire(Duration.ofSeconds(5), calls));
    }
}
