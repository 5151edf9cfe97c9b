package io.echoack.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.echoack.cli.SampleCommand.Table;
import io.echoack.cli.Setting.Row;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class SettingsHelpTest {

    @Test
    void eachOptionsDefaultAndVariableAreOneLineUnderIt() {
        List<String> help = new CommandLine(new SampleCommand()).setHelpFactory(new SettingsHelp(Table.class))
                .getUsageMessage().lines().toList();
        assertEquals("Default: 5; env ECHOACK_SAMPLE_TIMEOUT", lineAfter(help, "Seconds to wait."));
        assertEquals("Default: a, b; env ECHOACK_SAMPLE_NAMES", lineAfter(help, "Names to send."));
        assertEquals("Default: the endpoint's host", lineAfter(help, "Server name to check."));
        assertTrue(lineAfter(help, "Show this help message and exit.").startsWith("--host="),
                "nothing under an option without a row: the next option's row");
    }

    /** The line under an option's description, without its indentation. */
    private static String lineAfter(List<String> help, String description) {
        for (int i = 0; i < help.size() - 1; i++) {
            if (help.get(i).endsWith(description)) {
                return help.get(i + 1).strip();
            }
        }
        throw new AssertionError("no " + description + " in\n" + String.join("\n", help));
    }

    @Test
    void theLinesSayWhatTheRowHas() {
        assertEquals(List.of("Default: 5; env ECHOACK_SAMPLE_TIMEOUT"), SettingsHelp.lines(Table.TIMEOUT));
        assertEquals(List.of("Default: the endpoint's host"), SettingsHelp.lines(Table.HOST));
        assertEquals(List.of("Env ECHOACK_X"), SettingsHelp.lines(() -> new Row("--x", "ECHOACK_X", null, null)));
        assertEquals(List.of(), SettingsHelp.lines(() -> new Row("--x", null, "1", null)));
    }

    @Test
    void aLongDefaultAndItsVariableAreTwoLines() {
        String shown = "d".repeat(60);
        assertEquals(List.of("Default: " + shown, "Env ECHOACK_LONG_VARIABLE_NAME"),
                SettingsHelp.lines(() -> new Row("--x", "ECHOACK_LONG_VARIABLE_NAME", "1", shown)));
    }
}
