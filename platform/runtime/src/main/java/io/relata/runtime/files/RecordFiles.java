package io.relata.runtime.files;

import io.relata.api.model.LocalizedText;
import io.relata.api.record.Record;
import io.relata.api.record.RecordNotFoundException;
import io.relata.store.RecordWriteHook;
import io.relata.store.SecuredRecordStore;
import io.relata.store.access.AccessExplanation;
import io.relata.api.security.FieldAccess;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import javax.sql.DataSource;

/**
 * Files of records: offers, contracts, photos, ID documents, in the files panel of any record or as the value of a
 * file field. Who may read the record may list and download its files; who may change it may add and delete them
 * (a file field's files also need the field visible, and writable to change). Uploads are checked before anything is
 * kept: size, type by the name's extension and, for images and PDFs, by their first bytes; an image gets a small PNG
 * thumbnail. The content lives in the database or in the data directory ({@link Storage}); a deleted record's files
 * go with it (rows in the delete's transaction, files in the directory by {@link #sweep()}).
 */
public final class RecordFiles {

    /** Where new files' content is kept; files already stored stay where they are. */
    public enum Storage {
        DATABASE("database"), DIRECTORY("directory");

        private final String setting;

        Storage(String setting) {
            this.setting = setting;
        }

        public String setting() {
            return setting;
        }

        public static Storage of(String setting) {
            return setting.equals(DIRECTORY.setting) ? DIRECTORY : DATABASE;
        }
    }

    /** The settings: where content goes, the directory for {@link Storage#DIRECTORY}, the largest file, the types. */
    public record Settings(Storage storage, Path directory, long maxBytes, Set<String> extensions) {
        public Settings {
            extensions = Set.copyOf(extensions);
        }
    }

    /** A stored file's description (not its content). {@code field}: the file field it is the value of, or null. */
    public record StoredFile(long id, String entity, long recordId, String field, String name, String contentType,
                             long size, boolean hasThumbnail, OffsetDateTime createdAt, Long createdBy) {
        public boolean isImage() {
            return contentType.startsWith("image/");
        }
    }

    /** Why an upload or a change was refused; the text in German and English says what to do. */
    public static final class RefusedException extends RuntimeException {
        /** The kind, for the status an API answers with. */
        public enum Kind { TOO_LARGE, TYPE_NOT_ALLOWED, NOT_ALLOWED, NOT_FOUND }

        private final Kind kind;
        private final LocalizedText text;

        RefusedException(Kind kind, LocalizedText text) {
            super(text.in(LocalizedText.FALLBACK_LANGUAGE));
            this.kind = kind;
            this.text = text;
        }

        public Kind kind() {
            return kind;
        }

        public LocalizedText text() {
            return text;
        }
    }

