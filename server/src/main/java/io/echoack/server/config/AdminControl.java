package io.echoack.server.config;

import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * Whether the admin endpoint may change the server's state at run time ({@code POST /ready}, {@code /unready},
 * {@code PUT} and {@code DELETE /faults}), and the file holding the bearer token such requests must carry.
 * Off by default: an endpoint that can break a service on request is opt-in, and never without a secret. The
 * token itself is read at startup and on each reload ({@code AdminToken}), not here, so that this record stays a value.
 *
 * @param enabled   accept requests that change state (each still needs the token); false: they get 403
 * @param tokenFile the file whose content (surrounding whitespace removed) is the bearer token; required when
 *                  {@code enabled}, and refused when not (a token nobody uses is a mistake, not a policy)
 */
public record AdminControl(boolean enabled, Optional<Path> tokenFile) {

    public AdminControl {
        Objects.requireNonNull(tokenFile, "tokenFile");
        if (enabled && tokenFile.isEmpty()) {
            throw new IllegalArgumentException("adminControl needs a bearer token: set tokenFile");
        }
        if (!enabled && tokenFile.isPresent()) {
            throw new IllegalArgumentException("tokenFile is set but adminControl is off: turn it on or drop the "
                    + "token file");
        }
    }

    /** No run-time control: the admin endpoint only reports. */
    public static AdminControl off() {
        return new AdminControl(false, Optional.empty());
    }

    /** Run-time control, authorised by the token in {@code tokenFile}. */
    public static AdminControl withToken(Path tokenFile) {
        return new AdminControl(true, Optional.of(tokenFile));
    }
}
