package io.echoack.common.endpoint;

/**
 * Limits of one datagram that the server, the client and the load generator must agree on: written once here
 * so that they cannot drift apart.
 */
public final class Datagrams {

    /**
     * The largest payload one UDP datagram carries over IPv4: 65,535 (the IP packet's length field) - 20 (IP
     * header) - 8 (UDP header). Nothing larger can be sent as one UDP message, and a receive buffer of this
     * size never truncates one.
     */
    public static final int MAX_PAYLOAD_BYTES = 65_535 - 20 - 8;

    private Datagrams() {
    }
}
