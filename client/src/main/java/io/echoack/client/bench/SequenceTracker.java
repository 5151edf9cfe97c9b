package io.echoack.client.bench;

/**
 * Tracks the sequence numbers of one datagram flow in echo mode, where every reply carries the sequence
 * number of the datagram it echoes, so that each reply can be told apart as answered, reordered, duplicate
 * or late, and each unanswered datagram as lost.
 *
 * <ul>
 *   <li>received: the reply to a datagram still waiting; reordered as well when a datagram sent later was
 *       already answered;</li>
 *   <li>duplicate: a second reply to an answered datagram, or a reply too old to tell;</li>
 *   <li>late: a reply to a datagram already counted as lost;</li>
 *   <li>unknown: a sequence number never sent (a corrupt reply);</li>
 *   <li>lost: no reply within the timeout after it was sent ({@link #expire}), or by the end
 *       ({@link #expireAll}).</li>
 * </ul>
 *
 * <p>State is kept for the last {@link #window()} sequence numbers, in arrays indexed by sequence number
 * modulo the window; a datagram may be sent only while the oldest one still waiting is within that window
 * ({@link #canSend()}), so a lost datagram holds the flow back once the window is full, until it expires.
 * No allocation per datagram. Used on one event loop only.
 */
final class SequenceTracker {

    /** {@link #receive}: answered, in order. */
    static final int RECEIVED = 0;
    /** {@link #receive}: answered, after a later datagram was. */
    static final int REORDERED = 1;
    /** {@link #receive}: answered before (or too old to tell). */
    static final int DUPLICATE = 2;
    /** {@link #receive}: already counted as lost. */
    static final int LATE = 3;
    /** {@link #receive}: never sent. */
    static final int UNKNOWN = 4;

    private static final byte NEVER_SENT = 0;
    private static final byte WAITING = 1;
    private static final byte ANSWERED = 2;
    private static final byte LOST = 3;

    /** Receives each datagram declared lost by {@link #expire} or {@link #expireAll}. */
    interface LossListener {
        void lost(long intendedNanos);
    }

    private final byte[] state;
    private final long[] intended;
    private final long[] sentAt;
    private final int mask;
    private long nextSeq;
    /** No datagram before this one is waiting. */
    private long oldestWaiting;
    private long highestAnswered = -1;
    private int waiting;
    private long lastIntended;

    /** A tracker for a flow with at most {@code pipeline} datagrams in flight. */
    SequenceTracker(int pipeline) {
        int size = Integer.highestOneBit(Math.max(1024, 4 * pipeline) - 1) << 1;
        state = new byte[size];
        intended = new long[size];
        sentAt = new long[size];
        mask = size - 1;
    }

    /** How many sequence numbers are remembered. */
    int window() {
        return mask + 1;
    }

    /** Datagrams sent and neither answered nor lost yet. */
    int waiting() {
        return waiting;
    }

    /** True when the next sequence number fits the window (the oldest waiting datagram is not too old). */
    boolean canSend() {
        advanceOldest();
        return nextSeq - oldestWaiting <= mask;
    }

    /** Records a datagram sent now; returns its sequence number. Check {@link #canSend()} first. */
    long send(long intendedNanos, long sentNanos) {
        if (!canSend()) {
            throw new IllegalStateException("sequence window full");
        }
        int slot = (int) (nextSeq & mask);
        state[slot] = WAITING;
        intended[slot] = intendedNanos;
        sentAt[slot] = sentNanos;
        waiting++;
        return nextSeq++;
    }

    /**
     * Classifies a reply carrying {@code seq}: {@link #RECEIVED} or {@link #REORDERED} (then
     * {@link #lastIntended()} is its datagram's intended send time), {@link #DUPLICATE}, {@link #LATE} or
     * {@link #UNKNOWN}.
     */
    int receive(long seq) {
        if (seq < 0 || seq >= nextSeq) {
            return UNKNOWN;
        }
        if (nextSeq - seq > mask + 1) {
            return DUPLICATE; // forgotten: it was answered or lost long ago
        }
        int slot = (int) (seq & mask);
        switch (state[slot]) {
            case WAITING -> {
                state[slot] = ANSWERED;
                waiting--;
                lastIntended = intended[slot];
                boolean reordered = seq < highestAnswered;
                highestAnswered = Math.max(highestAnswered, seq);
                return reordered ? REORDERED : RECEIVED;
            }
            case ANSWERED -> {
                return DUPLICATE;
            }
            case LOST -> {
                return LATE;
            }
            default -> {
                return UNKNOWN;
            }
        }
    }

    /** The intended send time of the datagram the last {@link #RECEIVED} or {@link #REORDERED} reply answered. */
    long lastIntended() {
        return lastIntended;
    }

    /**
     * Declares lost every waiting datagram sent before {@code sentBefore} (oldest first), telling
     * {@code listener} about each; returns how many.
     */
    int expire(long sentBefore, LossListener listener) {
        int lost = 0;
        advanceOldest();
        while (oldestWaiting < nextSeq) {
            int slot = (int) (oldestWaiting & mask);
            if (state[slot] == WAITING) {
                if (sentAt[slot] - sentBefore >= 0) {
                    break; // sent in order: every later one was sent later still
                }
                markLost(slot, listener);
                lost++;
            }
            oldestWaiting++;
        }
        return lost;
    }

    /** Declares every waiting datagram lost (the run is over); returns how many. */
    int expireAll(LossListener listener) {
        int lost = 0;
        for (long seq = oldestWaiting; seq < nextSeq; seq++) {
            int slot = (int) (seq & mask);
            if (state[slot] == WAITING) {
                markLost(slot, listener);
                lost++;
            }
        }
        oldestWaiting = nextSeq;
        return lost;
    }

    /**
     * Resolves the oldest waiting datagram as failed some other way (e.g. ICMP port unreachable); returns its
     * intended send time, or {@link SendPlan#DONE} when none waits. A reply to it later counts as late.
     */
    long failOldest() {
        advanceOldest();
        if (oldestWaiting >= nextSeq) {
            return SendPlan.DONE;
        }
        int slot = (int) (oldestWaiting & mask);
        state[slot] = LOST;
        waiting--;
        oldestWaiting++;
        return intended[slot];
    }

    private void markLost(int slot, LossListener listener) {
        state[slot] = LOST;
        waiting--;
        listener.lost(intended[slot]);
    }

    private void advanceOldest() {
        while (oldestWaiting < nextSeq && state[(int) (oldestWaiting & mask)] != WAITING) {
            oldestWaiting++;
        }
    }
}
