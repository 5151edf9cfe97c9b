package io.echoack.client.cli;

import io.echoack.cli.EnvironmentDefaults;
import java.util.Map;

/**
 * The defaults of the {@code echoack} commands' options: {@link ClientSetting}'s, from the environment (see
 * {@link EnvironmentDefaults}). A class of its own so that {@code @Command(defaultValueProvider = ...)} can
 * create one on the process's environment.
 */
final class ClientDefaults extends EnvironmentDefaults {

    /** On the process's environment; for {@code @Command(defaultValueProvider = ...)}. */
    ClientDefaults() {
        this(System.getenv());
    }

    ClientDefaults(Map<String, String> environment) {
        super(ClientSetting.class, environment);
    }
}
