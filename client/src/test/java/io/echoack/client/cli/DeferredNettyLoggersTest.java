package io.echoack.client.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.netty.util.internal.logging.InternalLogger;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

class DeferredNettyLoggersTest {

    @Test
    void belowWarnIsOffAndWarningsAndErrorsReachSlf4jsLoggerOfTheSameName() {
        String name = "io.echoack.test.DeferredNettyLoggersTest";
        InternalLogger logger = new DeferredNettyLoggers().newInstance(name);
        assertFalse(logger.isTraceEnabled() || logger.isDebugEnabled() || logger.isInfoEnabled());
        assertTrue(logger.isWarnEnabled() && logger.isErrorEnabled());

        Logger logback = (Logger) LoggerFactory.getLogger(name);
        ListAppender<ILoggingEvent> seen = new ListAppender<>();
        seen.start();
        logback.addAppender(seen);
        try {
            logger.debug("not {}", "written");
            logger.info("not written");
            logger.warn("no reply from {}", "tcp://127.0.0.1:7");
            logger.error("failed", new IllegalStateException("why"));
        } finally {
            logback.detachAppender(seen);
        }
        assertEquals(List.of("WARN no reply from tcp://127.0.0.1:7", "ERROR failed"),
                seen.list.stream().map(e -> e.getLevel() + " " + e.getFormattedMessage()).toList());
        assertEquals("why", seen.list.get(1).getThrowableProxy().getMessage());
    }

    @Test
    void anXmlConfigurationKeepsNettysOwnLoggers() {
        // the tests' logback-test.xml is on this class path: it may log more than warnings
        assertTrue(LogbackXml.given());
    }
}
