package io.echoack.cli.testing;

import java.util.List;

/** What a command line did when a test ran it in-process: its exit code and what it printed. */
public record CommandRun(int exitCode, String out, String err) {

    /** What it printed to stderr, line by line. */
    public List<String> errLines() {
        return err.lines().toList();
    }
}
