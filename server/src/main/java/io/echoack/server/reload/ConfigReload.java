package io.echoack.server.reload;

import io.echoack.common.endpoint.Endpoint;
import io.echoack.server.config.ServerConfig;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Applies a new configuration to a running server: each {@link Reloadable} part applies its own fields, and every
 * other field of {@link ServerConfig} that differs is refused as needing a restart (listeners added, removed or
 * changed, transport, threads ...), so that a field added to the record later is refused until a part takes it.
 * Not thread-safe: one reload at a time (the server's reload thread).
 */
public final class ConfigReload {

    private final List<Reloadable> parts;
    private ServerConfig current;

    /** A running server's parts, serving {@code started}. */
    public ConfigReload(ServerConfig started, List<Reloadable> parts) {
        this.current = Objects.requireNonNull(started, "started");
        this.parts = List.copyOf(parts);
    }

    /** The configuration in effect: the started one with each reload's applied parts. */
    public ServerConfig current() {
        return current;
    }

    /** Applies what {@code next} changes and can be applied; see the class description. */
    public ReloadReport apply(ServerConfig next) {
        Objects.requireNonNull(next, "next");
        Set<String> owned = new HashSet<>();
        parts.forEach(p -> owned.addAll(p.fields()));
        List<String> refused = new ArrayList<>();
        for (RecordComponent field : ServerConfig.class.getRecordComponents()) {
            if (field.getName().equals("listen") && !withoutFaults(current).equals(withoutFaults(next))) {
                refused.add(listeners(current, next));
            } else if (!owned.contains(field.getName()) && differ(value(field, current), value(field, next))) {
                refused.add(field.getName() + ": " + describe(value(field, current)) + " -> "
                        + describe(value(field, next)) + " needs a restart");
            }
        }
        List<String> applied = new ArrayList<>();
        List<String> failed = new ArrayList<>();
        ServerConfig after = current;
        for (Reloadable part : parts) {
            try {
                applied.addAll(part.apply(current, next));
                after = part.carry(after, next);
            } catch (ReloadException e) {
                failed.add(e.getMessage());
            }
        }
        current = after;
        return new ReloadReport(applied, refused, failed);
    }

    /** The listeners without their fault keys: what a reload may not change (faults are a part's to apply). */
    private static List<Endpoint> withoutFaults(ServerConfig config) {
        return config.listen().stream().map(FaultsReload::withoutFaults).toList();
    }

    /** Listeners added, removed or changed (apart from faults): binding and unbinding wait for a restart. */
    private static String listeners(ServerConfig current, ServerConfig next) {
        List<Endpoint> was = withoutFaults(current);
        List<Endpoint> now = withoutFaults(next);
        List<String> added = now.stream().filter(e -> !was.contains(e)).map(Object::toString).toList();
        List<String> removed = was.stream().filter(e -> !now.contains(e)).map(Object::toString).toList();
        StringBuilder line = new StringBuilder("listeners");
        if (!added.isEmpty()) {
            line.append(" added ").append(added);
        }
        if (!removed.isEmpty()) {
            line.append(added.isEmpty() ? "" : ",").append(" removed ").append(removed);
        }
        if (added.isEmpty() && removed.isEmpty()) {
            line.append(" reordered");
        }
        return line.append(": needs a restart").toString();
    }

    /** Values without equals (an access list) compare by what they print. */
    private static boolean differ(Object a, Object b) {
        return !Objects.equals(a, b) && !String.valueOf(a).equals(String.valueOf(b));
    }

    private static String describe(Object value) {
        return String.valueOf(value);
    }

    private static Object value(RecordComponent field, ServerConfig config) {
        try {
            return field.getAccessor().invoke(config);
        } catch (IllegalAccessException | InvocationTargetException e) {
            throw new IllegalStateException("cannot read " + field.getName(), e);
        }
    }
}
