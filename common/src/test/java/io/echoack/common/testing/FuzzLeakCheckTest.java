package io.echoack.common.testing;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIf;

/**
 * Proves that the leak guard ({@link LeakCheckExtension}) fails a class of Jazzer fuzz tests that leaks, as
 * it runs in the build (replaying inputs, in the JVM of the fuzz tests: hence the tag).
 */
@Tag("jazzer")
class FuzzLeakCheckTest {

    @Test
    void aFuzzTestClassThatLeaksFails() {
        PropertyLeakCheckTest.assertLeakFailsClass(LeakyFuzzTest.class);
    }

    /** A fuzz test that passes on every input and leaks one buffer each time; run by the test above only. */
    @EnabledIf("io.echoack.common.testing.PropertyLeakCheckTest#fixtureEnabled")
    static class LeakyFuzzTest {

        @FuzzTest
        void leaksOnEveryInput(byte[] data) {
            ByteBuf leaked = PooledByteBufAllocator.DEFAULT.directBuffer(data.length + 1);
            leaked.writeBytes(data); // and drop the reference without release()
        }
    }
}
