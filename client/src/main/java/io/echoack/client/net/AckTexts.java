package io.echoack.client.net;

import io.echoack.common.endpoint.EndpointKind;

/**
 * The acknowledgement texts an echoack server (and the sockets tutorial's servers) send by default, so that
 * a client can recognise an ack: one text for streams, one for datagrams, both without line terminator.
 */
public final class AckTexts {

    /** The default ack on streams (TCP, Unix stream), as the tutorial's TCP server sends it. */
    public static final String STREAM = "I got your message";

    /** The default ack on datagrams (UDP, Unix datagram), as the tutorial's UDP server sends it. */
    public static final String DATAGRAM = "Got your message";

    private AckTexts() {
    }

    /** The default ack text for an endpoint kind. */
    public static String defaultFor(EndpointKind kind) {
        return kind.isStream() ? STREAM : DATAGRAM;
    }
}
