package io.echoack.server.live;

import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

/**
 * One setting of a running server as it is now: an immutable value that a reload (SIGHUP) replaces whole. The
 * handlers that use it hold it as a {@link Supplier} and read it once per connection, datagram or check, so that
 * no event loop ever waits for a reload and none sees half of a change; what a new value means for connections
 * already open is up to each user of it (and written in its javadoc). Thread-safe.
 *
 * @param <T> the setting's immutable value
 */
public final class LiveSetting<T> implements Supplier<T> {

    private final AtomicReference<T> value;

    private LiveSetting(T initial) {
        this.value = new AtomicReference<>(Objects.requireNonNull(initial, "initial"));
    }

    /** A setting that starts as {@code initial}. */
    public static <T> LiveSetting<T> of(T initial) {
        return new LiveSetting<>(initial);
    }

    /** The value now. */
    @Override
    public T get() {
        return value.get();
    }

    /**
     * Puts {@code next} in force: every later {@link #get()} sees it.
     *
     * @return the value it replaces
     */
    public T replace(T next) {
        return value.getAndSet(Objects.requireNonNull(next, "next"));
    }

    @Override
    public String toString() {
        return String.valueOf(value.get());
    }
}
