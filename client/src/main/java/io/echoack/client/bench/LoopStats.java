package io.echoack.client.bench;

/**
 * The statistics of every connection served by one event loop, split by phase: a message belongs to the
 * warm-up when its (intended) send time is before the measured phase starts, else to the measured phase.
 * Only that event loop writes them.
 */
final class LoopStats {

    final PhaseStats warmup = new PhaseStats();
    final PhaseStats measured = new PhaseStats();
    /** The connections this event loop opened in the measured phase, and how long their set-up took. */
    final ConnectStats connects = new ConnectStats();
    /** Indexed by {@link RunTimes#phase}. */
    private final PhaseStats[] byPhase = {warmup, measured};

    /** The phase of a message sent (or intended to be sent) at {@code sendNanos}; measured before the start. */
    PhaseStats phase(RunTimes times, long sendNanos) {
        return times == null ? measured : byPhase[times.phase(sendNanos)];
    }
}
