package io.echoack.server.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.echoack.common.testing.NetworkNamespace;
import io.echoack.server.testing.ChildProcess;
import io.echoack.server.testing.ServerProcess;
import io.echoack.server.testing.Tools;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The server in a network namespace with no hardware address, as in a container without a network, starts
 * without Netty's "Failed to find a usable hardware address" WARN: a line that tells a user nothing.
 * Skipped where no network namespace can be made.
 */
@Timeout(90)
class NoHardwareAddressIT {

    @Test
    void startsWithoutAHardwareAddressWarningInANamespaceWithoutOne() throws Exception {
        Optional<List<String>> command = NetworkNamespace.wrap(List.of(Tools.java(), "-jar", Tools.serverJar(),
                "-l", "tcp://0.0.0.0:0", "-l", "udp://0.0.0.0:0"));
        assumeTrue(command.isPresent(), NetworkNamespace.unavailableReason());
        try (ChildProcess server = ChildProcess.startWithout(command.get(), name -> name.startsWith("ECHOACK_"))) {
            assertTrue(server.awaitStderr(err -> err.split(ServerProcess.LISTENING, -1).length > 2,
                    ServerProcess.STARTUP_TIMEOUT), server::toString);
            server.terminate();
            ChildProcess.Result stopped = server.awaitExit(Duration.ofSeconds(20));
            assertEquals(0, stopped.exitCode(), server::toString);
            String err = stopped.stderr();
            assertFalse(err.contains("MacAddressUtil") || err.contains("hardware address"), err);
            assertEquals(List.of(), ServerProcess.problems(err));
        }
    }
}
