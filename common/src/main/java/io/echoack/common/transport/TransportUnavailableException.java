package io.echoack.common.transport;

import static io.echoack.common.text.FieldMessage.field;

import io.echoack.common.text.FieldMessage;
import io.echoack.common.text.NamesFields;
import java.util.Optional;

/**
 * An explicitly requested native transport cannot be loaded on this machine; the cause says why. The message
 * names the setting to change by its field ({@code transport}); a CLI says it with its flag or variable through
 * {@link #fieldMessage()}.
 */
public final class TransportUnavailableException extends RuntimeException implements NamesFields {

    private static final long serialVersionUID = 1L;

    private final Transport transport;
    private final transient FieldMessage message;

    public TransportUnavailableException(Transport transport, Throwable cause) {
        this(transport, FieldMessage.of("transport ", transport.id(), " is not available here",
                cause == null ? "" : ": " + Transport.describe(cause), " (use ", field("transport"), " auto or nio)"),
                cause);
    }

    private TransportUnavailableException(Transport transport, FieldMessage message, Throwable cause) {
        super(message.toString(), cause);
        this.transport = transport;
        this.message = message;
    }

    /** The transport that was asked for. */
    public Transport transport() {
        return transport;
    }

    @Override
    public Optional<FieldMessage> fieldMessage() {
        return Optional.ofNullable(message);
    }
}
