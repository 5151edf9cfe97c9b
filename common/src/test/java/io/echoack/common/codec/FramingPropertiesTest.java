package io.echoack.common.codec;

import static io.echoack.common.codec.DecoderHarness.assertFrames;
import static io.echoack.common.codec.DecoderHarness.assertLengthDecoderMatchesModel;
import static io.echoack.common.codec.DecoderHarness.assertLineDecoderMatchesModel;
import static io.echoack.common.codec.DecoderHarness.decode;
import static io.echoack.common.testing.StreamInputs.anyByte;
import static io.echoack.common.testing.StreamInputs.bytes;
import static io.echoack.common.testing.StreamInputs.concat;
import static io.echoack.common.testing.StreamInputs.concatenated;
import static io.echoack.common.testing.StreamInputs.intBytes;
import static io.echoack.common.testing.StreamInputs.lengthPrefixes;
import static io.echoack.common.testing.StreamInputs.listsOf;
import static io.echoack.common.testing.StreamInputs.readSizes;
import static io.echoack.common.testing.StreamInputs.show;
import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.arbitrary;
import static org.quicktheories.generators.SourceDSL.integers;

import io.echoack.common.codec.DecoderHarness.Outcome;
import io.netty.handler.codec.TooLongFrameException;
import java.util.Arrays;
import java.util.List;
import java.util.function.IntFunction;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.quicktheories.api.Pair;
import org.quicktheories.core.Gen;
import org.quicktheories.generators.Generate;

/**
 * Properties of the stream decoders ({@link Framing#newDecoder}) over generated input (QuickTheories): whole
 * messages split at random points, random garbage, and length prefixes of every kind (0, negative,
 * {@code Integer.MAX_VALUE}). Whatever arrives, a decoder either emits the wire frames a reference model
 * predicts or reports a clean error through {@code exceptionCaught} (a {@link TooLongFrameException}, a
 * {@code DecoderException}), never throws anything out of the pipeline, and releases every buffer it was
 * given (the class also runs under the paranoid leak guard). A falsified property reports the smallest
 * input it shrank to and the seed; {@code -DQT_SEED=<seed>} replays the run. Inputs that once failed are
 * pinned below as examples. The coverage-guided counterpart is {@link FramingDecoderFuzzTest}.
 */
class FramingPropertiesTest {

    private static final int MAX = 32;

    // ---------------------------------------------------------------- generators

    private static Gen<List<Integer>> reads() {
        return readSizes(2 * MAX);
    }

    /** A line's content: no {@code \n}, not ending in {@code \r} (that would be part of the terminator). */
    private static Gen<byte[]> lineContent(int maxLength) {
        Gen<Byte> b = Generate.frequency(Pair.of(1, arbitrary().constant((byte) '\r')),
                Pair.of(8, anyByte().assuming(x -> x != '\n')));
        return bytes(b, maxLength).map((byte[] c) -> {
            int end = c.length;
            while (end > 0 && c[end - 1] == '\r') {
                end--;
            }
            return Arrays.copyOf(c, end);
        });
    }

    /** Lines up to {@link #MAX} ending in {@code \n}, or up to MAX - 1 ending in {@code \r\n}. */
    private static Gen<List<byte[]>> lines() {
        Gen<byte[]> lf = lineContent(MAX).map((byte[] c) -> concat(c, new byte[] {'\n'}));
        Gen<byte[]> crlf = lineContent(MAX - 1).map((byte[] c) -> concat(c, new byte[] {'\r', '\n'}));
        return listsOf(Generate.oneOf(lf, crlf), 30);
    }

    /** Bytes rich in line ends and in lines near the given maximum. */
    private static Gen<byte[]> lineGarbage(int max) {
        Gen<Byte> lineEndsOften = Generate.frequency(Pair.of(1, arbitrary().pick((byte) '\n', (byte) '\r')),
                Pair.of(6, anyByte()));
        Gen<byte[]> nearMax = integers().between(Math.max(0, max - 2), max + 2).map((Integer n) -> {
            byte[] a = new byte[n];
            Arrays.fill(a, (byte) 'x');
            return a;
        });
        Gen<byte[]> ends = arbitrary().pick(List.of(new byte[] {'\n'}, new byte[] {'\r', '\n'}, new byte[] {'\r'}));
        return concatenated(Generate.oneOf(bytes(lineEndsOften, 4 * MAX), nearMax, ends), 12);
    }

    /** A length-framed stream: valid frames, frames whose prefix is any int, and raw garbage. */
    private static Gen<byte[]> lengthGarbage(int max) {
        Gen<byte[]> valid = bytes(max).map((byte[] payload) -> Framing.LENGTH.frame(payload));
        Gen<byte[]> anyPrefix = lengthPrefixes(max).zip(bytes(2 * MAX), (prefix, body) -> concat(intBytes(prefix), body));
        return concatenated(Generate.oneOf(valid, anyPrefix, bytes(7)), 10);
    }

    /** One input for a decoder with the given maximum, and how TCP cut it into reads. */
    private record Case(int max, byte[] input, List<Integer> reads) {
        @Override
        public String toString() {
            return "max " + max + ", reads " + reads + ", input " + show(input);
        }
    }

    /** A maximum from 1 to {@link #MAX}, and input made for it. */
    private static Gen<Case> cases(IntFunction<Gen<byte[]>> inputFor) {
        return integers().between(1, MAX).flatMap((Integer max) ->
                inputFor.apply(max).zip(reads(), (input, reads) -> new Case(max, input, reads)));
    }

    // ---------------------------------------------------------------- properties

