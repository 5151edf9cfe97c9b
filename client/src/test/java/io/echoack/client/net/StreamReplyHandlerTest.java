package io.echoack.client.net;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.echoack.common.codec.Framing;
import io.echoack.common.codec.ReplyMode;
import io.echoack.common.endpoint.Endpoint;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class StreamReplyHandlerTest {

    private static final Endpoint ENDPOINT = Endpoint.parse("tcp://127.0.0.1:7");
    private EmbeddedChannel channel;

    private EmbeddedChannel channel(ReplyMode mode, Framing framing, int ackLength) {
        ExchangeSettings settings = new ExchangeSettings(ENDPOINT, mode, Optional.of(framing), Duration.ofSeconds(2),
                0, 64, ackLength);
        channel = new EmbeddedChannel(new StreamClientInitializer(settings, null, null));
        channel.freezeTime();
        return channel;
    }

    @AfterEach
    void finish() {
        if (channel != null) {
            channel.finishAndReleaseAll();
        }
    }

    private PendingReply send(String payload) {
        PendingReply request = new PendingReply(payload.getBytes(UTF_8));
        channel.writeAndFlush(request);
        return request;
    }

    private String written() {
        StringBuilder sb = new StringBuilder();
        ByteBuf part;
        while ((part = channel.readOutbound()) != null) {
            sb.append(part.toString(UTF_8));
            part.release();
        }
        return sb.toString();
    }

    private void receive(String bytes) {
        channel.writeInbound(Unpooled.copiedBuffer(bytes, UTF_8));
    }

    private static String reply(PendingReply request) {
        assertTrue(request.future.isDone(), "reply expected");
        return new String(request.future.join(), UTF_8);
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
    void lineFramingAddsTheNewlineAndStripsItFromTheReply() {
        channel(ReplyMode.ACK, Framing.LINE, -1);
        PendingReply request = send("hello");
        assertEquals("hello\n", written());
        receive("I got your message\n");
        assertEquals("I got your message", reply(request));
    }

    @Test
    void pipelinedRepliesInOneReadAreMatchedInOrder() {
        channel(ReplyMode.ECHO, Framing.LINE, -1);
        PendingReply first = send("one");
        PendingReply second = send("two");
        PendingReply third = send("three");
        written();
        receive("one\ntwo\nthr");
        assertEquals("one", reply(first));
        assertEquals("two", reply(second));
        assertFalse(third.future.isDone());
        receive("ee\r\n");
        assertEquals("three", reply(third));
    }

    @Test
    void lengthFramedReplySplitOverReads() {
        channel(ReplyMode.ECHO, Framing.LENGTH, -1);
        PendingReply request = send("abc");
        ByteBuf prefix = channel.readOutbound();
        assertEquals(3, prefix.getInt(0));
        prefix.release();
        assertEquals("abc", written());
        channel.writeInbound(Unpooled.wrappedBuffer(new byte[] {0, 0}));
        channel.writeInbound(Unpooled.wrappedBuffer(new byte[] {0, 3, 'a'}));
        assertFalse(request.future.isDone());
        receive("bc");
        assertEquals("abc", reply(request));
    }

    @Test
    void rawEchoWaitsForAsManyBytesAsWereSentAndSplitsCoalescedReplies() {
        channel(ReplyMode.ECHO, Framing.RAW, -1);
        PendingReply first = send("hello");
        PendingReply second = send("world!");
        assertEquals("helloworld!", written());
        receive("hel");
        assertFalse(first.future.isDone());
        receive("lowor");
        assertEquals("hello", reply(first));
        assertFalse(second.future.isDone());
        receive("ld!");
        assertEquals("world!", reply(second));
    }

    @Test
    void rawAckOfUnknownLengthIsTheFirstRead() {
        channel(ReplyMode.ACK, Framing.RAW, -1);
        PendingReply request = send("hello");
        assertEquals("hello", written());
        receive("I got your message");
        assertEquals("I got your message", reply(request));
    }

    @Test
    void rawAckOfKnownLengthWaitsForAllOfIt() {
        channel(ReplyMode.ACK, Framing.RAW, "I got your message".length());
        PendingReply first = send("a");
        PendingReply second = send("b");
        written();
        receive("I got ");
        assertFalse(first.future.isDone());
        receive("your messageI got your message");
        assertEquals("I got your message", reply(first));
        assertEquals("I got your message", reply(second));
    }

    @Test
    void rawIdentityRepliesAreLinesHoweverTheyArrive() {
        channel(ReplyMode.INFO, Framing.RAW, -1);
        PendingReply first = send("a");
        PendingReply second = send("b");
        written();
        receive("host=x seq=1");
        assertFalse(first.future.isDone(), "a reply ends at its newline");
        receive("\nhost=x seq=2\n");
        assertEquals("host=x seq=1", reply(first));
        assertEquals("host=x seq=2", reply(second));
    }

    @Test
    void timeoutFailsTheRequestAndClosesSoThatLateRepliesCannotBeMisMatched() {
        channel(ReplyMode.ACK, Framing.LINE, -1);
        PendingReply first = send("a");
        channel.advanceTimeBy(1, TimeUnit.SECONDS);
        PendingReply second = send("b");
        written();
        channel.advanceTimeBy(1500, TimeUnit.MILLISECONDS);
        channel.runScheduledPendingTasks();
        ReplyTimeoutException timeout = assertInstanceOf(ReplyTimeoutException.class, failure(first));
        assertEquals("no reply from tcp://127.0.0.1:7 within 2s", timeout.getMessage());
        assertInstanceOf(ConnectionClosedException.class, failure(second));
        assertFalse(channel.isOpen());
    }

    /** A FIN is end of stream, no error: the channel goes inactive. The request knows the server closed. */
    @Test
    void theServersCleanCloseIsToldFromItsReset() {
        channel(ReplyMode.ECHO, Framing.LINE, -1);
        PendingReply request = send("a");
        written();
        channel.pipeline().fireChannelInactive();
        ConnectionClosedException closed = assertInstanceOf(ConnectionClosedException.class, failure(request));
        assertEquals("connection closed by tcp://127.0.0.1:7 before the reply arrived", closed.getMessage());
        assertTrue(closed.isClosedByServer());
        assertFalse(closed.isReset());
        assertEquals(FailureKind.RESET, closed.kind(), "the exit code of both");
    }

    /** An RST is an I/O error on the read, worded by each transport; the channel then goes inactive. */
    @Test
    void theServersResetIsToldFromItsCleanCloseOnEveryTransport() {
        for (String reset : List.of("Connection reset", "recvAddress(..) failed with error(-104): Connection reset by peer",
                "read(..) failed with error(-104): Connection reset by peer")) {
            channel(ReplyMode.ECHO, Framing.LINE, -1);
            PendingReply request = send("a");
            written();
            channel.pipeline().fireExceptionCaught(new IOException(reset));
            ConnectionClosedException closed = assertInstanceOf(ConnectionClosedException.class, failure(request));
            assertTrue(closed.isReset(), reset);
            assertFalse(closed.isClosedByServer(), reset);
            assertFalse(channel.isOpen());
            channel.finishAndReleaseAll();
        }
    }

    /** A connection the client closed, itself or after a timeout, is neither. */
    @Test
    void aConnectionTheClientClosedWasNeitherClosedNorResetByTheServer() {
        channel(ReplyMode.ACK, Framing.LINE, -1);
        PendingReply first = send("a");
        PendingReply second = send("b");
        written();
        channel.advanceTimeBy(3, TimeUnit.SECONDS);
        channel.runScheduledPendingTasks();
        ConnectionClosedException closed = assertInstanceOf(ConnectionClosedException.class, failure(second));
        assertFalse(closed.isClosedByServer());
        assertFalse(closed.isReset());
        assertInstanceOf(ReplyTimeoutException.class, failure(first));
    }

    @Test
    void replyWithNoRequestWaitingClosesTheConnection() {
        channel(ReplyMode.ACK, Framing.LINE, -1);
        receive("surprise\n");
        assertFalse(channel.isOpen());
        Connection connection = new ChannelConnection(channel, new ExchangeSettings(ENDPOINT, ReplyMode.ACK,
                Optional.of(Framing.LINE), Duration.ofSeconds(2), 0, 64, -1));
        ConnectionClosedException closed = assertInstanceOf(ConnectionClosedException.class,
                connection.request(new byte[] {'x'}).handle((reply, failure) -> failure).join());
        assertEquals("connection to tcp://127.0.0.1:7 is closed: tcp://127.0.0.1:7 sent 9 byte(s) when no "
                + "request was waiting for a reply", closed.getMessage());
        assertInstanceOf(InvalidReplyException.class, closed.getCause());
    }

    @Test
    void tooLongReplyFailsWithInvalidReply() {
        channel(ReplyMode.ACK, Framing.LINE, -1);
        PendingReply request = send("a");
        written();
        receive("x".repeat(100) + "\n");
        InvalidReplyException invalid = assertInstanceOf(InvalidReplyException.class, failure(request));
        assertTrue(invalid.getMessage().contains("max frame length of 64 bytes: raise it with maxFrameLength"),
                invalid.getMessage());
        assertFalse(channel.isOpen());
    }

    @Test
    void aServerErrorLineFailsOnlyItsRequestAndTheConnectionGoesOn() {
        channel(ReplyMode.ACK, Framing.LINE, -1);
        PendingReply tooLong = send("a line the server finds too long");
        PendingReply next = send("ok");
        written();
        receive("ERROR: message longer than 16 bytes\nI got your message\n");
        ErrorReplyException error = assertInstanceOf(ErrorReplyException.class, failure(tooLong));
        assertEquals("tcp://127.0.0.1:7 answered with an error: \"ERROR: message longer than 16 bytes\"",
                error.getMessage());
        assertEquals(FailureKind.WRONG_REPLY, error.kind());
        assertEquals("I got your message", reply(next));
        assertTrue(channel.isOpen());
    }

    @Test
    void anEchoedLineThatStartsLikeAnErrorIsAReply() {
        channel(ReplyMode.ECHO, Framing.LINE, -1);
        PendingReply request = send("ERROR: mine");
        written();
        receive("ERROR: mine\n");
        assertEquals("ERROR: mine", reply(request));
    }

    @Test
    void errorLinesAreALineFramingThing() {
        channel(ReplyMode.ACK, Framing.LENGTH, -1);
        PendingReply request = send("x");
        written();
        channel.writeInbound(Unpooled.wrappedBuffer(Framing.LENGTH.frame("ERROR: raw bytes".getBytes(UTF_8))));
        assertEquals("ERROR: raw bytes", reply(request));
    }

    @Test
    void inEchoModeALineThatIsNotTheEchoFailsAtOnceQuotingItAndCloses() {
        channel(ReplyMode.ECHO, Framing.LINE, -1);
        PendingReply hello = send("hello");
        PendingReply next = send("next");
        written();
        receive("I got your message\n");
        InvalidReplyException wrong = assertInstanceOf(InvalidReplyException.class, failure(hello));
        assertEquals("tcp://127.0.0.1:7 answered \"I got your message\", not the echo of the message sent (5 bytes)",
                wrong.getMessage());
        assertEquals(FailureKind.WRONG_REPLY, wrong.kind());
        ConnectionClosedException closed = assertInstanceOf(ConnectionClosedException.class, failure(next));
        assertEquals("connection to tcp://127.0.0.1:7 closed after a reply that was not the echo of its message: "
                + "later replies could no longer be matched to their requests", closed.getMessage());
        assertFalse(channel.isOpen());
    }

    @Test
    void inEchoModeTheWrongReplyIsQuotedEscaped() {
        channel(ReplyMode.ECHO, Framing.LINE, -1);
        PendingReply request = send("hello");
        written();
        receive("tab\there\r\n");
        assertEquals("tcp://127.0.0.1:7 answered \"tab\\there\", not the echo of the message sent (5 bytes)",
                failure(request).getMessage());
    }

    @Test
    void inEchoModeALineComesBackWithTheTerminatorTheServerChose() {
        channel(ReplyMode.ECHO, Framing.LINE, -1);
        PendingReply lf = send("lf");
        PendingReply crlf = send("crlf");
        PendingReply endsInCr = send("cr\r");
        PendingReply endsInCrCrlf = send("cr\r");
        PendingReply last = send("last");
        assertEquals("lf\ncrlf\ncr\r\ncr\r\nlast\n", written());
        // the server reads "cr\r\n" as the line "cr" and may return it with \n or \r\n
        receive("lf\ncrlf\r\ncr\r\ncr\r\r\nlast");
        channel.close(); // a last line without terminator is a reply once the server closes
        assertEquals("lf", reply(lf));
        assertEquals("crlf", reply(crlf));
        assertEquals("cr", reply(endsInCr));
        assertEquals("cr\r", reply(endsInCrCrlf));
        assertEquals("last", reply(last));
    }

    @Test
    void inEchoModeAServerErrorLineIsStillAnErrorReplyAndTheConnectionGoesOn() {
        channel(ReplyMode.ECHO, Framing.LINE, -1);
        PendingReply tooLong = send("a line the server finds too long");
        PendingReply next = send("ok");
        written();
        receive("ERROR: message longer than 16 bytes\nok\n");
        assertInstanceOf(ErrorReplyException.class, failure(tooLong));
        assertEquals("ok", reply(next));
        assertTrue(channel.isOpen());
    }

    @Test
    void inEchoModeALengthFrameThatIsNotTheEchoFailsAndCloses() {
        channel(ReplyMode.ECHO, Framing.LENGTH, -1);
        PendingReply request = send("hello");
        written();
        channel.writeInbound(Unpooled.wrappedBuffer(Framing.LENGTH.frame("hellO".getBytes(UTF_8))));
        assertEquals("tcp://127.0.0.1:7 answered \"hellO\", not the echo of the message sent (5 bytes)",
                failure(request).getMessage());
        assertFalse(channel.isOpen());
    }

    @Test
    void inRawEchoModeAReplyShorterThanItsAckIsQuotedWhole() {
        channel(ReplyMode.ECHO, Framing.RAW, -1);
        PendingReply request = send("hello");
        written();
        receive("I got your message");
        assertEquals("tcp://127.0.0.1:7 answered \"I got your message\", not the echo of the message sent (5 bytes)",
                failure(request).getMessage());
        assertFalse(channel.isOpen());
    }

    @Test
    void inRawEchoModeTheFirstDifferentByteFailsWithoutWaitingForTheRest() {
        channel(ReplyMode.ECHO, Framing.RAW, -1);
        PendingReply first = send("one");
        PendingReply second = send("a message longer than the reply");
        written();
        receive("onea mess");
        assertEquals("one", reply(first));
        assertFalse(second.future.isDone(), "so far the echo");
        receive("Age");
        assertEquals("tcp://127.0.0.1:7 answered \"a messAge\", not the echo of the message sent (31 bytes)",
                failure(second).getMessage());
        assertFalse(channel.isOpen());
    }

    @Test
    void inAckModeAnyReplyIsTheAck() {
        for (Framing framing : Framing.values()) {
            channel(ReplyMode.ACK, framing, -1);
            PendingReply request = send("hello");
            written();
            channel.writeInbound(Unpooled.wrappedBuffer(framing.frame("not hello".getBytes(UTF_8))));
            assertEquals("not hello", reply(request), framing.id());
            assertTrue(channel.isOpen());
            channel.finishAndReleaseAll();
        }
    }

    @Test
    void aTlsErrorFailsWithTheTlsKindNotAsAMalformedReply() {
        channel(ReplyMode.ACK, Framing.LINE, -1);
        PendingReply request = send("a");
        written();
        channel.pipeline().fireExceptionCaught(new io.netty.handler.codec.DecoderException(
                new javax.net.ssl.SSLException("Received fatal alert: certificate_required")));
        TlsException tls = assertInstanceOf(TlsException.class, failure(request));
        assertEquals(FailureKind.TLS, tls.kind());
        assertEquals("TLS failed on the connection to tcp://127.0.0.1:7: Received fatal alert: certificate_required",
                tls.getMessage());
        assertFalse(channel.isOpen());
    }

    @Test
    void peerCloseFailsWaitingRequests() {
        channel(ReplyMode.ECHO, Framing.RAW, -1);
        PendingReply request = send("abc");
        written();
        receive("ab");
        channel.pipeline().fireChannelInactive();
        ConnectionClosedException closed = assertInstanceOf(ConnectionClosedException.class, failure(request));
        assertEquals("connection closed by tcp://127.0.0.1:7 before the reply arrived", closed.getMessage());
    }

    @Test
    void lastLineWithoutTerminatorIsStillTheReplyWhenThePeerCloses() {
        channel(ReplyMode.ACK, Framing.LINE, -1);
        PendingReply request = send("hello");
        written();
        receive("I got your message");
        assertFalse(request.future.isDone());
        channel.close();
        assertEquals("I got your message", reply(request));
    }

    @Test
    void binaryPayloadSurvivesLengthFraming() {
        channel(ReplyMode.ECHO, Framing.LENGTH, -1);
        byte[] all = new byte[256];
        for (int i = 0; i < all.length; i++) {
            all[i] = (byte) i;
        }
        ExchangeSettings big = new ExchangeSettings(ENDPOINT, ReplyMode.ECHO, Optional.of(Framing.LENGTH),
                Duration.ofSeconds(2), 0, 1024, -1);
        channel.finishAndReleaseAll();
        channel = new EmbeddedChannel(new StreamClientInitializer(big, null, null));
        PendingReply request = new PendingReply(all);
        channel.writeAndFlush(request);
        ByteBuf prefix = channel.readOutbound();
        ByteBuf payload = channel.readOutbound();
        channel.writeInbound(Unpooled.wrappedBuffer(prefix, payload));
        assertArrayEquals(all, request.future.join());
    }
}
