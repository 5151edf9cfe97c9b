package io.echoack.client.merge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

class MergeInputsTest {

    private static Histogram someLatencies(int n) {
        Histogram h = BenchJson.histogram();
        for (int i = 1; i <= n; i++) {
            h.recordValue(i * 1_000L);
        }
        return h;
    }

    /** bench JSON -> parse -> the same histogram it wrote. */
    @Test
    void aBenchDocumentReadsBackWithItsHistogram() {
        Histogram h = someLatencies(500);
        BenchInput input = BenchJson.read("a.json", BenchJson.of("pod-1", h, 2, 10)).get(0);
        assertEquals(h, input.histograms().get("latency"));
        assertEquals("pod-1", input.label());
        assertEquals("host-pod-1", input.host());
        assertEquals(BenchJson.T0.plusSeconds(2), input.measuredFrom());
        assertEquals(BenchJson.T0.plusSeconds(12), input.measuredTo());
        assertEquals(500, input.messages());
        assertEquals("a.json:1", input.where());
    }

    /** What kubectl logs of many bench pods look like: progress and tables on stderr, then each pod's JSON. */
    @Test
    void aStreamOfObjectsWithOtherLinesBetweenThem() {
        String text = "[  1s] warm-up      11420 msgs/s      0.73 MB/s  p99   19562.5 us  errors 0\n"
                + "echoack bench tcp://echoack:51717\n"
                + "    messages    errors       msgs/s\n"
                + BenchJson.of("a", someLatencies(10), 0, 1)
                + "echoack: bench: 1 error (timeout 1) against echoack:51717; exit code 3\n"
                + "{\"level\":\"info\",\"msg\":\"a JSON log line of something else\"}\n"
                + "\n"
                + BenchJson.of("b", someLatencies(20), 0, 1).replace("\n", "\n   ") // indented
                + "trailing noise } with a brace\n"
                + compact(BenchJson.of("c", someLatencies(30), 0, 1)) + "\n";
        List<BenchInput> inputs = BenchJson.read("-", text);
        assertEquals(List.of("a", "b", "c"), inputs.stream().map(BenchInput::label).toList());
        assertEquals(List.of(10L, 20L, 30L), inputs.stream().map(BenchInput::messages).toList());
        assertEquals("-:4", inputs.get(0).where(), "the line its object starts on");
    }

    /** kubectl logs --prefix --timestamps -f: lines of pods interleave, each with its pod's prefix. */
    @Test
    void prefixedLinesOfManyPodsAreSortedOutByPrefix() {
        String[] a = BenchJson.of("a", someLatencies(10), 0, 1).split("\n");
        String[] b = BenchJson.of("b", someLatencies(20), 0, 1).split("\n");
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < Math.max(a.length, b.length); i++) {
            if (i < a.length) {
                text.append("2026-12-06T12:00:00.123456789Z [pod/bench-0-x/bench] ").append(a[i]).append('\n');
            }
            if (i < b.length) {
                text.append("[pod/bench-1-y/bench] ").append(b[i]).append('\n');
            }
            if (i == 3) {
                text.append("[pod/bench-1-y/bench] echoack: bench: a stderr line between\n");
                text.append("[pod/bench-1-y/bench] [  3s]      48369 msgs/s      3.10 MB/s  p99    4063.2 us\n");
            }
        }
        List<BenchInput> inputs = BenchJson.read("-", text.toString());
        assertEquals(List.of("a", "b"), inputs.stream().map(BenchInput::label).toList());
        assertEquals("pod/bench-1-y/bench", inputs.get(1).prefix());
        assertEquals(someLatencies(20), inputs.get(1).histograms().get("latency"));
    }

    @Test
    void aSchema1ResultIsRefusedNamingTheFileAndWhatToDo() {
        String old = BenchJson.of("a", someLatencies(10), 0, 1).replace("\"schema\": 2", "\"schema\": 1");
        MergeException e = assertThrows(MergeException.class, () -> BenchJson.read("old.json", "x\n" + old));
        assertEquals("old.json:2: a schema 1 bench result has no histograms, so it cannot be merged exactly: rerun "
                + "that client with a newer echoack (bench --json writes schema 2)", e.getMessage());
    }

    @Test
    void malformedInputNamesTheFileAndLine() {
        String good = BenchJson.of("a", someLatencies(10), 0, 1);
        String broken = good.replace("\"sent\": 10,", "\"sent\": 10 oops,");
        int line = lineOf(broken, "oops");
        MergeException syntax = assertThrows(MergeException.class, () -> BenchJson.read("x.json", broken));
        assertTrue(syntax.getMessage().startsWith("x.json:" + line + ": not valid JSON: "), syntax.getMessage());

        String wrongType = good.replace("\"messages\": 10,", "\"messages\": \"ten\",");
        MergeException type = assertThrows(MergeException.class, () -> BenchJson.read("y.json", wrongType));
        assertEquals("y.json:" + lineOf(wrongType, "\"ten\"") + ": \"messages\": not a number: ten",
                type.getMessage());

        String badHistogram = good.replaceFirst("\"hdr\": \"[^\"]*\"", "\"hdr\": \"AAAA\"");
        MergeException hdr = assertThrows(MergeException.class, () -> BenchJson.read("z.json", badHistogram));
        assertTrue(hdr.getMessage().startsWith("z.json:" + lineOf(badHistogram, "\"histograms\"")
                + ": \"histograms\": histogram 'latency': not a compressed HdrHistogram"), hdr.getMessage());

        MergeException cut = assertThrows(MergeException.class,
                () -> BenchJson.read("cut.json", "noise\n" + good.substring(0, good.length() / 2)));
        assertEquals("cut.json:2: a JSON object starts here and does not end (a cut-off file or log?)",
                cut.getMessage());
    }

    @Test
    void objectsThatAreNoBenchResultsAreSkipped() {
        assertEquals(List.of(), BenchJson.read("log.txt", "{\"msg\": \"hello\"}\nplain text\n"));
    }

    private static int lineOf(String text, String what) {
        return text.substring(0, text.indexOf(what)).split("\n", -1).length;
    }

    private static String compact(String json) {
        return json.replaceAll("\n\\s*", "");
    }
}
