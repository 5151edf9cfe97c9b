package io.echoack.client.docs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.echoack.client.docs.DocExamples.Block;
import io.echoack.client.docs.DocExamples.Command;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class DocExamplesTest {

    private static final String DOC = String.join("\n",
            "# Title",
            "## Quick examples",
            "<!-- example: server -->",
            "```console",
            "$ bin/echoack-server \\",
            "    -l tcp://127.0.0.1:51717",
            "12:00 listening on tcp://127.0.0.1:51717",
            "```",
            "text",
            "<!-- example: terminal \"hello\"; shape -->",
            "",
            "```console",
            "$ echoack send 127.0.0.1 51717",
            "Please enter the message: hello",
            "I got your message",
            "$ java -jar server/target/echoack-server.jar -l tcp://127.0.0.1:7007 &",
            "$ printf 'a\\n' | nc.openbsd -N 127.0.0.1 7007 && echo ok",
            "a",
            "ok",
            "```",
            "<!-- example: not run: a remote host -->",
            "```console",
            "$ echoack send tls://echo.example.com:8443 hello",
            "```",
            "```sh",
            "bin/echoack-server",
            "```",
            "- a list item:",
            "",
            "  ```text",
            "  indented",
            "  ```",
            "");

    @Test
    void blocksCommandsOutputsAndDirectives() {
        List<Block> blocks = DocExamples.parse("README.md", DOC);
        assertEquals(5, blocks.size());

        Block server = blocks.get(0);
        assertEquals("README.md:4 (Quick examples)", server.where());
        assertTrue(server.directives().server());
        assertEquals(List.of(new Command("bin/echoack-server \\\n    -l tcp://127.0.0.1:51717",
                List.of("12:00 listening on tcp://127.0.0.1:51717"), false, 5)), server.commands());

        Block client = blocks.get(1);
        assertTrue(client.directives().terminal());
        assertTrue(client.directives().shape());
        assertEquals(List.of("hello"), client.directives().typed());
        assertEquals(3, client.commands().size());
        assertEquals(List.of("Please enter the message: hello", "I got your message"), client.commands().get(0).expected());
        assertTrue(client.commands().get(1).background());
        assertEquals("java -jar server/target/echoack-server.jar -l tcp://127.0.0.1:7007",
                client.commands().get(1).text());
        assertFalse(client.commands().get(2).background());

        assertEquals("a remote host", blocks.get(2).directives().notRun().orElseThrow());
        assertEquals("sh", blocks.get(3).info());
        assertTrue(blocks.get(3).commands().isEmpty());
        assertEquals(List.of("indented"), blocks.get(4).lines());
    }

    @Test
    void thePortsOfTheCommandsInEveryForm() {
        List<Block> blocks = DocExamples.parse("README.md", DOC);
        assertEquals(Set.of(51717, 7007), ExampleSession.portsOf(blocks)); // not echo.example.com:8443
    }

    @Test
    void mistakesInTheConventionAreErrorsThatNameTheLine() {
        IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class,
                () -> DocExamples.parse("d.md", "<!-- example: sever -->\n```console\n$ true\n```\n"));
        assertTrue(unknown.getMessage().startsWith("d.md:1: unknown example directive 'sever'"), unknown.getMessage());
        IllegalArgumentException noReason = assertThrows(IllegalArgumentException.class,
                () -> DocExamples.parse("d.md", "<!-- example: not run: -->\n```console\n$ true\n```\n"));
        assertTrue(noReason.getMessage().contains("needs a reason"), noReason.getMessage());
        IllegalArgumentException stray = assertThrows(IllegalArgumentException.class,
                () -> DocExamples.parse("d.md", "<!-- example: shape -->\nprose\n```console\n$ true\n```\n"));
        assertTrue(stray.getMessage().startsWith("d.md:1: an example comment must come right before"));
        IllegalArgumentException noCommand = assertThrows(IllegalArgumentException.class,
                () -> DocExamples.parse("d.md", "```console\nhello\n```\n"));
        assertTrue(noCommand.getMessage().startsWith("d.md:2: a console block starts with a '$ ' command"));
    }
}
