package io.echoack.common.info;

import io.echoack.common.codec.InfoFormat;
import java.math.BigDecimal;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Writes one {@code info} reply, field by field, in an {@link InfoFormat}; and reads the text format back. The
 * server writes with it and the client reads with it, so the two cannot disagree on quoting.
 *
 * <p><b>Text</b>: {@code key=value} pairs separated by one space, on one line. A key is letters, digits,
 * {@code _ . -}. A value is written bare when it is not empty and every character is printable ASCII other than
 * space, {@code "}, {@code \} and {@code =}; otherwise it is quoted: {@code "..."} with {@code \"}, {@code \\},
 * {@code \n}, {@code \r}, {@code \t} and {@code \}{@code uXXXX} for the other control characters (C0, DEL, C1)
 * and U+2028/U+2029, and any other character as it is (UTF-8 on the wire). E.g. {@code host=web-1 tls_client_subject="CN=client,O=Example"}.
 *
 * <p><b>JSON</b>: one flat object on one line, the same keys in the same order; values are strings, except the
 * ones written with {@link #add(String, long)}, which are numbers. E.g.
 * {@code {"host":"web-1","seq":1}}.
 *
 * <p>A writer is used once: {@link #add} the fields, then {@link #finish()}. {@link #copy()} forks one, so that
 * fields common to many replies (a connection's) are written once and the rest added per reply.
 */
public final class InfoLine {

    private final InfoFormat format;
    private final StringBuilder out;
    private boolean empty;

    private InfoLine(InfoFormat format, StringBuilder out, boolean empty) {
        this.format = format;
        this.out = out;
        this.empty = empty;
    }

    /** A writer of one reply in {@code format}. */
    public static InfoLine start(InfoFormat format) {
        Objects.requireNonNull(format, "format");
        return new InfoLine(format, new StringBuilder(256).append(format == InfoFormat.JSON ? "{" : ""), true);
    }

    /** A second writer that starts with the fields written to this one so far; this one is unchanged. */
    public InfoLine copy() {
        return new InfoLine(format, new StringBuilder(out.length() + 64).append(out), empty);
    }

    /**
     * Adds a field with a text value.
     *
     * @throws IllegalArgumentException when {@code key} is not a valid key ({@link #isKey})
     */
    public InfoLine add(String key, String value) {
        separator(key);
        if (format == InfoFormat.JSON) {
            quote(value, out); // text and JSON quote alike
        } else if (isBare(value)) {
            out.append(value);
        } else {
            quote(value, out);
        }
        return this;
    }

    /** Adds a field that has no value here: {@code null} in JSON; left out of text. */
    public InfoLine addNull(String key) {
        if (format == InfoFormat.JSON) {
            separator(key);
            out.append("null");
        } else if (!isKey(key)) {
            throw new IllegalArgumentException("'" + key + "' is not a key (letters, digits, '_', '.', '-')");
        }
        return this;
    }

    /** Adds a field with a number value (a JSON number; bare in text). */
    public InfoLine add(String key, long value) {
        separator(key);
        out.append(value);
        return this;
    }

    /** Adds a field with a decimal number value, written in plain notation (e.g. {@code 12.034}). */
    public InfoLine add(String key, BigDecimal value) {
        separator(key);
        out.append(value.toPlainString());
        return this;
    }

    /** The reply, without any line end or framing. */
    public String finish() {
        return format == InfoFormat.JSON ? out + "}" : out.toString();
    }

    private void separator(String key) {
        if (!isKey(key)) {
            throw new IllegalArgumentException("'" + key + "' is not a key (letters, digits, '_', '.', '-')");
        }
        if (!empty) {
            out.append(format == InfoFormat.JSON ? ',' : ' ');
        }
        empty = false;
        if (format == InfoFormat.JSON) {
            out.append('"').append(key).append("\":");
        } else {
            out.append(key).append('=');
        }
    }

    /** True when {@code key} may name a field: one or more letters, digits, {@code _}, {@code .} or {@code -}. */
    public static boolean isKey(String key) {
        if (key == null || key.isEmpty()) {
            return false;
        }
        for (int i = 0; i < key.length(); i++) {
            char c = key.charAt(i);
            if (!(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c == '.'
                    || c == '-')) {
                return false;
            }
        }
        return true;
    }

    private static boolean isBare(String value) {
        if (value.isEmpty()) {
            return false;
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c <= ' ' || c >= 0x7f || c == '"' || c == '\\' || c == '=') {
                return false;
            }
        }
        return true;
    }

    /**
     * Appends {@code value} to {@code out} quoted as this class quotes values, which is also a JSON string:
     * {@code "..."} with {@code \"}, {@code \\}, {@code \n}, {@code \r}, {@code \t}, {@code \}{@code uXXXX} for
     * the other control characters (C0, DEL, C1) and U+2028/U+2029, and every other character as it is. For
     * whoever writes JSON or text for people and must agree with these replies (the client's bench report).
     *
     * @return {@code out}
     */
    public static StringBuilder quote(String value, StringBuilder out) {
        out.append('"');
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (escaped(c)) {
                        unicodeEscape(c, out);
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.append('"');
    }

    /**
     * Control characters (C0, DEL, C1) and the two Unicode line separators: written as {@code \}{@code uXXXX}, so
     * that a value can never break or forge a line, whoever reads it (a terminal, a log shipper, JavaScript).
     */
    private static boolean escaped(char c) {
        return c < ' ' || c >= 0x7f && c <= 0x9f || c == '\u2028' || c == '\u2029';
    }

    private static void unicodeEscape(char c, StringBuilder out) {
        out.append("\\u");
        for (int shift = 12; shift >= 0; shift -= 4) {
            out.append(Character.forDigit(c >> shift & 0xf, 16));
        }
    }

    /**
     * Reads a reply in the text format: its fields in order.
     *
     * @throws IllegalArgumentException saying what is wrong and where (a word that is not {@code key=value}, an
     *                                  unclosed quote, an unknown escape, a key given twice)
     */
    public static Map<String, String> parseText(String line) {
        Map<String, String> fields = new LinkedHashMap<>();
        int n = line.length();
        int i = 0;
        while (true) {
            while (i < n && line.charAt(i) == ' ') {
                i++;
            }
            if (i >= n) {
                break;
            }
            int keyStart = i;
            while (i < n && line.charAt(i) != '=' && line.charAt(i) != ' ') {
                i++;
            }
            String key = line.substring(keyStart, i);
            if (i >= n || line.charAt(i) != '=' || !isKey(key)) {
                throw new IllegalArgumentException("'" + line.substring(keyStart, i) + "' at column " + (keyStart + 1)
                        + " is not key=value");
            }
            i++;
            StringBuilder value = new StringBuilder();
            if (i < n && line.charAt(i) == '"') {
                i = unquote(line, i + 1, value);
            } else {
                while (i < n && line.charAt(i) != ' ') {
                    value.append(line.charAt(i++));
                }
            }
            if (fields.put(key, value.toString()) != null) {
                throw new IllegalArgumentException("key '" + key + "' appears twice");
            }
        }
        return Collections.unmodifiableMap(fields);
    }

    /**
     * Reads a quoted value from {@code start} (just after its opening quote) into {@code value}; returns the
     * index after its closing quote.
     */
    private static int unquote(String line, int start, StringBuilder value) {
        int n = line.length();
        int i = start;
        while (i < n) {
            char c = line.charAt(i++);
            if (c == '"') {
                if (i < n && line.charAt(i) != ' ') {
                    throw new IllegalArgumentException("a space must follow the quoted value ending at column " + i);
                }
                return i;
            }
            if (c != '\\') {
                value.append(c);
                continue;
            }
            if (i >= n) {
                break;
            }
            char e = line.charAt(i++);
            switch (e) {
                case '"', '\\' -> value.append(e);
                case 'n' -> value.append('\n');
                case 'r' -> value.append('\r');
                case 't' -> value.append('\t');
                case 'u' -> {
                    if (i + 4 > n) {
                        throw new IllegalArgumentException("incomplete \\u escape at column " + (i - 1));
                    }
                    try {
                        value.append((char) Integer.parseInt(line.substring(i, i + 4), 16));
                    } catch (NumberFormatException ex) {
                        throw new IllegalArgumentException("bad \\u escape at column " + (i - 1));
                    }
                    i += 4;
                }
                default -> throw new IllegalArgumentException("unknown escape '\\" + e + "' at column " + (i - 1));
            }
        }
        throw new IllegalArgumentException("quoted value from column " + start + " is not closed");
    }
}
