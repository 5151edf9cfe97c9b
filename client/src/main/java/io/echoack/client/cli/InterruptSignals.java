package io.echoack.client.cli;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import sun.misc.Signal;
import sun.misc.SignalHandler;

/**
 * While open, SIGINT (Ctrl-C), SIGTERM and SIGHUP do not end the JVM: the first one runs an action instead
 * (bench stops and reports what it measured), and the command then exits with {@link Received#exitCode()}, 128 + the
 * signal's number, as a shell reports a process a signal ended, so that a script or {@code set -e} sees an
 * interrupted run as one. The command writes that same code into its report, which a JVM shutdown hook
 * could not do: there the JVM picks the exit code itself. The first signal also puts the JVM's own handling
 * back, so that a second one ends the process at once. {@link #close()} puts it back in any case.
 */
final class InterruptSignals implements AutoCloseable {

    /** What a shell adds to a signal's number for the exit status of a process it ended. */
    static final int EXIT_BASE = 128;

    private static final String[] NAMES = {"INT", "TERM", "HUP"};

    private final Map<Signal, SignalHandler> previous = new LinkedHashMap<>();
    private final AtomicReference<Signal> received = new AtomicReference<>();

    private InterruptSignals() {
    }

    /**
     * Handles the signals, where the platform has them, until {@link #close()}. A signal ignored when the JVM
     * started stays ignored (a background job of a non-interactive shell ignores SIGINT), and a JVM started
     * with {@code -Xrs} keeps its own handling.
     *
     * @param action run once, on a signal-handler thread, on the first signal
     */
    static InterruptSignals install(Runnable action) {
        InterruptSignals signals = new InterruptSignals();
        SignalHandler handler = signal -> {
            if (signals.received.compareAndSet(null, signal)) {
                signals.restore();
                action.run();
            }
        };
        synchronized (signals) {
            for (String name : NAMES) {
                try {
                    Signal signal = new Signal(name);
                    signals.previous.put(signal, Signal.handle(signal, handler));
                } catch (IllegalArgumentException unavailable) {
                    // not a signal here, or one the JVM keeps for itself
                }
            }
        }
        return signals;
    }

    /** The signal received, if one was. */
    Optional<Received> received() {
        return Optional.ofNullable(received.get())
                .map(signal -> new Received("SIG" + signal.getName(), EXIT_BASE + signal.getNumber()));
    }

    /**
     * A signal received.
     *
     * @param name     e.g. {@code SIGINT}
     * @param exitCode 128 + its number, e.g. 130 for SIGINT, 143 for SIGTERM, 129 for SIGHUP
     */
    record Received(String name, int exitCode) {
    }

    private synchronized void restore() {
        previous.forEach(Signal::handle);
        previous.clear();
    }

    @Override
    public void close() {
        restore();
    }
}
