package io.echoack.client.cli;

import io.echoack.cli.EnvironmentDefaults;
import io.echoack.client.net.ProxyHeader;
import io.echoack.client.net.ProxyTlv;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Optional;
import picocli.CommandLine;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.TypeConversionException;

/**
 * The PROXY protocol options of every command: a header each stream connection sends first, so that a server
 * that expects one from its load balancer (HAProxy's {@code accept-proxy}, nginx's {@code proxy_protocol},
 * echoack's {@code ?proxy=}) can be tested directly. No variables, as for {@code --mode}: a header is what one
 * test asks for, typed where it is run.
 */
final class ProxyOptionsMixin {

    @Option(names = "--proxy-header", paramLabel = "VERSION", converter = VersionConverter.class,
            description = "Send a PROXY protocol header first on each stream connection (tcp://, tls:// before the "
                    + "handshake, unix://): v1 (text) or v2 (binary, with TLVs).")
    ProxyHeader.Version version;

    @Option(names = "--proxy-source", paramLabel = "HOST:PORT", converter = AddressConverter.class,
            description = "The client address the header claims, e.g. 203.0.113.7:51234 or [2001:db8::7]:443.")
    InetSocketAddress source;

    @Option(names = "--proxy-destination", paramLabel = "HOST:PORT", converter = AddressConverter.class,
            description = "The server address the header claims, of the family of --proxy-source.")
    InetSocketAddress destination;

    @Option(names = "--proxy-tlv", paramLabel = "TYPE=VALUE", converter = TlvConverter.class,
            description = "v2 only, repeatable: a TLV. TYPE is 0-255 (224 or 0xE0) or alpn, authority, unique_id, "
                    + "netns, aws_vpce_id, azure_linkid; VALUE is UTF-8 text, or hex after hex: (hex:0a0b).")
    List<ProxyTlv> tlvs;

    /**
     * The header these options ask for, if any.
     *
     * @throws ParameterException (a usage error) naming the flag at fault: an address or a TLV without
     *                            {@code --proxy-header}, TLVs with v1, addresses of two families
     */
    Optional<ProxyHeader> header(CommandLine commandLine) {
        if (version == null) {
            ClientSetting orphan = source != null ? ClientSetting.PROXY_SOURCE
                    : destination != null ? ClientSetting.PROXY_DESTINATION
                    : tlvs != null && !tlvs.isEmpty() ? ClientSetting.PROXY_TLV : null;
            if (orphan != null) {
                throw new ParameterException(commandLine, EnvironmentDefaults.nameIn(commandLine, orphan)
                        + ": only with --proxy-header v1 or v2, the header it describes");
            }
            return Optional.empty();
        }
        try {
            return Optional.of(new ProxyHeader(version, Optional.ofNullable(source), Optional.ofNullable(destination),
                    tlvs == null ? List.of() : tlvs));
        } catch (IllegalArgumentException e) {
            throw new ParameterException(commandLine, Failures.message(commandLine, e));
        }
    }

    static final class VersionConverter implements ITypeConverter<ProxyHeader.Version> {
        @Override
        public ProxyHeader.Version convert(String value) {
            try {
                return ProxyHeader.Version.parse(value);
            } catch (IllegalArgumentException e) {
                throw new TypeConversionException(e.getMessage());
            }
        }
    }

    static final class AddressConverter implements ITypeConverter<InetSocketAddress> {
        @Override
        public InetSocketAddress convert(String value) {
            try {
                return ProxyHeader.parseAddress(value);
            } catch (IllegalArgumentException e) {
                throw new TypeConversionException(e.getMessage());
            }
        }
    }

    static final class TlvConverter implements ITypeConverter<ProxyTlv> {
        @Override
        public ProxyTlv convert(String value) {
            try {
                return ProxyTlv.parse(value);
            } catch (IllegalArgumentException e) {
                throw new TypeConversionException(e.getMessage());
            }
        }
    }
}
