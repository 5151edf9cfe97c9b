package io.echoack.client.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.echoack.common.endpoint.Endpoint;
import io.netty.channel.ConnectTimeoutException;
import io.netty.handler.codec.DecoderException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.PortUnreachableException;
import java.net.SocketException;
import java.net.UnknownHostException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.UnresolvedAddressException;
import java.time.Duration;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeoutException;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.Test;

class FailureKindTest {

    private static final Endpoint TCP = Endpoint.parse("tcp://127.0.0.1:7");

    @Test
    void theClientsExceptionsKnowTheirKind() {
        assertEquals(FailureKind.TIMEOUT, new ReplyTimeoutException(TCP, Duration.ofSeconds(1), 1).kind());
        assertEquals(FailureKind.REFUSED, new ConnectionRefusedException(TCP, null, null).kind());
        assertEquals(FailureKind.RESET, new ConnectionClosedException(TCP, "closed").kind());
        assertEquals(FailureKind.WRONG_REPLY, new InvalidReplyException(TCP, "bad", null).kind());
        assertEquals(FailureKind.OTHER, new EchoAckClientException(TCP, "interrupted").kind());
        assertEquals(FailureKind.TLS, new TlsException(TCP, "handshake failed", new ClosedChannelException()).kind());
    }

    @Test
    void aConnectionClosedByAFailedTlsIsATlsFailure() {
        // TLS 1.3: the server refuses a client certificate after the client's handshake is done, so the client
        // sees its connection closed, caused by the server's alert.
        assertEquals(FailureKind.TLS, new ConnectionClosedException(TCP, "closed",
                new DecoderException(new SSLHandshakeException("certificate required"))).kind());
        assertEquals(FailureKind.RESET, new ConnectionClosedException(TCP, "closed",
                new IOException("Connection reset by peer")).kind());
    }

    @Test
    void aConnectFailureTakesTheKindOfItsCause() {
        assertEquals(FailureKind.RESOLVE, new ConnectFailedException(TCP, "x", new UnknownHostException("h")).kind());
        assertEquals(FailureKind.RESOLVE,
                EchoAckClient.connectFailure(TCP, Duration.ofSeconds(1), new UnresolvedAddressException()).kind());
        assertEquals(FailureKind.TIMEOUT, EchoAckClient.connectFailure(TCP, Duration.ofSeconds(1),
                new ConnectTimeoutException("connection timed out")).kind());
        assertEquals(FailureKind.TIMEOUT, new ConnectFailedException(TCP, "x", new TimeoutException()).kind());
        assertEquals(FailureKind.REFUSED, EchoAckClient.connectFailure(TCP, Duration.ofSeconds(1),
                new CompletionException(new ConnectException("Connection refused"))).kind());
        assertEquals(FailureKind.OTHER, new ConnectFailedException(TCP, "x", new IOException("Permission denied")).kind());
    }

    @Test
    void ioExceptionsAreClassifiedByTypeThenMessage() {
        assertEquals(FailureKind.TIMEOUT, FailureKind.of(new ConnectTimeoutException("timed out")));
        assertEquals(FailureKind.REFUSED, FailureKind.of(new ConnectException("finishConnect(..) failed")));
        // An RST while connecting: the server accepted the connection, then reset it (a connection limit).
        assertEquals(FailureKind.RESET,
                FailureKind.of(new ConnectException("finishConnect(..) failed with error(-104): Connection reset by peer")));
        assertEquals(FailureKind.REFUSED, FailureKind.of(new ConnectException("Connection refused")));
        assertEquals(FailureKind.REFUSED, FailureKind.of(new PortUnreachableException("icmp")));
        assertEquals(FailureKind.REFUSED, FailureKind.of(new IOException("connect(..) failed: No such file or directory")));
        assertEquals(FailureKind.RESET, FailureKind.of(new IOException("recvAddress(..) failed: Connection reset by peer")));
        assertEquals(FailureKind.RESET, FailureKind.of(new IOException("writev(..) failed: Broken pipe")));
        assertEquals(FailureKind.RESET, FailureKind.of(new ClosedChannelException()));
        assertEquals(FailureKind.TLS, FailureKind.of(new DecoderException(new SSLHandshakeException("bad cert"))));
        assertEquals(FailureKind.OTHER, FailureKind.of(new IllegalStateException("bug")));
        assertEquals(FailureKind.OTHER, FailureKind.of(null));
    }

    /** An RST as each transport words it; a clean close (FIN) raises no error at all, so nothing else is one. */
    @Test
    void aResetIsToldByItsMessageOnEveryTransport() {
        assertTrue(FailureKind.isReset(new SocketException("Connection reset"))); // NIO's read
        assertTrue(FailureKind.isReset(new IOException("Connection reset by peer"))); // NIO's write
        assertTrue(FailureKind.isReset(new IOException(
                "recvAddress(..) failed with error(-104): Connection reset by peer"))); // epoll
        assertTrue(FailureKind.isReset(new IOException("read(..) failed with error(-104): Connection reset by peer")));
        assertTrue(FailureKind.isReset(new IOException("writevAddresses(..) failed with error(-32): Broken pipe")));
        assertTrue(FailureKind.isReset(new ConnectionClosedException(TCP, "connection to x failed: Connection reset",
                new SocketException("Connection reset"))), "through the cause chain");
        assertFalse(FailureKind.isReset(new ConnectionClosedException(TCP, "closed")));
        assertFalse(FailureKind.isReset(new ClosedChannelException()), "closed under us, not by an RST");
        assertFalse(FailureKind.isReset(new IOException("Connection timed out")));
        assertFalse(FailureKind.isReset(new SSLException("Connection reset")), "a TLS failure is a TLS failure");
        assertFalse(FailureKind.isReset(null));
    }

    @Test
    void idsAreLowerCase() {
        assertEquals("wrong_reply", FailureKind.WRONG_REPLY.id());
    }
}
