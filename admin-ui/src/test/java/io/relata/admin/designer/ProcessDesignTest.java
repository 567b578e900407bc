package io.relata.admin.designer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.relata.api.model.ChoiceOption;
import io.relata.api.model.EntityDefinition;
import io.relata.api.model.MetadataModel;
import io.relata.api.process.PhaseOutcome;
import io.relata.api.process.ProcessAction;
import io.relata.api.process.ProcessDefinition;
import io.relata.metadata.MetadataFile;
import io.relata.metadata.MetadataFiles;
import io.relata.metadata.MetadataLoader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The process designer's edits as {@code processes/<name>.yaml} (and the phase field's options in the entity's file),
 * loaded by the real loader on the shipped metadata.
 */
class ProcessDesignTest {

    private static final String VEHICLE = "vehicle";

    /** A site entity with a choice field whose options the process's phases are. */
    private static EntityDesign vehicle() throws Exception {
        String text = EntityDesign.newEntity(VEHICLE, "Fahrzeug", "Vehicle", "Fahrzeuge", "Vehicles", "Name", "Name");
        MetadataModel model = load(List.of(new MetadataFile("site/entities/vehicle.yaml", text)));
        EntityDesign design = EntityDesign.of(model.entity(VEHICLE).orElseThrow(), true, text);
        design.addField("stage", EntityDesign.field(new EntityDesign.NewField("choice", "Stufe", "Stage", false, true,
                EntityDesign.options("offered = Angeboten | Offered\nordered = Bestellt | Ordered\ncancelled = Storniert | Cancelled"),
                null, null, null, null, null, null, null)));
        design.addField("price", EntityDesign.field(new EntityDesign.NewField("money", "Preis", "Price", false, false,
                List.of(), null, null, null, null, null, null, null)));
        design.addField("why", EntityDesign.field(new EntityDesign.NewField("long-text", "Grund", "Reason", false, false,
                List.of(), null, null, null, null, null, null, null)));
        return design;
    }

    private static MetadataModel load(List<MetadataFile> site) throws Exception {
        List<MetadataFile> files = new ArrayList<>(MetadataFiles.fromDirectory(Path.of("../metadata")));
        files.addAll(site);
        return new MetadataLoader().load(files);
    }

    private static MetadataModel load(EntityDesign entity, ProcessDesign process) throws Exception {
        return load(List.of(new MetadataFile("site/" + entity.path(), entity.yaml()),
                new MetadataFile("site/" + process.path(), process.yaml())));
    }

    @Test
    void aNewProcessStartsWithTheOptionsAsPhasesAndIsEditedPhaseByPhase() throws Exception {
        EntityDesign entity = vehicle();
        ProcessDesign design = ProcessDesign.of("vehicle_sale", ProcessDesign.newProcess("vehicle_sale", VEHICLE,
                "Fahrzeugverkauf", "Vehicle sale", "stage", List.of("offered", "ordered", "cancelled")));
        assertThat(load(entity, design).process("vehicle_sale").orElseThrow().phases())
                .extracting(p -> p.name()).containsExactly("offered", "ordered", "cancelled");

        design.setPhase("ordered", "", "", PhaseOutcome.SUCCESS, List.of("price"), null);
        design.setActions("ordered", "onEnter:\n  - todo: {subject: {de: Ausliefern, en: Deliver}, assignTo: owner, due: P3D}\n");
        design.setPhase("cancelled", "Storno", "Cancellation", PhaseOutcome.FAILURE, List.of(), "why");
        design.setTransition(-1, List.of("offered"), List.of("ordered"),
                "record.price > 0 || {price: {de: 'Preis fehlt', en: 'The price is missing'}}", null);
        design.setTransition(-1, List.of("*"), List.of("cancelled"), null, null);

        ProcessDefinition sale = load(entity, design).process("vehicle_sale").orElseThrow();
        assertThat(sale.phase("ordered").orElseThrow().requiredFields()).containsExactly("price");
        assertThat(sale.phase("ordered").orElseThrow().outcome()).isEqualTo(PhaseOutcome.SUCCESS);
        assertThat(sale.phase("ordered").orElseThrow().onEnter()).singleElement().isInstanceOf(ProcessAction.CreateTodo.class);
        assertThat(sale.phase("cancelled").orElseThrow().reasonField()).isEqualTo("why");
        assertThat(sale.phase("cancelled").orElseThrow().label().in("en")).isEqualTo("Cancellation");
        assertThat(sale.transition("offered", "ordered").orElseThrow().guard().source()).contains("The price is missing");
        assertThat(sale.transitions()).hasSize(2);

        // the editor shows the actions as it wrote them, and another edit of the phase keeps them
        assertThat(design.actionsYaml("ordered")).startsWith("onEnter:").contains("Deliver");
        design.setPhase("ordered", "Bestellt", "Ordered", PhaseOutcome.SUCCESS, List.of(), null);
        assertThat(design.actionsYaml("ordered")).contains("Deliver");
        assertThat(design.yaml()).as("a re-read design writes the same text")
                .isEqualTo(ProcessDesign.of("vehicle_sale", design.yaml()).yaml());
    }

