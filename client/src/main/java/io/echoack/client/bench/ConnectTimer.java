package io.echoack.client.bench;

import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.ssl.SslHandler;
import java.net.SocketAddress;

/**
 * Times one stream connection's set-up into its event loop's {@link ConnectStats}: connect() called to channel
 * active and, with a TLS handler in the pipeline, channel active to handshake done; only when the connect started in
 * the measured phase ({@link BenchRun#connectMeasured}). First in the pipeline, so that it sees the connect go out
 * last and the channel go active first; it leaves the pipeline once the channel is active, so that no message
 * passes through it.
 */
final class ConnectTimer extends ChannelDuplexHandler {

    private final BenchRun run;
    private final ConnectStats stats;
    private long connectAt;
    private boolean measured;

    ConnectTimer(BenchRun run, ConnectStats stats) {
        this.run = run;
        this.stats = stats;
    }

    @Override
    public void connect(ChannelHandlerContext ctx, SocketAddress remote, SocketAddress local, ChannelPromise promise) {
        connectAt = System.nanoTime();
        measured = run.connectMeasured(connectAt);
        ctx.connect(remote, local, promise);
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        long active = System.nanoTime();
        if (measured) {
            stats.connected(active - connectAt);
            SslHandler tls = ctx.pipeline().get(SslHandler.class);
            if (tls != null) {
                tls.handshakeFuture().addListener(handshake -> {
                    if (handshake.isSuccess()) {
                        stats.handshake(System.nanoTime() - active);
                    }
                });
            }
        }
        ctx.fireChannelActive();
        if (!ctx.isRemoved()) {
            ctx.pipeline().remove(this);
        }
    }
}
