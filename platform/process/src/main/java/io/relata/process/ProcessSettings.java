package io.relata.process;

import java.util.Objects;

/**
 * What the process runtime needs to know about the installation (not about the metadata).
 *
 * @param baseUrl         where users reach the CRM, e.g. {@code https://crm.example.com} (no trailing slash);
 *                        mails link to records with {@code {{settings.base_url}}}
 * @param defaultLanguage the language of to-do subjects, and of mails whose template names no language field
 *                        or whose record has no language
 * @param node            names this server in timer and outbox rows ({@code fired_by}, {@code claimed_by}), so an
 *                        administrator can tell which node fired or sent what
 */
public record ProcessSettings(String baseUrl, String defaultLanguage, String node) {

    public ProcessSettings {
        Objects.requireNonNull(baseUrl, "baseUrl");
        Objects.requireNonNull(defaultLanguage, "defaultLanguage");
        Objects.requireNonNull(node, "node");
        while (baseUrl.endsWith("/")) {
            baseUrl = baseUrl.substring(0, baseUrl.length() - 1);
        }
    }
}
