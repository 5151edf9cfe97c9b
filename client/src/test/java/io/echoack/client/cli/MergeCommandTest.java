package io.echoack.client.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.echoack.client.bench.Counter;
import io.echoack.client.bench.HistogramText;
import io.echoack.client.merge.BenchJson;
import io.echoack.client.testing.CliRun;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import javax.imageio.ImageIO;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** {@code echoack merge} as a user runs it: files and standard input in, table, JSON, PNG and exit code out. */
@Timeout(60)
class MergeCommandTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private static Histogram latencies(int n, long nanos) {
        Histogram h = BenchJson.histogram();
        for (int i = 0; i < n; i++) {
            h.recordValue(nanos + i);
        }
        return h;
    }

    private Path file(String name, String content) throws Exception {
        return Files.writeString(dir.resolve(name), content);
    }

    @Test
    void twoFilesMergeIntoOneTableAndJson() throws Exception {
        Path a = file("a.json", BenchJson.of("a", latencies(1000, 100_000), 0, 10));
        Path b = file("b.json", BenchJson.of("b", latencies(3000, 300_000), 0.2, 10));
        CliRun table = CliRun.run("", "merge", a.toString(), b.toString());
        assertEquals(0, table.exitCode(), table::err);
        assertEquals("", table.err());
        assertTrue(table.out().startsWith("echoack merge: 2 runs of tcp, line framing, expect echo; 2 connections in "
                + "all"), table.out());
        assertTrue(table.out().contains("measured 10.200 s in all (union), 9.800 s together (overlap, 96%)"),
                table.out());
        assertTrue(table.out().lines().anyMatch(l -> l.matches("a +1000 +100\\.0 .* 0 +0")), table.out());
        assertTrue(table.out().lines().anyMatch(l -> l.matches("b +3000 +300\\.0 .* 0 +0")), table.out());

        CliRun json = CliRun.run("", "merge", a.toString(), b.toString(), "--json", "-");
        assertEquals(0, json.exitCode(), json::err);
        assertTrue(json.err().startsWith("echoack merge: 2 runs"), "the table goes to stderr: " + json.err());
        JsonNode merged = JSON.readTree(json.out());
        assertEquals(2, merged.get("schema").asInt());
        assertEquals(4000, merged.get("messages").asLong());
        assertEquals(10.2, merged.get("union_s").asDouble());
        assertEquals(9.8, merged.get("overlap_s").asDouble());
        assertEquals(4000 / 10.2, merged.get("msgs_per_s").asDouble(), 0.001);
        assertEquals(400.0, merged.get("msgs_per_s_sum").asDouble());
        assertEquals("echo", merged.get("mode").asText());
        assertEquals(List.of("a", "b"), merged.get("clients").findValuesAsText("name"));
        Histogram all = latencies(1000, 100_000);
        all.add(latencies(3000, 300_000));
        assertEquals(all, HistogramText.decode(merged.get("histograms").get("latency").get("hdr").asText()));
        assertEquals(all.getValueAtPercentile(99) / 1000.0, merged.get("latency_us").get("p99").asDouble());

        Path out = dir.resolve("merged.json");
        assertEquals(0, CliRun.run("", "merge", a.toString(), b.toString(), "--json", out.toString()).exitCode());
        assertEquals(4000, JSON.readTree(Files.readString(out)).get("messages").asLong());

        Path c = file("c.json", BenchJson.of("c", latencies(500, 200_000), 0, 10));
        CliRun again = CliRun.run("", "merge", out.toString(), c.toString(), "--json", "-");
        assertEquals(0, again.exitCode(), again::err);
        JsonNode twice = JSON.readTree(again.out());
        assertEquals(4500, twice.get("messages").asLong(), "a merged result merges again");
        all.add(latencies(500, 200_000));
        assertEquals(all, HistogramText.decode(twice.get("histograms").get("latency").get("hdr").asText()));
    }

    @Test
    void standardInputCarriesManyObjectsAmidOtherLines() throws Exception {
        String logs = "[  1s] warm-up      11420 msgs/s      0.73 MB/s  p99   19562.5 us  errors 0\n"
                + BenchJson.of("pod-0", latencies(10, 1000), 0, 1)
                + "echoack bench tcp://echoack:51717\n"
                + BenchJson.of("pod-1", latencies(20, 1000), 0, 1);
        CliRun run = CliRun.run(logs, "merge", "-", "--json", "-");
        assertEquals(0, run.exitCode(), run::err);
        assertEquals(30, JSON.readTree(run.out()).get("messages").asLong());
    }

    @Test
    void failuresOfTheInputsDecideTheExitCodeAsOneBenchRunWould() throws Exception {
        Path a = file("a.json", BenchJson.of("a", latencies(10, 1000), 0, 1, UnaryOperator.identity(),
                Map.of(Counter.TIMEOUT, 2L), null, 3));
        Path b = file("b.json", BenchJson.of("b", latencies(10, 1000), 0, 1, UnaryOperator.identity(),
                Map.of(Counter.REFUSED, 1L), null, 4));
        CliRun run = CliRun.run("", "merge", a.toString(), b.toString());
        assertEquals(ExitCodes.TIMEOUT, run.exitCode(), run::err);
        assertTrue(run.out().contains("errors: timeout 2, refused 1"), run.out());
        assertTrue(run.out().contains("failed run: a (" + a + ":1) exited 3"), run.out());
        assertEquals(List.of("echoack: merge: 3 errors in 2 runs, 2 of them exited non-zero; exit code 3"),
                run.err().lines().toList());

        Path interrupted = file("c.json", BenchJson.of("c", latencies(10, 1000), 0, 1, UnaryOperator.identity(),
                Map.of(), null, 130));
        CliRun clean = CliRun.run("", "merge", interrupted.toString());
        assertEquals(ExitCodes.FAILURE, clean.exitCode(), "no failure counted, but a run that did not succeed");
        assertTrue(clean.out().contains("failed run: c (" + interrupted + ":1) exited 130"), clean.out());
    }

    @Test
    void inputsItCannotMergeAreUsageErrorsNamingTheFile() throws Exception {
        Path a = file("a.json", BenchJson.of("a", latencies(10, 1000), 0, 1));
        Path big = file("big.json", BenchJson.of("big", latencies(10, 1000), 0, 1, b -> b.size(1024), Map.of(),
                null, 0));
        CliRun differ = CliRun.run("", "merge", a.toString(), big.toString());
        assertEquals(ExitCodes.USAGE, differ.exitCode());
        assertEquals(List.of("echoack: merge: size differs: 64 in " + a + ":1 (a), 1024 in " + big + ":1 (big): these "
                + "runs measured different things; --force merges them anyway"), differ.err().lines().toList());
        assertEquals(ExitCodes.OK, CliRun.run("", "merge", a.toString(), big.toString(), "--force").exitCode());

        Path old = file("old.json", BenchJson.of("a", latencies(10, 1000), 0, 1).replace("\"schema\": 2",
                "\"schema\": 1"));
        CliRun schema1 = CliRun.run("", "merge", a.toString(), old.toString());
        assertEquals(ExitCodes.USAGE, schema1.exitCode());
        assertEquals(List.of("echoack: merge: " + old + ":1: a schema 1 bench result has no histograms, so it cannot "
                + "be merged exactly: rerun that client with a newer echoack (bench --json writes schema 2)"),
                schema1.err().lines().toList());

        CliRun missing = CliRun.run("", "merge", dir.resolve("nope.json").toString());
        assertEquals(ExitCodes.USAGE, missing.exitCode());
        assertEquals(List.of("echoack: merge: " + dir.resolve("nope.json") + ": no such file"),
                missing.err().lines().toList());

        Path text = file("table.txt", "echoack bench tcp://h:1\n  messages errors\n");
        CliRun none = CliRun.run("", "merge", text.toString());
        assertEquals(ExitCodes.USAGE, none.exitCode());
        assertEquals(List.of("echoack: merge: " + text + ": no bench result in it (the JSON that 'echoack bench "
                + "--json' writes)"), none.err().lines().toList());

        CliRun nothing = CliRun.run("", "merge");
        assertEquals(ExitCodes.USAGE, nothing.exitCode());
        assertTrue(nothing.err().contains("Try 'echoack merge --help'"), nothing.err());
    }

    @Test
    void thePngIsAChartImage() throws Exception {
        Path a = file("a.json", BenchJson.of("a", latencies(1000, 100_000), 0, 10));
        Path b = file("b.json", BenchJson.of("b", latencies(3000, 300_000), 0, 10));
        Path png = dir.resolve("merged.png");
        CliRun run = CliRun.run("", "merge", a.toString(), b.toString(), "--png", png.toString());
        assertEquals(0, run.exitCode(), run::err);
        BufferedImage image = ImageIO.read(png.toFile());
        assertEquals(1400, image.getWidth());
        assertEquals(1000, image.getHeight());
        CliRun unwritable = CliRun.run("", "merge", a.toString(), "--png", dir.resolve("no/such/dir.png").toString());
        assertEquals(ExitCodes.FAILURE, unwritable.exitCode());
        assertTrue(unwritable.err().startsWith("echoack: merge: cannot write " + dir.resolve("no/such/dir.png")
                + ": no such directory"), unwritable.err());
    }
}
