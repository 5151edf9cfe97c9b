package io.echoack.server.testing;

import static java.nio.charset.StandardCharsets.US_ASCII;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.haproxy.HAProxyCommand;
import io.netty.handler.codec.haproxy.HAProxyMessage;
import io.netty.handler.codec.haproxy.HAProxyMessageEncoder;
import io.netty.handler.codec.haproxy.HAProxyProtocolVersion;
import io.netty.handler.codec.haproxy.HAProxyProxiedProtocol;
import io.netty.handler.codec.haproxy.HAProxyTLV;
import java.util.List;

/** PROXY protocol headers as a load balancer sends them, as bytes to write to a socket in tests. */
public final class ProxyHeaders {

    private ProxyHeaders() {
    }

    /** A v1 (text) header: a TCP4 client at {@code source}:{@code sourcePort} that connected to 192.0.2.80:7. */
    public static byte[] v1(String source, int sourcePort) {
        return ("PROXY TCP4 " + source + " 192.0.2.80 " + sourcePort + " 7\r\n").getBytes(US_ASCII);
    }

    /** A v2 (binary) header, as Netty's encoder (HAProxy's format) writes it, for a TCP4 client. */
    public static byte[] v2(String source, int sourcePort, List<HAProxyTLV> tlvs) {
        return encode(new HAProxyMessage(HAProxyProtocolVersion.V2, HAProxyCommand.PROXY,
                HAProxyProxiedProtocol.TCP4, source, "192.0.2.80", sourcePort, 7, tlvs));
    }

    /** A v2 header without TLVs. */
    public static byte[] v2(String source, int sourcePort) {
        return v2(source, sourcePort, List.of());
    }

    /** A v2 {@code LOCAL} header: a balancer's own health check, with no client addresses. */
    public static byte[] v2Local() {
        return encode(new HAProxyMessage(HAProxyProtocolVersion.V2, HAProxyCommand.LOCAL,
                HAProxyProxiedProtocol.UNKNOWN, null, null, 0, 0));
    }

    private static byte[] encode(HAProxyMessage message) {
        EmbeddedChannel encoder = new EmbeddedChannel(HAProxyMessageEncoder.INSTANCE);
        encoder.writeOutbound(message);
        ByteBuf bytes = encoder.readOutbound();
        try {
            return ByteBufUtil.getBytes(bytes);
        } finally {
            bytes.release();
            encoder.finishAndReleaseAll();
        }
    }
}
