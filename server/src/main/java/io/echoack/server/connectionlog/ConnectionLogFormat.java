package io.echoack.server.connectionlog;

import java.util.Locale;

/** Whether the server writes a connection log, and how: {@code off}, {@code text} or {@code json}. */
public enum ConnectionLogFormat {
    /** No connection log: the pipelines do not even get its handler. */
    OFF,
    /** {@code key=value} pairs on one line, for people (and {@code logfmt} readers). */
    TEXT,
    /** One JSON object per line, every key always present, for log collectors and {@code jq}. */
    JSON;

    private final String id = name().toLowerCase(Locale.ROOT);

    /** The name the settings take: {@code off}, {@code text}, {@code json}. */
    public String id() {
        return id;
    }

    /** True unless {@link #OFF}. */
    public boolean isOn() {
        return this != OFF;
    }

    /**
     * The format named {@code text} (any case, spaces around ignored).
     *
     * @throws IllegalArgumentException naming the input, for anything else
     */
    public static ConnectionLogFormat parse(String text) {
        String t = text == null ? "" : text.trim().toLowerCase(Locale.ROOT);
        for (ConnectionLogFormat format : values()) {
            if (format.id.equals(t)) {
                return format;
            }
        }
        throw new IllegalArgumentException("unknown connection log format '" + text + "' (expected off, text or json)");
    }
}
