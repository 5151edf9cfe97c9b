package io.echoack.server.admin;

import java.util.Objects;

/**
 * Who may change the server's state through the admin endpoint: nobody when control is off, else whoever
 * presents the bearer token. Reading ({@code GET}) needs nothing. The token can be replaced while serving
 * ({@link #replaceToken}), which a configuration reload may use to pick up a rotated secret; control itself
 * is fixed at startup.
 */
public final class AdminAccess {

    /** Why a request that changes state is, or is not, allowed. */
    public enum Verdict {
        ALLOWED,
        /** Control is off: 403. */
        CONTROL_OFF,
        /** No {@code Authorization: Bearer} credential: 401. */
        NO_TOKEN,
        /** A bearer credential that is not the token: 401. */
        WRONG_TOKEN
    }

    private static final String BEARER = "Bearer ";

    private volatile AdminToken token;

    private AdminAccess(AdminToken token) {
        this.token = token;
    }

    /** No control: every request that changes state is refused. */
    public static AdminAccess off() {
        return new AdminAccess(null);
    }

    /** Control for whoever presents {@code token}. */
    public static AdminAccess withToken(AdminToken token) {
        return new AdminAccess(Objects.requireNonNull(token, "token"));
    }

    public boolean controlEnabled() {
        return token != null;
    }

    /**
     * Replaces the token (e.g. re-read from its file on a reload); requests already checked are not affected.
     *
     * @return whether the new token differs from the old one
     * @throws IllegalStateException when control is off: a reload cannot turn it on
     */
    public boolean replaceToken(AdminToken newToken) {
        Objects.requireNonNull(newToken, "newToken");
        if (token == null) {
            throw new IllegalStateException("admin control is off; a token cannot turn it on");
        }
        boolean changed = !token.sameAs(newToken);
        token = newToken;
        return changed;
    }

    /** The verdict on a request with this {@code Authorization} header value (null when absent). */
    public Verdict check(String authorization) {
        AdminToken current = token;
        if (current == null) {
            return Verdict.CONTROL_OFF;
        }
        if (authorization == null || !authorization.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
            return Verdict.NO_TOKEN;
        }
        return current.matches(authorization.substring(BEARER.length()).strip()) ? Verdict.ALLOWED
                : Verdict.WRONG_TOKEN;
    }
}
