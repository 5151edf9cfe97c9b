package io.echoack.server.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The configuration file's own errors: each names the file, the line and the key. */
class ConfigFileTest {

    private static final Map<String, ConfigFile.Key> KEYS = Map.of(
            "mode", new ConfigFile.Key("mode", false, ""),
            "max-frame", new ConfigFile.Key("max-frame", false, ""),
            "allow", new ConfigFile.Key("allow", true, ","),
            "listeners", new ConfigFile.Key("listeners", true, ","));

    @TempDir
    Path dir;

    private ConfigFile read(String... lines) throws Exception {
        Path file = dir.resolve("echoack.yaml");
        Files.writeString(file, String.join("\n", lines) + "\n");
        return ConfigFile.read(file, KEYS);
    }

    private String error(String... lines) {
        return assertThrows(IllegalArgumentException.class, () -> read(lines)).getMessage();
    }

    private String at(int line) {
        return dir.resolve("echoack.yaml") + ":" + line + ": ";
    }

    @Test
    void valuesAreTheFlagsTextsWithTheirLines() throws Exception {
        ConfigFile file = read("# a comment", "mode: echo", "max-frame: 100", "allow: [10.0.0.0/8, '::1/128']",
                "listeners:", "  - tcp://:7000", "  - endpoint: 'unix:///tmp/e.sock?mode=echo'", "    framing: raw",
                "  - {endpoint: 'tcp://:7001', mode: info, format: json}");
        assertEquals(Optional.of(new ConfigFile.Entry("mode", "echo", 2)), file.entry("mode"));
        assertEquals("100", file.entry("max-frame").orElseThrow().value());
        assertEquals("10.0.0.0/8,::1/128", file.entry("allow").orElseThrow().value());
        assertEquals("tcp://:7000,unix:///tmp/e.sock?mode=echo&framing=raw,tcp://:7001?mode=info&format=json",
                file.entry("listeners").orElseThrow().value());
        assertEquals(at(5) + "listeners", file.name(file.entry("listeners").orElseThrow()));
        assertEquals(Optional.empty(), file.entry("framing"));
    }

    @Test
    void anEmptyFileSetsNothing() throws Exception {
        assertEquals(Optional.empty(), read("# nothing yet").entry("mode"));
    }

    @Test
    void anUnknownKeyNamesItsLine() {
        assertEquals(at(2) + "colour: unknown key (the keys are echoack-server's flags without the dashes, and "
                + "'listeners'; see --help)", error("mode: echo", "colour: blue"));
        assertEquals(at(1) + "listen: unknown key (endpoints go in a list under 'listeners:')",
                error("listen: tcp://:7"));
        assertEquals(at(1) + "--mode: unknown key (write the flag without its dashes)", error("--mode: echo"));
    }

    @Test
    void aKeyGivenTwiceNamesBothLines() {
        assertTrue(error("mode: echo", "max-frame: 1", "mode: ack").startsWith(at(3) + "mode: "),
                error("mode: echo", "max-frame: 1", "mode: ack"));
    }

    @Test
    void wrongTypesNameTheKey() {
        assertEquals(at(1) + "max-frame: expected one value, not a list", error("max-frame: [1, 2]"));
        assertEquals(at(1) + "mode: expected one value, not keys and values", error("mode: {a: b}"));
        assertEquals(at(1) + "mode: no value (leave the key out for the default)", error("mode:"));
        assertEquals(at(1) + "listeners: expected a list of endpoints (one '- tcp://...' per line), not "
                + "'tcp://:7'", error("listeners: tcp://:7"));
        assertEquals(at(1) + "expected keys (e.g. 'mode: echo'), not a list", error("- mode"));
    }

    @Test
    void invalidYamlNamesTheLine() {
        String message = error("mode: echo", "max-frame: [1, 2", "allow: x");
        assertTrue(message.startsWith(dir.resolve("echoack.yaml") + ":"), message);
        assertTrue(message.contains("not valid YAML"), message);
    }

    @Test
    void aListenersErrorNamesTheLineOfTheKeyAtFault() {
        assertEquals(at(4) + "mode: invalid endpoint 'tcp://:7000?framing=raw&mode=loud': unknown mode 'loud' "
                + "(expected ack, echo or info)", error("listeners:", "  - endpoint: tcp://:7000",
                        "    framing: raw", "    mode: loud"));
        assertTrue(error("listeners:", "  - endpoint: tcp://:7000", "    colour: blue")
                .startsWith(at(3) + "colour: invalid endpoint 'tcp://:7000?colour=blue': unknown query parameter "
                        + "'colour'"));
        assertEquals(at(2) + "endpoint: invalid endpoint 'tcp://nowhere': missing port (expected tcp://HOST:PORT)",
                error("listeners:", "  - endpoint: tcp://nowhere"));
        assertEquals(at(2) + "listeners: invalid endpoint 'tcp://nowhere': missing port (expected tcp://HOST:PORT)",
                error("listeners:", "  - tcp://nowhere"));
        assertEquals(at(2) + "listeners: a listener needs 'endpoint:' (e.g. endpoint: tcp://:7000)",
                error("listeners:", "  - mode: echo"));
        assertEquals(at(3) + "mode: given twice: in the endpoint's query and as a key",
                error("listeners:", "  - endpoint: 'tcp://:7000?mode=echo'", "    mode: ack"));
        assertEquals(at(3) + "mode: 'echo&framing=raw' may not hold '&', '#', ',' or spaces",
                error("listeners:", "  - endpoint: tcp://:7000", "    mode: echo&framing=raw"));
    }

    @Test
    void aListItemWithACommaWouldBecomeTwo() {
        assertEquals(at(1) + "allow: '10.0.0.0/8,::1/128' would be split in two where it has a comma; give each "
                + "value as an item of its own", error("allow: ['10.0.0.0/8,::1/128']"));
    }
}
