package io.relata.admin;

import io.relata.api.model.EntityDefinition;
import io.relata.api.model.LocalizedText;
import io.relata.runtime.RequestActor;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.format.FormatStyle;
import java.util.Locale;
import java.util.ResourceBundle;

/**
 * The administration pages' texts in the administrator's language: this module's bundle
 * ({@code io/relata/admin/messages*.properties}, {@code adminText} on the pages), labels from the metadata, times.
 */
@RequestScoped
public class AdminTexts {

    static final String BUNDLE = "io.relata.admin.messages";

    @Inject
    RequestActor me;

    public Locale locale() {
        return Locale.forLanguageTag(me.actor().language());
    }

    public String message(String key) {
        return ResourceBundle.getBundle(BUNDLE, locale()).getString(key);
    }

    public String text(LocalizedText text) {
        return text == null ? "" : text.in(locale());
    }

    public String label(EntityDefinition entity) {
        return text(entity.label());
    }

    /** The layer an element comes from, in words: core, site, plugin insurance 1.1.0. */
    public String layer(String layer) {
        if (layer == null) {
            return "";
        }
        return layer.startsWith("plugin:")
                ? java.text.MessageFormat.format(message("designer.layer.plugin"), layer.substring("plugin:".length()))
                : message("designer.layer." + layer);
    }

    /** A point in time in the server's zone, in the administrator's language. */
    public String timestamp(OffsetDateTime time) {
        return time.atZoneSameInstant(ZoneId.systemDefault())
                .format(DateTimeFormatter.ofLocalizedDateTime(FormatStyle.MEDIUM, FormatStyle.SHORT).withLocale(locale()));
    }
}
