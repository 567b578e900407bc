package io.relata.plugins;

import java.nio.file.Path;

/**
 * The metadata a plugin brings: the {@code metadata/} folder of its jar, extracted. Layers are read after core
 * and before the site's directories, in the order of the plugins' dependencies.
 */
public record PluginLayer(String pluginId, String version, Path directory) {
}
