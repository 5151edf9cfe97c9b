package io.echoack.client.cli;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.spi.ContextAwareBase;

/**
 * The CLI's logging, found by logback through {@code META-INF/services}: warnings and errors only, one line each
 * on stderr ({@code echoack: WARN Logger: message}), so that stdout carries replies alone. Configured in code
 * because logback's XML configuration loads about 300 classes (an XML parser among them) on every start of a
 * command that runs for a fraction of a second. An XML configuration still wins: {@code -Dlogback.configurationFile},
 * or a {@code logback-test.xml} or {@code logback.xml} on the class path (as in the tests).
 */
public final class CliLogging extends ContextAwareBase implements Configurator {

    static final String PATTERN = "echoack: %level %logger{0}: %msg%n";

    @Override
    public ExecutionStatus configure(LoggerContext context) {
        if (LogbackXml.given()) {
            return ExecutionStatus.INVOKE_NEXT_IF_ANY;
        }
        install(context);
        return ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY;
    }

    /** WARN and above, as {@link #PATTERN} lines on stderr. */
    static void install(LoggerContext context) {
        PatternLayoutEncoder encoder = new PatternLayoutEncoder();
        encoder.setContext(context);
        encoder.setPattern(PATTERN);
        encoder.start();
        ConsoleAppender<ILoggingEvent> stderr = new ConsoleAppender<>();
        stderr.setContext(context);
        stderr.setName("stderr");
        stderr.setTarget("System.err");
        stderr.setEncoder(encoder);
        stderr.start();
        Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
        root.addAppender(stderr);
        root.setLevel(Level.WARN);
    }
}
