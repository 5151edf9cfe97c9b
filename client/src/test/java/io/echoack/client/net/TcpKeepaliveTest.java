package io.echoack.client.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.echoack.common.endpoint.Endpoint;
import io.echoack.common.text.InvalidFieldException;
import io.echoack.common.transport.Transport;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Where keepalive cannot be set, the library says so naming the settings to change (the CLI renders them as its
 * flags); the kqueue case is checked here since kqueue does not run on the Linux machines that run the tests.
 */
@Timeout(10)
class TcpKeepaliveTest {

    private static final Map<String, String> FLAGS = Map.of("keepalive", "--keepalive", "transport", "--transport");

    @Test
    void kqueueCannotSetTheIdleTimeAndSaysToUseNio() {
        InvalidFieldException e = assertThrows(InvalidFieldException.class,
                () -> TcpKeepalive.requireUsable(Transport.KQUEUE, Endpoint.parse("tcp://127.0.0.1:7")));
        assertEquals("--keepalive: the kqueue transport cannot set the keepalive idle time and interval of a "
                + "connection; use --transport nio", e.fieldMessage().orElseThrow().render(FLAGS::get));
    }

    @Test
    void anEndpointWithoutTcpIsRefusedByName() {
        for (String endpoint : new String[] {"udp://127.0.0.1:7", "unix:///tmp/echoack.sock",
                "unixgram:///tmp/echoack.sock"}) {
            InvalidFieldException e = assertThrows(InvalidFieldException.class,
                    () -> TcpKeepalive.requireUsable(Transport.EPOLL, Endpoint.parse(endpoint)));
            assertEquals("--keepalive is TCP keepalive: it works on tcp:// and tls:// endpoints only, and "
                    + Endpoint.parse(endpoint).address() + " has no TCP", e.fieldMessage().orElseThrow()
                    .render(FLAGS::get));
        }
    }

    @Test
    void tcpAndTlsAreFineOnEveryTransportThatCanSetIt() {
        for (Transport transport : new Transport[] {Transport.EPOLL, Transport.IO_URING, Transport.NIO}) {
            TcpKeepalive.requireUsable(transport, Endpoint.parse("tcp://127.0.0.1:7"));
            TcpKeepalive.requireUsable(transport, Endpoint.parse("tls://127.0.0.1:7"));
        }
    }
}
