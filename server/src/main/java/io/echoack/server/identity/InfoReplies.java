package io.echoack.server.identity;

import io.echoack.common.codec.InfoFormat;
import io.echoack.common.info.InfoLine;
import io.echoack.server.address.AddressText;
import io.echoack.server.proxy.ConnectionAddresses;
import io.echoack.server.proxy.ProxiedConnection;
import io.echoack.server.proxy.ProxyTlv;
import io.netty.channel.Channel;
import io.netty.handler.ssl.SslHandler;
import java.net.SocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.HashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Supplier;
import javax.net.ssl.ExtendedSSLSession;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SNIServerName;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;

/**
 * Writes the {@code info} replies of one listener ({@link InfoKeys} lists the keys, in order). What is the same
 * for every reply of the listener (host, {@code --identity} pairs, listener, transport) is written once per
 * identity, here; what is the same for every message of a connection (addresses, PROXY header, TLS) once per
 * connection ({@link #connection}); each message then only adds its number. The identity may change while the
 * server runs (SIGHUP): the next reply shows the new one, on connections already open too ({@link #identity}).
 * Thread-safe; nothing here blocks or resolves a name.
 */
public final class InfoReplies {

    private final Supplier<Identity> identity;
    private final String listener;
    private final InfoFormat format;
    /** The listener's fields for the identity they were written for; written again when it changes. */
    private volatile Head head;

    /** The fields every reply of the listener starts with, for one identity. */
    private record Head(Identity identity, InfoLine line) {
    }

    /**
     * @param listener the listener's name, as in the metrics
     * @param format   how the replies are written
     */
    public InfoReplies(Identity identity, String listener, InfoFormat format) {
        this(constant(identity), listener, format);
    }

    /**
     * @param identity who the server is now, read for each reply (it may change on SIGHUP)
     * @param listener the listener's name, as in the metrics
     * @param format   how the replies are written
     */
    public InfoReplies(Supplier<Identity> identity, String listener, InfoFormat format) {
        this.identity = Objects.requireNonNull(identity, "identity");
        this.listener = Objects.requireNonNull(listener, "listener");
        this.format = Objects.requireNonNull(format, "format");
        this.head = head(identity.get());
    }

    private static Supplier<Identity> constant(Identity identity) {
        Objects.requireNonNull(identity, "identity");
        return () -> identity;
    }

    private Head head(Identity who) {
        InfoLine line = InfoLine.start(format).add(InfoKeys.HOST, who.host());
        for (Map.Entry<String, String> pair : who.pairs().pairs().entrySet()) {
            line.add(pair.getKey(), pair.getValue());
        }
        return new Head(who, line.add(InfoKeys.LISTENER, listener).add(InfoKeys.TRANSPORT, who.transport()));
    }

    /** The head of the identity in force, written again if it changed since the last reply. */
    private Head head() {
        Identity now = identity.get();
        Head h = head;
        if (h.identity() != now) {
            h = head(now);
            head = h;
        }
        return h;
    }

    public InfoFormat format() {
        return format;
    }

    /**
     * Who the server is now: a connection whose fields ({@link #connection}) were written for another identity
     * writes them again for its next reply.
     */
    public Identity identity() {
        return identity.get();
    }

    /**
     * The fields of a stream connection that every reply on it shares: its addresses, what its PROXY header said
     * (if one was accepted) and its TLS session (on TLS). Call it once the first message has arrived: the PROXY
     * header and the TLS handshake are over by then.
     */
    public InfoLine connection(Channel channel) {
        InfoLine line = head().line().copy()
                .add(InfoKeys.LOCAL, AddressText.of(channel.localAddress()))
                .add(InfoKeys.PEER, AddressText.of(channel.remoteAddress()))
                .add(InfoKeys.CLIENT, AddressText.of(ConnectionAddresses.client(channel)));
        ProxiedConnection proxied = ConnectionAddresses.proxied(channel);
        if (proxied != null) {
            proxy(line, proxied);
        }
        SslHandler tls = channel.pipeline().get(SslHandler.class);
        if (tls != null) {
            tls(line, tls);
        }
        return line;
    }

    /** The reply to message number {@code seq} (from 1) of a connection whose fields are {@code connection}. */
    public byte[] message(InfoLine connection, long seq) {
        return connection.copy().add(InfoKeys.SEQ, seq).add(InfoKeys.VERSION, head.identity().version()).finish()
                .getBytes(StandardCharsets.UTF_8);
    }

    /**
     * The reply to a datagram from {@code sender} to {@code recipient} (the local address it arrived on). A pure
     * function of the two: the UDP guard charges a source for exactly the reply it would get by calling this
     * before the reply is built again to be sent (datagrams have no connection, so no {@code seq}).
     */
    public byte[] datagram(SocketAddress sender, SocketAddress recipient) {
        String peer = AddressText.of(sender);
        Head h = head();
        return h.line().copy().add(InfoKeys.LOCAL, AddressText.of(recipient)).add(InfoKeys.PEER, peer)
                .add(InfoKeys.CLIENT, peer).add(InfoKeys.VERSION, h.identity().version()).finish()
                .getBytes(StandardCharsets.UTF_8);
    }

    private static void proxy(InfoLine line, ProxiedConnection proxied) {
        line.add(InfoKeys.PROXY, proxied.version())
                .add(InfoKeys.PROXY_COMMAND, proxied.local() ? "local" : "proxy");
        if (!proxied.local()) {
            line.add(InfoKeys.PROXY_DESTINATION, AddressText.of(proxied.destination()));
        }
        Set<String> keys = new HashSet<>();
        for (ProxyTlv tlv : proxied.tlvs()) {
            String key = InfoKeys.PROXY_TLV_PREFIX + tlv.name();
            if (!InfoLine.isKey(key)) {
                key = InfoKeys.PROXY_TLV_PREFIX + String.format("tlv_0x%02x", tlv.type());
            }
            String unique = key;
            for (int n = 2; !keys.add(unique); n++) { // a TLV type may repeat; keys may not
                unique = key + "." + n;
            }
            line.add(unique, tlv.value());
        }
    }

    private static void tls(InfoLine line, SslHandler tls) {
        SSLSession session = tls.engine().getSession();
        line.add(InfoKeys.TLS_VERSION, session.getProtocol()).add(InfoKeys.TLS_CIPHER, session.getCipherSuite());
        if (session instanceof ExtendedSSLSession extended) {
            for (SNIServerName name : extended.getRequestedServerNames()) {
                if (name instanceof SNIHostName host) {
                    line.add(InfoKeys.TLS_SNI, host.getAsciiName());
                    break;
                }
            }
        }
        String alpn = tls.applicationProtocol();
        if (alpn != null) {
            line.add(InfoKeys.TLS_ALPN, alpn);
        }
        try {
            Certificate[] peer = session.getPeerCertificates();
            if (peer.length > 0 && peer[0] instanceof X509Certificate client) {
                line.add(InfoKeys.TLS_CLIENT_SUBJECT, client.getSubjectX500Principal().getName());
            }
        } catch (SSLPeerUnverifiedException e) {
            // no client certificate: no key
        }
    }
}
