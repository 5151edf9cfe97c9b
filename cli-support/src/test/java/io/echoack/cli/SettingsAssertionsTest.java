package io.echoack.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.echoack.cli.SampleCommand.Table;
import io.echoack.cli.testing.CommandRun;
import io.echoack.cli.testing.SettingsAssertions;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.opentest4j.AssertionFailedError;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;

/** The checks the commands' settings tests share: they pass on {@link SampleCommand} and fail on each defect. */
class SettingsAssertionsTest {

    /** The table's options, and one more. */
    @Command(name = "extra")
    static final class ExtraOption {
        @Option(names = "--timeout")
        int timeout;

        @Option(names = "--names")
        String names;

        @Option(names = "--host")
        String host;

        @Option(names = "--colour")
        String colour;
    }

    /** The table's options, one with a default of its own. */
    @Command(name = "own-default")
    static final class OwnDefault {
        @Option(names = "--timeout", defaultValue = "7")
        int timeout;

        @Option(names = "--names")
        String names;

        @Option(names = "--host")
        String host;
    }

    private static CommandSpec spec(Object command) {
        return new CommandLine(command).getCommandSpec();
    }

    @Test
    void theTableMustBeTheOptions() {
        SettingsAssertions.assertTableIsTheOptions(Table.class, List.of(spec(new SampleCommand())));
        assertThrows(AssertionFailedError.class,
                () -> SettingsAssertions.assertTableIsTheOptions(Table.class, List.of(spec(new ExtraOption()))));
        assertThrows(AssertionFailedError.class,
                () -> SettingsAssertions.assertTableIsTheOptions(Table.class, List.of(spec(new OwnDefault()))));
    }

    @Test
    void aBadValueMustBeOneLineNamingOnlyWhatGaveIt() {
        SettingsAssertions.assertOneLineNaming("sample", "ECHOACK_SAMPLE_TIMEOUT", Table.TIMEOUT,
                stderr("sample: ECHOACK_SAMPLE_TIMEOUT: 'x' is not a number; set --host (or ECHOACK_HOST) too"), ": ");
        SettingsAssertions.assertOneLineNaming("sample", "--timeout", Table.TIMEOUT,
                stderr("sample: --timeout must be > 0"), ": ", " ");
        assertThrows(AssertionFailedError.class, () -> SettingsAssertions.assertOneLineNaming("sample", "--timeout",
                Table.TIMEOUT, stderr("sample: --timeout must be > 0"), ": "));
        assertThrows(AssertionFailedError.class, () -> SettingsAssertions.assertOneLineNaming("sample",
                "ECHOACK_SAMPLE_TIMEOUT", Table.TIMEOUT, stderr("sample: ECHOACK_SAMPLE_TIMEOUT: 'x' is not a number\n"
                        + "Try 'sample --help' for more information."), ": "));
        assertThrows(AssertionFailedError.class, () -> SettingsAssertions.assertOneLineNaming("sample",
                "ECHOACK_SAMPLE_TIMEOUT", Table.TIMEOUT, stderr("sample: ECHOACK_SAMPLE_TIMEOUT: --timeout takes a "
                        + "number"), ": "));
        assertThrows(AssertionFailedError.class, () -> SettingsAssertions.assertOneLineNaming("sample", "--timeout",
                Table.TIMEOUT, stderr("sample: --timeout: ECHOACK_HOST is not set"), ": "));
    }

    private static CommandRun stderr(String err) {
        return new CommandRun(2, "", err + "\n");
    }

    @Test
    void theHelpMustKeepUrisAndExamplesWhole() {
        CommandLine wide = new CommandLine(new SampleCommand()).setHelpFactory(new SettingsHelp(Table.class));
        SettingsAssertions.assertHelpKeepsUrisAndExamplesWhole(wide.getCommandSpec(), Table.class,
                wide.getUsageMessage(), "  sample");
        CommandLine narrow = new CommandLine(new SampleCommand()).setUsageHelpWidth(80);
        assertThrows(AssertionFailedError.class, () -> SettingsAssertions.assertHelpKeepsUrisAndExamplesWhole(
                narrow.getCommandSpec(), Table.class, narrow.getUsageMessage(), "  no example"));
        String exampleBroken = wide.getUsageMessage().replace("--names a,b,c --host", "--names a,b,c\n--host");
        assertThrows(AssertionFailedError.class, () -> SettingsAssertions.assertHelpKeepsUrisAndExamplesWhole(
                wide.getCommandSpec(), Table.class, exampleBroken, "  sample"));
    }

    @Test
    void theReadmeRowIsTheFirstThatNamesTheFlagItself() {
        String section = String.join("\n",
                "| `--hostname` | `ECHOACK_HOSTNAME` | none |",
                "| `--host-port` | none | none |",
                "Text that names `--host` but is no row",
                "| `--[no-]host` | none | the endpoint's host |",
                "| `--host` | second | row |");
        assertEquals("| `--[no-]host`", SettingsAssertions.readmeRow(section, Table.HOST)[0]);
        assertEquals("`ECHOACK_SAMPLE_TIMEOUT`", SettingsAssertions.readmeRow(
                "| `--timeout D` | `ECHOACK_SAMPLE_TIMEOUT` | `5` |", Table.TIMEOUT)[1]);
        AssertionError missing = assertThrows(AssertionError.class,
                () -> SettingsAssertions.readmeRow(section, Table.TIMEOUT));
        assertEquals("no README row for --timeout", missing.getMessage());
    }

    /** The library record whose field the sample's {@code --timeout} sets. */
    record Limits(int timeout) {
    }

    @Test
    void everyFieldATableNamesMustBeAComponentFoundAgainByIt() {
        Function<Table, String> field = s -> s == Table.TIMEOUT ? "timeout" : null;
        Function<String, Optional<Table>> ofField = f -> Optional.of(Table.TIMEOUT).filter(s -> f.equals("timeout"));
        SettingsAssertions.assertEveryFieldIsOne(Table.class, field, ofField, Limits.class);
        assertThrows(AssertionFailedError.class,
                () -> SettingsAssertions.assertEveryFieldIsOne(Table.class, field, ofField, CommandRun.class));
        assertThrows(AssertionFailedError.class, () -> SettingsAssertions.assertEveryFieldIsOne(Table.class, field,
                f -> Optional.of(Table.NAMES), Limits.class));
    }
}
