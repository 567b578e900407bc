package io.relata.plugins;

import io.relata.api.plugin.Integration;
import io.relata.api.plugin.ProcessExtension;
import io.relata.api.plugin.RecordListener;
import io.relata.api.plugin.RecordPanel;
import io.relata.api.plugin.RuleFunctions;
import java.util.List;

/** The extension points of {@code io.relata.api.plugin}, the only types a plugin's extensions are taken for. */
final class ExtensionPoints {

    static final List<Class<?>> ALL = List.of(ProcessExtension.class, RecordListener.class, RuleFunctions.class,
            Integration.class, RecordPanel.class);

    private ExtensionPoints() {
    }

    /** The extension points {@code type} implements (an extension may serve several). */
    static List<Class<?>> of(Class<?> type) {
        return ALL.stream().filter(point -> point.isAssignableFrom(type)).toList();
    }

    /** The key an extension is found by in its point: a process extension's or integration's name, a panel's id, … */
    static String keyOf(Object extension, Class<?> point) {
        if (point == ProcessExtension.class) {
            return ((ProcessExtension) extension).name();
        }
        if (point == Integration.class) {
            return ((Integration) extension).name();
        }
        if (point == RuleFunctions.class) {
            return ((RuleFunctions) extension).namespace();
        }
        if (point == RecordPanel.class) {
            return ((RecordPanel) extension).id();
        }
        return extension.getClass().getName();
    }
}
