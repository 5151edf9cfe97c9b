package io.echoack.server.cli;

import io.netty.util.ResourceLeakDetector;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * The server's Netty leak detection: off, unless the JVM was started with Netty's property
 * ({@code -Dio.netty.leakDetection.level}, or its old name {@code io.netty.leakDetectionLevel}), which then
 * stands. Netty's default samples one buffer in 128 and records where it was allocated and last touched; with a
 * buffer read and one written per message that is a measurable share of the server's CPU per message (bench/README.md,
 * "Server CPU per message") and finds nothing the tests, which run every handler with the property set to
 * paranoid, would not. Set by {@link Main} only, so a server started in-process (the tests) keeps the JVM's level.
 */
final class LeakDetection {

    static final String PROPERTY = "io.netty.leakDetection.level";
    static final String LEGACY_PROPERTY = "io.netty.leakDetectionLevel";

    private LeakDetection() {
    }

    /** The level the server sets, if any: none when either property is given. */
    static Optional<ResourceLeakDetector.Level> serverLevel(UnaryOperator<String> systemProperty) {
        boolean set = systemProperty.apply(PROPERTY) != null || systemProperty.apply(LEGACY_PROPERTY) != null;
        return set ? Optional.empty() : Optional.of(ResourceLeakDetector.Level.DISABLED);
    }

    /** Applies {@link #serverLevel} to this JVM. */
    static void configure() {
        serverLevel(System::getProperty).ifPresent(ResourceLeakDetector::setLevel);
    }
}
