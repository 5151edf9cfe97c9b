package io.echoack.client.net;

import io.echoack.common.codec.Framing;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;

/**
 * Builds the pipeline of one stream connection (TCP, TLS, Unix stream), in this order: when the client sends a
 * PROXY header, {@value ProxyHeaderWriter#ENCODER} and {@value ProxyHeaderWriter#NAME} ({@link ProxyHeaderWriter},
 * both gone once the header is written), then {@value #WRITABILITY}
 * ({@link WritabilityGate}, which wakes callers waiting to send), {@value #TLS} (the
 * {@code SslHandler}, {@code tls://} only), {@value #FRAME_DECODER} (a new bounded decoder per channel; none
 * with raw framing),
 * {@value #FRAME_ENCODER} (the framing's sharable encoder), {@value #REPLY_HANDLER}
 * ({@link StreamReplyHandler}, which matches replies to requests).
 */
final class StreamClientInitializer extends ChannelInitializer<Channel> {

    static final String WRITABILITY = "writability";
    static final String TLS = "tls";
    static final String FRAME_DECODER = "frameDecoder";
    static final String FRAME_ENCODER = "frameEncoder";
    static final String REPLY_HANDLER = "replyHandler";

    private final ExchangeSettings settings;
    private final ClientTlsContext tls;
    private final ProxyHeader proxyHeader;

    /**
     * @param tls         the client's TLS context for a {@code tls://} endpoint, else null
     * @param proxyHeader the PROXY header to send first, else null
     */
    StreamClientInitializer(ExchangeSettings settings, ClientTlsContext tls, ProxyHeader proxyHeader) {
        this.settings = settings;
        this.tls = tls;
        this.proxyHeader = proxyHeader;
    }

    @Override
    protected void initChannel(Channel ch) {
        Framing framing = settings.framing().orElseThrow();
        ChannelPipeline pipeline = ch.pipeline();
        pipeline.addLast(WRITABILITY, new WritabilityGate());
        if (tls != null) {
            pipeline.addLast(TLS, tls.newHandler(ch.alloc(), settings.endpoint(), settings.timeout()));
        }
        if (framing.delimitsMessages()) {
            pipeline.addLast(FRAME_DECODER, framing.newDecoder(settings.maxFrameLength()));
        }
        pipeline.addLast(FRAME_ENCODER, framing.encoder());
        pipeline.addLast(REPLY_HANDLER, new StreamReplyHandler(settings, tls));
        if (proxyHeader != null) {
            ProxyHeaderWriter.addFirst(pipeline, proxyHeader, settings.endpoint());
        }
    }
}
