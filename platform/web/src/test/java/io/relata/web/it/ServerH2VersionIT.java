package io.relata.web.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.nio.file.Path;
import java.util.jar.JarInputStream;
import java.util.jar.Manifest;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.Test;

/**
 * Payara Micro loads the H2 it bundles before the application's own, so the server runs that H2 whatever the war
 * holds. The unit tests must run the same version (the build's {@code h2.version}): H2 2.2 and 2.3 differ in what
 * SQL they accept, and a test on the other version would prove nothing about the server. A Payara upgrade that
 * brings another H2 fails here and names the version to set.
 */
class ServerH2VersionIT {

    private static final String BUNDLED_H2 = "MICRO-INF/runtime/h2.jar";

    @Test
    void theUnitTestsRunTheH2ThatPayaraMicroLoads() throws Exception {
        Path microJar = Path.of(System.getProperty("payara.microJar"));
        String testedVersion = System.getProperty("h2.version");
        try (ZipFile micro = new ZipFile(microJar.toFile())) {
            ZipEntry h2 = micro.getEntry(BUNDLED_H2);
            assertThat(h2).as("%s in %s", BUNDLED_H2, microJar).isNotNull();
            try (InputStream in = micro.getInputStream(h2); JarInputStream jar = new JarInputStream(in)) {
                Manifest manifest = jar.getManifest();
                String serverVersion = manifest.getMainAttributes().getValue("Implementation-Version");
                assertThat(serverVersion)
                        .as("Payara Micro runs H2 %s; set <h2.version> in the root pom.xml to it", serverVersion)
                        .isEqualTo(testedVersion);
            }
        }
    }
}
