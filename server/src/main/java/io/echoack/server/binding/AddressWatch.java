package io.echoack.server.binding;

import io.netty.util.concurrent.DefaultThreadFactory;
import java.net.InetAddress;
import java.net.SocketException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Follows the host's addresses for the server's wildcard UDP listeners: every {@link #INTERVAL} it lists the
 * local addresses once and hands the list to each {@link WildcardDatagramListener}, which binds the new ones and
 * closes the sockets of those gone. Listing interfaces blocks, so it runs on a thread of its own, never on an
 * event loop; the thread runs only while a wildcard UDP listener is open. Polling, not netlink, which the JDK
 * cannot read; BIND and ntpd, which also bind per address, rescan their interfaces periodically too.
 */
final class AddressWatch {

    private static final Logger log = LoggerFactory.getLogger(AddressWatch.class);

    /** How often the addresses are listed again: how long a new address may go unanswered. */
    static final Duration INTERVAL = Duration.ofSeconds(2);
    private static final long STOP_WAIT_SECONDS = 5;

    private final LocalAddresses source;
    private final Duration interval;
    private final List<WildcardDatagramListener> listeners = new ArrayList<>(); // guarded by this
    private ScheduledExecutorService thread; // guarded by this; null while nobody listens
    private String lastFailure; // only on the watch thread

    /** Lists addresses from {@code source} every {@code interval} once a listener is added. */
    AddressWatch(LocalAddresses source, Duration interval) {
        this.source = Objects.requireNonNull(source, "source");
        this.interval = Objects.requireNonNull(interval, "interval");
    }

    Duration interval() {
        return interval;
    }

    /** The addresses now; blocks briefly. */
    Set<InetAddress> current() throws SocketException {
        return source.current();
    }

    /** Follows addresses for {@code listener} from now on; starts the thread if it is the first. */
    synchronized void add(WildcardDatagramListener listener) {
        listeners.add(listener);
        if (thread == null) {
            thread = Executors.newSingleThreadScheduledExecutor(new DefaultThreadFactory("echoack-addresses", true));
            long millis = interval.toMillis();
            thread.scheduleWithFixedDelay(this::scan, millis, millis, TimeUnit.MILLISECONDS);
        }
    }

    /**
     * Stops following addresses for {@code listener}; when it was the last, stops the thread and waits (briefly)
     * until a scan under way has finished, so that nothing binds after the listeners are closed.
     */
    void remove(WildcardDatagramListener listener) {
        ScheduledExecutorService stop = null;
        synchronized (this) {
            listeners.remove(listener);
            if (listeners.isEmpty() && thread != null) {
                stop = thread;
                thread = null;
            }
        }
        if (stop != null) {
            stop.shutdown();
            try {
                if (!stop.awaitTermination(STOP_WAIT_SECONDS, TimeUnit.SECONDS)) {
                    log.warn("the address watch did not stop within {} s", STOP_WAIT_SECONDS);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** One round: list the addresses once, tell every listener. */
    void scan() {
        List<WildcardDatagramListener> now;
        synchronized (this) {
            now = List.copyOf(listeners);
        }
        Set<InetAddress> addresses;
        try {
            addresses = source.current();
        } catch (SocketException | RuntimeException e) {
            String failure = e.toString();
            if (!failure.equals(lastFailure)) {
                log.warn("cannot list this host's addresses ({}); UDP wildcard listeners keep their sockets", failure);
            }
            lastFailure = failure;
            return;
        }
        lastFailure = null;
        for (WildcardDatagramListener listener : now) {
            try {
                listener.follow(addresses);
            } catch (RuntimeException e) {
                // One listener's surprise must not stop the others (nor the schedule, which a throw would end).
                log.warn("{}: following the host's addresses failed", listener, e);
            }
        }
    }
}
