package io.echoack.server.service;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.echoack.common.endpoint.Endpoint;
import io.echoack.server.EchoAckServer;
import io.echoack.server.RunningServer;
import io.echoack.server.config.ServerConfig;
import io.echoack.server.limits.ConnectionLimits;
import io.echoack.server.limits.Timeouts;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.BindException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The hardening settings wired into a running server, over real sockets: what is answered and what is not,
 * and that each refusal is counted in the metrics.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class HardeningIT {

    private static double metric(RunningServer server, String series) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        server.metrics().writeTo(out);
        Double v = AdminEndpointIT.samples(out.toString(US_ASCII)).get(series);
        return v == null ? 0 : v;
    }

    private static Socket connect(Endpoint e) throws IOException {
        Socket s = new Socket();
        s.connect(new InetSocketAddress(e.host(), e.port()), 5000);
        s.setSoTimeout(5000);
        return s;
    }

    private static String ack(Socket s) throws IOException {
        s.getOutputStream().write("hi\n".getBytes(US_ASCII));
        return new String(s.getInputStream().readNBytes(19), US_ASCII);
    }

    private static DatagramSocket udpFrom(int port) throws IOException {
        DatagramSocket d = new DatagramSocket(null);
        d.setReuseAddress(true);
        d.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
        d.setSoTimeout(1000);
        return d;
    }

    private static String udp(DatagramSocket d, Endpoint to) throws IOException {
        d.send(new DatagramPacket("hello".getBytes(US_ASCII), 5, new InetSocketAddress(to.host(), to.port())));
        DatagramPacket in = new DatagramPacket(new byte[64], 64);
        d.receive(in);
        return new String(in.getData(), 0, in.getLength(), US_ASCII);
    }

    @Test
    void udpRepliesNeverGoToPrivilegedOrZeroSourcePortsByDefault() throws Exception {
        try (RunningServer server = EchoAckServer.start(ServerConfig.defaults().withListen("udp://127.0.0.1:0"));
             DatagramSocket ordinary = udpFrom(0)) {
            Endpoint udp = server.boundEndpoints().get(0);
            assertEquals("Got your message", udp(ordinary, udp));
            DatagramSocket privileged;
            try {
                privileged = udpFrom(1019); // a reflector's favourite victims: low ports (needs root)
            } catch (BindException notRoot) {
                assumeTrue(false, "binding a privileged port needs root");
                return;
            }
            try (privileged) {
                assertThrows(SocketTimeoutException.class, () -> udp(privileged, udp));
            }
            assertEquals(1.0, metric(server,
                    "echoack_datagrams_dropped_total{endpoint=\"udp://127.0.0.1:0\",reason=\"privileged_port\"}"));
            assertEquals("Got your message", udp(ordinary, udp), "other sources are still served");
        }
    }

    @Test
    void allowedPrivilegedPortAndDisabledGuard() throws Exception {
        ServerConfig config = ServerConfig.defaults().withListen("udp://127.0.0.1:0");
        try (RunningServer server = EchoAckServer.start(config.withUdpGuard(
                config.udpGuard().withAllowedPrivilegedPorts(java.util.Set.of(1018))))) {
            DatagramSocket d;
            try {
                d = udpFrom(1018);
            } catch (BindException notRoot) {
                assumeTrue(false, "binding a privileged port needs root");
                return;
            }
            try (d) {
                assertEquals("Got your message", udp(d, server.boundEndpoints().get(0)));
            }
        }
    }

    @Test
    void connectionsOverThePerAddressLimitAreResetAtOnceOthersUnharmed() throws Exception {
        try (RunningServer server = EchoAckServer.start(ServerConfig.defaults().withListen("tcp://127.0.0.1:0")
                .withLimits(new ConnectionLimits(10, 2)))) {
            Endpoint tcp = server.boundEndpoints().get(0);
            try (Socket a = connect(tcp); Socket b = connect(tcp)) {
                assertEquals("I got your message\n", ack(a));
                assertEquals("I got your message\n", ack(b));
                Refusals.assertReset(() -> connect(tcp), "the third connection is reset at once");
                assertEquals("I got your message\n", ack(a), "existing connections unharmed");
            }
            assertEquals(1.0, metric(server, "echoack_connections_closed_total{endpoint=\"tcp://127.0.0.1:0\","
                    + "reason=\"max_connections_per_ip\"}"));
        }
    }

    @Test
    void sourcesOutsideAllowAreRefused() throws Exception {
        try (RunningServer server = EchoAckServer.start(ServerConfig.defaults()
                .withListen("tcp://127.0.0.1:0", "udp://127.0.0.1:0").withAllow("10.0.0.0/8"))) {
            Refusals.assertReset(() -> connect(server.boundEndpoints().get(0)), "a source outside --allow");
            try (DatagramSocket d = udpFrom(0)) {
                assertThrows(SocketTimeoutException.class, () -> udp(d, server.boundEndpoints().get(1)));
            }
            assertEquals(1.0, metric(server,
                    "echoack_connections_closed_total{endpoint=\"tcp://127.0.0.1:0\",reason=\"not_allowed\"}"));
            assertEquals(1.0, metric(server,
                    "echoack_datagrams_dropped_total{endpoint=\"udp://127.0.0.1:0\",reason=\"not_allowed\"}"));
        }
        try (RunningServer server = EchoAckServer.start(ServerConfig.defaults()
                .withListen("tcp://127.0.0.1:0").withAllow("127.0.0.0/8"));
             Socket s = connect(server.boundEndpoints().get(0))) {
            assertEquals("I got your message\n", ack(s));
        }
    }

    @Test
    void silentAndSlowlorisConnectionsAreCut() throws Exception {
        try (RunningServer server = EchoAckServer.start(ServerConfig.defaults().withListen("tcp://127.0.0.1:0")
                .withTimeouts(new Timeouts(Duration.ofMillis(300), Duration.ofMillis(600))))) {
            try (Socket silent = connect(server.boundEndpoints().get(0))) { // no byte, so no frame clock either
                assertEquals(-1, silent.getInputStream().read(), "closed after the idle timeout");
            }
            assertEquals(1.0, metric(server,
                    "echoack_connections_closed_total{endpoint=\"tcp://127.0.0.1:0\",reason=\"idle_timeout\"}"));
        }
        // The slow writer pauses 100 ms between bytes; an idle timeout of 30 s cannot beat the 600 ms frame
        // deadline however slow this machine is, so the cut is the frame deadline's.
        try (RunningServer server = EchoAckServer.start(ServerConfig.defaults().withListen("tcp://127.0.0.1:0")
                .withTimeouts(new Timeouts(Duration.ofSeconds(30), Duration.ofMillis(600))));
             Socket slow = connect(server.boundEndpoints().get(0))) {
            assertEquals("I got your message\n", ack(slow));
            try { // a byte every 100 ms, never a whole line; bounded to 200 bytes (20 s)
                for (int i = 0; i < 200; i++) {
                    slow.getOutputStream().write('x');
                    Thread.sleep(100);
                }
            } catch (IOException cutWhileWriting) {
                // the server closed it: that is what we wait for
            }
            slow.setSoTimeout(5000);
            assertEquals(-1, slow.getInputStream().read(), "cut at the frame deadline");
            assertEquals(1.0, metric(server,
                    "echoack_connections_closed_total{endpoint=\"tcp://127.0.0.1:0\",reason=\"frame_timeout\"}"));
            assertEquals(0.0, metric(server,
                    "echoack_connections_closed_total{endpoint=\"tcp://127.0.0.1:0\",reason=\"idle_timeout\"}"));
        }
    }
}
