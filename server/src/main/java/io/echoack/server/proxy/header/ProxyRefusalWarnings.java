package io.echoack.server.proxy.header;

import io.echoack.common.endpoint.ProxyProtocol;
import io.echoack.server.limits.CloseListener;
import io.echoack.server.limits.CloseReason;
import io.echoack.server.limits.RefusalCounter;
import io.echoack.server.limits.RefusalWarnings;
import io.netty.channel.Channel;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link CloseListener} that makes a PROXY listener's refusals that usually mean a misconfiguration show in
 * the log: one rate-limited WARN line per reason and listener (see {@link RefusalWarnings}), naming the peer and
 * what to change. A balancer that sends no header, or the other version, or whose address is not in
 * {@code --trusted-proxy}, gets every connection refused; the metrics count that, and this says why, e.g.
 * <pre>
 * refused 12 connections from 10.0.3.7 on tcp://0.0.0.0:51717 in the last 10s: no PROXY header, and
 *     ?proxy=v2 requires one (have the load balancer send it, or ?proxy=optional serves connections without one)
 * </pre>
 * (one line in the log). A header that does not complete in time is counted only: a slow or vanished peer is
 * not a configuration to fix. One instance per PROXY listener; thread-safe, and a refusal costs a counter
 * increment.
 */
public final class ProxyRefusalWarnings implements CloseListener {

    private static final Logger log = LoggerFactory.getLogger(ProxyHeaderHandler.class);

    private final RefusalCounter untrusted;
    private final RefusalCounter missing;
    private final RefusalCounter invalid;

    /**
     * @param warnings the server's warnings
     * @param listener the listener's name (see {@link RefusalWarnings#counter})
     * @param protocol the listener's {@code ?proxy=}, for the lines
     */
    public ProxyRefusalWarnings(RefusalWarnings warnings, String listener, ProxyProtocol protocol) {
        String proxy = "?proxy=" + protocol.id();
        untrusted = warnings.counter(log, listener, "refused", "connection", (protocol.requiresHeader()
                ? "a peer outside --trusted-proxy, where " + proxy + " requires a PROXY header"
                : "a PROXY header from a peer outside --trusted-proxy")
                + " (if that is the load balancer, add its address to --trusted-proxy)");
        missing = warnings.counter(log, listener, "refused", "connection", "no PROXY header, and " + proxy
                + " requires one (have the load balancer send it, or ?proxy=optional serves connections without one)");
        invalid = warnings.counter(log, listener, "refused", "connection", "a malformed PROXY header, or one of a "
                + "version " + proxy + " does not take (send the version the listener takes, or ?proxy=any)");
    }

    @Override
    public void closing(CloseReason reason, Channel channel) {
        switch (reason) {
            case PROXY_UNTRUSTED -> untrusted.record(peer(channel));
            case PROXY_MISSING -> missing.record(peer(channel));
            case PROXY_INVALID -> invalid.record(peer(channel));
            default -> {
                // not about the header, or a timeout: counted in the metrics, logged at DEBUG where it happens
            }
        }
    }

    /** The peer on the socket: the balancer (or whoever sent the header); a refused header names no client. */
    private static InetAddress peer(Channel channel) {
        return channel.remoteAddress() instanceof InetSocketAddress inet ? inet.getAddress() : null;
    }
}
