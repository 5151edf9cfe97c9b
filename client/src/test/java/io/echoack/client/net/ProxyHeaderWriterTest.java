package io.echoack.client.net;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.echoack.common.codec.Framing;
import io.echoack.common.codec.ReplyMode;
import io.echoack.common.endpoint.Endpoint;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.channel.unix.DomainSocketAddress;
import io.netty.handler.codec.haproxy.HAProxyMessageEncoder;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.util.InsecureTrustManagerFactory;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The PROXY header on the wire: its exact bytes, its addresses, and that it goes before anything else. */
@Timeout(10)
class ProxyHeaderWriterTest {

    private static final String V2_SIGNATURE = "0d0a0d0a000d0a515549540a";
    private static final Endpoint TCP = Endpoint.parse("tcp://127.0.0.1:7007");

    @Test
    void v1IsOneTextLineWithTheGivenAddresses() {
        ProxyHeader header = ProxyHeader.of(ProxyHeader.Version.V1)
                .withSource(ProxyHeader.parseAddress("192.0.2.1:51234"))
                .withDestination(ProxyHeader.parseAddress("198.51.100.2:443"));
        assertEquals("PROXY TCP4 192.0.2.1 198.51.100.2 51234 443\r\n", ascii(headerBytes(header, TCP, null, null)));
    }

    @Test
    void v1OverIpv6WritesTheShortFormOfEachAddress() {
        ProxyHeader header = ProxyHeader.of(ProxyHeader.Version.V1)
                .withSource(ProxyHeader.parseAddress("[2001:db8:0:0:0:0:0:7]:1"))
                .withDestination(ProxyHeader.parseAddress("[::1]:65535"));
        assertEquals("PROXY TCP6 2001:db8::7 ::1 1 65535\r\n", ascii(headerBytes(header, TCP, null, null)));
    }

    @Test
    void v2IsTheSignatureTheAddressesInBinaryAndTheTlvsInOrder() {
        ProxyHeader header = ProxyHeader.of(ProxyHeader.Version.V2)
                .withSource(ProxyHeader.parseAddress("192.0.2.1:51234"))
                .withDestination(ProxyHeader.parseAddress("198.51.100.2:443"))
                .withTlvs(List.of(ProxyTlv.parse("alpn=h2"), ProxyTlv.parse("authority=example.com"),
                        ProxyTlv.parse("0xE0=hex:00ff")));
        String expected = V2_SIGNATURE
                + "21" // version 2, command PROXY
                + "11" // TCP over IPv4
                + "0024" // 12 address bytes + TLVs (3 + 2) + (3 + 11) + (3 + 2) = 36
                + "c0000201" + "c6336402" + "c822" + "01bb"
                + "01" + "0002" + hex("h2")
                + "02" + "000b" + hex("example.com")
                + "e0" + "0002" + "00ff";
        assertEquals(expected, HexFormat.of().formatHex(headerBytes(header, TCP, null, null)));
    }

    @Test
    void v2OverIpv6CarriesSixteenByteAddresses() {
        ProxyHeader header = ProxyHeader.of(ProxyHeader.Version.V2)
                .withSource(ProxyHeader.parseAddress("[2001:db8::7]:80"))
                .withDestination(ProxyHeader.parseAddress("[::1]:8080"));
        assertEquals(V2_SIGNATURE + "21" + "21" + "0024"
                        + "20010db8000000000000000000000007" + "00000000000000000000000000000001" + "0050" + "1f90",
                HexFormat.of().formatHex(headerBytes(header, TCP, null, null)));
    }

    @Test
    void byDefaultTheHeaderNamesTheConnectionsOwnAddressesAnIpv4MappedOneAsIpv4() throws Exception {
        InetSocketAddress local = new InetSocketAddress(java.net.Inet6Address.getByAddress(null,
                HexFormat.of().parseHex("00000000000000000000ffff7f000001"), -1), 40001);
        InetSocketAddress remote = new InetSocketAddress("127.0.0.1", 7007);
        assertEquals("PROXY TCP4 127.0.0.1 127.0.0.1 40001 7007\r\n",
                ascii(headerBytes(ProxyHeader.of(ProxyHeader.Version.V1), TCP, local, remote)));
    }

    @Test
    void aGivenSourceKeepsTheConnectionsOwnDestination() {
        ProxyHeader header = ProxyHeader.of(ProxyHeader.Version.V1)
                .withSource(ProxyHeader.parseAddress("203.0.113.9:1234"));
        assertEquals("PROXY TCP4 203.0.113.9 10.1.2.3 1234 7007\r\n", ascii(headerBytes(header, TCP,
                new InetSocketAddress("10.9.9.9", 5555), new InetSocketAddress("10.1.2.3", 7007))));
    }

