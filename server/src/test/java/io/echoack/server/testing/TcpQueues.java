package io.echoack.server.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * The kernel's queues of one established TCP connection, as Linux shows them in {@code /proc/net/tcp}: what
 * a test looks at to know that data has really backed up (bytes a peer has not read, bytes a sender could not
 * get acknowledged), instead of sleeping and hoping it has.
 *
 * @param sendQueue    bytes written by this side and not yet acknowledged by the peer ({@code tx_queue})
 * @param receiveQueue bytes received by this side and not yet read by its application ({@code rx_queue})
 */
public record TcpQueues(long sendQueue, long receiveQueue) {

    private static final List<Path> TABLES = List.of(Path.of("/proc/net/tcp"), Path.of("/proc/net/tcp6"));
    private static final String ESTABLISHED = "01";

    /** True when this machine shows socket queues ({@code /proc/net/tcp}, Linux). */
    public static boolean observable() {
        return Files.isReadable(TABLES.get(0));
    }

    /**
     * The queues of the established connection from local port {@code localPort} to remote port
     * {@code remotePort} (either address), or empty when there is none (or nothing is observable here).
     */
    public static Optional<TcpQueues> of(int localPort, int remotePort) throws IOException {
        for (Path table : TABLES) {
            if (!Files.isReadable(table)) {
                continue;
            }
            for (String line : Files.readAllLines(table)) {
                String[] f = line.trim().split("\\s+");
                if (f.length < 5 || !f[0].endsWith(":") || !f[3].equals(ESTABLISHED)) {
                    continue; // the header, or another state
                }
                if (port(f[1]) == localPort && port(f[2]) == remotePort) {
                    String[] queues = f[4].split(":");
                    return Optional.of(new TcpQueues(Long.parseLong(queues[0], 16), Long.parseLong(queues[1], 16)));
                }
            }
        }
        return Optional.empty();
    }

    private static int port(String address) {
        return Integer.parseInt(address.substring(address.lastIndexOf(':') + 1), 16);
    }
}
