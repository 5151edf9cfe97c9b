package io.echoack.common.endpoint;

import io.echoack.common.codec.Framing;
import io.echoack.common.codec.InfoFormat;
import io.echoack.common.codec.ReplyMode;
import io.echoack.common.fault.FaultKey;
import io.echoack.common.fault.Faults;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * One place to listen on or connect to, written as a URI: {@code tcp://HOST:PORT}, {@code udp://HOST:PORT},
 * {@code tls://HOST:PORT} (TLS over TCP), {@code unix:///abs/path.sock} or {@code unixgram:///abs/path.sock},
 * with optional per-endpoint overrides
 * {@code ?mode=ack|echo|info&framing=line|raw|length&format=text|json}, and, for a server's stream listener,
 * whether its connections start with a PROXY protocol header ({@code ?proxy=v1|v2|any|optional}), and, for a
 * server's listener, the faults it injects ({@code ?delay=20ms&reset=1%}, every {@link FaultKey}). Server and
 * client parse endpoints with this class only, so both accept exactly the same spellings.
 *
 * <p>An IPv6 host is written in brackets ({@code tcp://[::1]:7}); an empty host ({@code tcp://:7}) means
 * every local address. Port 0 asks the OS for a free port (useful for servers in tests).
 *
 * @param kind    the socket family, from the scheme
 * @param host    host name or address literal without brackets, empty for all addresses; null for Unix
 * @param port    0..65535 for TCP/UDP/TLS; -1 for Unix
 * @param path    absolute socket file path for Unix kinds; null otherwise
 * @param mode    reply mode override, if the query gave one
 * @param framing framing override, if the query gave one (stream kinds only)
 * @param proxy   the PROXY protocol header the listener's connections start with, if the query gave one
 *                (stream kinds only); empty: none, the first bytes are data
 * @param format  how {@link ReplyMode#INFO} replies are written, if the query gave one (info mode only)
 * @param faults  the faults a server's listener injects ({@link Faults#NONE} when the query gave none); each
 *                applies to the endpoint's transport ({@code drop} on a stream is an error)
 */
public record Endpoint(EndpointKind kind, String host, int port, Path path, Optional<ReplyMode> mode,
                       Optional<Framing> framing, Optional<ProxyProtocol> proxy, Optional<InfoFormat> format,
                       Faults faults) {

    /**
     * The longest Unix socket path the kernel accepts: {@code sun_path} is 108 bytes on Linux, including
     * the terminating NUL (104 on macOS; the kernel reports that one itself).
     */
    public static final int MAX_UNIX_PATH_BYTES = 107;

    public Endpoint {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(mode, "mode");
        Objects.requireNonNull(framing, "framing");
        Objects.requireNonNull(proxy, "proxy");
        Objects.requireNonNull(format, "format");
        Objects.requireNonNull(faults, "faults");
        faults.requireApplicable(kind.isStream(), kind.scheme());
        if (kind.isUnixDomain()) {
            Objects.requireNonNull(path, "path");
            if (!path.isAbsolute()) {
                throw new IllegalArgumentException("unix socket path must be absolute: " + path);
            }
            if (host != null || port != -1) {
                throw new IllegalArgumentException("a unix endpoint has a path, not a host and port");
            }
        } else {
            Objects.requireNonNull(host, "host");
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException("port must be 0..65535, was " + port);
            }
            if (path != null) {
                throw new IllegalArgumentException("a " + kind.scheme() + " endpoint has a host and port, not a path");
            }
        }
        if (framing.isPresent() && kind.isDatagram()) {
            throw new IllegalArgumentException(
                    "framing applies to stream endpoints only; " + kind.scheme() + " sends one message per datagram");
        }
        if (proxy.isPresent() && kind.isDatagram()) {
            throw new IllegalArgumentException("proxy applies to stream endpoints only (tcp, tls, unix); "
                    + kind.scheme() + " has no connection for a PROXY header to begin");
        }
        if (format.isPresent() && mode.isPresent() && mode.get() != ReplyMode.INFO) {
            throw new IllegalArgumentException("format applies to mode=info only, not mode=" + mode.get().id());
        }
    }

    /** A TCP, UDP or TLS endpoint with no overrides. */
    public static Endpoint inet(EndpointKind kind, String host, int port) {
        return new Endpoint(kind, host, port, null, Optional.empty(), Optional.empty(), Optional.empty(),
                Optional.empty(), Faults.NONE);
    }

    /** A Unix stream or datagram endpoint with no overrides. */
    public static Endpoint unix(EndpointKind kind, Path path) {
        return new Endpoint(kind, null, -1, path, Optional.empty(), Optional.empty(), Optional.empty(),
                Optional.empty(), Faults.NONE);
    }

    /**
     * Parses an endpoint URI.
     *
     * @throws IllegalArgumentException with a message that quotes {@code text} and says what is wrong
     */
    public static Endpoint parse(String text) {
        try {
            return doParse(text);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("invalid endpoint '" + text + "': " + e.getMessage(), e);
        }
    }

    private static Endpoint doParse(String text) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("empty (expected e.g. tcp://127.0.0.1:51717 or unix:///tmp/echoack.sock)");
        }
        int schemeEnd = text.indexOf("://");
        if (schemeEnd <= 0) {
            throw new IllegalArgumentException(
                    "missing scheme (expected tcp://, udp://, tls://, unix:// or unixgram://)");
        }
        String scheme = text.substring(0, schemeEnd).toLowerCase(Locale.ROOT);
        EndpointKind kind = EndpointKind.forScheme(scheme);
        if (kind == null) {
            throw new IllegalArgumentException(
                    "unknown scheme '" + scheme + "' (expected tcp, udp, tls, unix or unixgram)");
        }
        String rest = text.substring(schemeEnd + 3);
        String query = null;
        int q = rest.indexOf('?');
        if (q >= 0) {
            query = rest.substring(q + 1);
            rest = rest.substring(0, q);
        }
        if (rest.indexOf('#') >= 0) {
            throw new IllegalArgumentException("fragments ('#') are not allowed");
        }
        Optional<ReplyMode> mode = Optional.empty();
        Optional<Framing> framing = Optional.empty();
        Optional<ProxyProtocol> proxy = Optional.empty();
        Optional<InfoFormat> format = Optional.empty();
        Faults.Builder faults = Faults.builder();
        if (query != null) {
            for (String pair : query.split("&", -1)) {
                if (pair.isEmpty()) {
                    continue;
                }
                int eq = pair.indexOf('=');
                String key = eq < 0 ? pair : pair.substring(0, eq);
                String value = eq < 0 || FaultKey.forId(key) != null ? "" : decode(pair.substring(eq + 1));
                switch (key) {
                    case "mode" -> mode = Optional.of(ReplyMode.parse(value));
                    case "framing" -> framing = Optional.of(Framing.parse(value));
                    case "proxy" -> proxy = Optional.of(ProxyProtocol.parse(value));
                    case "format" -> format = Optional.of(InfoFormat.parse(value));
                    default -> {
                        if (FaultKey.forId(key) == null) {
                            throw new IllegalArgumentException("unknown query parameter '" + key
                                    + "' (expected mode, framing, proxy, format or a fault: " + FaultKey.allIds()
                                    + ")");
                        }
                        // not URL-decoded: a percentage is written 1%, which is no escape
                        faults.set(key, eq < 0 ? "" : pair.substring(eq + 1).replace("%25", "%"));
                    }
                }
            }
        }
        if (kind.isUnixDomain()) {
            return new Endpoint(kind, null, -1, unixPath(rest), mode, framing, proxy, format, faults.build());
        }
        return hostPort(kind, rest, mode, framing, proxy, format, faults.build());
    }

    private static Path unixPath(String rest) {
        if (rest.isEmpty()) {
            throw new IllegalArgumentException("missing socket path (expected e.g. unix:///tmp/echoack.sock)");
        }
        if (!rest.startsWith("/")) {
            throw new IllegalArgumentException("socket path must be absolute, with three slashes after the "
                    + "scheme (e.g. unix:///tmp/echoack.sock); got relative path '" + rest + "'");
        }
        String decoded = decode(rest);
        if (decoded.indexOf('\0') >= 0) {
            throw new IllegalArgumentException("socket path must not contain NUL");
        }
        int bytes = decoded.getBytes(StandardCharsets.UTF_8).length;
        if (bytes > MAX_UNIX_PATH_BYTES) {
            throw new IllegalArgumentException("socket path is " + bytes + " bytes long; Unix socket paths are "
                    + "limited to " + MAX_UNIX_PATH_BYTES + " bytes");
        }
        return Path.of(decoded);
    }

    private static Endpoint hostPort(EndpointKind kind, String rest, Optional<ReplyMode> mode,
                                     Optional<Framing> framing, Optional<ProxyProtocol> proxy,
                                     Optional<InfoFormat> format, Faults faults) {
        if (rest.contains("/") && !rest.endsWith("/")) {
            throw new IllegalArgumentException("a " + kind.scheme() + " endpoint takes no path");
        }
        if (rest.endsWith("/")) {
            rest = rest.substring(0, rest.length() - 1);
        }
        if (rest.contains("@")) {
            throw new IllegalArgumentException("user info ('@') is not allowed");
        }
        String host;
        String portText;
        if (rest.startsWith("[")) {
            int close = rest.indexOf(']');
            if (close < 0) {
                throw new IllegalArgumentException("unclosed '[' in IPv6 address");
            }
            host = rest.substring(1, close);
            if (host.isEmpty() || !host.contains(":")) {
                throw new IllegalArgumentException("'[" + host + "]' is not an IPv6 address");
            }
            String after = rest.substring(close + 1);
            if (!after.startsWith(":")) {
                throw new IllegalArgumentException("missing port after ']' (expected e.g. "
                        + kind.scheme() + "://[::1]:51717)");
            }
            portText = after.substring(1);
        } else {
            int colon = rest.lastIndexOf(':');
            if (colon < 0) {
                throw new IllegalArgumentException("missing port (expected " + kind.scheme() + "://HOST:PORT)");
            }
            host = rest.substring(0, colon);
            if (host.contains(":")) {
                throw new IllegalArgumentException("an IPv6 address must be in brackets, e.g. "
                        + kind.scheme() + "://[::1]:51717");
            }
            portText = rest.substring(colon + 1);
        }
        return new Endpoint(kind, host, parsePort(portText), null, mode, framing, proxy, format, faults);
    }

    private static int parsePort(String text) {
        if (text.isEmpty()) {
            throw new IllegalArgumentException("missing port number");
        }
        for (int i = 0; i < text.length(); i++) {
            if (text.charAt(i) < '0' || text.charAt(i) > '9') {
                throw new IllegalArgumentException("port '" + text + "' is not a number");
            }
        }
        if (text.length() > 5 || Integer.parseInt(text) > 65535) {
            throw new IllegalArgumentException("port " + text + " is out of range 0..65535");
        }
        return Integer.parseInt(text);
    }

    private static String decode(String s) {
        return URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8);
    }

    /** True when the host is empty or a wildcard address: the endpoint means every local address. */
    public boolean isWildcardHost() {
        return host != null && (host.isEmpty() || host.equals("0.0.0.0") || host.equals("::"));
    }

    /** The reply mode: the endpoint's own override, else {@code fallback}. */
    public ReplyMode modeOr(ReplyMode fallback) {
        return mode.orElse(fallback);
    }

    /**
     * The stream framing: the endpoint's override, else {@code fallback}, else the mode's default
     * (line for ack, raw for echo).
     */
    public Framing framingOr(Optional<Framing> fallback, ReplyMode effectiveMode) {
        return framing.or(() -> fallback).orElse(effectiveMode.defaultFraming());
    }

    /**
     * How this endpoint's {@link ReplyMode#INFO} replies are written: its {@code ?format=}, else the default for
     * its framing ({@link InfoFormat#defaultFor}).
     *
     * @param effectiveFraming the endpoint's framing, or null for a datagram endpoint
     */
    public InfoFormat formatOr(Framing effectiveFraming) {
        return format.orElseGet(() -> InfoFormat.defaultFor(effectiveFraming));
    }

    /** This endpoint with its port replaced (e.g. by the port the OS picked for port 0). */
    public Endpoint withPort(int newPort) {
        return new Endpoint(kind, host, newPort, path, mode, framing, proxy, format, faults);
    }

    /** This endpoint with its faults replaced (checked against its transport). */
    public Endpoint withFaults(Faults newFaults) {
        return new Endpoint(kind, host, port, path, mode, framing, proxy, format, newFaults);
    }

    /** This endpoint without query overrides: the address only. */
    public String address() {
        if (kind.isUnixDomain()) {
            return kind.scheme() + "://" + path;
        }
        String h = host.contains(":") ? "[" + host + "]" : host;
        return kind.scheme() + "://" + h + ":" + port;
    }

    /** The URI form, which {@link #parse} reads back to an equal endpoint. */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder(address());
        char sep = '?';
        if (mode.isPresent()) {
            sb.append(sep).append("mode=").append(mode.get().id());
            sep = '&';
        }
        if (framing.isPresent()) {
            sb.append(sep).append("framing=").append(framing.get().id());
            sep = '&';
        }
        if (proxy.isPresent()) {
            sb.append(sep).append("proxy=").append(proxy.get().id());
            sep = '&';
        }
        if (format.isPresent()) {
            sb.append(sep).append("format=").append(format.get().id());
            sep = '&';
        }
        if (!faults.isNone()) {
            sb.append(sep).append(faults.toQuery());
        }
        return sb.toString();
    }
}
