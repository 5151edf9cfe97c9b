package io.echoack.server.fault;

import io.echoack.common.fault.FaultKey;
import io.netty.channel.Channel;

/** Told of every fault injected, to count it (metrics) and to say how a connection ended (connection log). */
@FunctionalInterface
public interface FaultEvents {

    /** Tells nobody. */
    FaultEvents NONE = (fault, channel) -> { };

    /** {@code fault} was injected on {@code channel} (a connection, or a listener's datagram channel). */
    void injected(FaultKey fault, Channel channel);
}
