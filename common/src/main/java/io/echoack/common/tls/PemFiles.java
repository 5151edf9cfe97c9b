package io.echoack.common.tls;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.AlgorithmParameters;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.crypto.Cipher;
import javax.crypto.EncryptedPrivateKeyInfo;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;

/**
 * Reads the PEM files of a TLS setup (a certificate chain, its private key, trusted CA certificates), with one
 * clear message per problem that names the file: missing or unreadable, not PEM, the wrong kind of PEM (with the
 * command that converts it), a wrong password, a key that does not belong to its certificate. Keys must be
 * PKCS#8 ({@code BEGIN PRIVATE KEY}, or {@code BEGIN ENCRYPTED PRIVATE KEY} with a password), which is what
 * {@code openssl req -newkey} and {@code openssl genpkey} write; RSA, EC and EdDSA keys are read.
 *
 * <p>Everything is read once, at startup, with the JDK alone (no Netty, no BouncyCastle), so the same file
 * reads the same whichever TLS provider is used afterwards.
 */
public final class PemFiles {

    private static final Pattern BLOCK = Pattern.compile(
            "-----BEGIN ([A-Z0-9 ]+)-----([A-Za-z0-9+/=\\s]*?)-----END \\1-----");
    private static final String[] KEY_ALGORITHMS = {"RSA", "EC", "Ed25519", "Ed448", "RSASSA-PSS", "DSA"};
    private static final String PBES2_OID = "1.2.840.113549.1.5.13";

    private PemFiles() {
    }

    /**
     * Reads every certificate of a PEM file, in file order (for a chain: the leaf first).
     *
     * @throws IllegalArgumentException naming the file, when it cannot be read or holds no valid certificate
     */
    public static List<X509Certificate> readCertificates(Path file) {
        List<byte[]> blocks = blocks(file, read(file), "CERTIFICATE");
        if (blocks.isEmpty()) {
            throw new IllegalArgumentException(file + " holds no PEM certificate (expected '-----BEGIN "
                    + "CERTIFICATE-----')");
        }
        List<X509Certificate> certificates = new ArrayList<>(blocks.size());
        try {
            CertificateFactory factory = CertificateFactory.getInstance("X.509");
            for (byte[] der : blocks) {
                certificates.add((X509Certificate) factory.generateCertificate(new ByteArrayInputStream(der)));
            }
        } catch (CertificateException e) {
            throw new IllegalArgumentException(file + " holds a certificate that cannot be parsed: " + e.getMessage(),
                    e);
        }
        return List.copyOf(certificates);
    }

    /**
     * Reads the PKCS#8 private key of a PEM file.
     *
     * @param password the password of an encrypted key ({@code BEGIN ENCRYPTED PRIVATE KEY}); null for none
     * @throws IllegalArgumentException naming the file, when it cannot be read, holds no PKCS#8 key (the
     *                                  message says how to convert PKCS#1 and SEC1 keys), or the password is
     *                                  missing or wrong
     */
    public static PrivateKey readPrivateKey(Path file, char[] password) {
        String text = read(file);
        List<byte[]> plain = blocks(file, text, "PRIVATE KEY");
        List<byte[]> encrypted = blocks(file, text, "ENCRYPTED PRIVATE KEY");
        if (plain.size() + encrypted.size() > 1) {
            throw new IllegalArgumentException(file + " holds more than one private key");
        }
        if (!plain.isEmpty()) {
            return decode(file, plain.get(0));
        }
        if (!encrypted.isEmpty()) {
            if (password == null) {
                throw new IllegalArgumentException(file + " holds an encrypted private key, and no password was "
                        + "given for it");
            }
            return decode(file, decrypt(file, encrypted.get(0), password));
        }
        for (String legacy : new String[] {"RSA", "EC", "DSA"}) {
            if (text.contains("-----BEGIN " + legacy + " PRIVATE KEY-----")) {
                throw new IllegalArgumentException(file + " holds " + (legacy.equals("DSA") ? "a " : "an ") + legacy
                        + " key in the old '" + legacy + " PRIVATE KEY' format; convert it to PKCS#8 with: "
                        + "openssl pkcs8 -topk8 -nocrypt -in " + file + " -out key.pem");
            }
        }
        throw new IllegalArgumentException(file + " holds no PEM private key (expected '-----BEGIN PRIVATE "
                + "KEY-----')");
    }

