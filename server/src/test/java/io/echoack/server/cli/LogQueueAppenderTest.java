package io.echoack.server.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.util.LogbackMDCAdapter;
import ch.qos.logback.core.AppenderBase;
import io.netty.util.concurrent.FastThreadLocalThread;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The log queue in front of stderr: an event loop never waits for a stuck output, what it drops is counted and
 * reported in a WARN line, other threads wait a while for room.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class LogQueueAppenderTest {

    private static final int QUEUE = 4;
    private static final String DROPPED_6 = "dropped 6 log lines: the log output did not keep up";

    private final LoggerContext context = new LoggerContext();
    private final Logger logger = context.getLogger("test");
    private final StuckOutput output = new StuckOutput();
    private final LogQueueAppender queue = new LogQueueAppender(QUEUE);

    @BeforeEach
    void start() {
        context.setMDCAdapter(new LogbackMDCAdapter());
        output.setContext(context);
        output.start();
        queue.setContext(context);
        queue.addAppender(output);
        queue.start();
        logger.addAppender(queue);
        logger.setAdditive(false);
    }

    @AfterEach
    void stop() {
        output.release.countDown();
        context.stop();
    }

    /** Line 0 is being written (stuck); lines 1 to 4 fill the queue; lines 5 to 10 are dropped. */
    private void overflowFromAnEventLoop() throws InterruptedException {
        onEventLoop(() -> logger.info("line 0"));
        assertTrue(output.first.await(30, TimeUnit.SECONDS), "the writer took line 0");
        onEventLoop(() -> {
            for (int i = 1; i <= 10; i++) {
                logger.info("line {}", i);
            }
        });
        assertEquals(6, queue.dropped());
    }

    private static void onEventLoop(Runnable logging) throws InterruptedException {
        Thread loop = new FastThreadLocalThread(logging, "test-event-loop");
        loop.start();
        loop.join(TimeUnit.SECONDS.toMillis(20));
        assertFalse(loop.isAlive(), "an event loop waited for the log output");
    }

    @Test
    void anEventLoopDropsAndCountsWhenTheQueueIsFullAndTheCountIsLoggedWithTheNextLine() throws Exception {
        overflowFromAnEventLoop();
        output.release.countDown();
        await(() -> output.messages().size() == 1 + QUEUE);
        onEventLoop(() -> logger.info("line 11"));
        queue.stop();

        assertEquals(List.of("line 0", "line 1", "line 2", "line 3", "line 4", DROPPED_6, "line 11"),
                output.messages());
        assertEquals("WARN", output.levels().get(5));
        assertEquals(6, queue.dropped(), "the total stays");
    }

    @Test
    void stoppingWritesTheQueueAndTheCountNotYetReported() throws Exception {
        overflowFromAnEventLoop();
        output.release.countDown();
        queue.stop();

        assertEquals(List.of("line 0", "line 1", "line 2", "line 3", "line 4", DROPPED_6), output.messages());
    }

    @Test
    void aThreadThatIsNotAnEventLoopWaitsForRoomInsteadOfDropping() throws Exception {
        overflowFromAnEventLoop();
        Thread main = new Thread(() -> logger.info("closed"), "not-an-event-loop");
        main.start();
        await(() -> main.getState() == Thread.State.TIMED_WAITING);
        output.release.countDown();
        main.join(TimeUnit.SECONDS.toMillis(20));
        queue.stop();

        assertEquals(List.of("line 0", "line 1", "line 2", "line 3", "line 4", DROPPED_6, "closed"),
                output.messages());
        assertEquals(6, queue.dropped());
    }

    private static void await(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!condition.getAsBoolean()) {
            assertTrue(System.nanoTime() < deadline, "condition not met within 20 s");
            Thread.sleep(5);
        }
    }

    /** An output that takes the first line and then hangs, like a full pipe, until released. */
    private static final class StuckOutput extends AppenderBase<ILoggingEvent> {
        final CountDownLatch first = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);
        private final List<ILoggingEvent> events = new CopyOnWriteArrayList<>();

        @Override
        protected void append(ILoggingEvent event) {
            events.add(event);
            first.countDown();
            try {
                release.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        List<String> messages() {
            return events.stream().map(ILoggingEvent::getFormattedMessage).toList();
        }

        List<String> levels() {
            return events.stream().map(e -> e.getLevel().toString()).toList();
        }
    }
}