    @Test
    void aNewPhaseBringsItsOptionAndARemovedOneTakesItsMovesAlong() throws Exception {
        EntityDesign entity = vehicle();
        ProcessDesign design = ProcessDesign.of("vehicle_sale", ProcessDesign.newProcess("vehicle_sale", VEHICLE,
                "", "Vehicle sale", "stage", List.of("offered", "ordered", "cancelled")));
        design.setTransition(-1, List.of("offered", "ordered"), List.of("cancelled"), null, null);
        design.setTransition(-1, List.of("offered"), List.of("ordered"), null, null);

        design.addPhase("delivered", null, null, PhaseOutcome.SUCCESS);
        entity.addOption("stage", new EntityDesign.Option("delivered", "Geliefert", "Delivered"));
        design.setTransition(-1, List.of("ordered"), List.of("delivered"), null, null);
        design.movePhase("delivered", -1);
        MetadataModel model = load(entity, design);
        assertThat(model.process("vehicle_sale").orElseThrow().phases()).extracting(p -> p.name())
                .containsExactly("offered", "ordered", "delivered", "cancelled");
        EntityDefinition vehicle = model.entity(VEHICLE).orElseThrow();
        assertThat(vehicle.field("stage").orElseThrow().options()).extracting(ChoiceOption::value).contains("delivered");

        design.removePhase("ordered");
        assertThat(entity.removeOption("stage", "ordered")).isTrue();
        assertThatThrownBy(() -> load(entity, design)).as("the loader judges: delivered can no longer be reached")
                .hasMessageContaining("PHASE_UNREACHABLE").hasMessageContaining("'delivered'");
        design.setTransition(-1, List.of("offered"), List.of("delivered"), null, null);
        ProcessDefinition sale = load(entity, design).process("vehicle_sale").orElseThrow();
        assertThat(sale.transitions()).as("offered → ordered and ordered → delivered go; offered → cancelled stays")
                .extracting(t -> t.from() + ">" + t.to()).containsExactly("offered>cancelled", "offered>delivered");
    }

    @Test
    void aShippedProcessIsCustomisedByAReplacementThatIsEditedLikeTheSitesOwn() throws Exception {
        String shipped = java.nio.file.Files.readString(Path.of("../metadata/processes/opportunity_sales.yaml"));
        ProcessDesign design = ProcessDesign.of("opportunity_sales", ProcessDesign.replacing("opportunity_sales", shipped));
        assertThat(design.yaml()).startsWith("# " + ProcessDesign.PROCESS_SCHEMA + "\nname: opportunity_sales\nreplaces: true\n");
        design.setTransition(-1, List.of("needs_analysis"), List.of("qualification"), null, null);

        MetadataModel model = load(List.of(new MetadataFile("site/" + design.path(), design.yaml())));
        ProcessDefinition sales = model.process("opportunity_sales").orElseThrow();
        assertThat(sales.source().file()).isEqualTo("site/processes/opportunity_sales.yaml");
        assertThat(sales.transition("needs_analysis", "qualification")).isPresent();
        assertThat(sales.phases()).hasSize(7);
    }

    @Test
    void anActionsTextWithAnotherKeyIsRefusedNamingIt() throws Exception {
        ProcessDesign design = ProcessDesign.of("vehicle_sale", ProcessDesign.newProcess("vehicle_sale", VEHICLE,
                "", "Vehicle sale", "stage", List.of("offered")));
        assertThatThrownBy(() -> design.setActions("offered", "requires: [price]\n"))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("requires");
    }

    @Test
    void anOptionOfAnEarlierLayerIsAddedAsAnOverlayAndOnlyTheSitesOwnIsRemoved() throws Exception {
        MetadataModel shipped = load(List.of());
        EntityDefinition opportunity = shipped.entity("opportunity").orElseThrow();
        EntityDesign overlay = EntityDesign.of(opportunity, false, null);
        overlay.addOption("phase", new EntityDesign.Option("on_hold", "Pausiert", "On hold"));
        assertThat(overlay.yaml()).contains("options:").contains("on_hold");
        assertThat(overlay.removeOption("phase", "won")).as("the core's option stays").isFalse();
        assertThat(overlay.removeOption("phase", "on_hold")).isTrue();
        assertThat(overlay.yaml()).doesNotContain("options");
    }
}
