package io.echoack.server.testing;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.echoack.common.endpoint.Endpoint;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.opentest4j.TestAbortedException;

/** Starts the real server, {@code java -jar target/echoack-server.jar ARGS}, as a child process. */
public final class ServerProcess {

    /** Generous: a cold JVM on a busy CI machine, loading Netty's native transport. */
    public static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(30);
    /** What the server logs on stderr for each endpoint it bound. */
    public static final String LISTENING = "INFO  EchoAckServer - listening on ";
    private static final Pattern BOUND = Pattern.compile("listening on (\\S+) \\(");

    private ServerProcess() {
    }

    /**
     * Starts the server with {@code args} and waits until it logged {@code listeners} "listening on" lines.
     * Inherited {@code ECHOACK_*} variables are removed, so the flags alone configure it. Paranoid leak
     * detection is on, so that the caller can check stderr for leak reports.
     *
     * @throws TestAbortedException when {@code abortIfInUse} and the server could not bind because another
     *                              process holds an address (the test then did not really run)
     * @throws AssertionError       when it exited or did not start listening in time for any other reason
     */
    public static ChildProcess start(List<String> args, int listeners, boolean abortIfInUse)
            throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(Tools.java(), "-Dio.netty.leakDetection.level=paranoid",
                "-jar", Tools.serverJar()));
        command.addAll(args);
        ChildProcess server = ChildProcess.startWithout(command, name -> name.startsWith("ECHOACK_"));
        try {
            boolean listening = server.awaitStderr(err -> count(err, LISTENING) >= listeners, STARTUP_TIMEOUT);
            if (!listening && abortIfInUse) {
                // Free when checked, taken when bound: another process got there in between.
                String err = server.stderrText();
                if (err.contains("address already in use") || err.contains("another server is listening")) {
                    throw new TestAbortedException("an endpoint is taken by another process: " + err.strip());
                }
            }
            assertTrue(listening, () -> "server did not log " + listeners + " '" + LISTENING.strip()
                    + "' lines within " + STARTUP_TIMEOUT + "\n" + server);
            return server;
        } catch (RuntimeException | Error e) {
            server.close();
            throw e;
        }
    }

    /** The endpoints {@code server} logged as bound, in order: port 0 resolved to the real port. */
    public static List<Endpoint> bound(ChildProcess server) {
        List<Endpoint> endpoints = new ArrayList<>();
        Matcher m = BOUND.matcher(server.stderrText());
        while (m.find()) {
            endpoints.add(Endpoint.parse(m.group(1)));
        }
        return endpoints;
    }

    /** Lines of a server's stderr at WARN or ERROR level, and leak reports, which a clean run has none of. */
    public static List<String> problems(String stderr) {
        return Stream.of(stderr.split("\n"))
                .filter(line -> line.contains(" WARN ") || line.contains(" ERROR ") || line.contains("LEAK"))
                .toList();
    }

    private static int count(String text, String part) {
        int n = 0;
        for (int i = text.indexOf(part); i >= 0; i = text.indexOf(part, i + part.length())) {
            n++;
        }
        return n;
    }
}
