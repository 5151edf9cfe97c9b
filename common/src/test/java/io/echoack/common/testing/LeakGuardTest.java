package io.echoack.common.testing;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.util.ResourceLeakDetector;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Proves the leak guard sees a real leak, so a green build means no leak report, not a deaf guard. */
class LeakGuardTest {

    @Test
    void reportsABufferThatWasNeverReleased() {
        assertTrue(LeakGuard.isInstalled(), "the launcher listener installs the guard");
        ResourceLeakDetector.Level before = ResourceLeakDetector.getLevel();
        ResourceLeakDetector.setLevel(ResourceLeakDetector.Level.PARANOID);
        try {
            leakOne();
            List<String> leaks = LeakGuard.collect();
            assertFalse(leaks.isEmpty(), "a dropped buffer must be reported");
            assertTrue(leaks.get(0).contains("LEAK"), leaks.get(0));
        } finally {
            ResourceLeakDetector.setLevel(before);
        }
    }

    private static void leakOne() {
        ByteBuf leaked = PooledByteBufAllocator.DEFAULT.directBuffer(64);
        leaked.writeLong(42); // and drop the reference without release()
    }
}
