package io.echoack.server.cli;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.JsonEncoder;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.encoder.Encoder;
import java.util.Locale;
import org.slf4j.LoggerFactory;

/**
 * Sets up the server's logging from {@code --log-level} and {@code --log-format}: one event per line on
 * stderr, as text for people or as JSON objects for log collectors. Netty's own logging stays at WARN. Lines
 * reach stderr through a {@link LogQueueAppender}, so that a stderr that does not keep up never stalls an
 * event loop; {@link #stop()} writes what is still queued.
 */
final class Logging {

    static final String TEXT_PATTERN = "%d{yyyy-MM-dd'T'HH:mm:ss.SSSXXX} %-5level %logger{0} - %msg%n";

    private Logging() {
    }

    /** Logs at {@code level}, as JSON when {@code json}, else as text (see {@link #parseFormat}). */
    static void configure(Level level, boolean json) {
        if (!(LoggerFactory.getILoggerFactory() instanceof LoggerContext context)) {
            return; // another SLF4J backend: leave it alone
        }
        configure(context, level, json);
    }

    /**
     * As {@link #configure(Level, boolean)}, on {@code context}; when it already logs that way (the defaults
     * {@link LogbackDefaults} installed, what a server started without --log-level and --log-format asks for),
     * it is left as it is: no second writer thread started and the first stopped, on every start.
     */
    static void configure(LoggerContext context, Level level, boolean json) {
        if (!(context.getObject(Installed.KEY) instanceof Installed installed && installed.is(level, json))) {
            install(context, level, json);
        }
    }

    /** What {@link #install} set up, kept in the logger context it set up. */
    private record Installed(Level level, boolean json) {
        static final String KEY = Installed.class.getName();

        /**
         * Compared field by field: a record's own {@code equals} is bootstrapped on its first call, which spins
         * about 20 method-handle classes while the server starts (bench/README.md, "Start time").
         */
        boolean is(Level level, boolean json) {
            return this.level.equals(level) && this.json == json;
        }
    }

    /**
     * True for {@code json}, false for {@code text}.
     *
     * @throws IllegalArgumentException for any other format
     */
    static boolean parseFormat(String format) {
        String f = format.trim().toLowerCase(Locale.ROOT);
        if (!f.equals("text") && !f.equals("json")) {
            throw new IllegalArgumentException("unknown log format '" + format + "' (expected text or json)");
        }
        return f.equals("json");
    }

    /**
     * Writes the lines still queued (waiting a bounded time for stderr to take them) and stops logging. For
     * {@code main}, just before the JVM exits.
     */
    static void stop() {
        if (LoggerFactory.getILoggerFactory() instanceof LoggerContext context) {
            context.stop();
        }
    }

    /** Replaces the context's configuration with one queued stderr appender at {@code level}, as text or JSON. */
    static void install(LoggerContext context, Level level, boolean json) {
        context.reset();
        Encoder<ILoggingEvent> encoder;
        if (json) {
            JsonEncoder jsonEncoder = new JsonEncoder();
            jsonEncoder.setWithSequenceNumber(false);
            jsonEncoder.setWithNanoseconds(false);
            jsonEncoder.setWithContext(false);
            jsonEncoder.setWithArguments(false);
            jsonEncoder.setWithMessage(false);
            jsonEncoder.setWithFormattedMessage(true);
            jsonEncoder.setWithMDC(false);
            jsonEncoder.setWithKVPList(false);
            encoder = jsonEncoder;
        } else {
            PatternLayoutEncoder text = new PatternLayoutEncoder();
            text.setPattern(TEXT_PATTERN);
            encoder = text;
        }
        encoder.setContext(context);
        encoder.start();
        ConsoleAppender<ILoggingEvent> console = new ConsoleAppender<>();
        console.setContext(context);
        console.setName("stderr");
        console.setTarget("System.err");
        console.setEncoder(encoder);
        console.start();
        LogQueueAppender appender = new LogQueueAppender(LogQueueAppender.QUEUE_LINES);
        appender.setContext(context);
        appender.setName("stderr-queue");
        appender.addAppender(console);
        appender.start();
        Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
        root.addAppender(appender);
        root.setLevel(level);
        context.getLogger("io.netty").setLevel(level.isGreaterOrEqual(Level.WARN) ? level : Level.WARN);
        context.putObject(Installed.KEY, new Installed(level, json));
    }

    /**
     * A level by name, as {@code --log-level} takes it.
     *
     * @throws IllegalArgumentException for an unknown level
     */
    static Level parseLevel(String level) {
        String l = level.trim().toUpperCase(Locale.ROOT);
        return switch (l) {
            case "ERROR", "WARN", "INFO", "DEBUG", "TRACE" -> Level.toLevel(l);
            case "WARNING" -> Level.WARN;
            default -> throw new IllegalArgumentException(
                    "unknown log level '" + level + "' (expected error, warn, info, debug or trace)");
        };
    }
}
