package io.echoack.common.testing;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Runs a command in a new network namespace of its own, as in a container without a network: only a
 * loopback interface (brought up when {@code ip} is there), which has no hardware address. Uses
 * {@code unshare -rn} (an unprivileged user namespace) or, as root, {@code unshare -n}.
 */
public final class NetworkNamespace {

    private static final String SHELL_SCRIPT = "ip link set lo up 2>/dev/null; exec \"$@\"";

    private NetworkNamespace() {
    }

    /**
     * The prefix that runs a command in a new network namespace, or empty when this machine cannot make one
     * (no {@code unshare}, or user namespaces and root both unavailable); {@link #unavailableReason()} says why.
     */
    public static Optional<List<String>> prefix() {
        for (List<String> unshare : List.of(List.of("unshare", "-rn"), List.of("unshare", "-n"))) {
            List<String> probe = new ArrayList<>(unshare);
            probe.add("true");
            if (succeeds(probe)) {
                List<String> prefix = new ArrayList<>(unshare);
                prefix.addAll(List.of("sh", "-c", SHELL_SCRIPT, "sh"));
                return Optional.of(prefix);
            }
        }
        return Optional.empty();
    }

    /** Why {@link #prefix()} is empty, for a test's skip message. */
    public static String unavailableReason() {
        return "cannot make a network namespace here: neither 'unshare -rn' (user namespaces) nor 'unshare -n' "
                + "(root) works";
    }

    /** {@code command} prefixed to run in a new network namespace; empty as {@link #prefix()}. */
    public static Optional<List<String>> wrap(List<String> command) {
        return prefix().map(prefix -> {
            List<String> wrapped = new ArrayList<>(prefix);
            wrapped.addAll(command);
            return wrapped;
        });
    }

    private static boolean succeeds(List<String> command) {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            p.getOutputStream().close();
            p.getInputStream().readAllBytes();
            if (!p.waitFor(10, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return false;
            }
            return p.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
