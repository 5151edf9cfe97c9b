package io.echoack.server.listener;

import io.echoack.server.access.SourceFilter;
import io.echoack.server.limits.ConnectionCounter;
import io.echoack.server.limits.ReflectionGuardSettings;
import io.echoack.server.limits.Timeouts;
import io.echoack.server.live.LiveSetting;
import io.echoack.server.proxy.header.ProxySettings;
import java.util.Objects;

/**
 * The gates a listener's traffic passes before it is answered. Each is switched off by its own setting
 * ({@link SourceFilter#ALLOW_ALL}, unlimited {@code ConnectionLimits}, {@link Timeouts#none()}, a disabled guard),
 * never by leaving it out, so that tests and benchmarks build the pipeline the server builds. One value per
 * server, shared by every listener; the access list, the limits, the timeouts and the guard's settings can be
 * replaced while it runs (SIGHUP), each read when a connection is accepted or a datagram arrives.
 *
 * @param allow       the sources served; the rest is closed (streams, at accept) or dropped (UDP)
 * @param connections the server-wide connection counter and its limits, shared by every stream listener
 * @param timeouts    idle and frame timeouts of stream connections
 * @param udpGuard    the reflection guard's settings; each UDP listener gets a guard of its own
 * @param proxy       whose PROXY protocol headers are believed, and how long one may take (used by stream
 *                    listeners with {@code ?proxy=} only)
 */
public record ListenerGates(LiveSetting<SourceFilter> allow, ConnectionCounter connections,
                            LiveSetting<Timeouts> timeouts, LiveSetting<ReflectionGuardSettings> udpGuard,
                            ProxySettings proxy) {

    public ListenerGates {
        Objects.requireNonNull(allow, "allow");
        Objects.requireNonNull(connections, "connections");
        Objects.requireNonNull(timeouts, "timeouts");
        Objects.requireNonNull(udpGuard, "udpGuard");
        Objects.requireNonNull(proxy, "proxy");
    }

    /** Gates that start with these values. */
    public ListenerGates(SourceFilter allow, ConnectionCounter connections, Timeouts timeouts,
                         ReflectionGuardSettings udpGuard, ProxySettings proxy) {
        this(LiveSetting.of(allow), connections, LiveSetting.of(timeouts), LiveSetting.of(udpGuard), proxy);
    }
}
