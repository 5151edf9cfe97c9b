package io.echoack.server.fault;

import io.echoack.common.fault.Faults;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;

/**
 * Every listener's faults of one running server, by the listener's label (its configured address, as the metrics
 * name it), in configuration order. The admin endpoint lists and changes faults here, and a reload of the
 * configuration file applies the file's faults here, so both follow one set of rules: a change replaces a
 * listener's faults whole, all or nothing, and the last change wins.
 *
 * <p>Thread-safe: listeners are added while the server starts, then read and changed from the admin endpoint's
 * event loops and the reload thread at once; a change is the swap of an immutable value ({@link ListenerFaults}).
 */
public final class ServerFaults {

    /**
     * One listener.
     *
     * @param label  its name in metrics and on the admin endpoint ({@code tcp://:7000}; {@code #2} for repeats)
     * @param faults its faults now, and how to change them
     */
    public record Listener(String label, ListenerFaults faults) {
        public Listener {
            Objects.requireNonNull(label, "label");
            Objects.requireNonNull(faults, "faults");
        }
    }

    private final List<Listener> listeners = new CopyOnWriteArrayList<>();

    /** Adds the next listener, in configuration order. */
    public void add(String label, ListenerFaults faults) {
        listeners.add(new Listener(label, faults));
    }

    /** Every listener, in configuration order. */
    public List<Listener> listeners() {
        return List.copyOf(listeners);
    }

    /**
     * Replaces the faults of the listener {@code label} with {@code keys} (key to value, as an endpoint's query
     * writes them: {@code delay=20ms}, {@code reset=1%}), all or nothing: every key is read first, and nothing
     * changes unless all of them are good and apply to the listener's transport.
     *
     * @return the listener's faults now
     * @throws IllegalArgumentException for an unknown listener, or naming the key that is unknown, has a bad
     *                                  value or does not apply to the listener's transport
     */
    public Faults replace(String label, Map<String, String> keys) {
        ListenerFaults listener = find(label);
        Faults.Builder faults = Faults.builder();
        keys.forEach(faults::set);
        listener.replace(faults.build());
        return listener.current();
    }

    /**
     * Removes every fault of the listener {@code label}.
     *
     * @throws IllegalArgumentException for an unknown listener
     */
    public Faults clear(String label) {
        ListenerFaults listener = find(label);
        listener.replace(Faults.NONE);
        return listener.current();
    }

    private ListenerFaults find(String label) {
        return listeners.stream().filter(l -> l.label().equals(label)).findFirst().map(Listener::faults)
                .orElseThrow(() -> new IllegalArgumentException("no listener '" + label + "'; the listeners are "
                        + listeners.stream().map(Listener::label).collect(Collectors.joining(", "))));
    }
}
