package io.relata.runtime.files;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.relata.api.model.MetadataModel;
import io.relata.api.record.RecordNotFoundException;
import io.relata.api.security.Actor;
import io.relata.runtime.files.RecordFiles.RefusedException;
import io.relata.runtime.files.RecordFiles.StoredFile;
import io.relata.store.JdbcRecordStore;
import io.relata.store.SecuredRecordStore;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Files of records on H2 and PostgreSQL, with the content in the database and in the data directory: upload and
 * download as who may read and change the record, limits of size and type checked before anything is kept (an image
 * must be one), thumbnails of images, and a deleted record's files going with it.
 */
@ParameterizedClass(name = "{0}, {1}")
@CsvSource({"h2, DATABASE", "h2, DIRECTORY", "postgresql, DATABASE", "postgresql, DIRECTORY"})
class RecordFilesTest {

    private static final Path METADATA = Path.of("../../metadata");
    private static final long MAX_BYTES = 200_000;

    @Parameter(0)
    String databaseKind;

    @Parameter(1)
    RecordFiles.Storage storage;

    @TempDir
    Path directory;

    private final Actor anna = Actor.user(11, "anna", Set.of("sales"), List.of(1L));
    private final Actor ben = Actor.user(12, "ben", Set.of("sales"), List.of(1L));
    private final Actor olga = Actor.user(13, "olga", Set.of("sales"), List.of(2L));

    private io.relata.runtime.TestPlatform platform;
    private MetadataModel model;
    private JdbcRecordStore system;
    private RecordFiles files;
    private long account;
    private long activity;

    @BeforeEach
    void start() throws Exception {
        RecordFiles.Settings settings = new RecordFiles.Settings(storage, directory.resolve("files"), MAX_BYTES,
                Set.of("pdf", "png", "txt"));
        platform = new io.relata.runtime.TestPlatform(databaseKind, List.of(), Clock.systemUTC(),
                p -> (files = new RecordFiles(p.database.dataSource(), settings, () -> p.model, Clock.systemUTC())).hook());
        model = platform.model;
        system = platform.system;
        account = system.create("account", Map.of("name", "ACME"), anna.userId(), anna.primaryTeam()).id();
        activity = system.create("activity", Map.of("subject", "Visit", "type", "visit", "done", true), anna.userId(),
                anna.primaryTeam()).id();
    }

    @AfterEach
    void stop() throws Exception {
        platform.close();
    }

    private SecuredRecordStore as(Actor actor) {
        return platform.as(actor);
    }

