package io.echoack.client.merge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MergeChartTest {

    @TempDir
    Path dir;

    private static BufferedImage draw(Path file, List<BenchInput> inputs) throws Exception {
        MergeChart.write(MergedRun.of(inputs, false), file);
        return ImageIO.read(file.toFile());
    }

    @Test
    void barsForEveryClientAndACurveEvenWithoutReplies() throws Exception {
        assertTrue(MergeChart.available(), "this JDK has java.desktop");
        Histogram some = BenchJson.histogram();
        for (int i = 1; i <= 10_000; i++) {
            some.recordValue(10_000L + i * 50L);
        }
        List<BenchInput> many = new ArrayList<>();
        for (int c = 0; c < 120; c++) {
            many.addAll(BenchJson.read("c" + c + ".json", BenchJson.of("client-" + c, some, 0, 1)));
        }
        BufferedImage chart = draw(dir.resolve("many.png"), many);
        assertEquals(1400, chart.getWidth());
        assertNotEquals(0xFFFFFF, chart.getRGB(200, 400) & 0xFFFFFF, "a bar is drawn near the left");

        BufferedImage empty = draw(dir.resolve("empty.png"),
                BenchJson.read("none.json", BenchJson.of("idle", BenchJson.histogram(), 0, 1)));
        assertEquals(1000, empty.getHeight());
    }
}
