package io.echoack.client.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.echoack.client.bench.HistogramText;
import io.echoack.client.testing.CliRun;
import io.echoack.client.testing.TestServer;
import io.echoack.common.transport.Transport;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Real bench runs against a real server on loopback, merged: nothing counted twice, nothing lost. */
@Timeout(120)
class MergeIT {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    @Test
    void twoBenchRunsMergeIntoTheirSum() throws Exception {
        try (TestServer server = TestServer.start(Transport.select(Transport.AUTO).transport(),
                List.of("tcp://127.0.0.1:0?mode=echo"))) {
            String endpoint = server.endpoint(0).toString();
            Path a = dir.resolve("a.json");
            Path b = dir.resolve("b.json");
            CliRun runA = CliRun.run("", "bench", endpoint, "-c", "2", "--count", "3000", "--warmup", "100ms", "-q",
                    "--label", "first", "--json", a.toString());
            CliRun runB = CliRun.run("", "bench", endpoint, "-c", "3", "--count", "5000", "--warmup",
                    "100ms", "-q", "--label", "second", "--json", b.toString());
            assertEquals(0, runA.exitCode(), runA::err);
            assertEquals(0, runB.exitCode(), runB::err);
            JsonNode jsonA = JSON.readTree(Files.readString(a));
            JsonNode jsonB = JSON.readTree(Files.readString(b));
            assertEquals("first", jsonA.get("label").asText());
            assertTrue(Instant.parse(jsonA.get("measured_from").asText())
                    .isBefore(Instant.parse(jsonB.get("measured_from").asText())), "one after the other");

            CliRun merge = CliRun.run("", "merge", a.toString(), b.toString(), "--json", "-");
            assertEquals(0, merge.exitCode(), merge::err);
            JsonNode merged = JSON.readTree(merge.out());
            assertEquals(jsonA.get("messages").asLong() + jsonB.get("messages").asLong(),
                    merged.get("messages").asLong());
            assertEquals(8000, merged.get("messages").asLong());
            assertEquals(8000, merged.get("sent").asLong());
            assertEquals(5, merged.get("connections").asInt());
            assertEquals(jsonA.get("warmup").get("sent").asLong() + jsonB.get("warmup").get("sent").asLong(),
                    merged.get("warmup").get("sent").asLong());
            Histogram sum = HistogramText.decode(jsonA.get("histograms").get("latency").get("hdr").asText());
            sum.add(HistogramText.decode(jsonB.get("histograms").get("latency").get("hdr").asText()));
            Histogram mergedLatency = HistogramText.decode(merged.get("histograms").get("latency").get("hdr").asText());
            assertEquals(sum, mergedLatency);
            assertEquals(8000, mergedLatency.getTotalCount());
            assertEquals(jsonA.get("measured_from").asText(), merged.get("measured_from").asText());
            assertEquals(jsonB.get("measured_to").asText(), merged.get("measured_to").asText());
            assertEquals(0.0, merged.get("overlap_s").asDouble(), "run one after the other: no overlap");
            assertTrue(merge.err().contains("warning: the clients did not run together"), merge.err());
            assertTrue(merge.err().lines().anyMatch(l -> l.matches("first +3000 .*")), merge.err());
            assertTrue(merge.err().lines().anyMatch(l -> l.matches("second +5000 .*")), merge.err());
        }
    }
}
