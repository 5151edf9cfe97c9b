package io.echoack.common.codec;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.ByteBuffer;

/**
 * Buffers for bytes sent again and again (acks, error lines, terminators): built once in direct memory,
 * read-only, never released, and shared by every channel. Send {@code buffer.duplicate()}: each
 * duplicate has its own indexes, so threads never disturb each other, and no reference count is touched.
 */
public final class ConstantBuffers {

    private ConstantBuffers() {
    }

    /** A read-only, unreleasable direct buffer holding {@code bytes}. */
    public static ByteBuf of(byte[] bytes) {
        ByteBuffer direct = ByteBuffer.allocateDirect(bytes.length).put(bytes).flip();
        // Wrapping (not allocating from an allocator) keeps this permanent buffer out of leak tracking.
        return Unpooled.unreleasableBuffer(Unpooled.wrappedBuffer(direct)).asReadOnly();
    }
}
