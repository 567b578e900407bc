package io.relata.plugins;

import io.relata.api.model.LocalizedText;
import java.io.Closeable;
import java.io.IOException;
import java.lang.reflect.Constructor;
import java.lang.reflect.Modifier;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.pf4j.DefaultPluginManager;
import org.pf4j.ExtensionFinder;
import org.pf4j.JarPluginLoader;
import org.pf4j.LegacyExtensionFinder;
import org.pf4j.Plugin;
import org.pf4j.PluginClassLoader;
import org.pf4j.PluginDependency;
import org.pf4j.PluginDescriptor;
import org.pf4j.PluginDescriptorFinder;
import org.pf4j.PluginLoader;
import org.pf4j.PluginState;
import org.pf4j.PluginStatusProvider;
import org.pf4j.PluginWrapper;
import org.pf4j.RuntimeMode;

/**
 * One version of one plugin, loaded and started: its class loader, its PF4J plugin, one instance of each of its
 * extensions, and a count of the calls running in it. A generation is never changed; an upgrade starts a new
 * one and {@linkplain #retire retires} this one once its calls have finished.
 *
 * <p>Each generation has a PF4J plugin manager of its own, so that two versions of a plugin can run side by side
 * during an upgrade (one manager holds one plugin per id). Dependencies between plugins are resolved by the
 * {@link PluginEngine}, and their classes reach a plugin through {@link HostApiClassLoader}.
 */
final class PluginGeneration {

    private static final Logger LOG = Logger.getLogger(PluginGeneration.class.getName());

    private final PluginManifest manifest;
    private final Path jar;
    private final String sha256;
    private final Path layer;
    private final GenerationManager manager;
    private final Map<Class<?>, List<Object>> extensions;
    private final AtomicInteger inFlight = new AtomicInteger();
    private volatile boolean retiring;

    private PluginGeneration(PluginManifest manifest, Path jar, String sha256, Path layer, GenerationManager manager,
                             Map<Class<?>, List<Object>> extensions) {
        this.manifest = manifest;
        this.jar = jar;
        this.sha256 = sha256;
        this.layer = layer;
        this.manager = manager;
        this.extensions = extensions;
    }

    /**
     * Loads {@code jar} in a class loader of its own, starts its plugin class and creates its extensions.
     *
     * @param layer        the directory its {@code metadata/} was extracted to, or null if it has none
     * @param dependencies the running generations of the plugins it depends on
     * @param calls        runs the plugin's start with the call timeout
     * @throws PluginRefusedException when the plugin cannot be started; everything loaded is closed again
     */
    static PluginGeneration start(PluginManifest manifest, Path jar, String sha256, Path layer, ClassLoader host,
                                  List<PluginGeneration> dependencies, PluginCalls calls) throws PluginRefusedException {
        List<ClassLoader> dependencyLoaders = dependencies.stream().map(PluginGeneration::classLoader).toList();
        GenerationManager manager = new GenerationManager(jar.getParent(), manifest,
                new HostApiClassLoader(manifest.label(), host, dependencyLoaders));
        try {
            manager.loadPlugin(jar);
            PluginWrapper wrapper = manager.getPlugin(manifest.id());
            checkPluginClass(manifest, wrapper.getPluginClassLoader());
            calls.run(manifest, "start", () -> {
                manager.startPlugin(manifest.id());
                return null;
            });
            if (wrapper.getPluginState() != PluginState.STARTED) {
                Throwable cause = wrapper.getFailedException();
                throw new PluginRefusedException(LocalizedText.format(
                        "Das Plugin {0} ließ sich nicht starten: {1}", "The plugin {0} could not be started: {1}",
                        manifest.label(), String.valueOf(cause)));
            }
            Map<Class<?>, List<Object>> extensions = createExtensions(manifest, manager, wrapper.getPluginClassLoader());
            return new PluginGeneration(manifest, jar, sha256, layer, manager, extensions);
        } catch (PluginRefusedException e) {
            manager.close(manifest.id());
            throw e;
        } catch (PluginCallException e) {
            manager.close(manifest.id());
            throw new PluginRefusedException(e.text());
        } catch (RuntimeException | LinkageError e) {
            manager.close(manifest.id());
            LOG.log(Level.WARNING, "The plugin " + manifest.label() + " could not be loaded", e);
            throw new PluginRefusedException(LocalizedText.format(
                    "Das Plugin {0} ließ sich nicht laden: {1}", "The plugin {0} could not be loaded: {1}",
                    manifest.label(), String.valueOf(e)));
        }
    }

