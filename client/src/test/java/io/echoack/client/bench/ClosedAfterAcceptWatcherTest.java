package io.echoack.client.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import java.io.IOException;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.Test;

class ClosedAfterAcceptWatcherTest {

    private final AtomicInteger closed = new AtomicInteger();

    /** A channel with the watcher and, after it, a handler that closes on any exception, as bench's do. */
    private EmbeddedChannel channel() {
        return new EmbeddedChannel(new ClosedAfterAcceptWatcher(closed), new ChannelInboundHandlerAdapter() {
            @Override
            public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
                ctx.close();
            }
        });
    }

    @Test
    void theServerClosingBeforeAnyByteIsCountedAsClosed() {
        EmbeddedChannel channel = channel();
        channel.pipeline().fireChannelInactive(); // EOF: the transport closes without the pipeline
        assertEquals(1, closed.get());
        assertEquals(Counter.CLOSED,
                ClosedAfterAcceptWatcher.counter(channel, new SSLHandshakeException("closed during handshake")));
        channel.finishAndReleaseAll();
    }

    @Test
    void theServerResettingBeforeAnyByteIsCountedAsReset() {
        EmbeddedChannel channel = channel();
        channel.pipeline().fireExceptionCaught(new IOException("Connection reset by peer"));
        assertEquals(1, closed.get());
        assertEquals(Counter.RESET,
                ClosedAfterAcceptWatcher.counter(channel, new SSLHandshakeException("closed during handshake")));
        channel.finishAndReleaseAll();
    }

    /** The RST of a server that resets what it accepts can fail the connect itself: counted the same. */
    @Test
    void aConnectResetByTheServerIsCountedAsResetAfterAccept() {
        EmbeddedChannel channel = channel();
        assertEquals(Counter.RESET, ClosedAfterAcceptWatcher.connectFailed(channel,
                new java.net.ConnectException("finishConnect(..) failed with error(-104): Connection reset by peer"),
                closed));
        assertEquals(1, closed.get());
        assertEquals(Counter.REFUSED, ClosedAfterAcceptWatcher.connectFailed(channel(),
                new java.net.ConnectException("finishConnect(..) failed: Connection refused"), closed));
        assertEquals(1, closed.get(), "nothing listening is not a connection the server closed");
        channel.finishAndReleaseAll();
    }

    @Test
    void aConnectionThatGotAByteOrThatBenchClosedIsNot() {
        EmbeddedChannel answered = channel();
        answered.writeInbound(Unpooled.wrappedBuffer(new byte[] {'I'}));
        assertNull(answered.pipeline().get(ClosedAfterAcceptWatcher.class), "gone from the message path");
        answered.pipeline().fireChannelInactive();
        answered.finishAndReleaseAll();

        EmbeddedChannel ours = channel();
        ours.close();
        ours.finishAndReleaseAll();
        EmbeddedChannel tls = channel();
        tls.pipeline().fireExceptionCaught(new SSLHandshakeException("certificate not trusted"));
        assertEquals(0, closed.get());
        assertEquals(Counter.TLS,
                ClosedAfterAcceptWatcher.counter(tls, new SSLHandshakeException("certificate not trusted")));
        tls.finishAndReleaseAll();
    }
}
