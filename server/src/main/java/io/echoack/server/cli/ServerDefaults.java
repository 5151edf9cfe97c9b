package io.echoack.server.cli;

import io.echoack.cli.EnvironmentDefaults;
import java.util.Map;

/**
 * The defaults of {@code echoack-server}'s options: {@link ServerSetting}'s, from the environment (see
 * {@link EnvironmentDefaults}). A class of its own so that {@code @Command(defaultValueProvider = ...)} can
 * create one on the process's environment.
 */
final class ServerDefaults extends EnvironmentDefaults {

    /** On the process's environment; for {@code @Command(defaultValueProvider = ...)}. */
    ServerDefaults() {
        this(System.getenv());
    }

    ServerDefaults(Map<String, String> environment) {
        super(ServerSetting.class, environment);
    }
}
