package io.echoack.server.stream;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.echoack.common.codec.Framing;
import io.echoack.common.codec.InfoFormat;
import io.echoack.common.info.InfoLine;
import io.echoack.common.testing.TestPki;
import io.echoack.common.tls.PemFiles;
import io.echoack.server.identity.Identity;
import io.echoack.server.identity.IdentityPairs;
import io.echoack.server.identity.InfoKeys;
import io.echoack.server.identity.InfoReplies;
import io.echoack.server.proxy.ConnectionAddresses;
import io.echoack.server.proxy.ProxiedConnection;
import io.echoack.server.proxy.ProxyTlv;
import io.echoack.server.testing.PeerChannel;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.ssl.ApplicationProtocolConfig;
import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslProvider;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Info mode on one stream connection: what each reply says, in both formats and every framing. */
class InfoResponderTest {

    private static final InetSocketAddress LOCAL = new InetSocketAddress("10.0.0.2", 51717);
    private static final InetSocketAddress PEER = new InetSocketAddress("10.0.0.9", 40000);
    private static final Identity IDENTITY = new Identity("backend-a",
            IdentityPairs.parse(List.of("pod=web-1", "zone=eu west", "labels=a=b,c")), "epoll", "1.2.3");
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path dir;

    private static PeerChannel channel(InfoFormat format, Framing framing) {
        return new PeerChannel(LOCAL, PEER,
                new InfoResponder(new InfoReplies(IDENTITY, "tcp://0.0.0.0:51717", format), framing));
    }

    private static List<String> replies(EmbeddedChannel ch) {
        List<String> out = new ArrayList<>();
        ByteBuf buf;
        while ((buf = ch.readOutbound()) != null) {
            out.add(buf.toString(UTF_8));
            buf.release();
        }
        return out;
    }

    private static ByteBuf frame(String s) {
        return Unpooled.copiedBuffer(s, UTF_8);
    }

    @Test
    void eachLineGetsOneTextLineSayingWhoAnsweredAndWhatItSaw() {
        EmbeddedChannel ch = channel(InfoFormat.TEXT, Framing.LINE);
        ch.writeInbound(frame("hello\n"), frame("again\n"));
        List<String> replies = replies(ch);
        assertEquals(List.of(
                "host=backend-a pod=web-1 zone=\"eu west\" labels=\"a=b,c\" listener=tcp://0.0.0.0:51717 "
                        + "transport=epoll local=10.0.0.2:51717 peer=10.0.0.9:40000 client=10.0.0.9:40000 seq=1 "
                        + "version=1.2.3\n",
                "host=backend-a pod=web-1 zone=\"eu west\" labels=\"a=b,c\" listener=tcp://0.0.0.0:51717 "
                        + "transport=epoll local=10.0.0.2:51717 peer=10.0.0.9:40000 client=10.0.0.9:40000 seq=2 "
                        + "version=1.2.3\n"), replies);
        assertEquals("eu west", InfoLine.parseText(replies.get(0).strip()).get("zone"));
        assertFalse(ch.finish());
    }

    @Test
    void lengthFramingGetsLengthPrefixedJson() throws Exception {
        EmbeddedChannel ch = channel(InfoFormat.JSON, Framing.LENGTH);
        ch.writeInbound(frame("\0\0\0\1x"));
        ByteBuf out = ch.readOutbound();
        int length = out.readInt();
        assertEquals(length, out.readableBytes());
        JsonNode reply = JSON.readTree(out.toString(UTF_8));
        out.release();
        List<String> keys = new ArrayList<>();
        reply.fieldNames().forEachRemaining(keys::add);
        assertEquals(List.of("host", "pod", "zone", "labels", "listener", "transport", "local", "peer", "client",
                "seq", "version"), keys);
        assertEquals("eu west", reply.get("zone").asText());
        assertTrue(reply.get("seq").isNumber());
        assertEquals(1, reply.get("seq").asInt());
        assertEquals("10.0.0.9:40000", reply.get("client").asText());
        assertFalse(ch.finish());
    }

