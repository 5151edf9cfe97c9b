package io.echoack.common.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.util.ResourceLeakDetector;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIf;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.engine.support.descriptor.ClassSource;
import org.junit.platform.testkit.engine.EngineExecutionResults;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.junit.platform.testkit.engine.Event;

/**
 * Proves that the leak guard ({@link LeakCheckExtension}) fails a class of QuickTheories properties that
 * leaks: a property's examples run inside one Jupiter test, so a leak in any of them fails its class, and a
 * green property test means no leak report. {@link FuzzLeakCheckTest} proves the same for Jazzer.
 */
class PropertyLeakCheckTest {

    private static volatile boolean fixtureEnabled;

    /** Keeps the fixture from running on its own (an IDE running a whole package would find it). */
    static boolean fixtureEnabled() {
        return fixtureEnabled;
    }

    @Test
    void aPropertyClassThatLeaksFails() {
        assertLeakFailsClass(LeakyProperty.class);
    }

    /**
     * Runs {@code fixture} on the Jupiter engine with the build's configuration (extension auto-detection
     * from {@code junit-platform.properties}) and checks that its tests passed but the class failed with the
     * leak report.
     */
    static void assertLeakFailsClass(Class<?> fixture) {
        ResourceLeakDetector.Level before = ResourceLeakDetector.getLevel();
        ResourceLeakDetector.setLevel(ResourceLeakDetector.Level.PARANOID);
        fixtureEnabled = true;
        try {
            EngineExecutionResults results = EngineTestKit.engine("junit-jupiter")
                    .selectors(selectClass(fixture))
                    .enableImplicitConfigurationParameters(true) // as the build: junit-platform.properties
                    .execute();
            assertTrue(results.testEvents().succeeded().count() >= 1, "the fixture's tests themselves pass");
            assertEquals(0, results.testEvents().failed().count(), "the fixture's tests themselves pass");
            List<Event> failed = results.containerEvents().failed().list();
            Event classFailure = failed.stream()
                    .filter(e -> e.getTestDescriptor().getSource().filter(ClassSource.class::isInstance)
                            .map(source -> ((ClassSource) source).getJavaClass()).filter(fixture::equals).isPresent())
                    .findFirst().orElseThrow(() -> new AssertionError("the class did not fail: " + failed));
            Throwable cause = classFailure.getPayload(TestExecutionResult.class)
                    .flatMap(TestExecutionResult::getThrowable).orElseThrow();
            assertTrue(cause.getMessage().contains("ByteBuf leak report"), cause.getMessage());
        } finally {
            fixtureEnabled = false;
            ResourceLeakDetector.setLevel(before);
        }
    }

    /** A property whose every example passes and leaks one buffer; run by the test above only. */
    @EnabledIf("io.echoack.common.testing.PropertyLeakCheckTest#fixtureEnabled")
    static class LeakyProperty {

        @Test
        void leaksInEveryExample() {
            qt().withExamples(20).forAll(integers().between(1, 64)).checkAssert(n -> {
                ByteBuf leaked = PooledByteBufAllocator.DEFAULT.directBuffer(n);
                leaked.writeZero(n); // and drop the reference without release()
                assertEquals(n, leaked.readableBytes());
            });
        }
    }
}
