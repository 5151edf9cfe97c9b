package io.echoack.common.tls;

import java.util.Objects;

/**
 * A PEM file of the TLS settings could not be used, and which of them it was: so that a command line can say
 * which flag or environment variable named the file, while the libraries know nothing of flags. The
 * {@linkplain #problem() problem} names the file and what is wrong with it; the message puts the
 * {@linkplain Role#label() role} in front of it.
 */
public final class TlsFileException extends IllegalArgumentException {

    /** What the file is for. */
    public enum Role {
        /** The certificate chain presented to the peer. */
        CERTIFICATE("certificate"),
        /** The private key of that certificate. */
        KEY("private key"),
        /** CA certificates that the peer's certificate must be signed by. */
        TRUSTED_CA("CA certificates");

        private final String label;

        Role(String label) {
            this.label = label;
        }

        /** A name for the role in messages, without any flag: {@code certificate}, {@code private key}. */
        public String label() {
            return label;
        }
    }

    private final Role role;
    private final String problem;

    public TlsFileException(Role role, String problem, Throwable cause) {
        super(Objects.requireNonNull(role, "role").label() + ": " + problem, cause);
        this.role = role;
        this.problem = problem;
    }

    /** Which of the TLS files this is. */
    public Role role() {
        return role;
    }

    /** What is wrong, naming the file, without the role: {@code cannot read /etc/x.pem: no such file}. */
    public String problem() {
        return problem;
    }
}
