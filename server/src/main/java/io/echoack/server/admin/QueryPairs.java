package io.echoack.server.admin;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Reads {@code KEY=VALUE&KEY=VALUE} (an URI's query or a form-encoded body) the way an endpoint's query is
 * written: {@code %XX} is decoded, but a {@code %} not followed by two hex digits is itself, so that
 * {@code reset=1%} means what it says; {@code +} stays {@code +}. Order and repeats are kept for the caller
 * to judge.
 */
final class QueryPairs {

    private QueryPairs() {
    }

    /** The pairs of {@code text}, in order; a key without {@code =} has the value {@code ""}. */
    static List<Map.Entry<String, String>> parse(String text) {
        List<Map.Entry<String, String>> pairs = new ArrayList<>();
        for (String part : text.split("&", -1)) {
            if (part.isEmpty()) {
                continue;
            }
            int eq = part.indexOf('=');
            String key = eq < 0 ? part : part.substring(0, eq);
            String value = eq < 0 ? "" : part.substring(eq + 1);
            pairs.add(Map.entry(decode(key), decode(value)));
        }
        return pairs;
    }

    /** The query of a request URI ({@code /path?query#fragment}), or {@code ""}. */
    static String queryOf(String uri) {
        int q = uri.indexOf('?');
        if (q < 0) {
            return "";
        }
        int hash = uri.indexOf('#', q);
        return hash < 0 ? uri.substring(q + 1) : uri.substring(q + 1, hash);
    }

    private static String decode(String text) {
        if (text.indexOf('%') < 0) {
            return text;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(text.length());
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i < bytes.length; i++) {
            if (bytes[i] == '%' && i + 2 < bytes.length && hex(bytes[i + 1]) >= 0 && hex(bytes[i + 2]) >= 0) {
                out.write(hex(bytes[i + 1]) * 16 + hex(bytes[i + 2]));
                i += 2;
            } else {
                out.write(bytes[i]);
            }
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    private static int hex(byte b) {
        return Character.digit(b, 16);
    }
}
