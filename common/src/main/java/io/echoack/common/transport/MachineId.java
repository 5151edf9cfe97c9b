package io.echoack.common.transport;

import java.util.HexFormat;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Gives Netty a machine id before it makes its first channel id, so that it does not look for one.
 *
 * <p>Netty makes every channel's id from a machine id: {@code -Dio.netty.machineId} when set, otherwise the
 * best hardware (MAC) address of the network interfaces. In a container or network namespace that has only
 * a loopback interface there is none, and Netty logs a WARN ("Failed to find a usable hardware address ...;
 * using random bytes") that tells an echoack user nothing they can act on. echoack only uses channel ids in
 * logs, where random bytes serve as well as a MAC address (which Netty's fallback uses too); setting them
 * up front also spares the scan of every network interface at startup.
 *
 * <p>The bytes come from {@link ThreadLocalRandom}, as Netty's own fallback's do: an id in a log needs no secret,
 * so it need not be what sets up the JDK's security providers (Netty still does, to name the file it extracts its
 * native library to).
 */
public final class MachineId {

    /** The system property Netty's {@code DefaultChannelId} reads once, when it is first used. */
    public static final String PROPERTY = "io.netty.machineId";

    private static final int EUI64_BYTES = 8;

    private MachineId() {
    }

    /**
     * Sets {@value #PROPERTY} to 8 random bytes (an EUI-64, {@code 12:34:...}) unless it is set already (a
     * value given with {@code -D} wins). Call it first thing in {@code main}: it has no effect once Netty has
     * made a channel.
     */
    public static void setRandomUnlessSet() {
        if (System.getProperty(PROPERTY) == null) {
            byte[] id = new byte[EUI64_BYTES];
            ThreadLocalRandom.current().nextBytes(id);
            System.setProperty(PROPERTY, HexFormat.ofDelimiter(":").formatHex(id));
        }
    }
}
