package io.echoack.client.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * bin/echoack's compiler choice, seen in the java command line it runs (a stand-in {@code java} that prints its
 * arguments): the quick compiler only for the short commands, and only for methods that run often, the optimising one
 * for {@code bench}, whose long runs measure a server and must not be limited by the load generator's own code.
 */
class LauncherJitTest {

    private static final Path LAUNCHER = Path.of("..", "bin", "echoack").toAbsolutePath().normalize();
    private static final String C1_ONLY = "-XX:TieredStopAtLevel=1";
    private static final String COMPILE_LATER = "-XX:CompileThresholdScaling=5";

    @TempDir
    Path home;

    @Test
    void shortCommandsUseTheQuickCompilerOnly() throws Exception {
        for (String command : List.of("send", "chat", "check", "info")) {
            List<String> args = javaArguments(command);
            assertTrue(args.contains(C1_ONLY), command + ": " + args);
            assertTrue(args.contains(COMPILE_LATER), command + " compiles only what runs often: " + args);
        }
    }

    @Test
    void benchKeepsTheOptimisingCompiler() throws Exception {
        List<String> args = javaArguments("bench");
        assertFalse(args.contains(C1_ONLY), args.toString());
        assertTrue(args.stream().noneMatch(a -> a.startsWith("-XX:CompileThresholdScaling")),
                "bench compiles its hot paths as soon as the JVM would: " + args);
        assertEquals("bench", args.get(args.indexOf("-jar") + 2), "the command is passed on: " + args);
    }

    @Test
    void theUsersOptionsStillComeLastAndWin() throws Exception {
        List<String> args = javaArguments("bench", "-XX:TieredStopAtLevel=1");
        assertTrue(args.indexOf(C1_ONLY) > 0 && args.indexOf(C1_ONLY) < args.indexOf("-jar"), args.toString());
    }

    /** The arguments bin/echoack gives java for {@code command}, with {@code javaOpts} as JAVA_OPTS. */
    private List<String> javaArguments(String command, String... javaOpts) throws IOException, InterruptedException {
        Path bin = Files.createDirectories(home.resolve("jdk/bin"));
        Path java = bin.resolve("java");
        Files.writeString(java, "#!/bin/sh\nfor a in \"$@\"; do printf '%s\\n' \"$a\"; done\n");
        Files.setPosixFilePermissions(java, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path jar = Files.writeString(home.resolve("echoack.jar"), "not a jar: the stand-in java never opens it");
        ProcessBuilder builder = new ProcessBuilder(LAUNCHER.toString(), command, "tcp://127.0.0.1:1");
        builder.environment().keySet().removeIf(name -> name.startsWith("ECHOACK_") || name.equals("JAVA_OPTS"));
        builder.environment().put("JAVA_HOME", home.resolve("jdk").toString());
        builder.environment().put("ECHOACK_CLIENT_JAR", jar.toString());
        builder.environment().put("ECHOACK_CDS", "off");
        builder.environment().put("JAVA_OPTS", String.join(" ", javaOpts));
        builder.redirectErrorStream(true);
        Process p = builder.start();
        byte[] out = p.getInputStream().readAllBytes();
        assertTrue(p.waitFor(30, TimeUnit.SECONDS), "the launcher ended");
        assertEquals(0, p.exitValue(), new String(out, StandardCharsets.UTF_8));
        return new String(out, StandardCharsets.UTF_8).lines().toList();
    }
}