    @Test
    void rawFramingAnswersEachReadWithOneLineSoThatRepliesCanBeToldApart() {
        EmbeddedChannel ch = channel(InfoFormat.JSON, Framing.RAW);
        ch.writeInbound(frame("no newline"), frame("more"));
        List<String> replies = replies(ch);
        assertEquals(2, replies.size());
        for (String reply : replies) {
            assertTrue(reply.startsWith("{\"host\":\"backend-a\"") && reply.endsWith("}\n"), reply);
            assertEquals(1, reply.chars().filter(c -> c == '\n').count(), reply);
        }
        assertTrue(replies.get(1).contains("\"seq\":2"), replies.get(1));
        assertFalse(ch.finish());
    }

    @Test
    void eachConnectionCountsItsOwnMessages() {
        InfoReplies replies = new InfoReplies(IDENTITY, "tcp://0.0.0.0:51717", InfoFormat.TEXT);
        EmbeddedChannel first = new PeerChannel(LOCAL, PEER, new InfoResponder(replies, Framing.LINE));
        EmbeddedChannel second = new PeerChannel(LOCAL, PEER, new InfoResponder(replies, Framing.LINE));
        first.writeInbound(frame("a\n"), frame("b\n"), frame("c\n"));
        second.writeInbound(frame("a\n"));
        assertEquals(List.of("1", "2", "3"), replies(first).stream().map(r -> fields(r).get("seq")).toList());
        assertEquals(List.of("1"), replies(second).stream().map(r -> fields(r).get("seq")).toList());
        assertFalse(first.finish());
        assertFalse(second.finish());
    }

    @Test
    void anAcceptedProxyHeaderGivesTheClientItsVersionDestinationAndTlvs() {
        EmbeddedChannel ch = channel(InfoFormat.TEXT, Framing.LINE);
        ch.attr(ConnectionAddresses.PROXIED).set(new ProxiedConnection(2, false,
                new InetSocketAddress("198.18.0.10", 55555), new InetSocketAddress("198.18.1.1", 443),
                List.of(new ProxyTlv(0x01, "alpn", "h2"), new ProxyTlv(0x05, "unique_id", "abc 123"),
                        new ProxyTlv(0xe0, "tlv_0xe0", "00ff"), new ProxyTlv(0xe0, "tlv_0xe0", "0102"),
                        new ProxyTlv(0x21, "not a key!", "x"))));
        ch.writeInbound(frame("hello\n"));
        Map<String, String> reply = fields(replies(ch).get(0));
        assertEquals("10.0.0.9:40000", reply.get("peer"), "the balancer, on the socket");
        assertEquals("198.18.0.10:55555", reply.get("client"), "the client, from the header");
        assertEquals("2", reply.get("proxy"));
        assertEquals("proxy", reply.get("proxy_command"));
        assertEquals("198.18.1.1:443", reply.get("proxy_destination"));
        assertEquals("h2", reply.get("proxy_tlv.alpn"));
        assertEquals("abc 123", reply.get("proxy_tlv.unique_id"));
        assertEquals("00ff", reply.get("proxy_tlv.tlv_0xe0"));
        assertEquals("0102", reply.get("proxy_tlv.tlv_0xe0.2"), "a repeated TLV gets a key of its own");
        assertEquals("x", reply.get("proxy_tlv.tlv_0x21"), "a name that is no key falls back to the type");
        assertEquals(List.of("host", "pod", "zone", "labels", "listener", "transport", "local", "peer", "client",
                "proxy", "proxy_command", "proxy_destination", "proxy_tlv.alpn", "proxy_tlv.unique_id",
                "proxy_tlv.tlv_0xe0", "proxy_tlv.tlv_0xe0.2", "proxy_tlv.tlv_0x21", "seq", "version"),
                List.copyOf(reply.keySet()));
        assertFalse(ch.finish());
    }

