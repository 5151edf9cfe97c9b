package io.echoack.server.binding;

import io.netty.channel.Channel;
import java.net.SocketAddress;
import java.util.Objects;

/**
 * One bound listener as the server's lifecycle sees it: where it listens, and how to close it. Most listeners are
 * one channel; a wildcard UDP endpoint is one socket per local address ({@link WildcardDatagramListener}), which
 * the lifecycle closes as one.
 */
public interface BoundListener {

    /** Where it listens: its socket's address, or for a wildcard UDP endpoint the wildcard with the shared port. */
    SocketAddress localAddress();

    /** Closes every socket of this listener and waits until they are closed; does nothing the second time. */
    void close();

    /** A listener that is exactly one channel. */
    static BoundListener of(Channel channel) {
        Objects.requireNonNull(channel, "channel");
        return new BoundListener() {
            @Override
            public SocketAddress localAddress() {
                return channel.localAddress();
            }

            @Override
            public void close() {
                channel.close().awaitUninterruptibly();
            }

            @Override
            public String toString() {
                return channel.toString();
            }
        };
    }
}
