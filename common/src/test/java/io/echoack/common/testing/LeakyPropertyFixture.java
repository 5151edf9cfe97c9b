package io.echoack.common.testing;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import net.jqwik.api.Example;

/**
 * Not a test (the name keeps surefire away): a jqwik class that leaks one buffer, run on purpose by
 * {@link JqwikLeakCheckHookTest} to prove that the hook fails it.
 */
public class LeakyPropertyFixture {

    @Example
    void leaksOneBuffer() {
        ByteBuf leaked = PooledByteBufAllocator.DEFAULT.directBuffer(64);
        leaked.writeLong(42); // and drop the reference without release()
    }
}
