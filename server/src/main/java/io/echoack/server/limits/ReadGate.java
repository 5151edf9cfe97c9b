package io.echoack.server.limits;

import io.netty.channel.Channel;
import io.netty.util.Attribute;
import io.netty.util.AttributeKey;

/**
 * The one owner of a stream connection's {@code autoRead}. Several handlers have a reason to stop reading
 * (a refused connection, a peer that does not read its replies, a connection being closed) and the shutdown
 * drain has a reason to read regardless; each states its own {@link Reason} here instead of switching
 * {@code autoRead} itself, so that none can undo another's. The connection reads when no reason holds, or,
 * once draining, when no final reason holds (a drain reads only to discard, so that the peer's close is
 * seen; a backpressure pause no longer matters then). A final reason is never lifted: a connection refused
 * or being closed is not read again, whatever happens to its writability.
 *
 * <p>Per connection, created on its first pause (a connection that never pauses pays nothing), kept in a
 * channel attribute. Event loop only, like the pipeline that calls it: no synchronisation; a pause or
 * resume is one field update, plus the {@code autoRead} switch when the outcome changes.
 */
public final class ReadGate {

    /** Why a connection stops reading. */
    public enum Reason {
        /**
         * Refused when it became active, or by its PROXY protocol header: it is closed and never read again.
         * Final.
         */
        ADMISSION(true),
        /** Its replies cannot be written (the peer does not read them): paused until they can. */
        BACKPRESSURE(false),
        /** Being closed by the server (a timeout), after the replies owed are flushed: never read again. Final. */
        CLOSING(true),
        /** A fault on purpose: a new connection read only after its {@code accept-delay}. */
        FAULT_ACCEPT_DELAY(false),
        /** Replies held back by a fault (delay, bandwidth) pile up: paused until they drain. */
        FAULT_HELD(false);

        final int bit = 1 << ordinal();
        final boolean isFinal;

        Reason(boolean isFinal) {
            this.isFinal = isFinal;
        }
    }

    static final AttributeKey<ReadGate> KEY = AttributeKey.valueOf(ReadGate.class, "readGate");

    private static final int FINAL_REASONS = finalReasons();
    private static final int DRAINING = 1 << Reason.values().length;

    private final Channel channel;
    /** One bit per {@link Reason} that holds, plus {@link #DRAINING}. */
    private int held;

    private ReadGate(Channel channel) {
        this.channel = channel;
    }

    private static int finalReasons() {
        int bits = 0;
        for (Reason r : Reason.values()) {
            bits |= r.isFinal ? r.bit : 0;
        }
        return bits;
    }

    private static ReadGate of(Channel ch) {
        Attribute<ReadGate> attr = ch.attr(KEY);
        ReadGate gate = attr.get();
        if (gate == null) {
            gate = new ReadGate(ch);
            attr.set(gate);
        }
        return gate;
    }

    /** Stops reading {@code ch} for {@code reason}, until that reason is lifted (never, for a final one). */
    public static void pause(Channel ch, Reason reason) {
        of(ch).hold(reason.bit);
    }

    /**
     * Lifts {@code reason}: {@code ch} reads again if nothing else holds it. Lifting a reason that does not
     * hold changes nothing (and costs no allocation).
     *
     * @throws IllegalArgumentException for a final reason
     */
    public static void resume(Channel ch, Reason reason) {
        if (reason.isFinal) {
            throw new IllegalArgumentException(reason + " is final: it is never lifted");
        }
        if (ch.hasAttr(KEY)) {
            ReadGate gate = ch.attr(KEY).get();
            if (gate != null && (gate.held & reason.bit) != 0) {
                gate.held &= ~reason.bit;
                gate.apply();
            }
        }
    }

    /**
     * Starts the shutdown drain of {@code ch}: from now on it reads (to discard) whether or not its replies
     * can be written, unless a final reason holds. Never undone.
     */
    public static void drain(Channel ch) {
        of(ch).hold(DRAINING);
    }

    /** Whether {@code ch} should be reading, as far as the gate knows: no reason holds it. */
    public static boolean reads(Channel ch) {
        ReadGate gate = ch.hasAttr(KEY) ? ch.attr(KEY).get() : null;
        return gate == null || gate.reads();
    }

    private void hold(int bit) {
        held |= bit;
        apply();
    }

    private boolean reads() {
        return (held & FINAL_REASONS) == 0 && ((held & DRAINING) != 0 || held == 0);
    }

    private void apply() {
        boolean reads = reads();
        if (channel.config().isAutoRead() != reads) {
            channel.config().setAutoRead(reads);
        }
    }
}
