package io.echoack.client.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.Configurator.ExecutionStatus;
import ch.qos.logback.classic.spi.LoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.classic.spi.ILoggingEvent;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class CliLoggingTest {

    @Test
    void warningsAndErrorsGoToStderrAsOneEchoackLineEach() {
        LoggerContext context = new LoggerContext();
        CliLogging.install(context);
        Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
        assertEquals(Level.WARN, root.getLevel());
        Logger netty = context.getLogger("io.netty.channel.DefaultChannelPipeline");
        assertFalse(netty.isInfoEnabled());
        assertTrue(netty.isWarnEnabled());

        ConsoleAppender<ILoggingEvent> stderr = (ConsoleAppender<ILoggingEvent>) root.getAppender("stderr");
        assertEquals("System.err", stderr.getTarget());
        LoggingEvent event = new LoggingEvent(Logger.FQCN, netty, Level.WARN, "no reply from {}", null,
                new Object[] {"tcp://127.0.0.1:7"});
        assertEquals("echoack: WARN DefaultChannelPipeline: no reply from tcp://127.0.0.1:7\n",
                new String(stderr.getEncoder().encode(event), StandardCharsets.UTF_8));
        context.stop();
    }

    @Test
    void anXmlConfigurationOnTheClassPathWins() {
        // the tests' logback-test.xml is on this class path
        assertEquals(ExecutionStatus.INVOKE_NEXT_IF_ANY, new CliLogging().configure(new LoggerContext()));
    }
}
