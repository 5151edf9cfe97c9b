package io.echoack.server.reload;

import io.echoack.common.endpoint.Endpoint;
import io.echoack.common.fault.Faults;
import io.echoack.server.config.ServerConfig;
import io.echoack.server.fault.ServerFaults;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * The listeners' faults as the configuration declares them (each listener's fault keys, in the file or on
 * {@code --listen}). A reload applies the faults of each listener whose faults in the configuration changed
 * since the last load, replacing whatever the listener injects now; a listener whose faults the configuration
 * did not change keeps what it has, so that a change made on the admin endpoint holds until the file changes
 * that listener. Listeners are matched by their endpoint without fault keys (the n-th of equal endpoints with
 * the n-th); a listener added, removed or otherwise changed is {@link ConfigReload}'s to refuse.
 */
public final class FaultsReload implements Reloadable {

    private final ServerFaults faults;

    /** @param faults the running server's listeners, in the order of the configuration it started with */
    public FaultsReload(ServerFaults faults) {
        this.faults = Objects.requireNonNull(faults, "faults");
    }

    /** The listeners: their faults are this part's; every other change to them needs a restart. */
    @Override
    public Set<String> fields() {
        return Set.of("listen");
    }

    @Override
    public List<String> apply(ServerConfig old, ServerConfig next) {
        List<ServerFaults.Listener> listeners = faults.listeners();
        int[] match = match(old.listen(), next.listen());
        List<Runnable> replacements = new ArrayList<>();
        List<String> changes = new ArrayList<>();
        for (int i = 0; i < Math.min(match.length, listeners.size()); i++) {
            if (match[i] < 0) {
                continue;
            }
            Faults now = next.listen().get(match[i]).faults();
            if (!now.equals(old.listen().get(i).faults())) {
                ServerFaults.Listener listener = listeners.get(i);
                replacements.add(() -> listener.faults().replace(now));
                changes.add("faults of " + listener.label() + ": " + listener.faults().current() + " -> " + now);
            }
        }
        replacements.forEach(Runnable::run); // checked against each transport when the file was read
        return changes;
    }

    /** {@code current}'s listeners, each with its faults from {@code next} where it is there too. */
    @Override
    public ServerConfig carry(ServerConfig current, ServerConfig next) {
        int[] match = match(current.listen(), next.listen());
        List<Endpoint> listen = new ArrayList<>();
        for (int i = 0; i < match.length; i++) {
            Endpoint e = current.listen().get(i);
            listen.add(match[i] < 0 ? e : e.withFaults(next.listen().get(match[i]).faults()));
        }
        return current.toBuilder().listen(listen).build();
    }

    /** {@code e} without its fault keys: what identifies a listener across reloads. */
    static Endpoint withoutFaults(Endpoint e) {
        return e.withFaults(Faults.NONE);
    }

    /**
     * For each listener of {@code from}, the index of the same listener in {@code to} (its endpoint without fault
     * keys; the n-th of equal ones with the n-th), or -1 when {@code to} has none.
     */
    static int[] match(List<Endpoint> from, List<Endpoint> to) {
        int[] match = new int[from.size()];
        for (int i = 0; i < from.size(); i++) {
            Endpoint key = withoutFaults(from.get(i));
            int before = 0;
            for (int k = 0; k < i; k++) {
                before += withoutFaults(from.get(k)).equals(key) ? 1 : 0;
            }
            match[i] = -1;
            for (int j = 0; j < to.size(); j++) {
                if (withoutFaults(to.get(j)).equals(key) && before-- == 0) {
                    match[i] = j;
                    break;
                }
            }
        }
        return match;
    }
}
