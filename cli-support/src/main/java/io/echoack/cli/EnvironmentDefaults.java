package io.echoack.cli;

import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import picocli.CommandLine;
import picocli.CommandLine.IDefaultValueProvider;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.TypeConversionException;

/**
 * picocli's defaults from a command's {@link Setting} table: a setting's variable when the environment has it
 * (an empty variable counts as unset, as a container's {@code ECHOACK_X=} means), else the table's default.
 * It also answers where a setting's value came from, so that an error names what the user gave: the flag, or
 * the variable. The environment is passed in, so that tests need not touch the real one.
 *
 * <p>A variable's value is checked by the option's converters here, where it is known to come from the
 * variable: picocli itself would blame the flag.
 *
 * <p>For {@code @Command(defaultValueProvider = ...)}, which needs a class it can create, a command declares a
 * subclass that names its table and reads the process's environment.
 */
public class EnvironmentDefaults implements IDefaultValueProvider {

    private final Function<String, Optional<? extends Setting>> settingOfFlag;
    private final Map<String, String> environment;

    /** Defaults for the options of {@code table}'s settings, from {@code environment}. */
    public <S extends Enum<S> & Setting> EnvironmentDefaults(Class<S> table, Map<String, String> environment) {
        Objects.requireNonNull(table, "table");
        this.settingOfFlag = flag -> Setting.byFlag(table, flag);
        this.environment = Map.copyOf(Objects.requireNonNull(environment, "environment"));
    }

    /**
     * What to call {@code setting} in a message about the value {@code commandLine} got for it: the flag when
     * the user typed it, else the variable when that is set, else the flag. A command line whose defaults are not
     * an {@code EnvironmentDefaults} took nothing from a variable: the flag.
     */
    public static String nameIn(CommandLine commandLine, Setting setting) {
        return commandLine.getCommandSpec().defaultValueProvider() instanceof EnvironmentDefaults defaults
                ? defaults.sourceName(setting, commandLine) : setting.flag();
    }

    /** How to set it, for hints: {@code --tls-key (or ECHOACK_TLS_KEY)}. */
    public static String howToSet(Setting setting) {
        return setting.flag() + setting.variable().map(v -> " (or " + v + ")").orElse("");
    }

    @Override
    public String defaultValue(ArgSpec arg) {
        Optional<? extends Setting> setting = setting(arg);
        if (setting.isEmpty()) {
            return null;
        }
        Optional<String> fromVariable = variableValue(setting.get());
        if (fromVariable.isEmpty()) {
            Optional<Given> below = belowVariables(setting.get(), arg.command());
            if (below.isPresent()) {
                check(arg, below.get().name(), below.get().value());
                return below.get().value();
            }
            return setting.get().defaultValue();
        }
        check(arg, setting.get().variable().orElseThrow(), fromVariable.get());
        return fromVariable.get();
    }

    /**
     * What to call the setting in a message about its value: the flag when it was typed, else the variable
     * when that is set, else the name of the value below the variables when there is one, else the flag (the
     * value is then the default).
     */
    public String sourceName(Setting setting, CommandLine commandLine) {
        ParseResult parsed = commandLine.getParseResult();
        if (parsed != null && parsed.hasMatchedOption(setting.flag())) {
            return setting.flag();
        }
        if (setting.variable().filter(v -> variableValue(setting).isPresent()).isPresent()) {
            return setting.variable().orElseThrow();
        }
        return belowVariables(setting, commandLine.getCommandSpec()).map(Given::name).orElse(setting.flag());
    }

    /**
     * The value of {@code setting} from a source that ranks below the variables and above the table's default
     * (a command's configuration file), if it gives one; none here. A bad value there is reported under its
     * {@link Given#name}.
     */
    protected Optional<Given> belowVariables(Setting setting, CommandSpec command) {
        return Optional.empty();
    }

    /**
     * A value given below the variables.
     *
     * @param value the value, in the flag's own spelling (lists joined as the option splits them)
     * @param name  what to call it in a message, e.g. {@code echoack.yaml:3: mode}
     */
    public record Given(String value, String name) {
        public Given {
            Objects.requireNonNull(value, "value");
            Objects.requireNonNull(name, "name");
        }
    }

    /** The variable's value, when the setting has a variable and it is set and not empty. */
    private Optional<String> variableValue(Setting setting) {
        return setting.variable().map(environment::get).filter(v -> !v.isEmpty());
    }

    private Optional<? extends Setting> setting(ArgSpec arg) {
        return arg instanceof OptionSpec option ? settingOfFlag.apply(option.longestName()) : Optional.empty();
    }

    /** Runs the option's converters on each value of the variable, so that a bad one names the variable. */
    private static void check(ArgSpec arg, String variable, String value) {
        String[] values = arg.splitRegex().isEmpty() ? new String[] {value} : value.split(arg.splitRegex());
        for (ITypeConverter<?> converter : arg.converters()) {
            for (String v : values) {
                try {
                    converter.convert(v);
                } catch (TypeConversionException e) {
                    throw new BadValueException(arg.command().commandLine(), variable + ": " + e.getMessage());
                } catch (Exception e) {
                    throw new BadValueException(arg.command().commandLine(), variable + ": '" + v + "': " + e);
                }
            }
        }
    }

    /**
     * A value the user gave is wrong; the message names the flag or variable and is shown as it is (without
     * the pointer to the help that picocli's own errors about the command line get).
     */
    public static final class BadValueException extends ParameterException {
        BadValueException(CommandLine commandLine, String message) {
            super(commandLine, message);
        }
    }
}
