package io.echoack.client.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Base64;
import java.util.SplittableRandom;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

class HistogramTextTest {

    @Test
    void aHistogramComesBackWithEveryCount() {
        Histogram h = PhaseStats.newHistogram();
        SplittableRandom random = new SplittableRandom(15);
        for (int i = 0; i < 50_000; i++) {
            h.recordValue(1 + random.nextLong(5_000_000_000L));
        }
        Histogram back = HistogramText.decode(HistogramText.encode(h));
        assertEquals(h, back);
        assertEquals(h.getTotalCount(), back.getTotalCount());
        assertEquals(h.getValueAtPercentile(99.99), back.getValueAtPercentile(99.99));
        assertEquals(h.getMaxValue(), back.getMaxValue());
    }

    @Test
    void anEmptyHistogramComesBackEmpty() {
        Histogram back = HistogramText.decode(HistogramText.encode(PhaseStats.newHistogram()));
        assertEquals(0, back.getTotalCount());
    }

    @Test
    void whatIsNotAHistogramIsSaidToBeNone() {
        IllegalArgumentException notBase64 = assertThrows(IllegalArgumentException.class,
                () -> HistogramText.decode("not base64!"));
        assertTrue(notBase64.getMessage().startsWith("not base64"), notBase64.getMessage());
        IllegalArgumentException notHdr = assertThrows(IllegalArgumentException.class,
                () -> HistogramText.decode(Base64.getEncoder().encodeToString(new byte[] {1, 2, 3, 4, 5, 6, 7, 8})));
        assertTrue(notHdr.getMessage().startsWith("not a compressed HdrHistogram"), notHdr.getMessage());
    }
}
