package io.echoack.common.codec;

import io.netty.handler.codec.LengthFieldBasedFrameDecoder;

/**
 * Splits a stream into frames of a 4-byte big-endian length followed by that many bytes, keeping the
 * prefix in the emitted frame. A negative length fails as a corrupted frame; a length above the maximum
 * fails fast as too long, before its bytes arrive.
 */
final class LengthFrameDecoder extends LengthFieldBasedFrameDecoder {

    LengthFrameDecoder(int maxPayloadLength) {
        super(Math.addExact(maxPayloadLength, Framing.LENGTH_PREFIX_BYTES), 0, Framing.LENGTH_PREFIX_BYTES, 0,
                0, true);
    }
}
