package io.echoack.common.testing;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.echoack.common.transport.Transport;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * The one source of transports for tests that run on each transport this machine has (parameterised
 * integration tests in every module). A test that built its own list and dropped what is unavailable would
 * pass on NIO alone if the native library failed to load; here, when the environment variable {@code CI} is
 * {@code true} (as {@code .ci/run} sets it), a transport this platform must have being unavailable fails the
 * run, naming the transport and why it did not load. Off CI it is left out (a developer's machine may lack
 * it).
 *
 * <p>What a platform must have: epoll on Linux x86_64 and aarch64 (Netty ships its native library for
 * both), kqueue on macOS. io_uring is never required: kernels may be too old for it, and seccomp profiles
 * (Docker's default among them) and {@code kernel.io_uring_disabled} often forbid it, so it is tested where
 * it loads and skipped elsewhere, on CI too.
 */
public final class TestTransports {

    /** Every concrete transport, native ones first. */
    private static final List<Transport> ALL =
            List.of(Transport.EPOLL, Transport.KQUEUE, Transport.IO_URING, Transport.NIO);

    /** Where the tests run: the operating system, the CPU architecture and whether this is a CI run. */
    record Platform(String osName, String osArch, boolean ci) {

        static Platform current() {
            return new Platform(System.getProperty("os.name", ""), System.getProperty("os.arch", ""),
                    "true".equalsIgnoreCase(String.valueOf(System.getenv("CI")).trim()));
        }

        /** The native transports this platform must have (and that a CI run fails without). */
        Set<Transport> required() {
            String os = osName.toLowerCase(Locale.ROOT);
            String arch = osArch.toLowerCase(Locale.ROOT);
            if (os.contains("linux") && Set.of("amd64", "x86_64", "aarch64", "arm64").contains(arch)) {
                return EnumSet.of(Transport.EPOLL);
            }
            if (os.contains("mac") || os.contains("darwin")) {
                return EnumSet.of(Transport.KQUEUE);
            }
            return EnumSet.noneOf(Transport.class);
        }
    }

    private TestTransports() {
    }

    /** Every transport available here (epoll, kqueue, io_uring, NIO, as this machine has them). */
    public static Stream<Transport> available() {
        return available(ALL.toArray(Transport[]::new));
    }

    /**
     * Those of {@code candidates} available here, in their order; on CI, fails when one of them that this
     * platform must have is not.
     *
     * @throws AssertionError on a CI run, naming each required transport that did not load and its cause
     */
    public static Stream<Transport> available(Transport... candidates) {
        return select(List.of(candidates), Platform.current(), t -> t.isAvailable() ? null : cause(t)).stream();
    }

    /**
     * For a test that needs one particular transport: returns when it is available; when it is not, fails on a
     * CI run if the platform must have it, and otherwise skips the test (naming why).
     */
    public static void assumeAvailable(Transport transport) {
        available(transport).findAny()
                .ifPresentOrElse(t -> { }, () -> assumeTrue(false, describe(transport, cause(transport))));
    }

    /**
     * The decision, with the platform and each transport's unavailability (null when available) given.
     *
     * @throws AssertionError when {@code platform} is a CI run and a transport it must have is unavailable
     */
    static List<Transport> select(List<Transport> candidates, Platform platform,
                                  Function<Transport, Throwable> unavailability) {
        List<Transport> usable = new ArrayList<>();
        List<String> missing = new ArrayList<>();
        Set<Transport> required = platform.required();
        for (Transport t : candidates) {
            Throwable cause = t == Transport.NIO ? null : unavailability.apply(t);
            if (cause == null) {
                usable.add(t);
            } else if (platform.ci() && required.contains(t)) {
                missing.add(describe(t, cause));
            }
        }
        if (!missing.isEmpty()) {
            throw new AssertionError("CI=true, and a transport this platform (" + platform.osName() + " "
                    + platform.osArch() + ") must have did not load: " + String.join("; ", missing)
                    + ". The tests would otherwise pass on NIO alone; fix the native library (or run without CI=true)");
        }
        return usable;
    }

    private static Throwable cause(Transport t) {
        Throwable cause = t.unavailabilityCause();
        return cause != null ? cause : new IllegalStateException("no cause given");
    }

    /** "{@code epoll is unavailable: <cause>, caused by <root cause>}". */
    static String describe(Transport t, Throwable cause) {
        StringBuilder sb = new StringBuilder(t.id()).append(" is unavailable: ").append(cause);
        Throwable root = cause;
        for (int depth = 0; root.getCause() != null && root.getCause() != root && depth < 10; depth++) {
            root = root.getCause();
        }
        if (root != cause) {
            sb.append(", caused by ").append(root);
        }
        return sb.toString();
    }
}
