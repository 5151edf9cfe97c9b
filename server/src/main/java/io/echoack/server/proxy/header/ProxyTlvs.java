package io.echoack.server.proxy.header;

import io.echoack.server.proxy.ProxyTlv;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.handler.codec.haproxy.HAProxySSLTLV;
import io.netty.handler.codec.haproxy.HAProxyTLV;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns the TLVs Netty's decoder read from a v2 header into {@link ProxyTlv}s, values as text, so that nothing
 * after the header holds a buffer. Netty lists the sub-TLVs of the SSL TLV right after it; they are kept in
 * that order. Values:
 * <ul>
 *   <li>{@code alpn} (0x01), {@code authority} (0x02), {@code ssl_version} (0x21), {@code ssl_cn} (0x22): the
 *       text (UTF-8; malformed bytes become U+FFFD)</li>
 *   <li>{@code unique_id} (0x05): lower-case hex (the spec calls it an opaque byte sequence)</li>
 *   <li>{@code ssl_verified} (0x20): {@code true} when the balancer says the client connected over TLS,
 *       presented a certificate and the balancer verified it; else {@code false}</li>
 *   <li>{@code aws_vpce_id} (0xEA with subtype 0x01): the VPC endpoint ID's text</li>
 *   <li>{@code azure_linkid} (0xEE with subtype 0x01): the private endpoint's link ID, a little-endian 32-bit
 *       number, in decimal</li>
 *   <li>any other type, or those two with another subtype or shape: {@code tlv_0xNN} and the value in
 *       lower-case hex</li>
 * </ul>
 */
final class ProxyTlvs {

    static final int ALPN = 0x01;
    static final int AUTHORITY = 0x02;
    static final int UNIQUE_ID = 0x05;
    static final int SSL = 0x20;
    static final int SSL_VERSION = 0x21;
    static final int SSL_CN = 0x22;
    static final int AWS = 0xEA;
    static final int AZURE = 0xEE;
    /** The subtype of AWS's VPC endpoint ID and of Azure's private endpoint link ID. */
    static final int SUBTYPE_ENDPOINT_ID = 0x01;

    private ProxyTlvs() {
    }

    /** The TLVs as text, in the header's order. Reads the buffers, does not release them. */
    static List<ProxyTlv> decode(List<HAProxyTLV> tlvs) {
        List<ProxyTlv> decoded = new ArrayList<>(tlvs.size());
        for (HAProxyTLV tlv : tlvs) {
            decoded.add(decode(tlv));
        }
        return decoded;
    }

    static ProxyTlv decode(HAProxyTLV tlv) {
        int type = tlv.typeByteValue() & 0xff;
        ByteBuf value = tlv.content();
        return switch (type) {
            case ALPN -> text(type, "alpn", value);
            case AUTHORITY -> text(type, "authority", value);
            case UNIQUE_ID -> new ProxyTlv(type, "unique_id", ByteBufUtil.hexDump(value));
            case SSL -> new ProxyTlv(type, "ssl_verified", String.valueOf(verified(tlv)));
            case SSL_VERSION -> text(type, "ssl_version", value);
            case SSL_CN -> text(type, "ssl_cn", value);
            case AWS -> subtype(value) == SUBTYPE_ENDPOINT_ID
                    ? new ProxyTlv(type, "aws_vpce_id", after(value, 1).toString(StandardCharsets.UTF_8))
                    : other(type, value);
            case AZURE -> subtype(value) == SUBTYPE_ENDPOINT_ID && value.readableBytes() == 5
                    ? new ProxyTlv(type, "azure_linkid", Long.toString(value.getUnsignedIntLE(value.readerIndex() + 1)))
                    : other(type, value);
            default -> other(type, value);
        };
    }

    private static boolean verified(HAProxyTLV tlv) {
        return tlv instanceof HAProxySSLTLV ssl && ssl.isPP2ClientSSL()
                && (ssl.isPP2ClientCertConn() || ssl.isPP2ClientCertSess()) && ssl.verify() == 0;
    }

    private static ProxyTlv text(int type, String name, ByteBuf value) {
        return new ProxyTlv(type, name, value.toString(StandardCharsets.UTF_8));
    }

    private static ProxyTlv other(int type, ByteBuf value) {
        return new ProxyTlv(type, String.format("tlv_0x%02x", type), ByteBufUtil.hexDump(value));
    }

    private static int subtype(ByteBuf value) {
        return value.isReadable() ? value.getUnsignedByte(value.readerIndex()) : -1;
    }

    private static ByteBuf after(ByteBuf value, int skip) {
        return value.slice(value.readerIndex() + skip, value.readableBytes() - skip);
    }
}
