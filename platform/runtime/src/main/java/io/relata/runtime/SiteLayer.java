package io.relata.runtime;

import io.relata.metadata.MetadataException;
import io.relata.metadata.MetadataFile;
import io.relata.metadata.MetadataFiles;
import io.relata.metadata.MetadataLimits;
import io.relata.metadata.MetadataLoader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The site's own metadata layer: a directory laid out like every other ({@code entities/}, {@code extensions/}, …),
 * read last, so that it may add to and change what core and plugins define, and written by the admin designer.
 * Its files are plain YAML in the documented format: an admin who edits them by hand and the designer see each
 * other's changes. Files are named by their path within the layer, e.g. {@code extensions/account.yaml}.
 */
public final class SiteLayer {

    /** {@code <kind>/<name>.yaml} or a rule script {@code <kind>/<name>.js}; nothing outside the kinds' folders. */
    private static final Pattern PATH = Pattern.compile("([a-z-]+)/([a-z0-9][a-z0-9_.-]{0,100})\\.(yaml|js)");

    private final Path root;

    public SiteLayer(Path root) {
        this.root = root.toAbsolutePath().normalize();
    }

    public Path root() {
        return root;
    }

    /** Creates the directory if it is missing, so that it can be read as a layer. */
    void create() {
        try {
            Files.createDirectories(root);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot create the site metadata directory " + root + ": " + e.getMessage(), e);
        }
    }

    /** The layer's files by path, in the order the loader reads them. */
    public Map<String, String> files(MetadataLimits limits) throws MetadataException {
        Map<String, String> files = new LinkedHashMap<>();
        String prefix = root.toString().replace('\\', '/') + "/";
        for (MetadataFile file : MetadataFiles.read(java.util.List.of(root), limits).files()) {
            files.put(file.displayName().substring(prefix.length()), file.content());
        }
        return files;
    }

    /** The name the loader gives the file at {@code path}, as in its problems ({@code <root>/entities/x.yaml}). */
    public String displayName(String path) {
        return root.resolve(path).toString().replace('\\', '/');
    }

    /**
     * Whether {@code path} names a file the layer can hold: a YAML file or rule script in the folder of a kind of
     * metadata, without any way out of the directory.
     */
    public static boolean isValidPath(String path) {
        var matcher = PATH.matcher(path == null ? "" : path);
        return matcher.matches() && MetadataLoader.KNOWN_KINDS.contains(matcher.group(1)) && !path.contains("..")
                && (matcher.group(3).equals("yaml") || MetadataLoader.SCRIPT_KINDS.contains(matcher.group(1)));
    }

    /**
     * Writes the given files (null content: deletes the file). Each file is written to a temporary file next to it
     * and moved into place, so that a reader never sees half a file.
     */
    void write(Map<String, String> changes) {
        for (Map.Entry<String, String> change : changes.entrySet()) {
            if (!isValidPath(change.getKey())) {
                throw new IllegalArgumentException("Not a path of the site layer: " + change.getKey());
            }
            Path target = root.resolve(change.getKey());
            try {
                if (change.getValue() == null) {
                    Files.deleteIfExists(target);
                    continue;
                }
                Files.createDirectories(target.getParent());
                Path temporary = Files.createTempFile(target.getParent(), ".designer-", ".tmp");
                Files.writeString(temporary, change.getValue(), StandardCharsets.UTF_8);
                Files.move(temporary, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (IOException e) {
                throw new UncheckedIOException("Cannot write " + target + ": " + e.getMessage(), e);
            }
        }
    }
}
