package io.echoack.common.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import io.netty.util.ResourceLeakDetector;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.platform.testkit.engine.EngineExecutionResults;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.junit.platform.testkit.engine.Event;

/** Proves the leak guard also fails jqwik classes, so green property tests mean no leak report. */
class JqwikLeakCheckHookTest {

    @Test
    void aJqwikClassThatLeaksFails() {
        ResourceLeakDetector.Level before = ResourceLeakDetector.getLevel();
        ResourceLeakDetector.setLevel(ResourceLeakDetector.Level.PARANOID);
        try {
            EngineExecutionResults results = EngineTestKit.engine("jqwik")
                    .selectors(selectClass(LeakyPropertyFixture.class))
                    .configurationParameter("jqwik.database", "target/jqwik-database")
                    .execute();
            assertEquals(1, results.testEvents().succeeded().count(), "the example itself passes");
            List<Event> failed = results.containerEvents().failed().list();
            Event classFailure = failed.stream()
                    .filter(e -> e.getTestDescriptor().getDisplayName().equals("LeakyPropertyFixture"))
                    .findFirst().orElseThrow(() -> new AssertionError("the class did not fail: " + failed));
            Throwable cause = classFailure.getPayload(org.junit.platform.engine.TestExecutionResult.class)
                    .flatMap(org.junit.platform.engine.TestExecutionResult::getThrowable).orElseThrow();
            assertTrue(cause.getMessage().contains("ByteBuf leak report"), cause.getMessage());
        } finally {
            ResourceLeakDetector.setLevel(before);
        }
    }
}
