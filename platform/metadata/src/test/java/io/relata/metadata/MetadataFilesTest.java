package io.relata.metadata;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reading metadata directories from disk. */
class MetadataFilesTest {

    @TempDir
    Path temp;

    @Test
    void readsYamlFilesOfKnownFoldersSortedByName() throws Exception {
        Path entities = Files.createDirectories(temp.resolve("ext/entities"));
        Files.writeString(entities.resolve("zebra.yml"), "name: zebra\n");
        Files.writeString(entities.resolve("alpha.yaml"), "name: alpha\n");
        Files.writeString(entities.resolve("notes.txt"), "ignored");
        Files.createDirectories(temp.resolve("ext/reports"));
        Files.writeString(temp.resolve("ext/reports/pipeline.yaml"), "not: metadata\n");

        List<MetadataFile> files = MetadataFiles.fromDirectory(temp.resolve("ext"));

        assertThat(files).extracting(MetadataFile::displayName).containsExactly(
                temp.resolve("ext") + "/entities/alpha.yaml", temp.resolve("ext") + "/entities/zebra.yml");
        assertThat(files.get(0).content()).isEqualTo("name: alpha\n");
        assertThat(files.get(0).kind()).isEqualTo("entities");
        assertThat(files.get(1).baseName()).isEqualTo("zebra");
    }

    @Test
    void readsEveryKindInOrderWithTheScriptsNextToEntitiesProcessesAndDialogs() throws Exception {
        Path root = temp.resolve("meta");
        for (String kind : List.of("dialogs", "processes", "templates", "roles", "entities")) {
            Files.createDirectories(root.resolve(kind));
            Files.writeString(root.resolve(kind).resolve("a.yaml"), "name: a\n");
            Files.writeString(root.resolve(kind).resolve("a.js"), "true");
        }

        List<MetadataFile> files = MetadataFiles.fromDirectory(root);

        assertThat(files).extracting(f -> root.relativize(Path.of(f.displayName())).toString().replace('\\', '/'))
                .containsExactly("entities/a.js", "entities/a.yaml", "roles/a.yaml", "templates/a.yaml",
                        "processes/a.js", "processes/a.yaml", "dialogs/a.js", "dialogs/a.yaml");
        assertThat(MetadataLoader.KNOWN_KINDS).containsExactlyInAnyOrderElementsOf(MetadataLoader.KIND_ORDER);
    }

    @Test
    void readsRolesNextToEntitiesOfEveryRoot() throws Exception {
        Files.createDirectories(temp.resolve("base/entities"));
        Files.writeString(temp.resolve("base/entities/account.yaml"), "name: account\n");
        Files.createDirectories(temp.resolve("base/roles"));
        Files.writeString(temp.resolve("base/roles/sales.yaml"), "name: sales\n");
        Files.createDirectories(temp.resolve("ext/roles"));
        Files.writeString(temp.resolve("ext/roles/partner_manager.yml"), "name: partner_manager\n");

        List<MetadataFile> files = MetadataFiles.fromDirectories(List.of(temp.resolve("base"), temp.resolve("ext")));

        assertThat(files).extracting(MetadataFile::displayName).containsExactly(
                temp.resolve("base") + "/entities/account.yaml", temp.resolve("base") + "/roles/sales.yaml",
                temp.resolve("ext") + "/roles/partner_manager.yml");
        assertThat(files.get(1).kind()).isEqualTo("roles");
    }

