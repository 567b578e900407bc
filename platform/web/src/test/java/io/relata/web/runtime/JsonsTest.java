package io.relata.web.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The web layer builds JSON through {@link Jsons}: {@code jakarta.json.Json} looks the provider up on every call. */
class JsonsTest {

    private static final Pattern PROVIDER_LOOKUP = Pattern.compile("\\bJson\\.create|^import jakarta\\.json\\.Json;", Pattern.MULTILINE);

    @Test
    void noClassOfTheWebLayerLooksUpTheJsonProviderPerValue() throws IOException {
        Path sources = Path.of("src/main/java/io/relata/web");
        assertThat(sources).as("run in platform/web").isDirectory();
        List<String> offenders;
        try (Stream<Path> files = Files.walk(sources)) {
            offenders = files.filter(f -> f.toString().endsWith(".java"))
                    .filter(f -> PROVIDER_LOOKUP.matcher(read(f)).find())
                    .map(Path::toString).toList();
        }
        assertThat(offenders).as("use Jsons.createObjectBuilder() etc. in place of Json.createXxx()").isEmpty();
    }

    @Test
    void valuesComeFromTheCachedProvider() {
        assertThat(Jsons.createObjectBuilder().add("n", Jsons.createValue(42L)).add("s", "x").build().toString())
                .isEqualTo("{\"n\":42,\"s\":\"x\"}");
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
