package io.relata.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The README's tables follow the code: the settings table and the Maven modules. */
class ReadmeTablesTest {

    /** The top directory of the checkout (tests run in platform/web). */
    private static Path root() {
        Path root = Path.of("").toAbsolutePath();
        while (root != null && !Files.isDirectory(root.resolve("platform"))) {
            root = root.getParent();
        }
        assertThat(root).as("the checkout's top directory").isNotNull();
        return root;
    }

    /** The table that starts with {@code header} in the README section {@code section}, up to the blank line. */
    private static String table(String section, String header) throws IOException {
        String text = Files.readString(root().resolve("README.md"));
        int at = text.indexOf("\n## " + section + "\n");
        assertThat(at).as("README.md has a '" + section + "' section").isPositive();
        int start = text.indexOf("\n" + header, at) + 1;
        assertThat(start).as("the table of '" + section + "'").isPositive();
        int end = text.indexOf("\n\n", start);
        return end < 0 ? text.substring(start) : text.substring(start, end + 1);
    }

    @Test
    void theConfigurationTableIsTheSettingsTable() throws IOException {
        assertThat(table("Configuration", "| variable |"))
                .as("README.md's configuration table; paste the expected table there")
                .isEqualTo(Settings.readmeTable());
    }

    @Test
    void theLayoutTableNamesEveryModule() throws IOException {
        String layout = table("Layout", "| path |");
        List<String> modules = new ArrayList<>();
        Matcher module = Pattern.compile("<module>([^<]+)</module>").matcher(Files.readString(root().resolve("pom.xml")));
        while (module.find()) {
            modules.add(module.group(1).strip());
        }
        assertThat(modules).isNotEmpty().allSatisfy(name -> assertThat(layout).contains("| `" + name + "` |"));
    }
}
