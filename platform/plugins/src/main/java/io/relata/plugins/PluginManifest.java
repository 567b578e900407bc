package io.relata.plugins;

import io.relata.api.model.LocalizedText;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.jar.Attributes;
import java.util.jar.JarFile;
import java.util.jar.Manifest;
import java.util.regex.Pattern;
import org.pf4j.PluginDependency;
import org.pf4j.util.StringUtils;

/**
 * What a plugin jar says of itself in {@code META-INF/MANIFEST.MF}.
 *
 * @param pluginClass  the {@code org.pf4j.Plugin} subclass with start/stop, or null when the plugin has none
 * @param requires     the platform versions it runs on (a SemVer expression such as {@code >=0.1.0}), or "*"
 * @param dependencies the plugins it needs ({@code id} or {@code id@>=1.0.0}; {@code id?} when optional)
 */
public record PluginManifest(String id, String version, String provider, String description, String pluginClass,
                             String requires, List<PluginDependency> dependencies) {

    /** Plugin ids name files, metadata layers and history rows: lower case, digits and dashes. */
    static final Pattern ID = Pattern.compile("[a-z][a-z0-9-]{1,62}");
    static final Pattern VERSION = Pattern.compile("\\d+\\.\\d+\\.\\d+(-[0-9A-Za-z.-]+)?");

    public PluginManifest {
        dependencies = List.copyOf(dependencies);
    }

    /**
     * Reads and checks the manifest of {@code jar}.
     *
     * @param fileName the name the administrator knows the jar by (the upload's name)
     * @throws PluginRefusedException listing every problem of the manifest
     */
    static PluginManifest read(Path jar, String fileName) throws PluginRefusedException {
        Manifest manifest;
        try (JarFile file = new JarFile(jar.toFile())) {
            manifest = file.getManifest();
        } catch (IOException e) {
            throw new PluginRefusedException(List.of(LocalizedText.format(
                    "{0} ist keine lesbare JAR-Datei ({1}). Laden Sie die Datei hoch, die der Build des Plugins unter target/ erzeugt hat.",
                    "{0} is not a readable jar file ({1}). Upload the file the plugin's build wrote to target/.",
                    fileName, e.getMessage())));
        }
        if (manifest == null) {
            throw new PluginRefusedException(List.of(LocalizedText.format(
                    "{0} hat kein META-INF/MANIFEST.MF. Ein Plugin nennt dort Plugin-Id, Plugin-Version und Plugin-Provider (siehe plugins/README.md).",
                    "{0} has no META-INF/MANIFEST.MF. A plugin names Plugin-Id, Plugin-Version and Plugin-Provider there (see plugins/README.md).",
                    fileName)));
        }
        Attributes main = manifest.getMainAttributes();
        List<LocalizedText> problems = new ArrayList<>();
        String id = required(main, "Plugin-Id", fileName, problems);
        String version = required(main, "Plugin-Version", fileName, problems);
        String provider = required(main, "Plugin-Provider", fileName, problems);
        if (id != null && !ID.matcher(id).matches()) {
            problems.add(LocalizedText.format(
                    "{0}: Plugin-Id „{1}“ ist ungültig. Erlaubt sind Kleinbuchstaben, Ziffern und Bindestriche, beginnend mit einem Buchstaben, 2 bis 63 Zeichen (z. B. „insurance“).",
                    "{0}: Plugin-Id '{1}' is not valid. Use lower-case letters, digits and dashes, starting with a letter, 2 to 63 characters (e.g. 'insurance').",
                    fileName, id));
        }
        if (version != null && !VERSION.matcher(version).matches()) {
            problems.add(LocalizedText.format(
                    "{0}: Plugin-Version „{1}“ ist keine SemVer-Version. Schreiben Sie z. B. „1.2.0“.",
                    "{0}: Plugin-Version '{1}' is not a SemVer version. Write e.g. '1.2.0'.", fileName, version));
        }
        String requires = value(main, "Plugin-Requires");
        List<PluginDependency> dependencies = new ArrayList<>();
        String declared = value(main, "Plugin-Dependencies");
        if (declared != null) {
            for (String one : declared.split(",")) {
                if (one.isBlank()) {
                    continue;
                }
                PluginDependency dependency = new PluginDependency(one.strip());
                if (!ID.matcher(dependency.getPluginId()).matches()) {
                    problems.add(LocalizedText.format(
                            "{0}: Plugin-Dependencies nennt „{1}“, das ist keine Plugin-Id. Schreiben Sie „id“ oder „id@>=1.0.0“, durch Kommas getrennt.",
                            "{0}: Plugin-Dependencies names '{1}', which is not a plugin id. Write 'id' or 'id@>=1.0.0', separated by commas.",
                            fileName, one.strip()));
                } else {
                    dependencies.add(dependency);
                }
            }
        }
        if (!problems.isEmpty()) {
            throw new PluginRefusedException(problems);
        }
        return new PluginManifest(id, version, provider, value(main, "Plugin-Description"), value(main, "Plugin-Class"),
                requires == null ? "*" : requires, dependencies);
    }

    /** The Plugin-Id of a jar, checked like any manifest. */
    public static String idOf(Path jar, String fileName) throws PluginRefusedException {
        return read(jar, fileName).id();
    }

    private static String required(Attributes main, String name, String fileName, List<LocalizedText> problems) {
        String value = value(main, name);
        if (value == null) {
            problems.add(LocalizedText.format(
                    "{0}: Im Manifest fehlt {1}. Ein Plugin nennt Plugin-Id, Plugin-Version und Plugin-Provider (siehe plugins/README.md).",
                    "{0}: the manifest has no {1}. A plugin names Plugin-Id, Plugin-Version and Plugin-Provider (see plugins/README.md).",
                    fileName, name));
        }
        return value;
    }

    private static String value(Attributes main, String name) {
        String value = main.getValue(name);
        return StringUtils.isNullOrEmpty(value) || value.isBlank() ? null : value.strip();
    }

    /** "insurance 1.2.0" */
    public String label() {
        return id + " " + version;
    }
}
