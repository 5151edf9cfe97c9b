package io.echoack.server.identity;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * The {@code --identity KEY=VALUE} pairs: what an operator says this server is (pod, namespace, node, zone,
 * build, ...), shown in every {@code info} reply after the host name, in the order given. {@code host=...}
 * replaces the host name itself (two servers on one machine can then tell themselves apart).
 *
 * @param pairs the pairs in the order given; keys unique, none reserved ({@link InfoKeys#isReserved})
 */
public record IdentityPairs(Map<String, String> pairs) {

    /** Most pairs accepted: an info reply must fit in one datagram with room to spare. */
    public static final int MAX_PAIRS = 32;
    /** Longest key, in characters. */
    public static final int MAX_KEY_LENGTH = 64;
    /** Longest value, in characters (a Kubernetes name is at most 253). */
    public static final int MAX_VALUE_LENGTH = 512;
    /**
     * Where a list of pairs in one string (the environment variable) is split: at each comma that a
     * {@code KEY=} follows, so that a value may hold commas ({@code labels=a,b,pod=x} is two pairs).
     */
    public static final String SPLIT = ",(?=\\s*[A-Za-z][A-Za-z0-9_.-]*=)";

    private static final Pattern KEY = Pattern.compile("[A-Za-z][A-Za-z0-9_.-]*");

    public IdentityPairs {
        Objects.requireNonNull(pairs, "pairs");
        if (pairs.size() > MAX_PAIRS) {
            throw new IllegalArgumentException("at most " + MAX_PAIRS + " pairs, got " + pairs.size());
        }
        for (Map.Entry<String, String> pair : pairs.entrySet()) {
            checkKey(pair.getKey());
            checkValue(pair.getKey(), pair.getValue());
        }
        pairs = Collections.unmodifiableMap(new LinkedHashMap<>(pairs));
    }

    /** No pairs. */
    public static IdentityPairs none() {
        return new IdentityPairs(Map.of());
    }

    /**
     * Reads pairs as {@code --identity} gives them: each {@code KEY=VALUE} (split at the first {@code =}; space
     * around the pair is dropped, inside the value kept); blank items are skipped, so that an empty variable
     * means none.
     *
     * @throws IllegalArgumentException naming the item at fault and what is wrong with it
     */
    public static IdentityPairs parse(List<String> items) {
        Map<String, String> pairs = new LinkedHashMap<>();
        for (String item : items) {
            String pair = item.strip();
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            if (eq < 0) {
                throw new IllegalArgumentException("'" + item + "' is not KEY=VALUE");
            }
            String key = pair.substring(0, eq).strip();
            checkKey(key);
            if (pairs.put(key, pair.substring(eq + 1)) != null) {
                throw new IllegalArgumentException("key '" + key + "' is given twice");
            }
        }
        return new IdentityPairs(pairs);
    }

    private static void checkKey(String key) {
        if (!KEY.matcher(key).matches() || key.length() > MAX_KEY_LENGTH) {
            throw new IllegalArgumentException("'" + key + "' is not a key: a letter, then letters, digits, '_', "
                    + "'.' or '-', at most " + MAX_KEY_LENGTH + " characters");
        }
        if (InfoKeys.isReserved(key)) {
            throw new IllegalArgumentException("key '" + key + "' is reserved: every info reply has its own '"
                    + key + "' (the reserved keys: " + String.join(", ", InfoKeys.BUILT_IN.subList(1,
                    InfoKeys.BUILT_IN.size())) + ", and any starting with 'proxy' or 'tls_')");
        }
    }

    private static void checkValue(String key, String value) {
        Objects.requireNonNull(value, key);
        if (value.length() > MAX_VALUE_LENGTH) {
            throw new IllegalArgumentException("the value of '" + key + "' is " + value.length()
                    + " characters long; at most " + MAX_VALUE_LENGTH);
        }
        for (int i = 0; i < value.length(); i++) {
            if (Character.isISOControl(value.charAt(i))) {
                throw new IllegalArgumentException("the value of '" + key + "' has a control character at "
                        + "position " + (i + 1));
            }
        }
    }

    /** The value given for {@code key}, or null. */
    public String get(String key) {
        return pairs.get(key);
    }
}
