package io.relata.metadata;

import static org.assertj.core.api.Assertions.assertThat;

import io.relata.api.model.EntityDefinition;
import io.relata.api.model.FieldDefinition;
import io.relata.api.model.FieldType;
import io.relata.api.model.LocalizedText;
import io.relata.api.model.MetadataModel;
import io.relata.api.model.ReverseReference;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The CRM entities shipped in metadata/entities load without problems and mean what they should. */
class ShippedMetadataTest {

    /** The repository's metadata folder; override with -Drelata.metadata.dir=... */
    static final Path METADATA = Path.of(System.getProperty("relata.metadata.dir", "../../metadata"));

    private static MetadataModel model;

    @BeforeAll
    static void load() throws MetadataException {
        model = new MetadataLoader().load(MetadataFiles.fromDirectory(METADATA));
    }

    @Test
    void shippedEntitiesLoadInFileOrder() {
        assertThat(model.entities().keySet()).containsExactly("account", "activity", "contact", "lead", "opportunity");
        assertThat(model.revision()).matches("[0-9a-f]{12}");
        assertThat(model.loadedAt()).isNotNull();
    }

    @Test
    void everyFieldTypeIsUsedAtLeastOnce() {
        Set<FieldType> used = model.allEntities().stream()
                .flatMap(e -> e.fields().stream()).map(FieldDefinition::type)
                .collect(Collectors.toCollection(() -> EnumSet.noneOf(FieldType.class)));
        assertThat(used).containsExactlyInAnyOrder(FieldType.values());
    }

    @Test
    void everyLabelIsGivenInGermanAndEnglish() {
        for (EntityDefinition entity : model.allEntities()) {
            assertBilingual(entity.name(), entity.label());
            assertBilingual(entity.name(), entity.pluralLabel());
            for (FieldDefinition field : entity.fields()) {
                assertBilingual(entity.name() + "." + field.name(), field.label());
                field.options().forEach(o -> assertBilingual(field.name() + "=" + o.value(), o.label()));
                if (field.help() != null) {
                    assertBilingual(field.name() + " help", field.help());
                }
            }
        }
    }

    @Test
    void contactHasItsFieldsInDisplayOrder() {
        EntityDefinition contact = model.entity("contact").orElseThrow();
        assertThat(contact.label().in("de")).isEqualTo("Ansprechpartner");
        assertThat(contact.icon()).isEqualTo("pi pi-user");
        assertThat(contact.titleField()).isEqualTo("last_name");
        assertThat(contact.fields()).extracting(FieldDefinition::name).containsExactly(
                "salutation", "first_name", "last_name", "email", "phone", "mobile", "position", "account",
                "birthday", "newsletter", "interests");
        FieldDefinition email = contact.field("email").orElseThrow();
        assertThat(email.type()).isEqualTo(FieldType.EMAIL);
        assertThat(email.unique()).isTrue();
        assertThat(email.effectiveMaxLength()).isEqualTo(FieldDefinition.DEFAULT_EMAIL_LENGTH);
        FieldDefinition lastName = contact.field("last_name").orElseThrow();
        assertThat(lastName.required()).isTrue();
        assertThat(lastName.maxLength()).isEqualTo(100);
        assertThat(lastName.location()).isEqualTo(new io.relata.api.model.SourceLocation(
                "../../metadata/entities/contact.yaml", 17, 3));
        assertThat(contact.field("interests").orElseThrow().options()).extracting(o -> o.value())
                .contains("products", "events");
    }

    @Test
    void accountListsItsContactsOpportunitiesAndActivities() {
        List<ReverseReference> reverse = model.reverseReferences("account");
        assertThat(reverse).extracting(r -> r.sourceEntity().name() + "." + r.sourceField().name() + "->" + r.list().name())
                .containsExactly("activity.account->activities", "contact.account->contacts",
                        "opportunity.account->opportunities");
        assertThat(reverse.get(1).list().label().in("de")).isEqualTo("Ansprechpartner");
    }

    @Test
    void everyReferencePointsToAShippedEntity() {
        model.allEntities().stream().flatMap(e -> e.fields().stream())
                .filter(f -> f.type() == FieldType.REFERENCE)
                .forEach(f -> {
                    assertThat(model.entity(f.referenceEntity())).as(f.name()).isPresent();
                    assertThat(f.reverseList()).as(f.name()).isNotNull();
                });
    }

    @Test
    void choiceOptionsOfTheSalesProcessAreComplete() {
        assertThat(model.entity("opportunity").orElseThrow().field("phase").orElseThrow().options())
                .extracting(o -> o.value())
                .containsExactly("qualification", "needs_analysis", "proposal", "negotiation", "won", "lost", "cancelled");
        assertThat(model.entity("lead").orElseThrow().field("status").orElseThrow().options())
                .extracting(o -> o.value())
                .containsExactly("new", "contacted", "qualified", "converted", "disqualified");
        assertThat(model.entity("account").orElseThrow().field("industry").orElseThrow().option("insurance"))
                .isPresent();
    }

    @Test
    void searchableFieldsAreTextualAndEveryEntityHasSome() {
        for (EntityDefinition entity : model.allEntities()) {
            assertThat(entity.searchableFields()).as(entity.name()).isNotEmpty()
                    .allMatch(f -> f.type().isTextual());
            assertThat(entity.listedFields()).as(entity.name()).isNotEmpty();
            assertThat(entity.field(entity.titleField())).as(entity.name()).isPresent();
        }
    }

    private static void assertBilingual(String what, LocalizedText text) {
        assertThat(text.values()).as(what).containsKeys("de", "en");
        assertThat(text.values().values()).as(what).allMatch(v -> !v.isBlank());
    }
}
