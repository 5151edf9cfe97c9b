package io.echoack.cli;

import java.util.Arrays;
import java.util.Objects;
import java.util.Optional;

/**
 * One setting of a command: its flag, its environment variable (if it has one) and its default, written once,
 * in the command's table. A table is an enum of settings, one constant per option; picocli takes its defaults
 * from it ({@link EnvironmentDefaults}), the help shows each option's default and variable from it
 * ({@link SettingsHelp}), and an error about a value names the flag when the user typed the flag and the
 * variable when the value came from the variable ({@link EnvironmentDefaults#nameIn}).
 */
public interface Setting {

    /** This setting's row of the table. */
    Row row();

    /** The long flag, as picocli's {@code longestName()} of the option. */
    default String flag() {
        return row().flag();
    }

    /** The environment variable, if the setting has one. */
    default Optional<String> variable() {
        return Optional.ofNullable(row().variable());
    }

    /** The value picocli gets when neither the flag nor the variable is given; null for none. */
    default String defaultValue() {
        return row().defaultValue();
    }

    /**
     * The default as the help (and the README) says it; null when the option's description says it, or it has
     * none.
     */
    default String shownDefault() {
        return row().shownDefault();
    }

    /** The setting of {@code table} whose flag is {@code flag}, if it has one. */
    static <S extends Enum<S> & Setting> Optional<S> byFlag(Class<S> table, String flag) {
        return Arrays.stream(table.getEnumConstants()).filter(s -> s.flag().equals(flag)).findFirst();
    }

    /**
     * What a table says about one setting.
     *
     * @param flag         the long flag, e.g. {@code --timeout}
     * @param variable     the environment variable, e.g. {@code ECHOACK_TIMEOUT}; null for none
     * @param defaultValue the value picocli gets when neither is given, in the flag's own spelling; null for none
     * @param shownDefault the default as the help says it; null to say nothing
     */
    record Row(String flag, String variable, String defaultValue, String shownDefault) {

        public Row {
            Objects.requireNonNull(flag, "flag");
        }

        /** A row whose default the help shows as it is. */
        public Row(String flag, String variable, String defaultValue) {
            this(flag, variable, defaultValue, defaultValue);
        }
    }
}
