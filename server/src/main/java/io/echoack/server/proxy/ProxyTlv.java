package io.echoack.server.proxy;

/**
 * One decoded PROXY v2 TLV, as reported in identity replies and the connection log.
 *
 * @param type  the TLV type (0x01 ALPN, 0x02 authority, 0x05 unique ID, 0x20 SSL, 0xEA AWS, 0xEE Azure, ...)
 * @param name  a stable lower-case name: {@code alpn}, {@code authority}, {@code unique_id}, {@code ssl_version},
 *              {@code ssl_cn}, {@code ssl_verified}, {@code aws_vpce_id}, {@code azure_linkid}, or
 *              {@code tlv_0xNN} for other types
 * @param value the value as text: UTF-8 for text TLVs, lower-case hex for others
 */
public record ProxyTlv(int type, String name, String value) {
}