    @Test
    void lineFramesSurviveAnySplit() {
        qt().withExamples(500).forAll(lines(), reads()).checkAssert((wireFrames, reads) -> {
            Outcome out = decode(Framing.LINE, MAX, concat(wireFrames), reads);
            assertTrue(out.errors().isEmpty(), () -> "errors: " + out.errors());
            assertFrames(wireFrames, out.frames());
            for (int i = 0; i < wireFrames.size(); i++) {
                byte[] w = wireFrames.get(i);
                int terminator = w.length > 1 && w[w.length - 2] == '\r' ? 2 : 1;
                assertArrayEquals(Arrays.copyOf(w, w.length - terminator), out.payloads().get(i), "payload " + i);
            }
        });
    }

    @Test
    void lengthFramesSurviveAnySplit() {
        qt().withExamples(500).forAll(listsOf(bytes(MAX), 30), reads()).checkAssert((payloads, reads) -> {
            List<byte[]> wireFrames = payloads.stream().map(Framing.LENGTH::frame).toList();
            Outcome out = decode(Framing.LENGTH, MAX, concat(wireFrames), reads);
            assertTrue(out.errors().isEmpty(), () -> "errors: " + out.errors());
            assertFrames(wireFrames, out.frames());
            assertFrames(payloads, out.payloads());
        });
    }

    /** See {@link DecoderHarness#assertLineDecoderMatchesModel}. */
    @Test
    void lineDecoderMatchesTheModelOnAnyBytes() {
        qt().withExamples(500).forAll(cases(FramingPropertiesTest::lineGarbage))
                .checkAssert(c -> assertLineDecoderMatchesModel(c.input(), c.reads(), c.max()));
    }

    /** See {@link DecoderHarness#assertLengthDecoderMatchesModel}. */
    @Test
    void lengthDecoderMatchesTheModelOnAnyBytes() {
        qt().withExamples(500).forAll(cases(FramingPropertiesTest::lengthGarbage))
                .checkAssert(c -> assertLengthDecoderMatchesModel(c.input(), c.reads(), c.max()));
    }

    /** The first prefix of a stream, of any value; what follows it may hold further frames or garbage. */
    @Test
    void everyLengthPrefixEitherFramesOrFailsCleanly() {
        qt().withExamples(300).forAll(lengthPrefixes(MAX), bytes(2 * MAX), reads())
                .checkAssert(FramingPropertiesTest::firstPrefixFramesOrFailsCleanly);
    }

    private static void firstPrefixFramesOrFailsCleanly(int prefix, byte[] body, List<Integer> reads) {
        Outcome out = decode(Framing.LENGTH, MAX, concat(intBytes(prefix), body), reads);
        long length = prefix & 0xffff_ffffL; // unsigned: a negative int is a length above 2 GiB
        if (length > MAX) {
            assertFalse(out.errors().isEmpty());
            assertInstanceOf(TooLongFrameException.class, out.errors().get(0));
            assertTrue(out.errors().get(0).getMessage().contains(String.valueOf(length + 4)),
                    out.errors().get(0).getMessage());
            if (length >= body.length) {
                assertTrue(out.frames().isEmpty(), "the claimed bytes are all discarded");
                assertEquals(1, out.errors().size(), "one error per frame");
            }
        } else if (length <= body.length) {
            assertFalse(out.frames().isEmpty());
            assertArrayEquals(Arrays.copyOf(body, (int) length), out.payloads().get(0));
        } else {
            assertTrue(out.frames().isEmpty(), "incomplete: nothing, not even at end of stream");
            assertTrue(out.errors().isEmpty());
        }
    }

    // ---------------------------------------------------------------- pinned examples

    /** The edge prefixes, each for certain (the generator picks them often, but by chance). */
    @ParameterizedTest
    @ValueSource(ints = {0, MAX, MAX + 1, -1, Integer.MIN_VALUE, Integer.MAX_VALUE})
    void edgeLengthPrefixesFrameOrFailCleanlyWhateverTheReads(int prefix) {
        byte[] body = concat(new byte[MAX], Framing.LENGTH.frame("next".getBytes(US_ASCII)));
        for (List<Integer> reads : List.of(List.<Integer>of(), List.of(1), List.of(3, 2), List.of(MAX + 5))) {
            firstPrefixFramesOrFailsCleanly(prefix, body, reads);
            assertLengthDecoderMatchesModel(concat(intBytes(prefix), body), reads, MAX);
        }
    }

    @Test
    void zeroLengthPrefixIsAnEmptyMessage() {
        Outcome out = decode(Framing.LENGTH, MAX, new byte[4], List.of(1));
        assertEquals(1, out.frames().size());
        assertEquals(0, out.payloads().get(0).length);
    }

    /**
     * Found by the property tests (commit a473fb7): a line of exactly max bytes ending in {@code \r\n} was
     * accepted when the {@code \r\n} arrived in one read, but refused as too long when a read ended between
     * {@code \r} and {@code \n} (Netty's LineBasedFrameDecoder counted the {@code \r} as content while
     * waiting for the {@code \n}). {@link LineFrameDecoder} waits for the next byte instead. The same input is
     * a committed regression input of {@link FramingDecoderFuzzTest}.
     */
    @Test
    void crlfLineOfMaxLengthSplitBeforeLf() {
        byte[] crlf = concat("x".repeat(MAX).getBytes(US_ASCII),
                new byte[] {'\r', '\n'});
        Outcome whole = decode(Framing.LINE, MAX, crlf, List.of());
        assertEquals(1, whole.frames().size());
        Outcome split = decode(Framing.LINE, MAX, crlf, List.of(MAX + 1, 1));
        assertEquals(1, split.frames().size(), "errors: " + split.errors());
        assertLineDecoderMatchesModel(crlf, List.of(MAX + 1, 1), MAX);
    }
}