    @Test
    void roleMayGrantOnAnEntityFromAnotherMetadataDirectory() throws Exception {
        Path base = Files.createDirectories(temp.resolve("base/entities")).getParent();
        Files.writeString(base.resolve("entities/account.yaml"), MetadataProblemsTest.ACCOUNT);
        Files.createDirectories(base.resolve("roles"));
        Files.writeString(base.resolve("roles/partner_manager.yaml"), """
                name: partner_manager
                label: {de: Partnerbetreuung, en: Partner management}
                entities:
                  account: {read: all}
                  partner: {create: true, read: all, update: all, fields: {discount: read-only}}
                """);
        Path ext = Files.createDirectories(temp.resolve("ext/entities")).getParent();
        Files.writeString(ext.resolve("entities/partner.yaml"), """
                name: partner
                label: {de: Partner, en: Partner}
                pluralLabel: {de: Partner, en: Partners}
                fields:
                  name: {type: text, label: {en: Name}}
                  discount: {type: decimal, label: {en: Discount}}
                """);

        var model = new MetadataLoader().loadDirectories(List.of(base, ext));

        var grant = model.role("partner_manager").orElseThrow().grant("partner").orElseThrow();
        assertThat(grant.update()).isEqualTo(io.relata.api.security.AccessScope.ALL);
        assertThat(grant.fieldAccess("discount")).isEqualTo(io.relata.api.security.FieldAccess.READ_ONLY);
        assertThat(grant.location().file()).isEqualTo(base + "/roles/partner_manager.yaml");
    }

    @Test
    void revisionCoversRoleFiles() throws Exception {
        Files.createDirectories(temp.resolve("meta/entities"));
        Files.writeString(temp.resolve("meta/entities/account.yaml"), MetadataProblemsTest.ACCOUNT);
        Files.createDirectories(temp.resolve("meta/roles"));
        Path role = temp.resolve("meta/roles/sales.yaml");
        Files.writeString(role, RoleProblemsTest.SALES);
        MetadataLoader loader = new MetadataLoader();
        String before = loader.loadDirectories(List.of(temp.resolve("meta"))).revision();

        Files.writeString(role, RoleProblemsTest.SALES.replace("update: team", "update: own"));

        assertThat(loader.loadDirectories(List.of(temp.resolve("meta"))).revision()).isNotEqualTo(before);
    }

    @Test
    void displayNameKeepsTheRootAsGiven() throws MetadataException {
        List<MetadataFile> files = MetadataFiles.fromDirectory(ShippedMetadataTest.METADATA);
        assertThat(files).first().extracting(MetadataFile::displayName)
                .isEqualTo("../../metadata/entities/account.yaml");
    }

    @Test
    void missingDirectoriesAreReportedTogetherAsProblems() throws IOException {
        Files.createDirectories(temp.resolve("present/entities"));
        MetadataException e = catchThrowableOfType(MetadataException.class, () -> MetadataFiles.fromDirectories(List.of(
                temp.resolve("missing-one"), temp.resolve("present"), temp.resolve("missing-two"))));
        assertThat(e.problems()).hasSize(2).allSatisfy(p -> {
            assertThat(p.code()).isEqualTo("METADATA_DIRECTORY_MISSING");
            assertThat(p.line()).isZero();
            assertThat(p.message()).contains("does not exist");
            assertThat(p.fix()).contains("create the directory");
        });
        assertThat(e.problems().get(0).file()).isEqualTo(temp.resolve("missing-one").toString());
        assertThat(e.getMessage()).startsWith("2 problem(s) in metadata:\n" + temp.resolve("missing-one")
                + ": [METADATA_DIRECTORY_MISSING]");
    }

    @Test
    void fileThatIsNotUtf8IsReportedAsUnreadable() throws IOException {
        Path entities = Files.createDirectories(temp.resolve("meta/entities"));
        Files.write(entities.resolve("account.yaml"), new byte[] {'n', 'a', (byte) 0xC3, (byte) 0x28});
        MetadataException e = catchThrowableOfType(MetadataException.class,
                () -> MetadataFiles.fromDirectory(temp.resolve("meta")));
        assertThat(e.problems()).singleElement().satisfies(p -> {
            assertThat(p.code()).isEqualTo("METADATA_FILE_UNREADABLE");
            assertThat(p.file()).endsWith("meta/entities/account.yaml");
            assertThat(p.fix()).contains("UTF-8");
        });
    }

    @Test
    void rootWithoutEntitiesFolderYieldsNoFiles() throws MetadataException {
        assertThat(MetadataFiles.fromDirectory(temp)).isEmpty();
    }
}