    @Test
    void onAUnixSocketV2WithoutAddressesCarriesTheTwoPaths() {
        Endpoint unix = Endpoint.parse("unix:///tmp/echoack-test.sock");
        byte[] bytes = headerBytes(ProxyHeader.of(ProxyHeader.Version.V2)
                        .withTlvs(List.of(ProxyTlv.parse("unique_id=abc"))), unix,
                new DomainSocketAddress(""), new DomainSocketAddress("/tmp/echoack-test.sock"));
        String hex = HexFormat.of().formatHex(bytes);
        assertTrue(hex.startsWith(V2_SIGNATURE + "21" + "31" + "00de"), hex); // AF_UNIX stream; 216 + 6 bytes
        byte[] destination = new byte[108];
        byte[] path = "/tmp/echoack-test.sock".getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(path, 0, destination, 0, path.length);
        assertArrayEquals(new byte[108], java.util.Arrays.copyOfRange(bytes, 16, 16 + 108), "no client path");
        assertArrayEquals(destination, java.util.Arrays.copyOfRange(bytes, 16 + 108, 16 + 216));
        assertEquals("05" + "0003" + hex("abc"), hex.substring(2 * (16 + 216)));
    }

    @Test
    void onAUnixSocketGivenAddressesMakeAnIpHeader() {
        Endpoint unix = Endpoint.parse("unix:///tmp/echoack-test.sock");
        ProxyHeader header = ProxyHeader.of(ProxyHeader.Version.V1)
                .withSource(ProxyHeader.parseAddress("192.0.2.1:5"))
                .withDestination(ProxyHeader.parseAddress("192.0.2.2:6"));
        assertEquals("PROXY TCP4 192.0.2.1 192.0.2.2 5 6\r\n", ascii(headerBytes(header, unix,
                new DomainSocketAddress(""), new DomainSocketAddress("/tmp/echoack-test.sock"))));
    }

    @Test
    void theHeaderGoesFirstThenTheHandlersLeave() {
        ProxyHeader header = ProxyHeader.of(ProxyHeader.Version.V1)
                .withSource(ProxyHeader.parseAddress("192.0.2.1:1"))
                .withDestination(ProxyHeader.parseAddress("192.0.2.2:2"));
        EmbeddedChannel channel = addressed(null, null, init(ch -> ProxyHeaderWriter.addFirst(ch.pipeline(), header,
                TCP)));
        assertNull(channel.pipeline().get(ProxyHeaderWriter.NAME), "gone once the header is written");
        assertNull(channel.pipeline().context(HAProxyMessageEncoder.INSTANCE));
        assertTrue(channel.writeOutbound(Unpooled.copiedBuffer("hello\n", StandardCharsets.US_ASCII)));
        assertEquals("PROXY TCP4 192.0.2.1 192.0.2.2 1 2\r\n", readAscii(channel));
        assertEquals("hello\n", readAscii(channel));
        assertFalse(channel.finish());
    }

    /** A connect listener may write before channelActive reaches the writer: the header still goes first. */
    @Test
    void aWriteBeforeChannelActiveSendsTheHeaderFirst() {
        ProxyHeader header = ProxyHeader.of(ProxyHeader.Version.V1)
                .withSource(ProxyHeader.parseAddress("192.0.2.1:1"))
                .withDestination(ProxyHeader.parseAddress("192.0.2.2:2"));
        EmbeddedChannel channel = new EmbeddedChannel(); // active already: the writer never sees channelActive
        ProxyHeaderWriter.addFirst(channel.pipeline(), header, TCP);
        assertTrue(channel.writeOutbound(Unpooled.copiedBuffer("first\n", StandardCharsets.US_ASCII)));
        assertEquals("PROXY TCP4 192.0.2.1 192.0.2.2 1 2\r\n", readAscii(channel));
        assertEquals("first\n", readAscii(channel));
        assertNull(channel.pipeline().get(ProxyHeaderWriter.NAME));
        assertTrue(channel.writeOutbound(Unpooled.copiedBuffer("second\n", StandardCharsets.US_ASCII)));
        assertEquals("second\n", readAscii(channel), "one header per connection");
        assertFalse(channel.finish());
    }

