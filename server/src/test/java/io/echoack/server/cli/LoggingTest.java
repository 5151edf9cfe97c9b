package io.echoack.server.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.JsonEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.util.LogbackMDCAdapter;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.ConsoleAppender;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The server's logging is set up once per start: the flags asking for what the defaults already installed
 * (INFO text) keep the running set-up (its writer thread included); anything else replaces it.
 */
class LoggingTest {

    private final LoggerContext context = new LoggerContext();

    @AfterEach
    void stop() {
        context.stop();
    }

    @Test
    void theDefaultsAskedForAgainAreKeptAndAnythingElseReplacesThem() {
        context.setMDCAdapter(new LogbackMDCAdapter());
        Logging.install(context, Level.INFO, false); // as LogbackDefaults does when logback starts
        Appender<ILoggingEvent> defaults = queue();
        assertTrue(defaults.isStarted());

        Logging.configure(context, Level.INFO, false);
        assertSame(defaults, queue(), "INFO text again: the same queue and writer thread");
        assertTrue(defaults.isStarted());

        Logging.configure(context, Level.INFO, true);
        Appender<ILoggingEvent> json = queue();
        assertNotSame(defaults, json);
        assertTrue(!defaults.isStarted() && json.isStarted(), "the old queue stopped, the new one runs");
        ConsoleAppender<ILoggingEvent> console = (ConsoleAppender<ILoggingEvent>)
                ((LogQueueAppender) json).getAppender("stderr");
        assertInstanceOf(JsonEncoder.class, console.getEncoder());

        Logging.configure(context, Level.WARN, true);
        assertNotSame(json, queue());
        assertEquals(Level.WARN, context.getLogger(Logger.ROOT_LOGGER_NAME).getLevel());
        assertEquals(Level.WARN, context.getLogger("io.netty").getLevel());
    }

    private Appender<ILoggingEvent> queue() {
        return context.getLogger(Logger.ROOT_LOGGER_NAME).getAppender("stderr-queue");
    }
}
