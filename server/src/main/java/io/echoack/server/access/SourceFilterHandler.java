package io.echoack.server.access;

import io.echoack.server.limits.AdmissionHandler;
import io.echoack.server.limits.CloseListener;
import io.echoack.server.limits.CloseReason;
import io.echoack.server.proxy.ConnectionAddresses;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * Closes, at accept and before reading anything, every stream connection whose source is outside the
 * {@link SourceFilter}'s ranges, counted as {@link CloseReason#NOT_ALLOWED}. The source is the connection's
 * client ({@link ConnectionAddresses#client}): the peer, or on a PROXY protocol listener the source its header
 * gave, so there it goes right after the header's handler (which holds the channel-active event back until
 * the header is read). Put it first in each accepted
 * connection's pipeline (before the {@code ConnectionLimiter}, so refused peers take no connection slot);
 * an allowed connection removes it from its pipeline, so it costs nothing afterwards. One instance per
 * listener (for that listener's {@link CloseListener}); thread-safe.
 */
@Sharable
public final class SourceFilterHandler extends AdmissionHandler {

    private final Supplier<SourceFilter> filter;

    public SourceFilterHandler(SourceFilter filter, CloseListener listener) {
        this(constant(filter), listener);
    }

    /**
     * A handler that admits by the ranges in force when a connection arrives ({@code --allow} may change on
     * SIGHUP): a connection is judged once, at accept, so one already admitted stays when the ranges change.
     */
    public SourceFilterHandler(Supplier<SourceFilter> filter, CloseListener listener) {
        super(listener);
        this.filter = Objects.requireNonNull(filter, "filter");
    }

    private static Supplier<SourceFilter> constant(SourceFilter filter) {
        Objects.requireNonNull(filter, "filter");
        return () -> filter;
    }

    @Override
    protected CloseReason admit(ChannelHandlerContext ctx) {
        return filter.get().allows(ConnectionAddresses.client(ctx.channel())) ? null : CloseReason.NOT_ALLOWED;
    }
}