    @Test
    void aLocalProxyHeaderIsServedWithTheSocketsAddresses() throws Exception {
        EmbeddedChannel ch = channel(InfoFormat.JSON, Framing.LINE);
        ch.attr(ConnectionAddresses.PROXIED).set(new ProxiedConnection(2, true, null, null, List.of()));
        ch.writeInbound(frame("hello\n"));
        JsonNode reply = JSON.readTree(replies(ch).get(0));
        assertEquals("10.0.0.9:40000", reply.get("client").asText());
        assertEquals(2, reply.get("proxy").asInt());
        assertTrue(reply.get("proxy").isNumber());
        assertEquals("local", reply.get("proxy_command").asText());
        assertNull(reply.get("proxy_destination"));
        assertFalse(ch.finish());
    }

    @Test
    void ipv4MappedAndIpv6AddressesAreWrittenAsPeopleWriteThem() {
        InfoReplies replies = new InfoReplies(IDENTITY, "tcp://[::]:51717", InfoFormat.TEXT);
        EmbeddedChannel ch = new PeerChannel(new InetSocketAddress("::ffff:10.0.0.2", 51717),
                new InetSocketAddress("2001:db8::7", 40000), new InfoResponder(replies, Framing.LINE));
        ch.writeInbound(frame("x\n"));
        Map<String, String> reply = fields(replies(ch).get(0));
        assertEquals("10.0.0.2:51717", reply.get("local"));
        assertEquals("[2001:db8::7]:40000", reply.get("peer"));
        assertFalse(ch.finish());
    }

    @Test
    void onTlsTheReplyNamesTheVersionCipherServerNameAlpnAndClientCertificateAfterThePeersAndProxysFields() throws Exception {
        TestPki pki = TestPki.create(dir.resolve("pki"));
        ApplicationProtocolConfig alpn = new ApplicationProtocolConfig(ApplicationProtocolConfig.Protocol.ALPN,
                ApplicationProtocolConfig.SelectorFailureBehavior.NO_ADVERTISE,
                ApplicationProtocolConfig.SelectedListenerFailureBehavior.ACCEPT, "echoack/1");
        PrivateKey serverKey = PemFiles.readPrivateKey(pki.serverKey(), null);
        SslContext server = SslContextBuilder.forServer(serverKey,
                        PemFiles.readCertificates(pki.serverCert()).toArray(X509Certificate[]::new))
                .sslProvider(SslProvider.JDK).trustManager(pki.caCert().toFile()).clientAuth(ClientAuth.REQUIRE)
                .applicationProtocolConfig(alpn).build();
        SslContext client = SslContextBuilder.forClient().sslProvider(SslProvider.JDK)
                .trustManager(pki.caCert().toFile())
                .keyManager(PemFiles.readPrivateKey(pki.clientKey(), null),
                        PemFiles.readCertificates(pki.clientCert()).toArray(X509Certificate[]::new))
                .applicationProtocolConfig(alpn).build();

        EmbeddedChannel serverChannel = new PeerChannel(LOCAL, PEER);
        serverChannel.attr(ConnectionAddresses.PROXIED).set(new ProxiedConnection(2, false,
                new InetSocketAddress("198.18.0.10", 55555), new InetSocketAddress("198.18.1.1", 443),
                List.of(new ProxyTlv(0x01, "alpn", "h2"))));
        serverChannel.pipeline().addLast(server.newHandler(serverChannel.alloc()), new InfoResponder(
                new InfoReplies(IDENTITY, "tls://0.0.0.0:8443", InfoFormat.TEXT), Framing.LINE));
        EmbeddedChannel clientChannel = new EmbeddedChannel();
        SslHandler clientTls = client.newHandler(clientChannel.alloc(), "localhost", 8443);
        SSLEngine engine = clientTls.engine();
        SSLParameters parameters = engine.getSSLParameters();
        parameters.setServerNames(List.of(new SNIHostName("echo.example")));
        engine.setSSLParameters(parameters);
        clientChannel.pipeline().addLast(clientTls);

        shuttle(clientChannel, serverChannel);
        assertTrue(clientTls.handshakeFuture().isSuccess(), String.valueOf(clientTls.handshakeFuture().cause()));
        clientChannel.writeOutbound(frame("hello\n"));
        shuttle(clientChannel, serverChannel);
        StringBuilder reply = new StringBuilder();
        ByteBuf in;
        while ((in = clientChannel.readInbound()) != null) {
            reply.append(in.toString(UTF_8));
            in.release();
        }
        Map<String, String> fields = fields(reply.toString());
        assertTrue(fields.get("tls_version").startsWith("TLSv1."), fields.toString());
        assertEquals(engine.getSession().getCipherSuite(), fields.get("tls_cipher"));
        assertEquals("echo.example", fields.get("tls_sni"));
        assertEquals("echoack/1", fields.get("tls_alpn"));
        assertEquals("CN=echoack test client", fields.get("tls_client_subject"));
        List<String> builtIn = fields.keySet().stream().filter(k -> !IDENTITY.pairs().pairs().containsKey(k))
                .map(k -> k.startsWith(InfoKeys.PROXY_TLV_PREFIX) ? InfoKeys.PROXY_TLV_PREFIX : k).toList();
        assertEquals(InfoKeys.BUILT_IN, builtIn, "a reply with every key has them in the documented order");
        clientChannel.finishAndReleaseAll();
        serverChannel.finishAndReleaseAll();
    }