    private static void checkPluginClass(PluginManifest manifest, ClassLoader loader) throws PluginRefusedException {
        if (manifest.pluginClass() == null) {
            return;
        }
        try {
            Class<?> type = loader.loadClass(manifest.pluginClass());
            if (!Plugin.class.isAssignableFrom(type) || Modifier.isAbstract(type.getModifiers())) {
                throw new PluginRefusedException(LocalizedText.format(
                        "Plugin-Class {0} des Plugins {1} ist keine konkrete Unterklasse von org.pf4j.Plugin.",
                        "Plugin-Class {0} of the plugin {1} is not a concrete subclass of org.pf4j.Plugin.",
                        manifest.pluginClass(), manifest.label()));
            }
        } catch (ClassNotFoundException | LinkageError e) {
            throw new PluginRefusedException(LocalizedText.format(
                    "Plugin-Class {0} des Plugins {1} fehlt in der JAR-Datei oder lässt sich nicht laden ({2}).",
                    "Plugin-Class {0} of the plugin {1} is missing from the jar or cannot be loaded ({2}).",
                    manifest.pluginClass(), manifest.label(), e.getMessage()));
        }
    }

    /** One instance of each class of the extension index, by the extension points it implements. */
    private static Map<Class<?>, List<Object>> createExtensions(PluginManifest manifest, GenerationManager manager,
                                                                ClassLoader loader) throws PluginRefusedException {
        Map<Class<?>, List<Object>> byPoint = new LinkedHashMap<>();
        List<LocalizedText> problems = new ArrayList<>();
        Set<String> classNames = new TreeSet<>(manager.getExtensionClassNames(manifest.id()));
        for (String className : classNames) {
            try {
                Class<?> type = loader.loadClass(className);
                List<Class<?>> points = ExtensionPoints.of(type);
                if (points.isEmpty()) {
                    problems.add(LocalizedText.format(
                            "{0} im Plugin {1} ist als Erweiterung gelistet, implementiert aber keinen Erweiterungspunkt aus io.relata.api.plugin.",
                            "{0} in the plugin {1} is listed as an extension but implements no extension point of io.relata.api.plugin.",
                            className, manifest.label()));
                    continue;
                }
                Constructor<?> constructor = type.getConstructor();
                Object extension = constructor.newInstance();
                points.forEach(point -> byPoint.computeIfAbsent(point, p -> new ArrayList<>()).add(extension));
            } catch (ReflectiveOperationException | LinkageError | RuntimeException e) {
                Throwable cause = e instanceof java.lang.reflect.InvocationTargetException ite ? ite.getCause() : e;
                problems.add(LocalizedText.format(
                        "Die Erweiterung {0} im Plugin {1} ließ sich nicht erzeugen ({2}). Eine Erweiterung braucht einen öffentlichen Konstruktor ohne Parameter.",
                        "The extension {0} in the plugin {1} could not be created ({2}). An extension needs a public constructor without parameters.",
                        className, manifest.label(), String.valueOf(cause)));
            }
        }
        if (!problems.isEmpty()) {
            throw new PluginRefusedException(problems);
        }
        byPoint.replaceAll((point, list) -> List.copyOf(list));
        return byPoint;
    }

    PluginManifest manifest() {
        return manifest;
    }

    String id() {
        return manifest.id();
    }

    Path jar() {
        return jar;
    }

    String sha256() {
        return sha256;
    }

    /** The extracted {@code metadata/} of the jar, or null. */
    Path layer() {
        return layer;
    }

    ClassLoader classLoader() {
        return manager.getPluginClassLoader(manifest.id());
    }

    /** The extensions of one point, in the order of the extension index. */
    @SuppressWarnings("unchecked")
    <T> List<T> extensions(Class<T> point) {
        return (List<T>) extensions.getOrDefault(point, List.of());
    }

    /** Every extension point this generation serves, with the keys of its extensions ("ProcessExtension: erp_order"). */
    List<String> describeExtensions() {
        List<String> out = new ArrayList<>();
        extensions.forEach((point, list) -> list.forEach(extension ->
                out.add(point.getSimpleName() + ": " + ExtensionPoints.keyOf(extension, point))));
        return out;
    }

    /** Counts a call in; false once the generation is retiring (the caller looks the extension up again). */
    boolean enter() {
        inFlight.incrementAndGet();
        if (retiring) {
            exit();
            return false;
        }
        return true;
    }

