package io.echoack.common.tls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.echoack.common.testing.TestPki;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PemFilesTest {

    @TempDir
    static Path dir;

    static TestPki pki;

    @BeforeAll
    static void certificates() {
        pki = TestPki.create(dir.resolve("pki"));
    }

    private static IllegalArgumentException fails(Runnable r) {
        return assertThrows(IllegalArgumentException.class, r::run);
    }

    @Test
    void readsCertificatesAndTheirKeys() {
        List<X509Certificate> chain = PemFiles.readCertificates(pki.serverCert());
        assertEquals(1, chain.size());
        assertEquals("CN=localhost", chain.get(0).getSubjectX500Principal().getName());
        PrivateKey key = PemFiles.readPrivateKey(pki.serverKey(), null);
        assertEquals("EC", key.getAlgorithm());
        assertTrue(PemFiles.belongTogether(key, chain.get(0)));
        assertFalse(PemFiles.belongTogether(PemFiles.readPrivateKey(pki.clientKey(), null), chain.get(0)));
    }

    @Test
    void readsAChainInFileOrder() throws Exception {
        Path chain = dir.resolve("chain.pem");
        Files.writeString(chain, "subject=leaf\n" + Files.readString(pki.serverCert()) + Files.readString(pki.caCert()));
        List<X509Certificate> certificates = PemFiles.readCertificates(chain);
        assertEquals(2, certificates.size());
        assertEquals("CN=echoack test CA", certificates.get(1).getSubjectX500Principal().getName());
    }

    @Test
    void readsRsaKeys() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        KeyPair rsa = generator.generateKeyPair();
        Path file = dir.resolve("rsa.key");
        Files.writeString(file, TestPki.pem("PRIVATE KEY", rsa.getPrivate().getEncoded()));
        assertEquals("RSA", PemFiles.readPrivateKey(file, null).getAlgorithm());
    }

    @Test
    void readsEncryptedKeysWithTheirPassword() {
        PrivateKey key = PemFiles.readPrivateKey(pki.serverKey(), null);
        Path file = dir.resolve("encrypted.key");
        TestPki.writeEncryptedKey(key, "s3cret".toCharArray(), file);
        assertEquals(key, PemFiles.readPrivateKey(file, "s3cret".toCharArray()));
        assertTrue(fails(() -> PemFiles.readPrivateKey(file, null)).getMessage()
                .contains("holds an encrypted private key, and no password was given"));
        assertEquals(file + ": wrong password for the encrypted private key",
                fails(() -> PemFiles.readPrivateKey(file, "guess".toCharArray())).getMessage());
    }

    @Test
    void missingFilesAndDirectoriesAreNamed() {
        Path missing = dir.resolve("missing.pem");
        assertEquals("cannot read " + missing + ": no such file",
                fails(() -> PemFiles.readCertificates(missing)).getMessage());
        assertEquals("cannot read " + dir + ": it is a directory",
                fails(() -> PemFiles.readPrivateKey(dir, null)).getMessage());
    }

    @Test
    void garbageIsNamedWithWhatWasExpected() throws Exception {
        Path garbage = dir.resolve("garbage.pem");
        Files.writeString(garbage, "this is not a certificate\n");
        assertEquals(garbage + " holds no PEM certificate (expected '-----BEGIN CERTIFICATE-----')",
                fails(() -> PemFiles.readCertificates(garbage)).getMessage());
        assertEquals(garbage + " holds no PEM private key (expected '-----BEGIN PRIVATE KEY-----')",
                fails(() -> PemFiles.readPrivateKey(garbage, null)).getMessage());
        assertTrue(fails(() -> PemFiles.readCertificates(pki.serverKey())).getMessage()
                .endsWith("holds no PEM certificate (expected '-----BEGIN CERTIFICATE-----')"), "a key is no certificate");

        Path corrupt = dir.resolve("corrupt.pem");
        Files.writeString(corrupt, TestPki.pem("CERTIFICATE", "not DER at all".getBytes(StandardCharsets.US_ASCII)));
        assertTrue(fails(() -> PemFiles.readCertificates(corrupt)).getMessage()
                .startsWith(corrupt + " holds a certificate that cannot be parsed"));

        Path binary = dir.resolve("cert.der");
        Files.write(binary, new byte[] {0x30, (byte) 0x82, (byte) 0xff, 0x01});
        assertTrue(fails(() -> PemFiles.readCertificates(binary)).getMessage().contains("is not a PEM file"));
    }

    @Test
    void oldKeyFormatsGetTheConversionCommand() throws Exception {
        Path pkcs1 = dir.resolve("pkcs1.key");
        Files.writeString(pkcs1, TestPki.pem("RSA PRIVATE KEY", new byte[] {1, 2, 3}));
        String message = fails(() -> PemFiles.readPrivateKey(pkcs1, null)).getMessage();
        assertTrue(message.contains(pkcs1 + " holds an RSA key in the old 'RSA PRIVATE KEY' format"), message);
        assertTrue(message.contains("openssl pkcs8 -topk8 -nocrypt -in " + pkcs1), message);
    }
}
