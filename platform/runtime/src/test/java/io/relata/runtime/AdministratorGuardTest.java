package io.relata.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import io.relata.api.model.MetadataModel;
import io.relata.metadata.MetadataFile;
import io.relata.metadata.MetadataLoader;
import io.relata.metadata.MetadataProblem;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** A model under which no user who may log in keeps the administration rights is refused, at the right place. */
class AdministratorGuardTest {

    private static final Path ROOT = Path.of("metadata");
    private static final MetadataFile NOTE = new MetadataFile("metadata/entities/note.yaml", """
            name: note
            label: {de: Notiz, en: Note}
            pluralLabel: {de: Notizen, en: Notes}
            fields:
              title: {type: text, label: {de: Titel, en: Title}}
            """);

    private static MetadataFile role(String name, boolean administrator) {
        return new MetadataFile("metadata/roles/" + name + ".yaml", "name: " + name + "\n"
                + "label: {de: " + name + ", en: " + name + "}\n"
                + (administrator ? "administrator: true\n" : "administrator: false\nentities:\n  note: {read: all}\n"));
    }

    private static MetadataModel load(MetadataFile... roles) throws Exception {
        List<MetadataFile> files = new ArrayList<>(List.of(NOTE));
        files.addAll(List.of(roles));
        return new MetadataLoader().load(files);
    }

    @Test
    void takingTheFlagFromTheOnlyAdministratorRoleIsRefusedAtThatKey() throws Exception {
        MetadataModel previous = load(role("administrator", true), role("sales", false));
        MetadataFile demoted = role("administrator", false);
        MetadataModel candidate = load(demoted, role("sales", false));

        Optional<MetadataProblem> problem = AdministratorGuard.check(candidate, previous,
                List.of(Set.of("administrator"), Set.of("sales")), List.of(NOTE, demoted), ROOT);

        assertThat(problem).hasValueSatisfying(p -> {
            assertThat(p.file()).isEqualTo("metadata/roles/administrator.yaml");
            assertThat(p.line()).isEqualTo(3);
            assertThat(p.code()).isEqualTo("ADMINISTRATORS_LOCKED_OUT");
            assertThat(p.message()).contains("role 'administrator' no longer has 'administrator: true'");
            assertThat(p.fix()).contains("keep 'administrator: true'");
        });
    }

    @Test
    void deletingTheAdministratorRoleFileIsRefusedNamingTheFile() throws Exception {
        MetadataModel previous = load(role("administrator", true), role("sales", false));
        MetadataModel candidate = load(role("sales", false));

        Optional<MetadataProblem> problem = AdministratorGuard.check(candidate, previous,
                List.of(Set.of("administrator")), List.of(NOTE), ROOT);

        assertThat(problem).hasValueSatisfying(p -> {
            assertThat(p.file()).isEqualTo("metadata/roles/administrator.yaml");
            assertThat(p.line()).isZero();
            assertThat(p.message()).contains("'administrator' held by the administrators no longer exists");
            assertThat(p.fix()).contains("restore the file of role 'administrator'");
        });
    }

    @Test
    void aModelIsAcceptedWhileSomeActiveUserKeepsAnAdministratorRole() throws Exception {
        MetadataModel previous = load(role("administrator", true), role("chief", false));
        MetadataModel candidate = load(role("administrator", false), role("chief", true));

        assertThat(AdministratorGuard.check(candidate, previous, List.of(Set.of("administrator"), Set.of("chief")),
                List.of(), ROOT)).isEmpty();
        assertThat(AdministratorGuard.check(candidate, previous, List.of(Set.of("administrator")), List.of(), ROOT))
                .isPresent();
    }

    @Test
    void beforeTheFirstUserExistsTheBootstrapAdministratorRoleMustBeAnAdministrator() throws Exception {
        assertThat(AdministratorGuard.check(load(role("administrator", true)), null, List.of(), List.of(), ROOT))
                .isEmpty();
        assertThat(AdministratorGuard.check(load(role("sales", false)), null, List.of(), List.of(), ROOT))
                .hasValueSatisfying(p -> assertThat(p.file()).isEqualTo("metadata/roles/administrator.yaml"));
    }
}
