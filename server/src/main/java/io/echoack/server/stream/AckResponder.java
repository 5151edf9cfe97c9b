package io.echoack.server.stream;

import io.netty.buffer.ByteBuf;
import io.echoack.common.codec.ConstantBuffers;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.ReferenceCountUtil;

/**
 * Ack mode: answers every frame with the same, already framed acknowledgement, in order. The ack lives in
 * one read-only buffer built at startup; each reply is a duplicate of it, so no reply allocates or copies.
 * Writes are flushed once per read burst.
 */
@Sharable
public final class AckResponder extends ChannelInboundHandlerAdapter {

    private final ByteBuf ack;

    /** @param ackFrame the acknowledgement exactly as it goes on the wire */
    public AckResponder(byte[] ackFrame) {
        this.ack = ConstantBuffers.of(ackFrame);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object frame) {
        ReferenceCountUtil.release(frame);
        ctx.write(ack.duplicate(), ctx.voidPromise());
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        ctx.flush();
        ctx.fireChannelReadComplete();
    }
}
