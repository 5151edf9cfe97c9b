package io.echoack.server.tls;

import io.echoack.common.text.FieldMessage;
import io.echoack.common.tls.PemFiles;
import io.echoack.common.tls.TlsFileException.Role;
import io.echoack.common.tls.TlsFileException;
import io.echoack.common.tls.TlsProvider;
import io.echoack.common.tls.TlsProviderSelection;
import io.echoack.common.tls.TlsProviderUnavailableException;
import io.echoack.server.startup.ServerStartException;
import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslHandler;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import javax.net.ssl.SSLException;

/**
 * The server's TLS context, built once at startup from {@link TlsSettings} and shared by every
 * {@code tls://} listener and connection: the files are read and checked here (each problem is a
 * {@link ServerStartException} naming the file, caused by a {@link TlsFileException} that says which of the
 * files it is), and each connection then only gets a new {@link SslHandler} from it.
 */
public final class ServerTls {

    private static final DateTimeFormatter DAY = DateTimeFormatter.ISO_LOCAL_DATE.withZone(ZoneOffset.UTC);

    private final SslContext context;
    private final TlsProviderSelection provider;
    private final Duration handshakeTimeout;
    private final FieldMessage description;

    private ServerTls(SslContext context, TlsProviderSelection provider, Duration handshakeTimeout,
                      FieldMessage description) {
        this.context = context;
        this.provider = provider;
        this.handshakeTimeout = handshakeTimeout;
        this.description = description;
    }

    /**
     * Reads the certificate, key and client CA and builds the TLS context.
     *
     * @throws ServerStartException with one line that names the file at fault (its cause, a
     *                              {@link TlsFileException}, says which file), or the provider that cannot load
     */
    public static ServerTls load(TlsSettings settings) throws ServerStartException {
        if (!settings.isConfigured()) {
            throw new IllegalArgumentException("tls: no certificate configured");
        }
        TlsProviderSelection provider;
        try {
            provider = TlsProvider.select(settings.provider());
        } catch (TlsProviderUnavailableException e) {
            throw new ServerStartException(e.fieldMessage().orElseThrow(), e);
        }
        Path certFile = settings.certificate().orElseThrow();
        Path keyFile = settings.key().orElseThrow();
        List<X509Certificate> chain = read(Role.CERTIFICATE, () -> PemFiles.readCertificates(certFile));
        PrivateKey key = read(Role.KEY, () -> PemFiles.readPrivateKey(keyFile,
                settings.keyPassword().map(String::toCharArray).orElse(null)));
        X509Certificate leaf = chain.get(0);
        if (!PemFiles.belongTogether(key, leaf)) {
            TlsFileException mismatch = new TlsFileException(Role.KEY, "the key in " + keyFile + " does not belong "
                    + "to the certificate in " + certFile + " (the first certificate there must be the server's own)",
                    null);
            throw new ServerStartException(mismatch.getMessage(), mismatch);
        }
        SslContextBuilder builder = SslContextBuilder.forServer(key, chain.toArray(X509Certificate[]::new))
                .sslProvider(provider.provider().sslProvider());
        String clients = "client certificates not requested";
        if (settings.clientCa().isPresent()) {
            Path caFile = settings.clientCa().get();
            List<X509Certificate> cas = read(Role.TRUSTED_CA, () -> PemFiles.readCertificates(caFile));
            builder.trustManager(cas.toArray(X509Certificate[]::new)).clientAuth(ClientAuth.REQUIRE);
            clients = "client certificates required (signed by " + caFile + ")";
        }
        SslContext context;
        try {
            context = builder.build();
        } catch (SSLException | RuntimeException e) {
            throw new ServerStartException("tls: cannot build the TLS context from " + certFile + " and " + keyFile
                    + " with the " + provider.provider() + " provider: " + e.getMessage(), e);
        }
        FieldMessage description = FieldMessage.of("TLS provider ", provider.provider(), " (", provider.reason(),
                "); certificate ", leaf.getSubjectX500Principal().getName(), ", valid until ",
                DAY.format(leaf.getNotAfter().toInstant()), "; ", clients);
        return new ServerTls(context, provider, settings.handshakeTimeout(), description);
    }

    private interface Reader<T> {
        T read();
    }

    /** Reads one file; a problem is a {@link ServerStartException} caused by a {@link TlsFileException}. */
    private static <T> T read(Role role, Reader<T> reader) throws ServerStartException {
        try {
            return reader.read();
        } catch (IllegalArgumentException e) {
            TlsFileException failure = new TlsFileException(role, e.getMessage(), e);
            throw new ServerStartException(failure.getMessage(), failure);
        }
    }

    /** The provider in use and why it was chosen. */
    public TlsProviderSelection provider() {
        return provider;
    }

    /**
     * True when the TLS engine stops sending as soon as the peer's {@code close_notify} arrives (Netty's
     * OpenSSL engine does), so that connections need a {@link CloseNotifySeparator} in front of it.
     */
    public boolean closesOnCloseNotify() {
        return provider.provider() == TlsProvider.OPENSSL;
    }

    /**
     * One line for the startup log: provider and why (naming the provider setting by its field when it was
     * asked for), certificate subject and expiry, client certificates.
     */
    public FieldMessage describe() {
        return description;
    }

    /** A new server-side handler for one connection, with the configured handshake timeout. */
    public SslHandler newHandler(ByteBufAllocator alloc) {
        SslHandler handler = context.newHandler(alloc);
        handler.setHandshakeTimeout(handshakeTimeout.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
        return handler;
    }
}
