package io.echoack.client.cli;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.echoack.common.testing.NetworkNamespace;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The client jar in a network namespace with no hardware address, as in a container without a network,
 * prints no "Failed to find a usable hardware address" WARN from Netty when it makes its channel. Skipped
 * where no network namespace can be made.
 */
@Timeout(60)
class NoHardwareAddressIT {

    private static final Path CLIENT_JAR = Path.of("target/echoack.jar");

    @Test
    void printsNoHardwareAddressWarningInANamespaceWithoutOne() throws Exception {
        assertTrue(Files.isRegularFile(CLIENT_JAR), CLIENT_JAR.toAbsolutePath() + " is missing: run 'mvn verify'");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        // Nothing listens on port 9 in a fresh namespace: the client makes a channel, connects, is refused.
        Optional<List<String>> command = NetworkNamespace.wrap(List.of(java, "-jar", CLIENT_JAR.toString(),
                "send", "tcp://127.0.0.1:9", "hello", "--timeout", "5s"));
        assumeTrue(command.isPresent(), NetworkNamespace.unavailableReason());
        ProcessBuilder builder = new ProcessBuilder(command.get()).redirectErrorStream(true);
        builder.environment().keySet().removeIf(name -> name.startsWith("ECHOACK_"));
        Process client = builder.start();
        client.getOutputStream().close();
        String output = new String(client.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(client.waitFor(30, TimeUnit.SECONDS), "the client did not exit: " + output);
        assertTrue(output.contains("127.0.0.1:9"), "the client tried to connect: " + output);
        assertFalse(output.contains("MacAddressUtil") || output.contains("hardware address"), output);
    }
}
