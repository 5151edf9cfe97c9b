package io.echoack.client.bench;

import static io.echoack.common.text.FieldMessage.field;

import io.echoack.common.text.FieldMessage;
import java.util.Locale;

/** Why a bench run stopped before its end (its duration or count); reported in the table and the JSON. */
public enum StopReason {
    /** Asked to stop ({@link BenchRunner#stop()}): {@code echoack bench} got SIGINT (Ctrl-C), SIGTERM or SIGHUP. */
    INTERRUPTED,
    /** A reply was not the expected one: a run stops at the first (what is in flight still counts). */
    WRONG_REPLY,
    /** Messages failed and not a single reply arrived within the reply timeout of the start. */
    NOTHING_ANSWERED,
    /** Every connect-per-message worker's first connect (or TLS handshake) failed. */
    NOTHING_CONNECTED;

    /** Lower-case name, as in the JSON report ({@code stop_reason}). */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * For the table: {@code stopped early: <this>}; a setting it names is named by its {@link BenchConfig}
     * field ({@code nothing answered within timeout}), which a CLI renders as its flag.
     */
    public FieldMessage describe() {
        return switch (this) {
            case INTERRUPTED -> FieldMessage.of("interrupted");
            case WRONG_REPLY -> FieldMessage.of("a wrong reply");
            case NOTHING_ANSWERED -> FieldMessage.of("nothing answered within ", field("timeout"));
            case NOTHING_CONNECTED -> FieldMessage.of("no worker could connect");
        };
    }
}
