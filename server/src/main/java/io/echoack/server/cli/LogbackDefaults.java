package io.echoack.server.cli;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.core.spi.ContextAwareBase;

/**
 * Logback's first configuration, found through {@code META-INF/services}: INFO text lines on stderr,
 * Netty at WARN, the same as {@code --log-level info --log-format text}. Configuring in code instead of a
 * {@code logback.xml} keeps logback's XML machinery out of the server process (what that saves: the README's
 * Performance section, "What each change gained"). A {@code -Dlogback.configurationFile} given on the command
 * line still wins.
 */
public final class LogbackDefaults extends ContextAwareBase implements Configurator {

    @Override
    public ExecutionStatus configure(LoggerContext context) {
        if (System.getProperty("logback.configurationFile") != null) {
            return ExecutionStatus.INVOKE_NEXT_IF_ANY;
        }
        Logging.install(context, Level.INFO, false);
        return ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY;
    }
}
