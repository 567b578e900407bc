package io.relata.web.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Starts the built application the way the run command does, with two broken entity files in an extra
 * metadata directory: the start must stop with exit status 2 and print every problem with its position.
 */
class InvalidMetadataStartIT {

    @TempDir
    Path work;

    @Test
    void startWithInvalidMetadataExitsWithStatusTwoAndListsTheProblems() throws Exception {
        Path entities = Files.createDirectories(work.resolve("metadata/entities"));
        Files.writeString(entities.resolve("broken.yaml"), """
                name: broken
                label: {de: Kaputt, en: Broken}
                pluralLabel: {de: Kaputte, en: Broken ones}
                fields:
                  title: {type: text, label: {en: Title}}
                  size: {type: integr, label: {en: Size}}
                """);
        Files.writeString(entities.resolve("dangling.yaml"), """
                name: dangling
                label: {de: Lose, en: Dangling}
                pluralLabel: {de: Lose, en: Dangling}
                fields:
                  owner: {type: reference, entity: nobody, label: {en: Owner}}
                """);
        Path log = work.resolve("server.log");
        List<String> command = List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx512m",
                "-Dcrm.exit.on.startup.failure=true",
                "-Dcrm.data.dir=" + work.resolve("data"),
                "-Dcrm.metadata.path=" + work.resolve("metadata"),
                "-Dh2.bindAddress=127.0.0.1",
                "-Djava.io.tmpdir=" + Files.createDirectories(work.resolve("tmp")),
                "-jar", System.getProperty("payara.microJar"),
                "--nohazelcast", "--disablephonehome",
                "--prebootcommandfile", System.getProperty("crm.it.preboot"),
                "--rootdir", work.resolve("payara").toString(),
                "--port", Integer.toString(freePort()),
                "--deploy", System.getProperty("crm.war"));
        Process server = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        try {
            assertThat(server.waitFor(240, TimeUnit.SECONDS)).as("server stopped by itself").isTrue();
            String output = Files.readString(log);
            assertThat(server.exitValue()).as(output).isEqualTo(2);
            assertThat(output)
                    .contains("the metadata is invalid")
                    .contains("2 problem(s) in metadata")
                    .contains("entities/broken.yaml:6:16: [UNKNOWN_FIELD_TYPE]")
                    .contains("entities/dangling.yaml:5:")
                    .contains("[UNKNOWN_REFERENCE_TARGET]");
        } finally {
            server.destroyForcibly();
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
