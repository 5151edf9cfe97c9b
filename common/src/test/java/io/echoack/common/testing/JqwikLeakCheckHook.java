package io.echoack.common.testing;

import java.lang.reflect.AnnotatedElement;
import java.util.List;
import java.util.Optional;
import net.jqwik.api.lifecycle.AroundContainerHook;
import net.jqwik.api.lifecycle.ContainerLifecycleContext;
import net.jqwik.api.lifecycle.PropagationMode;

/**
 * {@link LeakCheckExtension} for jqwik: Jupiter extensions do not run on the jqwik engine, so this hook
 * fails a jqwik test class (container) when Netty reported a leaked buffer while it ran. Registered for
 * every class through {@code META-INF/services/net.jqwik.api.lifecycle.LifecycleHook}.
 */
public final class JqwikLeakCheckHook implements AroundContainerHook {

    @Override
    public boolean appliesTo(Optional<AnnotatedElement> element) {
        return element.filter(Class.class::isInstance).isPresent();
    }

    @Override
    public PropagationMode propagateTo() {
        return PropagationMode.ALL_DESCENDANTS; // registered once, at the engine; applies to each class
    }

    @Override
    public void beforeContainer(ContainerLifecycleContext context) {
        LeakGuard.install();
        LeakGuard.collect(); // leaks from earlier classes were already reported against them
    }

    @Override
    public void afterContainer(ContainerLifecycleContext context) {
        List<String> leaks = LeakGuard.collect();
        if (!leaks.isEmpty()) {
            throw new AssertionError(leaks.size() + " ByteBuf leak report(s) while running " + context.label()
                    + ":\n" + String.join("\n\n", leaks));
        }
    }
}
