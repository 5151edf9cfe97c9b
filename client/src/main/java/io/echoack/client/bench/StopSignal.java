package io.echoack.client.bench;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Tells every connection of a run to stop sending, and remembers why: the first reason given wins
 * (interrupted, a wrong reply, nothing answered, nothing could connect).
 */
final class StopSignal {

    private final AtomicReference<StopReason> reason = new AtomicReference<>();
    private final CountDownLatch stopped = new CountDownLatch(1);

    /** Stops the run for {@code why}, unless it was stopped already. Any thread. */
    void stop(StopReason why) {
        reason.compareAndSet(null, why);
        stopped.countDown();
    }

    /** Waits up to {@code nanos} for a stop; returns false when the run is stopped, true when the time passed. */
    boolean sleep(long nanos) throws InterruptedException {
        return !stopped.await(nanos, TimeUnit.NANOSECONDS);
    }

    boolean isStopped() {
        return reason.get() != null;
    }

    /** Why the run was stopped, or null if it was not. */
    StopReason reason() {
        return reason.get();
    }
}
