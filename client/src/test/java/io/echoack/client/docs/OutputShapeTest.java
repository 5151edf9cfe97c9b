package io.echoack.client.docs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class OutputShapeTest {

    @Test
    void exactOutputIgnoresTrailingSpacesAMissingFinalNewlineAndTerminalLineEnds() {
        assertTrue(OutputShape.matchesExactly(List.of("Got your message"), "Got your message"));
        assertTrue(OutputShape.matchesExactly(List.of("a", ""), "a\r\n\r\n"));
        assertTrue(OutputShape.matchesExactly(List.of("a  "), "a\n"));
        assertTrue(OutputShape.matchesExactly(List.of(), ""));
        assertFalse(OutputShape.matchesExactly(List.of("a"), "a\n\n"));
        assertFalse(OutputShape.matchesExactly(List.of("exit code 0"), "exit code 8\n"));
    }

    @Test
    void linesPrintedCompareWithTheirBlankLines() {
        assertTrue(OutputShape.matchesExactly(List.of("Here is the message: hello", ""),
                List.of("Here is the message: hello", "")));
        assertFalse(OutputShape.matchesExactly(List.of("Here is the message: hello", ""),
                List.of("Here is the message: hello")));
        assertTrue(OutputShape.matchesShape(List.of("took 12 ms", ""), List.of("took 3 ms", "")));
    }

    @Test
    void byShapeNumbersAndSpacingVaryButWordsDoNot() {
        List<String> shown = List.of("2026-11-27T10:31:07.412Z INFO  EchoAckServer - transport epoll, 2 threads");
        assertTrue(OutputShape.matchesShape(shown, "2027-01-02T03:04:05.6Z INFO EchoAckServer - transport epoll, 16 threads\n"));
        assertFalse(OutputShape.matchesShape(shown, "2027-01-02T03:04:05.6Z INFO EchoAckServer - transport nio, 16 threads\n"));
        assertFalse(OutputShape.matchesShape(shown, "2027-01-02 INFO EchoAckServer - transport epoll, 16 threads\n"));
    }

    @Test
    void byShapeRepeatedLinesOfOneShapeMatchAnyNumberOfThem() {
        List<String> shown = List.of("[  1s] warm-up   11420 msgs/s", "[  2s]   48369 msgs/s", "[  3s]   52878 msgs/s",
                "sent 138404 in 3.005 s; errors: none");
        assertTrue(OutputShape.matchesShape(shown, "[  1s] warm-up 5 msgs/s\n[  2s] 7 msgs/s\nsent 7 in 1.0 s; errors: none\n"));
        assertTrue(OutputShape.matchesShape(shown,
                "[  1s] warm-up 5 msgs/s\n[  2s] 7 msgs/s\n[  3s] 7 msgs/s\n[  4s] 7 msgs/s\nsent 7 in 1.0 s; errors: none\n"));
        assertFalse(OutputShape.matchesShape(shown, "[  1s] warm-up 5 msgs/s\nsent 7 in 1.0 s; errors: none\n"));
        assertFalse(OutputShape.matchesShape(shown, "[  1s] warm-up 5 msgs/s\n[  2s] 7 msgs/s\nsent 7 in 1.0 s; errors: 3\n"));
    }

    @Test
    void aServersStartUpLinesArePrefixOfItsOutput() {
        List<String> shown = List.of("12:00 listening on tcp://127.0.0.1:51717 (ack)");
        assertTrue(OutputShape.startsWithShape(shown, "12:01 listening on tcp://127.0.0.1:51717 (ack)\nHere is the message: a\n"));
        assertFalse(OutputShape.startsWithShape(shown, "12:01 WARN something\n12:01 listening on tcp://127.0.0.1:51717 (ack)\n"));
        assertFalse(OutputShape.startsWithShape(shown, "12:01 listening on tcp://127.0.0.1:51717 (ac"));
        assertEquals(1, OutputShape.prefixLines(shown, "12:01 listening on tcp://127.0.0.1:51717 (ack)\nmore\n"));
    }
}
