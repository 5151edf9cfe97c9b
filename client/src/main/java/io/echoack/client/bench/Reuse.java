package io.echoack.client.bench;

import java.util.random.RandomGenerator;

/**
 * Connection churn ({@code --reuse MIN:MAX}): each persistent stream connection carries a number of messages drawn
 * uniformly from {@code [min, max]}, then is closed and replaced by a new one. Between the two extremes a bench
 * already had: a connection per message ({@code 1:1}) and one connection for the whole run (no reuse limit).
 *
 * @param min the fewest messages a connection carries, at least 1
 * @param max the most messages a connection carries, at least {@code min}
 */
public record Reuse(long min, long max) {

    public Reuse {
        if (min < 1) {
            throw new IllegalArgumentException("MIN must be >= 1, was " + min);
        }
        if (min > max) {
            throw new IllegalArgumentException("MIN must be <= MAX, was " + min + ":" + max);
        }
    }

    /**
     * Reads {@code MIN:MAX} (or one number {@code N}, meaning {@code N:N}).
     *
     * @throws IllegalArgumentException quoting {@code text} and saying what is wrong with it
     */
    public static Reuse parse(String text) {
        String t = text.trim();
        int colon = t.indexOf(':');
        String minText = colon < 0 ? t : t.substring(0, colon);
        String maxText = colon < 0 ? t : t.substring(colon + 1);
        long min;
        long max;
        try {
            min = Long.parseLong(minText.trim());
            max = Long.parseLong(maxText.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + text + "' is not MIN:MAX (messages per connection, e.g. 100:1000)");
        }
        try {
            return new Reuse(min, max);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("'" + text + "': " + e.getMessage());
        }
    }

    /** How many messages the next connection carries: uniform in {@code [min, max]}. */
    long draw(RandomGenerator random) {
        return min == max ? min : random.nextLong(min, max + 1);
    }

    @Override
    public String toString() {
        return min + ":" + max;
    }
}
