package io.echoack.server.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.echoack.common.testing.LeakGuard;
import io.echoack.server.config.ServerConfig;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import io.echoack.server.testing.Tools;

/**
 * A server that served and closed leaves no buffer behind: with paranoid leak detection, nothing it
 * allocated may be reported once it is garbage. This matters to embedders that start and stop servers
 * (tests, reloads), and it is what lets every other in-process test rely on the leak guard.
 */
@Timeout(60)
class ClosedServerLeakIT {

    @TempDir
    Path dir;

    @Test
    void closedServerLeavesNoLeakReports() throws Exception {
        LeakGuard.collect(); // start from a clean slate
        Map<String, String> endpoints = new LinkedHashMap<>();
        endpoints.put("tcp", "tcp://127.0.0.1:0");
        endpoints.put("udp", "udp://127.0.0.1:0");
        endpoints.put("unix", "unix://" + Tools.socketPath(dir, "s.sock"));
        try (InteropServer server = InteropServer.start(ServerConfig.defaults().withThreads(1), endpoints)) {
            try (Socket client = new Socket("127.0.0.1", Integer.parseInt(server.port("tcp")))) {
                client.setSoTimeout(20_000);
                client.getOutputStream().write("hello\n".getBytes(StandardCharsets.US_ASCII));
                client.shutdownOutput();
                assertEquals("I got your message\n",
                        new String(client.getInputStream().readAllBytes(), StandardCharsets.US_ASCII));
            }
        }
        List<String> leaks = LeakGuard.collect();
        assertEquals(List.of(), leaks, () -> leaks.size() + " leak report(s) after the server closed");
    }
}
