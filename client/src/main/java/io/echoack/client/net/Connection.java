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

    /** True until the connection is closed, by either side. */
    boolean isOpen();

    /** Closes the connection and waits for it (unless called on an event loop); idempotent. */
    @Override
    void close();
}
