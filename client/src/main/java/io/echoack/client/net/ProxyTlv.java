package io.echoack.client.net;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * One TLV (type, length, value) of a PROXY protocol v2 header ({@link ProxyHeader#tlvs()}): what a balancer
 * adds about the connection, such as the ALPN protocol, the TLS server name (authority) or a unique connection
 * ID. Written as {@code TYPE=VALUE} ({@link #parse}) on the command line.
 *
 * @param type  the type byte, 0-255 ({@link Name} has the ones with a name)
 * @param value the value's bytes, at most {@value #MAX_VALUE_BYTES}; the record keeps its own copy
 */
public record ProxyTlv(int type, byte[] value) {

    /** The longest value a TLV's 16-bit length can describe. */
    public static final int MAX_VALUE_BYTES = 0xFFFF;

    /** The longest unique ID the protocol allows ({@code PP2_TYPE_UNIQUE_ID}). */
    public static final int MAX_UNIQUE_ID_BYTES = 128;

    /** The prefix of a VALUE written in hex: {@code hex:0a0b}. */
    public static final String HEX_PREFIX = "hex:";

    /**
     * The TLV types with a name on the command line. The cloud ones carry a subtype byte before the value,
     * which their name adds.
     */
    public enum Name {
        /** 0x01 {@code PP2_TYPE_ALPN}: the application protocol negotiated, e.g. {@code h2}. */
        ALPN(0x01),
        /** 0x02 {@code PP2_TYPE_AUTHORITY}: the host name the client asked for (TLS SNI, HTTP host). */
        AUTHORITY(0x02),
        /** 0x05 {@code PP2_TYPE_UNIQUE_ID}: an opaque connection ID, at most 128 bytes. */
        UNIQUE_ID(0x05),
        /** 0x30 {@code PP2_TYPE_NETNS}: the network namespace the connection came from. */
        NETNS(0x30),
        /** 0xEA, subtype 0x01: the AWS VPC endpoint ID (as an AWS Network Load Balancer sends it). */
        AWS_VPCE_ID(0xEA),
        /** 0xEE, subtype 0x01: the Azure private endpoint's link ID, a number, 4 bytes little-endian. */
        AZURE_LINKID(0xEE);

        private final int type;

        Name(int type) {
            this.type = type;
        }

        /** The name on the command line, e.g. {@code unique_id}. */
        public String id() {
            return name().toLowerCase(Locale.ROOT);
        }

        /** The type byte. */
        public int type() {
            return type;
        }
    }

    /** The subtype of {@link Name#AWS_VPCE_ID} and {@link Name#AZURE_LINKID} ({@code PP2_SUBTYPE_*_ID}). */
    static final byte CLOUD_ID_SUBTYPE = 0x01;

    /** @throws IllegalArgumentException when the type is not a byte or the value too long */
    public ProxyTlv {
        if (type < 0 || type > 0xFF) {
            throw new IllegalArgumentException("TLV type " + type + " is out of range 0-255");
        }
        value = Objects.requireNonNull(value, "value").clone();
        if (value.length > MAX_VALUE_BYTES) {
            throw new IllegalArgumentException("a TLV value holds at most " + MAX_VALUE_BYTES + " bytes, was "
                    + value.length);
        }
        if (type == Name.UNIQUE_ID.type && value.length > MAX_UNIQUE_ID_BYTES) {
            throw new IllegalArgumentException("a unique_id holds at most " + MAX_UNIQUE_ID_BYTES + " bytes, was "
                    + value.length);
        }
    }

    /**
     * Parses {@code TYPE=VALUE}. TYPE is a number 0-255, decimal or hex ({@code 0xE0}), or a {@link Name}
     * ({@code alpn}, {@code authority}, {@code unique_id}, {@code netns}, {@code aws_vpce_id},
     * {@code azure_linkid}). VALUE is text, sent as UTF-8, or hex after {@value #HEX_PREFIX}
     * ({@code hex:0a0b}); {@code azure_linkid} takes a number 0-4294967295. {@code aws_vpce_id} and
     * {@code azure_linkid} put their subtype, 0x01, before the value.
     *
     * @throws IllegalArgumentException quoting what does not parse and saying what is expected
     */
    public static ProxyTlv parse(String text) {
        int equals = text.indexOf('=');
        if (equals < 0) {
            throw new IllegalArgumentException("'" + text + "' is not TYPE=VALUE (e.g. alpn=h2, authority=example.com, "
                    + "0xE0=hex:0a0b)");
        }
        String typeText = text.substring(0, equals).trim();
        String valueText = text.substring(equals + 1);
        Name name = Arrays.stream(Name.values()).filter(n -> n.id().equalsIgnoreCase(typeText)).findFirst()
                .orElse(null);
        int type = name == null ? typeNumber(typeText) : name.type;
        if (name == Name.AZURE_LINKID) {
            return new ProxyTlv(type, azureLinkId(valueText));
        }
        byte[] value = valueBytes(valueText);
        if (name == Name.AWS_VPCE_ID) {
            byte[] withSubtype = new byte[value.length + 1];
            withSubtype[0] = CLOUD_ID_SUBTYPE;
            System.arraycopy(value, 0, withSubtype, 1, value.length);
            value = withSubtype;
        }
        return new ProxyTlv(type, value);
    }

    /** The value's bytes (a copy). */
    @Override
    public byte[] value() {
        return value.clone();
    }

    /** The bytes this TLV takes in a header: type, 2-byte length, value. */
    int encodedLength() {
        return 3 + value.length;
    }

    /** The value without copying, for the encoder; never modified. */
    byte[] valueArray() {
        return value;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ProxyTlv other && type == other.type && Arrays.equals(value, other.value);
    }

    @Override
    public int hashCode() {
        return 31 * type + Arrays.hashCode(value);
    }

    /** As {@link #parse} reads it: {@code 0x01=hex:6832}. */
    @Override
    public String toString() {
        return String.format("0x%02X=%s%s", type, HEX_PREFIX, HexFormat.of().formatHex(value));
    }

    private static int typeNumber(String text) {
        String digits = text.toLowerCase(Locale.ROOT);
        int radix = 10;
        if (digits.startsWith("0x")) {
            digits = digits.substring(2);
            radix = 16;
        }
        int type = -1;
        if (digits.matches(radix == 16 ? "[0-9a-f]{1,2}" : "[0-9]{1,3}")) {
            type = Integer.parseInt(digits, radix);
        }
        if (type < 0 || type > 0xFF) {
            throw new IllegalArgumentException("unknown TLV type '" + text + "' (expected a number 0-255, e.g. 224 or "
                    + "0xE0, or one of " + Arrays.stream(Name.values()).map(Name::id).collect(Collectors.joining(", "))
                    + ")");
        }
        return type;
    }

    private static byte[] valueBytes(String text) {
        if (!text.regionMatches(true, 0, HEX_PREFIX, 0, HEX_PREFIX.length())) {
            return text.getBytes(StandardCharsets.UTF_8);
        }
        String hex = text.substring(HEX_PREFIX.length());
        if (hex.length() % 2 != 0 || !hex.matches("[0-9a-fA-F]*")) {
            throw new IllegalArgumentException("'" + text + "' is not hex: after " + HEX_PREFIX + " give pairs of hex "
                    + "digits, e.g. hex:0a0b");
        }
        return HexFormat.of().parseHex(hex);
    }

    /** Subtype 0x01 then the link ID as a 4-byte little-endian number, as Azure's private link service sends it. */
    private static byte[] azureLinkId(String text) {
        long id = -1;
        if (text.trim().matches("[0-9]{1,10}")) {
            id = Long.parseLong(text.trim());
        }
        if (id < 0 || id > 0xFFFF_FFFFL) {
            throw new IllegalArgumentException("azure_linkid takes a number 0-4294967295, was '" + text + "'");
        }
        return new byte[] {CLOUD_ID_SUBTYPE, (byte) id, (byte) (id >>> 8), (byte) (id >>> 16), (byte) (id >>> 24)};
    }
}
