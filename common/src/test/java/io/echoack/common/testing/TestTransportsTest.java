package io.echoack.common.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.echoack.common.testing.TestTransports.Platform;
import io.echoack.common.transport.Transport;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/** Which transports the integration tests run on, and when a missing one fails the run (platform injected). */
class TestTransportsTest {

    private static final List<Transport> ALL =
            List.of(Transport.EPOLL, Transport.KQUEUE, Transport.IO_URING, Transport.NIO);
    private static final Throwable EPOLL_MISSING =
            new UnsatisfiedLinkError("failed to load the required native library");

    /** Only the named transports (and NIO) load; the others fail with a cause naming them. */
    private static Function<Transport, Throwable> only(Transport... loading) {
        Set<Transport> ok = Set.of(loading);
        return t -> ok.contains(t) ? null
                : new IllegalStateException(t.id() + " native library missing", new UnsatisfiedLinkError("lib" + t.id()));
    }

    @Test
    void everythingAvailableIsUsedInItsOrder() {
        Platform linuxCi = new Platform("Linux", "amd64", true);
        assertEquals(List.of(Transport.EPOLL, Transport.IO_URING, Transport.NIO),
                TestTransports.select(ALL, linuxCi, only(Transport.EPOLL, Transport.IO_URING)));
    }

    @Test
    void onCiALinuxWithoutEpollFailsNamingTheCause() {
        for (String arch : List.of("amd64", "x86_64", "aarch64")) {
            AssertionError e = assertThrows(AssertionError.class,
                    () -> TestTransports.select(ALL, new Platform("Linux", arch, true), only(Transport.IO_URING)));
            assertTrue(e.getMessage().contains("epoll is unavailable: java.lang.IllegalStateException: epoll native "
                    + "library missing, caused by java.lang.UnsatisfiedLinkError: libepoll"), e.getMessage());
            assertTrue(e.getMessage().contains("Linux " + arch), e.getMessage());
        }
    }

    @Test
    void offCiAMissingEpollIsLeftOut() {
        assertEquals(List.of(Transport.NIO),
                TestTransports.select(ALL, new Platform("Linux", "amd64", false), only()));
    }

    @Test
    void ioUringIsNeverRequired() {
        assertEquals(List.of(Transport.EPOLL, Transport.NIO),
                TestTransports.select(ALL, new Platform("Linux", "amd64", true), only(Transport.EPOLL)));
    }

    @Test
    void kqueueIsRequiredOnMacOsAndNotOnLinux() {
        Platform macCi = new Platform("Mac OS X", "aarch64", true);
        AssertionError e = assertThrows(AssertionError.class, () -> TestTransports.select(ALL, macCi, only()));
        assertTrue(e.getMessage().contains("kqueue is unavailable: "), e.getMessage());
        assertEquals(List.of(Transport.KQUEUE, Transport.NIO), TestTransports.select(ALL, macCi, only(Transport.KQUEUE)));
        assertEquals(List.of(Transport.EPOLL, Transport.NIO), TestTransports.select(ALL,
                new Platform("Linux", "amd64", true), only(Transport.EPOLL)), "kqueue missing on Linux is fine");
    }

    @Test
    void platformsWithoutAShippedNativeLibraryRequireNothing() {
        for (Platform p : List.of(new Platform("Linux", "riscv64", true), new Platform("Linux", "s390x", true),
                new Platform("Windows 11", "amd64", true), new Platform("FreeBSD", "amd64", true))) {
            assertEquals(List.of(Transport.NIO), TestTransports.select(ALL, p, only()), p.toString());
        }
    }

    @Test
    void onlyTheCandidatesAskedForAreConsidered() {
        Platform linuxCi = new Platform("Linux", "amd64", true);
        assertEquals(List.of(Transport.NIO), TestTransports.select(List.of(Transport.NIO), linuxCi, only()),
                "a test that asks for NIO only does not fail for a missing epoll");
        assertThrows(AssertionError.class,
                () -> TestTransports.select(List.of(Transport.EPOLL, Transport.NIO), linuxCi, only()));
    }

    @Test
    void aCauseWithoutADeeperCauseIsNamedOnce() {
        assertEquals("epoll is unavailable: java.lang.UnsatisfiedLinkError: failed to load the required native library",
                TestTransports.describe(Transport.EPOLL, EPOLL_MISSING));
    }
}
