package io.echoack.server.admin;

import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.group.ChannelGroup;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.timeout.IdleStateHandler;
import java.util.concurrent.TimeUnit;

/**
 * Pipeline of an admin HTTP connection: {@code http} (codec, small limits: admin requests are tiny),
 * {@code idle} (closes connections silent for 60 s), {@code aggregator}, {@code admin} ({@link AdminHandler}).
 */
public final class AdminServerInitializer extends ChannelInitializer<Channel> {

    private static final int MAX_REQUEST_BYTES = 8192;

    private final AdminHandler handler;
    private final ChannelGroup connections;

    public AdminServerInitializer(AdminHandler handler, ChannelGroup connections) {
        this.handler = handler;
        this.connections = connections;
    }

    @Override
    protected void initChannel(Channel ch) {
        connections.add(ch);
        ch.pipeline()
                .addLast("http", new HttpServerCodec(4096, MAX_REQUEST_BYTES, MAX_REQUEST_BYTES))
                .addLast("idle", new IdleStateHandler(0, 0, 60, TimeUnit.SECONDS) {
                    @Override
                    protected void channelIdle(io.netty.channel.ChannelHandlerContext ctx,
                                               io.netty.handler.timeout.IdleStateEvent evt) {
                        ctx.close();
                    }
                })
                .addLast("aggregator", new HttpObjectAggregator(MAX_REQUEST_BYTES))
                .addLast("admin", handler);
    }
}
