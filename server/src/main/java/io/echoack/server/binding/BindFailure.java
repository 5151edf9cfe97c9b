package io.echoack.server.binding;

import java.nio.channels.UnresolvedAddressException;
import java.nio.file.AccessDeniedException;
import java.util.Locale;

/** How a failed bind reads to the user: the OS's reason, without the exception class noise. */
public final class BindFailure {

    private BindFailure() {
    }

    /** A user-facing reason for a failed bind. */
    public static String reason(Throwable cause) {
        String message = String.valueOf(cause.getMessage());
        String m = message.toLowerCase(Locale.ROOT);
        if (m.contains("address already in use")) {
            return "address already in use";
        }
        if (m.contains("permission denied") || cause instanceof AccessDeniedException) {
            return "permission denied";
        }
        if (m.contains("cannot assign requested address")) {
            return "address not available on this machine";
        }
        if (cause instanceof UnresolvedAddressException) {
            return "unknown host";
        }
        int failed = message.indexOf("failed: ");
        return failed >= 0 ? message.substring(failed + "failed: ".length()) : message;
    }
}
