package io.echoack.client.cli;

import io.netty.util.internal.logging.AbstractInternalLogger;
import io.netty.util.internal.logging.InternalLogger;
import io.netty.util.internal.logging.InternalLoggerFactory;
import io.netty.util.internal.logging.Slf4JLoggerFactory;

/**
 * Netty's loggers for the CLI when {@link CliLogging} is its logging (warnings and errors only): each asks slf4j
 * (and so logback, which then sets itself up) for its logger only when it has a warning or an error to write.
 * Netty asks for a logger in nearly every class it loads, so with its own factory slf4j and logback were set up
 * on every run, about 15% of an {@code echoack send} that logs nothing (bench/README.md, "Start time"). What is
 * written, and how, does not change: below WARN is off as in {@link CliLogging}; the rest goes to the same
 * slf4j logger Netty's own factory would have made.
 */
final class DeferredNettyLoggers extends InternalLoggerFactory {

    /** Makes these Netty's default loggers, unless an XML configuration (which may log more) is there. */
    static void installIfCliLogging() {
        if (!LogbackXml.given()) {
            InternalLoggerFactory.setDefaultFactory(new DeferredNettyLoggers());
        }
    }

    @Override
    protected InternalLogger newInstance(String name) {
        return new WarnAndAbove(name);
    }

    /** Off below WARN; at WARN and above, slf4j's logger, made on first use. */
    private static final class WarnAndAbove extends AbstractInternalLogger {
        private static final long serialVersionUID = 1L;

        private transient volatile InternalLogger slf4j;

        WarnAndAbove(String name) {
            super(name);
        }

        private InternalLogger slf4j() {
            InternalLogger logger = slf4j;
            if (logger == null) {
                logger = new Slf4JLoggerFactory().newInstance(name());
                slf4j = logger;
            }
            return logger;
        }

        @Override
        public boolean isTraceEnabled() {
            return false;
        }

        @Override
        public void trace(String msg) {
        }

        @Override
        public void trace(String format, Object arg) {
        }

        @Override
        public void trace(String format, Object argA, Object argB) {
        }

        @Override
        public void trace(String format, Object... arguments) {
        }

        @Override
        public void trace(String msg, Throwable t) {
        }

        @Override
        public boolean isDebugEnabled() {
            return false;
        }

        @Override
        public void debug(String msg) {
        }

        @Override
        public void debug(String format, Object arg) {
        }

        @Override
        public void debug(String format, Object argA, Object argB) {
        }

        @Override
        public void debug(String format, Object... arguments) {
        }

        @Override
        public void debug(String msg, Throwable t) {
        }

        @Override
        public boolean isInfoEnabled() {
            return false;
        }

        @Override
        public void info(String msg) {
        }

        @Override
        public void info(String format, Object arg) {
        }

        @Override
        public void info(String format, Object argA, Object argB) {
        }

        @Override
        public void info(String format, Object... arguments) {
        }

        @Override
        public void info(String msg, Throwable t) {
        }

        @Override
        public boolean isWarnEnabled() {
            return true;
        }

        @Override
        public void warn(String msg) {
            slf4j().warn(msg);
        }

        @Override
        public void warn(String format, Object arg) {
            slf4j().warn(format, arg);
        }

        @Override
        public void warn(String format, Object... arguments) {
            slf4j().warn(format, arguments);
        }

        @Override
        public void warn(String format, Object argA, Object argB) {
            slf4j().warn(format, argA, argB);
        }

        @Override
        public void warn(String msg, Throwable t) {
            slf4j().warn(msg, t);
        }

        @Override
        public boolean isErrorEnabled() {
            return true;
        }

        @Override
        public void error(String msg) {
            slf4j().error(msg);
        }

        @Override
        public void error(String format, Object arg) {
            slf4j().error(format, arg);
        }

        @Override
        public void error(String format, Object argA, Object argB) {
            slf4j().error(format, argA, argB);
        }

        @Override
        public void error(String format, Object... arguments) {
            slf4j().error(format, arguments);
        }

        @Override
        public void error(String msg, Throwable t) {
            slf4j().error(msg, t);
        }
    }
}
