package io.echoack.client.docs;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Output as a document shows it, compared with what a command printed: exactly, or by shape, where numbers
 * (timestamps, rates, latencies) vary from run to run.
 *
 * <p>By shape, each run of digits matches any run of digits, each run of spaces any run of spaces (leading
 * spaces: any, none included), and consecutive lines of the same shape match one or more such lines (a
 * progress line per second, however many seconds there were). Everything else is literal. Both ways, trailing
 * spaces and a missing final newline are not compared.
 */
final class OutputShape {

    private static final Pattern TOKEN = Pattern.compile("\\d+|[ \\t]+|[^\\d \\t]+");

    private OutputShape() {
    }

    /** Output text as lines: CRLF (a terminal's) read as LF, trailing spaces dropped, no final empty line. */
    static List<String> lines(String text) {
        String normalized = text.replace("\r\n", "\n").replace("\r", "\n");
        if (normalized.endsWith("\n")) {
            normalized = normalized.substring(0, normalized.length() - 1);
        }
        List<String> lines = new ArrayList<>();
        if (normalized.isEmpty()) {
            return lines;
        }
        for (String line : normalized.split("\n", -1)) {
            lines.add(line.stripTrailing());
        }
        return lines;
    }

    /** Whether {@code actual} is exactly the lines shown. */
    static boolean matchesExactly(List<String> expected, String actual) {
        return matchesExactly(expected, lines(actual));
    }

    /** Whether the lines printed are exactly the lines shown (trailing spaces aside). */
    static boolean matchesExactly(List<String> expected, List<String> actualLines) {
        return strip(expected).equals(strip(actualLines));
    }

    /** Whether {@code actual} has the shape of the lines shown. */
    static boolean matchesShape(List<String> expected, String actual) {
        return matchesShape(expected, lines(actual));
    }

    /** Whether the lines printed have the shape of the lines shown. */
    static boolean matchesShape(List<String> expected, List<String> actualLines) {
        return pattern(expected).matcher(joined(strip(actualLines))).matches();
    }

    /** Whether {@code actual} starts with lines of the shape shown (a server's start-up lines, say). */
    static boolean startsWithShape(List<String> expected, String actual) {
        return prefixLines(expected, actual) >= 0;
    }

    /** How many lines of {@code actual} the lines shown match by shape from its start; -1 if they do not. */
    static int prefixLines(List<String> expected, String actual) {
        String text = joined(lines(actual));
        Matcher matcher = pattern(expected).matcher(text);
        if (!matcher.lookingAt()) {
            return -1;
        }
        return (int) text.substring(0, matcher.end()).chars().filter(c -> c == '\n').count();
    }

    /** The regular expression for lines of this shape, each line ending in a newline. */
    static Pattern pattern(List<String> expected) {
        StringBuilder regex = new StringBuilder();
        List<String> stripped = strip(expected);
        int i = 0;
        while (i < stripped.size()) {
            String line = lineRegex(stripped.get(i));
            int j = i + 1;
            while (j < stripped.size() && lineRegex(stripped.get(j)).equals(line)) {
                j++;
            }
            regex.append(j - i > 1 ? "(?:" + line + "\\n)+" : line + "\\n");
            i = j;
        }
        return Pattern.compile(regex.toString());
    }

    private static String lineRegex(String line) {
        StringBuilder regex = new StringBuilder();
        Matcher token = TOKEN.matcher(line);
        boolean first = true;
        while (token.find()) {
            String t = token.group();
            if (Character.isDigit(t.charAt(0))) {
                regex.append("\\d+");
            } else if (t.isBlank()) {
                regex.append(first ? "[ \\t]*" : "[ \\t]+");
            } else {
                regex.append(Pattern.quote(t));
            }
            first = false;
        }
        if (line.isEmpty()) {
            return "";
        }
        return (Character.isWhitespace(line.charAt(0)) ? "" : "[ \\t]*") + regex;
    }

    private static List<String> strip(List<String> lines) {
        List<String> out = new ArrayList<>();
        for (String line : lines) {
            out.add(line.stripTrailing());
        }
        return out;
    }

    private static String joined(List<String> lines) {
        StringBuilder text = new StringBuilder();
        for (String line : lines) {
            text.append(line).append('\n');
        }
        return text.toString();
    }
}
