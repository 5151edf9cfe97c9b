package io.echoack.server.connectionlog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.echoack.server.metrics.ServerMetrics;
import io.echoack.server.output.LineQueue;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The connection log's queue: an output that stalls costs lines, counted, and never a wait. */
@Timeout(30)
class ConnectionLogTest {

    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-27T10:40:09.120Z"), ZoneOffset.UTC);

    private static ConnectionRecord record(int port) {
        InetSocketAddress peer = new InetSocketAddress("127.0.0.1", port);
        return new ConnectionRecord("tcp://127.0.0.1:0", new InetSocketAddress("127.0.0.1", 7), peer, peer, null, null,
                null, 0, 0, 0, 0, 0, 0, 0, "client_fin");
    }

    /** An output whose first write blocks until released, as a terminal paused with Ctrl-S or a full pipe. */
    static final class StalledOutput extends OutputStream {
        final CountDownLatch writing = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);
        final ByteArrayOutputStream written = new ByteArrayOutputStream();

        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public synchronized void write(byte[] b, int off, int len) throws IOException {
            writing.countDown();
            try {
                release.await();
            } catch (InterruptedException e) {
                throw new IOException(e);
            }
            written.write(b, off, len);
        }
    }

    @Test
    void aStalledOutputDropsLinesCountsThemAndNeverBlocksTheCaller() throws Exception {
        StalledOutput output = new StalledOutput();
        LineQueue queue = new LineQueue(new PrintStream(output, false, StandardCharsets.UTF_8), 3);
        ConnectionLog log = new ConnectionLog(ConnectionLogFormat.JSON, queue, CLOCK);
        ServerMetrics metrics = new ServerMetrics();
        metrics.connectionLogDropped(log::dropped);

        log.closed(record(1));
        assertTrue(output.writing.await(10, TimeUnit.SECONDS), "the writer took the first line and is stuck");
        long start = System.nanoTime();
        for (int port = 2; port <= 10; port++) {
            log.closed(record(port)); // 3 fit in the queue, 6 do not
        }
        long tookMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        assertTrue(tookMillis < 5_000, "offering must not wait for the output, took " + tookMillis + " ms");
        assertEquals(6, log.dropped());
        ByteArrayOutputStream scrape = new ByteArrayOutputStream();
        metrics.writeTo(scrape);
        assertTrue(scrape.toString(StandardCharsets.UTF_8).contains("echoack_connection_log_dropped_total 6.0"),
                scrape.toString(StandardCharsets.UTF_8));

        output.release.countDown();
        log.close();
        queue.close();
        List<String> lines = output.written.toString(StandardCharsets.UTF_8).lines().toList();
        assertEquals(4, lines.size(), lines::toString);
        for (int i = 0; i < 4; i++) {
            assertTrue(lines.get(i).contains("\"peer\":\"127.0.0.1:" + (i + 1) + "\""), lines::toString);
        }
    }

    @Test
    void linesNameTheListenerByTheAddressItBound() {
        ByteArrayOutputStream sink = new ByteArrayOutputStream();
        LineQueue queue = new LineQueue(new PrintStream(sink, true, StandardCharsets.UTF_8));
        ConnectionLog log = new ConnectionLog(ConnectionLogFormat.TEXT, queue, CLOCK);
        log.bound("tcp://127.0.0.1:0", "tcp://127.0.0.1:41234");
        log.closed(record(1));
        queue.close();
        assertTrue(sink.toString(StandardCharsets.UTF_8).startsWith(
                "Connection closed: listener=tcp://127.0.0.1:41234 local=127.0.0.1:7 "), sink::toString);
    }

    @Test
    void offIsNotAFormatToWriteIn() {
        LineQueue queue = new LineQueue(new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
        assertThrows(IllegalArgumentException.class, () -> new ConnectionLog(ConnectionLogFormat.OFF, queue, CLOCK));
        queue.close();
    }

    @Test
    void theFormatsAreReadByName() {
        assertEquals(ConnectionLogFormat.JSON, ConnectionLogFormat.parse(" JSON "));
        assertEquals(ConnectionLogFormat.OFF, ConnectionLogFormat.parse("off"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ConnectionLogFormat.parse("xml"));
        assertEquals("unknown connection log format 'xml' (expected off, text or json)", e.getMessage());
    }
}
