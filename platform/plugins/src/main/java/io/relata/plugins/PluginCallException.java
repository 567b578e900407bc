package io.relata.plugins;

import io.relata.api.model.LocalizedText;

/**
 * A call into a plugin that failed: it threw, did not answer within the timeout, or answered something the
 * platform cannot use. Fails only that call; {@link #text()} names the plugin and says what happened, in German
 * and English.
 */
public class PluginCallException extends RuntimeException {

    private final String pluginId;
    private final LocalizedText text;

    PluginCallException(String pluginId, LocalizedText text, Throwable cause) {
        super(text.in("en"), cause);
        this.pluginId = pluginId;
        this.text = text;
    }

    public String pluginId() {
        return pluginId;
    }

    public LocalizedText text() {
        return text;
    }
}
