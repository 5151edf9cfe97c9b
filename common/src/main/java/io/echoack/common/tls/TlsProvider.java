package io.echoack.common.tls;

import static io.echoack.common.text.FieldMessage.field;

import io.echoack.common.text.FieldMessage;
import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.SslProvider;
import java.util.Locale;

/**
 * The TLS engine behind every {@code tls://} connection of a process: {@link #OPENSSL} (BoringSSL, from
 * netty-tcnative, faster and lighter on memory) or {@link #JDK} (the JDK's own SSLEngine, always there).
 * {@link #AUTO} prefers OpenSSL and {@link #select} says why it chose what it chose, so that falling back to
 * the JDK engine is never silent. Chosen once, when a TLS context is built.
 */
public enum TlsProvider {
    /** OpenSSL (BoringSSL) when its native library loads here, else the JDK. */
    AUTO,
    /** BoringSSL through netty-tcnative-boringssl-static. */
    OPENSSL,
    /** The JDK's SSLEngine. */
    JDK;

    /** The name in messages and on command lines: {@code auto}, {@code openssl}, {@code jdk}. */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Parses a provider name (any case; {@code boringssl} means openssl). */
    public static TlsProvider parse(String text) {
        String t = text.trim().toLowerCase(Locale.ROOT);
        if (t.equals("boringssl")) {
            return OPENSSL;
        }
        for (TlsProvider provider : values()) {
            if (provider.id().equals(t)) {
                return provider;
            }
        }
        throw new IllegalArgumentException("unknown TLS provider '" + text + "' (expected auto, openssl or jdk)");
    }

    /** True when this provider can be used in this process (AUTO and JDK always can). */
    public boolean isAvailable() {
        return this != OPENSSL || OpenSsl.isAvailable();
    }

    /** Why this provider cannot be used here, or null when it can. */
    public Throwable unavailabilityCause() {
        return this == OPENSSL ? OpenSsl.unavailabilityCause() : null;
    }

    /**
     * Resolves a requested provider to a concrete, available one.
     *
     * @throws TlsProviderUnavailableException when OpenSSL was asked for explicitly and cannot load
     */
    public static TlsProviderSelection select(TlsProvider requested) {
        if (requested == OPENSSL && !OPENSSL.isAvailable()) {
            throw new TlsProviderUnavailableException(OPENSSL.unavailabilityCause());
        }
        if (requested != AUTO) {
            return new TlsProviderSelection(requested, FieldMessage.of("requested with ", field("provider"), " ",
                    requested.id()));
        }
        if (OPENSSL.isAvailable()) {
            return new TlsProviderSelection(OPENSSL, FieldMessage.of(OpenSsl.versionString() + " is available"));
        }
        return new TlsProviderSelection(JDK,
                FieldMessage.of("openssl is unavailable: " + describe(OPENSSL.unavailabilityCause())));
    }

    /** The Netty provider of a concrete choice. */
    public SslProvider sslProvider() {
        return switch (this) {
            case OPENSSL -> SslProvider.OPENSSL;
            case JDK -> SslProvider.JDK;
            case AUTO -> throw new IllegalStateException("resolve AUTO with TlsProvider.select() first");
        };
    }

    static String describe(Throwable cause) {
        if (cause == null) {
            return "unknown cause";
        }
        Throwable root = cause;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String msg = root.getMessage();
        return root.getClass().getSimpleName() + (msg == null ? "" : ": " + msg);
    }

    @Override
    public String toString() {
        return id();
    }
}
