package io.echoack.client.net;

import static io.echoack.common.text.FieldMessage.field;

import io.echoack.common.endpoint.Endpoint;
import io.echoack.common.text.FieldMessage;
import io.echoack.common.text.InvalidFieldException;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.ChannelPromise;
import io.netty.channel.unix.DomainSocketAddress;
import io.netty.handler.codec.haproxy.HAProxyCommand;
import io.netty.handler.codec.haproxy.HAProxyMessage;
import io.netty.handler.codec.haproxy.HAProxyMessageEncoder;
import io.netty.handler.codec.haproxy.HAProxyProtocolVersion;
import io.netty.handler.codec.haproxy.HAProxyProxiedProtocol;
import io.netty.handler.codec.haproxy.HAProxyTLV;
import io.netty.util.NetUtil;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.UnixDomainSocketAddress;
import java.util.ArrayList;
import java.util.List;

/**
 * Sends a connection's {@link ProxyHeader} before any other byte: when the connection becomes active, or at the
 * first write if that comes first (a connect listener may write before {@code channelActive}). It sits right
 * after Netty's {@link HAProxyMessageEncoder}, which encodes the header, at the head of the pipeline, so that the
 * header goes out before a TLS handshake; both leave the pipeline once the header is written.
 */
final class ProxyHeaderWriter extends ChannelDuplexHandler {

    /** This handler's name in the pipeline. */
    static final String NAME = "proxyHeader";
    /** The name of the {@link HAProxyMessageEncoder} before it. */
    static final String ENCODER = "proxyHeaderEncoder";

    private final ProxyHeader header;
    private final Endpoint endpoint;
    private boolean written;

    ProxyHeaderWriter(ProxyHeader header, Endpoint endpoint) {
        this.header = header;
        this.endpoint = endpoint;
    }

    /** Puts the encoder and a writer of {@code header} first in {@code pipeline}, before the channel connects. */
    static void addFirst(ChannelPipeline pipeline, ProxyHeader header, Endpoint endpoint) {
        pipeline.addFirst(NAME, new ProxyHeaderWriter(header, endpoint));
        pipeline.addFirst(ENCODER, HAProxyMessageEncoder.INSTANCE);
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        if (!written) {
            writeHeader(ctx);
            ctx.flush();
        }
        ctx.fireChannelActive();
        leave(ctx);
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        if (!written && ctx.channel().isActive()) {
            writeHeader(ctx);
        }
        ctx.write(msg, promise);
        if (written) {
            leave(ctx);
        }
    }

    private void writeHeader(ChannelHandlerContext ctx) {
        written = true;
        HAProxyMessage message;
        try {
            message = message(ctx.channel());
        } catch (IllegalArgumentException e) {
            ctx.fireExceptionCaught(e);
            ctx.close();
            return;
        }
        ctx.write(message).addListener(ChannelFutureListener.FIRE_EXCEPTION_ON_FAILURE);
    }

    private void leave(ChannelHandlerContext ctx) {
        ChannelPipeline pipeline = ctx.pipeline();
        if (pipeline.context(HAProxyMessageEncoder.INSTANCE) != null) {
            pipeline.remove(HAProxyMessageEncoder.INSTANCE);
        }
        if (!ctx.isRemoved()) {
            pipeline.remove(this);
        }
    }

    /**
     * The header for {@code channel}: the given addresses, else the channel's own (an IPv4-mapped one as IPv4);
     * on a Unix socket with neither given, the two socket paths.
     *
     * @throws IllegalArgumentException when a given address is of another family than the connection's own
     */
    HAProxyMessage message(Channel channel) {
        HAProxyProtocolVersion version = header.version() == ProxyHeader.Version.V1 ? HAProxyProtocolVersion.V1
                : HAProxyProtocolVersion.V2;
        if (endpoint.kind().isUnixDomain() && header.source().isEmpty() && header.destination().isEmpty()) {
            return withTlvs(version, HAProxyProxiedProtocol.UNIX_STREAM, path(channel.localAddress()),
                    endpoint.path().toString(), 0, 0);
        }
        InetSocketAddress source = header.source().orElseGet(() -> own(channel.localAddress()));
        InetSocketAddress destination = header.destination().orElseGet(() -> own(channel.remoteAddress()));
        if (ProxyHeader.isIpv6(source) != ProxyHeader.isIpv6(destination)) {
            String given = header.source().isPresent() ? "source" : "destination";
            throw new InvalidFieldException(FieldMessage.of(field(given), " " + ProxyHeader.format(
                    header.source().orElse(destination)) + " is not of the family of the connection's own address "
                    + ProxyHeader.format(header.source().isPresent() ? destination : source)));
        }
        return withTlvs(version, ProxyHeader.isIpv6(source) ? HAProxyProxiedProtocol.TCP6
                        : HAProxyProxiedProtocol.TCP4, NetUtil.toAddressString(source.getAddress()),
                NetUtil.toAddressString(destination.getAddress()), source.getPort(), destination.getPort());
    }

    private HAProxyMessage withTlvs(HAProxyProtocolVersion version, HAProxyProxiedProtocol protocol, String source,
                                    String destination, int sourcePort, int destinationPort) {
        List<HAProxyTLV> tlvs = new ArrayList<>(header.tlvs().size());
        for (ProxyTlv tlv : header.tlvs()) {
            tlvs.add(new HAProxyTLV((byte) tlv.type(), Unpooled.wrappedBuffer(tlv.valueArray())));
        }
        try {
            return new HAProxyMessage(version, HAProxyCommand.PROXY, protocol, source, destination, sourcePort,
                    destinationPort, tlvs);
        } catch (RuntimeException e) {
            tlvs.forEach(HAProxyTLV::release);
            throw e;
        }
    }

    private static InetSocketAddress own(SocketAddress address) {
        InetSocketAddress inet = (InetSocketAddress) address;
        return new InetSocketAddress(ProxyHeader.unmapped(inet.getAddress()), inet.getPort());
    }

    /** A Unix socket's path as the transport reports it; empty for a socket bound to none. */
    private static String path(SocketAddress address) {
        if (address instanceof DomainSocketAddress domain) {
            return domain.path();
        }
        if (address instanceof UnixDomainSocketAddress unix) {
            return unix.getPath().toString();
        }
        return "";
    }
}
