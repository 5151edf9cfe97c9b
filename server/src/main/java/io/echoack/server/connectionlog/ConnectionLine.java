package io.echoack.server.connectionlog;

import io.echoack.common.codec.InfoFormat;
import io.echoack.common.info.InfoLine;
import io.echoack.server.address.AddressText;
import io.echoack.server.proxy.ProxiedConnection;
import java.math.BigDecimal;
import java.net.SocketAddress;
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
 *       {@code \t} and {@code \}{@code uXXXX} for other control characters ({@link InfoLine}'s rules).</li>
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
        w.decimal("duration_ms", millis(r.durationNanos()));
        w.number("messages_received", r.messagesReceived());
        w.number("bytes_received", r.bytesReceived());
        w.number("messages_sent", r.messagesSent());
        w.number("bytes_sent", r.bytesSent());
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
    static BigDecimal millis(long nanos) {
        return BigDecimal.valueOf(Math.max(nanos, 0) / 1_000, 3);
    }

    /** An address as the log shows it ({@link AddressText}); null for none (or an unnamed Unix socket). */
    static String address(SocketAddress address) {
        String text = AddressText.of(address);
        return text.isEmpty() ? null : text;
    }

    /** Writes the fields through {@link InfoLine}, the one writer of echoack's key=value and JSON lines. */
    private static final class Writer {
        private final boolean json;
        private final InfoLine line;

        Writer(boolean json) {
            this.json = json;
            this.line = InfoLine.start(json ? InfoFormat.JSON : InfoFormat.TEXT);
        }

        void string(String key, String value) {
            if (value == null) {
                line.addNull(key);
            } else {
                line.add(key, value);
            }
        }

        void number(String key, long value) {
            line.add(key, value);
        }

        void decimal(String key, BigDecimal value) {
            line.add(key, value);
        }

        String finish() {
            return json ? line.finish() : TEXT_PREFIX + line.finish();
        }
    }
}
