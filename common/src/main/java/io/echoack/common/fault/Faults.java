package io.echoack.common.fault;

import io.echoack.common.text.Durations;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.random.RandomGenerator;

/**
 * The faults one listener injects, as one immutable value: parsed from the same {@code key=value} strings
 * wherever they are written (an endpoint's query, an admin request, a config file), so that all three mean the
 * same thing, and replaced whole when they change at run time (a handler reads one consistent value, never half
 * of an update). {@link #NONE} injects nothing; a value of {@code 0} is exactly off for every key, so it is
 * also how a key is turned off.
 *
 * <p>Values are kept normalised: durations in nanoseconds, probabilities in parts per million (a percentage
 * takes at most four decimals, {@code 0.0001%}), sizes in bytes and rates in bytes per second. {@link #toQuery()}
 * writes them back in a form {@link #parse} reads to an equal value.
 */
public final class Faults {

    /** No faults: what every listener has unless told otherwise. */
    public static final Faults NONE = new Faults(new EnumMap<>(FaultKey.class));

    /** A probability of 1, in the unit {@link #ppm} returns. */
    public static final int PPM_ONE = 1_000_000;

    private final EnumMap<FaultKey, Long> values;

    private Faults(EnumMap<FaultKey, Long> values) {
        this.values = values;
    }