    private static InputStream text(String text) {
        return new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8));
    }

    private static byte[] png(int width, int height) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB), "png", out);
        return out.toByteArray();
    }

    private static String content(RecordFiles files, StoredFile file) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        files.copy(file, out);
        return out.toString(StandardCharsets.UTF_8);
    }

    private long storedFiles() throws Exception {
        if (!Files.exists(directory.resolve("files"))) {
            return 0;
        }
        try (Stream<Path> walk = Files.walk(directory.resolve("files"))) {
            return walk.filter(Files::isRegularFile).count();
        }
    }

    @Test
    void whoMayChangeTheRecordAddsFilesAndWhoMayReadItDownloadsThem() throws Exception {
        StoredFile offer = files.add(as(anna), "account", account, null, "C:\\Users\\anna\\Angebot 2027.txt", text("Angebot"));
        assertThat(offer.name()).as("only the name, not the client's path").isEqualTo("Angebot 2027.txt");
        assertThat(offer.contentType()).isEqualTo("text/plain");
        assertThat(offer.size()).isEqualTo(7);
        assertThat(offer.createdBy()).isEqualTo(anna.userId());
        assertThat(files.of(as(anna), "account", account)).extracting(StoredFile::name).containsExactly("Angebot 2027.txt");
        assertThat(storedFiles()).isEqualTo(storage == RecordFiles.Storage.DIRECTORY ? 1 : 0);

        // olga's team does not own the account: she reads it and its files, but may not add any
        assertThat(files.file(as(olga), offer.id())).isPresent();
        assertThat(content(files, files.file(as(olga), offer.id()).orElseThrow())).isEqualTo("Angebot");
        assertThatThrownBy(() -> files.add(as(olga), "account", account, null, "mine.txt", text("x")))
                .isInstanceOfSatisfying(RefusedException.class, e -> {
                    assertThat(e.kind()).isEqualTo(RefusedException.Kind.NOT_ALLOWED);
                    assertThat(e.text().in("de")).contains("nicht ändern");
                });
        assertThatThrownBy(() -> files.delete(as(olga), offer.id())).isInstanceOf(RefusedException.class);

        // anna's activity is hers alone: ben neither lists nor downloads its files
        StoredFile report = files.add(as(anna), "activity", activity, null, "report.pdf", text("%PDF-1.7 report"));
        assertThat(files.file(as(ben), report.id())).isEmpty();
        assertThatThrownBy(() -> files.of(as(ben), "activity", activity)).isInstanceOf(RecordNotFoundException.class);

        files.delete(as(anna), offer.id());
        assertThat(files.of(as(anna), "account", account)).isEmpty();
        assertThat(storedFiles()).isEqualTo(storage == RecordFiles.Storage.DIRECTORY ? 1 : 0);
    }

    @Test
    void tooLargeWrongTypeAndFakeImagesAreRefusedBeforeAnythingIsKept() throws Exception {
        assertThatThrownBy(() -> files.add(as(anna), "account", account, null, "big.txt",
                new ByteArrayInputStream(new byte[(int) MAX_BYTES + 1])))
                .isInstanceOfSatisfying(RefusedException.class, e -> {
                    assertThat(e.kind()).isEqualTo(RefusedException.Kind.TOO_LARGE);
                    assertThat(e.getMessage()).contains("CRM_FILES_MAX_BYTES");
                });
        assertThatThrownBy(() -> files.add(as(anna), "account", account, null, "setup.exe", text("MZ")))
                .isInstanceOfSatisfying(RefusedException.class, e -> {
                    assertThat(e.kind()).isEqualTo(RefusedException.Kind.TYPE_NOT_ALLOWED);
                    assertThat(e.getMessage()).contains(".exe", "pdf, png, txt");
                });
        assertThatThrownBy(() -> files.add(as(anna), "account", account, null, "photo.png", text("MZ not a picture")))
                .isInstanceOfSatisfying(RefusedException.class, e -> assertThat(e.getMessage()).contains("not a PNG"));
        assertThat(files.of(as(anna), "account", account)).isEmpty();
        assertThat(storedFiles()).as("no part file left behind").isZero();
    }

    @Test
    void imagesGetASmallThumbnailAndOnlyReadersSeeIt() throws Exception {
        StoredFile photo = files.add(as(anna), "account", account, null, "site.png", new ByteArrayInputStream(png(800, 400)));
        assertThat(photo.isImage()).isTrue();
        assertThat(photo.hasThumbnail()).isTrue();
        BufferedImage thumbnail = ImageIO.read(new ByteArrayInputStream(files.thumbnail(as(anna), photo.id()).orElseThrow()));
        assertThat(thumbnail.getWidth()).isEqualTo(RecordFiles.THUMBNAIL_SIZE);
        assertThat(thumbnail.getHeight()).isEqualTo(RecordFiles.THUMBNAIL_SIZE / 2);
        StoredFile text = files.add(as(anna), "activity", activity, null, "notes.txt", text("n"));
        assertThat(text.hasThumbnail()).isFalse();
        assertThat(files.thumbnail(as(ben), photo.id())).as("ben reads the account").isPresent();
    }

    @Test
    void aFileFieldHoldsAFileOfItsRecordUploadedForIt() throws Exception {
        long deal = system.create("opportunity", Map.of("name", "Fleet", "account", account, "phase", "qualification"),
                anna.userId(), anna.primaryTeam()).id();
        StoredFile contract = files.addAsValue(as(anna), "opportunity", deal, "signed_contract", "contract.pdf",
                text("%PDF-1.7 signed"));
        assertThat(contract.field()).isEqualTo("signed_contract");
        assertThat(system.get("opportunity", deal).get("signed_contract")).isEqualTo(contract.id());
        assertThat(files.of(as(anna), "opportunity", deal)).extracting(StoredFile::name).containsExactly("contract.pdf");

        // a file of another record, or one not uploaded for the field, is no value for it
        StoredFile elsewhere = files.add(as(anna), "account", account, null, "other.pdf", text("%PDF-1.7 other"));
        StoredFile panelFile = files.add(as(anna), "opportunity", deal, null, "draft.pdf", text("%PDF-1.7 draft"));
        for (StoredFile wrong : List.of(elsewhere, panelFile)) {
            io.relata.api.record.Record current = system.get("opportunity", deal);
            assertThatThrownBy(() -> as(anna).update("opportunity", deal, current.version(), Map.of("signed_contract", wrong.id())))
                    .isInstanceOfSatisfying(io.relata.api.record.ValidationException.class,
                            e -> assertThat(e.getMessage()).contains("not a file of this record"));
        }
        assertThatThrownBy(() -> files.addAsValue(as(anna), "opportunity", deal, "name", "x.pdf", text("%PDF")))
                .isInstanceOf(RefusedException.class);
        assertThat(system.get("opportunity", deal).get("signed_contract")).isEqualTo(contract.id());
    }

    @Test
    void aDeletedRecordsFilesGoWithIt() throws Exception {
        StoredFile report = files.add(as(anna), "activity", activity, null, "report.txt", text("r"));
        files.add(as(anna), "account", account, null, "keep.txt", text("k"));
        system.delete("activity", activity, null);
        assertThat(files.file(as(anna), report.id())).isEmpty();
        assertThat(files.of(as(anna), "account", account)).extracting(StoredFile::name).containsExactly("keep.txt");
        if (storage == RecordFiles.Storage.DIRECTORY) {
            assertThat(storedFiles()).as("on disk until the sweep").isEqualTo(2);
            assertThat(files.sweep()).isEqualTo(1);
        }
        assertThat(storedFiles()).isEqualTo(storage == RecordFiles.Storage.DIRECTORY ? 1 : 0);
    }
}
