package io.echoack.server.config;

import io.echoack.common.codec.Framing;
import io.echoack.common.codec.InfoFormat;
import io.echoack.common.codec.ReplyMode;
import io.echoack.common.endpoint.Datagrams;
import io.echoack.common.endpoint.Endpoint;
import io.echoack.common.transport.Transport;
import io.echoack.server.access.SourceFilter;
import io.echoack.server.connectionlog.ConnectionLogFormat;
import io.echoack.server.identity.IdentityPairs;
import io.echoack.server.limits.ConnectionLimits;
import io.echoack.server.limits.ReflectionGuardSettings;
import io.echoack.server.limits.Timeouts;
import io.echoack.server.listener.ListenerSpec;
import io.echoack.server.proxy.header.ProxySettings;
import io.echoack.server.rollout.RolloutDelays;
import io.echoack.server.tls.TlsSettings;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.nio.file.attribute.GroupPrincipal;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.UserPrincipalNotFoundException;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;

/**
 * Everything the server needs to know, validated once and then passed down unchanged. Built from flags and
 * environment by {@code ServerCommand}, or by tests and embedders from {@link #defaults()} with the
 * {@code withX} methods or a {@link #toBuilder() builder}. Every error names the field it is about.
 *
 * @param listen          endpoints to serve, at least one; each may override mode and framing in its query
 * @param mode            reply mode of endpoints that do not override it
 * @param framing         stream framing of endpoints that do not override it; empty = the mode's default
 *                        (line for ack, raw for echo)
 * @param ackText         the acknowledgement sent on stream endpoints (line framing adds the {@code \n})
 * @param datagramAckText the acknowledgement sent on datagram endpoints
 * @param maxFrameLength  the longest message accepted on a stream, in bytes, terminator or prefix excluded
 * @param transport       which Netty transport to use; {@link Transport#AUTO} picks the best available
 * @param threads         event-loop threads; 0 means one per available core
 * @param printMessages   print {@code Here is the message: <msg>} on stdout for every message received
 * @param admin           where to serve {@code /metrics}, {@code /healthz} and {@code /readyz}; empty = off
 * @param drainTimeout    on shutdown, how long connections get to receive the replies they are owed
 * @param reusePort       bind TCP and UDP listeners with {@code SO_REUSEPORT}, so that several server
 *                        processes can share a port (native transports on Linux)
 * @param limits          most stream connections at once, in all and per source address
 * @param timeouts        idle timeout and frame (slowloris) timeout of stream connections
 * @param allow           the source addresses TCP and UDP endpoints serve (empty: all)
 * @param udpGuard        the UDP reflection and amplification guard
 * @param socketMode      permissions of the Unix socket files the server creates (who may connect)
 * @param socketGroup     the group the Unix socket files are given, so that its members may connect under a
 *                        mode like 0660; empty = the server process's own group (as created)
 * @param tls             certificate, key and client-certificate CA of the {@code tls://} listeners; a
 *                        {@code tls://} listener needs a certificate, and a certificate needs a
 *                        {@code tls://} listener (so that a mistyped {@code tcp://} never serves plaintext
 *                        where TLS was meant)
 * @param proxy           whose PROXY protocol headers the listeners with {@code ?proxy=} believe, and how long a
 *                        header may take; a PROXY listener needs a trusted proxy that can reach it (an address
 *                        range for TCP and TLS, {@code unix} for Unix sockets: a listener that would refuse every
 *                        header is a mistake, not a policy), and trusted proxies need a PROXY listener (so that a
 *                        forgotten {@code ?proxy=} never serves the balancer's address as every client's)
 * @param identity        the {@code --identity} pairs {@code info} replies show; an endpoint may ask for a
 *                        {@code ?format=} only where its reply mode is {@code info}
 * @param connectionLog   one line per stream connection when it ends, on stdout, as text or JSON; or
 *                        {@link ConnectionLogFormat#OFF}
 * @param rollout         how long the server stays not-ready after it starts listening, and how long it keeps
 *                        serving, not-ready, after a stop is requested before it drains
 * @param faultSeed       the seed every random fault choice derives from ({@code --fault-seed}), so that a run
 *                        injects the same faults again; empty: a new random seed per start
 * @param adminControl    whether the admin endpoint may change readiness and faults at run time, and the
 *                        token file that authorises it; control needs an admin endpoint
 */
