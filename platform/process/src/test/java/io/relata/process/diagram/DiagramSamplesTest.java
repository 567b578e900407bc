package io.relata.process.diagram;

import static org.assertj.core.api.Assertions.assertThat;

import io.relata.api.process.ProcessDefinition;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Writes every sample as SVG and BPMN into {@code target/process-diagrams} (for a look in a browser or in
 * Camunda Modeler), and checks the files are what the API returns.
 */
class DiagramSamplesTest {

    @Test
    void writesEverySampleForVisualReview() throws IOException {
        Path folder = Path.of("target", "process-diagrams");
        Files.createDirectories(folder);
        for (Map.Entry<String, ProcessDefinition> sample : SampleProcesses.all().entrySet()) {
            ProcessDefinition process = sample.getValue();
            String file = process.name().replaceAll("[^A-Za-z0-9_-]", "_");
            String svg = ProcessDiagram.svg(process, SampleProcesses.opportunityEntity(), Locale.ENGLISH);
            String bpmn = BpmnExport.xml(process, SampleProcesses.opportunityEntity(), Locale.ENGLISH);
            Files.writeString(folder.resolve(file + ".svg"), svg, StandardCharsets.UTF_8);
            Files.writeString(folder.resolve(file + ".bpmn"), bpmn, StandardCharsets.UTF_8);
            Files.writeString(folder.resolve(file + ".de.svg"),
                    ProcessDiagram.svg(process, SampleProcesses.opportunityEntity(), Locale.GERMAN), StandardCharsets.UTF_8);

            assertThat(Files.readString(folder.resolve(file + ".svg"))).isEqualTo(svg);
        }
    }
}
