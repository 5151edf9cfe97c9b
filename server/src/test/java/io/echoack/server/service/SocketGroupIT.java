package io.echoack.server.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.echoack.server.EchoAckServer;
import io.echoack.server.RunningServer;
import io.echoack.server.cli.Main;
import io.echoack.server.config.ServerConfig;
import io.echoack.server.testing.ChildProcess;
import io.echoack.server.testing.Tools;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.GroupPrincipal;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --socket-group}: Unix socket files are given the configured group, its members may connect under
 * mode 0660 while a user who is neither the owner nor in the group is refused, and a group that does not
 * exist or that the server may not give is a one-line startup error with exit code 2. The other users are
 * made up with setpriv (uid 65534 and made-up gids, no accounts needed), which needs root, as CI has.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class SocketGroupIT {

    /** A gid that no account uses: numeric gids need no entry in the group database. */
    private static final int GID = 48611;
    private static final int NOBODY = 65534;
    private static final String NO_SUCH_GROUP = "echoack-no-such-group";

    @TempDir
    Path dir;

    private static boolean isRoot() {
        return "root".equals(System.getProperty("user.name"));
    }

    private static void assumeRootAndSetpriv() {
        assumeTrue(isRoot() && Files.isExecutable(Path.of("/usr/bin/setpriv")),
                "needs root and /usr/bin/setpriv to give files to other groups and to connect as another user");
    }

    private static int gid(Path file) throws Exception {
        return (Integer) Files.getAttribute(file, "unix:gid", LinkOption.NOFOLLOW_LINKS);
    }

    /** Connects as uid 65534 with the given setpriv group options, sends a line with socat. */
    private static ChildProcess.Result connectAs(Path socket, String... groupOptions) throws Exception {
        String socat = Tools.require("socat", "socat");
        List<String> command = new ArrayList<>(List.of("/usr/bin/setpriv", "--reuid=" + NOBODY));
        command.addAll(List.of(groupOptions));
        command.addAll(List.of(socat, "-", "UNIX-CONNECT:" + socket));
        return ChildProcess.run(command, "hi\n".getBytes(StandardCharsets.US_ASCII), Duration.ofSeconds(20));
    }

    /** Runs the real command line in-process, stopping as soon as it started; returns exit code and stderr. */
    private static String[] cli(String... args) {
        StringWriter err = new StringWriter();
        int code = Main.execute(CompletableFuture.completedFuture(null), new PrintWriter(new StringWriter()),
                new PrintWriter(err, true), args);
        return new String[] {String.valueOf(code), err.toString()};
    }

    private static ChildProcess startServer(List<String> prefix, Map<String, String> env, String... args)
            throws Exception {
        List<String> command = new ArrayList<>(prefix);
        command.addAll(List.of(Tools.java(), "-jar", Tools.serverJar()));
        command.addAll(List.of(args));
        return ChildProcess.start(command, pb -> {
            pb.environment().keySet().removeIf(k -> k.startsWith("ECHOACK_"));
            pb.environment().putAll(env);
        });
    }

    /** The command's own error lines (the log lines before them are not errors). */
    private static List<String> errorLines(String stderr) {
        return stderr.lines().filter(l -> l.startsWith("echoack-server: ")).toList();
    }

    @Test
    void membersOfTheGroupMayConnectUnder0660AndOthersAreRefused() throws Exception {
        assumeRootAndSetpriv();
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path stream = Tools.socketPath(dir, "s.sock");
        Path gram = Tools.socketPath(dir, "g.sock");
        try (RunningServer server = EchoAckServer.start(ServerConfig.defaults()
                .withListen("unix://" + stream, "unixgram://" + gram)
                .withSocketMode("0660").withSocketGroup(String.valueOf(GID)))) {
            for (Path socket : List.of(stream, gram)) {
                assertEquals(GID, gid(socket), socket + " has the group");
                assertEquals("rw-rw----", PosixFilePermissions.toString(Files.getPosixFilePermissions(socket)));
                assertEquals(0, Files.getAttribute(socket, "unix:uid"), "still owned by the server's user");
            }

            ChildProcess.Result supplementary = connectAs(stream, "--regid=" + NOBODY, "--groups=" + GID);
            assertEquals(0, supplementary.exitCode(), supplementary::toString);
            assertEquals("I got your message\n", supplementary.stdoutText());

            ChildProcess.Result primary = connectAs(stream, "--regid=" + GID, "--clear-groups");
            assertEquals(0, primary.exitCode(), primary::toString);
            assertEquals("I got your message\n", primary.stdoutText());

            ChildProcess.Result outsider = connectAs(stream, "--regid=" + NOBODY, "--clear-groups");
            assertNotEquals(0, outsider.exitCode(), outsider::toString);
            assertTrue(outsider.stderr().contains("Permission denied"), outsider::toString);
            assertEquals("", outsider.stdoutText());
        }
        assertFalse(Files.exists(stream, LinkOption.NOFOLLOW_LINKS), "removed at shutdown");
    }

    @Test
    void aGroupIsFoundByName() throws Exception {
        GroupPrincipal group = isRoot() ? someOtherNamedGroup()
                : Files.readAttributes(dir, java.nio.file.attribute.PosixFileAttributes.class).group();
        Path socket = Tools.socketPath(dir, "n.sock");
        try (RunningServer server = EchoAckServer.start(ServerConfig.defaults().withListen("unix://" + socket)
                .withSocketGroup(group.getName()))) {
            assertEquals(group, Files.getAttribute(socket, "posix:group", LinkOption.NOFOLLOW_LINKS));
        }
    }

    /** A group from the group database other than root's, looked up by name. */
    private static GroupPrincipal someOtherNamedGroup() throws Exception {
        for (String line : Files.readAllLines(Path.of("/etc/group"))) {
            String[] fields = line.split(":");
            if (fields.length >= 3 && !fields[2].equals("0") && fields[0].matches("[a-z_][a-z0-9_-]*")) {
                return ServerConfig.parseSocketGroup(fields[0]);
            }
        }
        assumeTrue(false, "no named group besides root's in /etc/group");
        return null;
    }

    @Test
    void theEnvironmentSetsTheGroup() throws Exception {
        assumeTrue(isRoot(), "needs root to give a file to another group");
        Path socket = Tools.socketPath(dir, "e.sock");
        try (ChildProcess server = startServer(List.of(), Map.of("ECHOACK_LISTEN", "unix://" + socket,
                "ECHOACK_SOCKET_GROUP", String.valueOf(GID)))) {
            assertTrue(server.awaitStderr(err -> err.contains("listening on unix://"), Duration.ofSeconds(30)),
                    server::toString);
            assertEquals(GID, gid(socket));
            server.terminate();
            assertEquals(0, server.awaitExit(Duration.ofSeconds(15)).exitCode(), server::toString);
        }
    }

    @Test
    void anUnknownGroupIsAConfigurationError() throws Exception {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ServerConfig.defaults().withSocketGroup(NO_SUCH_GROUP));
        assertTrue(e.getMessage().startsWith("socket group '" + NO_SUCH_GROUP + "' does not exist"), e.getMessage());
        for (String bad : new String[] {"-1", "4294967295", "+5", " "}) {
            IllegalArgumentException b = assertThrows(IllegalArgumentException.class,
                    () -> ServerConfig.parseSocketGroup(bad));
            assertTrue(b.getMessage().startsWith("socket group '" + bad + "'"), b.getMessage());
        }

        Path socket = Tools.socketPath(dir, "u.sock");
        String[] result = cli("--listen", "unix://" + socket, "--socket-group", NO_SUCH_GROUP);
        assertEquals("2", result[0], result[1]);
        assertTrue(result[1].startsWith("echoack-server: --socket-group: socket group '" + NO_SUCH_GROUP
                + "' does not exist"), result[1]);
        assertFalse(Files.exists(socket, LinkOption.NOFOLLOW_LINKS), "nothing was bound");

        try (ChildProcess server = startServer(List.of(), Map.of("ECHOACK_LISTEN", "unix://" + socket,
                "ECHOACK_SOCKET_GROUP", NO_SUCH_GROUP))) {
            ChildProcess.Result r = server.awaitExit(Duration.ofSeconds(30));
            assertEquals(2, r.exitCode(), r::toString);
            List<String> errors = errorLines(r.stderr());
            assertEquals(1, errors.size(), r::toString);
            assertTrue(errors.get(0).startsWith("echoack-server: ECHOACK_SOCKET_GROUP: socket group '"
                    + NO_SUCH_GROUP + "' does not exist"), r::toString);
        }
    }

    @Test
    void aGroupTheServerMayNotGiveIsAStartupErrorNamingPathAndGroup() throws Exception {
        assumeRootAndSetpriv();
        // The server runs as uid 65534 in group 65534 only: chown(2) to another group is not permitted.
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxrwxrwx"));
        Path socket = Tools.socketPath(dir, "p.sock");
        try (ChildProcess server = startServer(List.of("/usr/bin/setpriv", "--reuid=" + NOBODY,
                "--regid=" + NOBODY, "--clear-groups"), Map.of(), "--listen", "unix://" + socket,
                "--socket-group", String.valueOf(GID))) {
            ChildProcess.Result r = server.awaitExit(Duration.ofSeconds(30));
            assertEquals(2, r.exitCode(), r::toString);
            assertEquals(List.of("echoack-server: cannot listen on unix://" + socket + ": cannot give socket file "
                    + socket + " to group '" + GID + "': Operation not permitted (the server must run as root or as a "
                    + "member of that group)"), errorLines(r.stderr()),
                    () -> "one line naming the path and the group\n" + r);
        }
        assertFalse(Files.exists(socket, LinkOption.NOFOLLOW_LINKS), "the half-made socket file is removed");
    }
}
