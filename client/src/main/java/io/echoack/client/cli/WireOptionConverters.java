package io.echoack.client.cli;

import io.echoack.common.codec.Framing;
import io.echoack.common.codec.ReplyMode;
import io.echoack.common.transport.Transport;
import java.util.Arrays;
import java.util.Iterator;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * picocli converters and completion candidates for the protocol options ({@code --mode}, {@code --framing},
 * {@code --transport}), so that they accept and show the same lower-case names as endpoint URIs do.
 */
final class WireOptionConverters {

    private WireOptionConverters() {
    }

    static final class ModeConverter implements ITypeConverter<ReplyMode> {
        @Override
        public ReplyMode convert(String value) {
            try {
                return ReplyMode.parse(value);
            } catch (IllegalArgumentException e) {
                throw new TypeConversionException(e.getMessage());
            }
        }
    }

    static final class FramingConverter implements ITypeConverter<Framing> {
        @Override
        public Framing convert(String value) {
            try {
                return Framing.parse(value);
            } catch (IllegalArgumentException e) {
                throw new TypeConversionException(e.getMessage());
            }
        }
    }

    static final class TransportConverter implements ITypeConverter<Transport> {
        @Override
        public Transport convert(String value) {
            try {
                return Transport.parse(value);
            } catch (IllegalArgumentException e) {
                throw new TypeConversionException(e.getMessage());
            }
        }
    }

    static final class ModeNames implements Iterable<String> {
        @Override
        public Iterator<String> iterator() {
            return Arrays.stream(ReplyMode.values()).map(ReplyMode::id).iterator();
        }
    }

    static final class FramingNames implements Iterable<String> {
        @Override
        public Iterator<String> iterator() {
            return Arrays.stream(Framing.values()).map(Framing::id).iterator();
        }
    }

    static final class TransportNames implements Iterable<String> {
        @Override
        public Iterator<String> iterator() {
            return Arrays.stream(Transport.values()).map(Transport::id).iterator();
        }
    }
}