    static final int THUMBNAIL_SIZE = 160;
    /** Images larger than this many pixels get no thumbnail: decoding them would take hundreds of megabytes. */
    static final long MAX_THUMBNAIL_SOURCE_PIXELS = 40_000_000L;
    private static final Map<String, String> TYPES = Map.ofEntries(
            Map.entry("pdf", "application/pdf"), Map.entry("png", "image/png"), Map.entry("jpg", "image/jpeg"),
            Map.entry("jpeg", "image/jpeg"), Map.entry("gif", "image/gif"), Map.entry("webp", "image/webp"),
            Map.entry("txt", "text/plain"), Map.entry("csv", "text/csv"), Map.entry("eml", "message/rfc822"),
            Map.entry("msg", "application/vnd.ms-outlook"), Map.entry("zip", "application/zip"),
            Map.entry("doc", "application/msword"), Map.entry("xls", "application/vnd.ms-excel"),
            Map.entry("ppt", "application/vnd.ms-powerpoint"),
            Map.entry("docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
            Map.entry("xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
            Map.entry("pptx", "application/vnd.openxmlformats-officedocument.presentationml.presentation"),
            Map.entry("odt", "application/vnd.oasis.opendocument.text"),
            Map.entry("ods", "application/vnd.oasis.opendocument.spreadsheet"));
    private static final String COLUMNS = "id, entity, record_id, field, name, content_type, size_bytes, "
            + "thumbnail IS NOT NULL, created_at, created_by";

    private final DataSource dataSource;
    private final Settings settings;
    private final java.util.function.Supplier<io.relata.api.model.MetadataModel> models;
    private final Clock clock;

    public RecordFiles(DataSource dataSource, Settings settings, java.util.function.Supplier<io.relata.api.model.MetadataModel> models,
                       Clock clock) {
        this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
        this.models = Objects.requireNonNull(models, "models");
        this.settings = Objects.requireNonNull(settings, "settings");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    public Settings settings() {
        return settings;
    }

    /** The content type a file of this name is stored and sent with. */
    public static String contentTypeOf(String name) {
        return TYPES.getOrDefault(extension(name), "application/octet-stream");
    }

    // ---- reading

    /** The files of the record (panel files and file fields' files the reader sees), newest first. */
    public List<StoredFile> of(SecuredRecordStore records, String entity, long recordId) {
        Record record = readable(records, entity, recordId);
        return sql(c -> {
            try (PreparedStatement query = c.prepareStatement("SELECT " + COLUMNS
                    + " FROM crm_file WHERE entity = ? AND record_id = ? ORDER BY created_at DESC, id DESC")) {
                query.setString(1, entity);
                query.setLong(2, recordId);
                return read(query).stream().filter(f -> f.field() == null || record.values().containsKey(f.field())).toList();
            }
        });
    }

    /** The files of many records of one entity, as the timeline shows them; the reader has read the records. */
    public List<StoredFile> ofRecords(String entity, Collection<Long> recordIds, java.util.function.Predicate<String> seesField,
                                      int limit) {
        if (recordIds.isEmpty()) {
            return List.of();
        }
        return sql(c -> {
            String marks = String.join(", ", java.util.Collections.nCopies(recordIds.size(), "?"));
            try (PreparedStatement query = c.prepareStatement("SELECT " + COLUMNS + " FROM crm_file WHERE entity = ? AND "
                    + "record_id IN (" + marks + ") ORDER BY created_at DESC, id DESC")) {
                query.setString(1, entity);
                int index = 2;
                for (Long id : recordIds) {
                    query.setLong(index++, id);
                }
                query.setMaxRows(limit);
                return read(query).stream().filter(f -> f.field() == null || seesField.test(f.field())).toList();
            }
        });
    }

    /** The names of files by id, for the cells of records the reader reads (a file field's value). */
    public Map<Long, String> names(Collection<Long> ids) {
        if (ids.isEmpty()) {
            return Map.of();
        }
        return sql(c -> {
            String marks = String.join(", ", java.util.Collections.nCopies(ids.size(), "?"));
            Map<Long, String> names = new java.util.HashMap<>();
            try (PreparedStatement query = c.prepareStatement("SELECT id, name FROM crm_file WHERE id IN (" + marks + ")")) {
                int index = 1;
                for (Long id : ids) {
                    query.setLong(index++, id);
                }
                try (ResultSet rs = query.executeQuery()) {
                    while (rs.next()) {
                        names.put(rs.getLong(1), rs.getString(2));
                    }
                }
            }
            return names;
        });
    }

    /** The file, if the reader may read its record (and see its field). */
    public Optional<StoredFile> file(SecuredRecordStore records, long id) {
        Optional<StoredFile> file = described(id);
        if (file.isEmpty()) {
            return Optional.empty();
        }
        Optional<Record> record;
        try {
            record = records.find(file.get().entity(), file.get().recordId());
        } catch (io.relata.api.record.UnknownEntityException e) {
            return Optional.empty(); // an entity the reader's roles do not show: its files are not there for them
        }
        return record.isPresent() && (file.get().field() == null || record.get().values().containsKey(file.get().field()))
                ? file : Optional.empty();
    }

    /** Writes the file's content to {@code out} (streamed from the directory; from the database as the driver reads). */
    public void copy(StoredFile file, OutputStream out) throws IOException {
        Path onDisk = pathOf(file.id());
        if (Files.exists(onDisk)) {
            Files.copy(onDisk, out);
            return;
        }
        try (Connection c = dataSource.getConnection();
             PreparedStatement query = c.prepareStatement("SELECT content FROM crm_file WHERE id = ?")) {
            query.setLong(1, file.id());
            try (ResultSet rs = query.executeQuery()) {
                if (rs.next()) {
                    try (InputStream content = rs.getBinaryStream(1)) {
                        if (content != null) {
                            content.transferTo(out);
                        }
                    }
                }
            }
        } catch (SQLException e) {
            throw new IOException("Could not read file " + file.id() + ": " + e.getMessage(), e);
        }
    }

    /** The PNG thumbnail of an image file the reader may read. */
    public Optional<byte[]> thumbnail(SecuredRecordStore records, long id) {
        if (file(records, id).filter(StoredFile::hasThumbnail).isEmpty()) {
            return Optional.empty();
        }
        return sql(c -> {
            try (PreparedStatement query = c.prepareStatement("SELECT thumbnail FROM crm_file WHERE id = ?")) {
                query.setLong(1, id);
                try (ResultSet rs = query.executeQuery()) {
                    return rs.next() ? Optional.ofNullable(rs.getBytes(1)) : Optional.<byte[]>empty();
                }
            }
        });
    }

    // ---- writing

    /**
     * Adds a file to the record ({@code field}: as the value of that file field; null: to its files panel) from
     * {@code content}, as the writer's change: refused before anything is kept if the writer may not change the
     * record (or the field), the name's type is not allowed, the content is larger than allowed or not what its
     * name says.
     */
    public StoredFile add(SecuredRecordStore records, String entity, long recordId, String field, String name,
                          InputStream content) {
        requireChangeable(records, entity, recordId, field);
        String cleanName = cleanName(name);
        String extension = extension(cleanName);
        if (!settings.extensions().contains(extension)) {
            throw new RefusedException(RefusedException.Kind.TYPE_NOT_ALLOWED, LocalizedText.format(
                    "Dateien der Art \".{0}\" sind nicht erlaubt; erlaubt sind: {1} (Einstellung CRM_FILES_TYPES)",
                    "Files of the type \".{0}\" are not allowed; allowed are: {1} (setting CRM_FILES_TYPES)",
                    extension.isEmpty() ? "?" : extension, String.join(", ", settings.extensions().stream().sorted().toList())));
        }
        Path temporary = null;
        try {
            Files.createDirectories(settings.directory());
            temporary = Files.createTempFile(settings.directory(), "upload-", ".part");
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            long size;
            try (OutputStream out = new DigestOutputStream(Files.newOutputStream(temporary), sha)) {
                size = copyAtMost(content, out, settings.maxBytes());
            }
            String contentType = contentTypeOf(cleanName);
            checkContent(temporary, extension, contentType);
            byte[] thumbnail = contentType.startsWith("image/") ? thumbnail(temporary).orElse(null) : null;
            String digest = HexFormat.of().formatHex(sha.digest());
            long id = insert(entity, recordId, field, cleanName, contentType, size, digest, temporary, thumbnail,
                    actorId(records));
            if (settings.storage() == Storage.DIRECTORY) {
                Files.createDirectories(pathOf(id).getParent());
                Files.move(temporary, pathOf(id), StandardCopyOption.ATOMIC_MOVE);
                temporary = null;
            }
            return described(id).orElseThrow();
        } catch (IOException e) {
            throw new UncheckedIOException("Could not store the file: " + e.getMessage(), e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
        } finally {
            if (temporary != null) {
                try {
                    Files.deleteIfExists(temporary);
                } catch (IOException e) {
                    // a left-over part file is removed by the next sweep
                }
            }
        }
    }

    /**
     * Adds a file as the value of the record's file field {@code field} and sets the field to it, both as the writer's
     * change (the field's previous file stays among the record's files).
     */
    public StoredFile addAsValue(SecuredRecordStore records, String entity, long recordId, String field, String name,
                                 InputStream content) {
        boolean fileField = models.get().entity(entity).flatMap(e -> e.field(field))
                .map(f -> f.type() == io.relata.api.model.FieldType.FILE).orElse(false);
        if (!fileField) {
            throw new RefusedException(RefusedException.Kind.NOT_FOUND, LocalizedText.format(
                    "{0} hat kein Dateifeld {1}", "{0} has no file field {1}", entity, field));
        }
        StoredFile file = add(records, entity, recordId, field, name, content);
        Record record = records.get(entity, recordId);
        records.update(entity, recordId, record.version(), java.util.Collections.singletonMap(field, file.id()));
        return file;
    }

    /** Deletes a file of a record the writer may change. */
    public void delete(SecuredRecordStore records, long id) {
        StoredFile file = file(records, id).orElseThrow(() -> notFound(id));
        requireChangeable(records, file.entity(), file.recordId(), file.field());
        sql(c -> {
            try (PreparedStatement delete = c.prepareStatement("DELETE FROM crm_file WHERE id = ?")) {
                delete.setLong(1, id);
                return delete.executeUpdate();
            }
        });
        try {
            Files.deleteIfExists(pathOf(id));
        } catch (IOException e) {
            // the row is gone; the sweep removes the file
        }
    }

    /**
     * Checks every write's file fields (the value must be a file of this record uploaded for the field: one cannot
     * point at another record's file) and deletes the rows of a deleted record's files in the delete's transaction.
     */
    public RecordWriteHook hook() {
        return new RecordWriteHook() {
            @Override
            public void checking(Check check) throws SQLException {
                for (io.relata.api.model.FieldDefinition field : check.entity().fields()) {
                    if (field.type() != io.relata.api.model.FieldType.FILE || !check.changedByWriter(field.name())
                            || !(check.values().get(field.name()) instanceof Long fileId)) {
                        continue;
                    }
                    boolean ours = false;
                    if (!check.isNew()) {
                        try (PreparedStatement query = check.connection().prepareStatement(
                                "SELECT 1 FROM crm_file WHERE id = ? AND entity = ? AND record_id = ? AND field = ?")) {
                            query.setLong(1, fileId);
                            query.setString(2, check.entity().name());
                            query.setLong(3, check.current().id());
                            query.setString(4, field.name());
                            try (ResultSet rs = query.executeQuery()) {
                                ours = rs.next();
                            }
                        }
                    }
                    if (!ours) {
                        check.error(field.name(), "not_a_file_of_the_record", LocalizedText.format(
                                "{0} ist keine Datei dieses Datensatzes für dieses Feld: laden Sie die Datei im Bereich "
                                        + "Dateien des Datensatzes für das Feld hoch",
                                "{0} is not a file of this record for this field: upload the file in the record's Files "
                                        + "panel for the field", fileId));
                    }
                }
            }

            @Override
            public void written(Written written) throws SQLException {
                if (written.after() != null || written.before() == null) {
                    return;
                }
                try (PreparedStatement delete = written.connection().prepareStatement(
                        "DELETE FROM crm_file WHERE entity = ? AND record_id = ?")) {
                    delete.setString(1, written.entity().name());
                    delete.setLong(2, written.before().id());
                    delete.executeUpdate();
                }
            }
        };
    }

    /**
     * Removes files of the directory that no row names any more (their record was deleted) and part files of uploads
     * that did not finish; returns how many. Cheap when there is nothing to do: one query for the ids in the folder.
     */
    public int sweep() {
        Path root = settings.directory();
        if (!Files.isDirectory(root)) {
            return 0;
        }
        List<Path> candidates = new ArrayList<>();
        try (Stream<Path> walk = Files.walk(root, 2)) {
            walk.filter(Files::isRegularFile).forEach(candidates::add);
        } catch (IOException e) {
            return 0;
        }
        Set<Long> ids = new HashSet<>();
        for (Path path : candidates) {
            idOf(path).ifPresent(ids::add);
        }
        Set<Long> kept = ids.isEmpty() ? Set.of() : sql(c -> {
            Set<Long> found = new HashSet<>();
            try (Statement query = c.createStatement();
                 ResultSet rs = query.executeQuery("SELECT id FROM crm_file WHERE stored_in = 'directory'")) {
                while (rs.next()) {
                    found.add(rs.getLong(1));
                }
            }
            return found;
        });
        int removed = 0;
        java.time.Instant stale = clock.instant().minus(java.time.Duration.ofHours(1));
        for (Path path : candidates) {
            Optional<Long> id = idOf(path);
            try {
                boolean orphan = id.isPresent() && !kept.contains(id.get());
                boolean leftOver = path.getFileName().toString().endsWith(".part")
                        && Files.getLastModifiedTime(path).toInstant().isBefore(stale);
                if ((orphan || leftOver) && Files.deleteIfExists(path)) {
                    removed++;
                }
            } catch (IOException e) {
                // tried again by the next sweep
            }
        }
        return removed;
    }

    // ---- checks

    private static Record readable(SecuredRecordStore records, String entity, long recordId) {
        return records.find(entity, recordId).orElseThrow(() -> new RecordNotFoundException(entity, recordId));
    }

    private static void requireChangeable(SecuredRecordStore records, String entity, long recordId, String field) {
        readable(records, entity, recordId);
        AccessExplanation access = records.explain(entity, recordId);
        boolean fieldWritable = field == null || !access.fieldsWith(FieldAccess.READ_ONLY).contains(field)
                && !access.fieldsWith(FieldAccess.HIDDEN).contains(field);
        if (!access.canUpdate() || !fieldWritable) {
            throw new RefusedException(RefusedException.Kind.NOT_ALLOWED, LocalizedText.format(
                    "Sie dürfen diesen Datensatz nicht ändern und daher keine Dateien hinzufügen oder löschen",
                    "You may not change this record, so you cannot add or delete its files"));
        }
    }

    private static RefusedException notFound(long id) {
        return new RefusedException(RefusedException.Kind.NOT_FOUND, LocalizedText.format("Keine Datei {0}",
                "No file {0}", id));
    }

    private static long copyAtMost(InputStream in, OutputStream out, long max) throws IOException {
        byte[] buffer = new byte[64 * 1024];
        long total = 0;
        for (int read; (read = in.read(buffer)) != -1; ) {
            total += read;
            if (total > max) {
                throw new RefusedException(RefusedException.Kind.TOO_LARGE, LocalizedText.format(
                        "Die Datei ist größer als {0} MB, das Höchste, was dieses CRM annimmt (Einstellung CRM_FILES_MAX_BYTES)",
                        "The file is larger than {0} MB, the most this CRM accepts (setting CRM_FILES_MAX_BYTES)",
                        String.format(Locale.ROOT, "%.1f", max / 1_048_576.0)));
            }
            out.write(buffer, 0, read);
        }
        return total;
    }

    /** An image must be one, a PDF must start as one: a renamed executable is not kept as a photo. */
    private static void checkContent(Path file, String extension, String contentType) throws IOException {
        byte[] head = new byte[8];
        int read;
        try (InputStream in = Files.newInputStream(file)) {
            read = in.readNBytes(head, 0, head.length);
        }
        boolean fits = switch (extension) {
            case "pdf" -> read >= 4 && head[0] == '%' && head[1] == 'P' && head[2] == 'D' && head[3] == 'F';
            case "png" -> read >= 4 && (head[0] & 0xff) == 0x89 && head[1] == 'P' && head[2] == 'N' && head[3] == 'G';
            case "jpg", "jpeg" -> read >= 3 && (head[0] & 0xff) == 0xFF && (head[1] & 0xff) == 0xD8 && (head[2] & 0xff) == 0xFF;
            case "gif" -> read >= 4 && head[0] == 'G' && head[1] == 'I' && head[2] == 'F' && head[3] == '8';
            case "webp" -> read >= 4 && head[0] == 'R' && head[1] == 'I' && head[2] == 'F' && head[3] == 'F';
            default -> true;
        };
        if (!fits) {
            throw new RefusedException(RefusedException.Kind.TYPE_NOT_ALLOWED, LocalizedText.format(
                    "Der Inhalt ist keine {0}-Datei, wie ihr Name sagt", "The content is not a {0} file as its name says",
                    extension.toUpperCase(Locale.ROOT)));
        }
    }

    /** A PNG of at most {@value #THUMBNAIL_SIZE} pixels a side; none for what Java cannot read or is too large. */
    static Optional<byte[]> thumbnail(Path image) {
        try (ImageInputStream in = ImageIO.createImageInputStream(image.toFile())) {
            Iterator<ImageReader> readers = in == null ? java.util.Collections.emptyIterator() : ImageIO.getImageReaders(in);
            if (!readers.hasNext()) {
                return Optional.empty();
            }
            ImageReader reader = readers.next();
            try {
                reader.setInput(in, true, true);
                long pixels = (long) reader.getWidth(0) * reader.getHeight(0);
                if (pixels <= 0 || pixels > MAX_THUMBNAIL_SOURCE_PIXELS) {
                    return Optional.empty();
                }
                BufferedImage source = reader.read(0);
                double scale = Math.min(1.0, (double) THUMBNAIL_SIZE / Math.max(source.getWidth(), source.getHeight()));
                int width = Math.max(1, (int) Math.round(source.getWidth() * scale));
                int height = Math.max(1, (int) Math.round(source.getHeight() * scale));
                BufferedImage small = new BufferedImage(width, height, BufferedImage.TYPE_INT_ARGB);
                Graphics2D graphics = small.createGraphics();
                graphics.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
                graphics.drawImage(source, 0, 0, width, height, null);
                graphics.dispose();
                ByteArrayOutputStream png = new ByteArrayOutputStream();
                ImageIO.write(small, "png", png);
                return Optional.of(png.toByteArray());
            } finally {
                reader.dispose();
            }
        } catch (IOException | RuntimeException e) {
            return Optional.empty(); // a broken image is kept as a file, without a preview
        }
    }

    // ---- rows

    private long insert(String entity, long recordId, String field, String name, String contentType, long size,
                        String sha256, Path content, byte[] thumbnail, Long createdBy) {
        return sql(c -> {
            try (PreparedStatement insert = c.prepareStatement("INSERT INTO crm_file (entity, record_id, field, name, "
                    + "content_type, size_bytes, sha256, stored_in, content, thumbnail, created_at, created_by) "
                    + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", Statement.RETURN_GENERATED_KEYS);
                 InputStream stream = settings.storage() == Storage.DATABASE ? Files.newInputStream(content) : null) {
                insert.setString(1, entity);
                insert.setLong(2, recordId);
                insert.setString(3, field);
                insert.setString(4, name);
                insert.setString(5, contentType);
                insert.setLong(6, size);
                insert.setString(7, sha256);
                insert.setString(8, settings.storage().setting());
                if (stream != null) {
                    insert.setBinaryStream(9, stream, size);
                } else {
                    insert.setNull(9, java.sql.Types.BINARY);
                }
                if (thumbnail != null) {
                    insert.setBytes(10, thumbnail);
                } else {
                    insert.setNull(10, java.sql.Types.BINARY);
                }
                insert.setObject(11, OffsetDateTime.now(clock));
                if (createdBy != null) {
                    insert.setLong(12, createdBy);
                } else {
                    insert.setNull(12, java.sql.Types.BIGINT);
                }
                insert.executeUpdate();
                try (ResultSet keys = insert.getGeneratedKeys()) {
                    keys.next();
                    return keys.getLong(1);
                }
            } catch (IOException e) {
                throw new SQLException("could not read the upload: " + e.getMessage(), e);
            }
        });
    }

    private Optional<StoredFile> described(long id) {
        return sql(c -> {
            try (PreparedStatement query = c.prepareStatement("SELECT " + COLUMNS + " FROM crm_file WHERE id = ?")) {
                query.setLong(1, id);
                return read(query).stream().findFirst();
            }
        });
    }

    private static List<StoredFile> read(PreparedStatement query) throws SQLException {
        List<StoredFile> files = new ArrayList<>();
        try (ResultSet rs = query.executeQuery()) {
            while (rs.next()) {
                long createdBy = rs.getLong(10);
                files.add(new StoredFile(rs.getLong(1), rs.getString(2), rs.getLong(3), rs.getString(4), rs.getString(5),
                        rs.getString(6), rs.getLong(7), rs.getBoolean(8), rs.getObject(9, OffsetDateTime.class),
                        rs.wasNull() ? null : createdBy));
            }
        }
        return files;
    }

    /** The writer's user id; null for the platform's own work. */
    private static Long actorId(SecuredRecordStore records) {
        io.relata.api.security.Actor actor = records.policy().actor();
        return actor.system() ? null : actor.userId();
    }

    private Path pathOf(long id) {
        // a hundred files per folder level keeps folders small however many files there are
        return settings.directory().resolve(String.format(Locale.ROOT, "%02d", id % 100)).resolve(Long.toString(id));
    }

    private static Optional<Long> idOf(Path path) {
        try {
            return Optional.of(Long.parseLong(path.getFileName().toString()));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    private static String cleanName(String name) {
        String base = name == null ? "" : name.replace('\\', '/');
        base = base.substring(base.lastIndexOf('/') + 1).replaceAll("[\\p{Cntrl}\"]", "").strip();
        if (base.isEmpty()) {
            base = "file";
        }
        return base.length() > 200 ? base.substring(base.length() - 200) : base;
    }

    private static String extension(String name) {
        int dot = name == null ? -1 : name.lastIndexOf('.');
        return dot < 0 ? "" : name.substring(dot + 1).toLowerCase(Locale.ROOT);
    }

    private interface Work<T> {
        T run(Connection connection) throws SQLException;
    }

    private <T> T sql(Work<T> work) {
        try (Connection connection = dataSource.getConnection()) {
            return work.run(connection);
        } catch (SQLException e) {
            throw new IllegalStateException("Could not read or write files: " + e.getMessage(), e);
        }
    }
}