    void exit() {
        if (inFlight.decrementAndGet() == 0 && retiring) {
            synchronized (this) {
                notifyAll();
            }
        }
    }

    int callsInFlight() {
        return inFlight.get();
    }

    /**
     * Takes no more calls, waits up to {@code grace} for those running, then stops the plugin and closes its class
     * loader. A call still running after the grace period keeps its classes reachable (it is said in the log).
     */
    void retire(Duration grace, PluginCalls calls) {
        retiring = true;
        long deadline = System.nanoTime() + grace.toNanos();
        synchronized (this) {
            while (inFlight.get() > 0) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    LOG.warning(() -> inFlight.get() + " call(s) of the plugin " + manifest.label() + " still run after "
                            + grace.toSeconds() + " s; it is stopped anyway, and its classes stay in memory until they end");
                    break;
                }
                try {
                    wait(Math.max(1, left / 1_000_000));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
        }
        try {
            calls.run(manifest, "stop", () -> {
                manager.close(manifest.id());
                return null;
            });
        } catch (PluginCallException e) {
            LOG.log(Level.WARNING, "The plugin " + manifest.label() + " did not stop cleanly: " + e.getMessage(), e);
        }
    }

    /**
     * A PF4J plugin manager for exactly one plugin jar. Its collaborators are created in the super constructor,
     * before this class's fields are set: they read the fields only when used.
     */
    private static final class GenerationManager extends DefaultPluginManager {

        private PluginManifest manifest;
        private ClassLoader parent;

        GenerationManager(Path root, PluginManifest manifest, ClassLoader parent) {
            super(root);
            this.manifest = manifest;
            this.parent = parent;
        }

        @Override
        public RuntimeMode getRuntimeMode() {
            return RuntimeMode.DEPLOYMENT;
        }

        @Override
        protected PluginDescriptorFinder createPluginDescriptorFinder() {
            return new PluginDescriptorFinder() {
                @Override
                public boolean isApplicable(Path pluginPath) {
                    return true;
                }

                @Override
                public PluginDescriptor find(Path pluginPath) {
                    return new Descriptor(manifest);
                }
            };
        }

        @Override
        protected PluginLoader createPluginLoader() {
            return new JarPluginLoader(this) {
                @Override
                protected PluginClassLoader createPluginClassLoader(Path pluginPath, PluginDescriptor descriptor) {
                    return new PluginClassLoader(pluginManager, descriptor, parent);
                }
            };
        }

        @Override
        protected ExtensionFinder createExtensionFinder() {
            LegacyExtensionFinder finder = new LegacyExtensionFinder(this);
            addPluginStateListener(finder);
            return finder;
        }

        @Override
        protected PluginStatusProvider createPluginStatusProvider() {
            return new PluginStatusProvider() {
                @Override
                public boolean isPluginDisabled(String pluginId) {
                    return false;
                }

                @Override
                public void disablePlugin(String pluginId) {
                }

                @Override
                public void enablePlugin(String pluginId) {
                }
            };
        }

        /** Stops the plugin and closes its class loader (PF4J's unload), ignoring a plugin that never loaded. */
        void close(String pluginId) {
            if (getPlugin(pluginId) == null) {
                return;
            }
            ClassLoader loader = getPluginClassLoader(pluginId);
            unloadPlugin(pluginId);
            if (loader instanceof Closeable closeable) {
                try {
                    closeable.close();
                } catch (IOException e) {
                    LOG.log(Level.FINE, "Closing the class loader of " + pluginId, e);
                }
            }
            manifest = null;
            parent = null;
        }
    }

    /**
     * The manifest as PF4J's descriptor, without dependencies: the engine resolves them across generations, and a
     * generation's own manager knows only its plugin.
     */
    private record Descriptor(PluginManifest manifest) implements PluginDescriptor {
        @Override
        public String getPluginId() {
            return manifest.id();
        }

        @Override
        public String getPluginDescription() {
            return manifest.description() == null ? "" : manifest.description();
        }

        @Override
        public String getPluginClass() {
            // PF4J needs a plugin object; the base class does nothing on start and stop
            return manifest.pluginClass() == null ? Plugin.class.getName() : manifest.pluginClass();
        }

        @Override
        public String getVersion() {
            return manifest.version();
        }

        @Override
        public String getRequires() {
            return "*";
        }

        @Override
        public String getProvider() {
            return manifest.provider();
        }

        @Override
        public String getLicense() {
            return "";
        }

        @Override
        public List<PluginDependency> getDependencies() {
            return List.of();
        }
    }
}
