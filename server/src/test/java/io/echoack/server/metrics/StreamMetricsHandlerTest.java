package io.echoack.server.metrics;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.echoack.server.stream.EchoResponder;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import org.junit.jupiter.api.Test;

class StreamMetricsHandlerTest {

    private static String scrape(ServerMetrics metrics) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        metrics.writeTo(out);
        return out.toString(US_ASCII);
    }

    @Test
    void countsEveryMessageAndSamplesTheLatencyOfTheFirstReadAndEverySixteenth() throws IOException {
        ServerMetrics metrics = new ServerMetrics();
        EmbeddedChannel ch = new EmbeddedChannel(new StreamMetricsHandler(metrics.listener("tcp://t")),
                EchoResponder.INSTANCE);
        int reads = 2 * StreamMetricsHandler.LATENCY_SAMPLE_EVERY + 1; // reads 0, 16 and 32 are timed
        for (int i = 0; i < reads; i++) {
            ch.writeInbound(Unpooled.copiedBuffer("m" + i + "\n", US_ASCII)); // one read: read, then read complete
            ByteBuf echoed = ch.readOutbound();
            echoed.release();
        }
        String text = scrape(metrics);
        assertTrue(text.contains("echoack_messages_received_total{endpoint=\"tcp://t\"} " + reads + ".0"), text);
        assertTrue(text.contains("echoack_messages_sent_total{endpoint=\"tcp://t\"} " + reads + ".0"), text);
        assertTrue(text.contains("echoack_reply_latency_seconds_count{endpoint=\"tcp://t\"} 3"), text);
        assertFalse(ch.finish());
    }
}