    /**
     * Parses {@code key=value} pairs joined by {@code &} (an endpoint's query without the other keys):
     * {@code delay=20ms&jitter=5ms&reset=1%}. Empty text is {@link #NONE}.
     *
     * @throws IllegalArgumentException naming the key and quoting the value that is wrong
     */
    public static Faults parse(String pairs) {
        Builder b = builder();
        for (String pair : pairs.split("&", -1)) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            b.set(eq < 0 ? pair : pair.substring(0, eq), eq < 0 ? "" : pair.substring(eq + 1));
        }
        return b.build();
    }

    /** A builder that takes keys and values as written. */
    public static Builder builder() {
        return new Builder();
    }

    /** True when nothing is injected. */
    public boolean isNone() {
        return values.isEmpty();
    }

    /** True when {@code key} is on (not zero). */
    public boolean has(FaultKey key) {
        return values.containsKey(key);
    }

    /** True when any fault of this value applies to streams ({@code true}) or to datagrams. */
    public boolean hasAnyFor(boolean stream) {
        return values.keySet().stream().anyMatch(k -> k.appliesTo(stream));
    }

    /** A {@link FaultKey.ValueType#DURATION} key's value; zero when off. */
    public Duration duration(FaultKey key) {
        requireType(key, FaultKey.ValueType.DURATION);
        return Duration.ofNanos(values.getOrDefault(key, 0L));
    }

    /** A {@link FaultKey.ValueType#PERCENT} key's probability in parts per million ({@link #PPM_ONE} is 1). */
    public int ppm(FaultKey key) {
        requireType(key, FaultKey.ValueType.PERCENT);
        return values.getOrDefault(key, 0L).intValue();
    }

    /** A {@link FaultKey.ValueType#BYTES} key's size, or a {@link FaultKey.ValueType#RATE} key's bytes/s; 0 off. */
    public long bytes(FaultKey key) {
        if (key.type() != FaultKey.ValueType.BYTES && key.type() != FaultKey.ValueType.RATE) {
            throw new IllegalArgumentException(key.id() + " is not a size or a rate");
        }
        return values.getOrDefault(key, 0L);
    }

    /**
     * One draw for a {@link FaultKey.ValueType#PERCENT} key: true with the key's probability. Draws nothing
     * from {@code random} when the key is off (or at 100%), so {@code 0} is exactly off.
     */
    public boolean roll(FaultKey key, RandomGenerator random) {
        int ppm = ppm(key);
        return ppm > 0 && (ppm >= PPM_ONE || random.nextInt(PPM_ONE) < ppm);
    }

    /**
     * A reply's delay: {@link FaultKey#DELAY} plus a uniform draw in ±{@link FaultKey#JITTER}, never below zero,
     * in nanoseconds. Draws from {@code random} only when there is a jitter.
     */
    public long delayNanos(RandomGenerator random) {
        long delay = values.getOrDefault(FaultKey.DELAY, 0L);
        long jitter = values.getOrDefault(FaultKey.JITTER, 0L);
        if (jitter == 0) {
            return delay;
        }
        long d = delay + random.nextLong(-jitter, jitter + 1);
        return Math.max(0, d);
    }

    /**
     * This value on an endpoint: every fault must apply to its transport.
     *
     * @param stream true for a stream endpoint (tcp, tls, unix), false for a datagram endpoint (udp, unixgram)
     * @param scheme the endpoint's scheme, for the message
     * @throws IllegalArgumentException naming the first fault that does not apply
     */
    public Faults requireApplicable(boolean stream, String scheme) {
        for (FaultKey k : values.keySet()) {
            if (!k.appliesTo(stream)) {
                throw new IllegalArgumentException("fault " + k.id() + " applies to "
                        + (stream ? "datagram endpoints only (udp, unixgram); " + scheme + " is a stream"
                                  : "stream endpoints only (tcp, tls, unix); " + scheme + " sends datagrams"));
            }
        }
        return this;
    }

    /** The faults that are on, key to value as {@link #parse} reads it, in {@link FaultKey} order. */
    public Map<String, String> asMap() {
        Map<String, String> m = new LinkedHashMap<>();
        values.forEach((k, v) -> m.put(k.id(), format(k, v)));
        return Collections.unmodifiableMap(m);
    }

    /** {@code delay=20ms&reset=1%}: the faults that are on, as {@link #parse} reads them; empty for none. */
    public String toQuery() {
        StringBuilder sb = new StringBuilder();
        asMap().forEach((k, v) -> sb.append(sb.length() == 0 ? "" : "&").append(k).append('=').append(v));
        return sb.toString();
    }

    @Override
    public String toString() {
        return isNone() ? "none" : toQuery();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Faults f && f.values.equals(values);
    }

    @Override
    public int hashCode() {
        return values.hashCode();
    }

    private static void requireType(FaultKey key, FaultKey.ValueType type) {
        if (key.type() != type) {
            throw new IllegalArgumentException(key.id() + " is not a " + type.name().toLowerCase(Locale.ROOT));
        }
    }

    private static String format(FaultKey key, long v) {
        return switch (key.type()) {
            case DURATION -> v % 1_000_000 == 0 ? Durations.format(Duration.ofNanos(v))
                    : BigDecimal.valueOf(v, 6).stripTrailingZeros().toPlainString() + "ms";
            case PERCENT -> BigDecimal.valueOf(v, 4).stripTrailingZeros().toPlainString() + "%";
            case BYTES -> Long.toString(v);
            case RATE -> v + "B/s";
        };
    }

    /** Collects keys and values as written, then checks the rules between them. */
    public static final class Builder {
        private final EnumMap<FaultKey, Long> values = new EnumMap<>(FaultKey.class);

        private Builder() {
        }

        /**
         * Sets the fault written {@code key} to {@code value}, as written; {@code 0} turns it off.
         *
         * @throws IllegalArgumentException for an unknown key or a value that is not of the key's type, naming
         *                                  the key and quoting the value
         */
        public Builder set(String key, String value) {
            FaultKey k = FaultKey.forId(key);
            if (k == null) {
                throw new IllegalArgumentException("unknown fault '" + key + "' (expected one of "
                        + FaultKey.allIds() + ")");
            }
            return set(k, value);
        }

        /** Sets {@code key} to {@code value} as written; see {@link #set(String, String)}. */
        public Builder set(FaultKey key, String value) {
            Objects.requireNonNull(value, "value");
            long v;
            try {
                v = switch (key.type()) {
                    case DURATION -> Durations.parse(value).toNanos();
                    case PERCENT -> parsePercent(value);
                    case BYTES -> parseBytes(value);
                    case RATE -> parseRate(value);
                };
            } catch (IllegalArgumentException | ArithmeticException e) {
                throw new IllegalArgumentException("fault " + key.id() + "=" + value + ": "
                        + (e instanceof ArithmeticException ? "too large" : e.getMessage()), e);
            }
            if (v == 0) {
                values.remove(key);
            } else {
                values.put(key, v);
            }
            return this;
        }

        /**
         * The faults.
         *
         * @throws IllegalArgumentException when a key needs another that is off ({@code slice-delay} without
         *                                  {@code slice})
         */
        public Faults build() {
            if (values.containsKey(FaultKey.SLICE_DELAY) && !values.containsKey(FaultKey.SLICE)) {
                throw new IllegalArgumentException("fault slice-delay needs slice (the size of each write)");
            }
            return values.isEmpty() ? NONE : new Faults(values.clone());
        }

        private static long parsePercent(String text) {
            String t = text.trim();
            if (t.equals("0")) {
                return 0;
            }
            if (!t.endsWith("%")) {
                throw new IllegalArgumentException("'" + text + "' is not a percentage (expected e.g. 1%, 0.5%, 100%"
                        + " or 0)");
            }
            BigDecimal percent;
            try {
                percent = new BigDecimal(t.substring(0, t.length() - 1).trim());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("'" + text + "' is not a percentage (expected e.g. 1%, 0.5%)");
            }
            if (percent.signum() < 0 || percent.compareTo(BigDecimal.valueOf(100)) > 0) {
                throw new IllegalArgumentException("'" + text + "' is outside 0%..100%");
            }
            BigDecimal ppm = percent.movePointRight(4);
            if (ppm.stripTrailingZeros().scale() > 0) {
                throw new IllegalArgumentException("'" + text + "' is finer than 0.0001%");
            }
            return ppm.longValueExact();
        }

        private static long parseRate(String text) {
            String t = text.trim();
            if (!t.toLowerCase(Locale.ROOT).endsWith("/s")) {
                throw new IllegalArgumentException("'" + text + "' is not a rate (expected e.g. 64KiB/s, 1MB/s)");
            }
            return parseBytes(t.substring(0, t.length() - 2));
        }

        private static long parseBytes(String text) {
            String t = text.trim();
            int end = t.length();
            while (end > 0 && Character.isLetter(t.charAt(end - 1))) {
                end--;
            }
            long unit = switch (t.substring(end).toLowerCase(Locale.ROOT)) {
                case "", "b" -> 1L;
                case "kb" -> 1_000L;
                case "kib" -> 1L << 10;
                case "mb" -> 1_000_000L;
                case "mib" -> 1L << 20;
                case "gb" -> 1_000_000_000L;
                case "gib" -> 1L << 30;
                default -> throw new IllegalArgumentException("'" + text + "' has an unknown unit (expected B, KB, "
                        + "KiB, MB, MiB, GB or GiB)");
            };
            BigDecimal n;
            try {
                n = new BigDecimal(t.substring(0, end).trim());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("'" + text + "' is not a size (expected e.g. 1400, 64KiB, 1MB)");
            }
            if (n.signum() < 0) {
                throw new IllegalArgumentException("'" + text + "' is negative");
            }
            BigDecimal bytes = n.multiply(BigDecimal.valueOf(unit));
            if (bytes.stripTrailingZeros().scale() > 0) {
                throw new IllegalArgumentException("'" + text + "' is not a whole number of bytes");
            }
            return bytes.longValueExact();
        }
    }
}
