package io.echoack.server.stream;

import io.echoack.common.codec.Framing;
import io.echoack.common.info.InfoLine;
import io.echoack.server.identity.Identity;
import io.echoack.server.identity.InfoReplies;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.ReferenceCountUtil;

/**
 * Info mode: answers every frame with what the server sees of this connection ({@link InfoReplies}), numbered
 * from 1, in order. On line framing each reply is a line; on length framing a length-prefixed frame; on raw
 * framing (one reply per read) a line too, so that a reader can tell the replies apart. The connection's part
 * of the reply is written at its first message and reused (written again after the server's identity changed:
 * SIGHUP). Writes are flushed once per read burst. One per
 * connection: it counts the messages.
 */
public final class InfoResponder extends ChannelInboundHandlerAdapter {

    private final InfoReplies replies;
    private final Framing framing;
    private InfoLine connection;
    /** The identity {@link #connection} was written for. */
    private Identity shown;
    private long seq;

    public InfoResponder(InfoReplies replies, Framing framing) {
        this.replies = replies;
        this.framing = framing;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object frame) {
        ReferenceCountUtil.release(frame);
        Identity now = replies.identity();
        if (connection == null || now != shown) { // the first message, or the identity changed (SIGHUP)
            shown = now;
            connection = replies.connection(ctx.channel());
        }
        byte[] reply = replies.message(connection, ++seq);
        ByteBuf out;
        if (framing == Framing.LENGTH) {
            out = ctx.alloc().buffer(Framing.LENGTH_PREFIX_BYTES + reply.length).writeInt(reply.length);
        } else {
            out = ctx.alloc().buffer(reply.length + 1);
        }
        out.writeBytes(reply);
        if (framing != Framing.LENGTH) {
            out.writeByte('\n');
        }
        ctx.write(out, ctx.voidPromise());
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        ctx.flush();
        ctx.fireChannelReadComplete();
    }
}
