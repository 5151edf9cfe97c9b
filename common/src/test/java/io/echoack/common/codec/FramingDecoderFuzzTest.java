package io.echoack.common.codec;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Coverage-guided fuzzing of the stream decoders (Jazzer): the fuzzer's bytes choose the decoder, its
 * maximum and how TCP cut the stream into reads, and the rest is the stream; the decoder must do what the
 * model in {@link DecoderHarness} says (the same checks as {@link FramingPropertiesTest}, which draws its
 * input at random instead).
 *
 * <p>In {@code mvn verify} (no {@code JAZZER_FUZZ}) this replays the committed inputs in
 * {@code src/test/resources/io/echoack/common/codec/FramingDecoderFuzzTestInputs/decodersMatchTheModel/}: inputs
 * that once failed and edge cases. A fuzzing run (command in the README) writes an input that fails there as
 * {@code crash-<sha1>}; once the bug is fixed, rename it after the bug and commit it.
 *
 * <p>Input layout, so that an input can be written by hand: byte 0, bit 0 is the framing (0 line, 1 length)
 * and bits 1-5 the maximum minus one (1 to 32); byte 1, bits 0-3, is how many read sizes follow (0 means one
 * read of everything); each read-size byte gives 1 plus its bits 0-5 (1 to 64); the rest is the stream.
 * For example {@code >2`@} followed by 32 {@code x} and {@code \r\n}: line framing, maximum 32, reads of 33
 * then 1 bytes.
 */
class FramingDecoderFuzzTest {

    @FuzzTest(maxDuration = "5m")
    void decodersMatchTheModel(byte[] data) {
        int head = data.length > 0 ? data[0] & 0xff : 0;
        Framing framing = (head & 1) == 0 ? Framing.LINE : Framing.LENGTH;
        int max = 1 + ((head >>> 1) & 31);
        int readCount = data.length > 1 ? data[1] & 15 : 0;
        int pos = Math.min(2, data.length);
        List<Integer> reads = new ArrayList<>();
        while (reads.size() < readCount && pos < data.length) {
            reads.add(1 + (data[pos++] & 63));
        }
        byte[] stream = Arrays.copyOfRange(data, pos, data.length);
        if (framing == Framing.LINE) {
            DecoderHarness.assertLineDecoderMatchesModel(stream, reads, max);
        } else {
            DecoderHarness.assertLengthDecoderMatchesModel(stream, reads, max);
        }
    }
}
