package io.echoack.server.connectionlog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.echoack.server.proxy.ProxiedConnection;
import io.netty.channel.unix.DomainSocketAddress;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.UnixDomainSocketAddress;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The two line formats: the keys (which the README documents and users parse), values and quoting. */
class ConnectionLineTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long OPENED = Instant.parse("2026-11-27T10:40:09.120Z").toEpochMilli();

    private static ConnectionRecord record(SocketAddress peer, SocketAddress client, ProxiedConnection proxied,
                                           String tlsVersion, String sni, String end) {
        return new ConnectionRecord("tcp://0.0.0.0:0", new InetSocketAddress("127.0.0.1", 51717), peer, client,
                proxied, tlsVersion, sni, OPENED, OPENED + 2_345, 2_345_678_901L, 3, 18, 3, 57, end);
    }

    private static ConnectionRecord plain() {
        InetSocketAddress peer = new InetSocketAddress("127.0.0.1", 40312);
        return record(peer, peer, null, null, null, "client_fin");
    }

    private static JsonNode json(ConnectionRecord r) throws Exception {
        String line = ConnectionLine.json(r, "tcp://0.0.0.0:51717");
        assertFalse(line.contains("\n"), line);
        return JSON.readTree(line);
    }

    @Test
    void theJsonKeysAreStableAndAlwaysAllThere() throws Exception {
        assertEquals(List.of("listener", "local", "peer", "client", "proxy", "tls_version", "sni", "opened", "closed",
                "duration_ms", "messages_received", "bytes_received", "messages_sent", "bytes_sent", "end"),
                ConnectionLine.KEYS, "the README documents these keys: change both, and say so in the changelog");
        JsonNode line = json(plain());
        List<String> keys = new ArrayList<>();
        line.fieldNames().forEachRemaining(keys::add);
        assertEquals(ConnectionLine.KEYS, keys);
    }

    @Test
    void aJsonLineHasTypedValuesAndNullWhereNothingApplies() throws Exception {
        JsonNode line = json(plain());
        assertEquals("tcp://0.0.0.0:51717", line.get("listener").asText());
        assertEquals("127.0.0.1:51717", line.get("local").asText());
        assertEquals("127.0.0.1:40312", line.get("peer").asText());
        assertEquals("127.0.0.1:40312", line.get("client").asText());
        assertTrue(line.get("proxy").isNull());
        assertTrue(line.get("tls_version").isNull());
        assertTrue(line.get("sni").isNull());
        assertEquals("2026-11-27T10:40:09.120Z", line.get("opened").asText());
        assertEquals("2026-11-27T10:40:11.465Z", line.get("closed").asText());
        assertTrue(line.get("duration_ms").isNumber());
        assertEquals(2345.678, line.get("duration_ms").asDouble(), 0.0);
        assertEquals(3, line.get("messages_received").asLong());
        assertTrue(line.get("messages_received").isIntegralNumber());
        assertEquals(18, line.get("bytes_received").asLong());
        assertEquals(3, line.get("messages_sent").asLong());
        assertEquals(57, line.get("bytes_sent").asLong());
        assertEquals("client_fin", line.get("end").asText());
    }

    @Test
    void aTextLineLeavesOutTheKeysWithoutAValue() {
        assertEquals("Connection closed: listener=tcp://0.0.0.0:51717 local=127.0.0.1:51717 peer=127.0.0.1:40312 "
                + "client=127.0.0.1:40312 opened=2026-11-27T10:40:09.120Z closed=2026-11-27T10:40:11.465Z "
                + "duration_ms=2345.678 messages_received=3 bytes_received=18 messages_sent=3 bytes_sent=57 "
                + "end=client_fin", ConnectionLine.text(plain(), "tcp://0.0.0.0:51717"));
    }

    @Test
    void tlsAndProxyShowWhenThereAreAny() throws Exception {
        ProxiedConnection proxied = new ProxiedConnection(1, false, new InetSocketAddress("203.0.113.7", 5000),
                new InetSocketAddress("198.51.100.1", 443), List.of());
        ConnectionRecord r = record(new InetSocketAddress("10.0.0.2", 333), proxied.source(), proxied, "TLSv1.3",
                "echo.example", "idle_timeout");
        String text = ConnectionLine.text(r, "tls://0.0.0.0:8443");
        assertTrue(text.contains(" peer=10.0.0.2:333 client=203.0.113.7:5000 proxy=v1 tls_version=TLSv1.3 "
                + "sni=echo.example opened="), text);
        JsonNode line = json(r);
        assertEquals("v1", line.get("proxy").asText());
        assertEquals("TLSv1.3", line.get("tls_version").asText());
        assertEquals("echo.example", line.get("sni").asText());
        assertEquals("203.0.113.7:5000", line.get("client").asText());
    }

    @Test
    void oddValuesAreQuotedAndEveryLineStaysOneLine() throws Exception {
        String sni = "a \"b\"=c\\d\ne\r\tf\u0001g\u007fh\u0085i\u2028j é";
        ConnectionRecord r = record(new InetSocketAddress("127.0.0.1", 1), new InetSocketAddress("127.0.0.1", 1), null,
                "TLSv1.2", sni, "client_fin");
        String text = ConnectionLine.text(r, "tls://0.0.0.0:1");
        assertTrue(text.contains(" sni=\"a \\\"b\\\"=c\\\\d\\ne\\r\\tf\\u0001g\\u007fh\\u0085i\\u2028j é\" opened="),
                text);
        assertEquals(1, text.lines().count());
        String json = ConnectionLine.json(r, "tls://0.0.0.0:1");
        assertEquals(1, json.lines().count());
        assertEquals(sni, JSON.readTree(json).get("sni").asText(), "JSON readers get the value back exactly");
        assertTrue(ConnectionLine.text(r, "tcp://x?a=b").contains("listener=\"tcp://x?a=b\""), "'=' is quoted");
    }

    @Test
    void addressesOfEveryKind() throws Exception {
        assertEquals("[2001:db8::1]:7", ConnectionLine.address(new InetSocketAddress("2001:db8::1", 7)));
        byte[] mapped = new byte[16];
        mapped[10] = (byte) 0xff;
        mapped[11] = (byte) 0xff;
        mapped[12] = 127;
        mapped[15] = 1;
        InetAddress v4mapped = java.net.Inet6Address.getByAddress(null, mapped, -1);
        assertEquals("127.0.0.1:9", ConnectionLine.address(new InetSocketAddress(v4mapped, 9)));
        assertEquals("/run/echo ack.sock", ConnectionLine.address(new DomainSocketAddress("/run/echo ack.sock")));
        assertEquals("/tmp/e.sock", ConnectionLine.address(UnixDomainSocketAddress.of("/tmp/e.sock")));
        assertEquals(null, ConnectionLine.address(UnixDomainSocketAddress.of("")), "an unnamed Unix client");
        assertEquals(null, ConnectionLine.address(null));
    }

    @Test
    void anUnnamedUnixClientHasNoPeerInTextAndNullInJson() throws Exception {
        SocketAddress unnamed = UnixDomainSocketAddress.of("");
        ConnectionRecord r = new ConnectionRecord("unix:///run/e.sock", new DomainSocketAddress("/run/e.sock"),
                unnamed, unnamed, null, null, null, OPENED, OPENED, 412_345, 0, 0, 0, 0, "client_fin");
        String text = ConnectionLine.text(r, "unix:///run/e.sock");
        assertTrue(text.startsWith("Connection closed: listener=unix:///run/e.sock local=/run/e.sock opened="), text);
        assertTrue(text.contains(" duration_ms=0.412 "), text);
        JsonNode line = JSON.readTree(ConnectionLine.json(r, "unix:///run/e.sock"));
        assertTrue(line.get("peer").isNull());
        assertTrue(line.get("client").isNull());
    }

    @Test
    void durationsKeepMicroseconds() {
        assertEquals("0.000", ConnectionLine.millis(999).toPlainString());
        assertEquals("0.001", ConnectionLine.millis(1_000).toPlainString());
        assertEquals("0.010", ConnectionLine.millis(10_500).toPlainString());
        assertEquals("1.200", ConnectionLine.millis(1_200_000).toPlainString());
        assertEquals("86400000.000", ConnectionLine.millis(86_400_000_000_000L).toPlainString());
    }
}
