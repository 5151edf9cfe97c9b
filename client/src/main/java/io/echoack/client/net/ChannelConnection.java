package io.echoack.client.net;

import io.echoack.common.codec.Framing;
import io.echoack.common.codec.ReplyMode;
import io.echoack.common.endpoint.Endpoint;
import io.echoack.common.text.FieldMessage;
import io.netty.channel.Channel;
import io.netty.util.Attribute;
import io.netty.util.AttributeKey;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A {@link Connection} over one Netty channel, stream or datagram: the pipeline's reply handler
 * ({@link StreamReplyHandler} or {@link DatagramReplyHandler}) does the matching, this class only hands it
 * requests, holds a caller back while the channel is not writable ({@link WritabilityGate}), and turns their
 * futures into blocking calls.
 */
final class ChannelConnection implements Connection {

    private static final AttributeKey<Boolean> CLOSED_BY_CLIENT =
            AttributeKey.valueOf(ChannelConnection.class, "closedByClient");

    private final Channel channel;
    private final ExchangeSettings settings;
    private final WritabilityGate gate;

    ChannelConnection(Channel channel, ExchangeSettings settings) {
        this.channel = channel;
        this.settings = settings;
        WritabilityGate installed = channel.pipeline().get(WritabilityGate.class);
        // A channel that closed before it got here has an empty pipeline; it is not active, so nothing waits.
        this.gate = installed != null ? installed : new WritabilityGate();
    }

    private static final AttributeKey<EchoAckClientException> CLOSE_CAUSE =
            AttributeKey.valueOf(ChannelConnection.class, "closeCause");

    private static final AttributeKey<CompletableFuture<EchoAckClientException>> CLOSED =
            AttributeKey.valueOf(ChannelConnection.class, "closed");

    /**
     * Completes {@link #closed()} of {@code channel}'s connection with why it closed: its reply handler calls it
     * when the channel goes inactive, once it knows why (the failure it closed it for, a FIN, a reset, the client).
     */
    static void recordClosed(Channel channel, EchoAckClientException why) {
        closedFuture(channel).complete(why);
    }

    /** The channel's close future with its reason, made by whichever comes first: the connection or the close. */
    private static CompletableFuture<EchoAckClientException> closedFuture(Channel channel) {
        Attribute<CompletableFuture<EchoAckClientException>> attribute = channel.attr(CLOSED);
        CompletableFuture<EchoAckClientException> made = new CompletableFuture<>();
        CompletableFuture<EchoAckClientException> existing = attribute.setIfAbsent(made);
        return existing != null ? existing : made;
    }

    /** Remembers why a handler closed {@code channel}, for requests made after the close. */
    static void recordCloseCause(Channel channel, EchoAckClientException cause) {
        channel.attr(CLOSE_CAUSE).setIfAbsent(cause);
    }

    /** True when the client, not the peer, closed {@code channel}. */
    static boolean closedByClient(Channel channel) {
        return Boolean.TRUE.equals(channel.attr(CLOSED_BY_CLIENT).get());
    }

    /** The channel, for tests that look at its outbound buffer. */
    Channel channel() {
        return channel;
    }

    @Override
    public Endpoint endpoint() {
        return settings.endpoint();
    }

    @Override
    public ReplyMode mode() {
        return settings.mode();
    }

    @Override
    public Optional<Framing> framing() {
        return settings.framing();
    }

    @Override
    public CompletableFuture<byte[]> request(byte[] payload) {
        settings.checkPayload(payload);
        PendingReply request = new PendingReply(payload.clone());
        EchoAckClientException unsent = !channel.isActive() || channel.isWritable() ? null : awaitWritable();
        if (unsent != null) {
            request.fail(unsent);
            return request.future;
        }
        if (!channel.isActive()) {
            // Why it closed is recorded by the handler that closed it, on the event loop, just after the close
            // (an SslHandler closes before the TLS alert it read reaches the reply handler): ask there.
            onEventLoop(() -> request.fail(closedFailure()));
            return request.future;
        }
        channel.writeAndFlush(request).addListener(written -> {
            if (!written.isSuccess()) { // on the event loop: a close that beat the write has recorded its cause
                request.fail(channel.isActive() || channel.attr(CLOSE_CAUSE).get() == null
                        ? settings.sendFailure(written.cause()) : closedFailure());
            }
        });
        return request.future;
    }

