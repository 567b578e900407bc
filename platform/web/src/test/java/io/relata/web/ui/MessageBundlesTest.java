package io.relata.web.ui;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** The UI's bundles say every text in German and English, each key once (a second one silently wins). */
class MessageBundlesTest {

    private static final List<String> BUNDLES = List.of("messages.properties", "messages_de.properties",
            "messages_en.properties");

    @Test
    void everyBundleHasTheSameKeysEachOnce() throws IOException {
        Set<String> english = new TreeSet<>(keys("messages_en.properties"));
        for (String bundle : BUNDLES) {
            List<String> keys = keys(bundle);
            Set<String> once = new HashSet<>();
            assertThat(keys.stream().filter(k -> !once.add(k)).toList()).as("keys given twice in " + bundle).isEmpty();
            assertThat(new TreeSet<>(keys)).as("keys of " + bundle + " against messages_en.properties").isEqualTo(english);
        }
    }

    @Test
    void theAccessExplanationIsWordedForEveryScopeOperationAndFieldAccess() throws IOException {
        Set<String> keys = new HashSet<>(keys("messages_de.properties"));
        for (io.relata.store.access.Operation operation : io.relata.store.access.Operation.values()) {
            assertThat(keys).contains("access.verb." + operation.label());
        }
        for (io.relata.api.security.AccessScope scope : io.relata.api.security.AccessScope.values()) {
            if (scope != io.relata.api.security.AccessScope.NONE) {
                assertThat(keys).contains("access.records." + scope.yamlName());
            }
        }
        for (io.relata.api.security.FieldAccess access : io.relata.api.security.FieldAccess.values()) {
            assertThat(keys).contains("access.field." + access.yamlName().replace('-', '_'));
        }
    }

    private static List<String> keys(String bundle) throws IOException {
        try (InputStream in = MessageBundlesTest.class.getResourceAsStream("/io/relata/web/ui/" + bundle)) {
            assertThat(in).as(bundle).isNotNull();
            List<String> keys = new ArrayList<>();
            for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                String trimmed = line.strip();
                if (!trimmed.isEmpty() && !trimmed.startsWith("#") && trimmed.contains("=")) {
                    keys.add(trimmed.substring(0, trimmed.indexOf('=')).strip());
                }
            }
            return keys;
        }
    }
}
