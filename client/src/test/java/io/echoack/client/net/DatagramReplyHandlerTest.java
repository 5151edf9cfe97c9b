package io.echoack.client.net;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.echoack.common.codec.ReplyMode;
import io.echoack.common.endpoint.Endpoint;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.channel.socket.DatagramPacket;
import io.netty.channel.unix.DomainDatagramPacket;
import io.netty.channel.unix.DomainSocketAddress;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.PortUnreachableException;
import java.net.SocketAddress;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class DatagramReplyHandlerTest {

    private static final InetSocketAddress SERVER = new InetSocketAddress("127.0.0.1", 7000);
    private static final InetSocketAddress ME = new InetSocketAddress("127.0.0.1", 40000);
    private EmbeddedChannel channel;

    private void channel(String endpoint, ReplyMode mode, int retries, SocketAddress server) {
        ExchangeSettings settings = new ExchangeSettings(Endpoint.parse(endpoint), mode, Optional.empty(),
                Duration.ofSeconds(1), retries, 1024, -1);
        channel = new EmbeddedChannel(new DatagramReplyHandler(settings, server));
        channel.freezeTime();
    }

    @AfterEach
    void finish() {
        channel.finishAndReleaseAll();
    }

    private PendingReply send(String payload) {
        PendingReply request = new PendingReply(payload.getBytes(UTF_8));
        channel.writeAndFlush(request);
        return request;
    }

    /**
     * The next datagram sent: its text, after checking where it went (a UDP socket is connected to the
     * server, so its datagrams are plain buffers; a Unix datagram names its recipient).
     */
    private String sent(SocketAddress expectedRecipient) {
        Object packet = channel.readOutbound();
        if (packet == null) {
            return null;
        }
        if (packet instanceof ByteBuf udp) {
            assertInstanceOf(InetSocketAddress.class, expectedRecipient);
            try {
                return udp.toString(UTF_8);
            } finally {
                udp.release();
            }
        }
        DomainDatagramPacket unix = (DomainDatagramPacket) packet;
        assertEquals(expectedRecipient, unix.recipient());
        try {
            return unix.content().toString(UTF_8);
        } finally {
            unix.release();
        }
    }

    private void receive(String text, InetSocketAddress sender) {
        channel.writeInbound(new DatagramPacket(Unpooled.copiedBuffer(text, UTF_8), ME, sender));
    }

    private static Throwable failure(PendingReply request) {
        assertTrue(request.future.isCompletedExceptionally(), "failure expected");
        try {
            request.future.join();
            throw new AssertionError("unreachable");
        } catch (CompletionException e) {
            return e.getCause();
        }
    }

    @Test
    void ackRepliesAreMatchedFirstInFirstOut() {
        channel("udp://127.0.0.1:7000", ReplyMode.ACK, 2, SERVER);
        PendingReply first = send("a");
        PendingReply second = send("b");
        assertEquals("a", sent(SERVER));
        assertEquals("b", sent(SERVER));
        receive("Got your message", SERVER);
        assertEquals("Got your message", new String(first.future.join(), UTF_8));
        assertFalse(second.future.isDone());
        receive("Got your message", SERVER);
        assertTrue(second.future.isDone());
    }

    @Test
    void identityRepliesAreMatchedFirstInFirstOutAsAcksAre() {
        channel("udp://127.0.0.1:7000", ReplyMode.INFO, 2, SERVER);
        PendingReply first = send("a");
        PendingReply second = send("b");
        sent(SERVER);
        sent(SERVER);
        receive("{\"host\":\"x\"}", SERVER);
        assertEquals("{\"host\":\"x\"}", new String(first.future.join(), UTF_8), "not taken for a wrong echo");
        receive("{\"host\":\"y\"}", SERVER);
        assertEquals("{\"host\":\"y\"}", new String(second.future.join(), UTF_8));
    }

    @Test
    void resendsAfterEachTimeoutThenFailsNamingTheAttempts() {
        channel("udp://127.0.0.1:7000", ReplyMode.ACK, 2, SERVER);
        PendingReply request = send("hello");
        assertEquals("hello", sent(SERVER));
        channel.advanceTimeBy(1, TimeUnit.SECONDS);
        channel.runScheduledPendingTasks();
        assertEquals("hello", sent(SERVER));
        channel.advanceTimeBy(1, TimeUnit.SECONDS);
        channel.runScheduledPendingTasks();
        assertEquals("hello", sent(SERVER));
        assertFalse(request.future.isDone());
        channel.advanceTimeBy(1, TimeUnit.SECONDS);
        channel.runScheduledPendingTasks();
        assertNull(sent(SERVER), "no fourth attempt");
        ReplyTimeoutException timeout = assertInstanceOf(ReplyTimeoutException.class, failure(request));
        assertEquals("no reply from udp://127.0.0.1:7000 within 1s (3 attempts)", timeout.getMessage());
        assertEquals(3, timeout.attempts());
    }

    @Test
    void aReplyToTheSecondAttemptCompletesTheRequest() {
        channel("udp://127.0.0.1:7000", ReplyMode.ACK, 1, SERVER);
        PendingReply request = send("hello");
        channel.advanceTimeBy(1, TimeUnit.SECONDS);
        channel.runScheduledPendingTasks();
        assertEquals("hello", sent(SERVER));
        assertEquals("hello", sent(SERVER));
        receive("Got your message", SERVER);
        assertEquals("Got your message", new String(request.future.join(), UTF_8));
    }

    @Test
    void echoRepliesAreMatchedByContentSoALateDuplicateIsDropped() {
        channel("udp://127.0.0.1:7000", ReplyMode.ECHO, 2, SERVER);
        PendingReply first = send("one");
        channel.advanceTimeBy(1, TimeUnit.SECONDS);
        channel.runScheduledPendingTasks(); // "one" is sent a second time
        receive("one", SERVER);
        assertEquals("one", new String(first.future.join(), UTF_8));
        PendingReply second = send("two");
        receive("one", SERVER); // the answer to the first request's second attempt
        assertFalse(second.future.isDone());
        receive("two", SERVER);
        assertEquals("two", new String(second.future.join(), UTF_8));
    }

    @Test
    void inEchoModeAReplyThatIsNoEchoFailsTheOldestRequestAtOnceNamingIt() {
        channel("udp://127.0.0.1:7000", ReplyMode.ECHO, 2, SERVER);
        PendingReply first = send("hello");
        PendingReply second = send("world");
        receive("Got your\tmessage", SERVER);
        InvalidReplyException wrong = assertInstanceOf(InvalidReplyException.class, failure(first));
        assertEquals("udp://127.0.0.1:7000 answered \"Got your\\tmessage\", not the echo of the message sent "
                + "(5 bytes)", wrong.getMessage());
        assertEquals(FailureKind.WRONG_REPLY, wrong.kind());
        assertFalse(second.future.isDone());
        receive("world", SERVER);
        assertEquals("world", new String(second.future.join(), UTF_8));
    }

    @Test
    void aLateEchoOfATimedOutRequestIsDroppedNotTakenForAWrongReply() {
        channel("udp://127.0.0.1:7000", ReplyMode.ECHO, 0, SERVER);
        PendingReply first = send("one");
        channel.advanceTimeBy(1, TimeUnit.SECONDS);
        channel.runScheduledPendingTasks();
        assertInstanceOf(ReplyTimeoutException.class, failure(first));
        PendingReply second = send("two");
        receive("one", SERVER); // too late for the first request
        assertFalse(second.future.isDone());
        receive("two", SERVER);
        assertEquals("two", new String(second.future.join(), UTF_8));
    }

    @Test
    void anIcmpPortUnreachableFailsEveryWaitingRequestAsRefused() {
        channel("udp://127.0.0.1:7000", ReplyMode.ACK, 2, SERVER);
        PendingReply first = send("a");
        PendingReply second = send("b");
        channel.pipeline().fireExceptionCaught(new PortUnreachableException("recvmsg(..) failed: Connection refused"));
        ConnectionRefusedException refused = assertInstanceOf(ConnectionRefusedException.class, failure(first));
        assertEquals("connection refused by udp://127.0.0.1:7000 (ICMP port unreachable: nothing listens on that "
                + "port)", refused.getMessage());
        assertInstanceOf(ConnectionRefusedException.class, failure(second));
        assertTrue(channel.isOpen(), "the socket stays usable");
        channel.advanceTimeBy(5, TimeUnit.SECONDS);
        channel.runScheduledPendingTasks();
        sent(SERVER);
        sent(SERVER);
        assertNull(sent(SERVER), "no resend of a refused request");
    }

    @Test
    void otherErrorsLeaveRequestsWaiting() {
        channel("udp://127.0.0.1:7000", ReplyMode.ACK, 0, SERVER);
        PendingReply request = send("a");
        channel.pipeline().fireExceptionCaught(new java.io.IOException("something odd"));
        assertFalse(request.future.isDone());
    }

    @Test
    void anOversizedEchoFailsTheRequestNamingMaxFrame() {
        channel("udp://127.0.0.1:7000", ReplyMode.ECHO, 0, SERVER);
        PendingReply request = send("hello");
        receive("x".repeat(2000), SERVER);
        InvalidReplyException tooLong = assertInstanceOf(InvalidReplyException.class, failure(request));
        assertTrue(tooLong.getMessage().contains("max frame length of 1024 bytes: raise it with maxFrameLength"),
                tooLong.getMessage());
    }

    @Test
    void datagramsFromOtherSendersAreDropped() {
        channel("udp://127.0.0.1:7000", ReplyMode.ACK, 0, SERVER);
        PendingReply request = send("hello");
        receive("spoofed", new InetSocketAddress("127.0.0.1", 7001));
        receive("spoofed", new InetSocketAddress("127.0.0.2", 7000));
        assertFalse(request.future.isDone());
        receive("Got your message", SERVER);
        assertEquals("Got your message", new String(request.future.join(), UTF_8));
    }

    @Test
    void anIpv4MappedSenderIsTheSameHost() throws Exception {
        channel("udp://127.0.0.1:7000", ReplyMode.ACK, 0, SERVER);
        PendingReply request = send("hello");
        InetAddress mapped = InetAddress.getByAddress("localhost",
                new byte[] {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, (byte) 0xff, (byte) 0xff, 127, 0, 0, 1});
        receive("Got your message", new InetSocketAddress(mapped, 7000));
        assertTrue(request.future.isDone());
    }

    @Test
    void unixDatagramsGoToTheServerPath() {
        DomainSocketAddress server = new DomainSocketAddress("/tmp/server.sock");
        channel("unixgram:///tmp/server.sock", ReplyMode.ECHO, 0, server);
        PendingReply request = send("hi");
        assertEquals("hi", sent(server));
        channel.writeInbound(new DomainDatagramPacket(Unpooled.copiedBuffer("hi", UTF_8),
                new DomainSocketAddress("/tmp/me.sock"), new DomainSocketAddress("/tmp/server.sock")));
        assertEquals("hi", new String(request.future.join(), UTF_8));
    }

    @Test
    void anOversizedAckFailsTheRequest() {
        channel("udp://127.0.0.1:7000", ReplyMode.ACK, 0, SERVER);
        PendingReply request = send("hello");
        receive("x".repeat(2000), SERVER);
        assertInstanceOf(InvalidReplyException.class, failure(request));
    }

    @Test
    void closingFailsWaitingRequests() {
        channel("udp://127.0.0.1:7000", ReplyMode.ACK, 0, SERVER);
        PendingReply request = send("hello");
        channel.close();
        assertInstanceOf(ConnectionClosedException.class, failure(request));
    }
}
