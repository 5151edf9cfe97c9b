package io.echoack.client.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.echoack.common.endpoint.Datagrams;
import io.echoack.common.endpoint.Endpoint;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.util.InsecureTrustManagerFactory;
import io.netty.util.concurrent.Future;
import java.net.ConnectException;
import java.nio.channels.ClosedChannelException;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** What the client and the bench share about opening channels: when a channel is ready, how big a reply is. */
@Timeout(10)
class ClientBootstrapsTest {

    @Test
    void aPlainChannelIsReadyOnceConnected() {
        EmbeddedChannel channel = new EmbeddedChannel();
        Future<Channel> ready = ClientBootstraps.ready(channel.newSucceededFuture());
        assertTrue(ready.isSuccess());
        assertSame(channel, ready.getNow());
        channel.finishAndReleaseAll();
    }

    @Test
    void aFailedConnectFailsReadinessWithItsCause() {
        EmbeddedChannel channel = new EmbeddedChannel();
        ConnectException refused = new ConnectException("Connection refused");
        Future<Channel> ready = ClientBootstraps.ready(channel.newFailedFuture(refused));
        assertSame(refused, ready.cause());
        channel.finishAndReleaseAll();
    }

    @Test
    void aTlsChannelIsReadyOnlyAfterItsHandshakeAndFailsWithTheHandshakesCause() throws Exception {
        EmbeddedChannel channel = new EmbeddedChannel(SslContextBuilder.forClient()
                .trustManager(InsecureTrustManagerFactory.INSTANCE).build().newHandler(
                        UnpooledByteBufAllocator.DEFAULT));
        var connected = channel.newSucceededFuture();
        Future<Channel> ready = ClientBootstraps.ready(connected);
        assertFalse(ready.isDone(), "connected, but the handshake is not done");
        channel.close(); // the peer went away during the handshake
        assertTrue(ready.isDone());
        assertTrue(connected.isSuccess(), "the connect succeeded: the handshake is what failed");
        assertTrue(ready.cause() instanceof ClosedChannelException
                || ready.cause().getCause() instanceof ClosedChannelException, String.valueOf(ready.cause()));
        channel.finishAndReleaseAll();
    }

    @Test
    void aUdpReplyIsAtMostOneDatagramAUnixOneIsAtMostTheMaxFrame() {
        assertEquals(Datagrams.MAX_PAYLOAD_BYTES,
                ClientBootstraps.largestDatagramPayload(Endpoint.parse("udp://h:7"), 100_000));
        assertEquals(1000, ClientBootstraps.largestDatagramPayload(Endpoint.parse("udp://h:7"), 1000));
        assertEquals(100_000, ClientBootstraps.largestDatagramPayload(Endpoint.parse("unixgram:///tmp/x.sock"),
                100_000));
    }

    @Test
    void aConnectTimeoutIsWholeMillisecondsAtLeastOne() {
        assertEquals(1, ClientBootstraps.connectTimeoutMillis(Duration.ofNanos(1)));
        assertEquals(2500, ClientBootstraps.connectTimeoutMillis(Duration.ofMillis(2500)));
        assertEquals(Integer.MAX_VALUE, ClientBootstraps.connectTimeoutMillis(Duration.ofDays(365)));
    }
}
