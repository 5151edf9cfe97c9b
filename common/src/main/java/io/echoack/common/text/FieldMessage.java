package io.echoack.common.text;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;

/**
 * A message about settings that names them by their field ({@code insecure}, {@code trustedCertificates}), as
 * a library caller knows them. A command line renders the same message with its own words for each field
 * (the flag or variable its user typed): the libraries never name a flag, and each CLI maps fields to flags
 * in one place.
 *
 * <pre>{@code
 * FieldMessage m = FieldMessage.of(field("insecure"), " trusts any certificate, so ", field("trustedCertificates"),
 *         " would be ignored");
 * m.toString();                          // "insecure trusts any certificate, so trustedCertificates would be ignored"
 * m.render(f -> flags.get(f));           // "--insecure trusts any certificate, so --tls-ca would be ignored"
 * }</pre>
 */
public final class FieldMessage {

    /** A reference to a setting by its field name, inside a {@link FieldMessage}. */
    public record Field(String name) {
        public Field {
            Objects.requireNonNull(name, "name");
        }
    }

    private final List<Object> parts;

    private FieldMessage(List<Object> parts) {
        this.parts = parts;
    }

    /** A field reference for {@link #of}. */
    public static Field field(String name) {
        return new Field(name);
    }

    /**
     * The message made of {@code parts} in order: each {@link Field} stands for the setting's name, a
     * {@code FieldMessage} for its own parts, anything else is text (its {@code toString}), so that values
     * quoted in the message stay as they are whatever they hold.
     */
    public static FieldMessage of(Object... parts) {
        List<Object> list = new ArrayList<>(parts.length);
        for (Object part : parts) {
            if (part instanceof FieldMessage nested) {
                list.addAll(nested.parts);
            } else {
                list.add(part instanceof Field ? part : String.valueOf(part));
            }
        }
        return new FieldMessage(List.copyOf(list));
    }

    /** The message with each field written as {@code nameOf} names it. */
    public String render(Function<String, String> nameOf) {
        StringBuilder text = new StringBuilder();
        for (Object part : parts) {
            text.append(part instanceof Field f ? nameOf.apply(f.name()) : (String) part);
        }
        return text.toString();
    }

    /** The fields this message names, in order of first mention. */
    public Set<String> fields() {
        Set<String> fields = new LinkedHashSet<>();
        for (Object part : parts) {
            if (part instanceof Field f) {
                fields.add(f.name());
            }
        }
        return fields;
    }

    /** The message in the library's words: each field by its field name. */
    @Override
    public String toString() {
        return render(Function.identity());
    }
}
