package io.echoack.server.connectionlog;

import io.echoack.server.address.IpAddresses;
import io.echoack.server.proxy.ProxiedConnection;
import io.netty.channel.unix.DomainSocketAddress;
import io.netty.util.NetUtil;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.UnixDomainSocketAddress;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;

/**
 * One connection log line, as text or JSON, with the same keys in the same order ({@link #KEYS}):
 * <ul>
 *   <li><b>text</b>: {@value #TEXT_PREFIX} then {@code key=value} pairs separated by one space; keys without a
 *       value on this connection (no PROXY header, no TLS, no SNI) are left out. A value is bare when it is
 *       not empty and every character is printable ASCII other than space, {@code "}, {@code \} and
 *       {@code =}; otherwise it is quoted: {@code "..."} with {@code \"}, {@code \\}, {@code \n}, {@code \r},
 *       {@code \t} and {@code \}{@code u00XX} for other control characters.</li>
 *   <li><b>JSON</b>: one flat object, every key always present, {@code null} where there is no value;
 *       {@code duration_ms} and the counts are numbers, everything else strings.</li>
 * </ul>
 * Addresses are {@code 192.0.2.1:4000}, {@code [2001:db8::1]:4000} (IPv4-mapped IPv6 shown as the IPv4
 * address) or a Unix socket path; times are UTC with milliseconds ({@code 2026-11-27T10:40:09.120Z}).
 */
final class ConnectionLine {

    /** Every key, in the order the lines give them. */
    static final List<String> KEYS = List.of("listener", "local", "peer", "client", "proxy", "tls_version", "sni",
            "opened", "closed", "duration_ms", "messages_received", "bytes_received", "messages_sent", "bytes_sent",
            "end");

    /** What a text line starts with. */
    static final String TEXT_PREFIX = "Connection closed: ";

    private static final DateTimeFormatter TIME =
            DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

    private ConnectionLine() {
    }

    /** The text line of {@code r}, naming its listener {@code listener}. */
    static String text(ConnectionRecord r, String listener) {
        return write(new Writer(false), r, listener);
    }

    /** The JSON line of {@code r}, naming its listener {@code listener}. */
    static String json(ConnectionRecord r, String listener) {
        return write(new Writer(true), r, listener);
    }

    private static String write(Writer w, ConnectionRecord r, String listener) {
        w.string("listener", listener);
        w.string("local", address(r.local()));
        w.string("peer", address(r.peer()));
        w.string("client", address(r.client()));
        w.string("proxy", proxy(r.proxied()));
        w.string("tls_version", r.tlsVersion());
        w.string("sni", r.sni());
        w.string("opened", TIME.format(Instant.ofEpochMilli(r.openedMillis())));
        w.string("closed", TIME.format(Instant.ofEpochMilli(r.closedMillis())));
        w.number("duration_ms", millis(r.durationNanos()));
        w.number("messages_received", Long.toString(r.messagesReceived()));
        w.number("bytes_received", Long.toString(r.bytesReceived()));
        w.number("messages_sent", Long.toString(r.messagesSent()));
        w.number("bytes_sent", Long.toString(r.bytesSent()));
        w.string("end", r.end());
        return w.finish();
    }

    /** {@code v1}, {@code v2}, or {@code local} for a v2 LOCAL header; null without a header. */
    static String proxy(ProxiedConnection proxied) {
        if (proxied == null) {
            return null;
        }
        return proxied.local() ? "local" : "v" + proxied.version();
    }

    /** Milliseconds with three decimals (microseconds), e.g. {@code 12.034}. */
    static String millis(long nanos) {
        long micros = Math.max(nanos, 0) / 1_000;
        long fraction = micros % 1_000;
        return micros / 1_000 + "." + (fraction < 10 ? "00" : fraction < 100 ? "0" : "") + fraction;
    }

    /** An address as the log shows it; null for none (or an unnamed Unix socket). */
    static String address(SocketAddress address) {
        if (address == null) {
            return null;
        }
        if (address instanceof InetSocketAddress inet) {
            InetAddress ip = inet.getAddress();
            if (ip == null) {
                return inet.getHostString() + ":" + inet.getPort();
            }
            String host = NetUtil.toAddressString(IpAddresses.unmap(ip)); // RFC 5952: 2001:db8::1
            return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + inet.getPort();
        }
        String path;
        if (address instanceof DomainSocketAddress unix) {
            path = unix.path();
        } else if (address instanceof UnixDomainSocketAddress unix) {
            path = unix.getPath().toString();
        } else {
            path = address.toString();
        }
        return path == null || path.isEmpty() ? null : path;
    }

    /** Appends fields in one of the two formats. */
    private static final class Writer {
        private final boolean json;
        private final StringBuilder out = new StringBuilder(384);
        private boolean first = true;

        Writer(boolean json) {
            this.json = json;
            out.append(json ? "{" : TEXT_PREFIX);
        }

        void string(String key, String value) {
            if (value == null) {
                if (json) {
                    key(key).append("null");
                }
                return;
            }
            key(key);
            if (json || !isBare(value)) {
                quoted(value);
            } else {
                out.append(value);
            }
        }

        void number(String key, String value) {
            key(key).append(value);
        }

        String finish() {
            return json ? out.append('}').toString() : out.toString();
        }

        private StringBuilder key(String key) {
            if (!first) {
                out.append(json ? "," : " ");
            }
            first = false;
            return json ? out.append('"').append(key).append("\":") : out.append(key).append('=');
        }

        private static boolean isBare(String value) {
            if (value.isEmpty()) {
                return false;
            }
            for (int i = 0; i < value.length(); i++) {
                char c = value.charAt(i);
                if (c <= ' ' || c >= 0x7f || c == '"' || c == '\\' || c == '=') {
                    return false;
                }
            }
            return true;
        }

        /** A quoted string: the same escapes in text and JSON, so that a line is always one line. */
        private void quoted(String value) {
            out.append('"');
            for (int i = 0; i < value.length(); i++) {
                char c = value.charAt(i);
                switch (c) {
                    case '"' -> out.append("\\\"");
                    case '\\' -> out.append("\\\\");
                    case '\n' -> out.append("\\n");
                    case '\r' -> out.append("\\r");
                    case '\t' -> out.append("\\t");
                    default -> {
                        if (c < ' ' || c >= 0x7f && c <= 0x9f || c == '\u2028' || c == '\u2029') {
                            out.append(String.format("\\u%04x", (int) c));
                        } else {
                            out.append(c);
                        }
                    }
                }
            }
            out.append('"');
        }
    }
}
