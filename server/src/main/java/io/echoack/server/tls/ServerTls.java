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
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import javax.net.ssl.SSLException;

/**
 * The server's TLS context, built at startup from {@link TlsSettings} and shared by every {@code tls://}
 * listener and connection: the files are read and checked here (each problem is a {@link ServerStartException}
 * naming the file, caused by a {@link TlsFileException} that says which of the files it is), and each connection
 * then only gets a new {@link SslHandler} from it.
 *
 * <p>{@link #reload} reads the files again (a certificate rotated by cert-manager or a sidecar, SIGHUP) and
 * swaps the context in one atomic step: connections made after it get the new certificate, the ones made before
 * keep the engine they have. Each new connection reads the current context once, without locking, so an event
 * loop never waits for a reload.
 */
public final class ServerTls {

    private static final DateTimeFormatter DAY = DateTimeFormatter.ISO_LOCAL_DATE.withZone(ZoneOffset.UTC);

    private final TlsProviderSelection provider;
    private final AtomicReference<Loaded> current;

    /**
     * One reading of the files: the context built from them, with what a reload compares.
     *
     * @param chain    the certificate chain, the server's own first
     * @param clientCa the CA certificates client certificates must be signed by; empty when none are asked for
     */
    private record Loaded(TlsSettings settings, SslContext context, List<X509Certificate> chain,
                          List<X509Certificate> clientCa, FieldMessage description) {
    }

    private ServerTls(TlsProviderSelection provider, Loaded loaded) {
        this.provider = provider;
        this.current = new AtomicReference<>(loaded);
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
        return new ServerTls(provider, read(settings, provider));
    }

    /**
     * Reads the files of {@code next} (the same paths as before, or new ones) and, when they differ from what is
     * in use, makes them the context of new connections. The provider cannot change here: its engines need other
     * handlers in each pipeline.
     *
     * @return what changed, one line each (the certificate's subject, serial and expiry before and after); empty
     *         when the files hold what they held
     * @throws ServerStartException naming the file at fault, as at startup; the context in use stays
     * @throws IllegalArgumentException when {@code next} asks for another provider or has no certificate
     */
    public List<String> reload(TlsSettings next) throws ServerStartException {
        if (!next.isConfigured()) {
            throw new IllegalArgumentException("tls: no certificate configured");
        }
        if (next.provider() != current.get().settings().provider()) {
            throw new IllegalArgumentException("tls: the provider cannot change without a restart ("
                    + current.get().settings().provider().id() + " -> " + next.provider().id() + ")");
        }
        Loaded before = current.get();
        Loaded after = read(next, provider);
        List<String> changes = new ArrayList<>();
        if (!after.chain().equals(before.chain())) {
            changes.add("certificate " + summary(before.chain().get(0)) + " -> " + summary(after.chain().get(0)));
        }
        if (!after.clientCa().equals(before.clientCa())) {
            changes.add("client CA " + before.settings().clientCa().map(Path::toString).orElse("none") + " -> "
                    + after.settings().clientCa().map(Path::toString).orElse("none") + " (" + after.clientCa().size()
                    + " certificates)");
        }
        if (!after.settings().handshakeTimeout().equals(before.settings().handshakeTimeout())) {
            changes.add("handshakeTimeout " + before.settings().handshakeTimeout() + " -> "
                    + after.settings().handshakeTimeout());
        }
        if (!after.settings().equals(before.settings()) && changes.isEmpty()) {
            changes.add("files " + after.settings().certificate().orElseThrow() + ", "
                    + after.settings().key().orElseThrow() + " (same certificate)");
        }
        if (!changes.isEmpty()) {
            current.set(after);
        }
        return changes;
    }

    private static String summary(X509Certificate certificate) {
        return certificate.getSubjectX500Principal().getName() + " (serial " + certificate.getSerialNumber()
                .toString(16) + ", valid until " + DAY.format(certificate.getNotAfter().toInstant()) + ")";
    }

    /** Reads the files of {@code settings} and builds a context of {@code provider} from them. */
    private static Loaded read(TlsSettings settings, TlsProviderSelection provider) throws ServerStartException {
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
        List<X509Certificate> cas = List.of();
        if (settings.clientCa().isPresent()) {
            Path caFile = settings.clientCa().get();
            cas = read(Role.TRUSTED_CA, () -> PemFiles.readCertificates(caFile));
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
        return new Loaded(settings, context, List.copyOf(chain), List.copyOf(cas), description);
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
        return current.get().description();
    }

    /** A new server-side handler for one connection, with the configured handshake timeout. */
    public SslHandler newHandler(ByteBufAllocator alloc) {
        Loaded loaded = current.get();
        SslHandler handler = loaded.context().newHandler(alloc);
        handler.setHandshakeTimeout(loaded.settings().handshakeTimeout().toMillis(),
                java.util.concurrent.TimeUnit.MILLISECONDS);
        return handler;
    }
}
