package io.echoack.client.bench;

/** Tells every connection of a run to stop sending (interrupted, or nothing could connect). */
final class StopSignal {

    private volatile boolean stopped;

    void stop() {
        stopped = true;
    }

    boolean isStopped() {
        return stopped;
    }
}
