package io.echoack.common.testing;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaCall;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.core.importer.Location;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;
import io.netty.channel.ChannelHandler;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Future;

/**
 * The structure of echoack as rules, written once and run by each module's {@code ArchitectureTest} over the
 * production classes it can see (server + common + cli-support, client + common + cli-support).
 */
public final class ArchitectureRules {

    private ArchitectureRules() {
    }

    @ArchTest
    public static final ArchRule SHARED_CODE_KNOWS_NEITHER_SERVER_NOR_CLIENT = noClasses()
            .that().resideInAnyPackage("io.echoack.common..", "io.echoack.cli..")
            .should().dependOnClassesThat().resideInAnyPackage("io.echoack.server..", "io.echoack.client..");

    // Each module's test sees the main classes of one side only: the other side's rule checks nothing there.
    @ArchTest
    public static final ArchRule SERVER_NEVER_USES_CLIENT = noClasses()
            .that().resideInAPackage("io.echoack.server..")
            .should().dependOnClassesThat().resideInAPackage("io.echoack.client..")
            .allowEmptyShould(true);

    @ArchTest
    public static final ArchRule CLIENT_NEVER_USES_SERVER = noClasses()
            .that().resideInAPackage("io.echoack.client..")
            .should().dependOnClassesThat().resideInAPackage("io.echoack.server..")
            .allowEmptyShould(true);

    @ArchTest
    public static final ArchRule PICOCLI_ONLY_IN_THE_CLIS = noClasses()
            .that().resideOutsideOfPackages("io.echoack.cli..", "io.echoack.server.cli..", "io.echoack.client.cli..")
            .should().dependOnClassesThat().resideInAPackage("picocli..");

    @ArchTest
    public static final ArchRule NO_PACKAGE_CYCLES = slices().matching("io.echoack.(**)")
            .should().beFreeOfCycles();

    @ArchTest
    public static final ArchRule HANDLERS_DO_NOT_BLOCK = noClasses()
            .that().areAssignableTo(ChannelHandler.class)
            .should().callMethodWhere(calls(Thread.class, "sleep"))
            .orShould().callMethodWhere(calls(BlockingQueue.class, "put", "take"))
            .orShould().callMethodWhere(calls(Object.class, "wait"))
            .orShould().callMethodWhere(calls(Future.class, "get", "await", "awaitUninterruptibly", "sync",
                    "syncUninterruptibly"))
            .because("a handler runs on an event loop, which must never wait");

    private static DescribedPredicate<JavaCall<?>> calls(Class<?> owner, String... methods) {
        Set<String> names = Set.of(methods);
        return DescribedPredicate.describe(owner.getSimpleName() + "." + String.join("/", methods),
                call -> names.contains(call.getName()) && call.getTargetOwner().isAssignableTo(owner));
    }

    /**
     * Production classes only: no test classes, whether from a module's own {@code target/test-classes} or
     * from another module's test jar (in the reactor, a directory or a {@code -tests.jar}).
     */
    public static final class MainClassesOnly implements ImportOption {
        @Override
        public boolean includes(Location location) {
            return !location.contains("/test-classes/") && !location.contains("-tests.jar");
        }
    }
}
