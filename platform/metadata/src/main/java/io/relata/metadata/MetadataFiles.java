package io.relata.metadata;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Reads metadata files from directories laid out as {@code <root>/<kind>/<name>.yaml} for the kinds
 * entities, roles, templates, processes and dialogs, plus the rule scripts ({@code *.js}) next to entities,
 * processes and dialogs that their files may refer to. Several roots (the shipped metadata plus extension
 * directories) are read in the given order.
 */
public final class MetadataFiles {

    private MetadataFiles() {
    }

    /** The files of one metadata root; see {@link #fromDirectories(List)}. */
    public static List<MetadataFile> fromDirectory(Path root) throws MetadataException {
        return fromDirectories(List.of(root));
    }

    /**
     * The {@code .yaml}/{@code .yml} files in {@code <root>/<kind>/} for every known kind (see
     * {@link MetadataLoader#KNOWN_KINDS}) and the {@code .js} rule scripts in the folders of
     * {@link MetadataLoader#SCRIPT_KINDS}, roots in the given order, files sorted by name. Display names are
     * the root as given joined with the relative path, e.g. {@code metadata/entities/account.yaml}. Within a
     * root, the kinds come in the order of {@link MetadataLoader#KIND_ORDER}: entities, roles, templates,
     * processes, dialogs.
     *
     * @throws MetadataException with {@link ProblemCode#METADATA_DIRECTORY_MISSING} for every root that is
     *                           not a directory and {@link ProblemCode#METADATA_FILE_UNREADABLE} for files
     *                           that cannot be read as UTF-8
     */
    public static List<MetadataFile> fromDirectories(List<Path> roots) throws MetadataException {
        List<MetadataFile> files = new ArrayList<>();
        List<MetadataProblem> problems = new ArrayList<>();
        for (Path root : roots) {
            if (!Files.isDirectory(root)) {
                problems.add(new MetadataProblem(root.toString(), 0, 0, ProblemCode.METADATA_DIRECTORY_MISSING,
                        "The metadata directory " + Problems.q(root) + (Files.exists(root) ? " is not a directory"
                                : " does not exist") + " (absolute path: " + root.toAbsolutePath().normalize() + ").",
                        "create the directory with an 'entities' folder inside, or correct the configured path."));
                continue;
            }
            for (String kind : MetadataLoader.KIND_ORDER) {
                read(root, kind, files, problems);
            }
        }
        if (!problems.isEmpty()) {
            throw new MetadataException(problems);
        }
        return files;
    }

    /** YAML files of every kind; rule scripts only where YAML files may refer to them. */
    private static boolean isMetadata(String kind, MetadataFile file) {
        return file.isYaml() || (file.isScript() && MetadataLoader.SCRIPT_KINDS.contains(kind));
    }

    private static void read(Path root, String kind, List<MetadataFile> files, List<MetadataProblem> problems) {
        Path folder = root.resolve(kind);
        if (!Files.isDirectory(folder)) {
            return;
        }
        List<Path> paths;
        try (Stream<Path> list = Files.list(folder)) {
            paths = list.filter(Files::isRegularFile)
                    .filter(p -> isMetadata(kind, new MetadataFile(p.toString(), "")))
                    .sorted()
                    .toList();
        } catch (IOException e) {
            problems.add(new MetadataProblem(folder.toString(), 0, 0, ProblemCode.METADATA_FILE_UNREADABLE,
                    "The folder cannot be listed: " + e + ".", "check the folder's permissions."));
            return;
        }
        for (Path path : paths) {
            String displayName = root.resolve(kind).resolve(path.getFileName()).toString().replace('\\', '/');
            try {
                String content = Files.readString(path, StandardCharsets.UTF_8);
                if (content.startsWith("\uFEFF")) {
                    content = content.substring(1);
                }
                files.add(new MetadataFile(displayName, content));
            } catch (IOException e) {
                problems.add(new MetadataProblem(displayName, 0, 0, ProblemCode.METADATA_FILE_UNREADABLE,
                        "The file cannot be read as UTF-8 text: " + e + ".",
                        "check the file's permissions and save it in UTF-8 encoding."));
            }
        }
    }
}
