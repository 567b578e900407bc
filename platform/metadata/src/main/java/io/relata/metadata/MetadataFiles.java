package io.relata.metadata;

import java.io.IOException;
import java.io.InputStream;
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

    /** Folders of a metadata directory that hold something else than metadata: demo records, the JSON Schemas. */
    public static final java.util.Set<String> OTHER_FOLDERS = java.util.Set.of("demo", "schema");

    /**
     * The files read from metadata directories, and what the admin should know about them: folders that are no
     * kind of metadata ({@link ProblemCode#UNKNOWN_FOLDER}), to be passed on with the loader's warnings
     * ({@link MetadataLoader#loadWithWarnings(Read)}).
     */
    public record Read(List<MetadataFile> files, List<MetadataProblem> warnings) {
        public Read {
            files = List.copyOf(files);
            warnings = List.copyOf(warnings);
        }
    }

    /** The files of one metadata root; see {@link #fromDirectories(List)}. */
    public static List<MetadataFile> fromDirectory(Path root) throws MetadataException {
        return fromDirectories(List.of(root));
    }

    /** The files of {@link #read(List, MetadataLimits)} within the default limits, without its warnings. */
    public static List<MetadataFile> fromDirectories(List<Path> roots) throws MetadataException {
        return read(roots, MetadataLimits.DEFAULT).files();
    }

    /**
     * The {@code .yaml}/{@code .yml} files in {@code <root>/<kind>/} for every known kind (see
     * {@link MetadataLoader#KNOWN_KINDS}) and the {@code .js} rule scripts in the folders of
     * {@link MetadataLoader#SCRIPT_KINDS}, roots in the given order, files sorted by name. Display names are
     * the root as given joined with the relative path, e.g. {@code metadata/entities/account.yaml}. Within a
     * root, the kinds come in the order of {@link MetadataLoader#KIND_ORDER}: entities, roles, templates,
     * processes, dialogs. Another folder holding such files ({@code entitys/}, {@code role/}) is a warning naming
     * the closest kind; hidden folders and {@link #OTHER_FOLDERS} are passed over.
     *
     * @throws MetadataException with {@link ProblemCode#METADATA_DIRECTORY_MISSING} for every root that is
     *                           not a directory, {@link ProblemCode#METADATA_FILE_UNREADABLE} for files that
     *                           cannot be read, {@link ProblemCode#FILE_NOT_UTF8} for files that are not UTF-8
     *                           and {@link ProblemCode#FILE_TOO_LARGE} for files beyond the limit
     */
    public static Read read(List<Path> roots, MetadataLimits limits) throws MetadataException {
        List<MetadataFile> files = new ArrayList<>();
        List<MetadataProblem> problems = new ArrayList<>();
        List<MetadataProblem> warnings = new ArrayList<>();
        for (Path root : roots) {
            if (!Files.isDirectory(root)) {
                problems.add(new MetadataProblem(root.toString(), 0, 0, ProblemCode.METADATA_DIRECTORY_MISSING,
                        "The metadata directory " + Problems.q(root) + (Files.exists(root) ? " is not a directory"
                                : " does not exist") + " (absolute path: " + root.toAbsolutePath().normalize() + ").",
                        "create the directory with an 'entities' folder inside, or correct the configured path."));
                continue;
            }
            for (String kind : MetadataLoader.KIND_ORDER) {
                read(root, kind, limits, files, problems);
            }
            unknownFolders(root, warnings);
        }
        if (!problems.isEmpty()) {
            throw new MetadataException(problems);
        }
        return new Read(files, warnings);
    }

    /** YAML files of every kind; rule scripts only where YAML files may refer to them. */
    private static boolean isMetadata(String kind, MetadataFile file) {
        return file.isYaml() || (file.isScript() && MetadataLoader.SCRIPT_KINDS.contains(kind));
    }

    /** Warns of every folder of a root that holds YAML or script files but is no kind of metadata. */
    private static void unknownFolders(Path root, List<MetadataProblem> warnings) {
        List<Path> folders;
        try (Stream<Path> list = Files.list(root)) {
            folders = list.filter(Files::isDirectory).sorted().toList();
        } catch (IOException e) {
            return; // the kinds' folders were listed; a root that cannot be listed is reported by them
        }
        for (Path folder : folders) {
            String name = folder.getFileName().toString();
            if (MetadataLoader.KNOWN_KINDS.contains(name) || OTHER_FOLDERS.contains(name) || name.startsWith(".")) {
                continue;
            }
            long files;
            try (Stream<Path> list = Files.list(folder)) {
                files = list.filter(Files::isRegularFile)
                        .filter(p -> isMetadata("entities", new MetadataFile(p.toString(), "")))
                        .count();
            } catch (IOException e) {
                continue;
            }
            if (files == 0) {
                continue;
            }
            String displayName = root.resolve(name).toString().replace('\\', '/');
            var closest = Suggestions.closest(name, MetadataLoader.KIND_ORDER);
            warnings.add(new MetadataProblem(displayName, 0, 0, ProblemCode.UNKNOWN_FOLDER,
                    "The folder " + Problems.q(name) + " is no kind of metadata, so its " + files + " file"
                            + (files == 1 ? " is" : "s are") + " not read.",
                    closest.map(kind -> "rename the folder to " + Problems.q(kind) + " if its files are "
                                    + kind + "; the folders read are: ")
                            .orElse("move the files into one of the folders that are read: ")
                            + String.join(", ", MetadataLoader.KIND_ORDER)
                            + (closest.isPresent() ? "." : "; or remove the folder if it holds no metadata.")));
        }
    }

    private static void read(Path root, String kind, MetadataLimits limits, List<MetadataFile> files,
                             List<MetadataProblem> problems) {
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
            byte[] bytes;
            try (InputStream in = Files.newInputStream(path)) {
                // never more than the limit and one byte: a huge file is refused without being held in memory
                bytes = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, limits.maxFileBytes() + 1));
            } catch (IOException e) {
                problems.add(new MetadataProblem(displayName, 0, 0, ProblemCode.METADATA_FILE_UNREADABLE,
                        "The file cannot be read: " + e.getMessage() + ".",
                        "check that the server's user may read the file (its permissions and those of its folder)."));
                continue;
            }
            if (bytes.length > limits.maxFileBytes()) {
                tooLarge(displayName, path, bytes, limits, problems);
                continue;
            }
            MetadataFile.fromBytes(displayName, bytes, problems).ifPresent(files::add);
        }
    }

    /** A file beyond the limit, at the line and column of its first byte beyond it. */
    private static void tooLarge(String displayName, Path path, byte[] bytes, MetadataLimits limits,
                                 List<MetadataProblem> problems) {
        String read = new String(bytes, 0, (int) limits.maxFileBytes(), StandardCharsets.UTF_8);
        int[] at = YamlDocument.lineAndColumn(read, read.length());
        long size;
        try {
            size = Files.size(path);
        } catch (IOException e) {
            size = bytes.length;
        }
        problems.add(new MetadataProblem(displayName, at[0], at[1], ProblemCode.FILE_TOO_LARGE,
                "The file has " + size + " bytes, more than the " + limits.maxFileBytes()
                        + " a metadata file may have; the limit is crossed here.",
                "split the file or shorten it (move long scripts into .js files next to it); if it must be this "
                        + "large, raise " + MetadataLimits.setting(MetadataLimits.FILE_SETTING) + "."));
    }
}
