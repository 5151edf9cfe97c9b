package io.echoack.server.binding;

import java.nio.channels.UnresolvedAddressException;
import java.nio.file.AccessDeniedException;
import java.util.Locale;

/** How a failed bind reads to the user: the OS's reason, without the exception class noise. */
public final class BindFailure {

    /** The reason when another socket holds the address and port. */
    public static final String IN_USE = "address already in use";
    /** The reason when the address is not (or not yet) one of this machine's. */
    public static final String NOT_AVAILABLE = "address not available on this machine";

    private BindFailure() {
    }

    /** A user-facing reason for a failed bind. */
    public static String reason(Throwable cause) {
        String message = String.valueOf(cause.getMessage());
        String m = message.toLowerCase(Locale.ROOT);
        if (m.contains("address already in use")) {
            return IN_USE;
        }
        if (m.contains("permission denied") || cause instanceof AccessDeniedException) {
            return "permission denied";
        }
        if (m.contains("cannot assign requested address")) {
            return NOT_AVAILABLE;
        }
        if (cause instanceof UnresolvedAddressException) {
            return "unknown host";
        }
        int failed = message.indexOf("failed: ");
        return failed >= 0 ? message.substring(failed + "failed: ".length()) : message;
    }
}
