package io.relata.web.ui;

import io.relata.api.plugin.RecordPanel;
import io.relata.api.record.Record;
import io.relata.api.security.Actor;
import io.relata.plugins.ExtensionRegistry;
import io.relata.plugins.PluginCallException;
import io.relata.runtime.Platform;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The panels the enabled plugins show on a record, on the record page and in the customer view. */
final class PluginPanels {

    private PluginPanels() {
    }

    /**
     * Each plugin panel of the entity, rendered by its plugin from the values {@code actor} may read; a plugin that
     * fails shows its failure in its panel.
     */
    static List<RecordView.PluginPanel> render(Platform platform, Actor actor, UiText ui, String entity, Record shown) {
        List<RecordView.PluginPanel> panels = new ArrayList<>();
        ExtensionRegistry extensions = platform.plugins().extensions();
        Map<String, Object> values = new LinkedHashMap<>(shown.values());
        values.put("id", shown.id());
        for (ExtensionRegistry.Panel panel : extensions.panels(entity)) {
            try {
                panels.add(new RecordView.PluginPanel(panel.id(), ui.text(panel.title()), extensions.renderPanel(panel,
                        new RecordPanel.Request(entity, values, actor, platform.recordsReadBy(actor))), null));
            } catch (PluginCallException e) {
                panels.add(new RecordView.PluginPanel(panel.id(), ui.text(panel.title()), null, ui.text(e.text())));
            }
        }
        return panels;
    }
}
