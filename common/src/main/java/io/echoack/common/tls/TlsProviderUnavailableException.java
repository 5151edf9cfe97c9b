package io.echoack.common.tls;

import static io.echoack.common.text.FieldMessage.field;

import io.echoack.common.text.FieldMessage;
import io.echoack.common.text.NamesFields;
import java.util.Optional;

/**
 * The OpenSSL TLS provider was asked for explicitly but cannot be loaded here; the cause says why. The message
 * names the setting to change by its field ({@code provider}); a CLI says it with its flag or variable through
 * {@link #fieldMessage()}.
 */
public final class TlsProviderUnavailableException extends RuntimeException implements NamesFields {

    private static final long serialVersionUID = 1L;

    private final transient FieldMessage message;

    public TlsProviderUnavailableException(Throwable cause) {
        this(FieldMessage.of("TLS provider openssl is not available here: ", TlsProvider.describe(cause), " (use ",
                field("provider"), " auto or jdk)"), cause);
    }

    private TlsProviderUnavailableException(FieldMessage message, Throwable cause) {
        super(message.toString(), cause);
        this.message = message;
    }

    @Override
    public Optional<FieldMessage> fieldMessage() {
        return Optional.ofNullable(message);
    }
}
