package io.echoack.server.tls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.echoack.server.limits.CloseCounter;
import io.echoack.server.limits.CloseReason;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.ssl.NotSslRecordException;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import io.netty.handler.ssl.SslHandshakeTimeoutException;
import java.nio.channels.ClosedChannelException;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.Test;

class TlsHandshakeHandlerTest {

    private final CloseCounter closes = new CloseCounter();
    private final List<Object> events = new ArrayList<>();

    private EmbeddedChannel channel() {
        return new EmbeddedChannel(new TlsHandshakeHandler(closes), new ChannelInboundHandlerAdapter() {
            @Override
            public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
                events.add(evt);
            }
        });
    }

    @Test
    void aSuccessfulHandshakeRemovesTheHandler() {
        EmbeddedChannel ch = channel();
        ch.pipeline().fireUserEventTriggered(SslHandshakeCompletionEvent.SUCCESS);
        assertNull(ch.pipeline().get(TlsHandshakeHandler.class));
        assertEquals(List.of(SslHandshakeCompletionEvent.SUCCESS), events);
        assertTrue(ch.isOpen());
        assertEquals(0, closes.total());
        assertFalse(ch.finish());
    }

    @Test
    void aFailedHandshakeIsCountedAndClosed() {
        EmbeddedChannel ch = channel();
        NotSslRecordException cause = new NotSslRecordException("not an SSL/TLS record: " + "68656c6c6f0a".repeat(100));
        ch.pipeline().fireUserEventTriggered(new SslHandshakeCompletionEvent(cause));
        assertFalse(ch.isOpen());
        assertEquals(1, closes.count(CloseReason.TLS_HANDSHAKE_FAILED));
        assertEquals(1, events.size(), "the event is passed on");
        assertFalse(ch.finish());
    }

    @Test
    void errorsDuringTheHandshakeStopHereAndClose() {
        EmbeddedChannel ch = channel();
        // The SslHandler reports a failure once more as an exception, right after the completion event.
        ch.pipeline().fireExceptionCaught(new DecoderException(new NotSslRecordException("not an SSL/TLS record")));
        ch.checkException(); // nothing reached the end of the pipeline (where it would be logged at WARN)
        assertFalse(ch.isOpen());
        assertEquals(0, closes.total(), "counted by the completion event, not twice");
        assertFalse(ch.finish());
    }

    @Test
    void rejectedCertificatesCountAsFailed() {
        EmbeddedChannel ch = channel();
        ch.pipeline().fireUserEventTriggered(new SslHandshakeCompletionEvent(
                new SSLHandshakeException("Empty client certificate chain")));
        assertEquals(1, closes.count(CloseReason.TLS_HANDSHAKE_FAILED));
        assertFalse(ch.isOpen());
    }

    @Test
    void aTimedOutHandshakeHasItsOwnReason() {
        EmbeddedChannel ch = channel();
        ch.pipeline().fireUserEventTriggered(new SslHandshakeCompletionEvent(
                new SslHandshakeTimeoutException("handshake timed out after 10000ms")));
        assertEquals(1, closes.count(CloseReason.TLS_HANDSHAKE_TIMEOUT));
        assertEquals(1, closes.total());
        assertFalse(ch.isOpen());
    }

    @Test
    void aPeerLeavingDuringTheHandshakeIsNotTheServersDoing() {
        EmbeddedChannel ch = channel();
        ch.pipeline().fireUserEventTriggered(new SslHandshakeCompletionEvent(new ClosedChannelException()));
        assertEquals(0, closes.total());
        assertFalse(ch.finish());
    }

    @Test
    void describeIsOneShortLineOfTheInnermostCause() {
        String text = TlsHandshakeHandler.describe(new DecoderException(new NotSslRecordException("x".repeat(500))));
        assertTrue(text.startsWith("NotSslRecordException: xxx"), text);
        assertTrue(text.length() <= 163, text);
        assertSame(CloseReason.TLS_HANDSHAKE_FAILED, CloseReason.valueOf("TLS_HANDSHAKE_FAILED"));
        assertEquals("tls_handshake_timeout", CloseReason.TLS_HANDSHAKE_TIMEOUT.label());
    }
}
