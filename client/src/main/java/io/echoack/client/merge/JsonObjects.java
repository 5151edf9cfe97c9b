package io.echoack.client.merge;

import java.io.BufferedReader;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Finds the JSON objects in a text that holds other lines too, such as {@code kubectl logs} of many bench pods
 * (progress lines, tables, then each pod's JSON). An object starts on a line whose first non-blank character is
 * <code>{</code> and ends where its braces balance (braces inside strings aside); every other line is skipped.
 * Lines may carry the prefixes {@code kubectl logs --prefix} and {@code --timestamps} add
 * ({@code [pod/bench-0-x/bench] }, {@code 2026-12-06T13:00:00.123456789Z }): they are taken off, and lines of one
 * prefix are put together, so that objects of pods whose lines interleave ({@code -f}) come apart again; a line
 * amid an object's that cannot be JSON (a line of the pod's stderr) is skipped.
 */
final class JsonObjects {

    /** {@code kubectl logs --timestamps}: an RFC 3339 time and a space. */
    private static final Pattern TIMESTAMP = Pattern.compile("^\\d{4}-\\d\\d-\\d\\dT[0-9:.]+(?:Z|[+-]\\d\\d:\\d\\d) ");
    /** {@code kubectl logs --prefix}: {@code [pod/NAME/CONTAINER] }. */
    private static final Pattern PREFIX = Pattern.compile("^\\[([^\\]\\s]+)\\] ");
    /**
     * A line inside an object that cannot be JSON: it starts with a letter no JSON value starts with (t, f, n),
     * or it is a bench progress line ({@code [  3s] ...}). kubectl logs interleaves a pod's stderr with its stdout
     * line by line, so a line of stderr ({@code echoack: bench: ...}) may land between the JSON's lines.
     */
    private static final Pattern NOT_JSON = Pattern.compile("^\\s*(?:[a-eg-mo-su-zA-Z]|\\[\\s*\\d+s\\])");

    /**
     * One object's text.
     *
     * @param line   the line it starts on, 1-based
     * @param prefix the {@code kubectl logs --prefix} of its lines (e.g. {@code pod/bench-0-x/bench}), or null
     * @param text   the object, from its <code>{</code> to its <code>}</code>, lines joined by {@code \n}
     */
    record Found(int line, String prefix, String text) {
    }

    private JsonObjects() {
    }

    /**
     * The objects of {@code reader}, in the order they end.
     *
     * @throws MergeException naming {@code source} and the line when an object starts but never ends
     */
    static List<Found> in(String source, BufferedReader reader) throws IOException {
        List<Found> found = new ArrayList<>();
        Map<String, Open> open = new LinkedHashMap<>();
        int lineNumber = 0;
        for (String line = reader.readLine(); line != null; line = reader.readLine()) {
            lineNumber++;
            Matcher timestamp = TIMESTAMP.matcher(line);
            if (timestamp.find()) {
                line = line.substring(timestamp.end());
            }
            String prefix = null;
            Matcher prefixed = PREFIX.matcher(line);
            if (prefixed.find()) {
                prefix = prefixed.group(1);
                line = line.substring(prefixed.end());
            }
            String key = prefix == null ? "" : prefix;
            Open object = open.get(key);
            if (object != null && !object.inString && NOT_JSON.matcher(line).find()) {
                continue; // another stream's line amid the object's
            }
            if (object == null) {
                String content = line.stripLeading();
                if (!content.startsWith("{")) {
                    continue; // not part of an object: a progress line, a table, a log line
                }
                object = new Open(lineNumber, prefix);
                open.put(key, object);
                line = content;
            }
            int end = object.add(line);
            if (end >= 0) {
                found.add(new Found(object.line, prefix, object.text.toString()));
                open.remove(key);
            }
        }
        if (!open.isEmpty()) {
            Open first = open.values().iterator().next();
            throw new MergeException(source + ":" + first.line + ": a JSON object starts here and does not end"
                    + " (a cut-off file or log?)");
        }
        return found;
    }

    /** An object being read: its text so far, and where its braces and strings stand. */
    private static final class Open {

        final int line;
        final String prefix;
        final StringBuilder text = new StringBuilder();
        int depth;
        boolean inString;
        boolean escaped;

        Open(int line, String prefix) {
            this.line = line;
            this.prefix = prefix;
        }

        /** Adds a line; returns where in it the object ended, or -1 when it goes on. */
        int add(String line) {
            if (text.length() > 0) {
                text.append('\n');
            }
            for (int i = 0; i < line.length(); i++) {
                char c = line.charAt(i);
                if (inString) {
                    if (escaped) {
                        escaped = false;
                    } else if (c == '\\') {
                        escaped = true;
                    } else if (c == '"') {
                        inString = false;
                    }
                } else if (c == '"') {
                    inString = true;
                } else if (c == '{') {
                    depth++;
                } else if (c == '}') {
                    depth--;
                    if (depth == 0) {
                        text.append(line, 0, i + 1);
                        return i;
                    }
                }
            }
            text.append(line);
            return -1;
        }
    }
}
