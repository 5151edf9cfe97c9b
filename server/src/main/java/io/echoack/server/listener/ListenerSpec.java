package io.echoack.server.listener;

import io.echoack.common.codec.Framing;
import io.echoack.common.codec.InfoFormat;
import io.echoack.common.codec.ReplyMode;
import io.echoack.common.endpoint.Endpoint;
import io.echoack.common.endpoint.ProxyProtocol;
import java.util.Optional;

/**
 * One endpoint with its effective settings: the endpoint's own query overrides applied over the
 * server-wide defaults ({@code ServerConfig.listenerSpec}). Pipelines are built from this, never from the raw
 * config, so the stream and datagram packages need not know the config.
 *
 * @param endpoint       where to listen
 * @param mode           reply mode
 * @param framing        stream framing; {@link Framing#RAW} for datagram endpoints (unused there)
 * @param ackPayload     the acknowledgement text's bytes (without framing)
 * @param maxFrameLength longest accepted stream message
 * @param printMessages  whether to print each message
 * @param proxy          the PROXY protocol header the connections start with (the endpoint's {@code ?proxy=});
 *                       empty: none (always empty for datagram endpoints)
 * @param format         how {@link ReplyMode#INFO} replies are written (unused in the other modes)
 */
public record ListenerSpec(Endpoint endpoint, ReplyMode mode, Framing framing, byte[] ackPayload,
                           int maxFrameLength, boolean printMessages, Optional<ProxyProtocol> proxy,
                           InfoFormat format) {

    public ListenerSpec {
        java.util.Objects.requireNonNull(proxy, "proxy");
        java.util.Objects.requireNonNull(format, "format");
    }

    /** The acknowledgement as it goes on the wire for this endpoint's framing. */
    public byte[] ackFrame() {
        return framing.frame(ackPayload);
    }

    /**
     * A short description for logs: {@code ack, line framing}, {@code echo, raw framing, proxy=v2}, {@code echo},
     * {@code info as json}.
     */
    public String describe() {
        String reply = mode == ReplyMode.INFO ? mode.id() + " as " + format.id() : mode.id();
        return endpoint.kind().isStream()
                ? reply + ", " + framing.id() + " framing" + proxy.map(p -> ", proxy=" + p.id()).orElse("")
                : reply;
    }
}
