package io.echoack.server.service;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.echoack.common.endpoint.Endpoint;
import io.echoack.server.testing.TlsClients;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;

/**
 * How a client over loopback sees a listener's faults, whether set in the config file or on {@code /faults}: a
 * line's reply over a new connection, a reset, how many datagrams get their echo back.
 */
final class FaultProbes {

    private FaultProbes() {
    }

    /** One line over a new connection; its one-line reply, stripped (an ack listener's is "I got your message"). */
    static String exchange(Endpoint tcp) throws IOException {
        try (Socket s = TlsClients.tcp(tcp)) {
            s.getOutputStream().write("hi\n".getBytes(US_ASCII));
            return new String(s.getInputStream().readNBytes(19), US_ASCII).strip();
        }
    }

    /** Asserts that a new connection's line is answered by a reset (a reset fault), not a reply or a FIN. */
    static void assertResets(Endpoint tcp) {
        SocketException e = assertThrows(SocketException.class, () -> exchange(tcp), "a reset");
        assertTrue(e.getMessage().contains("reset"), e.getMessage());
    }

    /** How many of {@code n} datagrams sent one at a time got their echo back (each waited for up to 300 ms). */
    static int answered(Endpoint udp, int n) throws IOException {
        int answered = 0;
        try (DatagramSocket socket = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0))) {
            socket.setSoTimeout(300);
            for (int i = 0; i < n; i++) {
                byte[] sent = ("ping " + i).getBytes(US_ASCII);
                socket.send(new DatagramPacket(sent, sent.length, new InetSocketAddress(udp.host(), udp.port())));
                DatagramPacket reply = new DatagramPacket(new byte[100], 100);
                try {
                    while (true) { // bounded by the timeout: a late reply to an earlier ping is skipped
                        socket.receive(reply);
                        if (new String(reply.getData(), 0, reply.getLength(), US_ASCII).equals("ping " + i)) {
                            answered++;
                            break;
                        }
                    }
                } catch (SocketTimeoutException e) {
                    // lost
                }
            }
        }
        return answered;
    }
}
