package io.echoack.client.docs;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.echoack.client.docs.DocExamples.Block;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs the examples of README.md and docs/*.md, so that what they show is what a reader gets.
 *
 * <p>The convention (also in CONTRIBUTING.md):
 * <ul>
 * <li>A {@code ```console} block is run. A line starting with {@code $ } is a command (a trailing {@code \}
 *     continues it); the lines under it, up to the next command, are what it prints, stdout and stderr as a
 *     terminal shows them (trailing spaces and a missing final newline aside). It must exit 0: show a failure
 *     as {@code cmd; echo "exit code $?"}. Other blocks ({@code sh}, {@code text}, ...) are not run.</li>
 * <li>Each command runs in a new bash, in a scratch directory whose entries link to the repository root's,
 *     with the README's {@code alias echoack=$PWD/bin/echoack}. Files it writes stay in the scratch directory.
 *     Fixed ports ({@code HOST:PORT}, {@code HOST PORT}) and {@code /tmp/} paths are moved to free ports and a
 *     private directory, and the output is mapped back, so the commands run as shown next to anything else.</li>
 * <li>{@code $ cmd &} starts a server in the background. The lines shown under it are its start-up output,
 *     matched by shape, and the test waits for them (a bin/echoack-server shown without output: for one
 *     "listening on" per {@code -l}). It runs until the end of the document, or until a later server needs
 *     one of its ports or paths.</li>
 * <li>An HTML comment right before a block, {@code <!-- example: D1; D2 -->}, says more:
 *     {@code server} (the block's one command is a server in a terminal of its own, run as with {@code &});
 *     {@code server output} (the block is what the last server printed since its start-up lines or the
 *     previous such block); {@code shape} (numbers vary: any digits match digits, runs of spaces match runs of
 *     spaces, and repeated lines of one shape match any number of such lines); {@code terminal "hello"} (the
 *     commands run on a pseudo-terminal, and each quoted line is typed once the output before it in the
 *     transcript has appeared); {@code not run: REASON} (shown, not run); {@code same as PATH} (not run here:
 *     the block must appear word for word in a block of PATH that is run).</li>
 * <li>A block that uses {@code nc.openbsd}, {@code socat}, {@code gcc} or {@code openssl} is skipped (with
 *     the reason) when the tool is missing, one that uses {@code [::1]} when IPv6 loopback is, and so is every
 *     block that needs a server that was skipped.</li>
 * </ul>
 */
class ReadmeExamplesIT {

    private static final List<ExampleSession> SESSIONS = new ArrayList<>();

    @TempDir
    static Path scratch;

    @TestFactory
    Stream<DynamicNode> everyExampleRunsAsShown() throws Exception {
        List<DynamicNode> documents = new ArrayList<>();
        for (Path doc : documents()) {
            String name = root().relativize(doc).toString();
            List<Block> blocks = DocExamples.parse(name, Files.readString(doc, UTF_8));
            List<Block> run = blocks.stream()
                    .filter(b -> (b.isConsole() || b.directives().serverOutput())
                            && b.directives().notRun().isEmpty() && b.directives().sameAs().isEmpty())
                    .toList();
            ExampleSession session = new ExampleSession(root(),
                    Files.createDirectories(scratch.resolve(name.replace('/', '_'))), ExampleSession.portsOf(run));
            SESSIONS.add(session);
            List<DynamicNode> tests = new ArrayList<>();
            for (Block block : blocks) {
                if (block.directives().notRun().isPresent()) {
                    tests.add(DynamicTest.dynamicTest(block.where(),
                            () -> assumeTrue(false, "not run: " + block.directives().notRun().get())));
                } else if (block.directives().sameAs().isPresent()) {
                    tests.add(DynamicTest.dynamicTest(block.where(), () -> assertRunElsewhere(block)));
                } else if (run.contains(block)) {
                    tests.add(DynamicTest.dynamicTest(block.where(), () -> session.run(block)));
                }
            }
            tests.add(DynamicTest.dynamicTest(name + ": stop its servers", session::close));
            documents.add(DynamicContainer.dynamicContainer(name, tests));
        }
        return documents.stream();
    }

    /** The convention itself: what the README promises its readers and what the test relies on. */
    @Test
    void everyDocumentHasExamplesAndTheReadmeGivesTheAlias() throws Exception {
        for (Path doc : documents()) {
            String name = root().relativize(doc).toString();
            List<Block> blocks = DocExamples.parse(name, Files.readString(doc, UTF_8));
            assertTrue(blocks.stream().anyMatch(b -> b.isConsole() && b.directives().notRun().isEmpty()
                    && b.directives().sameAs().isEmpty()), name + " has no example that is run");
        }
        assertTrue(Files.readString(root().resolve("README.md"), UTF_8).contains(ExampleSession.ALIAS),
                "README.md no longer tells readers '" + ExampleSession.ALIAS + "', which the examples rely on");
    }

    @AfterAll
    static void stopServers() throws Exception {
        for (ExampleSession session : SESSIONS) {
            session.close();
        }
    }

    private static void assertRunElsewhere(Block block) throws Exception {
        String target = block.directives().sameAs().get();
        Path doc = root().resolve(target);
        assertTrue(Files.isRegularFile(doc), () -> block.where() + ": 'same as " + target + "': no such file");
        String shown = String.join("\n", block.lines());
        boolean found = DocExamples.parse(target, Files.readString(doc, UTF_8)).stream()
                .filter(b -> b.isConsole() && b.directives().notRun().isEmpty() && b.directives().sameAs().isEmpty())
                .anyMatch(b -> String.join("\n", b.lines()).contains(shown));
        assertTrue(found, () -> block.where() + ": this block is not, word for word, in a block of " + target
                + " that is run:\n" + shown);
    }

    private static List<Path> documents() throws Exception {
        List<Path> docs = new ArrayList<>();
        docs.add(root().resolve("README.md"));
        Path dir = root().resolve("docs");
        if (Files.isDirectory(dir)) {
            try (Stream<Path> files = Files.list(dir)) {
                files.filter(p -> p.toString().endsWith(".md")).sorted().forEach(docs::add);
            }
        }
        return docs;
    }

    /** The repository root: failsafe runs in the client module's directory. */
    private static Path root() {
        Path root = Path.of(System.getProperty("basedir", ".")).toAbsolutePath().normalize().getParent();
        assertTrue(Files.isRegularFile(root.resolve("client/target/echoack.jar"))
                && Files.isRegularFile(root.resolve("server/target/echoack-server.jar")),
                "client/target/echoack.jar or server/target/echoack-server.jar is missing: run 'mvn verify'");
        return root;
    }
}
