package io.echoack.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.echoack.cli.EnvironmentDefaults.BadValueException;
import io.echoack.cli.SampleCommand.Table;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class EnvironmentDefaultsTest {

    private static SampleCommand parse(Map<String, String> environment, String... args) {
        SampleCommand command = new SampleCommand();
        new CommandLine(command).setDefaultValueProvider(new EnvironmentDefaults(Table.class, environment))
                .parseArgs(args);
        return command;
    }

    private static CommandLine parsed(Map<String, String> environment, String... args) {
        CommandLine commandLine = new CommandLine(new SampleCommand())
                .setDefaultValueProvider(new EnvironmentDefaults(Table.class, environment));
        commandLine.parseArgs(args);
        return commandLine;
    }

    @Test
    void withNothingGivenTheTableGivesTheDefaults() {
        SampleCommand command = parse(Map.of());
        assertEquals(5, command.timeout);
        assertEquals(List.of("a", "b"), command.names);
        assertNull(command.host);
    }

    @Test
    void aVariableSetsTheValueAndAFlagWinsOverIt() {
        Map<String, String> environment = Map.of("ECHOACK_SAMPLE_TIMEOUT", "7", "ECHOACK_SAMPLE_NAMES", "x,y,z");
        assertEquals(7, parse(environment).timeout);
        assertEquals(List.of("x", "y", "z"), parse(environment).names);
        assertEquals(9, parse(environment, "--timeout", "9").timeout);
    }

    @Test
    void anEmptyVariableCountsAsUnset() {
        assertEquals(5, parse(Map.of("ECHOACK_SAMPLE_TIMEOUT", "")).timeout);
    }

    @Test
    void aBadValueOfAVariableNamesTheVariable() {
        BadValueException timeout = assertThrows(BadValueException.class,
                () -> parse(Map.of("ECHOACK_SAMPLE_TIMEOUT", "soon")));
        assertEquals("ECHOACK_SAMPLE_TIMEOUT: 'soon' is not a positive whole number", timeout.getMessage());
        BadValueException names = assertThrows(BadValueException.class,
                () -> parse(Map.of("ECHOACK_SAMPLE_NAMES", "a,Bee,c")));
        assertEquals("ECHOACK_SAMPLE_NAMES: 'Bee' is not a lower-case word", names.getMessage(), "each part checked");
    }

    @Test
    void aValueIsNamedAfterWhatGaveIt() {
        Map<String, String> environment = Map.of("ECHOACK_SAMPLE_TIMEOUT", "7");
        assertEquals("ECHOACK_SAMPLE_TIMEOUT", EnvironmentDefaults.nameIn(parsed(environment), Table.TIMEOUT));
        assertEquals("--timeout", EnvironmentDefaults.nameIn(parsed(environment, "-t", "9"), Table.TIMEOUT),
                "typed, by its short name");
        assertEquals("--timeout", EnvironmentDefaults.nameIn(parsed(Map.of()), Table.TIMEOUT), "the default");
        assertEquals("--names", EnvironmentDefaults.nameIn(parsed(environment), Table.NAMES));
        assertEquals("--host", EnvironmentDefaults.nameIn(parsed(environment), Table.HOST), "no variable");
    }

    @Test
    void withoutEnvironmentDefaultsNoValueCameFromAVariable() {
        CommandLine commandLine = new CommandLine(new SampleCommand());
        commandLine.parseArgs();
        assertEquals("--timeout", EnvironmentDefaults.nameIn(commandLine, Table.TIMEOUT));
    }

    @Test
    void howToSetASettingNamesItsFlagAndVariable() {
        assertEquals("--timeout (or ECHOACK_SAMPLE_TIMEOUT)", EnvironmentDefaults.howToSet(Table.TIMEOUT));
        assertEquals("--host", EnvironmentDefaults.howToSet(Table.HOST));
    }

    @Test
    void aSettingIsFoundByItsLongFlag() {
        assertEquals(Table.NAMES, Setting.byFlag(Table.class, "--names").orElseThrow());
        assertEquals(true, Setting.byFlag(Table.class, "-t").isEmpty());
    }
}
