/**
 * What a plugin may implement: the extension points of the platform. <b>Stable API</b>: a type here changes
 * only compatibly within a major version (the build compares it with the last release); everything outside
 * {@code io.relata.api} is internal and not visible to a plugin's class loader.
 *
 * <h2>Lifecycle of a plugin, written once</h2>
 * <ol>
 *   <li><b>install</b>: an administrator uploads the jar. The platform reads its manifest ({@code Plugin-Id},
 *       {@code Plugin-Version}, {@code Plugin-Provider}, {@code Plugin-Requires}, {@code Plugin-Dependencies}),
 *       checks the platform version and the dependencies, and checks the jar's {@code metadata/} together with
 *       every other layer. If anything is wrong, nothing changes.</li>
 *   <li><b>start</b>: the platform creates a class loader that sees the plugin's jar, this API, PF4J and the
 *       JDK, and nothing else of the host (plus the classes of the plugins it depends on). It calls
 *       {@code org.pf4j.Plugin#start()} if the jar has a plugin class, then creates one instance of each class
 *       listed in {@code META-INF/extensions.idx} (written by PF4J's annotation processor for
 *       {@code @org.pf4j.Extension}). Extensions must have a public no-argument constructor and must be
 *       safe to call from several threads at once.</li>
 *   <li><b>serve</b>: the platform looks the extensions up <i>per call</i> in a registry that swaps atomically.
 *       Every call runs with a timeout on a platform thread; what it throws, a timeout, or an answer the
 *       platform cannot use fails that one call, names the plugin in the log and tells the user, and the
 *       platform keeps serving. Never keep a reference to the host or to another plugin's objects beyond a
 *       call.</li>
 *   <li><b>upgrade</b>: the new version is checked and started next to the old one; the registry switches to
 *       it in one step; calls already running finish on the old version; then the old version is stopped
 *       ({@code Plugin#stop()}) and its class loader closed. Static state, threads and caches a plugin started
 *       must end in {@code stop()}, or the old classes can never be unloaded.</li>
 *   <li><b>disable / uninstall</b>: like an upgrade to nothing. The plugin's data stays in the database; its
 *       entities become read-only and hidden until it is back.</li>
 * </ol>
 *
 * <p>Plugins are trusted Java code: PF4J has no sandbox, and a plugin runs with the platform's rights. Only
 * administrators install plugins. The sandboxed way to add logic is a JavaScript rule in metadata.
 */
package io.relata.api.plugin;
