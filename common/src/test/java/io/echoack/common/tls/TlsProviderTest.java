package io.echoack.common.tls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.handler.ssl.SslProvider;
import java.util.Set;
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
        assertEquals("requested with provider jdk", jdk.reason().toString());
        assertEquals("requested with --tls-provider jdk", jdk.reason().render(f -> "--tls-provider"));
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
            assertTrue(auto.reason().toString().startsWith("openssl is unavailable: "), auto.reason()::toString);
            TlsProviderUnavailableException e = assertThrows(TlsProviderUnavailableException.class,
                    () -> TlsProvider.select(TlsProvider.OPENSSL));
            assertTrue(e.getMessage().endsWith("(use provider auto or jdk)"), e.getMessage());
        }
        assertThrows(IllegalStateException.class, () -> TlsProvider.AUTO.sslProvider());
    }

    @Test
    void aLibraryCallerIsToldWhichFieldToChangeNotAFlag() {
        TlsProviderUnavailableException e = new TlsProviderUnavailableException(
                new UnsatisfiedLinkError("no netty_tcnative"));
        assertEquals("TLS provider openssl is not available here: UnsatisfiedLinkError: no netty_tcnative "
                + "(use provider auto or jdk)", e.getMessage());
        assertEquals(Set.of("provider"), e.fieldMessage().orElseThrow().fields());
        assertEquals("TLS provider openssl is not available here: UnsatisfiedLinkError: no netty_tcnative "
                + "(use --tls-provider auto or jdk)", e.fieldMessage().orElseThrow().render(f -> "--tls-provider"));
    }
}
