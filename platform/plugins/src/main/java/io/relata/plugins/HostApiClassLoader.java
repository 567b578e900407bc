package io.relata.plugins;

import java.io.IOException;
import java.net.URL;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;

/**
 * The parent of every plugin's class loader: the JDK, the plugin API ({@code io.relata.api}), PF4J and its
 * logging API from the host, the classes of the plugins this one depends on, and nothing else. A plugin that
 * reaches for the record store's implementation, Jakarta EE or a library of the host gets a
 * {@link ClassNotFoundException} that says why.
 */
final class HostApiClassLoader extends ClassLoader {

    /** Packages of the host a plugin may link against. */
    static final List<String> VISIBLE_PACKAGES = List.of("io.relata.api.", "org.pf4j.", "org.slf4j.");

    static {
        registerAsParallelCapable();
    }

    private final ClassLoader host;
    private final List<ClassLoader> dependencies;

    /**
     * @param host         the loader of the platform (where io.relata.api and PF4J live)
     * @param dependencies the class loaders of the plugins this one depends on, in the manifest's order
     */
    HostApiClassLoader(String pluginLabel, ClassLoader host, List<ClassLoader> dependencies) {
        super("relata-plugin-api:" + pluginLabel, ClassLoader.getPlatformClassLoader());
        this.host = host;
        this.dependencies = List.copyOf(dependencies);
    }

    static boolean visibleFromHost(String className) {
        for (String prefix : VISIBLE_PACKAGES) {
            if (className.startsWith(prefix)) {
                return true;
            }
        }
        return false;
    }

    @Override
    protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
        synchronized (getClassLoadingLock(name)) {
            if (visibleFromHost(name)) {
                return host.loadClass(name);
            }
            try {
                return getParent().loadClass(name);
            } catch (ClassNotFoundException notInTheJdk) {
                for (ClassLoader dependency : dependencies) {
                    try {
                        return dependency.loadClass(name);
                    } catch (ClassNotFoundException notThere) {
                        // the next dependency may have it
                    }
                }
            }
            throw new ClassNotFoundException(name + " is not visible to plugins: a plugin sees the JDK, io.relata.api, "
                    + "org.pf4j, org.slf4j and the plugins named in its Plugin-Dependencies; bundle other libraries in the plugin jar");
        }
    }

    @Override
    protected URL findResource(String name) {
        String asClassName = name.replace('/', '.');
        return visibleFromHost(asClassName) ? host.getResource(name) : null;
    }

    @Override
    protected Enumeration<URL> findResources(String name) throws IOException {
        String asClassName = name.replace('/', '.');
        return visibleFromHost(asClassName) ? host.getResources(name) : Collections.emptyEnumeration();
    }
}
