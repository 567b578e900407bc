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

    private MetadataProblem onlyReadProblem(byte[] content) throws IOException {
        Path entities = Files.createDirectories(temp.resolve("meta/entities"));
        Files.write(entities.resolve("account.yaml"), content);
        MetadataException e = catchThrowableOfType(MetadataException.class,
                () -> MetadataFiles.fromDirectory(temp.resolve("meta")));
        assertThat(e).as("expected a MetadataException").isNotNull();
        assertThat(e.problems()).hasSize(1);
        assertThat(e.problems().get(0).file()).endsWith("meta/entities/account.yaml");
        return e.problems().get(0);
    }

    @Test
    void aSingleInvalidByteIsReportedAtItsLineAndColumn() throws IOException {
        MetadataProblem problem = onlyReadProblem(new byte[] {'n', 'a', (byte) 0xC3, (byte) 0x28});

        assertThat(problem.code()).isEqualTo("FILE_NOT_UTF8");
        assertThat(problem.line()).isEqualTo(1);
        assertThat(problem.column()).isEqualTo(3);
        assertThat(problem.message()).contains("not UTF-8", "0xC3");
        assertThat(problem.fix()).contains("save it as UTF-8");
    }

    @Test
    void aLatin1FileIsReportedAtItsFirstUmlautCountingCharactersBeforeIt() throws IOException {
        String yaml = "name: account\nlabel: {de: Größe, en: Size}\n";
        MetadataProblem problem = onlyReadProblem(yaml.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));

        assertThat(problem.code()).isEqualTo("FILE_NOT_UTF8");
        assertThat(problem.line()).isEqualTo(2);
        assertThat(problem.column()).isEqualTo(15);
        assertThat(problem.message()).contains("0xF6", "'ö'");
        assertThat(problem.message()).doesNotContain("Exception");
        assertThat(problem.fix()).doesNotContain("permission");
    }

    @Test
    void aBadByteAfterValidUmlautsCountsThemAsOneColumnEach() throws IOException {
        byte[] before = "name: account\nx: äö".getBytes(java.nio.charset.StandardCharsets.UTF_8);
        byte[] content = java.util.Arrays.copyOf(before, before.length + 1);
        content[before.length] = (byte) 0xFF;

        MetadataProblem problem = onlyReadProblem(content);

        assertThat(problem.line()).isEqualTo(2);
        assertThat(problem.column()).isEqualTo(6);
    }

    @Test
    void utf16WithAndWithoutByteOrderMarkIsReportedAsUtf16() throws IOException {
        String yaml = "name: account\nlabel: {en: Account}\n";
        for (java.nio.charset.Charset utf16 : List.of(java.nio.charset.StandardCharsets.UTF_16,
                java.nio.charset.StandardCharsets.UTF_16LE, java.nio.charset.StandardCharsets.UTF_16BE)) {
            MetadataProblem problem = onlyReadProblem(yaml.getBytes(utf16));

            assertThat(problem.code()).as(utf16.name()).isEqualTo("FILE_NOT_UTF8");
            assertThat(problem.line()).isEqualTo(1);
            assertThat(problem.message()).contains("not UTF-8", "UTF-16");
            assertThat(problem.fix()).contains("save it as UTF-8");
        }
    }

    @Test
    void aUtf8ByteOrderMarkIsDropped() throws Exception {
        Path entities = Files.createDirectories(temp.resolve("meta/entities"));
        Files.write(entities.resolve("account.yaml"), ("\uFEFF" + MetadataProblemsTest.ACCOUNT)
                .getBytes(java.nio.charset.StandardCharsets.UTF_8));

        assertThat(MetadataFiles.fromDirectory(temp.resolve("meta")).get(0).content())
                .isEqualTo(MetadataProblemsTest.ACCOUNT);
    }

    @Test
    void aFileBeyondTheSizeLimitIsRefusedWithoutReadingItAll() throws IOException {
        Path entities = Files.createDirectories(temp.resolve("meta/entities"));
        Files.writeString(entities.resolve("account.yaml"), "name: account\n" + "# padding\n".repeat(300_000));

        MetadataException e = catchThrowableOfType(MetadataException.class,
                () -> MetadataFiles.read(List.of(temp.resolve("meta")), MetadataLimits.DEFAULT));

        MetadataProblem problem = e.problems().get(0);
        assertThat(problem.code()).isEqualTo("FILE_TOO_LARGE");
        // 1 MiB = 14 + 104,856 lines of 10 bytes + 10 more: the limit is crossed at line 104,859, column 1
        assertThat(problem.line()).isEqualTo(2 + (1024 * 1024 - 14) / 10);
        assertThat(problem.column()).isEqualTo(1 + (1024 * 1024 - 14) % 10);
        assertThat(problem.fix()).contains("crm.metadata.max.file.kb");
    }

    @Test
    void aFolderThatIsNoKindOfMetadataIsAWarningNamingTheClosestKind() throws Exception {
        Path root = temp.resolve("meta");
        Files.createDirectories(root.resolve("entities"));
        Files.writeString(root.resolve("entities/account.yaml"), MetadataProblemsTest.ACCOUNT);
        Files.createDirectories(root.resolve("entitys"));
        Files.writeString(root.resolve("entitys/contact.yaml"), "name: contact\n");
        Files.createDirectories(root.resolve("role"));
        Files.writeString(root.resolve("role/sales.yaml"), "name: sales\n");
        Files.createDirectories(root.resolve("reports"));
        Files.writeString(root.resolve("reports/pipeline.yaml"), "name: pipeline\n");
        Files.createDirectories(root.resolve("docs"));
        Files.writeString(root.resolve("docs/readme.md"), "not metadata");
        for (String other : List.of("demo", "schema", ".git")) {
            Files.createDirectories(root.resolve(other));
            Files.writeString(root.resolve(other).resolve("x.yaml"), "x: 1\n");
        }

        MetadataFiles.Read read = MetadataFiles.read(List.of(root), MetadataLimits.DEFAULT);
        MetadataLoader.Loaded loaded = new MetadataLoader().loadWithWarnings(read);

        assertThat(read.files()).extracting(MetadataFile::baseName).containsExactly("account");
        assertThat(loaded.warnings()).extracting(MetadataProblem::file).containsExactly(
                root + "/entitys", root + "/reports", root + "/role");
        assertThat(loaded.warnings()).allSatisfy(w -> assertThat(w.code()).isEqualTo("UNKNOWN_FOLDER"));
        assertThat(loaded.warnings().get(0).message()).contains("'entitys'", "1 file is not read");
        assertThat(loaded.warnings().get(0).fix()).startsWith("rename the folder to 'entities'");
        assertThat(loaded.warnings().get(2).fix()).startsWith("rename the folder to 'roles'");
        assertThat(loaded.warnings().get(1).fix()).startsWith("move the files into one of the folders that are read: "
                + "entities, extensions, roles, role-extensions, templates, processes, dialogs, forms");
    }

    @Test
    void rootWithoutEntitiesFolderYieldsNoFiles() throws MetadataException {
        assertThat(MetadataFiles.fromDirectory(temp)).isEmpty();
    }
}
