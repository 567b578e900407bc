package io.relata.metadata;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.relata.api.model.MetadataModel;
import io.relata.api.process.ProcessDefinition;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A later layer replaces a shipped process (or dialog) by a file of the same name with {@code replaces: true}: in the original's
 * place, with the same entity and phase field; anything else stays a problem at the file.
 */
class ProcessReplacementTest {

    private static MetadataModel load(String siteFile, String text) throws Exception {
        List<MetadataFile> files = new ArrayList<>(MetadataFiles.fromDirectory(ShippedMetadataTest.METADATA));
        files.add(new MetadataFile("site/processes/" + siteFile, text));
        return new MetadataLoader().load(files);
    }

    private static String shippedSales() throws Exception {
        return Files.readString(ShippedMetadataTest.METADATA.resolve("processes/opportunity_sales.yaml"));
    }

    @Test
    void aReplacementTakesTheOriginalsPlaceWithItsOwnGuard() throws Exception {
        String text = shippedSales().replace("name: opportunity_sales\n", "name: opportunity_sales\nreplaces: true\n")
                .replace("A proposal needs an amount", "No proposal without an amount");
        MetadataModel model = load("opportunity_sales.yaml", text);
        ProcessDefinition sales = model.process("opportunity_sales").orElseThrow();
        assertThat(sales.source().toString()).startsWith("site/processes/opportunity_sales.yaml");
        assertThat(sales.transition("qualification", "proposal").orElseThrow().guard().source())
                .contains("No proposal without an amount");
        assertThat(model.processesOf("opportunity")).extracting(ProcessDefinition::name)
                .as("the insurance process still comes first").containsExactly("opportunity_insurance", "opportunity_sales");
    }

    @Test
    void withoutReplacesItIsADuplicateAndAReplacementOfNothingIsReported() throws Exception {
        MetadataException duplicate = catchThrowableOfType(MetadataException.class,
                () -> load("opportunity_sales.yaml", shippedSales()));
        assertThat(duplicate.problems()).extracting(MetadataProblem::code).contains(ProblemCode.DUPLICATE_PROCESS.name());

        String gone = shippedSales().replace("name: opportunity_sales\n", "name: opportunity_retired\nreplaces: true\n");
        MetadataException nothing = catchThrowableOfType(MetadataException.class,
                () -> load("opportunity_retired.yaml", gone));
        assertThat(nothing.problems()).singleElement().satisfies(p -> {
            assertThat(p.code()).isEqualTo(ProblemCode.REPLACES_NOTHING.name());
            assertThat(p.file()).isEqualTo("site/processes/opportunity_retired.yaml");
            assertThat(p.message()).contains("no earlier layer defines one of that name");
        });

        String otherField = shippedSales().replace("name: opportunity_sales\n", "name: opportunity_sales\nreplaces: true\n")
                .replace("phaseField: phase", "phaseField: product_line");
        MetadataException moved = catchThrowableOfType(MetadataException.class,
                () -> load("opportunity_sales.yaml", otherField));
        assertThat(moved.problems()).extracting(MetadataProblem::code).contains(ProblemCode.REPLACES_NOTHING.name());
    }

    @Test
    void aDialogIsReplacedTheSameWay() throws Exception {
        String shipped = Files.readString(ShippedMetadataTest.METADATA.resolve("dialogs/lead_qualification.yaml"));
        List<MetadataFile> files = new ArrayList<>(MetadataFiles.fromDirectory(ShippedMetadataTest.METADATA));
        files.add(new MetadataFile("site/dialogs/lead_qualification.yaml", shipped
                .replace("name: lead_qualification\n", "name: lead_qualification\nreplaces: true\n")
                .replace("en: Qualify lead}", "en: Qualify the lead}")));
        MetadataModel model = new MetadataLoader().load(files);
        assertThat(model.dialog("lead_qualification").orElseThrow().label().in("en")).isEqualTo("Qualify the lead");

        files.set(files.size() - 1, new MetadataFile("site/dialogs/lead_intake.yaml", shipped
                .replace("name: lead_qualification\n", "name: lead_intake\nreplaces: true\n")));
        MetadataException nothing = catchThrowableOfType(MetadataException.class, () -> new MetadataLoader().load(files));
        assertThat(nothing.problems()).extracting(MetadataProblem::code).containsExactly(ProblemCode.REPLACES_NOTHING.name());
    }
}
