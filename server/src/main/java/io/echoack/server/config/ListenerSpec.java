package io.echoack.server.config;

import io.echoack.common.codec.Framing;
import io.echoack.common.codec.ReplyMode;
import io.echoack.common.endpoint.Endpoint;
import java.nio.charset.StandardCharsets;

/**
 * One endpoint with its effective settings: the endpoint's own query overrides applied over the
 * server-wide defaults. Pipelines are built from this, never from the raw config.
 *
 * @param endpoint       where to listen
 * @param mode           reply mode
 * @param framing        stream framing; {@link Framing#RAW} for datagram endpoints (unused there)
 * @param ackPayload     the acknowledgement text's bytes (without framing)
 * @param maxFrameLength longest accepted stream message
 * @param printMessages  whether to print each message
 */
public record ListenerSpec(Endpoint endpoint, ReplyMode mode, Framing framing, byte[] ackPayload,
                           int maxFrameLength, boolean printMessages) {

    /** Resolves the settings of {@code endpoint} under {@code config}. */
    public static ListenerSpec of(Endpoint endpoint, ServerConfig config) {
        ReplyMode mode = endpoint.modeOr(config.mode());
        boolean stream = endpoint.kind().isStream();
        Framing framing = stream ? endpoint.framingOr(config.framing(), mode) : Framing.RAW;
        String ack = stream ? config.ackText() : config.datagramAckText();
        return new ListenerSpec(endpoint, mode, framing, ack.getBytes(StandardCharsets.UTF_8),
                config.maxFrameLength(), config.printMessages());
    }

    /** The acknowledgement as it goes on the wire for this endpoint's framing. */
    public byte[] ackFrame() {
        return framing.frame(ackPayload);
    }

    /** A short description for logs: {@code ack, line} or {@code echo} (datagrams). */
    public String describe() {
        return endpoint.kind().isStream() ? mode.id() + ", " + framing.id() + " framing" : mode.id();
    }
}
