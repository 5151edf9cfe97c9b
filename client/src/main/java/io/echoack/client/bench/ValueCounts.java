package io.echoack.client.bench;

import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The correct identity replies of a measured phase counted by their value of one key ({@code --count-by KEY}):
 * e.g. how many came from each {@code host}, which shows how a load balancer spread the connections (with
 * {@code --connect-per-message}: one reply per connection) or the messages over its backends.
 *
 * @param key    the key counted by
 * @param counts replies per value, most first (ties by value)
 * @param absent replies that had no such key
 */
public record ValueCounts(String key, Map<String, Long> counts, long absent) {

    public ValueCounts {
        Objects.requireNonNull(key, "key");
        Map<String, Long> sorted = new LinkedHashMap<>();
        counts.entrySet().stream()
                .sorted(Comparator.<Map.Entry<String, Long>>comparingLong(Map.Entry::getValue).reversed()
                        .thenComparing(Map.Entry::getKey))
                .forEach(e -> sorted.put(e.getKey(), e.getValue()));
        counts = Collections.unmodifiableMap(sorted);
    }

    /** Counts one event loop gathered (the null key: replies without the key) added up. */
    static ValueCounts of(String key, List<Map<String, Long>> perLoop) {
        Map<String, Long> counts = new LinkedHashMap<>();
        long absent = 0;
        for (Map<String, Long> loop : perLoop) {
            for (Map.Entry<String, Long> e : loop.entrySet()) {
                if (e.getKey() == null) {
                    absent += e.getValue();
                } else {
                    counts.merge(e.getKey(), e.getValue(), Long::sum);
                }
            }
        }
        return new ValueCounts(key, counts, absent);
    }

    /** Every reply counted, with or without the key. */
    public long total() {
        return counts.values().stream().mapToLong(Long::longValue).sum() + absent;
    }
}
