package io.echoack.client.bench;

import io.echoack.client.net.InfoReply;
import java.util.Map;

/**
 * The check of replies in info mode: each must read as an identity reply ({@link InfoReply}); with
 * {@code --count-by KEY}, each correct one is counted under its value of KEY (or as having none), in the phase of
 * its message. Stateless; shared by the run's connections.
 */
final class InfoCheck {

    /** The key counted by, or null. */
    private final String key;

    InfoCheck(String key) {
        this.key = key;
    }

    /** True when {@code reply} is an identity reply; it is then counted in {@code phase}. Event-loop thread. */
    boolean accept(byte[] reply, PhaseStats phase) {
        Map<String, String> fields;
        try {
            fields = InfoReply.parse(reply);
        } catch (IllegalArgumentException e) {
            return false;
        }
        if (fields.isEmpty()) {
            return false;
        }
        if (key != null) {
            phase.countValue(fields.get(key));
        }
        return true;
    }
}
