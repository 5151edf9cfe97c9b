package io.echoack.client.bench;

/**
 * One progress report of a running bench, about once a second.
 *
 * @param warmup         true while still warming up
 * @param elapsedSeconds seconds since sending started
 * @param messages       correct replies so far in this phase
 * @param msgsPerSecond  correct replies per second over the last interval
 * @param mbPerSecond    request payload megabytes (10^6 bytes) per second over the last interval
 * @param p99Micros      99th percentile latency so far in this phase, in microseconds (0 before any reply)
 * @param errors         failed messages so far in this phase
 */
public record Progress(boolean warmup, double elapsedSeconds, long messages, double msgsPerSecond,
                       double mbPerSecond, double p99Micros, long errors) {

    /** Receives progress reports, on the thread that runs the bench. */
    @FunctionalInterface
    public interface Listener {
        void onProgress(Progress progress);
    }
}
