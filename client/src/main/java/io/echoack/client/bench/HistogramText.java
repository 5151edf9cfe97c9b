package io.echoack.client.bench;

import java.nio.ByteBuffer;
import java.util.Base64;
import java.util.zip.DataFormatException;
import org.HdrHistogram.Histogram;

/**
 * A whole histogram as text, for the bench JSON's {@code histograms}: HdrHistogram's compressed encoding
 * ({@link Histogram#encodeIntoCompressedByteBuffer}) in base64. It carries every recorded value's bucket, so that
 * histograms of runs on many machines add up ({@link Histogram#add}) to exactly the histogram one run recording
 * all their values would have: percentiles of the whole, not averages of percentiles.
 */
public final class HistogramText {

    private HistogramText() {
    }

    /** {@code histogram} as base64 of its compressed encoding. */
    public static String encode(Histogram histogram) {
        ByteBuffer buffer = ByteBuffer.allocate(histogram.getNeededByteBufferCapacity());
        int length = histogram.encodeIntoCompressedByteBuffer(buffer);
        buffer.flip();
        byte[] bytes = new byte[length];
        buffer.get(bytes);
        return Base64.getEncoder().encodeToString(bytes);
    }

    /**
     * The histogram {@link #encode} wrote, resizing itself when another with larger values is added to it.
     *
     * @throws IllegalArgumentException when {@code text} is not base64 of a compressed HdrHistogram (saying which)
     */
    public static Histogram decode(String text) {
        byte[] bytes;
        try {
            bytes = Base64.getDecoder().decode(text.strip());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("not base64: " + e.getMessage(), e);
        }
        try {
            Histogram histogram = Histogram.decodeFromCompressedByteBuffer(ByteBuffer.wrap(bytes), 0);
            histogram.setAutoResize(true);
            return histogram;
        } catch (DataFormatException | RuntimeException e) {
            throw new IllegalArgumentException("not a compressed HdrHistogram (" + e.getClass().getSimpleName()
                    + (e.getMessage() == null ? "" : ": " + e.getMessage()) + ")", e);
        }
    }
}
