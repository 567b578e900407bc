package io.relata.plugins;

import io.relata.api.model.LocalizedText;
import io.relata.api.plugin.Integration;
import io.relata.api.plugin.PanelContent;
import io.relata.api.plugin.ProcessExtension;
import io.relata.api.plugin.RecordChange;
import io.relata.api.plugin.RecordListener;
import io.relata.api.plugin.RecordPanel;
import io.relata.api.plugin.RuleFunctions;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The extensions of the enabled plugins, as the platform calls them. What it hands out are the platform's own
 * objects that name an extension (plugin and key); each call looks the extension up in the generation in force
 * <i>at that moment</i>, counts itself in that generation, and runs through {@link PluginCalls}. So nothing of a
 * plugin is held across calls, an upgrade takes effect for the next call, and a call that started on the old
 * version finishes on it.
 */
public final class ExtensionRegistry {

    private final AtomicReference<Snapshot> current = new AtomicReference<>(Snapshot.EMPTY);
    private final PluginCalls calls;

    ExtensionRegistry(PluginCalls calls) {
        this.calls = calls;
    }

    /** A registry over a candidate set of plugins, for checking metadata before the candidate is put in force. */
    ExtensionRegistry(PluginCalls calls, Snapshot candidate) {
        this(calls);
        current.set(candidate);
    }

    /** A registry without plugins (tools and tests that run the platform without a plugin engine). */
    public static ExtensionRegistry none() {
        return new ExtensionRegistry(null);
    }

    /** The enabled generations, in dependency order; swapped in one step. */
    record Snapshot(List<PluginGeneration> generations) {
        static final Snapshot EMPTY = new Snapshot(List.of());

        Snapshot {
            generations = List.copyOf(generations);
        }

        Optional<PluginGeneration> generation(String pluginId) {
            return generations.stream().filter(g -> g.id().equals(pluginId)).findFirst();
        }

        /** This snapshot with {@code replacement} in place of the generation of its id (or added at the end). */
        Snapshot with(PluginGeneration replacement) {
            List<PluginGeneration> next = new ArrayList<>();
            boolean replaced = false;
            for (PluginGeneration g : generations) {
                if (g.id().equals(replacement.id())) {
                    next.add(replacement);
                    replaced = true;
                } else {
                    next.add(g);
                }
            }
            if (!replaced) {
                next.add(replacement);
            }
            return new Snapshot(next);
        }

        Snapshot without(String pluginId) {
            return new Snapshot(generations.stream().filter(g -> !g.id().equals(pluginId)).toList());
        }
    }

    Snapshot snapshot() {
        return current.get();
    }

    void swap(Snapshot next) {
        current.set(next);
    }

    /**
     * Keys two enabled plugins would both provide (a process extension's name, an integration's name, a rule
     * namespace, a panel's id): such a snapshot may not be put in force.
     */
    static List<LocalizedText> conflicts(Snapshot snapshot) {
        List<LocalizedText> problems = new ArrayList<>();
        for (Class<?> point : ExtensionPoints.ALL) {
            if (point == RecordListener.class) {
                continue;
            }
            Map<String, String> owner = new LinkedHashMap<>();
            for (PluginGeneration g : snapshot.generations()) {
                for (Object extension : g.extensions(point)) {
                    String key = ExtensionPoints.keyOf(extension, point);
                    String other = owner.putIfAbsent(key, g.manifest().label());
                    if (other != null) {
                        problems.add(LocalizedText.format(
                                "{0} „{1}“ gibt es zweimal: in {2} und in {3}. Eine Erweiterung dieses Namens darf es nur einmal geben; benennen Sie eine um oder deaktivieren Sie eines der Plugins.",
                                "{0} '{1}' exists twice: in {2} and in {3}. There may be only one extension of that name; rename one or disable one of the plugins.",
                                point.getSimpleName(), key, other, g.manifest().label()));
                    }
                }
            }
        }
        return problems;
    }

    // ---- lookups the platform calls through ----

    /** The process extensions by name, for the outbox. */
    public Map<String, ProcessExtension> processExtensions() {
        Map<String, ProcessExtension> byName = new LinkedHashMap<>();
        for (PluginGeneration g : snapshot().generations()) {
            for (ProcessExtension extension : g.extensions(ProcessExtension.class)) {
                String name = extension.name();
                String pluginId = g.id();
                byName.put(name, new ProcessExtension() {
                    @Override
                    public String name() {
                        return name;
                    }

                    @Override
                    public void run(String entity, Map<String, Object> record, Map<String, Object> parameters) {
                        invoke(pluginId, ProcessExtension.class, name, name, e -> {
                            e.run(entity, record, parameters);
                            return Boolean.TRUE;
                        });
                    }
                });
            }
        }
        return byName;
    }

