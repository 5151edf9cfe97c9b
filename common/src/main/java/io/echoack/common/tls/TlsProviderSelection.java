package io.echoack.common.tls;

import io.echoack.common.text.FieldMessage;

/**
 * The TLS provider a process uses and why, so that startup can log both (e.g. "openssl (BoringSSL is
 * available)" or "jdk (openssl is unavailable: UnsatisfiedLinkError: ...)").
 *
 * @param provider the concrete provider, never {@link TlsProvider#AUTO}
 * @param reason   a short explanation; when the provider was asked for, it names the setting by its field
 *                 ({@code requested with provider jdk}), which a CLI renders with its own flag or variable
 */
public record TlsProviderSelection(TlsProvider provider, FieldMessage reason) {

    public TlsProviderSelection {
        if (provider == null || provider == TlsProvider.AUTO) {
            throw new IllegalArgumentException("provider must be concrete, was " + provider);
        }
        if (reason == null) {
            throw new IllegalArgumentException("reason must not be null");
        }
    }
}
