package io.relata.api.process;

import io.relata.api.model.LocalizedText;
import io.relata.api.model.SourceLocation;

/**
 * An e-mail text with placeholders ({@code {{record.first_name}}}, {@code {{record.id}}},
 * {@code {{process.label}}}, {@code {{phase.label}}}, {@code {{settings.base_url}}}), written in Mustache
 * syntax and rendered without HTML escaping into plain-text mails.
 *
 * @param languageField a field of the record holding the recipient's language ("de", "en"), or null for the
 *                      platform's default language
 */
public record MailTemplate(String name, LocalizedText subject, LocalizedText body, String languageField,
                           SourceLocation source) {
}
