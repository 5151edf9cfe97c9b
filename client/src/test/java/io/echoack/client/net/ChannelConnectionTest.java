package io.echoack.client.net;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.echoack.common.codec.Framing;
import io.echoack.common.codec.ReplyMode;
import io.echoack.common.endpoint.Endpoint;
import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.channel.local.LocalAddress;
import io.netty.channel.local.LocalChannel;
import io.netty.channel.local.LocalIoHandler;
import io.netty.channel.local.LocalServerChannel;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** What a request does when the connection's outbound buffer is full, on the event loop (which must not wait). */
@Timeout(10)
class ChannelConnectionTest {

    private static final Endpoint ENDPOINT = Endpoint.parse("tcp://127.0.0.1:7");
    private static final ExchangeSettings SETTINGS = new ExchangeSettings(ENDPOINT, ReplyMode.ACK,
            Optional.of(Framing.LINE), Duration.ofSeconds(2), 0, 64, -1);

    private final EmbeddedChannel channel = new EmbeddedChannel(new StreamClientInitializer(SETTINGS, null, null));
    private final ChannelConnection connection = new ChannelConnection(channel, SETTINGS);

    @AfterEach
    void finish() {
        channel.finishAndReleaseAll();
    }

    @Test
    void onAnEventLoopARequestToAFullConnectionFailsAtOnceAndWritesNothing() {
        channel.unsafe().outboundBuffer().setUserDefinedWritability(1, false); // as if above the high water mark
        CompletableFuture<byte[]> request = connection.request("hello".getBytes(UTF_8));
        SendTimeoutException full = assertInstanceOf(SendTimeoutException.class,
                assertThrows(CompletionException.class, request::join).getCause());
        assertEquals("could not send to tcp://127.0.0.1:7: the server is not reading what this connection sent, "
                + "and a request made on an event loop does not wait", full.getMessage());
        assertEquals(FailureKind.TIMEOUT, full.kind());
        assertNull(channel.readOutbound(), "nothing written");
        assertTrue(connection.isOpen(), "the connection goes on: nothing is owed for a request never sent");
    }

    @Test
    void closedCompletesWhenThePeerEndsTheStreamSayingItWasAFin() {
        CompletableFuture<EchoAckClientException> closed = connection.closed();
        assertFalse(closed.isDone());
        channel.close(); // not the client's close: as when the transport read end of stream
        ConnectionClosedException why = assertInstanceOf(ConnectionClosedException.class, closed.getNow(null));
        assertTrue(why.isClosedByServer());
        assertFalse(why.isReset());
    }

    @Test
    void closedCompletesWhenThePeerResetsSayingItWasAReset() {
        CompletableFuture<EchoAckClientException> closed = connection.closed();
        channel.pipeline().fireExceptionCaught(new java.io.IOException("recvAddress(..) failed with error(-104): "
                + "Connection reset by peer"));
        ConnectionClosedException why = assertInstanceOf(ConnectionClosedException.class, closed.getNow(null));
        assertTrue(why.isReset());
        assertFalse(why.isClosedByServer());
    }

    @Test
    void closedCompletesWhenTheClientClosesAndForAConnectionMadeAfterTheClose() {
        CompletableFuture<EchoAckClientException> closed = connection.closed();
        connection.close();
        EchoAckClientException why = closed.getNow(null);
        assertTrue(why.getMessage().contains("closed by the client"), why.getMessage());
        assertFalse(((ConnectionClosedException) why).isClosedByServer());
        assertTrue(new ChannelConnection(channel, SETTINGS).closed().isDone(), "already closed: done at once");
        closed.complete(null);
        assertTrue(connection.closed().getNow(null) != null, "a caller cannot complete it for others");
    }

