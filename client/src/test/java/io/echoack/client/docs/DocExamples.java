package io.echoack.client.docs;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The examples of one Markdown document, read by the convention that {@link ReadmeExamplesIT} describes: its
 * fenced blocks, each with the directives of the {@code <!-- example: ... -->} comment before it, and for
 * {@code console} blocks the commands and the output shown under each.
 */
final class DocExamples {

    private static final Pattern FENCE = Pattern.compile("^(\\s*)```(\\S*)\\s*$");
    private static final Pattern MARKER = Pattern.compile("^\\s*<!--\\s*example:(.*)-->\\s*$");
    private static final Pattern HEADING = Pattern.compile("^#{1,6}\\s+(.*)$");
    private static final Pattern QUOTED = Pattern.compile("\"([^\"]*)\"");

    private DocExamples() {
    }

    /** What the comment before a block says; {@link #NONE} without one. */
    record Directives(boolean server, boolean serverOutput, boolean shape, boolean terminal, List<String> typed,
            Optional<String> notRun, Optional<String> sameAs) {

        static final Directives NONE = new Directives(false, false, false, false, List.of(), Optional.empty(),
                Optional.empty());

        /** Parses the text after {@code example:}; unknown directives are errors that name the line. */
        static Directives parse(String text, String where) {
            boolean server = false;
            boolean serverOutput = false;
            boolean shape = false;
            boolean terminal = false;
            List<String> typed = new ArrayList<>();
            Optional<String> notRun = Optional.empty();
            Optional<String> sameAs = Optional.empty();
            String rest = text.strip();
            while (!rest.isEmpty()) {
                String directive;
                if (rest.startsWith("not run:")) {
                    directive = rest;
                    rest = "";
                } else {
                    int semicolon = rest.indexOf(';');
                    directive = (semicolon < 0 ? rest : rest.substring(0, semicolon)).strip();
                    rest = semicolon < 0 ? "" : rest.substring(semicolon + 1).strip();
                }
                String word = directive.toLowerCase(Locale.ROOT);
                if (word.equals("server")) {
                    server = true;
                } else if (word.equals("server output")) {
                    serverOutput = true;
                } else if (word.equals("shape")) {
                    shape = true;
                } else if (word.startsWith("terminal")) {
                    terminal = true;
                    Matcher quoted = QUOTED.matcher(directive.substring("terminal".length()));
                    while (quoted.find()) {
                        typed.add(quoted.group(1));
                    }
                } else if (word.startsWith("not run:")) {
                    String reason = directive.substring("not run:".length()).strip();
                    if (reason.isEmpty()) {
                        throw new IllegalArgumentException(where + ": 'not run:' needs a reason");
                    }
                    notRun = Optional.of(reason);
                } else if (word.startsWith("same as ")) {
                    sameAs = Optional.of(directive.substring("same as ".length()).strip());
                } else {
                    throw new IllegalArgumentException(where + ": unknown example directive '" + directive
                            + "' (known: server; server output; shape; terminal \"typed line\"; not run: REASON;"
                            + " same as PATH)");
                }
            }
            return new Directives(server, serverOutput, shape, terminal, List.copyOf(typed), notRun, sameAs);
        }
    }

    /**
     * One command of a console block: its text (continuation lines joined by newlines, as bash reads them), the
     * lines shown under it, whether it runs in the background (a trailing {@code &}), and its line number.
     */
    record Command(String text, List<String> expected, boolean background, int line) {
    }

    /** A fenced block: where it is, its info string, directives, raw lines and (console) commands. */
    record Block(String doc, int line, String heading, String info, Directives directives, List<String> lines,
            List<Command> commands) {

        boolean isConsole() {
            return info.equals("console");
        }

        /** "README.md:123 (Quick examples)": where a reader finds it. */
        String where() {
            return doc + ":" + line + (heading.isEmpty() ? "" : " (" + heading + ")");
        }
    }

    /** Every fenced block of {@code text}, in order. {@code doc} names the document in messages. */
    static List<Block> parse(String doc, String text) {
        List<Block> blocks = new ArrayList<>();
        String[] lines = text.split("\n", -1);
        String heading = "";
        String pendingMarker = null;
        int markerLine = 0;
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i];
            Matcher fence = FENCE.matcher(line);
            if (fence.matches()) {
                String indent = fence.group(1);
                String info = fence.group(2);
                int start = i + 1;
                List<String> body = new ArrayList<>();
                i++;
                while (i < lines.length && !lines[i].strip().equals("```")) {
                    String bodyLine = lines[i];
                    body.add(bodyLine.startsWith(indent) ? bodyLine.substring(indent.length()) : bodyLine.strip());
                    i++;
                }
                if (i >= lines.length) {
                    throw new IllegalArgumentException(doc + ":" + start + ": code block never closed");
                }
                Directives directives = pendingMarker == null ? Directives.NONE
                        : Directives.parse(pendingMarker, doc + ":" + markerLine);
                List<Command> commands = info.equals("console") && !directives.serverOutput()
                        ? commands(doc, start, body) : List.of();
                blocks.add(new Block(doc, start, heading, info, directives, List.copyOf(body), commands));
                pendingMarker = null;
                continue;
            }
            Matcher marker = MARKER.matcher(line);
            if (marker.matches()) {
                pendingMarker = marker.group(1);
                markerLine = i + 1;
                continue;
            }
            if (!line.isBlank()) {
                if (pendingMarker != null) {
                    throw new IllegalArgumentException(doc + ":" + markerLine
                            + ": an example comment must come right before a code block (blank lines allowed)");
                }
                Matcher h = HEADING.matcher(line);
                if (h.matches()) {
                    heading = h.group(1).strip();
                }
            }
        }
        return blocks;
    }

    /** The commands of a console block: "$ " lines (with "\" continuations) and the lines under each. */
    private static List<Command> commands(String doc, int firstLine, List<String> body) {
        List<Command> commands = new ArrayList<>();
        int i = 0;
        if (!body.isEmpty() && !body.get(0).startsWith("$ ")) {
            throw new IllegalArgumentException(doc + ":" + (firstLine + 1)
                    + ": a console block starts with a '$ ' command (or is marked 'server output')");
        }
        while (i < body.size()) {
            int line = firstLine + 1 + i;
            StringBuilder text = new StringBuilder(body.get(i).substring(2));
            while (text.toString().endsWith("\\") && i + 1 < body.size()) {
                i++;
                text.append('\n').append(body.get(i));
            }
            i++;
            List<String> expected = new ArrayList<>();
            while (i < body.size() && !body.get(i).startsWith("$ ")) {
                expected.add(body.get(i));
                i++;
            }
            String command = text.toString().strip();
            boolean background = command.endsWith("&") && !command.endsWith("&&");
            if (background) {
                command = command.substring(0, command.length() - 1).strip();
            }
            commands.add(new Command(command, List.copyOf(expected), background, line));
        }
        return commands;
    }
}
