package io.echoack.client.net;

import static io.echoack.common.text.FieldMessage.field;

import io.echoack.common.text.FieldMessage;
import io.echoack.common.text.InvalidFieldException;
import io.echoack.common.tls.TlsProvider;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * How the client does TLS on {@code tls://} endpoints: whom it trusts, which certificate it presents, and
 * how it checks the server's name. By default it trusts the JDK's CA certificates and checks that the
 * server's certificate is for the host it connects to (as a browser does: a DNS name or IP address in the
 * certificate's subject alternative names). Only paths here: the files are read once, when the first
 * {@code tls://} connection is made.
 *
 * @param trustedCertificates PEM CA certificates to trust instead of the JDK's
 * @param certificate         PEM client certificate chain, for servers that require one
 * @param key                 PEM PKCS#8 private key of {@code certificate}
 * @param insecure            trust any server certificate, for any name: for test
 *                            servers with a self-signed certificate; the connection is then encrypted but
 *                            anyone on the path can pretend to be the server
 * @param serverName          the name to send (SNI) and to check the certificate against, instead of the
 *                            endpoint's host, e.g. when connecting by IP address
 * @param provider            the TLS engine: OpenSSL (BoringSSL) or the JDK's; AUTO prefers OpenSSL
 */
public record TlsOptions(Optional<Path> trustedCertificates, Optional<Path> certificate, Optional<Path> key,
                         boolean insecure, Optional<String> serverName, TlsProvider provider) {

    public TlsOptions {
        Objects.requireNonNull(trustedCertificates, "trustedCertificates");
        Objects.requireNonNull(certificate, "certificate");
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(serverName, "serverName");
        Objects.requireNonNull(provider, "provider");
        if (certificate.isPresent() != key.isPresent()) {
            throw new InvalidFieldException(FieldMessage.of("a client certificate and its key go together: ",
                    field(certificate.isPresent() ? "key" : "certificate"), " is missing"));
        }
        if (insecure && trustedCertificates.isPresent()) {
            throw new InvalidFieldException(FieldMessage.of(field("insecure"), " trusts any server certificate, so ",
                    field("trustedCertificates"), " would be ignored; give one or the other"));
        }
        if (serverName.isPresent() && (serverName.get().isBlank()
                || serverName.get().chars().anyMatch(c -> c <= ' ' || c == '/'))) {
            throw new InvalidFieldException(FieldMessage.of(field("serverName"), " '", serverName.get(),
                    "' is not a host name"));
        }
    }

    /** The JDK's trusted CAs, no client certificate, server name checked, AUTO provider. */
    public static TlsOptions defaults() {
        return new TlsOptions(Optional.empty(), Optional.empty(), Optional.empty(), false, Optional.empty(),
                TlsProvider.AUTO);
    }

    public TlsOptions withTrustedCertificates(Path caFile) {
        return new TlsOptions(Optional.ofNullable(caFile), certificate, key, insecure, serverName, provider);
    }

    public TlsOptions withCertificate(Path newCertificate, Path newKey) {
        return new TlsOptions(trustedCertificates, Optional.ofNullable(newCertificate), Optional.ofNullable(newKey),
                insecure, serverName, provider);
    }

    public TlsOptions withInsecure(boolean newInsecure) {
        return new TlsOptions(trustedCertificates, certificate, key, newInsecure, serverName, provider);
    }

    public TlsOptions withServerName(String newServerName) {
        return new TlsOptions(trustedCertificates, certificate, key, insecure, Optional.ofNullable(newServerName),
                provider);
    }

    public TlsOptions withProvider(TlsProvider newProvider) {
        return new TlsOptions(trustedCertificates, certificate, key, insecure, serverName, newProvider);
    }
}
