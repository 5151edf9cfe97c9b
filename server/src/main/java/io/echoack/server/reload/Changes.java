package io.echoack.server.reload;

import io.echoack.common.text.Durations;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.RecordComponent;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The lines a part logs for what it changed: one per setting that differs, {@code FIELD: SETTING OLD -> NEW}
 * (durations as the flags take them, {@code 30s}), so that the log of a reload says exactly what it did.
 */
final class Changes {

    private Changes() {
    }

    /** One line per component of the records {@code old} and {@code next} that differs, in declaration order. */
    static <R extends Record> List<String> of(String field, R old, R next) {
        List<String> lines = new ArrayList<>();
        for (RecordComponent component : old.getClass().getRecordComponents()) {
            Object was = value(component, old);
            Object now = value(component, next);
            if (!Objects.equals(was, now)) {
                lines.add(line(field, component.getName(), was, now));
            }
        }
        return lines;
    }

    /** {@code FIELD: SETTING OLD -> NEW}. */
    static String line(String field, String setting, Object old, Object next) {
        return field + ": " + setting + " " + text(old) + " -> " + text(next);
    }

    /** A value as the log shows it: durations as the flags take them. */
    static String text(Object value) {
        return value instanceof Duration d ? Durations.format(d) : String.valueOf(value);
    }

    private static Object value(RecordComponent component, Record record) {
        try {
            return component.getAccessor().invoke(record);
        } catch (IllegalAccessException | InvocationTargetException e) {
            throw new IllegalStateException("cannot read " + component.getName(), e);
        }
    }
}