    @Test
    void onTlsTheHeaderGoesBeforeTheClientHello() throws Exception {
        ProxyHeader header = ProxyHeader.of(ProxyHeader.Version.V2)
                .withSource(ProxyHeader.parseAddress("192.0.2.1:1"))
                .withDestination(ProxyHeader.parseAddress("192.0.2.2:2"));
        ChannelHandler tls = SslContextBuilder.forClient().trustManager(InsecureTrustManagerFactory.INSTANCE).build()
                .newHandler(io.netty.buffer.UnpooledByteBufAllocator.DEFAULT);
        // An embedded channel is active before its handlers are added: the handshake starts as the TLS handler is
        // added, and its first write finds the header writer in front of it.
        EmbeddedChannel channel = addressed(null, null, init(ch -> {
            ProxyHeaderWriter.addFirst(ch.pipeline(), header, Endpoint.parse("tls://127.0.0.1:8443"));
            ch.pipeline().addLast("tls", tls);
        }));
        List<ByteBuf> out = new ArrayList<>();
        for (ByteBuf b; (b = channel.readOutbound()) != null; ) {
            out.add(b);
        }
        try {
            assertTrue(out.size() >= 2, "the header, then the handshake: " + out.size());
            assertTrue(ByteBufUtil.hexDump(out.get(0)).startsWith(V2_SIGNATURE), ByteBufUtil.hexDump(out.get(0)));
            assertEquals(0x16, out.get(1).getUnsignedByte(0), "then a TLS handshake record");
        } finally {
            out.forEach(ByteBuf::release);
            channel.finishAndReleaseAll();
        }
    }

    /** The client's stream pipeline puts the header's handlers first, before TLS; without a header, none. */
    @Test
    void theClientsStreamPipelineStartsWithTheHeader() {
        ExchangeSettings settings = new ExchangeSettings(TCP, ReplyMode.ACK, Optional.of(Framing.LINE),
                Duration.ofSeconds(1), 0, 1024, -1);
        EmbeddedChannel with = new EmbeddedChannel();
        EmbeddedChannel without = new EmbeddedChannel();
        try {
            new StreamClientInitializer(settings, null, ProxyHeader.of(ProxyHeader.Version.V1)
                    .withSource(ProxyHeader.parseAddress("192.0.2.1:1"))
                    .withDestination(ProxyHeader.parseAddress("192.0.2.2:2"))).initChannel(with);
            new StreamClientInitializer(settings, null, null).initChannel(without);
            assertEquals(List.of(ProxyHeaderWriter.ENCODER, ProxyHeaderWriter.NAME, StreamClientInitializer.WRITABILITY,
                    StreamClientInitializer.FRAME_DECODER, StreamClientInitializer.FRAME_ENCODER,
                    StreamClientInitializer.REPLY_HANDLER), names(with));
            assertEquals(List.of(StreamClientInitializer.WRITABILITY, StreamClientInitializer.FRAME_DECODER,
                    StreamClientInitializer.FRAME_ENCODER, StreamClientInitializer.REPLY_HANDLER), names(without));
        } finally {
            with.finishAndReleaseAll();
            without.finishAndReleaseAll();
        }
    }

    /** The bytes the writer sends on a channel with these addresses (null: the embedded channel's own). */
    private static byte[] headerBytes(ProxyHeader header, Endpoint endpoint, SocketAddress local,
                                      SocketAddress remote) {
        EmbeddedChannel channel = addressed(local, remote, init(ch -> ProxyHeaderWriter.addFirst(ch.pipeline(),
                header, endpoint)));
        ByteBuf out = channel.readOutbound();
        try {
            assertNull(channel.readOutbound(), "the header is one write");
            return ByteBufUtil.getBytes(out);
        } finally {
            out.release();
            assertFalse(channel.finish());
        }
    }

    private static EmbeddedChannel addressed(SocketAddress local, SocketAddress remote, ChannelHandler handler) {
        AddressedChannel channel = new AddressedChannel(local, remote, handler);
        try {
            channel.register();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
        return channel;
    }

    private static ChannelInitializer<Channel> init(java.util.function.Consumer<Channel> body) {
        return new ChannelInitializer<>() {
            @Override
            protected void initChannel(Channel ch) {
                body.accept(ch);
            }
        };
    }

    private static List<String> names(EmbeddedChannel channel) {
        return channel.pipeline().names().stream().filter(n -> !n.startsWith("DefaultChannelPipeline$")).toList();
    }

    private static String readAscii(EmbeddedChannel channel) {
        ByteBuf b = channel.readOutbound();
        try {
            return b.toString(StandardCharsets.US_ASCII);
        } finally {
            b.release();
        }
    }

    private static String ascii(byte[] bytes) {
        return new String(bytes, StandardCharsets.US_ASCII);
    }

    private static String hex(String text) {
        return HexFormat.of().formatHex(text.getBytes(StandardCharsets.US_ASCII));
    }

    /** An embedded channel with socket addresses of a real one, registered by the caller once they are set. */
    private static final class AddressedChannel extends EmbeddedChannel {
        private SocketAddress local;
        private SocketAddress remote;

        AddressedChannel(SocketAddress local, SocketAddress remote, ChannelHandler handler) {
            super(false, false, handler);
            this.local = local;
            this.remote = remote;
        }

        @Override
        protected SocketAddress localAddress0() {
            return local != null ? local : super.localAddress0();
        }

        @Override
        protected SocketAddress remoteAddress0() {
            return remote != null ? remote : super.remoteAddress0();
        }
    }
}
