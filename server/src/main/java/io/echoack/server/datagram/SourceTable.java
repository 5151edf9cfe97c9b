package io.echoack.server.datagram;

import java.util.Arrays;

/**
 * A bounded map from a 128-bit source address to its token-bucket state, least recently used entry evicted
 * when full. Everything lives in parallel primitive arrays; they start small and double as sources arrive,
 * up to the capacity, so an idle listener holds a few kilobytes instead of its whole budget, and once a
 * flood of forged sources has filled the table it costs no allocation and no garbage, only the eviction of
 * stale entries. Hash buckets chain through an index array; recency is an intrusive doubly linked list. Not
 * thread-safe: the {@link ReflectionGuard} holds a lock per table.
 */
final class SourceTable {

    private static final int NONE = -1;
    /** Entries allocated at first: about 4.5 KB of arrays. */
    static final int INITIAL_ENTRIES = 64;

    private final int capacity;
    private int[] buckets;
    private int mask;
    private int[] chain;
    private long[] keyHi;
    private long[] keyLo;
    private int[] hashes;
    private int[] newer;
    private int[] older;
    private int newest = NONE;
    private int oldest = NONE;
    private int size;

    // the state of each source, by index
    double[] packets;
    double[] bytes;
    double[] credit;
    long[] last;

    SourceTable(int capacity) {
        this.capacity = capacity;
        allocate(Math.min(capacity, INITIAL_ENTRIES));
    }

    /** Entries the arrays have room for now: between the first allocation and the capacity. */
    int allocated() {
        return chain.length;
    }

    int size() {
        return size;
    }

    /** The index of {@code (hi, lo)}, now the most recently used, or {@link #NONE} (as -1). */
    int find(long hi, long lo, int hash) {
        for (int i = buckets[hash & mask]; i != NONE; i = chain[i]) {
            if (keyHi[i] == hi && keyLo[i] == lo) {
                touch(i);
                return i;
            }
        }
        return NONE;
    }

    /**
     * Adds {@code (hi, lo)}, which must be absent, evicting the least recently used entry when full, and
     * returns its index (most recently used). The caller initialises its state.
     */
    int add(long hi, long lo, int hash) {
        int i;
        if (size < capacity) {
            if (size == chain.length) {
                allocate(Math.min(capacity, size * 2));
            }
            i = size++;
        } else {
            i = oldest;
            unlinkRecency(i);
            unlinkBucket(i);
        }
        keyHi[i] = hi;
        keyLo[i] = lo;
        hashes[i] = hash;
        int b = hash & mask;
        chain[i] = buckets[b];
        buckets[b] = i;
        linkNewest(i);
        return i;
    }

    /**
     * Sizes the arrays for {@code entries}, keeping every entry's index (so the recency list stays as it is),
     * and rebuilds the buckets, at least twice as many as entries, from the stored hashes. Entries only leave
     * by eviction, which happens only at capacity, so indexes {@code 0..size-1} are all live here.
     */
    private void allocate(int entries) {
        chain = grow(chain, entries);
        keyHi = grow(keyHi, entries);
        keyLo = grow(keyLo, entries);
        hashes = grow(hashes, entries);
        newer = grow(newer, entries);
        older = grow(older, entries);
        packets = grow(packets, entries);
        bytes = grow(bytes, entries);
        credit = grow(credit, entries);
        last = grow(last, entries);
        int n = Integer.highestOneBit(Math.max(2, entries) * 2 - 1) * 2; // a power of two, >= 2 x entries
        buckets = new int[n];
        Arrays.fill(buckets, NONE);
        mask = n - 1;
        for (int i = 0; i < size; i++) {
            int b = hashes[i] & mask;
            chain[i] = buckets[b];
            buckets[b] = i;
        }
    }

    private static int[] grow(int[] a, int n) {
        return a == null ? new int[n] : Arrays.copyOf(a, n);
    }

    private static long[] grow(long[] a, int n) {
        return a == null ? new long[n] : Arrays.copyOf(a, n);
    }

    private static double[] grow(double[] a, int n) {
        return a == null ? new double[n] : Arrays.copyOf(a, n);
    }

    private void touch(int i) {
        if (i != newest) {
            unlinkRecency(i);
            linkNewest(i);
        }
    }

    private void linkNewest(int i) {
        older[i] = newest;
        newer[i] = NONE;
        if (newest != NONE) {
            newer[newest] = i;
        }
        newest = i;
        if (oldest == NONE) {
            oldest = i;
        }
    }

    private void unlinkRecency(int i) {
        int n = newer[i];
        int o = older[i];
        if (n != NONE) {
            older[n] = o;
        } else {
            newest = o;
        }
        if (o != NONE) {
            newer[o] = n;
        } else {
            oldest = n;
        }
    }

    private void unlinkBucket(int i) {
        int b = hashes[i] & mask;
        if (buckets[b] == i) {
            buckets[b] = chain[i];
            return;
        }
        for (int p = buckets[b]; p != NONE; p = chain[p]) {
            if (chain[p] == i) {
                chain[p] = chain[i];
                return;
            }
        }
        throw new IllegalStateException("entry " + i + " missing from its bucket");
    }
}
