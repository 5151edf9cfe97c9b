package io.echoack.common.tls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.handler.ssl.SslProvider;
import org.junit.jupiter.api.Test;

class TlsProviderTest {

    @Test
    void parsesNamesInAnyCase() {
        assertEquals(TlsProvider.OPENSSL, TlsProvider.parse("OpenSSL"));
        assertEquals(TlsProvider.OPENSSL, TlsProvider.parse("boringssl"));
        assertEquals(TlsProvider.JDK, TlsProvider.parse(" jdk "));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> TlsProvider.parse("nss"));
        assertEquals("unknown TLS provider 'nss' (expected auto, openssl or jdk)", e.getMessage());
    }

    @Test
    void jdkIsAlwaysThere() {
        TlsProviderSelection jdk = TlsProvider.select(TlsProvider.JDK);
        assertEquals(TlsProvider.JDK, jdk.provider());
        assertEquals("requested with --tls-provider jdk", jdk.reason());
        assertEquals(SslProvider.JDK, TlsProvider.JDK.sslProvider());
        assertNull(TlsProvider.JDK.unavailabilityCause());
    }

    @Test
    void autoPrefersOpensslAndSaysWhyNot() {
        TlsProviderSelection auto = TlsProvider.select(TlsProvider.AUTO);
        if (TlsProvider.OPENSSL.isAvailable()) {
            assertEquals(TlsProvider.OPENSSL, auto.provider());
            assertEquals(TlsProvider.OPENSSL, TlsProvider.select(TlsProvider.OPENSSL).provider());
        } else {
            assertEquals(TlsProvider.JDK, auto.provider());
            assertTrue(auto.reason().startsWith("openssl is unavailable: "), auto.reason());
            TlsProviderUnavailableException e = assertThrows(TlsProviderUnavailableException.class,
                    () -> TlsProvider.select(TlsProvider.OPENSSL));
            assertTrue(e.getMessage().endsWith("(use --tls-provider auto or jdk)"), e.getMessage());
        }
        assertThrows(IllegalStateException.class, () -> TlsProvider.AUTO.sslProvider());
    }
}
