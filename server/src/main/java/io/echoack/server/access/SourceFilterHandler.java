package io.echoack.server.access;

import io.echoack.server.limits.AdmissionHandler;
import io.echoack.server.limits.CloseListener;
import io.echoack.server.limits.CloseReason;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import java.util.Objects;

/**
 * Closes, at accept and before reading anything, every stream connection whose source is outside the
 * {@link SourceFilter}'s ranges, counted as {@link CloseReason#NOT_ALLOWED}. Put it first in each accepted
 * connection's pipeline (before the {@code ConnectionLimiter}, so refused peers take no connection slot);
 * an allowed connection removes it from its pipeline, so it costs nothing afterwards. One instance per
 * listener (for that listener's {@link CloseListener}); thread-safe.
 */
@Sharable
public final class SourceFilterHandler extends AdmissionHandler {

    private final SourceFilter filter;

    public SourceFilterHandler(SourceFilter filter, CloseListener listener) {
        super(listener);
        this.filter = Objects.requireNonNull(filter, "filter");
    }

    @Override
    protected CloseReason admit(ChannelHandlerContext ctx) {
        return filter.allows(ctx.channel().remoteAddress()) ? null : CloseReason.NOT_ALLOWED;
    }
}
