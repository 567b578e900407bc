package io.relata.admin.designer;

import static org.assertj.core.api.Assertions.assertThat;

import io.relata.api.model.FormLayout;
import io.relata.api.model.MetadataModel;
import io.relata.metadata.MetadataFile;
import io.relata.metadata.MetadataFiles;
import io.relata.metadata.MetadataLoader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The form designer's edits as {@code forms/<entity>.yaml}, loaded by the real loader on the shipped metadata. */
class FormDesignTest {

    private static MetadataModel load(FormDesign design) throws Exception {
        List<MetadataFile> files = new ArrayList<>(MetadataFiles.fromDirectory(Path.of("../metadata")));
        if (design.yaml() != null) {
            files.add(new MetadataFile("site/" + design.path(), design.yaml()));
        }
        return new MetadataLoader().load(files);
    }

    @Test
    void layoutsPerRoleWithTabsSectionsAndFieldsDraggedBetweenThem() throws Exception {
        FormDesign design = FormDesign.of("account", null, null);
        design.addLayout("sales", List.of("sales"), List.of("name", "industry", "city", "phone"));
        design.addTab(0, "Zahlen", "Figures");
        design.addSection(0, 1, "Umsatz", "Revenue", 3);
        design.place(0, "annual_revenue", 1, 0, 0);
        design.place(0, "employees", 1, 0, 5);
        design.place(0, "city", 0, 0, 0);            // to the top of its own section
        design.place(0, "name", 0, 0, 4);            // to the end: the index counted it in its old place
        design.setColumns(0, 0, 0, 3);
        design.setRelated(0, List.of("contacts"));
        design.prune();

        FormLayout sales = load(design).form("account").orElseThrow().layoutFor(Set.of("sales")).orElseThrow();
        assertThat(sales.tabs()).hasSize(2);
        assertThat(sales.tabs().get(0).sections().get(0).fields()).containsExactly("city", "industry", "phone", "name");
        assertThat(sales.tabs().get(0).sections().get(0).columns()).isEqualTo(3);
        assertThat(sales.tabs().get(1).label().in("en")).isEqualTo("Figures");
        assertThat(sales.tabs().get(1).sections().get(0).fields()).containsExactly("annual_revenue", "employees");
        assertThat(sales.related()).containsExactly("contacts");

        // edited again from its text; a field taken out of its section, an emptied section pruned
        FormDesign again = FormDesign.of("account", design.yaml(), null);
        again.unplace(0, "annual_revenue");
        again.unplace(0, "employees");
        again.prune();
        FormLayout pruned = load(again).form("account").orElseThrow().layouts().get(0);
        assertThat(pruned.tabs()).as("the emptied tab goes").hasSize(1);
        assertThat(pruned.placedFields()).doesNotContain("annual_revenue");

        again.removeLayout(0);
        assertThat(again.yaml()).as("no layout left: the file goes").isNull();
        assertThat(load(again).form("account")).isEmpty();
    }
}
