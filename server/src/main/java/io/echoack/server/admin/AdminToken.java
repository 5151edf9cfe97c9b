package io.echoack.server.admin;

import static io.echoack.common.text.FieldMessage.field;

import io.echoack.common.text.FieldMessage;
import io.echoack.server.startup.ServerStartException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.regex.Pattern;

/**
 * The bearer token that authorises state changes on the admin endpoint, read from its file at startup and on
 * each reload. Only a
 * SHA-256 digest of it is kept, and a presented token is compared digest to digest with
 * {@link MessageDigest#isEqual} (constant time, and equal lengths, so neither the content nor the length of
 * the token leaks through timing). Neither the token nor any part of it is ever logged or put in a message.
 */
public final class AdminToken {

    /** Shortest token accepted: 16 characters (e.g. {@code openssl rand -hex 32} makes 64). */
    public static final int MIN_LENGTH = 16;
    /** Longest token file read, in bytes. */
    public static final int MAX_FILE_BYTES = 4096;
    /** RFC 6750's b64token: what a {@code Bearer} credential may hold. */
    private static final Pattern B64TOKEN = Pattern.compile("[A-Za-z0-9._~+/-]+=*");

    private final byte[] digest;

    private AdminToken(byte[] digest) {
        this.digest = digest;
    }

    /** A token held in memory (tests and embedders); the same rules as a file's. */
    public static AdminToken of(String token) {
        String problem = problem(token);
        if (problem != null) {
            throw new IllegalArgumentException("the admin token " + problem);
        }
        return new AdminToken(sha256(token));
    }

    /**
     * Reads the token from {@code file}: its content with surrounding whitespace (a trailing newline) removed.
     *
     * @throws ServerStartException naming the field {@code tokenFile} and the file, and saying what is wrong
     *                              (never quoting the file's content)
     */
    public static AdminToken read(Path file) throws ServerStartException {
        byte[] bytes;
        try (InputStream in = Files.newInputStream(file)) {
            bytes = in.readNBytes(MAX_FILE_BYTES + 1);
        } catch (NoSuchFileException e) {
            throw failure(file, "cannot read " + file + ": no such file", e);
        } catch (AccessDeniedException e) {
            throw failure(file, "cannot read " + file + ": permission denied", e);
        } catch (IOException e) {
            String why = Files.isDirectory(file) ? "it is a directory" : String.valueOf(e.getMessage());
            throw failure(file, "cannot read " + file + ": " + why, e);
        }
        if (bytes.length > MAX_FILE_BYTES) {
            throw failure(file, file + " is longer than " + MAX_FILE_BYTES + " bytes; a token file holds one token",
                    null);
        }
        String token = new String(bytes, StandardCharsets.UTF_8).strip();
        String problem = problem(token);
        if (problem != null) {
            throw failure(file, "the token in " + file + " " + problem, null);
        }
        return new AdminToken(sha256(token));
    }

    /** Whether {@code presented} is this token, compared in constant time. */
    public boolean matches(String presented) {
        return MessageDigest.isEqual(digest, sha256(presented));
    }

    /** What is wrong with {@code token} as a bearer token, or null; never quotes it. */
    private static String problem(String token) {
        if (token.isEmpty()) {
            return "is empty";
        }
        if (!B64TOKEN.matcher(token).matches()) {
            return "must be one word of letters, digits and -._~+/ (a bearer token), e.g. from: openssl rand -hex 32";
        }
        if (token.length() < MIN_LENGTH) {
            return "is " + token.length() + " characters long; use at least " + MIN_LENGTH
                    + ", e.g. from: openssl rand -hex 32";
        }
        return null;
    }

    private static ServerStartException failure(Path file, String problem, Throwable cause) {
        return new ServerStartException(FieldMessage.of(field("tokenFile"), ": ", problem), cause);
    }

    private static byte[] sha256(String text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }

    /** Whether {@code other} is the same token (compared by digest, in constant time). */
    public boolean sameAs(AdminToken other) {
        return MessageDigest.isEqual(digest, other.digest);
    }

    /** Never the token. */
    @Override
    public String toString() {
        return "AdminToken[redacted]";
    }
}
