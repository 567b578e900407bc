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
 * Starts the built application the way the run command does, with what must stop the start: two broken entity
 * files in an extra metadata directory, or files that would exhaust memory or stack without the metadata limits
 * (exit status 2, every problem with its position), or an unusable setting (exit status 3, the variable, its value
 * and the form expected).
 */
class InvalidMetadataStartIT {

    @TempDir
    Path work;

    /** One start for all kinds of bad metadata: each start of the server costs half a minute of the suite. */
    @Test
    void startWithInvalidMetadataAndAnAliasBombExitsWithStatusTwoAndListsTheProblemsInsteadOfRunningOutOfMemory()
            throws Exception {
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
        StringBuilder bomb = new StringBuilder("name: bomb\na0: &a0 [x, x]\n");
        for (int i = 1; i < 46; i++) {
            bomb.append('a').append(i).append(": &a").append(i).append(" [*a").append(i - 1).append(", *a")
                    .append(i - 1).append("]\n");
        }
        Files.writeString(entities.resolve("bomb.yaml"), bomb);
        Files.writeString(entities.resolve("deep.yaml"), "name: deep\nlabel: " + "[".repeat(10_000) + "\n");
        String output = outputOfAStartThatStops(2, "-Dcrm.metadata.path=" + work.resolve("metadata"));
        assertThat(output)
                .contains("the metadata is invalid")
                .contains("4 problem(s) in metadata")
                .contains("entities/broken.yaml:6:16: [UNKNOWN_FIELD_TYPE]")
                .contains("entities/dangling.yaml:5:")
                .contains("[UNKNOWN_REFERENCE_TARGET]")
                .contains("entities/bomb.yaml:16:18: [YAML_TOO_LARGE]")
                .contains("entities/deep.yaml:2:57: [YAML_TOO_DEEP]")
                .doesNotContain("OutOfMemoryError")
                .doesNotContain("StackOverflowError");
    }

    @Test
    void startWithAnUnusableSettingExitsWithStatusThreeAndNamesIt() throws Exception {
        String output = outputOfAStartThatStops(3, "-Dcrm.rules.timeout.ms=2s", "-Dcrm.smtp.port=smtp");
        assertThat(output)
                .contains("The CRM does not start because of invalid settings (see README.md, 'Configuration'):")
                .contains("CRM_RULES_TIMEOUT_MS (or -Dcrm.rules.timeout.ms) is '2s'; expected a whole number of "
                        + "milliseconds greater than 0, e.g. 2000.")
                .contains("CRM_SMTP_PORT (or -Dcrm.smtp.port) is 'smtp'; expected a port number from 1 to 65535, e.g. 25.")
                .doesNotContain("NumberFormatException");
    }

    /** Starts the server with the given JVM options, waits for it to stop by itself with {@code status}, its output. */
    private String outputOfAStartThatStops(int status, String... options) throws Exception {
        Path log = work.resolve("server.log");
        Process server = start(log, options);
        try {
            assertThat(server.waitFor(240, TimeUnit.SECONDS)).as("server stopped by itself").isTrue();
            String output = Files.readString(log);
            assertThat(server.exitValue()).as(output).isEqualTo(status);
            return output;
        } finally {
            server.destroyForcibly();
        }
    }

    /** The server as the run command starts it, with the given extra JVM options, its output into {@code log}. */
    private Process start(Path log, String... options) throws IOException {
        List<String> command = new java.util.ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx512m", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", // a start that stops: as arquillian.xml says
                "-Dcrm.exit.on.startup.failure=true",
                "-Dcrm.data.dir=" + work.resolve("data"),
                "-Dh2.bindAddress=127.0.0.1",
                "-Djava.io.tmpdir=" + Files.createDirectories(work.resolve("tmp"))));
        command.addAll(List.of(options));
        command.addAll(List.of(
                "-jar", System.getProperty("payara.microJar"),
                "--nohazelcast", "--disablephonehome",
                "--prebootcommandfile", System.getProperty("crm.it.preboot"),
                "--rootdir", work.resolve("payara").toString(),
                "--port", Integer.toString(freePort()),
                "--deploy", System.getProperty("crm.war")));
        return new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
