package io.echoack.server.output;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class LineQueueTest {

    private final ByteArrayOutputStream sink = new ByteArrayOutputStream();
    private final LineQueue queue = new LineQueue(new PrintStream(sink, true, StandardCharsets.UTF_8));

    private List<String> written() {
        queue.close();
        return sink.toString(StandardCharsets.UTF_8).lines().toList();
    }

    @Test
    void linesAndDeferredLinesAreWrittenInTheOrderTheyCame() {
        assertTrue(queue.offer("one"));
        assertTrue(queue.offer(() -> "two, made by the writer"));
        assertTrue(queue.offer("three", Duration.ofSeconds(1)));
        assertEquals(List.of("one", "two, made by the writer", "three"), written());
    }

    @Test
    void aLineThatFailsToFormatIsLeftOutAndTheWriterGoesOn() {
        queue.offer(() -> {
            throw new IllegalStateException("a bug, on purpose");
        });
        queue.offer(() -> null);
        queue.offer("after");
        assertEquals(List.of("after"), written());
    }

    @Test
    void closingTwiceIsHarmless() {
        queue.offer("only");
        queue.close();
        assertEquals(List.of("only"), written());
    }
}
