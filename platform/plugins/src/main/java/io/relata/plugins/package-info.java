/**
 * The plugin engine: installs, enables, upgrades, disables and removes PF4J plugins while the platform runs.
 * Each plugin version is a {@link io.relata.plugins.PluginGeneration} with a class loader that sees only the
 * plugin API ({@code io.relata.api}), PF4J, the JDK and the plugins it depends on; the
 * {@link io.relata.plugins.ExtensionRegistry} is swapped in one step, calls run through
 * {@link io.relata.plugins.PluginCalls} with a timeout, and a retired generation is closed once its calls have
 * finished. Nothing here is API: plugins see {@code io.relata.api.plugin}.
 */
package io.relata.plugins;
