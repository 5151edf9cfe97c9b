package io.echoack.client.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * Scripts branch on exit codes: the README's table must list exactly the codes the commands' help lists (and
 * so the codes they return), no code the client never uses and none it uses unlisted.
 */
class ExitCodeTableTest {

    private static final Pattern README_ROW = Pattern.compile("^\\| ([0-9][0-9, ]*) \\|", Pattern.MULTILINE);

    @Test
    void theReadmeTableListsEveryCodeTheCommandsHelpLists() throws IOException {
        TreeSet<Integer> inHelp = new TreeSet<>();
        CommandLine cli = new EchoAckCli().newCommandLine();
        for (CommandLine sub : cli.getSubcommands().values()) {
            sub.getCommandSpec().usageMessage().exitCodeList().keySet()
                    .forEach(code -> inHelp.add(Integer.parseInt(code.strip())));
        }
        // 129 (SIGHUP) is named inside bench's 143 line rather than on a line of its own.
        inHelp.add(129);

        assertEquals(inHelp, readmeCodes());
    }

    private static TreeSet<Integer> readmeCodes() throws IOException {
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null && !Files.isRegularFile(dir.resolve("README.md"))) {
            dir = dir.getParent();
        }
        assertTrue(dir != null, "no README.md above the working directory");
        String readme = Files.readString(dir.resolve("README.md"));
        int start = readme.indexOf("### Exit codes");
        int end = readme.indexOf("\n### ", start + 1);
        assertTrue(start >= 0 && end > start, "the README's 'Exit codes' section moved");
        TreeSet<Integer> codes = new TreeSet<>();
        Matcher row = README_ROW.matcher(readme.substring(start, end));
        while (row.find()) {
            Arrays.stream(row.group(1).split(",")).map(String::strip).map(Integer::parseInt).forEach(codes::add);
        }
        return codes;
    }
}
