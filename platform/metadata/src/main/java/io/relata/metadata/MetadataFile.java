package io.relata.metadata;

import java.util.Objects;

/**
 * One metadata file's text, as read from disk or given by a test or an upload.
 *
 * @param displayName the path shown in messages, e.g. {@code metadata/entities/account.yaml}; its parent
 *                    folder name is the kind of metadata ({@code entities}, {@code processes}, …) and its
 *                    base name must match the name of what it defines
 * @param content     the YAML text, or the JavaScript of a rule script ({@code *.js} next to entities, processes
 *                    and dialogs)
 */
public record MetadataFile(String displayName, String content) {

    public MetadataFile {
        Objects.requireNonNull(displayName, "displayName");
        Objects.requireNonNull(content, "content");
    }

    /** The parent folder name, e.g. {@code entities}; empty if the name has no folder. */
    public String kind() {
        String normalized = displayName.replace('\\', '/');
        int slash = normalized.lastIndexOf('/');
        if (slash < 0) {
            return "";
        }
        int previous = normalized.lastIndexOf('/', slash - 1);
        return normalized.substring(previous + 1, slash);
    }

    /** The file name without folder and without {@code .yaml}/{@code .yml}, e.g. {@code account}. */
    public String baseName() {
        String normalized = displayName.replace('\\', '/');
        String name = normalized.substring(normalized.lastIndexOf('/') + 1);
        int dot = name.lastIndexOf('.');
        return dot < 0 ? name : name.substring(0, dot);
    }

    /** True for {@code .js} files: rule scripts, read only when a rule of an entity, process or dialog refers to them. */
    public boolean isScript() {
        return displayName.toLowerCase(java.util.Locale.ROOT).endsWith(".js");
    }

    /** True for {@code .yaml} and {@code .yml} files; other files are ignored by the loader. */
    public boolean isYaml() {
        String lower = displayName.toLowerCase(java.util.Locale.ROOT);
        return lower.endsWith(".yaml") || lower.endsWith(".yml");
    }
}
