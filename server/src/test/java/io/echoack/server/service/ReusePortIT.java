package io.echoack.server.service;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.echoack.common.testing.TestTransports;
import io.echoack.common.transport.Transport;
import io.echoack.server.EchoAckServer;
import io.echoack.server.RunningServer;
import io.echoack.server.config.ServerConfig;
import io.echoack.server.startup.ServerStartException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Several server processes on one port (SO_REUSEPORT), here two servers in one JVM. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ReusePortIT {

    static Stream<Transport> transports() {
        return TestTransports.available(Transport.EPOLL, Transport.NIO);
    }

    @ParameterizedTest
    @MethodSource("transports")
    void twoServersShareTcpAndUdpPorts(Transport transport) throws Exception {
        ServerConfig config = ServerConfig.defaults().withTransport(transport).withReusePort(true);
        try (RunningServer first = EchoAckServer.start(config.withListen("tcp://127.0.0.1:0"))) {
            int port = first.boundEndpoints().get(0).port();
            ServerConfig samePort = config.withListen("tcp://127.0.0.1:" + port, "udp://127.0.0.1:" + port);
            try (RunningServer second = EchoAckServer.start(samePort);
                 RunningServer third = EchoAckServer.start(samePort.withListen("udp://127.0.0.1:" + port))) {
                for (int i = 0; i < 10; i++) { // the kernel spreads connections over both listeners
                    try (Socket s = new Socket()) {
                        s.connect(new InetSocketAddress("127.0.0.1", port), 5000);
                        s.setSoTimeout(5000);
                        s.getOutputStream().write("hi\n".getBytes(US_ASCII));
                        assertEquals("I got your message\n", new String(s.getInputStream().readNBytes(19), US_ASCII));
                    }
                }
                try (DatagramSocket d = new DatagramSocket()) {
                    d.setSoTimeout(5000);
                    d.send(new DatagramPacket(new byte[] {'x'}, 1, new InetSocketAddress("127.0.0.1", port)));
                    DatagramPacket reply = new DatagramPacket(new byte[64], 64);
                    d.receive(reply);
                    assertEquals("Got your message", new String(reply.getData(), 0, reply.getLength(), US_ASCII));
                }
            }
        }
    }

    @ParameterizedTest
    @MethodSource("transports")
    void withoutItTheSecondServerIsRefused(Transport transport) throws Exception {
        ServerConfig config = ServerConfig.defaults().withTransport(transport);
        try (RunningServer first = EchoAckServer.start(config.withReusePort(true).withListen("tcp://127.0.0.1:0"))) {
            int port = first.boundEndpoints().get(0).port();
            ServerStartException e = assertThrows(ServerStartException.class,
                    () -> EchoAckServer.start(config.withListen("tcp://127.0.0.1:" + port)));
            assertTrue(e.getMessage().endsWith("address already in use"), e.getMessage());
        }
    }
}
