package io.echoack.common.transport;

/**
 * Keeps Netty's allocator from registering its flight recorder (JFR) events unless asked to.
 *
 * <p>Netty 4.2's allocator registers its buffer and chunk events with the JDK's flight recorder on the first
 * buffer it hands out, whether or not anything records: about 100 classes of {@code jdk.jfr} loaded and an event
 * handler class generated per event type, all inside the start of a server or a one-message client
 * (bench/README.md, "Start time").
 * {@code -Dio.netty.jfr.enabled=true} (in {@code JAVA_OPTS}) brings the events back for a recording.
 */
public final class NettyJfrEvents {

    /** The system property Netty's allocator reads once, when its event classes are first used. */
    public static final String PROPERTY = "io.netty.jfr.enabled";

    private NettyJfrEvents() {
    }

    /** Sets {@value #PROPERTY} to false unless it is set already. Call it in {@code main}, before Netty runs. */
    public static void offUnlessSet() {
        if (System.getProperty(PROPERTY) == null) {
            System.setProperty(PROPERTY, "false");
        }
    }
}
