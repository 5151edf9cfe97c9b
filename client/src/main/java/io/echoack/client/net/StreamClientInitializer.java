package io.echoack.client.net;

import io.echoack.common.codec.Framing;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;

/**
 * Builds the pipeline of one stream connection (TCP, Unix stream), in this order:
 * {@value #FRAME_DECODER} (a new bounded decoder per channel; none with raw framing),
 * {@value #FRAME_ENCODER} (the framing's sharable encoder), {@value #REPLY_HANDLER}
 * ({@link StreamReplyHandler}, which matches replies to requests).
 */
final class StreamClientInitializer extends ChannelInitializer<Channel> {

    static final String FRAME_DECODER = "frameDecoder";
    static final String FRAME_ENCODER = "frameEncoder";
    static final String REPLY_HANDLER = "replyHandler";

    private final ExchangeSettings settings;

    StreamClientInitializer(ExchangeSettings settings) {
        this.settings = settings;
    }

    @Override
    protected void initChannel(Channel ch) {
        Framing framing = settings.framing().orElseThrow();
        ChannelPipeline pipeline = ch.pipeline();
        if (framing.delimitsMessages()) {
            pipeline.addLast(FRAME_DECODER, framing.newDecoder(settings.maxFrameLength()));
        }
        pipeline.addLast(FRAME_ENCODER, framing.encoder());
        pipeline.addLast(REPLY_HANDLER, new StreamReplyHandler(settings));
    }
}