    /** Why a request cannot go out on this closed channel: the recorded cause of the close, when there is one. */
    private EchoAckClientException closedFailure() {
        EchoAckClientException why = channel.attr(CLOSE_CAUSE).get();
        String closed = "connection to " + endpoint().address() + " is closed";
        return why == null ? new ConnectionClosedException(endpoint(), closed)
                : why.fieldMessage() // keeps the settings the cause names (a TLS failure's certificate and key)
                        .map(m -> new ConnectionClosedException(endpoint(), FieldMessage.of(closed + ": ", m), why))
                        .orElseGet(() -> new ConnectionClosedException(endpoint(), closed + ": " + why.getMessage(),
                                why));
    }

    /** Runs {@code task} on the channel's event loop, after what is queued there; at once when already on it. */
    private void onEventLoop(Runnable task) {
        if (channel.eventLoop().inEventLoop()) {
            task.run();
            return;
        }
        try {
            channel.eventLoop().execute(task);
        } catch (RejectedExecutionException shutDown) {
            task.run(); // the client's event loops are gone: nothing more will be recorded
        }
    }

    /**
     * Waits, at most the timeout, until the outbound buffer is below its low water mark again or the channel
     * closed; on an event loop, which must not wait, it does not. Returns null when the request may go on,
     * else why it cannot.
     */
    private EchoAckClientException awaitWritable() {
        if (channel.eventLoop().inEventLoop()) {
            return new SendTimeoutException(endpoint(), Duration.ZERO);
        }
        long deadline = System.nanoTime() + settings.timeout().toNanos();
        try {
            while (true) {
                CompletableFuture<Void> change = gate.nextChange(); // before the check: no change is missed
                if (channel.isWritable() || !channel.isActive()) {
                    return null;
                }
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return new SendTimeoutException(endpoint(), settings.timeout());
                }
                try {
                    change.get(left, TimeUnit.NANOSECONDS);
                } catch (TimeoutException e) {
                    return new SendTimeoutException(endpoint(), settings.timeout());
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new EchoAckClientException(endpoint(), "interrupted while waiting to send to "
                    + endpoint().address(), e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("the writability signal never fails", e);
        }
    }

    @Override
    public byte[] send(byte[] payload) {
        if (channel.eventLoop().inEventLoop()) {
            throw new IllegalStateException("send() blocks; on an event loop use request() instead");
        }
        CompletableFuture<byte[]> reply = request(payload);
        // The handler's timers complete the future; this bound only guards against a dead event loop.
        Duration bound = settings.timeout().multipliedBy(settings.maxAttempts()).plusSeconds(5);
        try {
            return reply.get(bound.toNanos(), TimeUnit.NANOSECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException failure) {
                throw failure;
            }
            throw new EchoAckClientException(endpoint(), String.valueOf(e.getCause()), e.getCause());
        } catch (TimeoutException e) {
            reply.cancel(false);
            throw new ReplyTimeoutException(endpoint(), settings.timeout(), settings.maxAttempts());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            reply.cancel(false);
            throw new EchoAckClientException(endpoint(), "interrupted while waiting for a reply from "
                    + endpoint().address(), e);
        }
    }

    @Override
    public CompletableFuture<EchoAckClientException> closed() {
        return closedFuture(channel).copy();
    }

    @Override
    public boolean isOpen() {
        return channel.isOpen();
    }

    @Override
    public void close() {
        channel.attr(CLOSED_BY_CLIENT).set(Boolean.TRUE);
        channel.close();
        if (!channel.eventLoop().inEventLoop()) {
            // Wait for a listener added now: Netty runs a future's listeners in the order they were added, so
            // once it ran, so did those added when the channel opened (e.g. the removal of a Unix datagram
            // client's socket file), which a plain await of the close future does not promise.
            CountDownLatch closedListenersRan = new CountDownLatch(1);
            channel.closeFuture().addListener(closed -> closedListenersRan.countDown());
            try {
                closedListenersRan.await(settings.timeout().toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public String toString() {
        return "Connection[" + endpoint() + " via " + channel + "]";
    }
}
