package io.relata.plugins;

import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.stream.Stream;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;

/**
 * Builds a real plugin jar in a folder: Java sources compiled against the test's class path (the plugin API and
 * PF4J), a manifest, {@code META-INF/extensions.idx} and resources (pf4j's own {@code PluginJar} test helper is the
 * model). Each build compiles its own classes, so two versions of a plugin are really different code.
 */
public final class PluginJar {

    private final Path folder;
    private final Map<String, String> manifest = new LinkedHashMap<>();
    private final Map<String, String> sources = new LinkedHashMap<>();
    private final List<String> extensions = new ArrayList<>();
    private final Map<String, String> resources = new LinkedHashMap<>();
    private final List<Path> classPath = new ArrayList<>();

    public PluginJar(Path folder, String id, String version) {
        this.folder = folder;
        manifest.put("Plugin-Id", id);
        manifest.put("Plugin-Version", version);
        manifest.put("Plugin-Provider", "Relata tests");
    }

    /** Sets a manifest attribute; null removes it. */
    public PluginJar attribute(String name, String value) {
        if (value == null) {
            manifest.remove(name);
        } else {
            manifest.put(name, value);
        }
        return this;
    }

    /** A class of the plugin (fully qualified name and its whole source). */
    public PluginJar source(String className, String code) {
        sources.put(className, code);
        return this;
    }

    /** A class of the plugin that is listed in the extension index. */
    public PluginJar extension(String className, String code) {
        extensions.add(className);
        return source(className, code);
    }

    public PluginJar resource(String path, String text) {
        resources.put(path, text);
        return this;
    }

    /** A jar the sources compile against besides the test's class path (another plugin). */
    public PluginJar compileAgainst(Path jar) {
        classPath.add(jar);
        return this;
    }

    public Path build() throws IOException {
        Path work = Files.createTempDirectory(folder, "build-");
        Path src = Files.createDirectories(work.resolve("src"));
        Path classes = Files.createDirectories(work.resolve("classes"));
        List<String> files = new ArrayList<>();
        for (Map.Entry<String, String> source : sources.entrySet()) {
            Path file = src.resolve(source.getKey().replace('.', '/') + ".java");
            Files.createDirectories(file.getParent());
            Files.writeString(file, source.getValue());
            files.add(file.toString());
        }
        if (!files.isEmpty()) {
            JavaCompiler compiler = ToolProvider.getSystemJavaCompiler();
            String cp = System.getProperty("java.class.path")
                    + classPath.stream().map(p -> File.pathSeparator + p).reduce("", String::concat);
            List<String> args = new ArrayList<>(List.of("-proc:none", "--release", "17", "-classpath", cp, "-d", classes.toString()));
            args.addAll(files);
            int status = compiler.run(null, null, null, args.toArray(String[]::new));
            if (status != 0) {
                throw new IllegalStateException("The test plugin's sources did not compile (see the output above)");
            }
        }
        Manifest mf = new Manifest();
        mf.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        manifest.forEach((k, v) -> mf.getMainAttributes().putValue(k, v));
        Path jar = Files.createTempFile(folder, manifest.getOrDefault("Plugin-Id", "plugin") + "-", ".jar");
        try (OutputStream out = Files.newOutputStream(jar); JarOutputStream jarOut = new JarOutputStream(out, mf)) {
            try (Stream<Path> compiled = Files.walk(classes)) {
                for (Path file : compiled.filter(Files::isRegularFile).sorted().toList()) {
                    jarOut.putNextEntry(new JarEntry(classes.relativize(file).toString().replace('\\', '/')));
                    jarOut.write(Files.readAllBytes(file));
                    jarOut.closeEntry();
                }
            }
            if (!extensions.isEmpty()) {
                jarOut.putNextEntry(new JarEntry("META-INF/extensions.idx"));
                jarOut.write((String.join("\n", extensions) + "\n").getBytes(StandardCharsets.UTF_8));
                jarOut.closeEntry();
            }
            for (Map.Entry<String, String> resource : resources.entrySet()) {
                jarOut.putNextEntry(new JarEntry(resource.getKey()));
                jarOut.write(resource.getValue().getBytes(StandardCharsets.UTF_8));
                jarOut.closeEntry();
            }
        }
        return jar;
    }
}
