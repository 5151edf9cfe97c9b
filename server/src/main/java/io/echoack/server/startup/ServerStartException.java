package io.echoack.server.startup;

import io.echoack.common.endpoint.Endpoint;
import io.echoack.common.text.FieldMessage;
import io.echoack.common.text.NamesFields;
import java.util.Optional;

/**
 * The server could not start; the message is one line fit to show a user as is (e.g.
 * {@code cannot listen on tcp://0.0.0.0:51717: address already in use}). When it names a setting to change, it
 * names it by its field ({@code transport}, {@code provider}), and a CLI says the same with its flag or
 * variable through {@link #fieldMessage()}. The command maps it to exit code 2.
 */
public final class ServerStartException extends Exception implements NamesFields {

    private static final long serialVersionUID = 1L;

    private final transient FieldMessage message;

    public ServerStartException(String message, Throwable cause) {
        super(message, cause);
        this.message = null;
    }

    /** A failure whose message names settings by field. */
    public ServerStartException(FieldMessage message, Throwable cause) {
        super(message.toString(), cause);
        this.message = message;
    }

    public ServerStartException(Endpoint endpoint, String reason) {
        super("cannot listen on " + endpoint.address() + ": " + reason);
        this.message = null;
    }

    public ServerStartException(Endpoint endpoint, String reason, Throwable cause) {
        super("cannot listen on " + endpoint.address() + ": " + reason, cause);
        this.message = null;
    }

    @Override
    public Optional<FieldMessage> fieldMessage() {
        return Optional.ofNullable(message);
    }
}
