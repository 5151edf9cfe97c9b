package io.echoack.server;

import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.junit.ArchTests;
import io.echoack.common.testing.ArchitectureRules;

/** The architecture rules over the server's production classes and the shared modules it is built on. */
@AnalyzeClasses(packages = {"io.echoack.server", "io.echoack.common", "io.echoack.cli"},
        importOptions = ArchitectureRules.MainClassesOnly.class)
class ArchitectureTest {

    @ArchTest
    static final ArchTests RULES = ArchTests.in(ArchitectureRules.class);
}
