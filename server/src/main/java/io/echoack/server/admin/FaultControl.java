package io.echoack.server.admin;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The faults of every listener, as the admin endpoint reads and changes them ({@code GET}, {@code PUT} and
 * {@code DELETE /faults}). The admin endpoint only speaks HTTP; the fault model implements this. Faults are
 * written as in an endpoint's query: key to value text ({@code delay=20ms}, {@code reset=1%}).
 *
 * <p>Called on the admin connections' event loops, possibly several at once: implementations are thread-safe
 * and never block (a replace is a swap of an immutable value the listeners read).
 */
public interface FaultControl {

    /**
     * One listener's faults.
     *
     * @param endpoint the listener as the metrics label it (the configured endpoint, e.g. {@code tcp://:7000})
     * @param faults   its faults, key to value as an endpoint query writes them, in a stable order; empty: none
     */
    record EndpointFaults(String endpoint, Map<String, String> faults) {
        public EndpointFaults {
            Objects.requireNonNull(endpoint, "endpoint");
            faults = Collections.unmodifiableMap(new LinkedHashMap<>(faults));
        }
    }

    /** Every listener, in configuration order, with its faults now. */
    List<EndpointFaults> list();

    /**
     * Replaces the faults of {@code endpoint} (one {@link EndpointFaults#endpoint} of {@link #list}) with
     * {@code faults}, all or nothing, for messages and connections from now on.
     *
     * @return the listener's faults now
     * @throws IllegalArgumentException when a key is unknown, does not apply to the listener's transport, or
     *                                  has a bad value; the message names the key (and says what is wrong)
     */
    EndpointFaults replace(String endpoint, Map<String, String> faults);

    /** Removes every fault of {@code endpoint}; returns the listener's (empty) faults. */
    EndpointFaults clear(String endpoint);
}
