package io.relata.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import io.relata.api.model.EntityDefinition;
import io.relata.api.model.FieldDefinition;
import io.relata.api.model.FieldType;
import io.relata.api.model.LocalizedText;
import io.relata.api.model.MetadataModel;
import io.relata.api.model.SourceLocation;
import io.relata.metadata.MetadataProblem;
import io.relata.metadata.ProblemCode;
import io.relata.store.SchemaConflict;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Schema conflicts become metadata problems at the key that changed; orphan requests for used names are refused. */
class SchemaConflictProblemsTest {

    @Test
    void everyKindOfConflictHasAProblemCode() {
        assertThat(Arrays.stream(SchemaConflict.Kind.values()).map(MetadataRuntime::codeOf))
                .doesNotContainNull()
                .allMatch(code -> code.name().startsWith("SCHEMA_"))
                .doesNotHaveDuplicates();
    }

    @Test
    void aConflictIsAProblemAtTheKeyThatChangedWithItsMessageAndFix() {
        SchemaConflict duplicates = new SchemaConflict("account", "phone", SchemaConflict.Kind.DUPLICATE_VALUES, "unique",
                2, List.of("'1' (#1 A, #2 B)"), "Field 'phone' of 'account' cannot become unique: ….",
                "clean these 2 records first.");
        SchemaConflict earlier = new SchemaConflict("account", "code", SchemaConflict.Kind.VALUES_TOO_LONG, "maxLength",
                1, List.of("#1 A (9 characters)"), "Field 'code' …", "shorten ….");

        List<MetadataProblem> problems = MetadataRuntime.conflictProblems(List.of(duplicates, earlier),
                (entity, field, key) -> new SourceLocation("metadata/entities/" + entity + ".yaml",
                        field.equals("phone") ? 30 : 12, key.length()));

        assertThat(problems).containsExactly(
                new MetadataProblem("metadata/entities/account.yaml", 12, 9, ProblemCode.SCHEMA_VALUES_TOO_LONG,
                        "Field 'code' …", "shorten …."),
                new MetadataProblem("metadata/entities/account.yaml", 30, 6, ProblemCode.SCHEMA_DUPLICATE_VALUES,
                        "Field 'phone' of 'account' cannot become unique: ….", "clean these 2 records first."));
    }

    @Test
    void aNameInUseIsRefusedAsConflictAndAnUnknownOneAsNotFound() {
        FieldDefinition name = new FieldDefinition("name", text("Name"), FieldType.TEXT, false, false, false, false,
                true, null, null, null, List.of(), null, null, null, SourceLocation.UNKNOWN);
        EntityDefinition account = new EntityDefinition("account", text("Account"), text("Accounts"), null, "name",
                List.of(name), List.of(), List.of(), SourceLocation.UNKNOWN, null);
        MetadataModel model = new MetadataModel(Map.of("account", account), "r1", Instant.EPOCH);

        assertThat(NotAnOrphanException.of(model, "rec_account", null)).satisfies(e -> {
            assertThat(e.inUse()).isTrue();
            assertThat(e.getMessage()).contains("holds the records of entity 'account'");
        });
        assertThat(NotAnOrphanException.of(model, "rec_account", "name").inUse()).isTrue();
        assertThat(NotAnOrphanException.of(model, "rec_account", "version").inUse()).isTrue();
        assertThat(NotAnOrphanException.of(model, "rec_account", "gone").inUse()).isFalse();
        assertThat(NotAnOrphanException.of(model, "rec_nothing", null)).satisfies(e -> {
            assertThat(e.inUse()).isFalse();
            assertThat(e.getMessage()).isEqualTo("There is no orphan table rec_nothing. GET /api/v1/admin/schema/orphans "
                    + "lists the orphans.");
        });
    }

    private static LocalizedText text(String english) {
        return new LocalizedText(Map.of("en", english));
    }
}