    /** Moves bytes between the two ends until neither has anything more to say. */
    private static void shuttle(EmbeddedChannel a, EmbeddedChannel b) {
        for (int round = 0; round < 50; round++) {
            boolean moved = move(a, b) | move(b, a);
            if (!moved) {
                return;
            }
        }
        throw new AssertionError("the two ends kept talking");
    }

    private static boolean move(EmbeddedChannel from, EmbeddedChannel to) {
        boolean moved = false;
        Object msg;
        while ((msg = from.readOutbound()) != null) {
            to.writeInbound(msg);
            moved = true;
        }
        to.runPendingTasks();
        from.runPendingTasks();
        return moved;
    }

    private static Map<String, String> fields(String reply) {
        return new LinkedHashMap<>(InfoLine.parseText(reply.strip()));
    }

    @Test
    void aNewIdentityShowsInTheNextReplyOfAConnectionAlreadyOpen() {
        io.echoack.server.live.LiveSetting<Identity> identity = io.echoack.server.live.LiveSetting.of(IDENTITY);
        EmbeddedChannel ch = new PeerChannel(LOCAL, PEER,
                new InfoResponder(new InfoReplies(identity, "tcp://0.0.0.0:51717", InfoFormat.TEXT), Framing.LINE));
        ch.writeInbound(frame("one"));
        identity.replace(IDENTITY.withPairs(IdentityPairs.parse(List.of("host=backend-b", "pod=web-2"))));
        ch.writeInbound(frame("two"));
        List<String> replies = replies(ch);
        Map<String, String> before = InfoLine.parseText(replies.get(0).strip());
        Map<String, String> after = InfoLine.parseText(replies.get(1).strip());
        assertEquals("backend-a", before.get(InfoKeys.HOST));
        assertEquals("web-1", before.get("pod"));
        assertEquals("backend-b", after.get(InfoKeys.HOST), "the same connection, the new identity");
        assertEquals("web-2", after.get("pod"));
        assertNull(after.get("zone"), "a pair taken out is gone");
        assertEquals("2", after.get(InfoKeys.SEQ), "the connection's count goes on");
        assertEquals(before.get(InfoKeys.PEER), after.get(InfoKeys.PEER));
        assertFalse(ch.finish());
    }

    @Test
    void aNewIdentityShowsInTheNextDatagramReply() {
        io.echoack.server.live.LiveSetting<Identity> identity = io.echoack.server.live.LiveSetting.of(IDENTITY);
        InfoReplies replies = new InfoReplies(identity, "udp://0.0.0.0:51717", InfoFormat.TEXT);
        assertEquals("web-1", InfoLine.parseText(new String(replies.datagram(PEER, LOCAL), UTF_8)).get("pod"));
        identity.replace(IDENTITY.withPairs(IdentityPairs.parse(List.of("pod=web-2"))));
        Map<String, String> after = InfoLine.parseText(new String(replies.datagram(PEER, LOCAL), UTF_8));
        assertEquals("web-2", after.get("pod"));
        assertEquals(IDENTITY.transport(), after.get(InfoKeys.TRANSPORT));
    }
}
