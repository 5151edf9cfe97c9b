package io.echoack.server.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.echoack.server.EchoAckServer;
import io.echoack.server.RunningServer;
import io.echoack.server.config.ServerConfig;
import io.echoack.server.testing.ChildProcess;
import io.echoack.server.testing.Tools;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Unix socket files get {@code --socket-mode}: another user can connect only when the mode lets them. The
 * other user is nobody (via setpriv), so this needs root, as CI has.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class SocketModeIT {

    @TempDir
    Path dir;

    private static boolean canDropPrivileges() {
        return "root".equals(System.getProperty("user.name")) && Files.isExecutable(Path.of("/usr/bin/setpriv"));
    }

    /** Connects as user nobody with socat, sends a line, returns the result. */
    private static ChildProcess.Result connectAsNobody(Path socket) throws Exception {
        String socat = Tools.require("socat", "socat");
        return ChildProcess.run(List.of("/usr/bin/setpriv", "--reuid=65534", "--regid=65534", "--clear-groups",
                socat, "-", "UNIX-CONNECT:" + socket), "hi\n".getBytes(StandardCharsets.US_ASCII), Duration.ofSeconds(20));
    }

    @Test
    void defaultModeIsOwnerAndGroupOnly() throws Exception {
        Path socket = dir.resolve("d.sock");
        try (RunningServer server = EchoAckServer.start(ServerConfig.defaults().withListen("unix://" + socket,
                "unixgram://" + dir.resolve("g.sock")))) {
            assertEquals("rw-rw----", PosixFilePermissions.toString(Files.getPosixFilePermissions(socket)));
            assertEquals("rw-rw----", PosixFilePermissions.toString(
                    Files.getPosixFilePermissions(dir.resolve("g.sock"))));
        }
    }

    @Test
    void anotherUserIsRefusedOrServedAsTheModeSays() throws Exception {
        assumeTrue(canDropPrivileges(), "needs root and setpriv to connect as another user");
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path closed = dir.resolve("closed.sock");
        Path open = dir.resolve("open.sock");
        try (RunningServer restricted = EchoAckServer.start(
                ServerConfig.defaults().withListen("unix://" + closed).withSocketMode("0600"));
             RunningServer everyone = EchoAckServer.start(
                ServerConfig.defaults().withListen("unix://" + open).withSocketMode("0666"))) {
            ChildProcess.Result refused = connectAsNobody(closed);
            assertNotEquals(0, refused.exitCode(), refused::toString);
            assertTrue(refused.stderr().contains("Permission denied"), refused::toString);

            ChildProcess.Result served = connectAsNobody(open);
            assertEquals(0, served.exitCode(), served::toString);
            assertEquals("I got your message\n", served.stdoutText());
        }
    }

    @Test
    void badModesAreConfigurationErrors() {
        for (String bad : new String[] {"rw", "0777", "999", "06600"}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> ServerConfig.defaults().withSocketMode(bad));
            assertTrue(e.getMessage().startsWith("socket mode '" + bad + "'"), e.getMessage());
        }
    }
}
