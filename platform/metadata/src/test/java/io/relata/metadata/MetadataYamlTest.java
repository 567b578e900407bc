package io.relata.metadata;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.relata.api.model.MetadataModel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every shipped metadata file (core and plugins) read into a tree and written back gives the same tree and, loaded,
 * the same model; text written by {@link MetadataYaml#write} is written again unchanged. This is the designer's
 * round trip: nothing an admin or partner wrote is lost when the designer rewrites a file.
 */
class MetadataYamlTest {

    private static final List<Path> LAYERS = List.of(ShippedMetadataTest.METADATA,
            Path.of("../../plugins/insurance/src/main/resources/metadata"),
            Path.of("../../plugins/telco/src/main/resources/metadata"));

    @Test
    void everyShippedFileSurvivesTheRoundTripAsTreeTextAndModel() throws Exception {
        List<MetadataFile> originals = MetadataFiles.fromDirectories(LAYERS);
        List<MetadataFile> rewritten = new ArrayList<>();
        int yamlFiles = 0;
        for (MetadataFile file : originals) {
            if (!file.isYaml()) {
                rewritten.add(file);
                continue;
            }
            yamlFiles++;
            ObjectNode tree = MetadataYaml.read(file);
            String text = MetadataYaml.write(tree, "yaml-language-server: $schema=../schema/x.schema.json");
            MetadataFile copy = new MetadataFile(file.displayName(), text);
            assertThat((JsonNode) MetadataYaml.read(copy)).as(file.displayName()).isEqualTo(tree);
            assertThat(MetadataYaml.write(MetadataYaml.read(copy), "yaml-language-server: $schema=../schema/x.schema.json"))
                    .as("written again: " + file.displayName()).isEqualTo(text);
            rewritten.add(copy);
        }
        assertThat(yamlFiles).as("core and both plugins' files").isGreaterThan(40);

        MetadataModel original = new MetadataLoader().load(originals);
        MetadataModel copy = new MetadataLoader().load(rewritten);
        assertThat(Canonical.withoutLocations(copy.entities())).isEqualTo(Canonical.withoutLocations(original.entities()));
        assertThat(Canonical.withoutLocations(copy.roles())).isEqualTo(Canonical.withoutLocations(original.roles()));
        assertThat(Canonical.withoutLocations(copy.processes())).isEqualTo(Canonical.withoutLocations(original.processes()));
        assertThat(Canonical.withoutLocations(copy.dialogs())).isEqualTo(Canonical.withoutLocations(original.dialogs()));
        assertThat(Canonical.withoutLocations(copy.templates())).isEqualTo(Canonical.withoutLocations(original.templates()));
    }

    @Test
    void aFieldIsWrittenLikeAHandWrittenOne() {
        ObjectNode root = JsonNodeFactory.instance.objectNode();
        root.put("name", "vehicle");
        root.putObject("label").put("de", "Fahrzeug").put("en", "Vehicle");
        ObjectNode fields = root.putObject("fields");
        ObjectNode plate = fields.putObject("plate");
        plate.put("type", "text");
        plate.putObject("label").put("de", "Kennzeichen").put("en", "Licence plate");
        plate.put("required", true);
        ObjectNode kind = fields.putObject("kind");
        kind.put("type", "choice");
        kind.putObject("label").put("de", "Art").put("en", "Kind");
        ObjectNode car = kind.putArray("options").addObject();
        car.put("value", "car");
        car.putObject("label").put("de", "PKW").put("en", "Car");
        fields.putObject("note").put("type", "long-text").put("computed", "return 1;\nreturn 2;\n");

        assertThat(MetadataYaml.write(root, null)).isEqualTo("""
                name: vehicle
                label: {de: Fahrzeug, en: Vehicle}
                fields:
                  plate: {type: text, label: {de: Kennzeichen, en: Licence plate}, required: true}
                  kind:
                    type: choice
                    label: {de: Art, en: Kind}
                    options:
                      - {value: car, label: {de: PKW, en: Car}}
                  note:
                    type: long-text
                    computed: |
                      return 1;
                      return 2;
                """);
    }

    @ParameterizedTest
    @ValueSource(strings = {"true", "null", "12", "1.5", "0x1F", "~", "", " padded", "a: b", "a #b", "*", "- x", "-1",
            "'quoted'", "\"double\"", "tab\there", "line\nbreak", "ends:", "[x]", "{y}", "a, b", "%x", "@x", "`x`",
            "2024-01-01", ".inf", "-received_at", "Ä öß", "x\n\n", "  \nx", "c1\u0080\u0091\u009f", "nel\u0085",
            "ls\u2028ps\u2029", "bom\ufeff", "non\ufffe\uffffchars", "lone\ud800surrogate", "emoji 😀", "del\u007f"})
    void textsReadBackAsTheSameText(String text) throws Exception {
        ObjectNode root = JsonNodeFactory.instance.objectNode();
        root.put("name", "x");
        root.put("block", text);
        root.putObject("flow").put("value", text);
        root.putArray("list").add(text);
        String yaml = MetadataYaml.write(root, null);
        ObjectNode back = MetadataYaml.read(new MetadataFile("x/other/x.yaml", yaml));
        assertThat((JsonNode) back).as(yaml).isEqualTo(root);
    }
}
