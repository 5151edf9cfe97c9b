package io.echoack.common.tls;

/**
 * The TLS provider a process uses and why, so that startup can log both (e.g. "openssl (BoringSSL is
 * available)" or "jdk (openssl is unavailable: UnsatisfiedLinkError: ...)").
 *
 * @param provider the concrete provider, never {@link TlsProvider#AUTO}
 * @param reason   a short human-readable explanation
 */
public record TlsProviderSelection(TlsProvider provider, String reason) {

    public TlsProviderSelection {
        if (provider == null || provider == TlsProvider.AUTO) {
            throw new IllegalArgumentException("provider must be concrete, was " + provider);
        }
        if (reason == null) {
            throw new IllegalArgumentException("reason must not be null");
        }
    }
}