    /** The names of the integrations of the enabled plugins. */
    public Set<String> integrations() {
        Set<String> names = new java.util.TreeSet<>();
        snapshot().generations().forEach(g -> g.extensions(Integration.class).forEach(i -> names.add(i.name())));
        return names;
    }

    /**
     * Calls the integration {@code name}.
     *
     * @return the answer, or empty when no enabled plugin provides it
     * @throws PluginCallException when it throws, times out or answers null
     */
    public Optional<Answer<Integration.Response>> callIntegration(String name, Integration.Request request) {
        Optional<String> pluginId = owner(Integration.class, name);
        if (pluginId.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(invoke(pluginId.get(), Integration.class, name, name, integration -> {
            Integration.Response response = integration.call(request);
            if (response == null) {
                throw new UnusableAnswer("null instead of a response");
            }
            return response;
        }));
    }

    /** A plugin's answer with the plugin version that gave it (integration calls are recorded with it). */
    public record Answer<T>(T value, String pluginId, String pluginVersion) {
    }

    /** The rule function namespaces of the enabled plugins with their function names. */
    public Map<String, List<String>> ruleFunctionNames() {
        Map<String, List<String>> names = new java.util.TreeMap<>();
        for (PluginGeneration g : snapshot().generations()) {
            for (RuleFunctions functions : g.extensions(RuleFunctions.class)) {
                names.put(functions.namespace(), List.copyOf(new java.util.TreeSet<>(functions.functions().keySet())));
            }
        }
        return names;
    }

    /** Which plugin version provides each rule function namespace ("insurance 1.2.0 <sha256>"), for remembered checks. */
    public String ruleFunctionFingerprint() {
        StringBuilder out = new StringBuilder();
        for (PluginGeneration g : snapshot().generations()) {
            for (RuleFunctions functions : g.extensions(RuleFunctions.class)) {
                out.append(functions.namespace()).append('=').append(g.manifest().label()).append(' ')
                        .append(g.sha256()).append(';');
            }
        }
        return out.toString();
    }

    /**
     * Calls a rule function.
     *
     * @throws IllegalArgumentException when no enabled plugin has it
     * @throws PluginCallException when it throws, times out or answers something that is not a plain value
     */
    public Object callRuleFunction(String namespace, String function, List<Object> arguments) {
        Optional<String> pluginId = owner(RuleFunctions.class, namespace);
        if (pluginId.isEmpty()) {
            throw new IllegalArgumentException("no enabled plugin provides the rule functions '" + namespace + "'");
        }
        String what = namespace + "." + function;
        return invoke(pluginId.get(), RuleFunctions.class, namespace, what, f -> {
            RuleFunctions.RuleFunction fn = f.functions().get(function);
            if (fn == null) {
                throw new UnusableAnswer("the plugin has no function " + what);
            }
            return plain(fn.apply(arguments), what);
        }).value();
    }

    /**
     * A record listener of a plugin, called through the registry.
     *
     * @param pluginId the plugin it belongs to, so what it sets is attributed to it
     */
    public record Listener(String pluginId, RecordListener calls) {
    }

    /** The record listeners of the enabled plugins for {@code entity}. */
    public List<Listener> recordListeners(String entity) {
        List<Listener> listeners = new ArrayList<>();
        for (PluginGeneration g : snapshot().generations()) {
            List<RecordListener> own = g.extensions(RecordListener.class);
            for (int index = 0; index < own.size(); index++) {
                RecordListener listener = own.get(index);
                if (!listener.entities().contains(entity)) {
                    continue;
                }
                String pluginId = g.id();
                String key = listener.getClass().getName();
                Set<String> entities = Set.copyOf(listener.entities());
                listeners.add(new Listener(pluginId, new RecordListener() {
                    @Override
                    public Set<String> entities() {
                        return entities;
                    }

                    @Override
                    public void beforeSave(RecordChange change) {
                        invoke(pluginId, RecordListener.class, key, key + ".beforeSave", l -> {
                            l.beforeSave(change);
                            return Boolean.TRUE;
                        });
                    }

                    @Override
                    public void afterSave(RecordChange change) {
                        invoke(pluginId, RecordListener.class, key, key + ".afterSave", l -> {
                            l.afterSave(change);
                            return Boolean.TRUE;
                        });
                    }
                }));
            }
        }
        return listeners;
    }

    /** A panel of a plugin on a record page. */
    public record Panel(String id, String pluginId, LocalizedText title) {
    }

    /** The panels the enabled plugins show on records of {@code entity}. */
    public List<Panel> panels(String entity) {
        List<Panel> panels = new ArrayList<>();
        for (PluginGeneration g : snapshot().generations()) {
            for (RecordPanel panel : g.extensions(RecordPanel.class)) {
                if (panel.entities().contains(entity)) {
                    panels.add(new Panel(panel.id(), g.id(), panel.title()));
                }
            }
        }
        return panels;
    }

    /** Renders a panel. @throws PluginCallException when it throws, times out or answers null */
    public PanelContent renderPanel(Panel panel, RecordPanel.Request request) {
        return invoke(panel.pluginId(), RecordPanel.class, panel.id(), panel.id(), p -> {
            PanelContent content = p.render(request);
            if (content == null) {
                throw new UnusableAnswer("null instead of the panel's content");
            }
            return content;
        }).value();
    }

    // ---- calling ----

    private Optional<String> owner(Class<?> point, String key) {
        for (PluginGeneration g : snapshot().generations()) {
            for (Object extension : g.extensions(point)) {
                if (ExtensionPoints.keyOf(extension, point).equals(key)) {
                    return Optional.of(g.id());
                }
            }
        }
        return Optional.empty();
    }

    @FunctionalInterface
    private interface Call<E, T> {
        T apply(E extension) throws Exception;
    }

    /** What a plugin answered that the platform cannot use. */
    private static final class UnusableAnswer extends RuntimeException {
        UnusableAnswer(String detail) {
            super(detail);
        }
    }

    /**
     * Looks the extension up in the generation in force now and calls it. A generation that began retiring
     * between lookup and call is looked up again (the upgrade's new version takes the call).
     */
    private <E, T> Answer<T> invoke(String pluginId, Class<E> point, String key, String what, Call<E, T> call) {
        for (int attempt = 0; attempt < 3; attempt++) {
            PluginGeneration generation = snapshot().generation(pluginId).orElse(null);
            E extension = generation == null ? null : find(generation, point, key);
            if (extension == null) {
                throw new PluginCallException(pluginId, LocalizedText.format(
                        "{0} „{1}“ des Plugins {2} ist nicht mehr installiert oder deaktiviert.",
                        "{0} '{1}' of the plugin {2} is no longer installed or is disabled.",
                        point.getSimpleName(), key, pluginId), null);
            }
            // an unusable answer becomes the plugin's failure inside the call, so that it is logged once
            Object result = calls.invoke(generation, what, () -> {
                try {
                    return call.apply(extension);
                } catch (UnusableAnswer unusable) {
                    throw PluginCalls.garbage(generation.manifest(), what, unusable.getMessage());
                }
            });
            if (result != PluginCalls.RETIRED) {
                @SuppressWarnings("unchecked")
                T value = (T) result;
                return new Answer<>(value, pluginId, generation.manifest().version());
            }
        }
        throw new PluginCallException(pluginId, LocalizedText.format(
                "Das Plugin {0} wird gerade mehrfach hintereinander ersetzt; {1} bitte wiederholen.",
                "The plugin {0} is being replaced several times in a row; please repeat {1}.", pluginId, what), null);
    }

    private static <E> E find(PluginGeneration generation, Class<E> point, String key) {
        for (E extension : generation.extensions(point)) {
            if (ExtensionPoints.keyOf(extension, point).equals(key)) {
                return extension;
            }
        }
        return null;
    }

    /**
     * {@code value} as the plain values plugins get (numbers as BigDecimal, lists and maps read-only).
     *
     * @throws IllegalArgumentException naming what is not a plain value
     */
    public static Object plainValue(Object value) {
        try {
            return plain(value, "the value");
        } catch (UnusableAnswer e) {
            throw new IllegalArgumentException(e.getMessage());
        }
    }

    /** The answer of a rule function as plain values, or an {@link UnusableAnswer} naming what is not plain. */
    static Object plain(Object value, String what) {
        if (value == null || value instanceof Boolean || value instanceof String || value instanceof BigDecimal) {
            return value;
        }
        if (value instanceof Integer || value instanceof Long || value instanceof Short || value instanceof Byte) {
            return BigDecimal.valueOf(((Number) value).longValue());
        }
        if (value instanceof Double || value instanceof Float) {
            double d = ((Number) value).doubleValue();
            if (Double.isNaN(d) || Double.isInfinite(d)) {
                throw new UnusableAnswer(what + " returned " + d);
            }
            return BigDecimal.valueOf(d);
        }
        if (value instanceof List<?> list) {
            List<Object> out = new ArrayList<>(list.size());
            list.forEach(item -> out.add(plain(item, what)));
            return java.util.Collections.unmodifiableList(out);
        }
        if (value instanceof Map<?, ?> map) {
            Map<String, Object> out = new LinkedHashMap<>();
            map.forEach((k, v) -> {
                if (!(k instanceof String name)) {
                    throw new UnusableAnswer(what + " returned a map with the key " + k + " (not a string)");
                }
                out.put(name, plain(v, what));
            });
            return java.util.Collections.unmodifiableMap(out);
        }
        throw new UnusableAnswer(what + " returned a " + value.getClass().getName()
                + "; rule functions answer null, booleans, strings, numbers, lists and maps");
    }
}