public record ServerConfig(List<Endpoint> listen, ReplyMode mode, Optional<Framing> framing, String ackText,
                           String datagramAckText, int maxFrameLength, Transport transport, int threads,
                           boolean printMessages, Optional<AdminEndpoint> admin, Duration drainTimeout,
                           boolean reusePort, ConnectionLimits limits, Timeouts timeouts, SourceFilter allow,
                           ReflectionGuardSettings udpGuard, Set<PosixFilePermission> socketMode,
                           Optional<GroupPrincipal> socketGroup,
                           TlsSettings tls, ProxySettings proxy, IdentityPairs identity,
                           ConnectionLogFormat connectionLog, RolloutDelays rollout,
                           OptionalLong faultSeed, AdminControl adminControl) {

    /** The port of the default TCP and UDP endpoints. */
    public static final int DEFAULT_PORT = 51717;
    /** The endpoints served when none is configured. */
    public static final List<Endpoint> DEFAULT_LISTEN = List.of(
            Endpoint.parse("tcp://0.0.0.0:" + DEFAULT_PORT),
            Endpoint.parse("udp://0.0.0.0:" + DEFAULT_PORT),
            Endpoint.parse("unix:///tmp/echoack.sock"));
    /** The sockets tutorial's stream acknowledgement. */
    public static final String DEFAULT_ACK_TEXT = "I got your message";
    /** The sockets tutorial's datagram acknowledgement. */
    public static final String DEFAULT_DATAGRAM_ACK_TEXT = "Got your message";
    /** 64 KiB: far above any chat line, far below anything that could hurt the heap. */
    public static final int DEFAULT_MAX_FRAME_LENGTH = 64 * 1024;
    /** Largest frame accepted by configuration: 16 MiB. */
    public static final int MAX_MAX_FRAME_LENGTH = 16 * 1024 * 1024;
    /** Most event-loop threads accepted by configuration. */
    public static final int MAX_THREADS = 1024;
    /** Time connections get to take their last replies at shutdown. */
    public static final Duration DEFAULT_DRAIN_TIMEOUT = Duration.ofSeconds(10);
    /** Unix socket files: owner and group may connect, others not (0660). */
    public static final Set<PosixFilePermission> DEFAULT_SOCKET_MODE = parseSocketMode("0660");

    /** The port the container image serves the admin endpoint on. */
    public static final int DEFAULT_ADMIN_PORT = 9090;

    public ServerConfig {
        Objects.requireNonNull(listen, "listen");
        Objects.requireNonNull(mode, "mode");
        Objects.requireNonNull(framing, "framing");
        Objects.requireNonNull(ackText, "ackText");
        Objects.requireNonNull(datagramAckText, "datagramAckText");
        Objects.requireNonNull(transport, "transport");
        Objects.requireNonNull(admin, "admin");
        Objects.requireNonNull(drainTimeout, "drainTimeout");
        Objects.requireNonNull(limits, "limits");
        Objects.requireNonNull(timeouts, "timeouts");
        Objects.requireNonNull(allow, "allow");
        Objects.requireNonNull(udpGuard, "udpGuard");
        Objects.requireNonNull(socketMode, "socketMode");
        Objects.requireNonNull(tls, "tls");
        Objects.requireNonNull(proxy, "proxy");
        Objects.requireNonNull(identity, "identity");
        Objects.requireNonNull(connectionLog, "connectionLog");
        Objects.requireNonNull(rollout, "rollout");
        Objects.requireNonNull(faultSeed, "faultSeed");
        Objects.requireNonNull(adminControl, "adminControl");
        if (adminControl.enabled() && admin.isEmpty()) {
            throw new IllegalArgumentException("adminControl needs the admin endpoint: set admin");
        }
        socketMode = Set.copyOf(socketMode);
        Objects.requireNonNull(socketGroup, "socketGroup");
        listen = List.copyOf(listen);
        if (listen.isEmpty()) {
            throw new IllegalArgumentException("listen must name at least one endpoint");
        }
        List<String> fixed = listen.stream().filter(e -> e.port() != 0).map(Endpoint::address).toList();
        if (fixed.stream().distinct().count() != fixed.size()) { // port 0 may repeat: each gets its own port
            throw new IllegalArgumentException("listen names the same endpoint twice: " + listen);
        }
        if (maxFrameLength <= 0 || maxFrameLength > MAX_MAX_FRAME_LENGTH) {
            throw new IllegalArgumentException("maxFrameLength must be 1.." + MAX_MAX_FRAME_LENGTH + " bytes, was "
                    + maxFrameLength);
        }
        if (threads < 0 || threads > MAX_THREADS) {
            throw new IllegalArgumentException("threads must be 0 (one per core) .. " + MAX_THREADS + ", was "
                    + threads);
        }
        if (ackText.indexOf('\n') >= 0 || ackText.indexOf('\r') >= 0) {
            throw new IllegalArgumentException("ackText must not contain a line break (line framing adds one)");
        }
        if (datagramAckText.getBytes(StandardCharsets.UTF_8).length > Datagrams.MAX_PAYLOAD_BYTES) {
            throw new IllegalArgumentException("datagramAckText must fit in one datagram ("
                    + Datagrams.MAX_PAYLOAD_BYTES + " bytes)");
        }
        if (drainTimeout.isNegative() || drainTimeout.compareTo(Duration.ofHours(1)) > 0) {
            throw new IllegalArgumentException("drainTimeout must be 0s..1h, was " + drainTimeout);
        }
        List<String> tlsListeners = listen.stream().filter(e -> e.kind().isTls()).map(Endpoint::address).toList();
        if (!tlsListeners.isEmpty() && !tls.isConfigured()) {
            throw new IllegalArgumentException("tls: " + tlsListeners.get(0) + " needs a certificate and its key");
        }
        for (Endpoint e : listen) {
            if (e.format().isPresent() && e.modeOr(mode) != ReplyMode.INFO) {
                throw new IllegalArgumentException("format applies to mode=info only, and the mode of " + e + " is "
                        + e.modeOr(mode).id());
            }
        }
        if (tlsListeners.isEmpty() && tls.isConfigured()) {
            throw new IllegalArgumentException("tls: a certificate is set but no endpoint is tls://; listen on one "
                    + "or drop the TLS settings");
        }
        for (Endpoint e : listen) {
            if (e.proxy().isPresent() && !proxy.trustedProxies().covers(e.kind())) {
                throw new IllegalArgumentException("proxy: " + e + " takes PROXY headers, but no trusted proxy "
                        + (e.kind().isUnixDomain() ? "is 'unix' (Unix-socket peers)" : "address range covers its peers")
                        + ": every header would be refused");
            }
        }
        if (!proxy.trustedProxies().isEmpty() && listen.stream().noneMatch(e -> e.proxy().isPresent())) {
            throw new IllegalArgumentException("proxy: trusted proxies are set, but no endpoint takes PROXY headers "
                    + "(?proxy=v1|v2|any|optional)");
        }
    }

    /** The tutorial-compatible defaults: ack mode on TCP and UDP port 51717 and /tmp/echoack.sock. */
    public static ServerConfig defaults() {
        return new ServerConfig(DEFAULT_LISTEN, ReplyMode.ACK, Optional.empty(), DEFAULT_ACK_TEXT,
                DEFAULT_DATAGRAM_ACK_TEXT, DEFAULT_MAX_FRAME_LENGTH, Transport.AUTO, 0, false, Optional.empty(),
                DEFAULT_DRAIN_TIMEOUT, false, ConnectionLimits.defaults(), Timeouts.defaults(), SourceFilter.ALLOW_ALL,
                ReflectionGuardSettings.defaults(), DEFAULT_SOCKET_MODE, Optional.empty(),
                TlsSettings.none(), ProxySettings.defaults(), IdentityPairs.none(),
                ConnectionLogFormat.OFF, RolloutDelays.none(),
                OptionalLong.empty(), AdminControl.off());
    }

    /** A builder holding this configuration's values. */
    public Builder toBuilder() {
        return new Builder(this);
    }

    public ServerConfig withListen(List<Endpoint> newListen) {
        return toBuilder().listen(newListen).build();
    }

    public ServerConfig withListen(String... endpoints) {
        return withListen(Arrays.stream(endpoints).map(Endpoint::parse).toList());
    }

    public ServerConfig withMode(ReplyMode newMode) {
        return toBuilder().mode(newMode).build();
    }

    public ServerConfig withFraming(Framing newFraming) {
        return toBuilder().framing(Optional.ofNullable(newFraming)).build();
    }

    public ServerConfig withAckTexts(String newAckText, String newDatagramAckText) {
        return toBuilder().ackText(newAckText).datagramAckText(newDatagramAckText).build();
    }

    public ServerConfig withMaxFrameLength(int newMaxFrameLength) {
        return toBuilder().maxFrameLength(newMaxFrameLength).build();
    }

    public ServerConfig withTransport(Transport newTransport) {
        return toBuilder().transport(newTransport).build();
    }

    public ServerConfig withThreads(int newThreads) {
        return toBuilder().threads(newThreads).build();
    }

    public ServerConfig withPrintMessages(boolean newPrintMessages) {
        return toBuilder().printMessages(newPrintMessages).build();
    }

    public ServerConfig withAdmin(String newAdmin) {
        return toBuilder().admin(Optional.ofNullable(newAdmin).map(AdminEndpoint::parse)).build();
    }

    /** With run-time control on the admin endpoint, authorised by the token in {@code tokenFile}. */
    public ServerConfig withAdminControl(Path tokenFile) {
        return toBuilder().adminControl(AdminControl.withToken(tokenFile)).build();
    }

    public ServerConfig withDrainTimeout(Duration newDrainTimeout) {
        return toBuilder().drainTimeout(newDrainTimeout).build();
    }

    /** With {@code --drain-delay}: see {@link RolloutDelays#drainDelay}. */
    public ServerConfig withDrainDelay(Duration newDrainDelay) {
        return toBuilder().rollout(rollout.withDrainDelay(newDrainDelay)).build();
    }

    /** With {@code --start-delay}: see {@link RolloutDelays#startDelay}. */
    public ServerConfig withStartDelay(Duration newStartDelay) {
        return toBuilder().rollout(rollout.withStartDelay(newStartDelay)).build();
    }

    public ServerConfig withReusePort(boolean newReusePort) {
        return toBuilder().reusePort(newReusePort).build();
    }

    public ServerConfig withLimits(ConnectionLimits newLimits) {
        return toBuilder().limits(newLimits).build();
    }

    public ServerConfig withTimeouts(Timeouts newTimeouts) {
        return toBuilder().timeouts(newTimeouts).build();
    }

    public ServerConfig withAllow(String... cidrs) {
        return toBuilder().allow(SourceFilter.parse(List.of(cidrs))).build();
    }

    public ServerConfig withUdpGuard(ReflectionGuardSettings newUdpGuard) {
        return toBuilder().udpGuard(newUdpGuard).build();
    }

    public ServerConfig withSocketMode(String octal) {
        return toBuilder().socketMode(parseSocketMode(octal)).build();
    }

    /** With socket files given to {@code group} (a name or a numeric gid, see {@link #parseSocketGroup}). */
    public ServerConfig withSocketGroup(String group) {
        return toBuilder().socketGroup(Optional.of(parseSocketGroup(group))).build();
    }

    /**
     * Looks up the group Unix socket files are to be given, by name ({@code echoack}) or numeric gid
     * ({@code 1001}, which need not have a name), once, at configuration time: a typo is a startup error,
     * not a failure at the first bind.
     *
     * @throws IllegalArgumentException naming the input when no such group exists or the platform has no
     *                                  POSIX groups
     */
    public static GroupPrincipal parseSocketGroup(String group) {
        String t = group.trim();
        if (t.isEmpty() || t.startsWith("-") || t.startsWith("+") || t.indexOf('\0') >= 0) {
            throw new IllegalArgumentException("socket group '" + group + "' is not a group name or numeric gid");
        }
        if (t.chars().allMatch(Character::isDigit)) {
            long gid;
            try {
                gid = Long.parseLong(t);
            } catch (NumberFormatException e) {
                gid = Long.MAX_VALUE;
            }
            if (gid > Integer.MAX_VALUE) { // (gid_t) -1 means "leave unchanged" to chown(2)
                throw new IllegalArgumentException("socket group '" + group + "' is not a valid gid (0.."
                        + Integer.MAX_VALUE + ")");
            }
        }
        try {
            return FileSystems.getDefault().getUserPrincipalLookupService().lookupPrincipalByGroupName(t);
        } catch (UserPrincipalNotFoundException e) {
            throw new IllegalArgumentException("socket group '" + group + "' does not exist (expected a group "
                    + "name from the group database or a numeric gid)", e);
        } catch (IOException | UnsupportedOperationException e) {
            throw new IllegalArgumentException("cannot look up socket group '" + group + "': " + e.getMessage(), e);
        }
    }

    public ServerConfig withTls(TlsSettings newTls) {
        return toBuilder().tls(newTls).build();
    }

    public ServerConfig withProxy(ProxySettings newProxy) {
        return toBuilder().proxy(newProxy).build();
    }

    /** With these {@code --identity} pairs, each {@code KEY=VALUE} (see {@link IdentityPairs#parse}). */
    public ServerConfig withIdentity(String... pairs) {
        return toBuilder().identity(IdentityPairs.parse(List.of(pairs))).build();
    }

    /** With {@code --fault-seed} set to {@code seed}: every random fault choice derives from it. */
    public ServerConfig withFaultSeed(long seed) {
        return toBuilder().faultSeed(OptionalLong.of(seed)).build();
    }

    /** With {@code --connection-log} set to {@code newConnectionLog}. */
    public ServerConfig withConnectionLog(ConnectionLogFormat newConnectionLog) {
        return toBuilder().connectionLog(newConnectionLog).build();
    }

    /**
     * Reads a Unix permission mode in octal, as chmod takes it ({@code 0660}, {@code 660}, {@code 0600}).
     * Only the read and write bits matter for a socket (connecting needs write); others are refused.
     *
     * @throws IllegalArgumentException naming the input
     */
    public static Set<PosixFilePermission> parseSocketMode(String octal) {
        String t = octal.trim();
        if (!t.matches("0?[0-7]{3}")) {
            throw new IllegalArgumentException("socket mode '" + octal + "' is not an octal mode like 0660");
        }
        int mode = Integer.parseInt(t, 8);
        if ((mode & 0111) != 0) {
            throw new IllegalArgumentException("socket mode '" + octal + "' has execute bits; sockets need only "
                    + "read and write (e.g. 0660)");
        }
        Set<PosixFilePermission> perms = java.util.EnumSet.noneOf(PosixFilePermission.class);
        PosixFilePermission[] bits = {PosixFilePermission.OTHERS_WRITE, PosixFilePermission.OTHERS_READ,
            PosixFilePermission.GROUP_WRITE, PosixFilePermission.GROUP_READ, PosixFilePermission.OWNER_WRITE,
            PosixFilePermission.OWNER_READ};
        int[] masks = {02, 04, 020, 040, 0200, 0400};
        for (int i = 0; i < bits.length; i++) {
            if ((mode & masks[i]) != 0) {
                perms.add(bits[i]);
            }
        }
        return perms;
    }

    /** Resolves the settings of {@code endpoint} under this config: its own overrides over these defaults. */
    public ListenerSpec listenerSpec(Endpoint endpoint) {
        ReplyMode effectiveMode = endpoint.modeOr(mode);
        boolean stream = endpoint.kind().isStream();
        Framing effectiveFraming = stream ? endpoint.framingOr(framing, effectiveMode) : Framing.RAW;
        String ack = stream ? ackText : datagramAckText;
        InfoFormat format = endpoint.formatOr(stream ? effectiveFraming : null);
        return new ListenerSpec(endpoint, effectiveMode, effectiveFraming, ack.getBytes(StandardCharsets.UTF_8),
                maxFrameLength, printMessages, endpoint.proxy(), format);
    }

    /** The event-loop thread count to use: {@link #threads} or the number of available cores. */
    public int effectiveThreads() {
        return threads > 0 ? threads : Runtime.getRuntime().availableProcessors();
    }

    /** Collects values for a {@link ServerConfig}; {@link #build()} validates them. */
    public static final class Builder {
        private List<Endpoint> listen;
        private ReplyMode mode;
        private Optional<Framing> framing;
        private String ackText;
        private String datagramAckText;
        private int maxFrameLength;
        private Transport transport;
        private int threads;
        private boolean printMessages;
        private Optional<AdminEndpoint> admin;
        private Duration drainTimeout;
        private boolean reusePort;
        private ConnectionLimits limits;
        private Timeouts timeouts;
        private SourceFilter allow;
        private ReflectionGuardSettings udpGuard;
        private Set<PosixFilePermission> socketMode;
        private Optional<GroupPrincipal> socketGroup;
        private TlsSettings tls;
        private ProxySettings proxy;
        private IdentityPairs identity;
        private ConnectionLogFormat connectionLog;
        private RolloutDelays rollout;
        private OptionalLong faultSeed;
        private AdminControl adminControl;

        private Builder(ServerConfig c) {
            listen = c.listen;
            mode = c.mode;
            framing = c.framing;
            ackText = c.ackText;
            datagramAckText = c.datagramAckText;
            maxFrameLength = c.maxFrameLength;
            transport = c.transport;
            threads = c.threads;
            printMessages = c.printMessages;
            admin = c.admin;
            drainTimeout = c.drainTimeout;
            reusePort = c.reusePort;
            limits = c.limits;
            timeouts = c.timeouts;
            allow = c.allow;
            udpGuard = c.udpGuard;
            socketMode = c.socketMode;
            socketGroup = c.socketGroup;
            tls = c.tls;
            proxy = c.proxy;
            identity = c.identity;
            connectionLog = c.connectionLog;
            rollout = c.rollout;
            faultSeed = c.faultSeed;
            adminControl = c.adminControl;
        }

        public Builder listen(List<Endpoint> v) {
            listen = v;
            return this;
        }

        public Builder mode(ReplyMode v) {
            mode = v;
            return this;
        }

        public Builder framing(Optional<Framing> v) {
            framing = v;
            return this;
        }

        public Builder ackText(String v) {
            ackText = v;
            return this;
        }

        public Builder datagramAckText(String v) {
            datagramAckText = v;
            return this;
        }

        public Builder maxFrameLength(int v) {
            maxFrameLength = v;
            return this;
        }

        public Builder transport(Transport v) {
            transport = v;
            return this;
        }

        public Builder threads(int v) {
            threads = v;
            return this;
        }

        public Builder printMessages(boolean v) {
            printMessages = v;
            return this;
        }

        public Builder admin(Optional<AdminEndpoint> v) {
            admin = v;
            return this;
        }

        public Builder drainTimeout(Duration v) {
            drainTimeout = v;
            return this;
        }

        public Builder reusePort(boolean v) {
            reusePort = v;
            return this;
        }

        public Builder limits(ConnectionLimits v) {
            limits = v;
            return this;
        }

        public Builder timeouts(Timeouts v) {
            timeouts = v;
            return this;
        }

        public Builder allow(SourceFilter v) {
            allow = v;
            return this;
        }

        public Builder udpGuard(ReflectionGuardSettings v) {
            udpGuard = v;
            return this;
        }

        public Builder socketMode(Set<PosixFilePermission> v) {
            socketMode = v;
            return this;
        }

        public Builder socketGroup(Optional<GroupPrincipal> v) {
            socketGroup = v;
            return this;
        }

        public Builder tls(TlsSettings v) {
            tls = v;
            return this;
        }

        public Builder proxy(ProxySettings v) {
            proxy = v;
            return this;
        }

        public Builder identity(IdentityPairs v) {
            identity = v;
            return this;
        }

        public Builder connectionLog(ConnectionLogFormat v) {
            connectionLog = v;
            return this;
        }

        public Builder rollout(RolloutDelays v) {
            rollout = v;
            return this;
        }

        public Builder faultSeed(OptionalLong v) {
            faultSeed = v;
            return this;
        }

        public Builder adminControl(AdminControl v) {
            adminControl = v;
            return this;
        }

        /** The validated configuration. @throws IllegalArgumentException naming the offending field */
        public ServerConfig build() {
            return new ServerConfig(listen, mode, framing, ackText, datagramAckText, maxFrameLength, transport,
                    threads, printMessages, admin, drainTimeout, reusePort, limits, timeouts, allow, udpGuard,
                    socketMode, socketGroup, tls, proxy, identity,
                    connectionLog, rollout, faultSeed,
                    adminControl);
        }
    }
}
