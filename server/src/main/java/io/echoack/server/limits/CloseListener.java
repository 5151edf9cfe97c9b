package io.echoack.server.limits;

import io.netty.channel.Channel;

/**
 * Told about every connection the limits refuse or cut, so that the server can count it (metrics) without
 * the limits knowing about metrics. Called on the connection's event loop, once per connection, before
 * the close completes: implementations must be thread-safe (connections live on several event loops),
 * cheap and must never block.
 */
@FunctionalInterface
public interface CloseListener {

    /** Ignores every event. */
    CloseListener NONE = (reason, channel) -> { };

    /**
     * @param reason  why the connection is being closed
     * @param channel the connection (already closing; for logs, never to write to)
     */
    void closing(CloseReason reason, Channel channel);
}
