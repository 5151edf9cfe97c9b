package io.echoack.server.tls;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.echoack.common.codec.Framing;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.channel.socket.ChannelInputShutdownReadComplete;
import io.netty.handler.ssl.SslCloseCompletionEvent;
import java.nio.channels.ClosedChannelException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class CloseNotifyHandlerTest {

    private final List<Object> seen = new ArrayList<>();

    private EmbeddedChannel channel() {
        return new EmbeddedChannel(CloseNotifyHandler.INSTANCE, Framing.LINE.newDecoder(64),
                new ChannelInboundHandlerAdapter() {
                    @Override
                    public void channelRead(ChannelHandlerContext ctx, Object msg) {
                        ByteBuf frame = (ByteBuf) msg;
                        seen.add(frame.toString(US_ASCII));
                        frame.release();
                    }

                    @Override
                    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
                        seen.add(evt);
                    }
                });
    }

    @Test
    void closeNotifyIsTheEndOfInputSoTheLastLineCounts() {
        EmbeddedChannel ch = channel();
        ch.writeInbound(Unpooled.copiedBuffer("one\nlast", US_ASCII));
        ch.pipeline().fireUserEventTriggered(SslCloseCompletionEvent.SUCCESS);
        assertEquals(List.of("one\n", SslCloseCompletionEvent.SUCCESS, "last", ChannelInputShutdownEvent.INSTANCE,
                ChannelInputShutdownReadComplete.INSTANCE), seen);
        assertFalse(ch.finish());
    }

    @Test
    void aFailedCloseIsPassedOnAlone() {
        EmbeddedChannel ch = channel();
        SslCloseCompletionEvent failed = new SslCloseCompletionEvent(new ClosedChannelException());
        ch.pipeline().fireUserEventTriggered(failed);
        assertEquals(List.of(failed), seen);
        assertFalse(ch.finish());
    }
}
