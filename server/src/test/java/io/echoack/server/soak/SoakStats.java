package io.echoack.server.soak;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** What the fuzz client did and checked. Written by the driver thread only; read after it finished. */
final class SoakStats {

    private static final int KEPT_FAILURES = 25;

    final Map<String, Long> actions = new TreeMap<>();
    final Map<String, Long> serverCloses = new TreeMap<>();
    final List<String> failures = new ArrayList<>();
    long failureCount;

    long connectionsOpened;
    long connectionsFinished;
    /** Unix connects refused with EAGAIN (accept queue full at that moment), tried again later. */
    long connectsDeferred;
    long peakConcurrent;
    long repliesVerified;
    long bytesVerified;
    long bytesSent;
    long cleanHalfCloses;
    /** The longest the driver thread took to come back to a connection: how loaded the client was. */
    long maxSweepGapNanos;
    long driverCpuNanos;

    long datagramsSent;
    long datagramsVerified;
    long datagramBytesVerified;
    long datagramsUnanswered;
    long datagramsOverMaxFrame;

    void action(String name) {
        actions.merge(name, 1L, Long::sum);
    }

    void serverClosed(String reason) {
        serverCloses.merge(reason, 1L, Long::sum);
    }

    long actionCount(String name) {
        return actions.getOrDefault(name, 0L);
    }

    long actionTotal() {
        return actions.values().stream().mapToLong(Long::longValue).sum();
    }

    void fail(String failure) {
        failureCount++;
        if (failures.size() < KEPT_FAILURES) {
            failures.add(failure);
        }
    }
}
