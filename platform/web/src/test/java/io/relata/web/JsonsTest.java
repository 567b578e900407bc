package io.relata.web;

import io.relata.runtime.Jsons;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The web layer and the runtime build JSON through {@link Jsons}: {@code jakarta.json.Json} looks the provider up on every call. */
class JsonsTest {

    private static final Pattern PROVIDER_LOOKUP = Pattern.compile("\\bJson\\.create|^import jakarta\\.json\\.Json;", Pattern.MULTILINE);

    @Test
    void noClassOfTheWebLayerOrRuntimeLooksUpTheJsonProviderPerValue() throws IOException {
        List<Path> sources = List.of(Path.of("src/main/java/io/relata/web"), Path.of("../runtime/src/main/java"),
                Path.of("../identity/src/main/java"));
        assertThat(sources).as("run in platform/web").allSatisfy(dir -> assertThat(dir).isDirectory());
        List<String> offenders = new java.util.ArrayList<>();
        for (Path dir : sources) {
            try (Stream<Path> files = Files.walk(dir)) {
                files.filter(f -> f.toString().endsWith(".java"))
                        .filter(f -> PROVIDER_LOOKUP.matcher(read(f)).find())
                        .forEach(f -> offenders.add(f.toString()));
            }
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
