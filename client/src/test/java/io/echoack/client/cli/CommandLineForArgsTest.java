package io.echoack.client.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine;

/**
 * {@code main} builds only the command its first argument names ({@link EchoAckCli#newCommandLine(String...)}):
 * whatever the user types then gets the same answer, byte for byte, as from the command line with every
 * command.
 */
class CommandLineForArgsTest {

    private static final Map<String, String> ENV = Map.of();

    @ParameterizedTest
    @ValueSource(strings = {"send", "chat", "check", "info", "bench"})
    void aCommandNamedFirstIsTheOnlyOneBuilt(String command) {
        CommandLine commandLine = cli().newCommandLine(command, "--help");
        assertEquals(Set.of(command), commandLine.getSubcommands().keySet());
        assertEquals("echoack " + command, commandLine.getSubcommands().get(command).getCommandSpec().qualifiedName());
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "--help", "--version", "sned", "send --help", "send --nope", "send", "send tcp://x:y",
        "send tcp://127.0.0.1:1 hi --timeout soon", "chat --help", "check --help", "check", "info --help",
        "bench --help", "bench --threads none tcp://127.0.0.1:1", "send -V"})
    void answersAsTheCommandLineWithEveryCommand(String typed) {
        String[] args = typed.isEmpty() ? new String[0] : typed.split(" ");
        assertEquals(run(cli().newCommandLine(), args), run(cli().newCommandLine(args), args), typed);
    }

    private static EchoAckCli cli() {
        return new EchoAckCli(new ByteArrayInputStream(new byte[0]), new ByteArrayOutputStream(), false, ENV);
    }

    private static List<Object> run(CommandLine commandLine, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exitCode = commandLine.setOut(new PrintWriter(out, true)).setErr(new PrintWriter(err, true)).execute(args);
        return List.of(exitCode, out.toString(), err.toString());
    }
}
