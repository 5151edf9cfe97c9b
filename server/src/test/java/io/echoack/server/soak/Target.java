package io.echoack.server.soak;

import io.echoack.common.codec.Framing;
import io.echoack.common.codec.ReplyMode;
import java.net.SocketAddress;

/**
 * A stream listener under test.
 *
 * @param name                 for reports, e.g. {@code tcp line echo}
 * @param address              where to connect: an {@code InetSocketAddress} or a {@code UnixDomainSocketAddress}
 * @param unix                 a Unix-domain stream socket
 * @param framing              line or length
 * @param mode                 echo or ack
 * @param lastLineOnHalfClose  whether the transport delivers a last unterminated message after a half-close
 *                             (epoll and kqueue do; NIO and io_uring close Unix connections at end of input)
 */
record Target(String name, SocketAddress address, boolean unix, Framing framing, ReplyMode mode,
              boolean lastLineOnHalfClose) {

    @Override
    public String toString() {
        return name;
    }
}