    /**
     * A request made after the connection closed for a failure that names settings (a TLS refusal naming the
     * client certificate and key, which TLS 1.3 reports after the client's handshake completed) keeps them named,
     * so that the command line can say them as the flags the user types.
     */
    @Test
    void aRequestAfterAFailureThatNamesSettingsKeepsThemNamed() {
        EchoAckClientException refused = new EchoAckClientException(ENDPOINT,
                io.echoack.common.text.FieldMessage.of("the server refused this client; it may require a client "
                        + "certificate it trusts: ", io.echoack.common.text.FieldMessage.field("certificate"), " and ",
                        io.echoack.common.text.FieldMessage.field("key")), null);
        ChannelConnection.recordCloseCause(channel, refused);
        channel.close();
        CompletableFuture<byte[]> request = connection.request("hello".getBytes(UTF_8));
        ConnectionClosedException closed = assertInstanceOf(ConnectionClosedException.class,
                assertThrows(CompletionException.class, request::join).getCause());
        assertEquals("connection to tcp://127.0.0.1:7 is closed: the server refused this client; it may require a client "
                + "certificate it trusts: --tls-cert and --tls-key",
                closed.fieldMessage().orElseThrow().render(f -> f.equals("certificate") ? "--tls-cert" : "--tls-key"));
    }

    /**
     * The handler that closes a channel for a failure records why just after the close, on the event loop (an
     * SslHandler closes before the TLS alert it read reaches the reply handler). A request made from another
     * thread in between must still fail with that cause, not a bare "is closed" (which was exit code 5 instead of
     * 7 for a refused client certificate).
     */
    @Test
    void aRequestMadeBetweenACloseAndItsRecordedCauseFailsWithTheCause() throws Exception {
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, LocalIoHandler.newFactory());
        LocalAddress address = new LocalAddress(ChannelConnectionTest.class);
        try {
            Channel server = new ServerBootstrap().group(group).channel(LocalServerChannel.class)
                    .childHandler(new ChannelInboundHandlerAdapter()).bind(address).sync().channel();
            Channel client = new Bootstrap().group(group).channel(LocalChannel.class)
                    .handler(new ChannelInboundHandlerAdapter()).connect(address).sync().channel();
            ChannelConnection remote = new ChannelConnection(client, SETTINGS);
            TlsException refused = new TlsException(ENDPOINT, "TLS failed: the server refused this client",
                    new javax.net.ssl.SSLException("Received fatal alert: certificate_required"));
            CountDownLatch closed = new CountDownLatch(1);
            CountDownLatch requested = new CountDownLatch(1);
            client.eventLoop().execute(() -> {
                client.close();
                closed.countDown();
                try {
                    requested.await(5, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                ChannelConnection.recordCloseCause(client, refused);
            });
            assertTrue(closed.await(5, TimeUnit.SECONDS));
            CompletableFuture<byte[]> request = remote.request("hello".getBytes(UTF_8));
            requested.countDown();
            ConnectionClosedException failure = assertInstanceOf(ConnectionClosedException.class,
                    assertThrows(CompletionException.class, request::join).getCause());
            assertEquals("connection to tcp://127.0.0.1:7 is closed: TLS failed: the server refused this client",
                    failure.getMessage());
            assertEquals(FailureKind.TLS, failure.kind());
            server.close().sync();
        } finally {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
        }
    }

    @Test
    void onceWritableAgainRequestsAreSent() {
        channel.unsafe().outboundBuffer().setUserDefinedWritability(1, false);
        connection.request("dropped".getBytes(UTF_8));
        channel.unsafe().outboundBuffer().setUserDefinedWritability(1, true);
        CompletableFuture<byte[]> request = connection.request("hello".getBytes(UTF_8));
        assertFalse(request.isDone());
        ByteBuf written = channel.readOutbound();
        try {
            assertEquals("hello", written.toString(UTF_8));
        } finally {
            written.release();
        }
    }

    @Test
    void theGateSignalsAWritabilityChange() {
        WritabilityGate gate = channel.pipeline().get(WritabilityGate.class);
        CompletableFuture<Void> change = gate.nextChange();
        assertFalse(change.isDone());
        channel.unsafe().outboundBuffer().setUserDefinedWritability(1, false);
        channel.runPendingTasks();
        assertTrue(change.isDone());
        assertFalse(gate.nextChange().isDone(), "a new waiter waits for the next change");
    }
}
