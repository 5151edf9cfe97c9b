package io.echoack.server.tls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.echoack.common.testing.TestPki;
import io.echoack.common.tls.TlsProvider;
import io.echoack.server.startup.ServerStartException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What a reload of the TLS files reports and keeps (the connections' side is ConfigFileIT). */
class ServerTlsReloadTest {

    @TempDir
    static Path dir;

    static TestPki pki;

    @BeforeAll
    static void certificates() {
        pki = TestPki.create(dir.resolve("pki"));
    }

    private static TlsSettings live(Path cert, Path key) throws Exception {
        Files.copy(pki.serverCert(), cert, StandardCopyOption.REPLACE_EXISTING);
        Files.copy(pki.serverKey(), key, StandardCopyOption.REPLACE_EXISTING);
        return TlsSettings.of(cert, key).withProvider(TlsProvider.JDK);
    }

    @Test
    void theSameFilesChangeNothingAndRotatedOnesAreOneLine() throws Exception {
        Path cert = dir.resolve("a.pem");
        Path key = dir.resolve("a.key");
        TlsSettings settings = live(cert, key);
        ServerTls tls = ServerTls.load(settings);
        assertEquals(List.of(), tls.reload(settings));
        Files.copy(pki.otherServerCert(), cert, StandardCopyOption.REPLACE_EXISTING);
        Files.copy(pki.otherServerKey(), key, StandardCopyOption.REPLACE_EXISTING);
        List<String> changes = tls.reload(settings);
        assertEquals(1, changes.size(), changes::toString);
        assertTrue(changes.get(0).matches("certificate CN=localhost \\(serial \\p{XDigit}+, valid until [0-9-]+\\) -> "
                + "CN=localhost \\(serial \\p{XDigit}+, valid until [0-9-]+\\)"), changes.get(0));
        assertEquals(List.of("handshakeTimeout PT10S -> PT5S"),
                tls.reload(settings.withHandshakeTimeout(Duration.ofSeconds(5))));
    }

    @Test
    void aFileThatDoesNotReadKeepsTheContextInUse() throws Exception {
        Path cert = dir.resolve("b.pem");
        Path key = dir.resolve("b.key");
        TlsSettings settings = live(cert, key);
        ServerTls tls = ServerTls.load(settings);
        String before = tls.describe().toString();
        Files.writeString(key, "-----BEGIN PRIVATE KEY-----\nhalf written");
        ServerStartException e = assertThrows(ServerStartException.class, () -> tls.reload(settings));
        assertTrue(e.getMessage().contains(key.toString()), e.getMessage());
        assertEquals(before, tls.describe().toString());
        Files.copy(pki.otherServerKey(), key, StandardCopyOption.REPLACE_EXISTING);
        assertTrue(assertThrows(ServerStartException.class, () -> tls.reload(settings)).getMessage()
                .contains("does not belong"), "a key that is not the certificate's");
    }

    @Test
    void anotherProviderNeedsARestart() throws Exception {
        TlsSettings settings = live(dir.resolve("c.pem"), dir.resolve("c.key"));
        ServerTls tls = ServerTls.load(settings);
        assertEquals("tls: the provider cannot change without a restart (jdk -> openssl)",
                assertThrows(IllegalArgumentException.class,
                        () -> tls.reload(settings.withProvider(TlsProvider.OPENSSL))).getMessage());
    }
}
