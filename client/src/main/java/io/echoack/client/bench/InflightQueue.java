package io.echoack.client.bench;

/**
 * The messages in flight on one connection, oldest first: for each, its intended send time (latency is
 * measured from it) and its actual send time (timeouts run from it). A ring of primitives: no allocation
 * per message. Replies on a stream, and acks on datagrams, answer the oldest message.
 */
final class InflightQueue {

    private final long[] intended;
    private final long[] sentAt;
    private final int mask;
    private long head;
    private long tail;

    InflightQueue(int capacity) {
        int size = Integer.highestOneBit(Math.max(1, capacity - 1)) << 1;
        intended = new long[size];
        sentAt = new long[size];
        mask = size - 1;
    }

    /** Adds a message; the caller keeps the queue within the capacity it was made with. */
    void add(long intendedNanos, long sentNanos) {
        int slot = (int) (tail & mask);
        if (tail - head > mask) {
            throw new IllegalStateException("more messages in flight than the pipeline allows");
        }
        intended[slot] = intendedNanos;
        sentAt[slot] = sentNanos;
        tail++;
    }

    int size() {
        return (int) (tail - head);
    }

    boolean isEmpty() {
        return tail == head;
    }

    long oldestIntended() {
        return intended[(int) (head & mask)];
    }

    long oldestSentAt() {
        return sentAt[(int) (head & mask)];
    }

    void removeOldest() {
        if (head == tail) {
            throw new IllegalStateException("nothing in flight");
        }
        head++;
    }
}
