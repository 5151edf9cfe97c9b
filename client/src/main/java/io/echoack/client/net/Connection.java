package io.echoack.client.net;

import io.echoack.common.codec.Framing;
import io.echoack.common.codec.ReplyMode;
import io.echoack.common.endpoint.Endpoint;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * A conversation with one echoack endpoint: a connected stream (TCP, Unix stream) or a local datagram
 * socket that talks to one server address (UDP, Unix datagram). Obtained from
 * {@link EchoAckClient#connect(Endpoint)}; close it when done.
 *
 * <p>Requests may be pipelined: {@link #request(byte[])} does not wait, and replies are matched to
 * requests in the order the requests were sent. Payloads are messages, not wire frames: the connection adds
 * and strips the framing (a line's {@code \n}, a length prefix). Thread-safe.
 *
 * <p>Sending is bounded. Requests not yet written to the socket wait in the connection's outbound buffer; when
 * it holds more than the channel's write-buffer high water mark (Netty's default, 64 KiB), because the server
 * reads more slowly than the caller sends or not at all, {@link #request(byte[])} holds the calling thread until
 * the buffer has drained below the low water mark (32 KiB), for at most the client's timeout. So a caller sending
 * in a loop is paced by the server instead of filling the heap, and the buffer stays within the high water mark
 * plus one message per thread sending at the same time. See {@link #request(byte[])} for what a caller sees when
 * the server does not catch up.
 */
public interface Connection extends AutoCloseable {

    /** The endpoint this connection talks to, as it was given to {@code connect}. */
    Endpoint endpoint();

    /** The reply mode the server is expected to use (the endpoint's override, else the client's option). */
    ReplyMode mode();

    /** The stream framing in use, or empty for datagram endpoints. */
    Optional<Framing> framing();

    /**
     * Sends one message and returns its reply payload, without framing. The future fails with a
     * {@link ReplyTimeoutException}, {@link ConnectionClosedException}, {@link InvalidReplyException} (also a
     * reply in echo mode that is not the echo of the message), {@link ErrorReplyException} (the server's {@code ERROR:}
     * line) or {@link ConnectionRefusedException} (datagrams with no server: a Unix socket path nobody
     * serves, an ICMP port unreachable on UDP). It completes on an I/O thread: do not block in stages
     * chained to it without an executor.
     *
     * <p>It returns at once while the connection is writable. When the outbound buffer is full (see above) it
     * waits, at most the client's timeout, for it to drain, then sends. If the server has not read enough by
     * then, the returned future fails with {@link SendTimeoutException}: the request was never sent, and the
     * connection stays open. On a stream to a server that stops reading, an earlier request's reply timeout
     * usually ends the wait first: the connection is closed and the future fails with
     * {@link ConnectionClosedException}, naming the timeout. Called on an event-loop thread (a stage chained to
     * another request), it never waits: with the buffer full, the future fails at once with
     * {@link SendTimeoutException}.
     *
     * @throws IllegalArgumentException when the payload cannot be one message here (too long, a newline
     *                                  inside a line, an empty raw message)
     */
    CompletableFuture<byte[]> request(byte[] payload);

    /**
     * Sends one message and waits for its reply: {@link #request(byte[])} for callers that are not on an
     * event loop.
     *
     * @throws EchoAckClientException   the failure, e.g. {@link ReplyTimeoutException}
     * @throws IllegalStateException    when called on an event-loop thread, which must never block
     */
    byte[] send(byte[] payload);

    /** {@link #send(byte[])} for text, as UTF-8. */
    default String send(String message) {
        return new String(send(message.getBytes(StandardCharsets.UTF_8)), StandardCharsets.UTF_8);
    }

    /**
     * Completes, on an I/O thread, as soon as the connection is closed, by either side, with why; it never fails.
     * When the server ended a stream connection the reason is a {@link ConnectionClosedException} that says how:
     * {@link ConnectionClosedException#isClosedByServer()} for a clean close (a FIN: end of stream),
     * {@link ConnectionClosedException#isReset()} for a reset (an RST). Otherwise it is the failure that made the
     * client close it (a reply timeout, a malformed reply, TLS), or the client's own close. A caller that keeps a
     * connection idle learns of its end as it happens, not at its next request. A datagram socket closes only
     * when the client closes it.
     */
    CompletableFuture<EchoAckClientException> closed();

    /** True until the connection is closed, by either side. */
    boolean isOpen();

    /** Closes the connection and waits for it (unless called on an event loop); idempotent. */
    @Override
    void close();
}
