package io.echoack.server.fault;

import io.echoack.common.endpoint.Endpoint;
import io.echoack.common.fault.Faults;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * One listener's faults as they are now, and where its random choices come from. The {@link Faults} value is
 * replaced whole ({@link #replace}, e.g. by a run-time update); handlers read {@link #current()} once per message
 * or reply, so a change applies from the next one on and no handler ever sees half of it.
 *
 * <p>Randomness is reproducible with a seed: the listener's own stream derives from the server's seed and the
 * listener's label (its configured address, so port 0 does not change it), and each connection (or datagram
 * channel) draws from its own stream, derived from the listener's and the connection's number in accept order.
 * So with {@code --fault-seed}, the n-th connection of a listener meets the same faults on the same messages in
 * every run, whatever other connections do at the same time. What a seed cannot fix: which client's connection
 * is accepted n-th when clients connect at the same time, and, on a listener bound with {@code --reuse-port},
 * which of its channels the kernel gives a datagram.
 */
public final class ListenerFaults {

    private final Endpoint endpoint;
    private final AtomicReference<Faults> current;
    private final long listenerSeed;
    private final AtomicLong streams = new AtomicLong();

    /**
     * @param endpoint   the listener's endpoint, whose {@link Endpoint#faults()} apply at first
     * @param label      the listener's name ({@code tcp://:7000}, {@code #2} for repeats): part of its seed
     * @param serverSeed the server's fault seed ({@code --fault-seed}, or a random one per start)
     */
    public ListenerFaults(Endpoint endpoint, String label, long serverSeed) {
        this.endpoint = Objects.requireNonNull(endpoint, "endpoint");
        this.current = new AtomicReference<>(endpoint.faults());
        long h = serverSeed;
        for (byte b : label.getBytes(StandardCharsets.UTF_8)) {
            h = mix(h ^ b);
        }
        this.listenerSeed = h;
    }

    /** No faults, for listeners built without a server (tests, benchmarks). */
    public static ListenerFaults none(Endpoint endpoint) {
        return new ListenerFaults(endpoint.withFaults(Faults.NONE), endpoint.address(), 0);
    }

    /** The faults injected now. */
    public Faults current() {
        return current.get();
    }

    /**
     * Replaces the listener's faults; connections and datagrams see the new value from their next message on.
     *
     * @throws IllegalArgumentException when a fault does not apply to the listener's transport
     */
    public void replace(Faults faults) {
        current.set(faults.requireApplicable(endpoint.kind().isStream(), endpoint.kind().scheme()));
    }

    /** The random stream of the listener's next connection (or datagram channel), in accept order. */
    public SplittableRandom nextRandom() {
        return random(nextStream());
    }

    /**
     * Numbers the listener's next connection (or datagram channel), in accept order: every connection takes its
     * number, faults or none, so that the n-th connection draws the same stream however faults came and went.
     */
    public long nextStream() {
        return streams.getAndIncrement();
    }

    /** The random stream of the connection numbered {@code stream} ({@link #nextStream}). */
    public SplittableRandom random(long stream) {
        return new SplittableRandom(mix(listenerSeed + 0x9E3779B97F4A7C15L * (stream + 1)));
    }

    /** A fresh seed for a server started without {@code --fault-seed}. */
    public static long randomSeed() {
        return new SplittableRandom().nextLong();
    }

    /** Stafford's mix13 (as SplittableRandom uses): spreads every input bit over the output. */
    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        return z ^ (z >>> 31);
    }
}
