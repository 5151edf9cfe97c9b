package io.echoack.common.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.openssl.jcajce.JceOpenSSLPKCS8EncryptorBuilder;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * Throwaway certificates for the TLS tests, made at test time and written as PEM files into a directory
 * (a {@code @TempDir}): a CA with a server certificate (SAN IP 127.0.0.1, IP ::1, DNS localhost) and a client
 * certificate; a second, unrelated CA with its own server and client certificates; and a server certificate
 * of the first CA for a name that is not this host. Keys are EC P-256 (fast to make), stored as unencrypted
 * PKCS#8. Nothing here is ever trusted outside the test that made it.
 */
public final class TestPki {

    /** The DNS name in {@link #wrongNameCert()}: a valid certificate, for a host that is not this one. */
    public static final String WRONG_NAME = "not-this-host.example";

    /** Only to encrypt keys in tests (the JDK has no AES/CBC/PKCS7Padding); never registered globally. */
    private static final java.security.Provider BOUNCY_CASTLE =
            new org.bouncycastle.jce.provider.BouncyCastleProvider();
    private static final AtomicLong SERIALS = new AtomicLong(System.currentTimeMillis());

    private final Path dir;

    private TestPki(Path dir) {
        this.dir = dir;
    }

    /** Makes every certificate and key and writes them into {@code dir}. */
    public static TestPki create(Path dir) {
        try {
            Files.createDirectories(dir);
            Issued ca = selfSignedCa("CN=echoack test CA");
            Issued otherCa = selfSignedCa("CN=echoack unrelated CA");
            TestPki pki = new TestPki(dir);
            pki.write("ca", ca);
            pki.write("other-ca", otherCa);
            pki.write("server", issue(ca, "CN=localhost", true, "localhost", "127.0.0.1", "::1"));
            pki.write("client", issue(ca, "CN=echoack test client", false));
            pki.write("other-server", issue(otherCa, "CN=localhost", true, "localhost", "127.0.0.1", "::1"));
            pki.write("other-client", issue(otherCa, "CN=echoack unrelated client", false));
            pki.write("wrong-name", issue(ca, "CN=" + WRONG_NAME, true, WRONG_NAME));
            return pki;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (GeneralSecurityException | OperatorCreationException e) {
            throw new IllegalStateException("cannot make test certificates", e);
        }
    }

    public Path dir() {
        return dir;
    }

    /** The CA that signed the server and client certificates. */
    public Path caCert() {
        return dir.resolve("ca.pem");
    }

    /** A CA that signed nothing the tests trust. */
    public Path otherCaCert() {
        return dir.resolve("other-ca.pem");
    }

    public Path serverCert() {
        return dir.resolve("server.pem");
    }

    public Path serverKey() {
        return dir.resolve("server.key");
    }

    public Path clientCert() {
        return dir.resolve("client.pem");
    }

    public Path clientKey() {
        return dir.resolve("client.key");
    }

    /** A server certificate signed by the unrelated CA. */
    public Path otherServerCert() {
        return dir.resolve("other-server.pem");
    }

    public Path otherServerKey() {
        return dir.resolve("other-server.key");
    }

    /** A client certificate signed by the unrelated CA. */
    public Path otherClientCert() {
        return dir.resolve("other-client.pem");
    }

    public Path otherClientKey() {
        return dir.resolve("other-client.key");
    }

    /** A server certificate of the right CA, for {@link #WRONG_NAME} only. */
    public Path wrongNameCert() {
        return dir.resolve("wrong-name.pem");
    }

    public Path wrongNameKey() {
        return dir.resolve("wrong-name.key");
    }

    /** Writes {@code key} encrypted with {@code password} (PKCS#8, PBES2 with AES-256-CBC) to {@code file}. */
    public static void writeEncryptedKey(PrivateKey key, char[] password, Path file) {
        try (JcaPEMWriter writer = new JcaPEMWriter(Files.newBufferedWriter(file, StandardCharsets.US_ASCII))) {
            writer.writeObject(new JcaPKCS8Generator(key, new JceOpenSSLPKCS8EncryptorBuilder(
                    org.bouncycastle.openssl.PKCS8Generator.AES_256_CBC).setProvider(BOUNCY_CASTLE).setPassword(password)
                    .build()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (OperatorCreationException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A PEM block: {@code -----BEGIN label-----}, Base64 in 64-character lines, {@code -----END label-----}. */
    public static String pem(String label, byte[] der) {
        return "-----BEGIN " + label + "-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der)
                + "\n-----END " + label + "-----\n";
    }

    private void write(String name, Issued issued) throws IOException, GeneralSecurityException {
        Files.writeString(dir.resolve(name + ".pem"), pem("CERTIFICATE", issued.certificate.getEncoded()),
                StandardCharsets.US_ASCII);
        Files.writeString(dir.resolve(name + ".key"), pem("PRIVATE KEY", issued.keys.getPrivate().getEncoded()),
                StandardCharsets.US_ASCII);
    }

    private record Issued(KeyPair keys, X509Certificate certificate) {
    }

    private static KeyPair newKeyPair() throws GeneralSecurityException {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"), new SecureRandom());
        return generator.generateKeyPair();
    }

    private static Issued selfSignedCa(String subject) throws GeneralSecurityException, OperatorCreationException,
            IOException {
        KeyPair keys = newKeyPair();
        X500Name name = new X500Name(subject);
        X509v3CertificateBuilder builder = builder(name, name, keys)
                .addExtension(Extension.basicConstraints, true, new BasicConstraints(0))
                .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
        return new Issued(keys, sign(builder, keys.getPrivate()));
    }

    private static Issued issue(Issued ca, String subject, boolean server, String... names)
            throws GeneralSecurityException, OperatorCreationException, IOException {
        KeyPair keys = newKeyPair();
        X500Name issuer = X500Name.getInstance(ca.certificate.getSubjectX500Principal().getEncoded());
        X509v3CertificateBuilder builder = builder(issuer, new X500Name(subject), keys)
                .addExtension(Extension.basicConstraints, true, new BasicConstraints(false))
                .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature))
                .addExtension(Extension.extendedKeyUsage, false,
                        new ExtendedKeyUsage(server ? KeyPurposeId.id_kp_serverAuth : KeyPurposeId.id_kp_clientAuth));
        if (names.length > 0) {
            List<GeneralName> alternatives = new ArrayList<>();
            for (String n : names) {
                boolean ip = n.contains(":") || n.chars().allMatch(c -> c == '.' || Character.isDigit(c));
                alternatives.add(new GeneralName(ip ? GeneralName.iPAddress : GeneralName.dNSName, n));
            }
            builder.addExtension(Extension.subjectAlternativeName, false,
                    new GeneralNames(alternatives.toArray(new GeneralName[0])));
        }
        return new Issued(keys, sign(builder, ca.keys.getPrivate()));
    }

    private static X509v3CertificateBuilder builder(X500Name issuer, X500Name subject, KeyPair keys) {
        Instant now = Instant.now();
        return new JcaX509v3CertificateBuilder(issuer, BigInteger.valueOf(SERIALS.incrementAndGet()),
                Date.from(now.minus(Duration.ofHours(1))), Date.from(now.plus(Duration.ofDays(2))), subject,
                keys.getPublic());
    }

    private static X509Certificate sign(X509v3CertificateBuilder builder, PrivateKey issuerKey)
            throws OperatorCreationException, GeneralSecurityException {
        ContentSigner signer = new JcaContentSignerBuilder("SHA256withECDSA").build(issuerKey);
        return new JcaX509CertificateConverter().getCertificate(builder.build(signer));
    }
}
