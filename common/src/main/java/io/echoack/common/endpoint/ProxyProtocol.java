package io.echoack.common.endpoint;

import io.echoack.common.text.NamedValues;
import java.util.Locale;

/**
 * Whether a stream listener's connections start with a PROXY protocol header (HAProxy's, v1 text or v2
 * binary), as a load balancer in front of the server sends it to say who the client is: the endpoint's
 * {@code ?proxy=} key. An endpoint without the key takes no header (its first bytes are data).
 */
public enum ProxyProtocol {
    /** Every connection starts with a v1 (text) header; a v2 header or none closes it. */
    V1,
    /** Every connection starts with a v2 (binary) header; a v1 header or none closes it. */
    V2,
    /** Every connection starts with a header of either version; none closes it. */
    ANY,
    /**
     * A connection may start with a header of either version, or with data: what a load balancer's health
     * checks need (AWS NLB's send none), and a way to serve direct clients on the same port.
     */
    OPTIONAL;

    private final String id = name().toLowerCase(Locale.ROOT);

    /** The value of the {@code proxy} key: {@code v1}, {@code v2}, {@code any} or {@code optional}. */
    public String id() {
        return id;
    }

    /** True unless {@link #OPTIONAL}: a connection without a header is refused. */
    public boolean requiresHeader() {
        return this != OPTIONAL;
    }

    /** True when a header of protocol {@code version} (1 or 2) is taken. */
    public boolean accepts(int version) {
        return switch (this) {
            case V1 -> version == 1;
            case V2 -> version == 2;
            case ANY, OPTIONAL -> version == 1 || version == 2;
        };
    }

    /**
     * Parses {@code v1}, {@code v2}, {@code any} or {@code optional} (any case).
     *
     * @throws IllegalArgumentException naming the value and the accepted ones
     */
    public static ProxyProtocol parse(String text) {
        return NamedValues.parse("proxy", text, values(), ProxyProtocol::id);
    }

    @Override
    public String toString() {
        return id;
    }
}
