package io.relata.admin.designer;

import static org.assertj.core.api.Assertions.assertThat;

import io.relata.api.model.EntityDefinition;
import io.relata.api.model.FieldDefinition;
import io.relata.api.model.FieldType;
import io.relata.api.model.MetadataModel;
import io.relata.metadata.MetadataFile;
import io.relata.metadata.MetadataFiles;
import io.relata.metadata.MetadataLoader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The designer's edits as site-layer YAML, loaded by the real loader on the shipped metadata: overlays for the core's
 * entities (the core file untouched), full files for the site's own.
 */
class EntityDesignTest {

    private static final Path CORE = Path.of("../metadata");

    private static MetadataModel load(MetadataFile... site) throws Exception {
        List<MetadataFile> files = new ArrayList<>(MetadataFiles.fromDirectory(CORE));
        files.addAll(List.of(site));
        return new MetadataLoader().load(files);
    }

    private static MetadataFile site(String path, String yaml) {
        return new MetadataFile("site/" + path, yaml);
    }

    @Test
    void aCoreEntityIsChangedByAnOverlayThatReadsLikeAHandWrittenOne() throws Exception {
        EntityDefinition account = load().entity("account").orElseThrow();
        EntityDesign design = EntityDesign.of(account, false, null);
        design.relabel("employees", "Beschäftigte", "Staff");
        design.set("employees", EntityDesign.Flag.REQUIRED, true);
        design.set("city", EntityDesign.Flag.LISTED, false);
        design.move("city", -100);
        design.addField("vat_id", EntityDesign.field(new EntityDesign.NewField("text", "USt-IdNr.", "VAT ID", false, true,
                List.of(), null, null, null, null, null, null, 20)));

        assertThat(design.path()).isEqualTo("extensions/account.yaml");
        String yaml = design.yaml();
        assertThat(yaml).startsWith("# yaml-language-server: $schema=../schema/extension.schema.json\nextends: account\n")
                .contains("  employees: {label: {de: Beschäftigte, en: Staff}, required: true}\n")
                .contains("  vat_id: {type: text, label: {de: USt-IdNr., en: VAT ID}, listed: true, maxLength: 20}\n");

        EntityDefinition changed = load(site(design.path(), yaml)).entity("account").orElseThrow();
        assertThat(changed.fields().get(0).name()).isEqualTo("city");
        assertThat(changed.field("city").orElseThrow().listed()).isFalse();
        assertThat(changed.field("employees").orElseThrow().required()).isTrue();
        assertThat(changed.field("employees").orElseThrow().label().in("de")).isEqualTo("Beschäftigte");
        assertThat(changed.fields()).extracting(FieldDefinition::name).endsWith("vat_id");
        assertThat(changed.fields()).hasSize(account.fields().size() + 1);

        // edited again from its text: the earlier edits stay, the new one joins them
        EntityDesign again = EntityDesign.of(changed, false, yaml);
        again.set("employees", EntityDesign.Flag.REQUIRED, false);
        again.removeField("vat_id");
        EntityDefinition reverted = load(site(again.path(), again.yaml())).entity("account").orElseThrow();
        assertThat(reverted.field("employees").orElseThrow().required()).isFalse();
        assertThat(reverted.field("employees").orElseThrow().label().in("en")).isEqualTo("Staff");
        assertThat(reverted.field("vat_id")).isEmpty();
    }

    @Test
    void aNewEntityGetsFieldsOfEveryKindAndTheirOptions() throws Exception {
        String created = EntityDesign.newEntity("vehicle", "Fahrzeug", "Vehicle", "Fahrzeuge", "Vehicles",
                "Kennzeichen", "Licence plate");
        EntityDefinition vehicle = load(site("entities/vehicle.yaml", created)).entity("vehicle").orElseThrow();
        EntityDesign design = EntityDesign.of(vehicle, true, created);
        design.addField("kind", EntityDesign.field(new EntityDesign.NewField("choice", "Art", "Kind", true, true,
                EntityDesign.options("car = PKW | Car\ntruck = LKW | Truck\nbus"), null, null, null, null, null, null, null)));
        design.addField("account", EntityDesign.field(new EntityDesign.NewField("reference", "Halter", "Keeper", false,
                true, List.of(), "account", "vehicles", "Fahrzeuge", "Vehicles", null, null, null)));
        design.addField("price", EntityDesign.field(new EntityDesign.NewField("money", "Preis", "Price", false, false,
                List.of(), null, null, null, null, 12, null, null)));
        design.addField("registered", EntityDesign.field(new EntityDesign.NewField("date", "Zulassung", "Registered",
                false, false, List.of(), null, null, null, null, null, null, null)));
        design.addField("electric", EntityDesign.field(new EntityDesign.NewField("boolean", "Elektrisch", "Electric",
                false, false, List.of(), null, null, null, null, null, null, null)));
        design.move("kind", -1);

        MetadataModel model = load(site(design.path(), design.yaml()));
        EntityDefinition result = model.entity("vehicle").orElseThrow();
        assertThat(design.path()).isEqualTo("entities/vehicle.yaml");
        assertThat(result.fields()).extracting(FieldDefinition::name)
                .containsExactly("kind", "name", "account", "price", "registered", "electric");
        assertThat(result.field("kind").orElseThrow().options()).extracting(o -> o.value() + ":" + o.label().in("en"))
                .containsExactly("car:Car", "truck:Truck", "bus:bus");
        assertThat(result.field("price").orElseThrow().type()).isEqualTo(FieldType.MONEY);
        assertThat(result.field("account").orElseThrow().referenceEntity()).isEqualTo("account");
        assertThat(model.entity("account").orElseThrow()).isNotNull();
        assertThat(design.yaml()).startsWith("# yaml-language-server: $schema=../schema/entity.schema.json\nname: vehicle\n");
    }

    @Test
    void aSiteFieldIsRenamedInPlaceAndRetypedKeepingItsLabels() throws Exception {
        String created = EntityDesign.newEntity("vehicle", "Fahrzeug", "Vehicle", "Fahrzeuge", "Vehicles",
                "Kennzeichen", "Licence plate");
        EntityDefinition vehicle = load(site("entities/vehicle.yaml", created)).entity("vehicle").orElseThrow();
        EntityDesign design = EntityDesign.of(vehicle, true, created);
        design.addField("seats", EntityDesign.field(new EntityDesign.NewField("text", "Sitze", "Seats", true, true,
                List.of(), null, null, null, null, null, null, 40)));
        design.addField("colour", EntityDesign.field(new EntityDesign.NewField("text", "Farbe", "Colour", false, false,
                List.of(), null, null, null, null, null, null, null)));
        design.retypeField("seats", "integer");
        design.renameField("seats", "seat_count");
        design.renameField("name", "plate");

        EntityDefinition result = load(site(design.path(), design.yaml())).entity("vehicle").orElseThrow();
        assertThat(result.fields()).extracting(FieldDefinition::name).containsExactly("plate", "seat_count", "colour");
        FieldDefinition seats = result.field("seat_count").orElseThrow();
        assertThat(seats.type()).isEqualTo(FieldType.INTEGER);
        assertThat(seats.maxLength()).as("what only text had is gone").isNull();
        assertThat(seats.required()).isTrue();
        assertThat(seats.label().in("de")).isEqualTo("Sitze");
        assertThat(result.titleField()).isEqualTo("plate");
    }
}
