package io.echoack.server.tls;

import io.echoack.common.tls.TlsProvider;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * How the server's {@code tls://} listeners do TLS: the certificate chain and private key they present, the
 * CA that client certificates must be signed by (when set, every client must present one: mutual TLS), the
 * TLS engine, and how long a client gets to finish its handshake. Only paths here: the files are read, and
 * the TLS context is built, once when the server starts. All TLS listeners of a server share these settings.
 *
 * @param certificate      PEM certificate chain, the server's own certificate first ({@code --tls-cert})
 * @param key              PEM PKCS#8 private key of that certificate ({@code --tls-key})
 * @param keyPassword      the key's password, when the key is encrypted ({@code --tls-key-password})
 * @param clientCa         PEM CA certificates; when set, clients must present a certificate signed by one of
 *                         them, or the handshake fails ({@code --tls-client-ca})
 * @param provider         the TLS engine: OpenSSL (BoringSSL) or the JDK's; AUTO prefers OpenSSL
 * @param handshakeTimeout how long a connection may take to complete its TLS handshake before it is closed;
 *                         a peer that connects and never handshakes holds a connection this long at most
 */
public record TlsSettings(Optional<Path> certificate, Optional<Path> key, Optional<String> keyPassword,
                          Optional<Path> clientCa, TlsProvider provider, Duration handshakeTimeout) {

    /** 10 s: ample for a handshake across the world, short enough that silent peers do not pile up. */
    public static final Duration DEFAULT_HANDSHAKE_TIMEOUT = Duration.ofSeconds(10);
    /** Longest handshake timeout accepted by configuration. */
    public static final Duration MAX_HANDSHAKE_TIMEOUT = Duration.ofMinutes(5);

    public TlsSettings {
        Objects.requireNonNull(certificate, "certificate");
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(keyPassword, "keyPassword");
        Objects.requireNonNull(clientCa, "clientCa");
        Objects.requireNonNull(provider, "provider");
        Objects.requireNonNull(handshakeTimeout, "handshakeTimeout");
        if (certificate.isPresent() != key.isPresent()) {
            throw new IllegalArgumentException("tls: a certificate and its key go together: the "
                    + (certificate.isPresent() ? "key" : "certificate") + " is missing");
        }
        if (keyPassword.isPresent() && key.isEmpty()) {
            throw new IllegalArgumentException("tls: a key password is set, but there is no key");
        }
        if (clientCa.isPresent() && certificate.isEmpty()) {
            throw new IllegalArgumentException("tls: a client CA needs the server's own certificate and key");
        }
        if (handshakeTimeout.isNegative() || handshakeTimeout.isZero()
                || handshakeTimeout.compareTo(MAX_HANDSHAKE_TIMEOUT) > 0) {
            throw new IllegalArgumentException("tls: handshakeTimeout must be > 0 and at most 5m, was "
                    + handshakeTimeout);
        }
    }

    /** No certificate: the server has no TLS listeners. */
    public static TlsSettings none() {
        return new TlsSettings(Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(),
                TlsProvider.AUTO, DEFAULT_HANDSHAKE_TIMEOUT);
    }

    /** A certificate chain and its (unencrypted) key, with the defaults otherwise: no client certificates. */
    public static TlsSettings of(Path certificate, Path key) {
        return none().withCertificate(certificate, key);
    }

    /** True when a certificate and key are set, so that {@code tls://} listeners can be served. */
    public boolean isConfigured() {
        return certificate.isPresent();
    }

    /** True when clients must present a certificate signed by {@link #clientCa}. */
    public boolean requiresClientCertificates() {
        return clientCa.isPresent();
    }

    public TlsSettings withCertificate(Path newCertificate, Path newKey) {
        return new TlsSettings(Optional.of(newCertificate), Optional.of(newKey), keyPassword, clientCa, provider,
                handshakeTimeout);
    }

    public TlsSettings withKeyPassword(String newKeyPassword) {
        return new TlsSettings(certificate, key, Optional.ofNullable(newKeyPassword), clientCa, provider,
                handshakeTimeout);
    }

    public TlsSettings withClientCa(Path newClientCa) {
        return new TlsSettings(certificate, key, keyPassword, Optional.ofNullable(newClientCa), provider,
                handshakeTimeout);
    }

    public TlsSettings withProvider(TlsProvider newProvider) {
        return new TlsSettings(certificate, key, keyPassword, clientCa, newProvider, handshakeTimeout);
    }

    public TlsSettings withHandshakeTimeout(Duration newHandshakeTimeout) {
        return new TlsSettings(certificate, key, keyPassword, clientCa, provider, newHandshakeTimeout);
    }

    /** Never shows the key password. */
    @Override
    public String toString() {
        return "TlsSettings[certificate=" + certificate.orElse(null) + ", key=" + key.orElse(null)
                + ", keyPassword=" + (keyPassword.isPresent() ? "(set)" : "(none)") + ", clientCa="
                + clientCa.orElse(null) + ", provider=" + provider + ", handshakeTimeout=" + handshakeTimeout + "]";
    }
}
