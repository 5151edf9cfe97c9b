package io.echoack.server.datagram;

import java.util.Arrays;

/**
 * A fixed-capacity map from a 128-bit source address to its token-bucket state, least recently used entry
 * evicted when full. Everything lives in parallel primitive arrays allocated once, so a flood of forged
 * sources costs no allocation and no garbage, only the eviction of stale entries. Hash buckets chain
 * through an index array; recency is an intrusive doubly linked list. Not thread-safe: the
 * {@link ReflectionGuard} holds a lock per table.
 */
final class SourceTable {

    private static final int NONE = -1;

    private final int capacity;
    private final int[] buckets;
    private final int mask;
    private final int[] chain;
    private final long[] keyHi;
    private final long[] keyLo;
    private final int[] hashes;
    private final int[] newer;
    private final int[] older;
    private int newest = NONE;
    private int oldest = NONE;
    private int size;

    // the state of each source, by index
    final double[] packets;
    final double[] bytes;
    final double[] credit;
    final long[] last;

    SourceTable(int capacity) {
        this.capacity = capacity;
        int n = Integer.highestOneBit(Math.max(2, capacity) * 2 - 1) * 2; // a power of two, >= 2 x capacity
        buckets = new int[n];
        Arrays.fill(buckets, NONE);
        mask = n - 1;
        chain = new int[capacity];
        keyHi = new long[capacity];
        keyLo = new long[capacity];
        hashes = new int[capacity];
        newer = new int[capacity];
        older = new int[capacity];
        packets = new double[capacity];
        bytes = new double[capacity];
        credit = new double[capacity];
        last = new long[capacity];
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
