package io.echoack.common.tls;

/** The OpenSSL TLS provider was asked for explicitly but cannot be loaded here; the cause says why. */
public final class TlsProviderUnavailableException extends RuntimeException {

    public TlsProviderUnavailableException(Throwable cause) {
        super("TLS provider openssl is not available here: " + TlsProvider.describe(cause)
                + " (use --tls-provider auto or jdk)", cause);
    }
}
