package io.echoack.server.proxy;

import java.net.SocketAddress;
import java.util.List;
import java.util.Objects;

/**
 * What an accepted PROXY protocol header said about a connection: the client and the address it connected to
 * as the load balancer saw them, and the v2 TLVs. Stored on the channel ({@link ConnectionAddresses#PROXIED})
 * once the header is decoded, for the gates, the logs and identity replies.
 *
 * @param version     1 or 2
 * @param local       a v2 {@code LOCAL} header (the balancer's own health check), or a header that carries no
 *                    addresses (v1 {@code UNKNOWN}, v2 {@code AF_UNSPEC}; the spec says to use the socket's then):
 *                    the connection is served with the socket's own addresses, and {@code source}/{@code destination}
 *                    are null
 * @param source      the client's address, as the balancer saw it (null when {@code local})
 * @param destination the address the client connected to (null when {@code local})
 * @param tlvs        the v2 TLVs in header order; empty for v1
 */
public record ProxiedConnection(int version, boolean local, SocketAddress source, SocketAddress destination,
                                List<ProxyTlv> tlvs) {

    public ProxiedConnection {
        if (version != 1 && version != 2) {
            throw new IllegalArgumentException("PROXY protocol version " + version);
        }
        if (!local) {
            Objects.requireNonNull(source, "source");
            Objects.requireNonNull(destination, "destination");
        }
        tlvs = List.copyOf(tlvs);
    }
}
