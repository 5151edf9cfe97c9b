package io.echoack.common.testing;

import java.util.List;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Fails a test class when Netty reported a leaked buffer while it ran. Registered for every test class by
 * JUnit's extension auto-detection (see {@code junit-platform.properties}).
 */
public final class LeakCheckExtension implements BeforeAllCallback, AfterAllCallback {

    @Override
    public void beforeAll(ExtensionContext context) {
        LeakGuard.install();
        LeakGuard.collect(); // leaks from earlier classes were already reported against them
    }

    @Override
    public void afterAll(ExtensionContext context) {
        List<String> leaks = LeakGuard.collect();
        if (!leaks.isEmpty()) {
            throw new AssertionError(leaks.size() + " ByteBuf leak report(s) while running "
                    + context.getDisplayName() + ":\n" + String.join("\n\n", leaks));
        }
    }
}
