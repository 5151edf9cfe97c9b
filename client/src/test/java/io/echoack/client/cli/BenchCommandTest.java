package io.echoack.client.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.netty.util.ResourceLeakDetector;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** What `echoack bench` sets up before it runs. */
class BenchCommandTest {

    @Test
    void benchRunsWithoutLeakDetectionUnlessNettysPropertyAsksForIt() {
        assertEquals(Optional.of(ResourceLeakDetector.Level.DISABLED), BenchCommand.leakDetectionLevel(name -> null));
        for (String name : new String[] {"io.netty.leakDetection.level", "io.netty.leakDetectionLevel"}) {
            Map<String, String> properties = Map.of(name, "simple");
            assertEquals(Optional.empty(), BenchCommand.leakDetectionLevel(properties::get), name);
        }
    }

    @Test
    void theTestsPropertyKeepsLeakDetectionOnInProcessRuns() {
        assertEquals(Optional.empty(), BenchCommand.leakDetectionLevel(System::getProperty),
                "surefire and failsafe set io.netty.leakDetection.level");
    }
}
