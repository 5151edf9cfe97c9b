package io.echoack.common.text;

import java.util.Optional;

/**
 * A setting's value a library rejects. Its message names the settings at fault by field, in the library's
 * words; a CLI says the same with its flags and variables through {@link #fieldMessage()}.
 */
public class InvalidFieldException extends IllegalArgumentException implements NamesFields {

    private static final long serialVersionUID = 1L;

    private final transient FieldMessage message;

    public InvalidFieldException(FieldMessage message) {
        this(message, null);
    }

    public InvalidFieldException(FieldMessage message, Throwable cause) {
        super(message.toString(), cause);
        this.message = message;
    }

    @Override
    public Optional<FieldMessage> fieldMessage() {
        return Optional.of(message);
    }
}