    /**
     * Checks that {@code key} belongs to {@code certificate}: signs a random challenge with the key and
     * verifies it with the certificate's public key. Key types this cannot sign with pass unchecked.
     *
     * @return true when they match, or when the key type cannot be checked
     */
    public static boolean belongTogether(PrivateKey key, X509Certificate certificate) {
        String algorithm = switch (key.getAlgorithm()) {
            case "RSA" -> "SHA256withRSA";
            case "EC" -> "SHA256withECDSA";
            case "DSA" -> "SHA256withDSA";
            case "Ed25519", "Ed448", "EdDSA" -> key.getAlgorithm();
            default -> null;
        };
        PublicKey publicKey = certificate.getPublicKey();
        if (algorithm == null) {
            return true;
        }
        if (!publicKey.getAlgorithm().equals(key.getAlgorithm())) {
            return false;
        }
        try {
            byte[] challenge = new byte[32];
            new SecureRandom().nextBytes(challenge);
            Signature signer = Signature.getInstance(algorithm);
            signer.initSign(key);
            signer.update(challenge);
            byte[] signature = signer.sign();
            Signature verifier = Signature.getInstance(algorithm);
            verifier.initVerify(publicKey);
            verifier.update(challenge);
            return verifier.verify(signature);
        } catch (GeneralSecurityException e) {
            return false;
        }
    }

    private static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.US_ASCII);
        } catch (NoSuchFileException e) {
            throw new IllegalArgumentException("cannot read " + file + ": no such file", e);
        } catch (AccessDeniedException e) {
            throw new IllegalArgumentException("cannot read " + file + ": permission denied", e);
        } catch (java.nio.charset.MalformedInputException e) {
            throw new IllegalArgumentException(file + " is not a PEM file (it holds non-ASCII bytes; DER files "
                    + "convert with: openssl x509 -inform der -in " + file + ")", e);
        } catch (IOException e) {
            String why = Files.isDirectory(file) ? "it is a directory" : String.valueOf(e.getMessage());
            throw new IllegalArgumentException("cannot read " + file + ": " + why, e);
        }
    }

    /** The decoded bodies of every {@code -----BEGIN label-----} block. */
    private static List<byte[]> blocks(Path file, String text, String label) {
        List<byte[]> blocks = new ArrayList<>();
        Matcher m = BLOCK.matcher(text);
        while (m.find()) {
            if (m.group(1).equals(label)) {
                try {
                    blocks.add(Base64.getMimeDecoder().decode(m.group(2)));
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException(file + " has a '" + label + "' block that is not valid "
                            + "Base64", e);
                }
            }
        }
        return blocks;
    }

    private static PrivateKey decode(Path file, byte[] pkcs8) {
        PKCS8EncodedKeySpec spec = new PKCS8EncodedKeySpec(pkcs8);
        for (String algorithm : KEY_ALGORITHMS) {
            try {
                return KeyFactory.getInstance(algorithm).generatePrivate(spec);
            } catch (GeneralSecurityException e) {
                // not this algorithm: try the next one
            }
        }
        throw new IllegalArgumentException(file + " holds a private key that cannot be read (not an RSA, EC or "
                + "EdDSA key in PKCS#8)");
    }

    private static byte[] decrypt(Path file, byte[] der, char[] password) {
        try {
            EncryptedPrivateKeyInfo info = new EncryptedPrivateKeyInfo(der);
            AlgorithmParameters parameters = info.getAlgParameters();
            String algorithm = info.getAlgName();
            if (algorithm.equals("PBES2") || algorithm.equals(PBES2_OID)) {
                algorithm = parameters.toString(); // e.g. PBEWithHmacSHA256AndAES_256
            }
            Cipher cipher = Cipher.getInstance(algorithm);
            cipher.init(Cipher.DECRYPT_MODE, SecretKeyFactory.getInstance(algorithm)
                    .generateSecret(new PBEKeySpec(password)), parameters);
            return info.getKeySpec(cipher).getEncoded();
        } catch (java.security.spec.InvalidKeySpecException e) {
            throw new IllegalArgumentException(file + ": wrong password for the encrypted private key", e);
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalArgumentException(file + ": cannot decrypt the private key (" + e.getMessage()
                    + "); re-encrypt it with: openssl pkcs8 -topk8 -v2 aes-256-cbc -in " + file, e);
        }
    }
}
