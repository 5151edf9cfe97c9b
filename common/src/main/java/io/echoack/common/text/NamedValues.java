package io.echoack.common.text;

import java.util.function.Function;

/**
 * One of a few named values (a mode, a framing, a format ...) read as a user typed it: in any case, spaces around
 * ignored. Anything else is refused with the message every such setting gives, naming what was typed and what
 * would do: {@code unknown mode 'shout' (expected ack, echo or info)}.
 */
public final class NamedValues {

    private NamedValues() {
    }

    /**
     * The one of {@code values} whose {@code id} is {@code text} (any case, spaces around ignored).
     *
     * @param what what the values are, for the message: {@code mode}, {@code framing} ...
     * @throws IllegalArgumentException naming {@code text} as typed and every id, in the order of {@code values}
     */
    public static <T> T parse(String what, String text, T[] values, Function<T, String> id) {
        for (T value : values) {
            if (id.apply(value).equalsIgnoreCase(text.trim())) {
                return value;
            }
        }
        StringBuilder expected = new StringBuilder();
        for (int i = 0; i < values.length; i++) {
            if (i > 0) {
                expected.append(i == values.length - 1 ? " or " : ", ");
            }
            expected.append(id.apply(values[i]));
        }
        throw new IllegalArgumentException("unknown " + what + " '" + text + "' (expected " + expected + ")");
    }
}
