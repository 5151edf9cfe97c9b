package io.echoack.benchmarks;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The bench suite's scripts (bench/run, bench/report.py, bench/compare.py) are Python; their tests are
 * Python unittests under bench/tests. This runs them as part of {@code mvn verify}, so that the scenario
 * file stays their one source and the stored results keep rendering as they were printed.
 */
class BenchSuiteScriptsTest {

    private static final Path ROOT = Path.of(System.getProperty("basedir", ".")).toAbsolutePath().normalize().getParent();

    @Test
    @Timeout(value = 5, unit = TimeUnit.MINUTES)
    void benchScriptTestsPass() throws IOException, InterruptedException {
        boolean ci = "true".equalsIgnoreCase(String.valueOf(System.getenv("CI")).trim());
        assumeTrue(ci || onPath("python3"), "python3 is not installed (CI=true makes this a failure)");
        assertTrue(Files.isDirectory(ROOT.resolve("bench/tests")), "no bench/tests under " + ROOT);
        Path log = Files.createTempFile("bench-tests", ".log");
        try {
            Process p = new ProcessBuilder("python3", "-B", "-m", "unittest", "discover", "-s", "bench/tests", "-v")
                    .directory(ROOT.toFile()).redirectErrorStream(true).redirectOutput(log.toFile()).start();
            if (!p.waitFor(4, TimeUnit.MINUTES)) {
                p.destroyForcibly();
            }
            assertEquals(0, p.waitFor(), "python3 -m unittest discover -s bench/tests:\n" + Files.readString(log, UTF_8));
        } finally {
            Files.deleteIfExists(log);
        }
    }

    private static boolean onPath(String tool) {
        return java.util.Arrays.stream(System.getenv().getOrDefault("PATH", "").split(File.pathSeparator))
                .anyMatch(dir -> Files.isExecutable(Path.of(dir, tool)));
    }
}
