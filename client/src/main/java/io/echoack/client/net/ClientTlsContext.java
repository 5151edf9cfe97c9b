package io.echoack.client.net;

import static io.echoack.common.text.FieldMessage.field;

import io.echoack.common.endpoint.Endpoint;
import io.echoack.common.text.FieldMessage;
import io.echoack.common.tls.PemFiles;
import io.echoack.common.tls.TlsFileException;
import io.echoack.common.tls.TlsFileException.Role;
import io.echoack.common.tls.TlsProvider;
import io.echoack.common.tls.TlsProviderSelection;
import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.ssl.NotSslRecordException;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslHandshakeTimeoutException;
import io.netty.handler.ssl.util.InsecureTrustManagerFactory;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.cert.CertPathBuilderException;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import javax.net.ssl.SSLException;

/**
 * The client's TLS context, built once from {@link TlsOptions} and shared by all of a client's (or a bench
 * run's) {@code tls://} connections, so that files are read once and TLS sessions can be resumed. Hands out
 * one {@link SslHandler} per connection, set up to check the server's name, and turns handshake failures
 * into {@link TlsException}s that say what went wrong and what to do about it.
 */
public final class ClientTlsContext {

    private final SslContext context;
    private final TlsOptions options;
    private final TlsProviderSelection provider;

    private ClientTlsContext(SslContext context, TlsOptions options, TlsProviderSelection provider) {
        this.context = context;
        this.options = options;
        this.provider = provider;
    }

    /**
     * Reads the files {@code options} name and builds the context.
     *
     * @throws TlsFileException naming the file at fault, and saying which of the files it is
     * @throws IllegalArgumentException when the TLS context cannot be built from them
     * @throws io.echoack.common.tls.TlsProviderUnavailableException when OpenSSL was asked for and cannot load
     */
    public static ClientTlsContext create(TlsOptions options) {
        TlsProviderSelection provider = TlsProvider.select(options.provider());
        SslContextBuilder builder = SslContextBuilder.forClient().sslProvider(provider.provider().sslProvider());
        if (options.insecure()) {
            builder.trustManager(InsecureTrustManagerFactory.INSTANCE).endpointIdentificationAlgorithm(null);
        } else {
            builder.endpointIdentificationAlgorithm("HTTPS");
            options.trustedCertificates().ifPresent(ca -> builder.trustManager(
                    read(Role.TRUSTED_CA, () -> PemFiles.readCertificates(ca)).toArray(X509Certificate[]::new)));
        }
        if (options.certificate().isPresent()) {
            Path certFile = options.certificate().get();
            Path keyFile = options.key().orElseThrow();
            List<X509Certificate> chain = read(Role.CERTIFICATE, () -> PemFiles.readCertificates(certFile));
            PrivateKey key = read(Role.KEY, () -> PemFiles.readPrivateKey(keyFile, null));
            if (!PemFiles.belongTogether(key, chain.get(0))) {
                throw new TlsFileException(Role.KEY, "the key in " + keyFile + " does not belong to the certificate in "
                        + certFile, null);
            }
            builder.keyManager(key, chain.toArray(X509Certificate[]::new));
        }
        try {
            return new ClientTlsContext(builder.build(), options, provider);
        } catch (SSLException | RuntimeException e) {
            throw new IllegalArgumentException("cannot set up TLS with the " + provider.provider() + " provider: "
                    + e.getMessage(), e);
        }
    }

    private static <T> T read(Role role, Supplier<T> reader) {
        try {
            return reader.get();
        } catch (IllegalArgumentException e) {
            throw new TlsFileException(role, e.getMessage(), e);
        }
    }

    /** The TLS provider in use and why. */
    public TlsProviderSelection provider() {
        return provider;
    }

    /**
     * A client-side handler for one connection to {@code endpoint}: it sends the server name (SNI) and checks
     * the server's certificate against it (the endpoint's host, or {@link TlsOptions#serverName()}), and fails
     * the handshake after {@code handshakeTimeout}.
     */
    public SslHandler newHandler(ByteBufAllocator alloc, Endpoint endpoint, Duration handshakeTimeout) {
        SslHandler handler = context.newHandler(alloc, serverName(endpoint), endpoint.port());
        handler.setHandshakeTimeout(Math.max(1, handshakeTimeout.toMillis()), TimeUnit.MILLISECONDS);
        return handler;
    }

    /** The name the server's certificate must be for: {@link TlsOptions#serverName()}, else the endpoint's host. */
    private String serverName(Endpoint endpoint) {
        return options.serverName().orElse(endpoint.host().isEmpty() ? "localhost" : endpoint.host());
    }

    /** A failed handshake as a {@link TlsException} whose message says why, in the user's terms. */
    TlsException handshakeFailure(Endpoint endpoint, Throwable cause) {
        return new TlsException(endpoint, FieldMessage.of("TLS handshake with " + endpoint.address() + " failed: ",
                explain(endpoint, cause)), cause);
    }

    /** Why a TLS handshake or session failed, and what to do about it (naming the option to set); one line. */
    FieldMessage explain(Endpoint endpoint, Throwable cause) {
        String name = serverName(endpoint);
        for (Throwable t = cause; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof SslHandshakeTimeoutException) {
                return FieldMessage.of("no handshake within the timeout (is it a TLS endpoint?)");
            }
            if (t instanceof NotSslRecordException) {
                return FieldMessage.of("the server did not answer in TLS (is it a plain tcp:// endpoint?)");
            }
            if (t instanceof CertPathBuilderException || t instanceof CertPathValidatorException) {
                return FieldMessage.of("the server's certificate is not signed by a CA this client trusts (give the "
                        + "CA with ", field("trustedCertificates"), ", or use ", field("insecure"),
                        " for a test server)");
            }
            if (t instanceof CertificateException && isNameMismatch(t.getMessage())) {
                return FieldMessage.of("the server's certificate is not for " + name + " (" + t.getMessage()
                        + "); connect by a name it lists, or give one with ", field("serverName"));
            }
        }
        String message = rootMessage(cause);
        String lower = message.toLowerCase(Locale.ROOT);
        if (lower.contains("certificate_required") || lower.contains("bad_certificate")
                || lower.contains("certificate_unknown") || lower.contains("unknown_ca")
                || lower.contains("handshake_failure") && options.certificate().isEmpty()) {
            return FieldMessage.of("the server refused this client (" + message + "); it may require a client "
                    + "certificate it trusts: ", field("certificate"), " and ", field("key"));
        }
        if (lower.contains("pkix") || lower.contains("certificate_verify_failed")) {
            return FieldMessage.of("the server's certificate is not trusted (" + message + "); give its CA with ",
                    field("trustedCertificates"), ", or use ", field("insecure"), " for a test server");
        }
        return FieldMessage.of(message);
    }

    private static boolean isNameMismatch(String message) {
        String m = String.valueOf(message);
        return m.startsWith("No subject alternative") || m.startsWith("No name matching");
    }

    private static String rootMessage(Throwable cause) {
        Throwable root = cause;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
    }
}
