package io.echoack.common.testing;

import static org.quicktheories.generators.SourceDSL.arbitrary;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.lists;

import java.io.ByteArrayOutputStream;
import java.util.List;
import java.util.stream.Collectors;
import org.quicktheories.api.Pair;
import org.quicktheories.core.Gen;
import org.quicktheories.generators.Generate;

/**
 * QuickTheories generators and helpers shared by the framing property tests of common and server: how TCP
 * may cut a stream into reads, arbitrary bytes, length prefixes of every interesting kind, and a readable
 * form of byte arrays for the report of a falsified property (an array's own toString says nothing).
 */
public final class StreamInputs {

    private StreamInputs() {
    }

    /** Any byte; shrinks towards 0. */
    public static Gen<Byte> anyByte() {
        return Generate.bytes(Byte.MIN_VALUE, Byte.MAX_VALUE, (byte) 0);
    }

    /** Arrays of any bytes, from empty up to {@code maxLength}. */
    public static Gen<byte[]> bytes(int maxLength) {
        return bytes(anyByte(), maxLength);
    }

    /** Arrays of bytes from {@code contents}, from empty up to {@code maxLength}. */
    public static Gen<byte[]> bytes(Gen<Byte> contents, int maxLength) {
        return Generate.byteArrays(integers().between(0, maxLength), contents).describedAs(StreamInputs::show);
    }

    /**
     * Sizes of successive reads (cycled by the tests; an empty list is one read of everything): mostly up to
     * {@code largest}, sometimes 1 to 3 bytes, so that boundaries fall inside prefixes and terminators.
     * Shrinks towards fewer, smaller reads.
     */
    public static Gen<List<Integer>> readSizes(int largest) {
        Gen<Integer> size = Generate.frequency(Pair.of(1, integers().between(1, 3)),
                Pair.of(3, integers().between(1, largest)));
        return lists().of(size).ofSizeBetween(0, 40);
    }

    /**
     * A 4-byte length prefix's value: half of the time one of the edge cases for a decoder with the given
     * maximum (0, 1, around the maximum, -1, {@code Integer.MIN_VALUE}, {@code Integer.MAX_VALUE} and just
     * below, a negative int that is the maximum plus 2^31), otherwise any int.
     */
    public static Gen<Integer> lengthPrefixes(int max) {
        return Generate.oneOf(
                arbitrary().pick(List.of(0, 1, max - 1, max, max + 1, -1, Integer.MIN_VALUE, Integer.MAX_VALUE,
                        Integer.MAX_VALUE - 3, 0x8000_0000 + max)),
                integers().all());
    }

    /** A list of byte arrays, each described readably. */
    public static Gen<List<byte[]>> listsOf(Gen<byte[]> element, int maxSize) {
        return lists().of(element).ofSizeBetween(0, maxSize).describedAs(StreamInputs::show);
    }

    /** Concatenates generated parts into one stream. */
    public static Gen<byte[]> concatenated(Gen<byte[]> part, int maxParts) {
        return lists().of(part).ofSizeBetween(0, maxParts).map((List<byte[]> parts) -> concat(parts))
                .describedAs(StreamInputs::show);
    }

    /** The parts, one after the other. */
    public static byte[] concat(List<byte[]> parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        parts.forEach(out::writeBytes);
        return out.toByteArray();
    }

    /** The parts, one after the other. */
    public static byte[] concat(byte[]... parts) {
        return concat(List.of(parts));
    }

    /** A big-endian int, as a length prefix is sent. */
    public static byte[] intBytes(int v) {
        return new byte[] {(byte) (v >>> 24), (byte) (v >>> 16), (byte) (v >>> 8), (byte) v};
    }

    /**
     * The bytes as a quoted string with C-style escapes ({@code "ab\r\n\x00"}) and their count: what a
     * falsified property's report shows.
     */
    public static String show(byte[] bytes) {
        StringBuilder s = new StringBuilder(bytes.length + 16).append('"');
        for (byte b : bytes) {
            switch (b) {
                case '\n' -> s.append("\\n");
                case '\r' -> s.append("\\r");
                case '"' -> s.append("\\\"");
                case '\\' -> s.append("\\\\");
                default -> {
                    if (b >= 0x20 && b < 0x7f) {
                        s.append((char) b);
                    } else {
                        s.append(String.format("\\x%02x", b & 0xff));
                    }
                }
            }
        }
        return s.append("\" (").append(bytes.length).append(" bytes)").toString();
    }

    /** Each array as {@link #show(byte[])} does. */
    public static String show(List<byte[]> parts) {
        return parts.stream().map(StreamInputs::show).collect(Collectors.joining(", ", "[", "]"));
    }
}
