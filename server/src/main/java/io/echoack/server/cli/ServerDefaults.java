package io.echoack.server.cli;

import io.echoack.cli.EnvironmentDefaults;
import io.echoack.cli.Setting;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ParameterException;

/**
 * The defaults of {@code echoack-server}'s options: {@link ServerSetting}'s, from the environment (see
 * {@link EnvironmentDefaults}), then from the configuration file ({@code --config}, {@link ConfigFile}), then the
 * table's own. So a flag wins over its variable, a variable over the file, and the file over the default.
 * A class of its own so that {@code @Command(defaultValueProvider = ...)} can create one on the process's
 * environment.
 *
 * <p>picocli asks for defaults after it has read the command line, and only for options not given there, so the
 * file's path is known by then: the {@code --config} flag, else its variable. The file is read once, at the
 * first question; {@link #again()} gives defaults that read it afresh (SIGHUP).
 */
final class ServerDefaults extends EnvironmentDefaults {

    private final Map<String, String> environment;
    private boolean read;
    private ConfigFile file;

    /** On the process's environment; for {@code @Command(defaultValueProvider = ...)}. */
    ServerDefaults() {
        this(System.getenv());
    }

    ServerDefaults(Map<String, String> environment) {
        super(ServerSetting.class, environment);
        this.environment = Map.copyOf(environment);
    }

    /** The same environment, with the configuration file still to be read. */
    ServerDefaults again() {
        return new ServerDefaults(environment);
    }

    @Override
    protected Optional<Given> belowVariables(Setting setting, CommandSpec command) {
        return file(command).flatMap(f -> ((ServerSetting) setting).fileKey().flatMap(f::entry)
                .map(e -> new Given(e.value(), f.name(e))));
    }

    /**
     * The configuration file of {@code command}, read at the first call; empty when none is given.
     *
     * @throws ParameterException naming the file, line and key; or {@code --config} or its variable when the
     *                            file cannot be read
     */
    synchronized Optional<ConfigFile> file(CommandSpec command) {
        if (read) {
            return Optional.ofNullable(file);
        }
        OptionSpec option = command.findOption(ServerSetting.CONFIG.flag());
        // typed on the command line: picocli has its text (a default's is not kept there)
        String typed = option == null || option.originalStringValues().isEmpty() ? null : option.getValue();
        String given = typed != null ? typed : ServerSetting.CONFIG.variable().map(environment::get).orElse(null);
        if (given == null || given.isBlank()) {
            // Not kept: picocli also asks while it is still reading the command line (a yes/no flag typed before
            // --config is looked up when it is met), and --config may come later.
            return Optional.empty();
        }
        try {
            file = ConfigFile.read(Path.of(given.trim()), keys(command));
        } catch (IllegalArgumentException e) {
            String message = e.getMessage().startsWith("cannot read ")
                    ? (typed != null ? ServerSetting.CONFIG.flag()
                            : ServerSetting.CONFIG.variable().orElseThrow()) + ": " + e.getMessage()
                    : e.getMessage();
            throw new ParameterException(command.commandLine(), message);
        }
        read = true;
        return Optional.of(file);
    }

    /** The file's keys, each a list or not as its option is. */
    private static Map<String, ConfigFile.Key> keys(CommandSpec command) {
        Map<String, ConfigFile.Key> keys = new LinkedHashMap<>();
        for (ServerSetting setting : ServerSetting.values()) {
            OptionSpec option = command.findOption(setting.flag());
            setting.fileKey().ifPresent(key -> keys.put(key, new ConfigFile.Key(key,
                    option != null && option.isMultiValue(), option == null ? null : option.splitRegex())));
        }
        return keys;
    }
}
