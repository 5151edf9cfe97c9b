package io.echoack.common.codec;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.MessageToMessageEncoder;
import java.util.List;

/**
 * Frames each outgoing payload for a {@link Framing}: appends {@code \n} (line), prepends the 4-byte length
 * (length) or passes it through (raw). The payload itself is not copied.
 */
@Sharable
final class FrameEncoder extends MessageToMessageEncoder<ByteBuf> {

    private static final ByteBuf NEWLINE = ConstantBuffers.of(new byte[] {'\n'});

    private static final FrameEncoder LINE = new FrameEncoder(Framing.LINE);
    private static final FrameEncoder RAW = new FrameEncoder(Framing.RAW);
    private static final FrameEncoder LENGTH = new FrameEncoder(Framing.LENGTH);

    private final Framing framing;

    private FrameEncoder(Framing framing) {
        super(ByteBuf.class);
        this.framing = framing;
    }

    static FrameEncoder forFraming(Framing framing) {
        return switch (framing) {
            case LINE -> LINE;
            case RAW -> RAW;
            case LENGTH -> LENGTH;
        };
    }

    @Override
    protected void encode(ChannelHandlerContext ctx, ByteBuf msg, List<Object> out) {
        switch (framing) {
            case RAW -> out.add(msg.retain());
            case LINE -> {
                out.add(msg.retain());
                out.add(NEWLINE.duplicate());
            }
            case LENGTH -> {
                out.add(ctx.alloc().buffer(Framing.LENGTH_PREFIX_BYTES).writeInt(msg.readableBytes()));
                out.add(msg.retain());
            }
        }
    }
}
