package io.echoack.server.cli;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import org.slf4j.LoggerFactory;

/** Turns on debug logging for echoack at runtime (for {@code --verbose}). */
final class Logging {
    private Logging() {
    }

    static void enableDebug() {
        if (LoggerFactory.getLogger("io.echoack") instanceof Logger logger) {
            logger.setLevel(Level.DEBUG);
        }
    }
}
