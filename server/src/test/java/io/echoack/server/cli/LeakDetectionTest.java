package io.echoack.server.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.netty.util.ResourceLeakDetector;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class LeakDetectionTest {

    @Test
    void offUnlessTheJvmWasToldALevel() {
        assertEquals(Optional.of(ResourceLeakDetector.Level.DISABLED), LeakDetection.serverLevel(name -> null));
    }

    @Test
    void eitherPropertyStands() {
        for (String name : new String[] {"io.netty.leakDetection.level", "io.netty.leakDetectionLevel"}) {
            Map<String, String> properties = Map.of(name, "simple");
            assertEquals(Optional.empty(), LeakDetection.serverLevel(properties::get), name);
        }
    }

    @Test
    void theTestsKeepTheirParanoidLevel() {
        assertEquals(Optional.empty(), LeakDetection.serverLevel(System::getProperty),
                "surefire and failsafe set io.netty.leakDetection.level");
        LeakDetection.configure();
        assertEquals(ResourceLeakDetector.Level.PARANOID, ResourceLeakDetector.getLevel());
    }
}
